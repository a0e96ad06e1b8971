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
    lang: Lang,
) -> (Option<DateTime<Utc>>, Option<QuietSlot>) {
    let mut quiet = None;
    let mut cursor = after;
    for _ in 0..LOOKAHEAD {
        let Some(at) = sched.next_after(cursor) else {
            return (None, quiet);
        };
        cursor = at;
        if let Some(why) = why_quiet(rules, tz, at, lang) {
            quiet.get_or_insert((at, why));
        } else if Some(at.timestamp()) != skip_slot {
            return (Some(at), quiet);
        }
    }
    (None, quiet)
}

/// `#3 2026-12-24..2026-12-26: holidays`, with where it came from.
fn describe(q: &QuietDay, today: chrono::NaiveDate, lang: Lang) -> String {
    let mut out = format!("#{} {}", q.id, q.rule);
    if let Some(r) = &q.reason {
        let _ = write!(out, ": {r}");
    }
    let mut notes = Vec::new();
    if matches!(q.rule, QuietRule::Days { last, .. } if last < today) {
        notes.push(tr!(lang, "quiet-note-over"));
    }
    if q.origin == ORIGIN_CONFIG {
        notes.push(tr!(lang, "quiet-note-config"));
    }
    if !notes.is_empty() {
        let _ = write!(out, " ({})", notes.join(", "));
    }
    out
}

impl Engine {
    /// The channel's next posting slot and the first quiet slot before it
    /// (why it is quiet said in `lang`).
    pub(super) async fn upcoming(
        &self,
        channel: &ChannelRow,
        lang: Lang,
    ) -> anyhow::Result<Upcoming> {
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
                lang,
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
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let now = self.clock.now();
        let today = now.with_timezone(tz).date_naive();
        if let QuietRule::Days { last, .. } = &rule
            && *last < today
        {
            return refuse(tr!(
                lang,
                "quiet-already-over",
                rule = rule.to_string(),
                today = today.to_string(),
                zone = channel.timezone.as_str()
            ));
        }
        if self.db.quiet_days(channel.id).await?.len() >= MAX_QUIET_RULES {
            return refuse(tr!(lang, "quiet-too-many", max = MAX_QUIET_RULES));
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
        Ok(Answer::text(tr!(
            lang,
            "quiet-added",
            id = id,
            rule = rule.to_string(),
            reason = why,
            zone = channel.timezone.as_str(),
            next = self.next_text(channel, tz, lang).await?
        )))
    }

    pub(super) async fn quiet_list(
        &self,
        channel: &ChannelRow,
        tz: &Tz,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let rules = self.db.quiet_days(channel.id).await?;
        if rules.is_empty() {
            return Ok(Answer::text(tr!(lang, "quiet-none")));
        }
        let today = self.clock.now().with_timezone(tz).date_naive();
        let mut out = tr!(lang, "quiet-list", zone = channel.timezone.as_str());
        out.push('\n');
        for q in &rules {
            let _ = writeln!(out, "{}", describe(q, today, lang));
        }
        Ok(Answer::text(out.trim_end()))
    }

    pub(super) async fn quiet_remove(
        &self,
        channel: &ChannelRow,
        tz: &Tz,
        id: i64,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let rules = self.db.quiet_days(channel.id).await?;
        let Some(q) = rules.iter().find(|q| q.id == id) else {
            return refuse(tr!(lang, "quiet-unknown", id = id));
        };
        self.db.remove_quiet_day(channel.id, id).await?;
        let mut text = tr!(lang, "quiet-removed", id = id, rule = q.rule.to_string());
        let note = match &self.settings.config_file {
            Some(file) if q.origin == ORIGIN_CONFIG => {
                Some(tr!(lang, "quiet-returns-from", file = file.as_str()))
            }
            None if q.origin == ORIGIN_CONFIG => Some(tr!(lang, "quiet-returns")),
            _ => None,
        };
        for part in note
            .into_iter()
            .chain([self.next_text(channel, tz, lang).await?])
        {
            text.push(' ');
            text.push_str(&part);
        }
        Ok(Answer::text(text))
    }

    pub(super) async fn quiet_weekly(
        &self,
        channel: &ChannelRow,
        tz: &Tz,
        rule: Option<QuietRule>,
        lang: Lang,
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
        let config_note = (!from_config.is_empty())
            .then(|| tr!(lang, "quiet-weekly-config", rules = from_config.join(", ")));
        let text = match rule {
            Some(rule) => {
                let now = self.clock.now().timestamp();
                let id = self
                    .db
                    .add_quiet_day(channel.id, &rule, None, ORIGIN_COMMAND, now)
                    .await?;
                let replacing = if removed > 0 {
                    tr!(lang, "quiet-weekly-replacing")
                } else {
                    String::new()
                };
                tr!(
                    lang,
                    "quiet-weekly-set",
                    id = id,
                    rule = rule.to_string(),
                    zone = channel.timezone.as_str(),
                    replacing = replacing
                )
            }
            None if removed == 0 && from_config.is_empty() => {
                return refuse(tr!(lang, "quiet-weekly-none"));
            }
            None if removed == 0 => tr!(lang, "quiet-weekly-none-in-chat"),
            None => tr!(lang, "quiet-weekly-removed"),
        };
        let mut text = text;
        for part in config_note
            .into_iter()
            .chain([self.next_text(channel, tz, lang).await?])
        {
            text.push(' ');
            text.push_str(&part);
        }
        Ok(Answer::text(text))
    }
}
