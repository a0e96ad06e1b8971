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
//! At start, and after each new gateway session (a READY: Discord replays
//! nothing from before it), a platform whose history shows each message as
//! it is now ([`Chat::rechecks_replies`](super::Chat::rechecks_replies): Discord) has each
//! thread read whole instead, and the read compared with what was stored
//! before it began: a message not stored is added, a stored reply whose text
//! differs takes the new text unless a live edit changed it meanwhile, and a
//! stored reply written before the read that the platform no longer has is
//! marked deleted (its text forgotten). Ponder's own relayed reflections are
//! left alone (the platform's answer leaves out the bot's messages). A
//! resumed session's catch-up only adds: Discord replayed its edits and
//! deletions.
//!
//! Threads read: every open one, and those closed within
//! [`CLOSED_THREADS_READ_FOR`] (replies written after closing still count).
//!
//! Live replies, edits and deletions of every platform, and reflections,
//! are stored by the reply writer (`ingest.rs`); a catch-up stores what it
//! reads itself, in one transaction with the thread's mark. The writer
//! keeps at most [`crate::text::MAX_REPLY_CHARS`] characters of a reply's
//! text, cut with a marker, whatever the platform.

use std::collections::{HashMap, HashSet};

use super::Engine;
use super::ingest::{Change, new_reply};
use super::port::IncomingReply;
use crate::db::{ChannelRow, PostRow, ReplyChange, ReplyRow};

/// How long after its closing a thread is still read for replies at start
/// and after a reconnect: a week. Discord keeps archived threads readable for
/// good, but reading every old thread at each start would grow without
/// bound; replies written into a thread closed longer ago while Ponder was
/// down are not collected (the live stream stores them whenever Ponder is up).
pub const CLOSED_THREADS_READ_FOR: chrono::Duration = chrono::Duration::days(7);

/// What was stored, and when, before a whole read of a thread began.
struct Before {
    /// Milliseconds.
    asked_at: i64,
    stored: Vec<ReplyRow>,
}

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
    /// Stores a reply Ponder posted into a thread itself (a reflection)
    /// through the reply writer, and waits for it: `anonymous` when its
    /// author id is a keyed hash, `relayed` when Ponder posted it for the
    /// member. Returns false when the thread is not a prompt's or the
    /// message was stored before.
    pub(super) async fn store_reply(
        &self,
        platform: &str,
        reply: &IncomingReply,
        anonymous: bool,
        relayed: bool,
    ) -> anyhow::Result<bool> {
        let Some(chat) = self.chat(platform) else {
            anyhow::bail!("no platform {platform} runs");
        };
        let change = Change::Reflection {
            reply: reply.clone(),
            anonymous,
            relayed,
        };
        self.write_reply(chat.platform(), change).await
    }

    /// The reconnect catch-up (after a gateway RESUMED, whose replay brings
    /// the edits and deletions): for each thread to read (see
    /// [`CLOSED_THREADS_READ_FOR`]), the messages after its high-water mark
    /// are stored. Only adds. Returns how many were new.
    pub async fn collect_missed_replies(&self) -> anyhow::Result<usize> {
        self.catch_up_replies(false, &|_| true).await
    }

    /// [`Engine::collect_missed_replies`] for the threads of the channels
    /// `keep` takes only (one Discord shard's resumed session).
    pub async fn collect_missed_replies_of(
        &self,
        keep: &(dyn Fn(&ChannelRow) -> bool + Sync),
    ) -> anyhow::Result<usize> {
        self.catch_up_replies(false, keep).await
    }

    /// The start-up catch-up, and the one after a new gateway session (a
    /// READY: nothing from before it is replayed): like
    /// [`Engine::collect_missed_replies`], and where the platform's history
    /// shows each message as it is now ([`Chat::rechecks_replies`](super::Chat::rechecks_replies)) each
    /// thread is read whole and compared with what was stored before the
    /// read, so edits and deletions made while Ponder was away are applied
    /// too. A live stream may run beside it: an edit it stores while the
    /// read is under way is newer than the page and is kept.
    pub async fn recheck_replies(&self) -> anyhow::Result<usize> {
        self.catch_up_replies(true, &|_| true).await
    }

    /// [`Engine::recheck_replies`] for the threads of the channels `keep`
    /// takes only (one Discord shard's new session: its guilds' channels).
    pub async fn recheck_replies_of(
        &self,
        keep: &(dyn Fn(&ChannelRow) -> bool + Sync),
    ) -> anyhow::Result<usize> {
        self.catch_up_replies(true, keep).await
    }

    async fn catch_up_replies(
        &self,
        recheck: bool,
        keep: &(dyn Fn(&ChannelRow) -> bool + Sync),
    ) -> anyhow::Result<usize> {
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
            if !keep(&channel) || !self.serves(&channel) {
                continue;
            }
            // What is stored before the read begins: the read's page is
            // compared with it, and an edit is applied only to a reply still
            // as it was then (a live edit stored meanwhile is newer).
            let before = match whole {
                true => Some(Before {
                    asked_at: self.clock.now().timestamp_millis(),
                    stored: self.db.all_replies_of(post.id).await?,
                }),
                false => None,
            };
            match chat
                .replies_after(&channel.external_id, thread, after)
                .await
            {
                Ok(messages) => {
                    found += self.apply_thread(post, &messages, before).await?;
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
    /// last message read, in one transaction. `before` is given when
    /// `messages` is the whole thread as it is now: a reply stored before the
    /// read began and not among them was deleted, and one whose text differs
    /// was edited (unless a live edit changed it since).
    async fn apply_thread(
        &self,
        post: &PostRow,
        messages: &[IncomingReply],
        before: Option<Before>,
    ) -> anyhow::Result<Found> {
        // The texts as they would be kept (capped, no NUL): compared with
        // what is stored, a reply kept so is not taken for an edit.
        let messages: Vec<IncomingReply> = messages
            .iter()
            .map(|m| match crate::text::kept_reply(&m.text) {
                std::borrow::Cow::Borrowed(_) => m.clone(),
                std::borrow::Cow::Owned(text) => IncomingReply { text, ..m.clone() },
            })
            .collect();
        let messages = messages.as_slice();
        let platform = post.platform.as_str();
        let asked_at = before.as_ref().map(|b| b.asked_at);
        let stored: HashMap<&str, &ReplyRow> = before
            .as_ref()
            .map(|b| {
                b.stored
                    .iter()
                    .map(|r| (r.message_id.as_str(), r))
                    .collect()
            })
            .unwrap_or_default();
        let now = self.clock.now().timestamp();
        let prompt = post.message_id.as_deref();
        let mut changes = Vec::new();
        let mut seen = HashSet::new();
        for m in messages {
            if prompt == Some(m.message_id.as_str()) {
                continue;
            }
            seen.insert(m.message_id.as_str());
            match stored.get(m.message_id.as_str()) {
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
                    changes.push(ReplyChange::EditedUnlessChanged {
                        platform,
                        message_id: &m.message_id,
                        body: &m.text,
                        was_body: row.body.as_deref(),
                        was_edited_at: row.edited_at,
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
                (ReplyChange::EditedUnlessChanged { .. }, true) => found.edited += 1,
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
