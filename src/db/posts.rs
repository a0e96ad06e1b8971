use super::sql::q;
use std::collections::HashSet;

use super::{Context, Db, DbResult, DigestState, LEASE_SECS, PostState, ReplyRow, rotation};
use crate::domain::rotation::Draw;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PostRow {
    pub id: i64,
    pub channel_id: i64,
    pub platform: String,
    pub schedule_id: Option<i64>,
    pub slot_at: Option<i64>,
    pub idempotency_key: String,
    pub prompt_id: String,
    pub prompt_pack: String,
    pub prompt_title: String,
    pub prompt_text: String,
    pub state: PostState,
    pub message_id: Option<String>,
    pub thread_id: Option<String>,
    pub attempts: i64,
    pub retry_at: Option<i64>,
    pub error: Option<String>,
    pub created_at: i64,
    pub posted_at: Option<i64>,
    pub close_at: Option<i64>,
    pub closed_at: Option<i64>,
    /// Whether Ponder pinned its message (and has not unpinned it yet).
    pub pinned: bool,
    /// The digest's step: `None` (none yet), `pending` (intended, maybe
    /// sent), `sent`, `uncertain` or `failed`. See [`DigestState`].
    pub digest_state: Option<DigestState>,
    /// When the digest's intent was recorded.
    pub digest_at: Option<i64>,
    pub digest_message_id: Option<String>,
}

/// Which posts an export holds; every part is optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ArchiveFilter {
    pub channel_id: Option<i64>,
    pub post_id: Option<i64>,
    /// Posted at or after (UTC seconds).
    pub from: Option<i64>,
    /// Posted before (UTC seconds).
    pub until: Option<i64>,
}

/// What is known of a post before its prompt is drawn.
#[derive(Debug, Clone)]
pub struct NewPost {
    pub channel_id: i64,
    pub platform: String,
    pub schedule_id: Option<i64>,
    pub slot_at: Option<i64>,
    pub idempotency_key: String,
    pub now: i64,
}

/// `SELECT * FROM posts` followed by the rest of a query, as one static string.
macro_rules! select_posts {
    ($rest:literal) => {
        concat!("SELECT * FROM posts ", $rest)
    };
}

/// The posts an archive holds, as `p`: bound by [`ArchiveFilter::bind`].
macro_rules! archived {
    () => {
        "p.state IN ('sent', 'open', 'closed') \
         AND (? IS NULL OR p.channel_id = ?) AND (? IS NULL OR p.id = ?) \
         AND (? IS NULL OR COALESCE(p.posted_at, p.created_at) >= ?) \
         AND (? IS NULL OR COALESCE(p.posted_at, p.created_at) < ?)"
    };
}

impl ArchiveFilter {
    fn bind(&self, q: super::sql::Q) -> super::sql::Q {
        q.bind(self.channel_id)
            .bind(self.channel_id)
            .bind(self.post_id)
            .bind(self.post_id)
            .bind(self.from)
            .bind(self.from)
            .bind(self.until)
            .bind(self.until)
    }
}

