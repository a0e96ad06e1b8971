use super::sql::q;
use std::collections::HashSet;

use super::sql::Tx;
use super::{Context, Db, DbResult};

/// The current cycle of a channel and the prompts it has used.
pub(super) async fn current(conn: &mut Tx, channel_id: i64) -> DbResult<(i64, HashSet<String>)> {
    let cycle: Option<(i64,)> = q("SELECT cycle FROM rotation_cycles WHERE channel_id = ?")
        .bind(channel_id)
        .fetch_optional(&mut *conn)
        .await
        .ctx("reading the rotation")?;
    let cycle = cycle.map_or(0, |c| c.0);
    let used: Vec<(String,)> =
        q("SELECT prompt_id FROM rotation_used WHERE channel_id = ? AND cycle = ?")
            .bind(channel_id)
            .bind(cycle)
            .fetch_all(&mut *conn)
            .await
            .ctx("reading the rotation")?;
    Ok((cycle, used.into_iter().map(|u| u.0).collect()))
}

/// Marks `prompt_id` used in `cycle`, making `cycle` the channel's current one.
pub(super) async fn mark_used(
    conn: &mut Tx,
    channel_id: i64,
    cycle: i64,
    prompt_id: &str,
    now: i64,
) -> DbResult<()> {
    q(
        "INSERT INTO rotation_cycles (channel_id, cycle) VALUES (?, ?)
         ON CONFLICT (channel_id) DO UPDATE SET cycle = excluded.cycle",
    )
    .bind(channel_id)
    .bind(cycle)
    .execute(&mut *conn)
    .await
    .ctx("advancing the rotation")?;
    q(
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
        let mut tx = self.pool.begin_read().await.ctx("reading the rotation")?;
        let found = current(&mut tx, channel_id).await?;
        tx.commit().await.ctx("reading the rotation")?;
        Ok(found)
    }
}
