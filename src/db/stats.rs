use super::sql::q;
use super::{Context, Db, DbResult};

/// A channel's activity since some time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChannelStats {
    pub posts: i64,
    pub replies: i64,
    pub people: i64,
    /// The most answered prompts: (thread title, replies), most first.
    pub top: Vec<(String, i64)>,
}

impl Db {
    /// Posts that reached the channel since `since`, their surviving replies,
    /// the distinct people who wrote them, and the three most answered.
    pub async fn channel_stats(&self, channel_id: i64, since: i64) -> DbResult<ChannelStats> {
        let (posts,): (i64,) = q(
            "SELECT COUNT(*) FROM posts
             WHERE channel_id = ? AND state IN ('sent', 'open', 'closed') AND COALESCE(posted_at, created_at) >= ?",
        )
        .bind(channel_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .ctx("counting posts")?;
        let (replies, people): (i64, i64) = q(
            "SELECT COUNT(*), COUNT(DISTINCT r.author_id) FROM replies r JOIN posts p ON p.id = r.post_id
             WHERE p.channel_id = ? AND r.deleted_at IS NULL AND COALESCE(p.posted_at, p.created_at) >= ?",
        )
        .bind(channel_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .ctx("counting replies")?;
        let top: Vec<(String, i64)> = q(
            "SELECT p.prompt_title, COUNT(r.id) AS n FROM posts p JOIN replies r ON r.post_id = p.id
             WHERE p.channel_id = ? AND r.deleted_at IS NULL AND COALESCE(p.posted_at, p.created_at) >= ?
             GROUP BY p.id ORDER BY n DESC, p.id DESC LIMIT 3",
        )
        .bind(channel_id)
        .bind(since)
        .fetch_all(&self.pool)
        .await
        .ctx("ranking prompts")?;
        Ok(ChannelStats {
            posts,
            replies,
            people,
            top,
        })
    }

    /// The channel's posts, newest first, each with whether `author_id`
    /// answered it and whether its thread is still open.
    pub async fn answered_by(
        &self,
        channel_id: i64,
        author_id: &str,
        limit: i64,
    ) -> DbResult<Vec<(bool, bool)>> {
        q(
            "SELECT EXISTS (SELECT 1 FROM replies r WHERE r.post_id = p.id AND r.author_id = ? AND r.deleted_at IS NULL),
                    p.state = 'open'
             FROM posts p WHERE p.channel_id = ? AND p.state IN ('sent', 'open', 'closed')
             ORDER BY p.id DESC LIMIT ?",
        )
        .bind(author_id)
        .bind(channel_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .ctx("reading answers")
    }
}
