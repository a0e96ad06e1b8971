//! Reply collection: every message in a prompt's thread is stored once, with
//! its later edits and deletion; replies written while the bot was away are
//! fetched at start and after each reconnect.
//!
//! # Catching up
//!
//! Live events are stored as they come, so the newest stored reply says
//! nothing about what came before it (an event stream that started late, a
//! batch that failed). Each post's thread therefore has a high-water mark
//! (`posts.replies_read_to`): the last message up to which a read of the
//! thread had no gap. Only such a read moves it: a catch-up asks the
//! platform for everything after the mark, stores it, and moves the mark to
//! the last message it got, in one transaction; a read that fails leaves it.
//! Live events never move it, so after a crash the next start reads again
//! everything the live stream stored since the last catch-up, and nothing
//! between two catch-ups can be skipped.
//!
//! At start (before any live stream runs) a platform whose history shows
//! each message as it is now ([`Chat::rechecks_replies`](super::Chat::rechecks_replies): Discord) has each
//! thread read whole instead, and the read compared with what is stored:
//! a message not stored is added, a stored reply whose text differs takes the
//! new text, and a stored reply written before the read that the platform
//! no longer has is marked deleted (its text forgotten). Ponder's own relayed
//! reflections are left alone (the platform's answer leaves out the bot's
//! messages). A reconnect catch-up only adds: an edit or deletion made during
//! a gateway outage that Discord did not replay is applied at the next start.
//!
//! Threads read: every open one, and those closed within
//! [`CLOSED_THREADS_READ_FOR`] (replies written after closing still count).
//!
//! Every path that stores a reply's text (the gateway queue, catch-up, the
//! console, reflections, edits) keeps at most [`crate::text::MAX_REPLY_CHARS`]
//! characters of it, cut with a marker: one cap for every platform.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::Engine;
use super::ingest::new_reply;
use super::port::IncomingReply;
use crate::db::{NewReply, PostRow, ReplyChange, ReplyRow};

/// How long after its closing a thread is still read for replies at start
/// and after a reconnect: a week. Discord keeps archived threads readable for
/// good, but reading every old thread at each start would grow without
/// bound; replies written into a thread closed longer ago while Ponder was
/// down are not collected (the live stream stores them whenever Ponder is up).
pub const CLOSED_THREADS_READ_FOR: chrono::Duration = chrono::Duration::days(7);

/// What a catch-up changed.
#[derive(Debug, Default, Clone, Copy)]
struct Found {
    new: usize,
    edited: usize,
    deleted: usize,
}

impl std::ops::AddAssign for Found {
    fn add_assign(&mut self, o: Found) {
        self.new += o.new;
        self.edited += o.edited;
        self.deleted += o.deleted;
    }
}

impl Engine {
    /// Stores a message written in a thread. Returns false when the thread is
    /// not a prompt's or the message was stored before.
    pub async fn on_reply(&self, platform: &str, reply: &IncomingReply) -> anyhow::Result<bool> {
        self.store_reply(platform, reply, false, false).await
    }

    /// Stores a reply; `anonymous` when its author id is a keyed hash,
    /// `relayed` when Ponder posted it for the member.
    pub(super) async fn store_reply(
        &self,
        platform: &str,
        reply: &IncomingReply,
        anonymous: bool,
        relayed: bool,
    ) -> anyhow::Result<bool> {
        let Some(post) = self.db.post_by_thread(platform, &reply.thread_id).await? else {
            return Ok(false);
        };
        if post.message_id.as_deref() == Some(reply.message_id.as_str()) {
            return Ok(false); // the prompt itself
        }
        let reply = capped(reply);
        let stored = self
            .db
            .insert_reply(&NewReply {
                post_id: post.id,
                platform,
                message_id: &reply.message_id,
                author_id: &reply.author_id,
                author_name: &reply.author_name,
                body: &reply.text,
                created_ms: reply.at.timestamp_millis(),
                anonymous,
                relayed,
            })
            .await?;
        if stored {
            tracing::info!(post = post.id, message = %reply.message_id, "reply stored");
            crate::metrics::reply(platform);
        }
        Ok(stored)
    }

