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
fn announce_note(a: &Announce) -> String {
    let mut parts = Vec::new();
    if let Some(p) = &a.ping {
        parts.push(format!("pings {p}"));
    }
    if a.pin {
        parts.push("pins its prompt".to_string());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// A time as people read it: in the channel's zone, with the UTC time beside
/// it unless the zone is UTC itself; with seconds when `seconds` (a schedule
/// that fires more often than whole minutes: the demo's `every 20s`).
pub(super) fn when(t: DateTime<Utc>, tz: &Tz, seconds: bool) -> String {
    let clock = if seconds { "%H:%M:%S" } else { "%H:%M" };
    let local = t
        .with_timezone(tz)
        .format(&format!("%a %Y-%m-%d {clock} %Z"))
        .to_string();
    // The zone's own name says UTC (UTC, Etc/UTC, Zulu, ...): once is enough.
    if t.with_timezone(tz).format("%Z").to_string() == "UTC" {
        local
    } else {
        format!("{local} ({})", t.format(&format!("{clock} UTC")))
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
    pub(super) async fn next(&self, channel: &ChannelRow, tz: &Tz) -> anyhow::Result<Answer> {
        Ok(Answer::text(self.next_text(channel, tz).await?))
    }

    pub(super) async fn skip(&self, channel: &ChannelRow, tz: &Tz) -> anyhow::Result<Answer> {
        let Some((sid, at, seconds)) = self.next_slot(channel).await? else {
            return refuse("Nothing is scheduled here, so there is nothing to skip.");
        };
        self.db.set_skip_slot(sid, Some(at.timestamp())).await?;
        Ok(Answer::text(format!(
            "The prompt due {} will be skipped.",
            when(at, tz, seconds)
        )))
    }

    pub(super) async fn pause(&self, channel: &ChannelRow) -> anyhow::Result<Answer> {
        self.db
            .set_channel_paused(channel.id, true, Some("paused by an admin"))
            .await?;
        self.rebuild_agenda().await?;
        Ok(Answer::text(
            "Paused. No prompts will post here until `resume`.",
        ))
    }

    pub(super) async fn resume(&self, channel: &ChannelRow, tz: &Tz) -> anyhow::Result<Answer> {
        let now = self.clock.now().timestamp();
        // Slots that fell while paused are not caught up.
        for s in self.db.schedules_of(channel.id).await? {
            self.db.set_last_slot(s.id, now).await?;
        }
        self.db.set_channel_paused(channel.id, false, None).await?;
        self.rebuild_agenda().await?;
        let channel = self.db.channel(channel.id).await?;
        Ok(Answer::text(format!(
            "Resumed. {}",
            self.next_text(&channel, tz).await?
        )))
    }

    pub(super) async fn schedule_add(
        &self,
        channel: &ChannelRow,
        spec: String,
        zone: Option<String>,
        announce: Announce,
    ) -> anyhow::Result<Answer> {
        let (sched, zone) = self.chat_schedule(channel, &spec, zone)?;
        let id = self
            .add_chat_schedule(channel, &spec, &zone, ORIGIN_COMMAND, &announce)
            .await?;
        self.refresh_schedule(id).await?;
        let next = self.next_fire_text(&sched);
        let mut text = format!(
            "Schedule #{id} added: `{spec}` in {zone}{}. Next: {next}.",
            announce_note(&announce)
        );
        if announce != Announce::default()
            && let Some(missing) = self.check_permissions(channel).await?
        {
            text.push(' ');
            text.push_str(&Self::permissions_sentence(&missing));
        }
        Ok(Answer::text(text))
    }

    pub(super) async fn schedule_list(&self, channel: &ChannelRow) -> anyhow::Result<Answer> {
        let list = self.db.schedules_of(channel.id).await?;
        if list.is_empty() {
            return Ok(Answer::text(
                "No schedules here. Add one with `!ponder schedule add daily 09:00 Europe/Berlin`.",
            ));
        }
        let mut out = String::new();
        for s in list {
            let next = self.due_of(s.id).map(|t| {
                let zone = parse_tz(&s.timezone).unwrap_or(Tz::UTC);
                when(t, &zone, sub_minute(&s.spec))
            });
            let _ = writeln!(
                out,
                "#{} `{}` {}{} ({}) next: {}",
                s.id,
                s.spec,
                s.timezone,
                announce_note(&s.announce()),
                s.origin,
                next.unwrap_or_else(|| "-".into())
            );
        }
        Ok(Answer::text(out.trim_end()))
    }

    pub(super) async fn schedule_remove(
        &self,
        channel: &ChannelRow,
        id: i64,
    ) -> anyhow::Result<Answer> {
        Ok(match self.db.schedule(id).await? {
            Some(s) if s.channel_id == channel.id => {
                self.db
                    .remove_schedule(id, self.clock.now().timestamp())
                    .await?;
                self.refresh_schedule(id).await?;
                let note = match &self.settings.config_file {
                    Some(file) if s.origin == ORIGIN_CONFIG => format!(
                        " It comes from {file} and returns on restart unless removed there."
                    ),
                    None if s.origin == ORIGIN_CONFIG => {
                        " It returns at the next start.".to_string()
                    }
                    _ => String::new(),
                };
                Answer::text(format!("Schedule #{id} removed.{note}"))
            }
            _ => {
                return refuse(format!(
                    "There is no schedule #{id} in this channel; `!ponder schedule list` shows them."
                ));
            }
        })
    }

    pub(super) async fn setup(
        &self,
        channel: &ChannelRow,
        spec: String,
        zone: Option<String>,
        announce: Announce,
    ) -> anyhow::Result<Answer> {
        let (sched, zone) = self.chat_schedule(channel, &spec, zone)?;
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
        let next = self.next_fire_text(&sched);
        let replaced = if replaced.is_empty() {
            String::new()
        } else {
            format!(", replacing schedule {}", replaced.join(", "))
        };
        let mut text = format!(
            "Set up: prompts post here `{spec}` ({zone}){}, schedule #{id}{replaced}. Next: {next}. \
             `now` posts one right away; `schedule add` adds more times.",
            announce_note(&announce)
        );
        if let Some(missing) = self.check_permissions(channel).await? {
            text.push('\n');
            text.push_str(&Self::permissions_sentence(&missing));
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
    ) -> anyhow::Result<(Schedule, String)> {
        let zone = zone.unwrap_or_else(|| channel.timezone.clone());
        let sched = match Schedule::new(spec, &zone) {
            Ok(s) => s,
            Err(e) => return refuse(e.to_string()),
        };
        if let Some(refusal) = self.too_frequent(&sched) {
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
    fn too_frequent(&self, sched: &Schedule) -> Option<String> {
        let min = self.settings.min_interval;
        let mut prev = sched.next_after(self.clock.now())?;
        for _ in 0..64 {
            let next = sched.next_after(prev)?;
            if next - prev < min {
                return Some(format!(
                    "That schedule fires {} apart; prompts here may come at most once every {}. \
                     (Whoever runs Ponder sets this with `min_schedule_interval` in config.toml.)",
                    span(next - prev),
                    span(min)
                ));
            }
            prev = next;
        }
        None
    }

    /// When a schedule fires next, from now, in its own zone.
    fn next_fire_text(&self, sched: &Schedule) -> String {
        sched
            .next_after(self.clock.now())
            .map(|t| when(t, &sched.tz, sub_minute(&sched.spec)))
            .unwrap_or_else(|| "never".into())
    }

    /// The channel's earliest upcoming slot that posts (a slot on a quiet
    /// day does not), its schedule, and whether that schedule fires at
    /// sub-minute times.
    pub(super) async fn next_slot(
        &self,
        channel: &ChannelRow,
    ) -> anyhow::Result<Option<(i64, DateTime<Utc>, bool)>> {
        Ok(self.upcoming(channel).await?.post)
    }

    pub(super) async fn next_text(&self, channel: &ChannelRow, tz: &Tz) -> anyhow::Result<String> {
        if channel.paused {
            return Ok(format!(
                "Prompts are paused here ({}).",
                channel.paused_reason.as_deref().unwrap_or("paused")
            ));
        }
        let up = self.upcoming(channel).await?;
        let next = match up.post {
            Some((_, at, seconds)) => format!("Next prompt: {}.", when(at, tz, seconds)),
            None => "No prompt is scheduled here.".into(),
        };
        Ok(match Self::quiet_note(&up, tz) {
            Some(quiet) => format!("{quiet} {next}"),
            None => next,
        })
    }
}
