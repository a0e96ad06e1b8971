//! Reply changes in batches: many new, edited and deleted replies in one
//! transaction, in the order they happened. These are the only statements
//! that store replies or apply their edits and deletions (erasing a
//! person's data, `forget-me`, is apart): the reply writer (`engine/ingest.rs`) and a
//! catch-up's read of a thread (`engine/replies.rs`) both apply their
//! changes here. One commit per batch instead of one per reply is what lets
//! a busy gateway's replies keep up with SQLite (one writer, one
//! fsync-free WAL commit per batch).

use super::sql::q;

use std::borrow::Cow;

use super::{Context, Db, DbResult, NewReply};

/// One change to the stored replies.
#[derive(Debug, Clone)]
pub enum ReplyChange<'a> {
    New(NewReply<'a>),
    /// An edit that may have overtaken its message: stores the edited text
    /// whether the message is stored yet or not, in one statement.
    Upsert {
        reply: NewReply<'a>,
        at: i64,
    },
    /// A message never to be stored (it was deleted, maybe before it arrived).
    Tombstone {
        platform: &'a str,
        message_id: &'a str,
        at: i64,
    },
    Edited {
        platform: &'a str,
        message_id: &'a str,
        body: &'a str,
        at: i64,
    },
    Deleted {
        platform: &'a str,
        message_id: &'a str,
        at: i64,
    },
    /// An edit a read of the thread found: applied only while the stored
    /// reply still has the body and edit time it had before the read began
    /// (`was_body`, `was_edited_at`). A live edit stored meanwhile is newer
    /// than the page read, and the page must not undo it.
    EditedUnlessChanged {
        platform: &'a str,
        message_id: &'a str,
        body: &'a str,
        was_body: Option<&'a str>,
        was_edited_at: Option<i64>,
        at: i64,
    },
    /// An edit from a platform where anyone may send one for any message
    /// (Matrix): applied as [`ReplyChange::Edited`] only to a stored reply
    /// that `editor` wrote (not one Ponder relayed or stored anonymously),
    /// and only when it was made in the reply's own channel (`channel`, the
    /// platform's id of the channel).
    EditedBy {
        platform: &'a str,
        channel: &'a str,
        editor: &'a str,
        message_id: &'a str,
        body: &'a str,
        at: i64,
    },
    /// A deletion known by its channel only (a Matrix redaction): applied
    /// as [`ReplyChange::Deleted`] only to a stored reply of that channel.
    DeletedFrom {
        platform: &'a str,
        channel: &'a str,
        message_id: &'a str,
        at: i64,
    },
    /// A catch-up read the post's thread without a gap up to this message:
    /// its high-water mark moves there (see `Db::threads_to_read`).
    ReadTo {
        post_id: i64,
        message_id: &'a str,
    },
}

