use super::sql::q;
use super::{Context, Db, DbResult, SuggestionState};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SuggestionRow {
    pub id: i64,
    pub channel_id: i64,
    pub platform: String,
    pub author_id: String,
    pub author_name: String,
    pub credit: bool,
    pub body: String,
    pub state: SuggestionState,
    pub reason: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

impl SuggestionRow {
    /// The prompt id an approved suggestion has in the rotation.
    pub fn prompt_id(&self) -> String {
        format!("suggestion-{}", self.id)
    }
}

/// What is known of a suggestion when it is made.
#[derive(Debug, Clone)]
pub struct NewSuggestion<'a> {
    pub channel_id: i64,
    pub platform: &'a str,
    pub author_id: &'a str,
    pub author_name: &'a str,
    pub credit: bool,
    pub body: &'a str,
    pub now: i64,
}

impl Db {
    pub async fn add_suggestion(&self, s: &NewSuggestion<'_>) -> DbResult<SuggestionRow> {
        q(
            "INSERT INTO suggestions (channel_id, platform, author_id, author_name, credit, body, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
        )
        .bind(s.channel_id)
        .bind(s.platform)
        .bind(s.author_id)
        .bind(s.author_name)
        .bind(s.credit)
        .bind(s.body)
        .bind(s.now)
        .fetch_one(&self.pool)
        .await
        .ctx("storing a suggestion")
    }

    pub async fn suggestion(&self, id: i64) -> DbResult<Option<SuggestionRow>> {
        q("SELECT * FROM suggestions WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .ctx("reading a suggestion")
    }

    /// A channel's suggestions in one state, oldest first.
    pub async fn suggestions_in(
        &self,
        channel_id: i64,
        state: SuggestionState,
    ) -> DbResult<Vec<SuggestionRow>> {
        q("SELECT * FROM suggestions WHERE channel_id = ? AND state = ? ORDER BY id")
            .bind(channel_id)
            .bind(state)
            .fetch_all(&self.pool)
            .await
            .ctx("listing suggestions")
    }

    /// How many suggestions a member has waiting in a channel, and how many
    /// they made on the platform since `since`.
    pub async fn suggestion_counts(
        &self,
        channel_id: i64,
        platform: &str,
        author_id: &str,
        since: i64,
    ) -> DbResult<(i64, i64)> {
        q("SELECT
                COALESCE(SUM(CASE WHEN channel_id = ? AND state = 'pending' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), 0)
             FROM suggestions WHERE platform = ? AND author_id = ?")
        .bind(channel_id)
        .bind(since)
        .bind(platform)
        .bind(author_id)
        .fetch_one(&self.pool)
        .await
        .ctx("counting suggestions")
    }

    /// Decides a pending suggestion; `None` when it is not pending (any more).
    pub async fn decide_suggestion(
        &self,
        id: i64,
        state: SuggestionState,
        reason: Option<&str>,
        now: i64,
    ) -> DbResult<Option<SuggestionRow>> {
        q(
            "UPDATE suggestions SET state = ?, reason = ?, decided_at = ?
             WHERE id = ? AND state = 'pending' RETURNING *",
        )
        .bind(state)
        .bind(reason)
        .bind(now)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .ctx("deciding a suggestion")
    }

    pub async fn count_author_suggestions(&self, platform: &str, author_id: &str) -> DbResult<i64> {
        let (n,): (i64,) =
            q("SELECT COUNT(*) FROM suggestions WHERE platform = ? AND author_id = ?")
                .bind(platform)
                .bind(author_id)
                .fetch_one(&self.pool)
                .await
                .ctx("counting suggestions")?;
        Ok(n)
    }

    /// Deletes a member's suggestions. An approved one leaves the rotation
    /// with it; prompts already posted from it stay in the archive, without
    /// the suggester's name. Returns how many.
    pub async fn erase_author_suggestions(&self, platform: &str, author_id: &str) -> DbResult<u64> {
        let mut tx = self.pool.begin_write().await.ctx("erasing suggestions")?;
        q(
            "UPDATE posts SET prompt_text = replace(prompt_text, '\n— suggested by ' || (
                 SELECT author_name FROM suggestions s WHERE 'suggestion-' || s.id = posts.prompt_id), '')
             WHERE prompt_pack = 'suggestions' AND prompt_id IN (
                 SELECT 'suggestion-' || id FROM suggestions WHERE platform = ? AND author_id = ? AND credit)",
        )
        .bind(platform)
        .bind(author_id)
        .execute(&mut tx)
        .await
        .ctx("erasing suggestions")?;
        let done = q("DELETE FROM suggestions WHERE platform = ? AND author_id = ?")
            .bind(platform)
            .bind(author_id)
            .execute(&mut tx)
            .await
            .ctx("erasing suggestions")?;
        tx.commit().await.ctx("erasing suggestions")?;
        Ok(done.rows_affected())
    }
}
