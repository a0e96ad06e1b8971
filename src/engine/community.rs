//! Which channel a thread belongs to. (Member suggestions, reflections,
//! `forget-me` and the permission self-check, once in this file, are in
//! `suggestions`, `reflections`, `forget` and `permissions`.)
//!
//! Who may change a stored reply: an edit is applied only when it comes from
//! the reply's own author, in the channel (room) the reply's prompt is in; a
//! message Ponder posted for someone (a reflection, anonymous or not) is
//! Ponder's own and no member's edit touches it. A deletion is applied only
//! from the reply's own channel (the platform checks who may delete there).
//! The reply writer enforces both (`Change::EditedBy`, `Change::DeletedFrom`
//! in `ingest`, checked inside the batch's transaction in
//! `db/reply_batch.rs`). A reply or a command in a prompt's thread counts
//! only from that prompt's channel: naming another room's prompt (a Matrix
//! `m.in_reply_to` across rooms) reaches nothing.

use super::Engine;

impl Engine {
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
