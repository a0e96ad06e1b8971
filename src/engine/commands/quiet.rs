//! The quiet-day commands: `quiet add|list|remove|weekly`, and the
//! channel's upcoming slots as `next` and `skip` see them (a slot on a quiet
//! day does not post, so it is passed over and named).

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::schedules::sub_minute;
use super::{Answer, refuse};
use crate::db::{ChannelRow, ORIGIN_COMMAND, ORIGIN_CONFIG, QuietDay};
use crate::domain::quiet::QuietRule;
use crate::domain::schedule::{Schedule, parse_tz};
use crate::engine::Engine;
use crate::engine::quiet::why_quiet;
use crate::i18n::Lang;
use crate::tr;

/// The most quiet rules a channel may hold (past ones count until removed).
pub const MAX_QUIET_RULES: usize = 100;

/// How many fires of a schedule `next` looks through for one that posts
/// (an hourly schedule over a year-long quiet range is 8,784).
const LOOKAHEAD: usize = 10_000;

/// The channel's next slot that posts, and the first quiet slot before it.
#[derive(Debug, Default)]
pub(super) struct Upcoming {
    /// `(schedule id, slot, sub-minute schedule)`.
    pub post: Option<(i64, DateTime<Utc>, bool)>,
    /// `(slot, why, sub-minute schedule)`: the earliest slot skipped for a
    /// quiet day, when it comes before [`Upcoming::post`].
    pub quiet: Option<(DateTime<Utc>, String, bool)>,
}

/// A slot skipped for a quiet day, with why.
type QuietSlot = (DateTime<Utc>, String);

/// A schedule's first slot after `after` that posts (not quiet, not the one
/// `skip` marked), and the first quiet slot passed over on the way.
fn first_posting(
    sched: &Schedule,
    after: DateTime<Utc>,
    skip_slot: Option<i64>,
    rules: &[QuietDay],
    tz: &Tz,
) -> (Option<DateTime<Utc>>, Option<QuietSlot>) {
    let mut quiet = None;
    let mut cursor = after;
    for _ in 0..LOOKAHEAD {
        let Some(at) = sched.next_after(cursor) else {
            return (None, quiet);
        };
        cursor = at;
        if let Some(why) = why_quiet(rules, tz, at) {
            quiet.get_or_insert((at, why));
        } else if Some(at.timestamp()) != skip_slot {
            return (Some(at), quiet);
        }
    }
    (None, quiet)
}

/// `#3 2026-12-24..2026-12-26: holidays`, with where it came from.
fn describe(q: &QuietDay, today: chrono::NaiveDate) -> String {
    let mut out = format!("#{} {}", q.id, q.rule);
    if let Some(r) = &q.reason {
        let _ = write!(out, ": {r}");
    }
    let mut notes = Vec::new();
    if matches!(q.rule, QuietRule::Days { last, .. } if last < today) {
        notes.push("over");
    }
    if q.origin == ORIGIN_CONFIG {
        notes.push("from the config");
    }
    if !notes.is_empty() {
        let _ = write!(out, " ({})", notes.join(", "));
    }
    out
}

impl Engine {
    /// The channel's next posting slot and the first quiet slot before it.
    pub(super) async fn upcoming(&self, channel: &ChannelRow) -> anyhow::Result<Upcoming> {
        let rules = self.db.quiet_days(channel.id).await?;
        let tz = parse_tz(&channel.timezone).unwrap_or(Tz::UTC);
        let mut up = Upcoming::default();
        for s in self.db.schedules_of(channel.id).await? {
            let Some(sched) = Self::schedule_of(&s) else {
                continue;
            };
            let after = DateTime::from_timestamp(s.last_slot.unwrap_or(s.created_at), 0)
                .unwrap_or_default();
            let (at, quiet) = first_posting(
                &sched,
                after.max(self.clock.now()),
                s.skip_slot,
                &rules,
                &tz,
            );
            let seconds = sub_minute(&s.spec);
            if let Some(at) = at
                && up.post.is_none_or(|(_, b, _)| at < b)
            {
                up.post = Some((s.id, at, seconds));
            }
            if let Some((at, why)) = quiet
                && up.quiet.as_ref().is_none_or(|(b, _, _)| at < *b)
            {
                up.quiet = Some((at, why, seconds));
            }
        }
        if let (Some((_, post, _)), Some((quiet, ..))) = (&up.post, &up.quiet)
            && quiet > post
        {
            up.quiet = None;
        }
        Ok(up)
    }

    /// `next`'s sentence about a quiet slot ahead of the next prompt, if any.
    pub(super) fn quiet_note(up: &Upcoming, tz: &Tz, lang: Lang) -> Option<String> {
        let (at, why, seconds) = up.quiet.as_ref()?;
        let at = crate::i18n::date_time(*at, tz, *seconds, lang);
        Some(tr!(
            lang,
            "quiet-slot-skipped",
            when = at,
            why = why.as_str()
        ))
    }

