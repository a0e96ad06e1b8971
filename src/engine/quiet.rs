//! Quiet days in the engine: whether a slot falls on a quiet day of its
//! channel (judged by the slot's day in the channel's zone), and how a slot
//! that does not post is recorded. A skipped slot counts as handled (the
//! schedule's `last_slot` moves past it), so no restart and no catch-up ever
//! posts it later.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Engine;
use crate::db::{ChannelRow, QuietDay, ScheduleRow};
use crate::domain::schedule::parse_tz;
use crate::i18n::Lang;
use crate::tr;

/// Why `slot` is quiet by these rules, in the channel zone `tz`, if it is:
/// `quiet day 2026-12-25 (#3 2026-12-24..2026-12-26: holidays)`, in `lang`.
pub fn why_quiet(rules: &[QuietDay], tz: &Tz, slot: DateTime<Utc>, lang: Lang) -> Option<String> {
    let day = slot.with_timezone(tz).date_naive();
    let q = rules.iter().find(|q| q.rule.covers(day))?;
    let reason = q
        .reason
        .as_deref()
        .map_or(String::new(), |r| format!(": {r}"));
    Some(tr!(
        lang,
        "quiet-day",
        day = day.to_string(),
        id = q.id,
        rule = q.rule.to_string(),
        reason = reason
    ))
}

impl Engine {
    /// Why the slot is quiet in this channel, if it is: in English, as the
    /// record of a skipped slot is (the operator's, not a chat text).
    pub(super) async fn quiet_reason(
        &self,
        channel: &ChannelRow,
        slot: DateTime<Utc>,
    ) -> anyhow::Result<Option<String>> {
        let rules = self.db.quiet_days(channel.id).await?;
        let tz = parse_tz(&channel.timezone).unwrap_or(Tz::UTC);
        Ok(why_quiet(&rules, &tz, slot, Lang::En))
    }

    /// Records a slot that is skipped rather than posted, with why, and
    /// moves the schedule past it.
    pub(super) async fn skip_slot(
        &self,
        row: &ScheduleRow,
        channel: &ChannelRow,
        slot: DateTime<Utc>,
        reason: &str,
    ) -> anyhow::Result<()> {
        tracing::info!(schedule = row.id, channel = %channel.external_id, slot = %slot, reason, "slot skipped");
        crate::metrics::post(&channel.platform, "skipped");
        let now = self.clock.now().timestamp();
        self.db
            .record_skipped_slot(row.id, slot.timestamp(), reason, now)
            .await?;
        self.db.set_last_slot(row.id, slot.timestamp()).await?;
        Ok(())
    }
}
