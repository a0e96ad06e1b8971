//! Exactly-once posting. A slot is *claimed* (post row written, prompt drawn,
//! rotation advanced, in one transaction) before anything is sent; the send
//! carries the slot's idempotency key; what happened is recorded after. After
//! a crash (or a failure after the claim), a claimed but unconfirmed post is
//! reconciled: found by its key if it was sent, sent (with the same key) if
//! not, looking back to the post's claim time.
//!
//! When the platform cannot tell whether a post went out
//! ([`Lookup::Unknown`]), nothing is sent: the post is recorded as failed
//! with a reason that starts `uncertain:` and says what to do, which admins
//! see in `status`, and an ERROR line names the post, the channel and the
//! prompt. If the prompt is missing from the channel, an admin posts it with
//! `now` and that prompt's id; if it is there, nothing needs doing. A second
//! copy is never sent on a guess.
//!
//! A failure after the claim never strands a post: whatever the error, the
//! post gets a retry on the agenda. A lookup that fails is treated like a
//! send that fails (retried when passing), never as "not sent".
//!
//! What a post that does not go out comes to (a retry, a failure, a paused
//! channel) is in [`super::failures`]; the thread's close, with the digest
//! hand-off, in [`super::closing`]. Digests follow the same pattern, in
//! [`super::digest`].

use std::sync::Arc;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use tracing::Instrument as _;

use super::port::{ChatError, Lookup, OutgoingPrompt, Posted};
use super::scheduler::Job;
use super::{Chat, Engine};
use crate::db::{NewPost, PostRow, PostState};
use crate::domain::prompt::Prompt;
use crate::domain::rotation::{self, Draw};

/// The key sent with a scheduled slot's message: the same for every attempt
/// at that slot. Short enough for Discord's 25-character nonce.
pub fn slot_key(schedule_id: i64, slot: DateTime<Utc>) -> String {
    format!("pd-{schedule_id}-{}", slot.timestamp())
}

/// What an attempt to send a prompt came to.
enum Sent {
    Posted(Posted),
    /// The platform cannot tell whether an earlier attempt went out (why).
    Uncertain(String),
}

/// The prompt as sent (and as sent again) for a post row; `ping` comes
/// from its schedule.
fn outgoing(post: &PostRow, ping: Option<String>) -> OutgoingPrompt {
    OutgoingPrompt {
        idempotency_key: post.idempotency_key.clone(),
        text: post.prompt_text.clone(),
        title: post.prompt_title.clone(),
        post_id: post.id,
        ping,
    }
}

/// A post's channel and schedule rows, as its fire read them a moment ago.
pub(super) struct Known {
    pub channel: crate::db::ChannelRow,
    pub schedule: Option<crate::db::ScheduleRow>,
}

