//! When a post does not go out. A passing failure (or any error after the
//! claim) puts a retry on the agenda, with a backoff that doubles per
//! attempt; a refusal marks the post failed with its reason and the
//! schedule goes on; a channel that is gone is paused; a post the platform
//! cannot account for is recorded as uncertain and never sent again on a
//! guess. The retry itself, when its time comes, takes the post up again
//! unless another live process holds it. Part of the posting lifecycle in
//! [`super::posting`].

use chrono::Duration;
use rand::Rng;

use super::Engine;
use super::port::ChatError;
use super::scheduler::Job;
use crate::db::{PostRow, Taken};

impl Engine {
    /// [`Engine::deliver`], and should it fail (a storage error, say), a
    /// retry on the agenda: the slot is claimed, so no later fire would
    /// take it up again.
    pub(super) async fn deliver_or_retry(
        &self,
        post: PostRow,
        known: Option<super::posting::Known>,
        recovering: bool,
    ) -> anyhow::Result<()> {
        let (id, attempts) = (post.id, post.attempts);
        let result = self.deliver(post, known, recovering).await;
        if let Err(e) = &result {
            let delay = self.settings.retry_after * 2i32.pow(attempts.clamp(0, 6) as u32);
            let at = self.clock.now() + delay;
            tracing::warn!(post = id, error = %format!("{e:#}"), retry_at = %at, "could not finish the post; will retry");
            // Best effort: the agenda entry is what brings it back in this run.
            let _ = self
                .db
                .mark_retry(id, &format!("{e:#}"), at.timestamp())
                .await;
            self.agenda
                .lock()
                .unwrap()
                .push(at.timestamp(), Job::Retry(id));
            self.wake.notify_one();
        }
        result
    }

    /// The platform cannot tell whether the post went out: record it, say
    /// so where admins and operators look, and send nothing.
    pub(super) async fn uncertain(
        &self,
        post: &PostRow,
        channel: &str,
        why: &str,
    ) -> anyhow::Result<()> {
        let reason = format!(
            "uncertain: Ponder cannot tell whether this prompt reached the channel ({why}), so it did not send it again; if \"{}\" is missing there, post it with `now` (prompt {})",
            post.prompt_title, post.prompt_id
        );
        tracing::error!(post = post.id, channel, prompt = %post.prompt_id, error = %why, "post uncertain: not sent again; if the prompt is missing from the channel, an admin can post it with `now`");
        crate::metrics::post(&post.platform, "uncertain");
        self.db.mark_failed(post.id, &reason).await?;
        Ok(())
    }

    pub(super) async fn failed(
        &self,
        post: &PostRow,
        channel: &str,
        e: ChatError,
    ) -> anyhow::Result<()> {
        match &e {
            ChatError::Transient(why) => {
                let delay = self.settings.retry_after * 2i32.pow(post.attempts.clamp(0, 6) as u32);
                let jitter = Duration::milliseconds(self.rng.lock().unwrap().random_range(0..1000));
                let at = self.clock.now() + delay + jitter;
                tracing::warn!(post = post.id, channel, error = %why, retry_at = %at, "send failed; will retry");
                crate::metrics::post(&post.platform, "retried");
                self.db.mark_retry(post.id, why, at.timestamp()).await?;
                self.agenda
                    .lock()
                    .unwrap()
                    .push(at.timestamp(), Job::Retry(post.id));
                self.wake.notify_one();
            }
            ChatError::Refused(why) => {
                tracing::error!(post = post.id, channel, error = %why, "post failed; the schedule goes on");
                crate::metrics::post(&post.platform, "failed");
                self.db.mark_failed(post.id, why).await?;
            }
            ChatError::Gone(why) => {
                tracing::error!(post = post.id, channel, error = %why, "channel gone; its schedules are paused");
                crate::metrics::post(&post.platform, "failed");
                self.db.mark_failed(post.id, why).await?;
                self.db
                    .set_channel_paused(post.channel_id, true, Some(why))
                    .await?;
                self.rebuild_agenda().await?;
            }
        }
        Ok(())
    }

    /// Takes an unfinished post to the end, if no other live process holds
    /// its lease; one that does is looked at again when the lease expires.
    pub(super) async fn retry(&self, post_id: i64) -> anyhow::Result<()> {
        // another process's shard (or a server not known yet): not taken here
        if self.serves_part()
            && let Some(post) = self.db.post(post_id).await?
            && !self.serves(&self.db.channel(post.channel_id).await?)
        {
            tracing::debug!(
                post = post_id,
                "not this process's channel; the post is left to the process serving it"
            );
            return Ok(());
        }
        match self
            .db
            .take_post(post_id, self.clock.now().timestamp())
            .await?
        {
            Taken::Post(post) => self.deliver_or_retry(*post, None, true).await,
            Taken::HeldUntil(until) => {
                tracing::info!(
                    post = post_id,
                    "another Ponder process holds this post; looking again when its lease expires"
                );
                self.agenda
                    .lock()
                    .unwrap()
                    .push(until + 1, Job::Retry(post_id));
                self.wake.notify_one();
                Ok(())
            }
            Taken::Finished => Ok(()),
        }
    }
}
