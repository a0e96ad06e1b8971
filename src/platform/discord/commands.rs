//! Slash commands: each is a thin adapter that builds the engine's
//! [`Command`] and shows its answer ephemerally. `/ponder …` is for admins
//! (Manage Server, declared to Discord and checked again here); `/reflect`
//! is for everyone.

use std::time::Duration;

use poise::serenity_prelude as serenity;

use super::archive::{archive, days};
use super::packs::{packs, prompts};
use super::quiet::quiet;
use super::slash::{AppCtx, Ctx, lang, languages, prompt_ids, run, run_in, zones};
use super::{Data, Error};
use crate::domain::command::{
    Announce, Command, DigestMode, ExportFormat, MAX_REFLECTION_CHARS, Usage, suggestion_text,
};

/// Every command, with its names and descriptions in every shipped language.
pub fn all() -> Vec<poise::Command<Data, Error>> {
    let mut all = vec![
        ponder(),
        reflect(),
        suggest(),
        stats(),
        about(),
        forget_me(),
    ];
    super::localize::localize(&mut all);
    all
}

/// Ponder's admin commands.
#[poise::command(
    slash_command,
    guild_only,
    default_member_permissions = "MANAGE_GUILD",
    required_permissions = "MANAGE_GUILD",
    subcommands(
        "setup",
        "now",
        "next",
        "skip",
        "pause",
        "resume",
        "schedule",
        "status",
        "prompts",
        "packs",
        "export",
        "archive",
        "reload",
        "digest",
        "suggestions",
        "approve",
        "reject",
        "anonymous",
        "language",
        "quiet"
    ),
    subcommand_required
)]
async fn ponder(_ctx: Ctx<'_>) -> Result<(), Error> {
    Ok(())
}

/// Post prompts in this channel on a schedule.
#[poise::command(slash_command)]
async fn setup(
    ctx: Ctx<'_>,
    #[description = "When: `daily 09:00`, `weekdays 18:30`, `mon,thu 12:00` or cron like `30 9 * * 1-5`"]
    schedule: String,
    #[description = "Time zone, like Europe/Berlin"]
    #[autocomplete = "zones"]
    timezone: Option<String>,
    #[description = "The channel (default: this one); name a forum here"] channel: Option<
        serenity::Channel,
    >,
    #[description = "A role to ping with each prompt (default: nobody)"] ping: Option<
        serenity::Role,
    >,
    #[description = "Pin each new prompt and unpin the one before"] pin: Option<bool>,
) -> Result<(), Error> {
    run_in(
        ctx,
        channel,
        Command::Setup {
            spec: schedule,
            tz: timezone,
            announce: announce(ping, pin),
        },
    )
    .await
}

fn announce(ping: Option<serenity::Role>, pin: Option<bool>) -> Announce {
    Announce {
        ping: ping.map(|r| r.id.to_string()),
        pin: pin.unwrap_or(false),
    }
}

/// Post a prompt now.
#[poise::command(slash_command)]
async fn now(
    ctx: Ctx<'_>,
    #[description = "A prompt id (default: the next of the rotation)"]
    #[autocomplete = "prompt_ids"]
    prompt: Option<String>,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    run_in(ctx, channel, Command::Now { prompt }).await
}

/// When the next prompt posts.
#[poise::command(slash_command)]
async fn next(
    ctx: Ctx<'_>,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    run_in(ctx, channel, Command::Next).await
}

/// Skip the next scheduled prompt.
#[poise::command(slash_command)]
async fn skip(
    ctx: Ctx<'_>,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    run_in(ctx, channel, Command::Skip).await
}

/// Stop posting in this channel.
#[poise::command(slash_command)]
async fn pause(
    ctx: Ctx<'_>,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    run_in(ctx, channel, Command::Pause).await
}

/// Start posting again (missed prompts are not caught up).
#[poise::command(slash_command)]
async fn resume(
    ctx: Ctx<'_>,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    run_in(ctx, channel, Command::Resume).await
}