    pub(super) async fn quiet_add(
        &self,
        channel: &ChannelRow,
        tz: &Tz,
        rule: QuietRule,
        reason: Option<String>,
    ) -> anyhow::Result<Answer> {
        let now = self.clock.now();
        let today = now.with_timezone(tz).date_naive();
        if let QuietRule::Days { last, .. } = &rule
            && *last < today
        {
            return refuse(format!(
                "{rule} is already over here (today is {today} in {}); nothing to keep quiet.",
                channel.timezone
            ));
        }
        if self.db.quiet_days(channel.id).await?.len() >= MAX_QUIET_RULES {
            return refuse(format!(
                "This channel has {MAX_QUIET_RULES} quiet rules, the most it may hold; \
                 remove old ones with `quiet remove ID` (`quiet list` shows them)."
            ));
        }
        let id = self
            .db
            .add_quiet_day(
                channel.id,
                &rule,
                reason.as_deref(),
                ORIGIN_COMMAND,
                now.timestamp(),
            )
            .await?;
        let why = reason.map(|r| format!(" ({r})")).unwrap_or_default();
        Ok(Answer::text(format!(
            "Quiet #{id} added: {rule}{why}, days in {}. Slots on those days are skipped, \
             not posted later. {}",
            channel.timezone,
            self.next_text(channel, tz, Lang::En).await?
        )))
    }

    pub(super) async fn quiet_list(&self, channel: &ChannelRow, tz: &Tz) -> anyhow::Result<Answer> {
        let rules = self.db.quiet_days(channel.id).await?;
        if rules.is_empty() {
            return Ok(Answer::text(
                "No quiet days here. Add some with `quiet add 2026-12-24..2026-12-26 holidays`, \
                 or `quiet weekly sat,sun` for a day off each week.",
            ));
        }
        let today = self.clock.now().with_timezone(tz).date_naive();
        let mut out = format!("Quiet days here (days in {}):\n", channel.timezone);
        for q in &rules {
            let _ = writeln!(out, "{}", describe(q, today));
        }
        Ok(Answer::text(out.trim_end()))
    }

    pub(super) async fn quiet_remove(
        &self,
        channel: &ChannelRow,
        tz: &Tz,
        id: i64,
    ) -> anyhow::Result<Answer> {
        let rules = self.db.quiet_days(channel.id).await?;
        let Some(q) = rules.iter().find(|q| q.id == id) else {
            return refuse(format!(
                "There is no quiet #{id} in this channel; `quiet list` shows them."
            ));
        };
        self.db.remove_quiet_day(channel.id, id).await?;
        let note = match &self.settings.config_file {
            Some(file) if q.origin == ORIGIN_CONFIG => {
                format!(" It comes from {file} and returns on restart unless removed there.")
            }
            None if q.origin == ORIGIN_CONFIG => " It returns at the next start.".into(),
            _ => String::new(),
        };
        Ok(Answer::text(format!(
            "Quiet #{id} ({}) removed.{note} {}",
            q.rule,
            self.next_text(channel, tz, Lang::En).await?
        )))
    }

    pub(super) async fn quiet_weekly(
        &self,
        channel: &ChannelRow,
        tz: &Tz,
        rule: Option<QuietRule>,
    ) -> anyhow::Result<Answer> {
        let removed = self
            .db
            .remove_quiet_weekly(channel.id, ORIGIN_COMMAND)
            .await?;
        let from_config: Vec<String> = self
            .db
            .quiet_days(channel.id)
            .await?
            .iter()
            .filter(|q| q.origin == ORIGIN_CONFIG && matches!(q.rule, QuietRule::Weekly(_)))
            .map(|q| format!("#{} {}", q.id, q.rule))
            .collect();
        let config_note = if from_config.is_empty() {
            String::new()
        } else {
            format!(
                " The config's {} stays; it can be changed only there.",
                from_config.join(", ")
            )
        };
        let text = match rule {
            Some(rule) => {
                let now = self.clock.now().timestamp();
                let id = self
                    .db
                    .add_quiet_day(channel.id, &rule, None, ORIGIN_COMMAND, now)
                    .await?;
                let replaced = if removed > 0 {
                    " (replacing the earlier weekly rule)"
                } else {
                    ""
                };
                format!(
                    "Quiet #{id}: {rule}, days in {}{replaced}.{config_note}",
                    channel.timezone
                )
            }
            None if removed == 0 && from_config.is_empty() => {
                return refuse("There are no weekly quiet days here.");
            }
            None if removed == 0 => format!("No weekly quiet days were set in chat.{config_note}"),
            None => format!("Weekly quiet days removed.{config_note}"),
        };
        Ok(Answer::text(format!(
            "{text} {}",
            self.next_text(channel, tz, Lang::En).await?
        )))
    }
}