impl Db {
    /// Applies the changes in order, in one transaction; for each, whether it
    /// changed a row (a new reply stored, a stored one edited or deleted).
    pub async fn apply_reply_changes(&self, changes: &[ReplyChange<'_>]) -> DbResult<Vec<bool>> {
        let mut tx = self.pool.begin_write().await.ctx("storing replies")?;
        let mut done = Vec::with_capacity(changes.len());
        for change in changes {
            // The checked changes first: where the check fails, nothing is run.
            let change = match *change {
                ReplyChange::EditedBy {
                    platform,
                    channel,
                    editor,
                    message_id,
                    body,
                    at,
                } => match home_of(&mut tx, platform, message_id).await? {
                    Some(home) if home.may_edit(editor, channel) => {
                        Cow::Owned(ReplyChange::Edited {
                            platform,
                            message_id,
                            body,
                            at,
                        })
                    }
                    Some(_) => {
                        tracing::info!(message = %message_id, "ignored an edit by someone other than the reply's author, or from another room");
                        done.push(false);
                        continue;
                    }
                    None => {
                        done.push(false);
                        continue;
                    }
                },
                ReplyChange::DeletedFrom {
                    platform,
                    channel,
                    message_id,
                    at,
                } => match home_of(&mut tx, platform, message_id).await? {
                    Some(home) if home.channel == channel => Cow::Owned(ReplyChange::Deleted {
                        platform,
                        message_id,
                        at,
                    }),
                    _ => {
                        done.push(false);
                        continue;
                    }
                },
                _ => Cow::Borrowed(change),
            };
            let result = match change.as_ref() {
                ReplyChange::New(r) => q(
                    "INSERT INTO replies (post_id, platform, message_id, author_id, author_name, body, created_at, created_ms,
                                          anonymous, relayed)
                     SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
                     WHERE NOT EXISTS (SELECT 1 FROM erased_messages e WHERE e.platform = ? AND e.message_id = ?)
                     ON CONFLICT (platform, message_id) DO NOTHING",
                )
                .bind(r.post_id)
                .bind(r.platform)
                .bind(r.message_id)
                .bind(r.author_id)
                .bind(r.author_name)
                .bind(r.body)
                .bind(r.created_ms.div_euclid(1000))
                .bind(r.created_ms)
                .bind(r.anonymous)
                .bind(r.relayed)
                .bind(r.platform)
                .bind(r.message_id)
                .execute(&mut tx)
                .await,
                ReplyChange::Upsert { reply: r, at } => q(
                    "INSERT INTO replies (post_id, platform, message_id, author_id, author_name, body, created_at, created_ms,
                                          anonymous, relayed, edited_at)
                     SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
                     WHERE NOT EXISTS (SELECT 1 FROM erased_messages e WHERE e.platform = ? AND e.message_id = ?)
                     ON CONFLICT (platform, message_id) DO UPDATE SET body = excluded.body, edited_at = excluded.edited_at
                     WHERE replies.deleted_at IS NULL",
                )
                .bind(r.post_id)
                .bind(r.platform)
                .bind(r.message_id)
                .bind(r.author_id)
                .bind(r.author_name)
                .bind(r.body)
                .bind(r.created_ms.div_euclid(1000))
                .bind(r.created_ms)
                .bind(r.anonymous)
                .bind(r.relayed)
                .bind(at)
                .bind(r.platform)
                .bind(r.message_id)
                .execute(&mut tx)
                .await,
                ReplyChange::Tombstone {
                    platform,
                    message_id,
                    at,
                } => q(
                    "INSERT INTO erased_messages (platform, message_id, erased_at) VALUES (?, ?, ?)
                     ON CONFLICT DO NOTHING",
                )
                .bind(platform)
                .bind(message_id)
                .bind(at)
                .execute(&mut tx)
                .await,
                ReplyChange::Edited {
                    platform,
                    message_id,
                    body,
                    at,
                } => q(
                    "UPDATE replies SET body = ?, edited_at = ? WHERE platform = ? AND message_id = ? AND deleted_at IS NULL",
                )
                .bind(body)
                .bind(at)
                .bind(platform)
                .bind(message_id)
                .execute(&mut tx)
                .await,
                ReplyChange::EditedUnlessChanged {
                    platform,
                    message_id,
                    body,
                    was_body,
                    was_edited_at,
                    at,
                } => q(
                    "UPDATE replies SET body = ?, edited_at = ? WHERE platform = ? AND message_id = ? AND deleted_at IS NULL
                     AND body IS NOT DISTINCT FROM ? AND edited_at IS NOT DISTINCT FROM ?",
                )
                .bind(body)
                .bind(at)
                .bind(platform)
                .bind(message_id)
                .bind(was_body)
                .bind(was_edited_at)
                .execute(&mut tx)
                .await,
                ReplyChange::Deleted {
                    platform,
                    message_id,
                    at,
                } => q(
                    "UPDATE replies SET body = NULL, deleted_at = ? WHERE platform = ? AND message_id = ? AND deleted_at IS NULL",
                )
                .bind(at)
                .bind(platform)
                .bind(message_id)
                .execute(&mut tx)
                .await,
                ReplyChange::ReadTo {
                    post_id,
                    message_id,
                } => q("UPDATE posts SET replies_read_to = ? WHERE id = ?")
                    .bind(message_id)
                    .bind(post_id)
                    .execute(&mut tx)
                    .await,
                ReplyChange::EditedBy { .. } | ReplyChange::DeletedFrom { .. } => {
                    unreachable!("applied above as an edit or a deletion")
                }
            };
            done.push(result.ctx("storing replies")?.rows_affected() == 1);
        }
        tx.commit().await.ctx("storing replies")?;
        Ok(done)
    }
}

/// Who wrote a stored reply and where: what decides whether an edit or a
/// deletion from a platform that does not check it may change it.
struct Home {
    author_id: String,
    relayed: bool,
    anonymous: bool,
    /// The platform's id of the channel its post is in.
    channel: String,
}

impl Home {
    fn may_edit(&self, editor: &str, channel: &str) -> bool {
        self.channel == channel && !self.relayed && !self.anonymous && self.author_id == editor
    }
}

/// A stored reply's author and channel, by its platform message id, read
/// inside the batch's transaction (a reply stored earlier in the same batch
/// counts).
async fn home_of(
    tx: &mut super::sql::Tx,
    platform: &str,
    message_id: &str,
) -> DbResult<Option<Home>> {
    let row: Option<(String, bool, bool, String)> =
        q("SELECT r.author_id, r.relayed, r.anonymous, c.external_id
         FROM replies r JOIN posts p ON p.id = r.post_id JOIN channels c ON c.id = p.channel_id
         WHERE r.platform = ? AND r.message_id = ?")
        .bind(platform)
        .bind(message_id)
        .fetch_optional(&mut *tx)
        .await
        .ctx("reading a reply")?;
    Ok(row.map(|(author_id, relayed, anonymous, channel)| Home {
        author_id,
        relayed,
        anonymous,
        channel,
    }))
}