/// This channel's schedules.
#[poise::command(
    slash_command,
    subcommands("schedule_add", "schedule_list", "schedule_remove"),
    subcommand_required
)]
async fn schedule(_ctx: Ctx<'_>) -> Result<(), Error> {
    Ok(())
}

/// Add a schedule.
#[poise::command(slash_command, rename = "add")]
async fn schedule_add(
    ctx: Ctx<'_>,
    #[description = "When: `daily 09:00`, `weekdays 18:30` or cron"] spec: String,
    #[description = "Time zone, like Europe/Berlin"]
    #[autocomplete = "zones"]
    timezone: Option<String>,
    #[description = "A role to ping with each prompt (default: nobody)"] ping: Option<
        serenity::Role,
    >,
    #[description = "Pin each new prompt and unpin the one before"] pin: Option<bool>,
) -> Result<(), Error> {
    run(
        ctx,
        Command::ScheduleAdd {
            spec,
            tz: timezone,
            announce: announce(ping, pin),
        },
    )
    .await
}

/// List the schedules.
#[poise::command(slash_command, rename = "list")]
async fn schedule_list(ctx: Ctx<'_>) -> Result<(), Error> {
    run(ctx, Command::ScheduleList).await
}

/// Remove a schedule.
#[poise::command(slash_command, rename = "remove")]
async fn schedule_remove(
    ctx: Ctx<'_>,
    #[description = "The schedule's number"] id: i64,
) -> Result<(), Error> {
    run(ctx, Command::ScheduleRemove { id }).await
}

/// Schedules, the open thread, the rotation and recent failures.
#[poise::command(slash_command)]
async fn status(
    ctx: Ctx<'_>,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    run_in(ctx, channel, Command::Status).await
}

#[derive(Debug, poise::ChoiceParameter)]
enum Format {
    Markdown,
    Json,
    Csv,
}

/// This channel's prompts and replies as a file.
#[poise::command(slash_command)]
async fn export(
    ctx: Ctx<'_>,
    #[description = "File format (default Markdown)"] format: Option<Format>,
    #[description = "Only this post (its number)"] post: Option<i64>,
    #[description = "From this day on, YYYY-MM-DD (UTC)"] from: Option<String>,
    #[description = "Up to this day, YYYY-MM-DD (UTC)"] to: Option<String>,
) -> Result<(), Error> {
    let format = match format {
        Some(Format::Json) => ExportFormat::Json,
        Some(Format::Csv) => ExportFormat::Csv,
        _ => ExportFormat::Markdown,
    };
    let Some((from, to)) = days(ctx, from, to).await? else {
        return Ok(());
    };
    run(
        ctx,
        Command::Export {
            format,
            post,
            from,
            to,
        },
    )
    .await
}

/// Reload the prompt files.
#[poise::command(slash_command)]
async fn reload(ctx: Ctx<'_>) -> Result<(), Error> {
    run(ctx, Command::Reload).await
}

#[derive(Debug, poise::Modal)]
#[name = "Your reflection"]
struct ReflectModal {
    #[name = "Your answer"]
    #[paragraph]
    #[max_length = 1800]
    text: String,
}

/// Answer the open prompt; your answer goes into its thread.
#[poise::command(slash_command, guild_only)]
async fn reflect(
    ctx: AppCtx<'_>,
    #[description = "Your answer (leave it out for a larger box)"] text: Option<String>,
    #[description = "Post it without your name, where the channel allows it"] anonymous: Option<
        bool,
    >,
) -> Result<(), Error> {
    let text = match text {
        Some(t) => t,
        None => {
            match poise::execute_modal(ctx, None::<ReflectModal>, Some(Duration::from_secs(900)))
                .await?
            {
                Some(m) => m.text,
                None => return Ok(()),
            }
        }
    };
    let len = text.chars().count();
    if len > MAX_REFLECTION_CHARS {
        let too_long = Usage::ReflectionTooLong {
            max: MAX_REFLECTION_CHARS,
            len,
        };
        let ctx = poise::Context::Application(ctx);
        let msg = too_long.text(lang(ctx).await);
        ctx.send(poise::CreateReply::default().content(msg).ephemeral(true))
            .await?;
        return Ok(());
    }
    run(
        poise::Context::Application(ctx),
        Command::Reflect {
            text,
            anonymous: anonymous.unwrap_or(false),
            post: None,
        },
    )
    .await
}

