//! The reply writer's batch: which of the queued changes count (those in a
//! prompt's thread, not the prompt itself, and the checked edits and
//! deletions) and how each becomes a row change, stored in one transaction.

use std::collections::HashMap;

use super::{Change, Queued};
use crate::db::{NewReply, ReplyChange};
use crate::engine::Engine;
use crate::engine::port::IncomingReply;

/// A prompt thread's post: its id and the prompt's own message id.
type PostOfThread = (i64, Option<String>);

impl Engine {
    /// Stores one batch in one transaction; on an error nothing of it is
    /// stored. For each change, whether it changed a stored reply.
    pub(super) async fn store(&self, batch: &[Queued]) -> Result<Vec<bool>, crate::db::DbError> {
        // The post of each thread, once per batch (most messages are not in a
        // prompt's thread: they cost this one lookup and nothing else).
        let mut posts: HashMap<(&str, &str), Option<PostOfThread>> = HashMap::new();
        for q in batch {
            if let Some(thread) = q.change.thread()
                && !posts.contains_key(&(q.platform, thread))
            {
                let post = self.db.post_by_thread(q.platform, thread).await?;
                posts.insert((q.platform, thread), post.map(|p| (p.id, p.message_id)));
            }
        }
        let now = self.clock.now().timestamp();
        let mut changes = Vec::with_capacity(batch.len());
        // The queued change each of `changes` comes from.
        let mut from = Vec::with_capacity(batch.len());
        for (i, q) in batch.iter().enumerate() {
            let platform = q.platform;
            let mut push = |change| {
                changes.push(change);
                from.push(i);
            };
            match &q.change {
                // Checked in the transaction, against the stored reply.
                Change::EditedBy {
                    channel,
                    editor,
                    message_id,
                    text,
                } => push(ReplyChange::EditedBy {
                    platform,
                    channel,
                    editor,
                    message_id,
                    body: text,
                    at: now,
                }),
                Change::DeletedFrom {
                    channel,
                    message_id,
                } => push(ReplyChange::DeletedFrom {
                    platform,
                    channel,
                    message_id,
                    at: now,
                }),
                change => {
                    // Only messages in a prompt's thread (not the prompt itself) count.
                    let Some(Some((post_id, prompt_message))) =
                        change.thread().and_then(|t| posts.get(&(platform, t)))
                    else {
                        continue;
                    };
                    let reply = |r| new_reply(*post_id, platform, r);
                    match change {
                        Change::New(r)
                        | Change::Edited(r)
                        | Change::Reflection { reply: r, .. }
                            if prompt_message.as_deref() == Some(r.message_id.as_str()) => {}
                        Change::New(r) => push(ReplyChange::New(reply(r))),
                        Change::Reflection {
                            reply: r,
                            anonymous,
                            relayed,
                        } => push(ReplyChange::New(NewReply {
                            anonymous: *anonymous,
                            relayed: *relayed,
                            ..reply(r)
                        })),
                        // Stored whether or not its message has been: the edit wins.
                        Change::Edited(r) => push(ReplyChange::Upsert {
                            reply: reply(r),
                            at: now,
                        }),
                        // The tombstone first: a message that arrives after its
                        // deletion is then never stored.
                        Change::Deleted { message_id, .. } => {
                            push(ReplyChange::Tombstone {
                                platform,
                                message_id,
                                at: now,
                            });
                            push(ReplyChange::Deleted {
                                platform,
                                message_id,
                                at: now,
                            });
                        }
                        Change::EditedBy { .. } | Change::DeletedFrom { .. } => {}
                    }
                }
            }
        }
        let mut changed = vec![false; batch.len()];
        if changes.is_empty() {
            return Ok(changed);
        }
        let done = self.db.apply_reply_changes(&changes).await?;
        let mut stored = 0;
        for ((change, done), i) in changes.iter().zip(done).zip(from) {
            // A deletion's own answer comes after its tombstone's: the last counts.
            changed[i] = done;
            if let (ReplyChange::New(r), true) = (change, done) {
                crate::metrics::reply(r.platform);
                stored += 1;
            }
        }
        if stored > 0 {
            tracing::info!(replies = stored, "replies stored");
        }
        Ok(changed)
    }
}

/// A platform's message as a reply row of a post.
pub(in crate::engine) fn new_reply<'a>(
    post_id: i64,
    platform: &'a str,
    r: &'a IncomingReply,
) -> NewReply<'a> {
    NewReply {
        post_id,
        platform,
        message_id: &r.message_id,
        author_id: &r.author_id,
        author_name: &r.author_name,
        body: &r.text,
        created_ms: r.at.timestamp_millis(),
        anonymous: false,
        relayed: false,
    }
}
