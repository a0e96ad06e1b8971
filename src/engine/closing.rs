//! Closing a prompt's thread when its time is up: the digest first (see
//! [`super::digest`]), then the thread archived and the post marked closed.
//! A digest that fails for a passing reason puts the close back on the
//! agenda. The last step of the posting lifecycle in [`super::posting`].

use super::Engine;
use super::scheduler::Job;
use crate::db::PostState;

impl Engine {
    pub(super) async fn close(&self, post_id: i64) -> anyhow::Result<()> {
        let Some(post) = self.db.post(post_id).await? else {
            return Ok(());
        };
        if post.state != PostState::Open {
            return Ok(());
        }
        let now = self.clock.now();
        if post.close_at.is_some_and(|t| t > now.timestamp()) {
            return Ok(());
        }
        let channel = self.db.channel(post.channel_id).await?;
        if !self.serves(&channel) {
            return Ok(()); // another process's shard: it closes its own
        }
        if let (Some(chat), Some(thread)) = (self.chat(&post.platform), post.thread_id.as_deref()) {
            // The digest goes first: on Discord a message unarchives a thread.
            if !self.send_digest(&**chat, &channel, &post, thread).await? {
                // A passing failure: close (and try the digest) again later.
                let at = now + self.settings.retry_after;
                self.agenda
                    .lock()
                    .unwrap()
                    .push(at.timestamp(), Job::Close(post.id));
                self.wake.notify_one();
                return Ok(());
            }
            if let Err(e) = chat.close_thread(&channel.external_id, thread).await {
                tracing::warn!(post = post.id, error = %e, "could not archive the thread; marking it closed anyway");
            }
        } else {
            return Ok(()); // platform not running: close it when it is
        }
        self.db.mark_closed(post.id, now.timestamp()).await?;
        tracing::info!(post = post.id, channel = %channel.external_id, "thread closed");
        Ok(())
    }
}