impl Db {
    /// Claims a slot: in one transaction, draws the prompt (`choose` sees the
    /// channel's used prompt ids), writes the pending post row, advances the
    /// rotation and the schedule's last slot. Returns `None` when the slot was
    /// already claimed (or `choose` found no prompt), so a slot is posted at
    /// most once whatever happens after this returns.
    pub async fn claim_post(
        &self,
        new: &NewPost,
        choose: impl FnOnce(&HashSet<String>) -> Option<Draw>,
    ) -> DbResult<Option<(PostRow, Draw)>> {
        // IMMEDIATE: take the write lock up front, so two bots on one file queue
        // instead of failing to upgrade a read transaction.
        let mut tx = self.pool.begin_write().await.ctx("claiming a slot")?;
        // One claim per channel at a time: a `now` and a slot of one
        // channel read the same rotation. SQLite's IMMEDIATE transaction
        // already serializes every writer; PostgreSQL locks the channel row.
        q("SELECT id FROM channels WHERE id = ?")
            .pg("SELECT id FROM channels WHERE id = $1 FOR UPDATE")
            .bind(new.channel_id)
            .execute(&mut tx)
            .await
            .ctx("claiming a slot")?;
        if let (Some(schedule_id), Some(slot)) = (new.schedule_id, new.slot_at) {
            q(
                "UPDATE schedules SET last_slot = CASE WHEN last_slot IS NULL OR last_slot < ?1 THEN ?1 ELSE last_slot END WHERE id = ?2",
            )
            .bind(slot)
            .bind(schedule_id)
            .execute(&mut tx)
            .await
            .ctx("recording a slot")?;
        }
        let (cycle, used) = rotation::current(&mut tx, new.channel_id).await?;
        let Some(draw) = choose(&used) else {
            tx.commit().await.ctx("claiming a slot")?;
            return Ok(None);
        };
        let p = &draw.prompt;
        let row: Option<PostRow> = q(
            "INSERT INTO posts (channel_id, platform, schedule_id, slot_at, idempotency_key, prompt_id, prompt_pack,
                                prompt_title, prompt_text, state, created_at, owner, lease_until)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)
             ON CONFLICT DO NOTHING RETURNING *",
        )
        .bind(new.channel_id)
        .bind(&new.platform)
        .bind(new.schedule_id)
        .bind(new.slot_at)
        .bind(&new.idempotency_key)
        .bind(&p.id)
        .bind(&p.pack)
        .bind(p.thread_name())
        .bind(p.message_text())
        .bind(new.now)
        .bind(&*self.owner)
        .bind(new.now + LEASE_SECS)
        .fetch_optional(&mut tx)
        .await
        .ctx("claiming a slot")?;
        let Some(row) = row else {
            tx.commit().await.ctx("claiming a slot")?;
            return Ok(None);
        };
        let cycle = if draw.new_cycle { cycle + 1 } else { cycle };
        rotation::mark_used(&mut tx, new.channel_id, cycle, &p.id, new.now).await?;
        tx.commit().await.ctx("claiming a slot")?;
        Ok(Some((row, draw)))
    }

    pub async fn post(&self, id: i64) -> DbResult<Option<PostRow>> {
        q(select_posts!("WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .ctx("reading a post")
    }

    /// Records a post as sent; returns the row as it now is, `None` when it
    /// was neither pending nor sent (closed or failed meanwhile), so the
    /// caller needs no second read.
    pub async fn mark_sent(
        &self,
        id: i64,
        message_id: &str,
        thread_id: &str,
        now: i64,
    ) -> DbResult<Option<PostRow>> {
        q(
            "UPDATE posts SET state = 'sent', message_id = ?, thread_id = ?, posted_at = COALESCE(posted_at, ?),
                              error = NULL, retry_at = NULL
             WHERE id = ? AND state IN ('pending', 'sent') RETURNING *",
        )
        .bind(message_id)
        .bind(thread_id)
        .bind(now)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .ctx("recording a sent post")
    }

    pub async fn mark_open(&self, id: i64, close_at: i64) -> DbResult<()> {
        q("UPDATE posts SET state = 'open', close_at = ?, error = NULL, retry_at = NULL WHERE id = ? AND state = 'sent'")
            .bind(close_at)
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("recording an open thread")?;
        Ok(())
    }

    pub async fn set_post_pinned(&self, id: i64, pinned: bool) -> DbResult<()> {
        q("UPDATE posts SET pinned = ? WHERE id = ?")
            .bind(pinned)
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("recording a pin")?;
        Ok(())
    }

    /// The schedule's posts that are still pinned, except `keep`.
    pub async fn pinned_posts(&self, schedule_id: i64, keep: i64) -> DbResult<Vec<PostRow>> {
        q(select_posts!(
            "WHERE schedule_id = ? AND pinned AND id <> ? ORDER BY id"
        ))
        .bind(schedule_id)
        .bind(keep)
        .fetch_all(&self.pool)
        .await
        .ctx("reading pinned posts")
    }

    /// Records the intent to send a post's digest (once: a second call keeps
    /// the first intent and its time).
    pub async fn begin_digest(&self, id: i64, now: i64) -> DbResult<()> {
        q(
            "UPDATE posts SET digest_state = 'pending', digest_at = ? WHERE id = ? AND digest_state IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await
        .ctx("recording a digest's intent")?;
        Ok(())
    }

    /// Records where a digest ended (`message_id` when it was sent).
    pub async fn end_digest(
        &self,
        id: i64,
        state: DigestState,
        message_id: Option<&str>,
    ) -> DbResult<()> {
        q("UPDATE posts SET digest_state = ?, digest_message_id = COALESCE(?, digest_message_id) WHERE id = ?")
            .bind(state)
            .bind(message_id)
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("recording a digest")?;
        Ok(())
    }

    pub async fn mark_closed(&self, id: i64, now: i64) -> DbResult<()> {
        q("UPDATE posts SET state = 'closed', closed_at = ? WHERE id = ?")
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("recording a closed thread")?;
        Ok(())
    }

    pub async fn mark_failed(&self, id: i64, error: &str) -> DbResult<()> {
        q("UPDATE posts SET state = 'failed', error = ?, retry_at = NULL WHERE id = ?")
            .bind(error)
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("recording a failed post")?;
        Ok(())
    }

    /// Counts an attempt that failed for a passing reason; tried again at `retry_at`.
    pub async fn mark_retry(&self, id: i64, error: &str, retry_at: i64) -> DbResult<()> {
        q("UPDATE posts SET attempts = attempts + 1, error = ?, retry_at = ? WHERE id = ?")
            .bind(error)
            .bind(retry_at)
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("recording a retry")?;
        Ok(())
    }

    /// Posts whose send or thread opening has not been confirmed.
    pub async fn unfinished_posts(&self) -> DbResult<Vec<PostRow>> {
        q(select_posts!(
            "WHERE state IN ('pending', 'sent') ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await
        .ctx("listing unfinished posts")
    }

    pub async fn posts_in_state(&self, state: PostState) -> DbResult<Vec<PostRow>> {
        q(select_posts!("WHERE state = ? ORDER BY id"))
            .bind(state)
            .fetch_all(&self.pool)
            .await
            .ctx("listing posts")
    }

    pub async fn post_by_thread(
        &self,
        platform: &str,
        thread_id: &str,
    ) -> DbResult<Option<PostRow>> {
        q(select_posts!(
            "WHERE platform = ? AND thread_id = ? ORDER BY id DESC LIMIT 1"
        ))
        .bind(platform)
        .bind(thread_id)
        .fetch_optional(&self.pool)
        .await
        .ctx("finding a thread")
    }

    /// The channel's newest post with a thread still open (or being opened).
    pub async fn current_post(&self, channel_id: i64) -> DbResult<Option<PostRow>> {
        q(select_posts!("WHERE channel_id = ? AND state IN ('sent', 'open') AND thread_id IS NOT NULL ORDER BY id DESC LIMIT 1"))
        .bind(channel_id)
        .fetch_optional(&self.pool)
        .await
        .ctx("finding the current post")
    }

    /// The channel's newest posts, newest first.
    pub async fn recent_posts(&self, channel_id: i64, limit: i64) -> DbResult<Vec<PostRow>> {
        q(select_posts!(
            "WHERE channel_id = ? ORDER BY id DESC LIMIT ?"
        ))
        .bind(channel_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .ctx("listing posts")
    }

    /// Posts that reached the chat (sent, open or closed), oldest first;
    /// limited to a channel or a single post when given.
    pub async fn archive_posts(&self, f: &ArchiveFilter) -> DbResult<Vec<PostRow>> {
        f.bind(q(concat!(
            "SELECT p.* FROM posts p WHERE ",
            archived!(),
            " ORDER BY COALESCE(p.posted_at, p.created_at), p.id"
        )))
        .fetch_all(&self.pool)
        .await
        .ctx("reading the archive")
    }

    /// The surviving replies of the posts [`Db::archive_posts`] reads, in one
    /// query (a big archive has a thousand posts): by post, oldest first, as
    /// [`Db::replies_of`] orders them.
    pub async fn archive_replies(&self, f: &ArchiveFilter) -> DbResult<Vec<ReplyRow>> {
        f.bind(q(concat!(
            "SELECT r.* FROM replies r JOIN posts p ON p.id = r.post_id \
             WHERE r.deleted_at IS NULL AND ",
            archived!(),
            " ORDER BY r.post_id, r.created_ms, length(r.message_id), r.message_id"
        )))
        .fetch_all(&self.pool)
        .await
        .ctx("reading the archive's replies")
    }

    /// The slot times of a schedule that have a post row, oldest first.
    pub async fn slots_of(&self, schedule_id: i64) -> DbResult<Vec<i64>> {
        let rows: Vec<(i64,)> =
            q("SELECT slot_at FROM posts WHERE schedule_id = ? AND slot_at IS NOT NULL ORDER BY slot_at")
                .bind(schedule_id)
                .fetch_all(&self.pool)
                .await
                .ctx("listing slots")?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}
