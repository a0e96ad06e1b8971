use super::sql::q;
use super::{Context, Db, DbResult, PostRow};

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

/// A prompt's thread a catch-up reads, with its high-water mark.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ThreadToRead {
    #[sqlx(flatten)]
    pub post: PostRow,
    /// The platform's id of the last message up to which the thread was
    /// read without a gap (migration 8); `None`: read it from the start.
    pub replies_read_to: Option<String>,
}

impl Db {
    /// The threads whose replies a catch-up reads: every open post's, and
    /// those of posts closed at or after `closed_since` (replies written
    /// after closing still count), oldest post first.
    pub async fn threads_to_read(&self, closed_since: i64) -> DbResult<Vec<ThreadToRead>> {
        q("SELECT * FROM posts WHERE thread_id IS NOT NULL
               AND (state = 'open' OR (state = 'closed' AND closed_at >= ?))
             ORDER BY id")
        .bind(closed_since)
        .fetch_all(&self.pool)
        .await
        .ctx("listing threads to read")
    }

    /// Every stored reply of a post, deleted ones included, oldest first.
    pub async fn all_replies_of(&self, post_id: i64) -> DbResult<Vec<ReplyRow>> {
        q("SELECT * FROM replies WHERE post_id = ?
             ORDER BY created_ms, length(message_id), message_id")
        .bind(post_id)
        .fetch_all(&self.pool)
        .await
        .ctx("reading replies")
    }

    /// The surviving (not deleted) replies of a post, oldest first. Within a
    /// millisecond, ids order them (Discord's snowflakes grow with time).
    pub async fn replies_of(&self, post_id: i64) -> DbResult<Vec<ReplyRow>> {
        q(
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
                q("SELECT COUNT(*) FROM replies WHERE platform = ? AND author_id = ?")
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
        let (n,): (i64,) = q("SELECT COUNT(*) FROM replies WHERE post_id = ? AND author_id = ?")
            .bind(post_id)
            .bind(author_id)
            .fetch_one(&self.pool)
            .await
            .ctx("counting replies")?;
        Ok(n)
    }

    /// The posts on a platform that hold anonymous replies.
    pub async fn posts_with_anonymous_replies(&self, platform: &str) -> DbResult<Vec<i64>> {
        let rows: Vec<(i64,)> = q(
            "SELECT DISTINCT post_id FROM replies WHERE platform = ? AND anonymous ORDER BY post_id",
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
            let rows: Vec<(String, String, String)> = q(
                "SELECT c.external_id, COALESCE(p.thread_id, ''), r.message_id
                 FROM replies r JOIN posts p ON p.id = r.post_id JOIN channels c ON c.id = p.channel_id
                 WHERE r.platform = ? AND r.author_id = ? AND r.relayed AND r.deleted_at IS NULL",
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
        let mut tx = self.pool.begin_write().await.ctx("erasing replies")?;
        let mut n = 0;
        for author in authors {
            q(
                "INSERT INTO erased_messages (platform, message_id, erased_at)
                 SELECT platform, message_id, ? FROM replies WHERE platform = ? AND author_id = ?
                 ON CONFLICT DO NOTHING",
            )
            .bind(now)
            .bind(platform)
            .bind(author)
            .execute(&mut tx)
            .await
            .ctx("erasing replies")?;
            let done = q("DELETE FROM replies WHERE platform = ? AND author_id = ?")
                .bind(platform)
                .bind(author)
                .execute(&mut tx)
                .await
                .ctx("erasing replies")?;
            n += done.rows_affected();
        }
        tx.commit().await.ctx("erasing replies")?;
        Ok(n)
    }
}
