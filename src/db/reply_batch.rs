//! Reply changes in batches: many new, edited and deleted replies in one
//! transaction, in the order they happened. The statements are those of
//! `replies.rs`; one commit per batch instead of one per reply is what lets a
//! busy gateway's replies keep up with SQLite (one writer, one fsync-free WAL
//! commit per batch).

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
        let mut tx = self.pool.begin().await.ctx("storing replies")?;
        let mut done = Vec::with_capacity(changes.len());
        for change in changes {
            let result = match change {
                ReplyChange::New(r) => sqlx::query(
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
                .execute(&mut *tx)
                .await,
                ReplyChange::Upsert { reply: r, at } => sqlx::query(
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
                .execute(&mut *tx)
                .await,
                ReplyChange::Tombstone {
                    platform,
                    message_id,
                    at,
                } => sqlx::query(
                    "INSERT INTO erased_messages (platform, message_id, erased_at) VALUES (?, ?, ?)
                     ON CONFLICT DO NOTHING",
                )
                .bind(platform)
                .bind(message_id)
                .bind(at)
                .execute(&mut *tx)
                .await,
                ReplyChange::Edited {
                    platform,
                    message_id,
                    body,
                    at,
                } => sqlx::query(
                    "UPDATE replies SET body = ?, edited_at = ? WHERE platform = ? AND message_id = ? AND deleted_at IS NULL",
                )
                .bind(body)
                .bind(at)
                .bind(platform)
                .bind(message_id)
                .execute(&mut *tx)
                .await,
                ReplyChange::Deleted {
                    platform,
                    message_id,
                    at,
                } => sqlx::query(
                    "UPDATE replies SET body = NULL, deleted_at = ? WHERE platform = ? AND message_id = ? AND deleted_at IS NULL",
                )
                .bind(at)
                .bind(platform)
                .bind(message_id)
                .execute(&mut *tx)
                .await,
                ReplyChange::ReadTo {
                    post_id,
                    message_id,
                } => sqlx::query("UPDATE posts SET replies_read_to = ? WHERE id = ?")
                    .bind(message_id)
                    .bind(post_id)
                    .execute(&mut *tx)
                    .await,
            };
            done.push(result.ctx("storing replies")?.rows_affected() == 1);
        }
        tx.commit().await.ctx("storing replies")?;
        Ok(done)
    }
}
