//! The agenda: which schedules are due when, rebuilt from the database at
//! start (one query of the columns it needs), kept up to date as schedules
//! fire and change, and limited to the channels this process serves when
//! a platform's work is split across processes (a Discord shard range).

use std::collections::{HashMap, HashSet};

use chrono::DateTime;

use super::Engine;
use super::scheduler::{Agenda, Job};
use crate::db::{ChannelRow, ScheduleRow};
use crate::domain::schedule::Schedule;

impl Engine {
    /// Whether this process acts on a channel: posts, closes and reads its
    /// threads. Every channel, unless its platform's work is split across
    /// processes (see [`Chat::serves`]): then only its own servers'
    /// channels, and a channel whose server is not known yet waits until
    /// it is known to be this process's. A platform this process does not
    /// run: on a database of its own, its slots are claimed and wait
    /// (pending) for a run that has it; on a database shared with other
    /// processes (PostgreSQL) its channels are another process's.
    pub fn serves(&self, channel: &ChannelRow) -> bool {
        match self.chat(&channel.platform) {
            Some(chat) => chat.serves(channel.guild.as_deref()),
            None => !self.db.is_shared(),
        }
    }

    /// Whether some platform serves only part of its channels here (a
    /// Discord shard range): then learning a channel's server can make it
    /// this process's to post in.
    pub(super) fn serves_part(&self) -> bool {
        self.db.is_shared() || self.chats.values().any(|chat| !chat.serves(None))
    }

    /// After channels' servers were learned (`changed` of them anew): with
    /// a shard range, a channel may have just become this process's, so its
    /// schedules join the agenda. Only schedules: a channel this process
    /// did not serve has no post of this process's to close or retry, and
    /// what the agenda holds (retries in hand, their backoffs) stays as it is.
    pub(super) async fn servers_learned(&self, changed: u64) -> anyhow::Result<()> {
        if changed == 0 || !self.serves_part() {
            return Ok(());
        }
        let served = self.served_channels().await?;
        let due = self.schedules_due(served.as_ref()).await?;
        let mut agenda = self.agenda.lock().unwrap();
        let mut added = 0;
        for (id, at) in due {
            if agenda.schedule_due(id).is_none() {
                agenda.set_schedule(id, at);
                added += 1;
            }
        }
        drop(agenda);
        tracing::debug!(
            channels = changed,
            schedules = added,
            "channels' servers learned; this process's shards' schedules are on the agenda"
        );
        self.wake.notify_one();
        Ok(())
    }

    /// With a shard range, the ids of this process's channels (see
    /// [`Engine::serves`]); `None`, and nothing read, when it serves every one.
    pub(super) async fn served_channels(&self) -> anyhow::Result<Option<HashSet<i64>>> {
        if !self.serves_part() {
            return Ok(None);
        }
        let all = self.db.channels().await?;
        let ids: HashSet<i64> = all
            .iter()
            .filter(|c| self.serves(c))
            .map(|c| c.id)
            .collect();
        if ids.len() < all.len() {
            tracing::debug!(
                served = ids.len(),
                left = all.len() - ids.len(),
                "channels of other processes' shards, or whose server is not known yet, are left alone"
            );
        }
        Ok(Some(ids))
    }

    /// Every schedule that can fire in the channels served (all when
    /// `None`), with its next due time.
    async fn schedules_due(
        &self,
        served: Option<&HashSet<i64>>,
    ) -> anyhow::Result<Vec<(i64, i64)>> {
        let schedules = self.db.due_schedules().await?;
        // Many schedules share an expression and a zone: parse each pair once.
        let mut parsed: HashMap<(&str, &str), Option<Schedule>> = HashMap::new();
        let mut due = Vec::with_capacity(schedules.len());
        for s in &schedules {
            if served.is_some_and(|ids| !ids.contains(&s.channel_id)) {
                continue;
            }
            let sched = parsed
                .entry((s.spec.as_str(), s.timezone.as_str()))
                .or_insert_with(|| parse_stored(s.id, &s.spec, &s.timezone));
            let next = sched
                .as_ref()
                .zip(DateTime::from_timestamp(s.after, 0))
                .and_then(|(sched, after)| sched.next_after(after));
            if let Some(at) = next {
                due.push((s.id, at.timestamp()));
            }
        }
        Ok(due)
    }

