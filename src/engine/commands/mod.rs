//! Applying a parsed [`Command`]: one function, whatever platform it came from.
//!
//! Rules where the issues left a choice:
//! - Personal commands (`help`, `about`, `forget-me`, an anonymous
//!   reflection) concern the caller, not the place they were typed: they
//!   never create a channel row, so a direct chat used for an anonymous
//!   reflection leaves no trace (not even its time) in the database. Other
//!   member commands in a place Ponder does not serve say so; only admin
//!   commands make a channel known.
//! - `setup` owns one schedule per channel: running it again with another
//!   time or zone replaces that schedule (and says so); `schedule add` adds.
//! - A schedule made in chat may not fire more often than the operator's
//!   `min_schedule_interval` (default 10 minutes), checked over its next
//!   fire times, so nobody floods a room or the bot's rate limit.
//! - A command written in a thread acts on that thread's prompt only if the
//!   thread belongs to the channel the command came from.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Engine;
use crate::db::{ChannelRow, ORIGIN_COMMAND, ORIGIN_CONFIG, PostRow, PostState};
use crate::domain::command::{Announce, Command, DigestMode, HELP};
use crate::domain::schedule::{Schedule, parse_tz};
use crate::export;

/// How the schedule `setup` made is marked, so a second `setup` replaces it.
pub const ORIGIN_SETUP: &str = "setup";

/// Who sent a command, and where.
#[derive(Debug, Clone)]
pub struct Caller {
    pub platform: String,
    pub channel: String,
    pub user_id: String,
    /// The name shown for the user (stored with their reflections).
    pub user_name: String,
    /// The thread the command was written in, if any.
    pub thread: Option<String>,
    /// Decided by the adapter (Discord permission, Matrix power level; the
    /// console's operator is always an admin).
    pub is_admin: bool,
    /// Only the caller sees the command and its answer (a Discord
    /// interaction, a Matrix direct message, the console).
    pub private: bool,
}

/// What the caller is told; adapters render it (ephemeral on Discord,
/// `m.notice` on Matrix, printed on the console).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    pub text: String,
    /// `(file name, contents)`, for exports.
    pub file: Option<(String, String)>,
    /// Follow-up commands offered with the answer: buttons on Discord; the
    /// text already says how to type them elsewhere.
    pub actions: Vec<Action>,
}

/// A command offered as a button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub label: String,
    pub command: Command,
}

impl Answer {
    pub(super) fn text(text: impl Into<String>) -> Answer {
        Answer {
            text: text.into(),
            ..Answer::default()
        }
    }
}

/// What `about` says: what is kept, for how long, and who can read it.
pub const ABOUT: &str = "\
Ponder posts a prompt here on a schedule and keeps what people write in its thread.
What it keeps: each prompt it posted and when; for each reply in a prompt's thread, \
your user id, your display name, the text, when you wrote it and when you last edited it. \
A deleted message loses its text. For an anonymous reflection it keeps no user id and no name, \
only a keyed hash that you alone can reproduce (by asking Ponder as yourself), so limits hold and `forget-me` finds it. \
For a suggestion: your user id, your name, the text and the admins' decision. \
Nothing else: no messages outside prompt threads, no reactions, no direct messages beyond commands.
How long: until an admin removes the database, or until you erase yours with `forget-me`.
Who can read it: the admins of this channel (with `export`; anonymous replies appear without any author) and whoever runs this Ponder.";

/// What a member command says in a place Ponder does not serve.
fn not_served(cmd: &Command) -> &'static str {
    match cmd {
        Command::Next => "No prompt is scheduled here.",
        Command::Reflect { .. } => "There is no open prompt here to answer yet.",
        Command::Suggest { .. } => {
            "Ponder posts no prompts here, so there is nothing to suggest for. Ask in a channel where it does."
        }
        _ => "Ponder posts no prompts here.",
    }
}

