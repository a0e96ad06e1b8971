//! Edits and deletions of stored replies from a platform. (Member suggestions,
//! reflections, `forget-me` and the permission self-check, once in this
//! file, are in `suggestions`, `reflections`, `forget` and `permissions`.)
//!
//! Who may change a stored reply: an edit is applied only when it comes from
//! the reply's own author, in the channel (room) the reply's prompt is in; a
//! message Ponder posted for someone (a reflection, anonymous or not) is
//! Ponder's own and no member's edit touches it. A deletion is applied only
//! from the reply's own channel (the platform checks who may delete there).
//! A reply or a command in a prompt's thread counts only from that prompt's
//! channel: naming another room's prompt (a Matrix `m.in_reply_to` across
//! rooms) reaches nothing.

use super::Engine;

impl Engine {
    /// An edit of a stored reply, applied only when `editor` wrote the reply
    /// and the edit was made in the reply's own channel (see the module
    /// docs). Returns whether the stored text changed.
    pub async fn on_reply_edited_by(
        &self,
        platform: &str,
        channel: &str,
        editor: &str,
        message_id: &str,
        text: &str,
    ) -> anyhow::Result<bool> {
        let Some((reply, home)) = self.db.reply_and_channel(platform, message_id).await? else {
            return Ok(false);
        };
        if home != channel || reply.relayed || reply.anonymous || reply.author_id != editor {
            tracing::info!(message = %message_id, "ignored an edit by someone other than the reply's author, or from another room");
            return Ok(false);
        }
        self.on_reply_edited(platform, message_id, text).await
    }

    /// A deletion of a stored reply, applied only from the reply's own channel.
    pub async fn on_reply_deleted_from(
        &self,
        platform: &str,
        channel: &str,
        message_id: &str,
    ) -> anyhow::Result<bool> {
        match self.db.reply_and_channel(platform, message_id).await? {
            Some((_, home)) if home == channel => self.on_reply_deleted(platform, message_id).await,
            _ => Ok(false),
        }
    }

    /// Whether `thread` is the thread of a prompt posted in `channel`.
    pub async fn thread_in_channel(
        &self,
        platform: &str,
        thread: &str,
        channel: &str,
    ) -> anyhow::Result<bool> {
        let Some(post) = self.db.post_by_thread(platform, thread).await? else {
            return Ok(false);
        };
        Ok(self.db.channel(post.channel_id).await?.external_id == channel)
    }
}