    /// Rebuilds the agenda from the database: the schedules, closes and
    /// retries of the channels this process serves ([`Engine::serves`]).
    pub async fn rebuild_agenda(&self) -> anyhow::Result<()> {
        let served = self.served_channels().await?;
        let mine = |channel_id: &i64| served.as_ref().is_none_or(|ids| ids.contains(channel_id));
        let due = self.schedules_due(served.as_ref()).await?;
        let open = self.db.posts_in_state(crate::db::PostState::Open).await?;
        let unfinished = self.db.unfinished_posts().await?;
        let mut agenda = Agenda::default();
        for (id, at) in due {
            agenda.set_schedule(id, at);
        }
        for p in open.iter().filter(|p| mine(&p.channel_id)) {
            if let Some(at) = p.close_at {
                agenda.push(at, Job::Close(p.id));
            }
        }
        for p in unfinished.iter().filter(|p| mine(&p.channel_id)) {
            agenda.push(p.retry_at.unwrap_or(0), Job::Retry(p.id));
        }
        *self.agenda.lock().unwrap() = agenda;
        self.wake.notify_one();
        Ok(())
    }

    /// Recomputes one schedule's place in the agenda after it changed.
    pub(super) async fn refresh_schedule(&self, schedule_id: i64) -> anyhow::Result<()> {
        match self.db.schedule(schedule_id).await? {
            Some(s) => {
                let channel = self.db.channel(s.channel_id).await?;
                self.set_next_due(&s, Self::schedule_of(&s).as_ref(), &channel);
            }
            None => {
                self.agenda.lock().unwrap().unset_schedule(schedule_id);
                self.wake.notify_one();
            }
        }
        Ok(())
    }

    /// Puts a schedule's next due time on the agenda from rows in hand (off
    /// it when its channel is not this process's: see `serves`).
    pub(super) fn set_next_due(
        &self,
        row: &ScheduleRow,
        sched: Option<&Schedule>,
        channel: &ChannelRow,
    ) {
        let due = Some(channel)
            .filter(|c| self.serves(c))
            .and_then(|c| next_due_of(row, sched, Some(c)));
        let mut agenda = self.agenda.lock().unwrap();
        match due {
            Some(at) => agenda.set_schedule(row.id, at),
            None => agenda.unset_schedule(row.id),
        }
        drop(agenda);
        self.wake.notify_one();
    }

    pub(super) fn schedule_of(row: &ScheduleRow) -> Option<Schedule> {
        parse_stored(row.id, &row.spec, &row.timezone)
    }
}

/// A stored schedule's expression in its zone; `None` (said once, as an
/// error) when it no longer parses.
fn parse_stored(id: i64, spec: &str, timezone: &str) -> Option<Schedule> {
    match Schedule::new(spec, timezone) {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::error!(schedule = id, error = %e, "stored schedule no longer parses; ignoring it");
            None
        }
    }
}

/// The next time a schedule needs attention: its first slot after the last
/// one handled (or after its creation), its expression already parsed.
/// `None` when paused or never again. (The agenda's rebuild asks the same
/// of [`crate::db::Db::due_schedules`], in SQL.)
fn next_due_of(
    s: &ScheduleRow,
    sched: Option<&Schedule>,
    channel: Option<&ChannelRow>,
) -> Option<i64> {
    if s.paused || s.removed_at.is_some() || channel.is_none_or(|c| c.paused) {
        return None;
    }
    let sched = sched?;
    let after = DateTime::from_timestamp(s.last_slot.unwrap_or(s.created_at), 0)?;
    sched.next_after(after).map(|t| t.timestamp())
}