/// Why a post could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error("no prompt called `{0}`")]
    UnknownPrompt(String),
    #[error("this channel has no prompts to draw from (check its `packs`)")]
    EmptyPool,
    #[error("no {0} platform is running")]
    NoPlatform(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl Engine {
    /// A schedule's due time came: post its slot (or skip or miss it) and
    /// put its next due time on the agenda.
    pub(super) async fn fire(
        &self,
        schedule_id: i64,
        due: i64,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let Some(row) = self.db.schedule(schedule_id).await? else {
            return Ok(());
        };
        let channel = self.db.channel(row.channel_id).await?;
        if row.paused || channel.paused {
            return Ok(());
        }
        if !self.serves(&channel) {
            // another process's shard, or a server not known yet: its
            // schedule comes back when the server is known to be this one's
            tracing::debug!(schedule = row.id, channel = %channel.external_id, "not this process's channel; slot left alone");
            return Ok(());
        }
        let Some(sched) = Self::schedule_of(&row) else {
            return Ok(());
        };
        let window = self.settings.catch_up.window();
        let base = DateTime::from_timestamp(row.last_slot.unwrap_or(row.created_at), 0)
            .context("bad time")?;
        let earliest = base.max(now - window);
        let latest = sched.latest_fire_in(earliest, now);
        let quiet = match latest {
            Some(slot) => self.quiet_reason(&channel, slot).await?,
            None => None,
        };
        match latest {
            None => {
                // Every slot since the last one is too late to post.
                tracing::warn!(schedule = row.id, channel = %channel.external_id, due, "missed slot(s) while not running; skipped per catch-up policy");
                crate::metrics::post(&channel.platform, "missed");
                self.db.set_last_slot(row.id, now.timestamp()).await?;
            }
            // A quiet day's slot is recorded as skipped: never posted, never caught up.
            Some(slot) if quiet.is_some() => {
                let why = quiet.unwrap_or_default();
                self.skip_slot(&row, &channel, slot, &why).await?;
            }
            Some(slot) if row.skip_slot == Some(slot.timestamp()) => {
                self.db.set_skip_slot(row.id, None).await?;
                self.skip_slot(&row, &channel, slot, "skipped as asked (`skip`)")
                    .await?;
            }
            Some(slot) => {
                if slot.timestamp() != due {
                    tracing::info!(schedule = row.id, slot = %slot, "posting the latest missed slot; earlier ones are dropped");
                }
                let new = NewPost {
                    channel_id: channel.id,
                    platform: channel.platform.clone(),
                    schedule_id: Some(row.id),
                    slot_at: Some(slot.timestamp()),
                    idempotency_key: slot_key(row.id, slot),
                    now: now.timestamp(),
                };
                let pool = self.pool_of(&channel).await?;
                match self.claim(&new, None, &pool).await {
                    Ok(Some(post)) => {
                        // The claim moved the schedule's last slot to this
                        // one: the next due time needs no second read. It
                        // is set before the delivery, so whatever changes
                        // the schedule or its channel meanwhile (a `pause`,
                        // a channel found gone) has the last word.
                        let mut after = row.clone();
                        after.last_slot = after.last_slot.max(Some(slot.timestamp()));
                        self.set_next_due(&after, Some(&sched), &channel);
                        let known = Known {
                            channel,
                            schedule: Some(row),
                        };
                        return self.deliver_or_retry(post, Some(known), false).await;
                    }
                    Ok(None) => {
                        tracing::debug!(schedule = row.id, slot = %slot, "slot already claimed")
                    }
                    Err(PostError::EmptyPool) => {
                        tracing::error!(channel = %channel.external_id, "no prompts for this channel; slot skipped");
                        self.db.set_last_slot(row.id, slot.timestamp()).await?;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
        self.refresh_schedule(row.id).await
    }

    /// Writes the pending post row with its prompt (a given one, or the next of
    /// the channel's rotation). `None`: the slot was claimed before.
    pub(super) async fn claim(
        &self,
        new: &NewPost,
        wanted: Option<Arc<Prompt>>,
        pool: &[Arc<Prompt>],
    ) -> Result<Option<PostRow>, PostError> {
        if wanted.is_none() && pool.is_empty() {
            return Err(PostError::EmptyPool);
        }
        let claimed = self
            .db
            .claim_post(new, |used| match wanted {
                Some(prompt) => {
                    let left = pool
                        .iter()
                        .filter(|p| !used.contains(&p.id) && p.id != prompt.id)
                        .count();
                    Some(Draw {
                        prompt,
                        new_cycle: false,
                        left,
                    })
                }
                None => rotation::draw(pool, used, &mut *self.rng.lock().unwrap()),
            })
            .await
            .map_err(anyhow::Error::from)?;
        let Some((post, draw)) = claimed else {
            return Ok(None);
        };
        tracing::info!(post = post.id, channel_id = post.channel_id, prompt = %post.prompt_id, slot = ?post.slot_at, "slot claimed");
        if draw.new_cycle {
            tracing::info!(
                channel_id = post.channel_id,
                "every prompt has been posted once: a new rotation cycle starts"
            );
        }
        if draw.left == 1 {
            // once per cycle; a rotation about to wrap is healthy, so INFO
            // (admins see it in `status`)
            tracing::info!(
                channel_id = post.channel_id,
                "one prompt left before the rotation wraps and prompts start to repeat"
            );
        }
        Ok(Some(post))
    }

    /// Takes a claimed post as far as it goes: sent, then its thread opened.
    /// `recovering`: the post may already have been sent (after a crash or a
    /// failed attempt), so look for it by its key before sending.
    /// `known`: the post's channel and schedule rows when the caller has just
    /// read them (a fire), so they are not read again.
    pub(super) async fn deliver(
        &self,
        post: PostRow,
        known: Option<Known>,
        recovering: bool,
    ) -> anyhow::Result<()> {
        let (channel, schedule) = match known {
            Some(k) => (k.channel, Some(k.schedule)),
            None => (self.db.channel(post.channel_id).await?, None),
        };
        let slot = post
            .slot_at
            .and_then(|t| DateTime::from_timestamp(t, 0))
            .map_or("now".to_string(), |t| t.to_rfc3339());
        let span = tracing::info_span!("post", post = post.id, channel = %channel.external_id, platform = %post.platform, slot = %slot);
        self.deliver_in(post, channel, schedule, recovering)
            .instrument(span)
            .await
    }

    async fn deliver_in(
        &self,
        post: PostRow,
        channel: crate::db::ChannelRow,
        schedule: Option<Option<crate::db::ScheduleRow>>,
        recovering: bool,
    ) -> anyhow::Result<()> {
        let Some(chat) = self.chat(&post.platform).cloned() else {
            // The platform is not configured in this run: leave it for a run that has it.
            tracing::warn!(post = post.id, platform = %post.platform, "platform not running; post left pending");
            return Ok(());
        };
        let now = self.clock.now();
        let schedule = match (schedule, post.schedule_id) {
            (Some(known), _) => known,
            (None, Some(id)) => self.db.schedule(id).await?,
            (None, None) => None,
        };
        let prompt = outgoing(&post, schedule.as_ref().and_then(|s| s.ping.clone()));
        let late_by = now.timestamp() - post.slot_at.unwrap_or(post.created_at);
        let mut changed = false;
        if post.state == PostState::Pending
            && late_by > self.settings.catch_up.window().num_seconds()
        {
            let reason = format!("not sent: {}s late, beyond the catch-up window", late_by);
            // Only give up once we know it was not sent after all.
            let since = DateTime::from_timestamp(post.created_at, 0).unwrap_or_default();
            match chat.find_post(&channel.external_id, &prompt, since).await {
                Ok(Lookup::Sent(posted)) => {
                    self.db
                        .mark_sent(
                            post.id,
                            &posted.message_id,
                            &posted.thread_id,
                            now.timestamp(),
                        )
                        .await?;
                    changed = true;
                }
                Ok(Lookup::NotSent) => {
                    tracing::warn!("{reason}");
                    crate::metrics::post(&post.platform, "failed");
                    self.db.mark_failed(post.id, &reason).await?;
                    return Ok(());
                }
                Ok(Lookup::Unknown(why)) => {
                    return self.uncertain(&post, &channel.external_id, &why).await;
                }
                // The look itself failed: that says nothing about the post.
                Err(e) => return self.failed(&post, &channel.external_id, e).await,
            }
        }
        // A post claimed just now is as its claim returned it; one taken up
        // again (or just found sent) is read afresh.
        let mut post = if recovering || changed {
            self.db.post(post.id).await?.context("post vanished")?
        } else {
            post
        };
        if post.state == PostState::Pending {
            match self
                .send(&*chat, &channel.external_id, &post, &prompt, recovering)
                .await
            {
                Ok(Sent::Uncertain(why)) => {
                    return self.uncertain(&post, &channel.external_id, &why).await;
                }
                Ok(Sent::Posted(posted)) => {
                    let marked = self
                        .db
                        .mark_sent(
                            post.id,
                            &posted.message_id,
                            &posted.thread_id,
                            now.timestamp(),
                        )
                        .await?;
                    tracing::info!(message_id = %posted.message_id, "prompt posted");
                    crate::metrics::post(&post.platform, "posted");
                    let late_ms =
                        now.timestamp_millis() - post.slot_at.unwrap_or(post.created_at) * 1000;
                    crate::metrics::lateness(&post.platform, late_ms as f64 / 1000.0);
                    post = match marked {
                        Some(row) => row,
                        // closed or failed meanwhile: as it is now
                        None => self.db.post(post.id).await?.context("post vanished")?,
                    };
                }
                Err(e) => return self.failed(&post, &channel.external_id, e).await,
            }
        }
        if post.state == PostState::Sent {
            let posted = Posted {
                message_id: post.message_id.clone().unwrap_or_default(),
                thread_id: post.thread_id.clone().unwrap_or_default(),
            };
            let open_for = self.settings.thread_open.to_std().unwrap_or_default();
            match chat
                .open_thread(&channel.external_id, &posted, &post.prompt_title, open_for)
                .await
            {
                Ok(()) => {
                    let close_at = now + self.settings.thread_open;
                    self.db.mark_open(post.id, close_at.timestamp()).await?;
                    self.agenda
                        .lock()
                        .unwrap()
                        .push(close_at.timestamp(), Job::Close(post.id));
                    self.wake.notify_one();
                    tracing::info!(thread = %posted.thread_id, "thread opened");
                    if let Some(s) = schedule.as_ref().filter(|s| s.pin) {
                        self.pin_newest(&*chat, &channel.external_id, &post, s.id)
                            .await?;
                    }
                }
                Err(e) => return self.failed(&post, &channel.external_id, e).await,
            }
        }
        Ok(())
    }

    /// Pins a schedule's newest prompt and unpins the ones before it. A pin
    /// that fails is logged with what is missing; the post stands.
    async fn pin_newest(
        &self,
        chat: &dyn Chat,
        channel: &str,
        post: &PostRow,
        schedule_id: i64,
    ) -> anyhow::Result<()> {
        let Some(message) = post.message_id.as_deref() else {
            return Ok(());
        };
        match chat.set_pinned(channel, message, true).await {
            Ok(()) => self.db.set_post_pinned(post.id, true).await?,
            Err(e) => {
                tracing::warn!(post = post.id, error = %e, "could not pin the prompt");
                crate::metrics::error("pin");
                return Ok(());
            }
        }
        for old in self.db.pinned_posts(schedule_id, post.id).await? {
            let Some(m) = old.message_id.as_deref() else {
                continue;
            };
            match chat.set_pinned(channel, m, false).await {
                Ok(()) | Err(ChatError::Gone(_)) => self.db.set_post_pinned(old.id, false).await?,
                Err(e) => {
                    tracing::warn!(post = old.id, error = %e, "could not unpin the previous prompt")
                }
            }
        }
        Ok(())
    }

    async fn send(
        &self,
        chat: &dyn Chat,
        channel: &str,
        post: &PostRow,
        prompt: &OutgoingPrompt,
        recovering: bool,
    ) -> Result<Sent, ChatError> {
        if recovering || post.attempts > 0 {
            let since = DateTime::from_timestamp(post.created_at, 0).unwrap_or_default();
            match chat.find_post(channel, prompt, since).await? {
                Lookup::Sent(found) => {
                    tracing::info!(
                        post = post.id,
                        "found the prompt already sent; not sending again"
                    );
                    return Ok(Sent::Posted(found));
                }
                Lookup::NotSent => {}
                Lookup::Unknown(why) => return Ok(Sent::Uncertain(why)),
            }
        }
        chat.post_prompt(channel, prompt).await.map(Sent::Posted)
    }

    /// Start-up: every post a crash left unconfirmed is taken to the end
    /// (but never one another live process holds: see [`Self::retry`]).
    pub(super) async fn reconcile(&self) -> anyhow::Result<()> {
        for post in self.db.unfinished_posts().await? {
            tracing::info!(post = post.id, state = %post.state, "reconciling a post left unfinished");
            self.retry(post.id).await?;
        }
        Ok(())
    }
}