    /// A stored reply was edited.
    pub async fn on_reply_edited(
        &self,
        platform: &str,
        message_id: &str,
        text: &str,
    ) -> anyhow::Result<bool> {
        let now = self.clock.now().timestamp();
        let text = crate::text::cap_reply(text);
        Ok(self.db.edit_reply(platform, message_id, &text, now).await?)
    }

    /// A stored reply was deleted: its text is forgotten.
    pub async fn on_reply_deleted(&self, platform: &str, message_id: &str) -> anyhow::Result<bool> {
        let now = self.clock.now().timestamp();
        Ok(self.db.delete_reply(platform, message_id, now).await?)
    }

    /// A message in `thread` was deleted. Where events can overtake each
    /// other (serenity hands Discord's events to handlers concurrently), a
    /// deletion can come before or while its message is stored: a tombstone
    /// is written first, so the message is either never stored or stored and
    /// then marked deleted, whatever the order.
    pub async fn on_reply_deleted_in(
        &self,
        platform: &str,
        thread: &str,
        message_id: &str,
    ) -> anyhow::Result<bool> {
        let at = self.clock.now().timestamp();
        let mut changes = Vec::new();
        if self.db.post_by_thread(platform, thread).await?.is_some() {
            changes.push(ReplyChange::Tombstone {
                platform,
                message_id,
                at,
            });
        }
        changes.push(ReplyChange::Deleted {
            platform,
            message_id,
            at,
        });
        let done = self.db.apply_reply_changes(&changes).await?;
        Ok(done.last().copied().unwrap_or(false))
    }

    /// An edit whose message may not be stored yet (events overtaking each
    /// other): one statement stores the edited text whether the message is
    /// new or not, so its original, stored before or after, never wins.
    pub async fn on_reply_edited_or_new(
        &self,
        platform: &str,
        reply: &IncomingReply,
    ) -> anyhow::Result<bool> {
        let Some(post) = self.db.post_by_thread(platform, &reply.thread_id).await? else {
            return Ok(false);
        };
        if post.message_id.as_deref() == Some(reply.message_id.as_str()) {
            return Ok(false);
        }
        let at = self.clock.now().timestamp();
        let reply = capped(reply);
        let reply = super::ingest::new_reply(post.id, platform, &reply);
        let done = self
            .db
            .apply_reply_changes(&[ReplyChange::Upsert { reply, at }])
            .await?;
        Ok(done[0])
    }

    /// The reconnect catch-up (after a gateway READY or RESUMED, a Matrix
    /// sync): for each thread to read (see [`CLOSED_THREADS_READ_FOR`]), the
    /// messages after its high-water mark are stored. Only adds: a live
    /// stream runs beside it, and a page read a moment ago must not undo an
    /// edit or a deletion that has just come in. Returns how many were new.
    pub async fn collect_missed_replies(&self) -> anyhow::Result<usize> {
        self.catch_up_replies(false).await
    }

    /// The start-up catch-up, before any live stream runs: like
    /// [`Engine::collect_missed_replies`], and where the platform's history
    /// shows each message as it is now ([`Chat::rechecks_replies`](super::Chat::rechecks_replies)) each
    /// thread is read whole and compared with what is stored, so edits and
    /// deletions made while Ponder was down are applied too.
    pub async fn recheck_replies(&self) -> anyhow::Result<usize> {
        self.catch_up_replies(true).await
    }

    async fn catch_up_replies(&self, recheck: bool) -> anyhow::Result<usize> {
        // One catch-up at a time: two could move a mark backwards.
        let _one = self.ingest.catching_up.lock().await;
        let since = self.clock.now() - CLOSED_THREADS_READ_FOR;
        let mut found = Found::default();
        for t in self.db.threads_to_read(since.timestamp()).await? {
            let post = &t.post;
            let (Some(chat), Some(thread)) = (self.chat(&post.platform).cloned(), &post.thread_id)
            else {
                continue;
            };
            let whole = recheck && chat.rechecks_replies();
            let after = if whole {
                None
            } else {
                t.replies_read_to.as_deref()
            };
            let channel = self.db.channel(post.channel_id).await?;
            let asked_at = self.clock.now().timestamp_millis();
            match chat
                .replies_after(&channel.external_id, thread, after)
                .await
            {
                Ok(messages) => {
                    let asked_at = whole.then_some(asked_at);
                    found += self.apply_thread(post, &messages, asked_at).await?;
                }
                Err(e) => {
                    // The mark stays: the next catch-up reads from there again.
                    tracing::warn!(post = post.id, error = %e, "could not read the thread's missed replies")
                }
            }
        }
        if found.new + found.edited + found.deleted > 0 {
            tracing::info!(
                replies = found.new,
                edited = found.edited,
                deleted = found.deleted,
                "collected replies written while away"
            );
        }
        Ok(found.new)
    }

