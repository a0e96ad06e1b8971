//! Reply collection: every message in a prompt's thread is stored once, with
//! its later edits and deletion; replies written while the bot was away are
//! fetched at start.
//!
//! Every path that stores a reply's text (the gateway queue, catch-up, the
//! console, reflections, edits) keeps at most [`crate::text::MAX_REPLY_CHARS`]
//! characters of it, cut with a marker: one cap for every platform.

use std::borrow::Cow;

use super::Engine;
use super::port::IncomingReply;
use crate::db::{NewReply, PostState, ReplyChange};

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

    /// For each open thread, asks its platform for the messages after the
    /// last one stored.
    pub async fn collect_missed_replies(&self) -> anyhow::Result<usize> {
        let mut total = 0;
        for post in self.db.posts_in_state(PostState::Open).await? {
            let (Some(chat), Some(thread)) =
                (self.chat(&post.platform).cloned(), post.thread_id.clone())
            else {
                continue;
            };
            let channel = self.db.channel(post.channel_id).await?;
            let after = self.db.last_reply_id(post.id).await?;
            match chat
                .replies_after(&channel.external_id, &thread, after.as_deref())
                .await
            {
                Ok(replies) => {
                    for r in &replies {
                        if self.on_reply(&post.platform, r).await? {
                            total += 1;
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(post = post.id, error = %e, "could not read the thread's missed replies")
                }
            }
        }
        if total > 0 {
            tracing::info!(replies = total, "collected replies written while away");
        }
        Ok(total)
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