/// Whether a post belongs to this channel (a thread id from another room or
/// server must not reach another channel's prompt).
pub(super) fn in_channel(post: &PostRow, channel: &ChannelRow) -> bool {
    post.channel_id == channel.id
}

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
fn when(t: DateTime<Utc>, tz: &Tz, seconds: bool) -> String {
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
fn sub_minute(spec: &str) -> bool {
    matches!(
        crate::domain::schedule::Recurrence::parse(spec),
        Ok(crate::domain::schedule::Recurrence::Every { seconds }) if seconds % 60 != 0
    )
}

impl Engine {
    /// Applies a command and says what happened. Never fails: problems
    /// become polite answers (and a log line when they are ours).
    pub async fn handle(&self, caller: &Caller, cmd: Command) -> Answer {
        if cmd.needs_admin() && !caller.is_admin {
            return Answer::text("Only admins can do that here.");
        }
        match self.apply(caller, cmd).await {
            Ok(a) => a,
            Err(e) => {
                tracing::error!(error = %format!("{e:#}"), "command failed");
                crate::metrics::error("command");
                Answer::text("Something went wrong on Ponder's side; the log has the details.")
            }
        }
    }

    async fn channel_of(&self, caller: &Caller) -> anyhow::Result<ChannelRow> {
        let now = self.clock.now().timestamp();
        Ok(self
            .db
            .ensure_channel(
                &caller.platform,
                &caller.channel,
                &self.settings.default_timezone,
                now,
            )
            .await?)
    }

    async fn apply(&self, caller: &Caller, cmd: Command) -> anyhow::Result<Answer> {
        // About the caller, not the place: no channel row is made for these.
        match cmd {
            Command::Help => return Ok(Answer::text(HELP)),
            Command::About => return Ok(Answer::text(ABOUT)),
            Command::ForgetMe { confirm } => return self.forget_me(caller, confirm).await,
            Command::Reflect {
                text,
                anonymous: true,
                post,
            } => return self.reflect_anonymously(caller, &text, post).await,
            _ => {}
        }
        let known = self
            .db
            .find_channel(&caller.platform, &caller.channel)
            .await?;
        let channel = match known {
            Some(channel) => channel,
            None if cmd.needs_admin() => self.channel_of(caller).await?,
            None => return Ok(Answer::text(not_served(&cmd))),
        };
        let tz = parse_tz(&channel.timezone).unwrap_or(Tz::UTC);
        Ok(match cmd {
            Command::Help => Answer::text(HELP),
            Command::Now { prompt } => match self
                .post_now(&caller.platform, &caller.channel, prompt.as_deref())
                .await
            {
                Ok(post) if post.is(PostState::Failed) => Answer::text(format!(
                    "Could not post: {}",
                    post.error.unwrap_or_default()
                )),
                Ok(post) => Answer::text(format!(
                    "Posted {}/{} (post {}).",
                    post.prompt_pack, post.prompt_id, post.id
                )),
                Err(e) => Answer::text(format!("Could not post: {e}")),
            },
            Command::Next => Answer::text(self.next_text(&channel, &tz).await?),
            Command::Skip => {
                let Some((sid, at, seconds)) = self.next_slot(&channel).await? else {
                    return Ok(Answer::text(
                        "Nothing is scheduled here, so there is nothing to skip.",
                    ));
                };
                self.db.set_skip_slot(sid, Some(at.timestamp())).await?;
                Answer::text(format!(
                    "The prompt due {} will be skipped.",
                    when(at, &tz, seconds)
                ))
            }
            Command::Pause => {
                self.db
                    .set_channel_paused(channel.id, true, Some("paused by an admin"))
                    .await?;
                self.rebuild_agenda().await?;
                Answer::text("Paused. No prompts will post here until `resume`.")
            }
            Command::Resume => {
                let now = self.clock.now().timestamp();
                // Slots that fell while paused are not caught up.
                for s in self.db.schedules_of(channel.id).await? {
                    self.db.set_last_slot(s.id, now).await?;
                }
                self.db.set_channel_paused(channel.id, false, None).await?;
                self.rebuild_agenda().await?;
                let channel = self.db.channel(channel.id).await?;
                Answer::text(format!("Resumed. {}", self.next_text(&channel, &tz).await?))
            }
            Command::ScheduleAdd {
                spec,
                tz: zone,
                announce,
            } => {
                let zone = zone.unwrap_or_else(|| channel.timezone.clone());
                let sched = match Schedule::new(&spec, &zone) {
                    Ok(s) => s,
                    Err(e) => return Ok(Answer::text(e.to_string())),
                };
                if let Some(refusal) = self.too_frequent(&sched) {
                    return Ok(Answer::text(refusal));
                }
                let id = self
                    .add_chat_schedule(&channel, &spec, &zone, ORIGIN_COMMAND, &announce)
                    .await?;
                self.refresh_schedule(id).await?;
                let next = self.next_fire_text(&sched);
                let mut text = format!(
                    "Schedule #{id} added: `{spec}` in {zone}{}. Next: {next}.",
                    announce_note(&announce)
                );
                if announce != Announce::default()
                    && let Some(missing) = self.check_permissions(&channel).await?
                {
                    text.push(' ');
                    text.push_str(&Self::permissions_sentence(&missing));
                }
                Answer::text(text)
            }
            Command::ScheduleList => {
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
                Answer::text(out.trim_end())
            }
            Command::ScheduleRemove { id } => match self.db.schedule(id).await? {
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
                _ => Answer::text(format!(
                    "There is no schedule #{id} in this channel; `!ponder schedule list` shows them."
                )),
            },
            Command::Status => Answer::text(self.status_text(&channel, &tz).await?),
            Command::Export {
                format,
                post,
                from,
                to,
            } => {
                let day =
                    |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp());
                let filter = crate::db::ArchiveFilter {
                    channel_id: Some(channel.id),
                    post_id: post,
                    from: from.and_then(day),
                    until: to.and_then(|d| d.succ_opt()).and_then(day),
                };
                let archive = export::archive(&self.db, &filter).await?;
                let body = export::render(&archive, format)?;
                let name = format!(
                    "ponder-{}-{}.{}",
                    caller.platform,
                    channel.id,
                    format.extension()
                );
                let n = archive.len();
                Answer {
                    text: format!("{n} post{} exported.", if n == 1 { "" } else { "s" }),
                    file: Some((name, body)),
                    actions: Vec::new(),
                }
            }
            Command::Setup {
                spec,
                tz: zone,
                announce,
            } => {
                let zone = zone.unwrap_or_else(|| channel.timezone.clone());
                let sched = match Schedule::new(&spec, &zone) {
                    Ok(s) => s,
                    Err(e) => return Ok(Answer::text(e.to_string())),
                };
                if let Some(refusal) = self.too_frequent(&sched) {
                    return Ok(Answer::text(refusal));
                }
                self.db
                    .configure_channel(channel.id, &zone, &channel.pack_list())
                    .await?;
                self.db.set_channel_paused(channel.id, false, None).await?;
                let existing = self.db.schedules_of(channel.id).await?;
                let id = match existing
                    .iter()
                    .find(|s| s.spec == spec && s.timezone == zone && s.announce() == announce)
                {
                    Some(s) => s.id,
                    None => {
                        self.add_chat_schedule(&channel, &spec, &zone, ORIGIN_SETUP, &announce)
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
                if let Some(missing) = self.check_permissions(&channel).await? {
                    text.push('\n');
                    text.push_str(&Self::permissions_sentence(&missing));
                }
                Answer::text(text)
            }
            Command::Reflect {
                text,
                anonymous: false,
                ..
            } => self.reflect(caller, &channel, &text).await?,
            Command::Reflect {
                text,
                anonymous: true,
                post,
            } => self.reflect_anonymously(caller, &text, post).await?,
            Command::Suggest { text, credit } => {
                self.suggest(caller, &channel, &text, credit).await?
            }
            Command::Suggestions => self.suggestions_list(&channel).await?,
            Command::Approve { id } => self.decide(&channel, id, true, None).await?,
            Command::Reject { id, reason } => {
                self.decide(&channel, id, false, reason.as_deref()).await?
            }
            Command::Anonymous { allow } => {
                self.db
                    .set_channel_anonymous(channel.id, allow, None)
                    .await?;
                Answer::text(if allow {
                    "Members may now reflect anonymously here (`/reflect anonymous:True` on Discord, \
                     a direct message `!ponder anon TEXT` on Matrix). Ponder keeps no author for those."
                } else {
                    "Anonymous reflections are off here."
                })
            }
            Command::Stats => Answer::text(self.stats_text(caller, &channel).await?),
            Command::Digest { mode } => {
                self.db
                    .set_channel_digest(channel.id, mode.as_str())
                    .await?;
                Answer::text(match mode {
                    DigestMode::Thread => "When a thread closes, its digest goes into the thread.",
                    DigestMode::Channel => {
                        "When a thread closes, its digest goes into the channel."
                    }
                    DigestMode::Off => "No digests here.",
                })
            }
            Command::About => Answer::text(ABOUT),
            Command::ForgetMe { confirm } => self.forget_me(caller, confirm).await?,
            Command::Reload => match self.reload_prompts() {
                Ok(n) => Answer::text(format!("Reloaded: {n} prompts.")),
                Err(e) => Answer::text(format!(
                    "Kept the running prompts; the files have problems:\n{e}"
                )),
            },
        })
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

    /// Posts a member's reflection into the open prompt's thread (the one the
    /// command was written in, else the channel's newest) and stores it as
    /// their reply.
    async fn reflect(
        &self,
        caller: &Caller,
        channel: &ChannelRow,
        text: &str,
    ) -> anyhow::Result<Answer> {
        let post = match &caller.thread {
            Some(t) => self
                .db
                .post_by_thread(&caller.platform, t)
                .await?
                .filter(|p| in_channel(p, channel)),
            None => None,
        };
        let post = match post {
            Some(p) => Some(p),
            None => self.db.current_post(channel.id).await?,
        };
        let Some(post) = post.filter(|p| p.thread_id.is_some()) else {
            return Ok(Answer::text("There is no open prompt here to answer yet."));
        };
        let Some(chat) = self.chat(&caller.platform).cloned() else {
            return Ok(Answer::text("That platform is not running."));
        };
        let thread = post.thread_id.clone().unwrap_or_default();
        let body = format!("{} reflects:\n{}", caller.user_name, text);
        let message_id = match chat
            .send_in_thread(&channel.external_id, &thread, &body)
            .await
        {
            Ok(id) => id,
            Err(e) => return Ok(Answer::text(format!("Could not post your reflection: {e}"))),
        };
        let reply = super::IncomingReply {
            thread_id: thread,
            message_id,
            author_id: caller.user_id.clone(),
            author_name: caller.user_name.clone(),
            text: text.to_string(),
            at: self.clock.now(),
        };
        self.store_reply(&caller.platform, &reply, false, true)
            .await?;
        Ok(Answer::text(format!(
            "Your reflection is in the thread of \"{}\".",
            post.prompt_title
        )))
    }

    async fn stats_text(&self, caller: &Caller, channel: &ChannelRow) -> anyhow::Result<String> {
        let since = self.clock.now() - chrono::Duration::days(30);
        let s = self.db.channel_stats(channel.id, since.timestamp()).await?;
        let mut out = String::new();
        let rate = if s.posts > 0 {
            s.replies as f64 / s.posts as f64
        } else {
            0.0
        };
        let _ = writeln!(
            out,
            "Last 30 days here: {} prompt{}, {} repl{} from {} {} ({rate:.1} replies per prompt).",
            s.posts,
            if s.posts == 1 { "" } else { "s" },
            s.replies,
            if s.replies == 1 { "y" } else { "ies" },
            s.people,
            if s.people == 1 { "person" } else { "people" },
        );
        if !s.top.is_empty() {
            let top: Vec<String> = s
                .top
                .iter()
                .map(|(t, n)| format!("\"{t}\" ({n})"))
                .collect();
            let _ = writeln!(out, "Most answered: {}.", top.join(", "));
        }
        // A streak counts back from the newest prompt, not counting one still
        // open that the caller has not answered yet.
        let answered = self
            .db
            .answered_by(channel.id, &caller.user_id, 1000)
            .await?;
        let mut rows = answered.iter().peekable();
        if rows.peek().is_some_and(|(a, open)| !a && *open) {
            rows.next();
        }
        let streak = rows.take_while(|(a, _)| *a).count();
        let _ = write!(
            out,
            "Your streak: {streak} prompt{} in a row.",
            if streak == 1 { "" } else { "s" }
        );
        Ok(out)
    }

    /// The channel's earliest upcoming slot, its schedule, and whether that
    /// schedule fires at sub-minute times.
    async fn next_slot(
        &self,
        channel: &ChannelRow,
    ) -> anyhow::Result<Option<(i64, DateTime<Utc>, bool)>> {
        let mut best = None;
        for s in self.db.schedules_of(channel.id).await? {
            let Some(sched) = Self::schedule_of(&s) else {
                continue;
            };
            let after = DateTime::from_timestamp(s.last_slot.unwrap_or(s.created_at), 0)
                .unwrap_or_default();
            let mut at = sched.next_after(after.max(self.clock.now()));
            if at.map(|t| t.timestamp()) == s.skip_slot {
                at = at.and_then(|t| sched.next_after(t));
            }
            if let Some(at) = at
                && best.is_none_or(|(_, b, _)| at < b)
            {
                best = Some((s.id, at, sub_minute(&s.spec)));
            }
        }
        Ok(best)
    }

    async fn next_text(&self, channel: &ChannelRow, tz: &Tz) -> anyhow::Result<String> {
        if channel.paused {
            return Ok(format!(
                "Prompts are paused here ({}).",
                channel.paused_reason.as_deref().unwrap_or("paused")
            ));
        }
        Ok(match self.next_slot(channel).await? {
            Some((_, at, seconds)) => format!("Next prompt: {}.", when(at, tz, seconds)),
            None => "No prompt is scheduled here.".into(),
        })
    }

    async fn status_text(&self, channel: &ChannelRow, tz: &Tz) -> anyhow::Result<String> {
        let mut out = String::new();
        let state = if channel.paused {
            format!(
                "paused ({})",
                channel.paused_reason.as_deref().unwrap_or("-")
            )
        } else {
            "active".into()
        };
        let _ = writeln!(
            out,
            "Channel {} on {}: {state}, time zone {}.",
            channel.external_id, channel.platform, channel.timezone
        );
        let _ = writeln!(out, "{}", self.next_text(channel, tz).await?);
        let schedules = self.db.schedules_of(channel.id).await?;
        let _ = writeln!(
            out,
            "Schedules: {}",
            if schedules.is_empty() {
                "none".to_string()
            } else {
                schedules
                    .iter()
                    .map(|s| format!("#{} `{}` {}", s.id, s.spec, s.timezone))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        if let Some(post) = self.db.current_post(channel.id).await? {
            let replies = self.db.replies_of(post.id).await?.len();
            let _ = writeln!(
                out,
                "Open thread: \"{}\" (post {}), {replies} repl{}.",
                post.prompt_title,
                post.id,
                if replies == 1 { "y" } else { "ies" }
            );
        }
        let pool = self.pool_of(channel).await?;
        let (_, used) = self.db.rotation(channel.id).await?;
        let left = pool.iter().filter(|p| !used.contains(&p.id)).count();
        let _ = write!(
            out,
            "Rotation: {left} of {} prompts left in this cycle",
            pool.len()
        );
        let _ = writeln!(
            out,
            "{}",
            match left {
                0 => "; the next prompt starts a new cycle.",
                1 => "; after the next prompt the cycle wraps and prompts start to repeat.",
                _ => ".",
            }
        );
        if let Some(missing) = &channel.missing_permissions {
            let _ = writeln!(out, "Missing permissions: {missing}.");
        }
        let pending = self
            .db
            .suggestions_in(channel.id, crate::db::SUGGESTION_PENDING)
            .await?
            .len();
        if pending > 0 {
            let _ = writeln!(out, "Suggestions waiting: {pending} (`suggestions`).");
        }
        if channel.anonymous {
            let _ = writeln!(out, "Anonymous reflections: allowed.");
        }
        for p in self.db.recent_posts(channel.id, 5).await? {
            if p.is(PostState::Failed) {
                let _ = writeln!(
                    out,
                    "Failed: post {} ({}): {}",
                    p.id,
                    p.prompt_id,
                    p.error.as_deref().unwrap_or("-")
                );
            }
        }
        Ok(out.trim_end().to_string())
    }
}
