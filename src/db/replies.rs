use super::{Context, Db, DbResult};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReplyRow {
    pub id: i64,
    pub post_id: i64,
    pub platform: String,
    pub message_id: String,
    pub author_id: String,
    pub author_name: String,
    pub body: Option<String>,
    pub created_at: i64,
    /// The same time in milliseconds (absent in rows older than migration 2).
    pub created_ms: Option<i64>,
    pub edited_at: Option<i64>,
    pub deleted_at: Option<i64>,
    /// Written anonymously: `author_id` is a keyed hash, `author_name` says `anonymous`.
    pub anonymous: bool,
    /// Posted by Ponder on the member's behalf (`reflect`).
    pub relayed: bool,
}

#[derive(Debug, Clone)]
pub struct NewReply<'a> {
    pub post_id: i64,
    pub platform: &'a str,
    pub message_id: &'a str,
    pub author_id: &'a str,
    pub author_name: &'a str,
    pub body: &'a str,
    /// Milliseconds since the epoch.
    pub created_ms: i64,
    pub anonymous: bool,
    pub relayed: bool,
}

impl Db {
    /// Stores a reply once; returns false when that message was already stored.
    pub async fn insert_reply(&self, r: &NewReply<'_>) -> DbResult<bool> {
        let done = sqlx::query(
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
        .execute(&self.pool)
        .await
        .ctx("storing a reply")?;
        Ok(done.rows_affected() == 1)
    }

    /// Replaces a stored reply's text; false when the message is unknown or deleted.
    pub async fn edit_reply(
        &self,
        platform: &str,
        message_id: &str,
        body: &str,
        at: i64,
    ) -> DbResult<bool> {
        let done = sqlx::query(
            "UPDATE replies SET body = ?, edited_at = ? WHERE platform = ? AND message_id = ? AND deleted_at IS NULL",
        )
        .bind(body)
        .bind(at)
        .bind(platform)
        .bind(message_id)
        .execute(&self.pool)
        .await
        .ctx("editing a reply")?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets a reply's text and marks it deleted; false when unknown.
    pub async fn delete_reply(&self, platform: &str, message_id: &str, at: i64) -> DbResult<bool> {
        let done = sqlx::query(
            "UPDATE replies SET body = NULL, deleted_at = ? WHERE platform = ? AND message_id = ? AND deleted_at IS NULL",
        )
        .bind(at)
        .bind(platform)
        .bind(message_id)
        .execute(&self.pool)
        .await
        .ctx("deleting a reply")?;
        Ok(done.rows_affected() == 1)
    }

    /// Stores an edited message's text: a new row when the message is not
    /// stored yet, else its new text; in one statement, so it cannot race the
    /// message's own arrival. Nothing happens to a deleted or erased message.
    pub async fn upsert_edited_reply(&self, r: &NewReply<'_>, at: i64) -> DbResult<bool> {
        let done = sqlx::query(
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
        .execute(&self.pool)
        .await
        .ctx("storing an edited reply")?;
        Ok(done.rows_affected() == 1)
    }

    /// Marks a message as never to be stored (it was deleted before it arrived).
    pub async fn tombstone(&self, platform: &str, message_id: &str, now: i64) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO erased_messages (platform, message_id, erased_at) VALUES (?, ?, ?)
             ON CONFLICT DO NOTHING",
        )
        .bind(platform)
        .bind(message_id)
        .bind(now)
        .execute(&self.pool)
        .await
        .ctx("recording a deletion")?;
        Ok(())
    }

    /// The newest stored message id of a post's thread (deleted ones count:
    /// they still mark how far the thread has been read).
    pub async fn last_reply_id(&self, post_id: i64) -> DbResult<Option<String>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT message_id FROM replies WHERE post_id = ? ORDER BY created_ms DESC, length(message_id) DESC, message_id DESC LIMIT 1")
                .bind(post_id)
                .fetch_optional(&self.pool)
                .await
                .ctx("reading replies")?;
        Ok(row.map(|r| r.0))
    }

    /// The surviving (not deleted) replies of a post, oldest first. Within a
    /// millisecond, ids order them (Discord's snowflakes grow with time).
    pub async fn replies_of(&self, post_id: i64) -> DbResult<Vec<ReplyRow>> {
        sqlx::query_as(
            "SELECT * FROM replies WHERE post_id = ? AND deleted_at IS NULL
             ORDER BY created_ms, length(message_id), message_id",
        )
        .bind(post_id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading replies")
    }

    /// How many replies of these authors (a person's id and the keyed hashes
    /// of their anonymous replies) Ponder keeps on a platform.
    pub async fn count_author_replies(&self, platform: &str, authors: &[String]) -> DbResult<i64> {
        let mut n = 0;
        for author in authors {
            let (k,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM replies WHERE platform = ? AND author_id = ?")
                    .bind(platform)
                    .bind(author)
                    .fetch_one(&self.pool)
                    .await
                    .ctx("counting replies")?;
            n += k;
        }
        Ok(n)
    }

    /// How many replies one author has in a post's thread.
    pub async fn count_post_replies_by(&self, post_id: i64, author_id: &str) -> DbResult<i64> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM replies WHERE post_id = ? AND author_id = ?")
                .bind(post_id)
                .bind(author_id)
                .fetch_one(&self.pool)
                .await
                .ctx("counting replies")?;
        Ok(n)
    }

    /// The posts on a platform that hold anonymous replies.
    pub async fn posts_with_anonymous_replies(&self, platform: &str) -> DbResult<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT DISTINCT post_id FROM replies WHERE platform = ? AND anonymous = 1 ORDER BY post_id",
        )
        .bind(platform)
        .fetch_all(&self.pool)
        .await
        .ctx("reading replies")?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// The messages Ponder posted for these authors (`reflect`, `anon`):
    /// `(channel, thread, message id)`, so erasing can delete them on the platform too.
    pub async fn relayed_replies_of(
        &self,
        platform: &str,
        authors: &[String],
    ) -> DbResult<Vec<(String, String, String)>> {
        let mut out = Vec::new();
        for author in authors {
            let rows: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT c.external_id, COALESCE(p.thread_id, ''), r.message_id
                 FROM replies r JOIN posts p ON p.id = r.post_id JOIN channels c ON c.id = p.channel_id
                 WHERE r.platform = ? AND r.author_id = ? AND r.relayed = 1 AND r.deleted_at IS NULL",
            )
            .bind(platform)
            .bind(author)
            .fetch_all(&self.pool)
            .await
            .ctx("reading replies")?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// Deletes every reply of these authors on a platform, keeping only the
    /// bare message ids so they are never collected again. Returns how many.
    pub async fn erase_author(
        &self,
        platform: &str,
        authors: &[String],
        now: i64,
    ) -> DbResult<u64> {
        let mut tx = self.pool.begin().await.ctx("erasing replies")?;
        let mut n = 0;
        for author in authors {
            sqlx::query(
                "INSERT INTO erased_messages (platform, message_id, erased_at)
                 SELECT platform, message_id, ? FROM replies WHERE platform = ? AND author_id = ?
                 ON CONFLICT DO NOTHING",
            )
            .bind(now)
            .bind(platform)
            .bind(author)
            .execute(&mut *tx)
            .await
            .ctx("erasing replies")?;
            let done = sqlx::query("DELETE FROM replies WHERE platform = ? AND author_id = ?")
                .bind(platform)
                .bind(author)
                .execute(&mut *tx)
                .await
                .ctx("erasing replies")?;
            n += done.rows_affected();
        }
        tx.commit().await.ctx("erasing replies")?;
        Ok(n)
    }
}
