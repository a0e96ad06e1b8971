//! The schedule commands: `setup`, `schedule add|list|remove`, `next`,
//! `skip`, `pause` and `resume`, and how their answers show times. Which
//! upcoming slot posts (quiet days pass some over) is in [`super::quiet`].

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{Answer, refuse};
use crate::db::{ChannelRow, ORIGIN_COMMAND, ORIGIN_CONFIG};
use crate::domain::schedule::{Announce, Schedule, parse_tz};
use crate::engine::Engine;
use crate::i18n::{Lang, date_time};
use crate::tr;

/// How the schedule `setup` made is marked, so a second `setup` replaces it.
pub const ORIGIN_SETUP: &str = "setup";

/// A duration as people write it: `90s`, `5m`, `2h`.
fn span(d: chrono::Duration) -> String {
    let s = d.num_seconds();
    if s >= 3600 && s % 3600 == 0 {
        format!("{}h", s / 3600)
    } else if s >= 60 && s % 60 == 0 {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

/// ` (pings X, pins)` after a schedule that announces itself.
fn announce_note(a: &Announce, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(p) = &a.ping {
        parts.push(tr!(lang, "announce-ping", who = p.as_str()));
    }
    if a.pin {
        parts.push(tr!(lang, "announce-pin"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// Whether a schedule fires at times that are not whole minutes.
pub(super) fn sub_minute(spec: &str) -> bool {
    matches!(
        crate::domain::schedule::Recurrence::parse(spec),
        Ok(crate::domain::schedule::Recurrence::Every { seconds }) if seconds % 60 != 0
    )
}

impl Engine {
    pub(super) async fn next(
        &self,
        channel: &ChannelRow,
        tz: &Tz,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        Ok(Answer::text(self.next_text(channel, tz, lang).await?))
    }

    pub(super) async fn skip(
        &self,
        channel: &ChannelRow,
        tz: &Tz,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let Some((sid, at, seconds)) = self.next_slot(channel).await? else {
            return refuse(tr!(lang, "skip-nothing"));
        };
        self.db.set_skip_slot(sid, Some(at.timestamp())).await?;
        let at = date_time(at, tz, seconds, lang);
        Ok(Answer::text(tr!(lang, "skip-done", when = at)))
    }

    pub(super) async fn pause(&self, channel: &ChannelRow, lang: Lang) -> anyhow::Result<Answer> {
        self.db
            .set_channel_paused(channel.id, true, Some("paused by an admin"))
            .await?;
        self.rebuild_agenda().await?;
        Ok(Answer::text(tr!(lang, "paused")))
    }

    pub(super) async fn resume(
        &self,
        channel: &ChannelRow,
        tz: &Tz,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let now = self.clock.now().timestamp();
        // Slots that fell while paused are not caught up.
        for s in self.db.schedules_of(channel.id).await? {
            self.db.set_last_slot(s.id, now).await?;
        }
        self.db.set_channel_paused(channel.id, false, None).await?;
        self.rebuild_agenda().await?;
        let channel = self.db.channel(channel.id).await?;
        let next = self.next_text(&channel, tz, lang).await?;
        Ok(Answer::text(tr!(lang, "resumed", next = next)))
    }

    pub(super) async fn schedule_add(
        &self,
        channel: &ChannelRow,
        spec: String,
        zone: Option<String>,
        announce: Announce,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let (sched, zone) = self.chat_schedule(channel, &spec, zone, lang)?;
        let id = self
            .add_chat_schedule(channel, &spec, &zone, ORIGIN_COMMAND, &announce)
            .await?;
        self.refresh_schedule(id).await?;
        let next = self.next_fire_text(&sched, lang);
        let mut text = tr!(
            lang,
            "schedule-added",
            id = id,
            spec = spec,
            zone = zone,
            announce = announce_note(&announce, lang),
            next = next
        );
        if announce != Announce::default()
            && let Some(missing) = self.check_permissions(channel).await?
        {
            text.push(' ');
            text.push_str(&Self::permissions_sentence(&missing, lang));
        }
        Ok(Answer::text(text))
    }

    pub(super) async fn schedule_list(
        &self,
        channel: &ChannelRow,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let list = self.db.schedules_of(channel.id).await?;
        if list.is_empty() {
            return Ok(Answer::text(tr!(lang, "schedule-none")));
        }
        let mut out = String::new();
        for s in list {
            let next = self.due_of(s.id).map(|t| {
                let zone = parse_tz(&s.timezone).unwrap_or(Tz::UTC);
                date_time(t, &zone, sub_minute(&s.spec), lang)
            });
            let line = tr!(
                lang,
                "schedule-line",
                id = s.id,
                spec = s.spec.as_str(),
                zone = s.timezone.as_str(),
                announce = announce_note(&s.announce(), lang),
                origin = s.origin.as_str(),
                next = next.unwrap_or_else(|| "-".into())
            );
            let _ = writeln!(out, "{line}");
        }
        Ok(Answer::text(out.trim_end()))
    }

    pub(super) async fn schedule_remove(
        &self,
        channel: &ChannelRow,
        id: i64,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        Ok(match self.db.schedule(id).await? {
            Some(s) if s.channel_id == channel.id => {
                self.db
                    .remove_schedule(id, self.clock.now().timestamp())
                    .await?;
                self.refresh_schedule(id).await?;
                let mut text = tr!(lang, "schedule-removed", id = id);
                let note = match &self.settings.config_file {
                    Some(file) if s.origin == ORIGIN_CONFIG => {
                        Some(tr!(lang, "schedule-returns-from", file = file.as_str()))
                    }
                    None if s.origin == ORIGIN_CONFIG => Some(tr!(lang, "schedule-returns")),
                    _ => None,
                };
                if let Some(note) = note {
                    text.push(' ');
                    text.push_str(&note);
                }
                Answer::text(text)
            }
            _ => return refuse(tr!(lang, "schedule-unknown", id = id)),
        })
    }

    pub(super) async fn setup(
        &self,
        channel: &ChannelRow,
        spec: String,
        zone: Option<String>,
        announce: Announce,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let (sched, zone) = self.chat_schedule(channel, &spec, zone, lang)?;
        self.db
            .configure_channel(channel.id, &zone, &channel.config_packs())
            .await?;
        self.db.set_channel_paused(channel.id, false, None).await?;
        let existing = self.db.schedules_of(channel.id).await?;
        let id = match existing
            .iter()
            .find(|s| s.spec == spec && s.timezone == zone && s.announce() == announce)
        {
            Some(s) => s.id,
            None => {
                self.add_chat_schedule(channel, &spec, &zone, ORIGIN_SETUP, &announce)
                    .await?
            }
        };
        // `setup` owns one schedule: an earlier setup's is replaced.
        let now = self.clock.now().timestamp();
        let mut replaced = Vec::new();
        for old in existing
            .iter()
            .filter(|s| s.origin == ORIGIN_SETUP && s.id != id)
        {
            self.db.remove_schedule(old.id, now).await?;
            replaced.push(format!("#{} `{}` ({})", old.id, old.spec, old.timezone));
        }
        self.rebuild_agenda().await?;
        let next = self.next_fire_text(&sched, lang);
        let replaced = if replaced.is_empty() {
            String::new()
        } else {
            tr!(lang, "setup-replacing", list = replaced.join(", "))
        };
        let mut text = tr!(
            lang,
            "setup-done",
            spec = spec,
            zone = zone,
            announce = announce_note(&announce, lang),
            id = id,
            replaced = replaced,
            next = next
        );
        if let Some(missing) = self.check_permissions(channel).await? {
            text.push('\n');
            text.push_str(&Self::permissions_sentence(&missing, lang));
        }
        Ok(Answer::text(text))
    }

    /// A schedule asked for in chat (`setup`, `schedule add`), in the zone
    /// given or the channel's, and that zone; refused when it cannot be
    /// understood or fires too often.
    fn chat_schedule(
        &self,
        channel: &ChannelRow,
        spec: &str,
        zone: Option<String>,
        lang: Lang,
    ) -> anyhow::Result<(Schedule, String)> {
        let zone = zone.unwrap_or_else(|| channel.timezone.clone());
        let sched = match Schedule::new(spec, &zone) {
            Ok(s) => s,
            Err(e) => return refuse(e.text(lang)),
        };
        if let Some(refusal) = self.too_frequent(&sched, lang) {
            return refuse(refusal);
        }
        Ok((sched, zone))
    }

    /// Adds a schedule asked for in chat.
    async fn add_chat_schedule(
        &self,
        channel: &ChannelRow,
        spec: &str,
        zone: &str,
        origin: &str,
        announce: &Announce,
    ) -> anyhow::Result<i64> {
        let now = self.clock.now().timestamp();
        Ok(self
            .db
            .add_schedule(channel.id, spec, zone, origin, announce, now)
            .await?)
    }

    /// Why a schedule asked for in chat fires too often, if it does: two of
    /// its next fire times closer than the operator's minimum interval.
    fn too_frequent(&self, sched: &Schedule, lang: Lang) -> Option<String> {
        let min = self.settings.min_interval;
        let mut prev = sched.next_after(self.clock.now())?;
        for _ in 0..64 {
            let next = sched.next_after(prev)?;
            if next - prev < min {
                return Some(tr!(
                    lang,
                    "too-frequent",
                    gap = span(next - prev),
                    min = span(min)
                ));
            }
            prev = next;
        }
        None
    }

    /// When a schedule fires next, from now, in its own zone.
    fn next_fire_text(&self, sched: &Schedule, lang: Lang) -> String {
        sched
            .next_after(self.clock.now())
            .map(|t| date_time(t, &sched.tz, sub_minute(&sched.spec), lang))
            .unwrap_or_else(|| tr!(lang, "never"))
    }

    /// The channel's earliest upcoming slot that posts (a slot on a quiet
    /// day does not), its schedule, and whether that schedule fires at
    /// sub-minute times.
    pub(super) async fn next_slot(
        &self,
        channel: &ChannelRow,
    ) -> anyhow::Result<Option<(i64, DateTime<Utc>, bool)>> {
        // only the slot is used: why a slot is quiet is not said
        Ok(self.upcoming(channel, Lang::En).await?.post)
    }

    pub(super) async fn next_text(
        &self,
        channel: &ChannelRow,
        tz: &Tz,
        lang: Lang,
    ) -> anyhow::Result<String> {
        if channel.paused {
            let reason = channel.paused_reason.as_deref().unwrap_or("paused");
            return Ok(tr!(lang, "paused-here", reason = reason));
        }
        let up = self.upcoming(channel, lang).await?;
        let next = match up.post {
            Some((_, at, seconds)) => {
                tr!(lang, "next-prompt", when = date_time(at, tz, seconds, lang))
            }
            None => tr!(lang, "no-prompt-scheduled"),
        };
        Ok(match Self::quiet_note(&up, tz, lang) {
            Some(quiet) => format!("{quiet} {next}"),
            None => next,
        })
    }
}
