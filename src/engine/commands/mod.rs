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

//!
//! [`Engine::apply`] is the one dispatch: each arm is one call. The schedule
//! commands are in [`schedules`], the reports (`status`, `stats`, `export`,
//! `about`) in [`reports`], `prompts list` in [`prompts`], a community's own packs in [`packs`] and [`curate`], the quiet days
//! (`quiet add|list|remove|weekly`) in [`quiet`]; the community commands have their own files
//! beside this module (`suggestions`, `reflections`, `forget`), as has the
//! digest setting (`digest`).

mod archive;
mod curate;
mod language;
mod packs;
mod prompts;
mod quiet;
mod reports;
mod schedules;

use chrono_tz::Tz;

use super::Engine;
use crate::db::{ChannelRow, PostState};
use crate::domain::command::Command;
use crate::domain::schedule::parse_tz;
use crate::i18n::Lang;
use crate::tr;

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
    /// The caller's own language where the platform says it (Discord: the
    /// interaction's locale, else the server's preferred one), as a tag like
    /// `de` or `en-US`; answers follow it where the channel sets no language
    /// (see `Engine::answer_lang`).
    pub locale: Option<String>,
}

/// What the caller is told; adapters render it (ephemeral on Discord,
/// `m.notice` on Matrix, printed on the console).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    pub text: String,
    /// `(file name, contents)`, for exports and archives.
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

/// A polite no: the command cannot do what was asked, here and now (nothing
/// to act on, a limit reached, a place Ponder does not serve, the platform
/// said no). It is the caller's answer, not a fault of Ponder's: it travels
/// as the error of a command's `anyhow::Result` (so `?` carries it out of any
/// depth), and [`Engine::handle`] shows its text and logs nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

/// Refuses with this text: `return refuse("...")`.
pub(super) fn refuse<T>(text: impl Into<String>) -> anyhow::Result<T> {
    Err(Refusal(text.into()).into())
}

impl Answer {
    pub(super) fn text(text: impl Into<String>) -> Answer {
        Answer {
            text: text.into(),
            ..Answer::default()
        }
    }
}

/// What a member command says in a place Ponder does not serve.
fn not_served(cmd: &Command, lang: Lang) -> String {
    match cmd {
        Command::Next => tr!(lang, "no-prompt-scheduled"),
        Command::Reflect { .. } => tr!(lang, "no-open-prompt"),
        Command::Suggest { .. } => tr!(lang, "not-served-suggest"),
        _ => tr!(lang, "not-served"),
    }
}