    /// Stores what a read of a post's thread found and moves its mark to the
    /// last message read, in one transaction. `asked_at` (milliseconds) is
    /// set when `messages` is the whole thread as it is now: a stored reply
    /// written before then and not among them was deleted, and one whose
    /// text differs was edited.
    async fn apply_thread(
        &self,
        post: &PostRow,
        messages: &[IncomingReply],
        asked_at: Option<i64>,
    ) -> anyhow::Result<Found> {
        let platform = post.platform.as_str();
        let stored: HashMap<String, ReplyRow> = match asked_at {
            Some(_) => self
                .db
                .all_replies_of(post.id)
                .await?
                .into_iter()
                .map(|r| (r.message_id.clone(), r))
                .collect(),
            None => HashMap::new(),
        };
        let now = self.clock.now().timestamp();
        let prompt = post.message_id.as_deref();
        let mut changes = Vec::new();
        let mut seen = HashSet::new();
        for m in messages {
            if prompt == Some(m.message_id.as_str()) {
                continue;
            }
            seen.insert(m.message_id.as_str());
            match stored.get(&m.message_id) {
                None => changes.push(ReplyChange::New(new_reply(post.id, platform, m))),
                // An empty text is never taken for an edit: a Discord bot
                // that lost the message content intent reads every message
                // as empty, and a real message is never empty text alone.
                Some(row)
                    if row.deleted_at.is_none()
                        && !row.relayed
                        && !m.text.is_empty()
                        && row.body.as_deref() != Some(m.text.as_str()) =>
                {
                    changes.push(ReplyChange::Edited {
                        platform,
                        message_id: &m.message_id,
                        body: &m.text,
                        at: now,
                    })
                }
                Some(_) => {}
            }
        }
        if let Some(asked_at) = asked_at {
            // Ponder's own messages (relayed reflections) are not in the
            // platform's answer, and a reply newer than the question may have
            // come in over a live stream since: neither was deleted.
            for row in stored.values() {
                let written = row.created_ms.unwrap_or(row.created_at * 1000);
                if row.deleted_at.is_none()
                    && !row.relayed
                    && written <= asked_at
                    && !seen.contains(row.message_id.as_str())
                {
                    changes.push(ReplyChange::Deleted {
                        platform,
                        message_id: &row.message_id,
                        at: now,
                    });
                }
            }
        }
        if let Some(last) = messages.last() {
            changes.push(ReplyChange::ReadTo {
                post_id: post.id,
                message_id: &last.message_id,
            });
        }
        if changes.is_empty() {
            return Ok(Found::default());
        }
        let done = self.db.apply_reply_changes(&changes).await?;
        let mut found = Found::default();
        for (change, changed) in changes.iter().zip(done) {
            match (change, changed) {
                (ReplyChange::New(r), true) => {
                    crate::metrics::reply(r.platform);
                    found.new += 1;
                }
                (ReplyChange::Edited { .. }, true) => found.edited += 1,
                (ReplyChange::Deleted { .. }, true) => found.deleted += 1,
                _ => {}
            }
        }
        Ok(found)
    }

    /// The thread a plain message in this channel answers: the newest open one.
    pub async fn current_thread(
        &self,
        platform: &str,
        channel: &str,
    ) -> anyhow::Result<Option<String>> {
        let Some(ch) = self.db.find_channel(platform, channel).await? else {
            return Ok(None);
        };
        Ok(self.db.current_post(ch.id).await?.and_then(|p| p.thread_id))
    }
}

/// The reply with its text cut to the cap (borrowed when it fits).
pub(super) fn capped(reply: &IncomingReply) -> Cow<'_, IncomingReply> {
    match crate::text::cap_reply(&reply.text) {
        Cow::Borrowed(_) => Cow::Borrowed(reply),
        Cow::Owned(text) => Cow::Owned(IncomingReply {
            text,
            ..reply.clone()
        }),
    }
}
