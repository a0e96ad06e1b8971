use std::collections::HashSet;

use sqlx::SqliteConnection;

use super::{Context, Db, DbResult};

/// The current cycle of a channel and the prompts it has used.
pub(super) async fn current(
    conn: &mut SqliteConnection,
    channel_id: i64,
) -> DbResult<(i64, HashSet<String>)> {
    let cycle: Option<(i64,)> =
        sqlx::query_as("SELECT cycle FROM rotation_cycles WHERE channel_id = ?")
            .bind(channel_id)
            .fetch_optional(&mut *conn)
            .await
            .ctx("reading the rotation")?;
    let cycle = cycle.map_or(0, |c| c.0);
    let used: Vec<(String,)> =
        sqlx::query_as("SELECT prompt_id FROM rotation_used WHERE channel_id = ? AND cycle = ?")
            .bind(channel_id)
            .bind(cycle)
            .fetch_all(&mut *conn)
            .await
            .ctx("reading the rotation")?;
    Ok((cycle, used.into_iter().map(|u| u.0).collect()))
}

/// Marks `prompt_id` used in `cycle`, making `cycle` the channel's current one.
pub(super) async fn mark_used(
    conn: &mut SqliteConnection,
    channel_id: i64,
    cycle: i64,
    prompt_id: &str,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO rotation_cycles (channel_id, cycle) VALUES (?, ?)
         ON CONFLICT (channel_id) DO UPDATE SET cycle = excluded.cycle",
    )
    .bind(channel_id)
    .bind(cycle)
    .execute(&mut *conn)
    .await
    .ctx("advancing the rotation")?;
    sqlx::query(
        "INSERT INTO rotation_used (channel_id, cycle, prompt_id, used_at) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING",
    )
    .bind(channel_id)
    .bind(cycle)
    .bind(prompt_id)
    .bind(now)
    .execute(&mut *conn)
    .await
    .ctx("advancing the rotation")?;
    Ok(())
}

impl Db {
    /// The channel's current cycle number and the prompt ids it has used.
    pub async fn rotation(&self, channel_id: i64) -> DbResult<(i64, HashSet<String>)> {
        let mut conn = self.pool.acquire().await.ctx("reading the rotation")?;
        current(&mut conn, channel_id).await
    }
}
