//! The `quiet_days` and `skipped_slots` tables: a channel's quiet days, and
//! the slots that were skipped, with why.

use crate::db::sql::q;

use chrono::NaiveDate;

use crate::db::{Context, Db, DbResult, ORIGIN_CONFIG};
use crate::domain::quiet::{QuietRule, parse_weekdays};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct QuietRow {
    id: i64,
    channel_id: i64,
    first_day: Option<String>,
    last_day: Option<String>,
    weekdays: Option<String>,
    reason: Option<String>,
    origin: String,
    created_at: i64,
}

/// One quiet rule of a channel, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuietDay {
    pub id: i64,
    pub channel_id: i64,
    pub rule: QuietRule,
    pub reason: Option<String>,
    /// `config` or `command` (see [`ORIGIN_CONFIG`]).
    pub origin: String,
}

impl QuietRow {
    /// The row as a rule; `None` for a row this build cannot read (logged by the caller).
    fn into_quiet(self) -> Option<QuietDay> {
        let day = |s: &Option<String>| {
            s.as_deref()
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        };
        let rule = match (&self.weekdays, day(&self.first_day), day(&self.last_day)) {
            (Some(w), _, _) => parse_weekdays(w).ok()?,
            (None, Some(first), Some(last)) => QuietRule::Days { first, last },
            _ => return None,
        };
        Some(QuietDay {
            id: self.id,
            channel_id: self.channel_id,
            rule,
            reason: self.reason,
            origin: self.origin,
        })
    }
}

/// The columns of a rule: `(first_day, last_day, weekdays)`.
fn columns(rule: &QuietRule) -> (Option<String>, Option<String>, Option<String>) {
    match rule {
        QuietRule::Days { first, last } => (Some(first.to_string()), Some(last.to_string()), None),
        QuietRule::Weekly(days) => (None, None, Some(QuietRule::weekday_words(days))),
    }
}

impl Db {
    /// A channel's quiet rules, oldest first.
    pub async fn quiet_days(&self, channel_id: i64) -> DbResult<Vec<QuietDay>> {
        let rows: Vec<QuietRow> = q("SELECT * FROM quiet_days WHERE channel_id = ? ORDER BY id")
            .bind(channel_id)
            .fetch_all(&self.pool)
            .await
            .ctx("reading quiet days")?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let id = r.id;
                let q = r.into_quiet();
                if q.is_none() {
                    tracing::error!(quiet = id, "stored quiet day no longer reads; ignoring it");
                }
                q
            })
            .collect())
    }

    pub async fn add_quiet_day(
        &self,
        channel_id: i64,
        rule: &QuietRule,
        reason: Option<&str>,
        origin: &str,
        now: i64,
    ) -> DbResult<i64> {
        let (first, last, weekdays) = columns(rule);
        let (id,): (i64,) = q(
            "INSERT INTO quiet_days (channel_id, first_day, last_day, weekdays, reason, origin, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(channel_id)
        .bind(first)
        .bind(last)
        .bind(weekdays)
        .bind(reason)
        .bind(origin)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .ctx("adding a quiet day")?;
        Ok(id)
    }

    /// Removes one quiet rule of the channel; `false` when it has none by that id.
    pub async fn remove_quiet_day(&self, channel_id: i64, id: i64) -> DbResult<bool> {
        let done = q("DELETE FROM quiet_days WHERE id = ? AND channel_id = ?")
            .bind(id)
            .bind(channel_id)
            .execute(&self.pool)
            .await
            .ctx("removing a quiet day")?;
        Ok(done.rows_affected() == 1)
    }

    /// Removes the channel's weekly rules of one origin; how many there were.
    pub async fn remove_quiet_weekly(&self, channel_id: i64, origin: &str) -> DbResult<u64> {
        let done = q(
            "DELETE FROM quiet_days WHERE channel_id = ? AND origin = ? AND weekdays IS NOT NULL",
        )
        .bind(channel_id)
        .bind(origin)
        .execute(&self.pool)
        .await
        .ctx("removing a weekly quiet rule")?;
        Ok(done.rows_affected())
    }

    /// Makes the channel's config-defined quiet rules exactly `wanted`,
    /// keeping the rows (and ids) of those that stay.
    pub async fn sync_config_quiet(
        &self,
        channel_id: i64,
        wanted: &[(QuietRule, Option<String>)],
        now: i64,
    ) -> DbResult<()> {
        let existing: Vec<QuietDay> = self
            .quiet_days(channel_id)
            .await?
            .into_iter()
            .filter(|q| q.origin == ORIGIN_CONFIG)
            .collect();
        for q in &existing {
            if !wanted
                .iter()
                .any(|(r, why)| *r == q.rule && *why == q.reason)
            {
                self.remove_quiet_day(channel_id, q.id).await?;
            }
        }
        for (rule, why) in wanted {
            if !existing.iter().any(|q| q.rule == *rule && q.reason == *why) {
                self.add_quiet_day(channel_id, rule, why.as_deref(), ORIGIN_CONFIG, now)
                    .await?;
            }
        }
        Ok(())
    }

    /// Records a slot skipped rather than posted (once: a second record of
    /// the same slot keeps the first).
    pub async fn record_skipped_slot(
        &self,
        schedule_id: i64,
        slot: i64,
        reason: &str,
        now: i64,
    ) -> DbResult<()> {
        q(
            "INSERT INTO skipped_slots (schedule_id, slot_at, reason, skipped_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (schedule_id, slot_at) DO NOTHING",
        )
        .bind(schedule_id)
        .bind(slot)
        .bind(reason)
        .bind(now)
        .execute(&self.pool)
        .await
        .ctx("recording a skipped slot")?;
        Ok(())
    }

    /// The slots of a schedule that were skipped, newest first: `(slot, reason)`.
    pub async fn skipped_slots(
        &self,
        schedule_id: i64,
        limit: i64,
    ) -> DbResult<Vec<(i64, String)>> {
        q(
            "SELECT slot_at, reason FROM skipped_slots WHERE schedule_id = ?
             ORDER BY slot_at DESC LIMIT ?",
        )
        .bind(schedule_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .ctx("reading skipped slots")
    }
}