/// Suggest a prompt for this channel; admins decide, and you hear back.
#[poise::command(slash_command, guild_only)]
async fn suggest(
    ctx: Ctx<'_>,
    #[description = "The question, as members should see it"]
    #[max_length = 1000]
    text: String,
    #[description = "Name you when it posts (default: yes)"] credit: Option<bool>,
) -> Result<(), Error> {
    match suggestion_text(&text) {
        Ok(text) => {
            let credit = credit.unwrap_or(true);
            run(ctx, Command::Suggest { text, credit }).await
        }
        Err(usage) => {
            ctx.send(
                poise::CreateReply::default()
                    .content(usage.text(lang(ctx).await))
                    .ephemeral(true),
            )
            .await?;
            Ok(())
        }
    }
}

/// The suggestions waiting for a decision, with buttons to decide.
#[poise::command(slash_command)]
async fn suggestions(
    ctx: Ctx<'_>,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    run_in(ctx, channel, Command::Suggestions).await
}

/// Add a suggestion to this channel's prompts.
#[poise::command(slash_command)]
async fn approve(
    ctx: Ctx<'_>,
    #[description = "The suggestion's number"] id: i64,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    run_in(ctx, channel, Command::Approve { id }).await
}

/// Turn a suggestion down; the suggester is told, with your reason.
#[poise::command(slash_command)]
async fn reject(
    ctx: Ctx<'_>,
    #[description = "The suggestion's number"] id: i64,
    #[description = "Why (told to the suggester)"]
    #[max_length = 300]
    reason: Option<String>,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    run_in(ctx, channel, Command::Reject { id, reason }).await
}

/// Allow or forbid anonymous reflections here.
#[poise::command(slash_command)]
async fn anonymous(
    ctx: Ctx<'_>,
    #[description = "True to allow them"] allow: bool,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    run_in(ctx, channel, Command::Anonymous { allow }).await
}

/// The language Ponder speaks here (without one: the current one).
#[poise::command(slash_command)]
async fn language(
    ctx: Ctx<'_>,
    #[description = "A language code: en or de"]
    #[autocomplete = "languages"]
    code: Option<String>,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    run_in(ctx, channel, Command::Language { tag: code }).await
}

/// The last 30 days in this channel, and your streak.
#[poise::command(slash_command, guild_only)]
async fn stats(ctx: Ctx<'_>) -> Result<(), Error> {
    run(ctx, Command::Stats).await
}

/// What Ponder keeps about you, for how long, and who can read it.
#[poise::command(slash_command, guild_only)]
async fn about(ctx: Ctx<'_>) -> Result<(), Error> {
    run(ctx, Command::About).await
}

/// Delete everything Ponder keeps about you.
#[poise::command(slash_command, guild_only, rename = "forget-me")]
async fn forget_me(
    ctx: Ctx<'_>,
    #[description = "True to delete now; without it Ponder says what it would delete"]
    confirm: Option<bool>,
) -> Result<(), Error> {
    run(
        ctx,
        Command::ForgetMe {
            confirm: confirm.unwrap_or(false),
        },
    )
    .await
}

#[derive(Debug, poise::ChoiceParameter)]
enum Digest {
    #[name = "in the thread"]
    Thread,
    #[name = "in the channel"]
    Channel,
    #[name = "off"]
    Off,
}

/// Where the summary goes when a prompt's thread closes.
#[poise::command(slash_command)]
async fn digest(
    ctx: Ctx<'_>,
    #[description = "Where the digest goes"] mode: Digest,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    let mode = match mode {
        Digest::Thread => DigestMode::Thread,
        Digest::Channel => DigestMode::Channel,
        Digest::Off => DigestMode::Off,
    };
    run_in(ctx, channel, Command::Digest { mode }).await
}