impl Engine {
    /// Applies a command and says what happened. Never fails: problems
    /// become polite answers (and a log line when they are ours).
    pub async fn handle(&self, caller: &Caller, cmd: Command) -> Answer {
        let known = self
            .db
            .find_channel(&caller.platform, &caller.channel)
            .await
            .ok()
            .flatten();
        let lang = self.answer_lang(known.as_ref(), caller);
        if cmd.needs_admin() && !caller.is_admin {
            return Answer::text(tr!(lang, "only-admins"));
        }
        match self
            .apply(caller, cmd, lang)
            .await
            .map_err(|e| e.downcast::<Refusal>())
        {
            Ok(a) => a,
            Err(Ok(Refusal(text))) => Answer::text(text),
            Err(Err(e)) => {
                tracing::error!(error = %format!("{e:#}"), "command failed");
                crate::metrics::error("command");
                Answer::text(tr!(lang, "went-wrong"))
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

    /// `lang` is the answer's language as the place was before the command
    /// (see [`Engine::answer_lang`]).
    async fn apply(&self, caller: &Caller, cmd: Command, lang: Lang) -> anyhow::Result<Answer> {
        // About the caller, not the place: no channel row is made for these.
        match cmd {
            Command::Help => return Ok(Answer::text(tr!(lang, "help"))),
            Command::About => return Ok(Answer::text(tr!(lang, "about"))),
            Command::ForgetMe { confirm } => return self.forget_me(caller, confirm, lang).await,
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
            None => return refuse(not_served(&cmd, lang)),
        };
        let tz = parse_tz(&channel.timezone).unwrap_or(Tz::UTC);
        let channel = &channel;
        match cmd {
            Command::Help => Ok(Answer::text(tr!(lang, "help"))),
            Command::About => Ok(Answer::text(tr!(lang, "about"))),
            Command::Now { prompt } => Ok(self.now_command(caller, prompt.as_deref(), lang).await),
            Command::Next => self.next(channel, &tz, lang).await,
            Command::Skip => self.skip(channel, &tz, lang).await,
            Command::Pause => self.pause(channel, lang).await,
            Command::Resume => self.resume(channel, &tz, lang).await,
            Command::ScheduleAdd { spec, tz, announce } => {
                self.schedule_add(channel, spec, tz, announce, lang).await
            }
            Command::ScheduleList => self.schedule_list(channel, lang).await,
            Command::ScheduleRemove { id } => self.schedule_remove(channel, id, lang).await,
            Command::Setup { spec, tz, announce } => {
                self.setup(channel, spec, tz, announce, lang).await
            }
            Command::QuietAdd { rule, reason } => {
                self.quiet_add(channel, &tz, rule, reason, lang).await
            }
            Command::QuietList => self.quiet_list(channel, &tz, lang).await,
            Command::QuietRemove { id } => self.quiet_remove(channel, &tz, id, lang).await,
            Command::QuietWeekly { rule } => self.quiet_weekly(channel, &tz, rule, lang).await,
            Command::Status => Ok(Answer::text(self.status_text(channel, &tz, lang).await?)),
            Command::Stats => Ok(Answer::text(self.stats_text(caller, channel, lang).await?)),
            Command::Prompts { pack } => self.prompts_list(channel, pack.as_deref(), lang).await,
            Command::PromptShow { id } => self.prompt_show(channel, &id, lang).await,
            Command::PromptEnable { id, enable } => {
                self.prompt_enable(channel, &id, enable, lang).await
            }
            Command::PackImport { file } => self.pack_import(channel, file, lang).await,
            Command::PackRemove { pack } => self.pack_remove(channel, &pack, lang).await,
            Command::PackExport { pack } => self.pack_export(channel, &pack, lang).await,
            Command::PacksUse { packs } => self.packs_use(channel, packs, lang).await,
            Command::PackDraft { file, pack, title } => {
                self.pack_draft(file, &pack, title.as_deref(), lang)
            }
            Command::Export {
                format,
                post,
                from,
                to,
            } => {
                self.export(caller, channel, format, (post, from, to), lang)
                    .await
            }
            Command::Archive {
                from,
                to,
                names,
                public,
            } => {
                self.archive(caller, channel, (from, to), names, public, lang)
                    .await
            }
            Command::Reflect {
                text,
                anonymous: false,
                ..
            } => self.reflect(caller, channel, &text, lang).await,
            Command::Reflect {
                text,
                anonymous: true,
                post,
            } => self.reflect_anonymously(caller, &text, post).await,
            Command::Anonymous { allow } => self.allow_anonymous(channel, allow, lang).await,
            Command::Suggest { text, credit } => {
                self.suggest(caller, channel, &text, credit, lang).await
            }
            Command::Suggestions => self.suggestions_list(channel, lang).await,
            Command::Approve { id } => self.decide(channel, id, true, None, lang).await,
            Command::Reject { id, reason } => {
                self.decide(channel, id, false, reason.as_deref(), lang)
                    .await
            }
            Command::Digest { mode } => self.set_digest(channel, mode, lang).await,
            Command::Language { tag } => self.language(caller, channel, tag.as_deref()).await,
            Command::ForgetMe { confirm } => self.forget_me(caller, confirm, lang).await,
            Command::Reload => Ok(self.reload(lang)),
        }
    }

    /// `now`: a prompt posted right away, or why not.
    async fn now_command(&self, caller: &Caller, prompt: Option<&str>, lang: Lang) -> Answer {
        match self
            .post_now(&caller.platform, &caller.channel, prompt)
            .await
        {
            Ok(post) if post.state == PostState::Failed => Answer::text(tr!(
                lang,
                "now-failed",
                error = post.error.unwrap_or_default()
            )),
            Ok(post) => Answer::text(tr!(
                lang,
                "now-posted",
                pack = post.prompt_pack,
                prompt = post.prompt_id,
                post = post.id
            )),
            Err(e) => Answer::text(tr!(lang, "now-failed", error = e.to_string())),
        }
    }

    /// `reload`: the prompt files read again, or why the running ones stay.
    fn reload(&self, lang: Lang) -> Answer {
        match self.reload_prompts() {
            Ok(n) => Answer::text(tr!(lang, "reload-done", count = n)),
            Err(e) => Answer::text(tr!(lang, "reload-kept", problems = e.to_string())),
        }
    }
}
