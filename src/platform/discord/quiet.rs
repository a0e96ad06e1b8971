//! `/ponder quiet add|list|remove|weekly`: a channel's quiet days. The
//! options are read by the same grammar as `!ponder quiet …`, so a bad date
//! gets the same answer on every platform.

use poise::serenity_prelude as serenity;

use super::Error;
use super::slash::{Ctx, lang, run_in};
use crate::domain::command::{Command, Usage, quiet_add, quiet_weekly};

/// Runs the command the options made, or tells the caller (only them) why not.
pub(super) async fn run_parsed(
    ctx: Ctx<'_>,
    channel: Option<serenity::Channel>,
    cmd: Result<Command, Usage>,
) -> Result<(), Error> {
    match cmd {
        Ok(cmd) => run_in(ctx, channel, cmd).await,
        Err(usage) => {
            let reply = poise::CreateReply::default()
                .content(usage.text(lang(ctx).await))
                .ephemeral(true);
            ctx.send(reply).await?;
            Ok(())
        }
    }
}

/// Days this channel posts nothing (in its time zone).
#[poise::command(
    slash_command,
    subcommands("quiet_add_days", "quiet_list", "quiet_remove", "quiet_weekly_days"),
    subcommand_required
)]
pub(super) async fn quiet(_ctx: Ctx<'_>) -> Result<(), Error> {
    Ok(())
}

/// Keep a range of days quiet: their slots are skipped, not posted later.
#[poise::command(slash_command, rename = "add")]
async fn quiet_add_days(
    ctx: Ctx<'_>,
    #[description = "First quiet day, YYYY-MM-DD (in the channel's time zone)"] from: String,
    #[description = "Last quiet day, YYYY-MM-DD (default: the first)"] to: Option<String>,
    #[description = "Why (shown in the list and the log)"]
    #[max_length = 200]
    reason: Option<String>,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    let range = match to {
        Some(to) => format!("{}..{}", from.trim(), to.trim()),
        None => from,
    };
    let cmd = quiet_add(&range, reason.as_deref().unwrap_or_default());
    run_parsed(ctx, channel, cmd).await
}

/// This channel's quiet days.
#[poise::command(slash_command, rename = "list")]
async fn quiet_list(
    ctx: Ctx<'_>,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    run_in(ctx, channel, Command::QuietList).await
}

/// Remove a quiet rule.
#[poise::command(slash_command, rename = "remove")]
async fn quiet_remove(
    ctx: Ctx<'_>,
    #[description = "The rule's number, from `/ponder quiet list`"] id: i64,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    run_in(ctx, channel, Command::QuietRemove { id }).await
}

/// Keep days of each week quiet, like `sat,sun`; `off` ends it.
#[poise::command(slash_command, rename = "weekly")]
async fn quiet_weekly_days(
    ctx: Ctx<'_>,
    #[description = "Days of the week, like `sat,sun` or `fri-sun`; or `off`"] days: String,
    #[description = "The channel (default: this one)"] channel: Option<serenity::Channel>,
) -> Result<(), Error> {
    run_parsed(ctx, channel, quiet_weekly(&days)).await
}
