use super::sql::q;
use super::{Context, Db, DbResult};
use crate::domain::command::Announce;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ScheduleRow {
    pub id: i64,
    pub channel_id: i64,
    pub spec: String,
    pub timezone: String,
    pub origin: String,
    pub paused: bool,
    pub skip_slot: Option<i64>,
    pub last_slot: Option<i64>,
    pub created_at: i64,
    pub removed_at: Option<i64>,
    /// Who its prompts ping: a Discord role id or Matrix user ids (comma-separated).
    pub ping: Option<String>,
    /// Whether its newest prompt is pinned.
    pub pin: bool,
}

/// A schedule as the agenda's rebuild reads it ([`Db::due_schedules`]).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DueSchedule {
    pub id: i64,
    pub channel_id: i64,
    pub spec: String,
    pub timezone: String,
    pub after: i64,
}

impl ScheduleRow {
    pub fn announce(&self) -> Announce {
        Announce {
            ping: self.ping.clone(),
            pin: self.pin,
        }
    }
}

pub const ORIGIN_CONFIG: &str = "config";
pub const ORIGIN_COMMAND: &str = "command";

impl Db {
    pub async fn add_schedule(
        &self,
        channel_id: i64,
        spec: &str,
        timezone: &str,
        origin: &str,
        announce: &Announce,
        now: i64,
    ) -> DbResult<i64> {
        let (id,): (i64,) = q(
            "INSERT INTO schedules (channel_id, spec, timezone, origin, ping, pin, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(channel_id)
        .bind(spec)
        .bind(timezone)
        .bind(origin)
        .bind(&announce.ping)
        .bind(announce.pin)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .ctx("adding a schedule")?;
        Ok(id)
    }

    pub async fn schedule(&self, id: i64) -> DbResult<Option<ScheduleRow>> {
        q("SELECT * FROM schedules WHERE id = ? AND removed_at IS NULL")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .ctx("reading a schedule")
    }

    /// What the agenda needs of every schedule that can fire (not removed,
    /// not paused, in a channel not paused), in one query of only those
    /// columns: its id, expression and zone, and the time its next slot
    /// comes after (its last slot, else its creation).
    pub async fn due_schedules(&self) -> DbResult<Vec<DueSchedule>> {
        q(
            "SELECT s.id, s.channel_id, s.spec, s.timezone, COALESCE(s.last_slot, s.created_at) AS after
             FROM schedules s JOIN channels c ON c.id = s.channel_id
             WHERE s.removed_at IS NULL AND NOT s.paused AND NOT c.paused",
        )
        .fetch_all(&self.pool)
        .await
        .ctx("listing the schedules to put on the agenda")
    }

    pub async fn schedules_of(&self, channel_id: i64) -> DbResult<Vec<ScheduleRow>> {
        q("SELECT * FROM schedules WHERE channel_id = ? AND removed_at IS NULL ORDER BY id")
            .bind(channel_id)
            .fetch_all(&self.pool)
            .await
            .ctx("listing schedules")
    }

    pub async fn remove_schedule(&self, id: i64, now: i64) -> DbResult<bool> {
        let done = q("UPDATE schedules SET removed_at = ? WHERE id = ? AND removed_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("removing a schedule")?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn set_skip_slot(&self, id: i64, slot: Option<i64>) -> DbResult<()> {
        q("UPDATE schedules SET skip_slot = ? WHERE id = ?")
            .bind(slot)
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("skipping a slot")?;
        Ok(())
    }

    /// Records that every slot up to `slot` has been handled.
    pub async fn set_last_slot(&self, id: i64, slot: i64) -> DbResult<()> {
        q("UPDATE schedules SET last_slot = CASE WHEN last_slot IS NULL OR last_slot < ?1 THEN ?1 ELSE last_slot END WHERE id = ?2")
            .bind(slot)
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("recording a slot")?;
        Ok(())
    }

    /// Makes the channel's config-defined schedules exactly `wanted`
    /// (`(spec, timezone, announce)`), keeping the rows (and their history) of
    /// those that stay.
    pub async fn sync_config_schedules(
        &self,
        channel_id: i64,
        wanted: &[(String, String, Announce)],
        now: i64,
    ) -> DbResult<()> {
        let existing: Vec<ScheduleRow> = self
            .schedules_of(channel_id)
            .await?
            .into_iter()
            .filter(|s| s.origin == ORIGIN_CONFIG)
            .collect();
        for s in &existing {
            if !wanted.iter().any(|(spec, tz, announce)| {
                *spec == s.spec && *tz == s.timezone && *announce == s.announce()
            }) {
                self.remove_schedule(s.id, now).await?;
            }
        }
        for (spec, tz, announce) in wanted {
            if !existing
                .iter()
                .any(|s| s.spec == *spec && s.timezone == *tz && s.announce() == *announce)
            {
                self.add_schedule(channel_id, spec, tz, ORIGIN_CONFIG, announce, now)
                    .await?;
            }
        }
        Ok(())
    }
}
