//! The glue between a slash command and the engine: where it was run, the
//! caller, the engine's answer shown ephemerally, and the autocompletion
//! of its options.

use poise::serenity_prelude as serenity;

use super::interaction::{caller, place_of, reply};
use super::{Data, Error};
use crate::domain::command::Command;

pub(super) type Ctx<'a> = poise::Context<'a, Data, Error>;
pub(super) type AppCtx<'a> = poise::ApplicationContext<'a, Data, Error>;

/// Where a command was run: the channel, and the thread when run inside one.
fn place(ctx: Ctx<'_>) -> (String, Option<String>) {
    match ctx {
        poise::Context::Application(app) => {
            place_of(app.interaction.channel_id, app.interaction.channel.as_ref())
        }
        _ => (ctx.channel_id().to_string(), None),
    }
}

/// Runs a command for the channel it was run in, or for `target` when given
/// (forums have no message box, so their admins name them from elsewhere).
pub(super) async fn run_in(
    ctx: Ctx<'_>,
    target: Option<serenity::Channel>,
    cmd: Command,
) -> Result<(), Error> {
    // Answer within Discord's three seconds whatever the command costs.
    ctx.defer_ephemeral().await?;
    let (mut channel, mut thread) = place(ctx);
    if let Some(t) = target {
        (channel, thread) = (t.id().to_string(), None);
    }
    // An admin's command makes a channel Ponder did not know known: its
    // server is recorded then, so its community's packs apply from the next.
    let may_add = cmd.needs_admin();
    remember_guild(ctx, &channel).await;
    let member = ctx.author_member().await;
    let caller = caller(ctx.author(), member.as_deref(), &channel, thread);
    let answer = ctx.data().engine.handle(&caller, cmd).await;
    if may_add {
        remember_guild(ctx, &channel).await; // the channel may be new
    }
    let rows = super::buttons::rows(&answer.actions, &caller.channel);
    ctx.send(reply(answer, rows)).await?;
    Ok(())
}

/// Records the server a known channel is in: the archive's links to its
/// messages need it (a channel not yet known is left alone).
async fn remember_guild(ctx: Ctx<'_>, channel: &str) {
    let Some(guild) = ctx.guild_id() else { return };
    let engine = &ctx.data().engine;
    if let Err(e) = engine
        .remember_guild(super::PLATFORM, channel, &guild.to_string())
        .await
    {
        tracing::error!(error = %format!("{e:#}"), "recording a channel's server");
    }
}

pub(super) async fn run(ctx: Ctx<'_>, cmd: Command) -> Result<(), Error> {
    run_in(ctx, None, cmd).await
}

fn choices(names: impl Iterator<Item = String>) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new().set_choices(
        names
            .take(25)
            .map(serenity::AutocompleteChoice::from)
            .collect(),
    )
}

pub(super) async fn zones(_ctx: Ctx<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let needle = partial.to_ascii_lowercase();
    choices(
        chrono_tz::TZ_VARIANTS
            .iter()
            .map(|z| z.name())
            .filter(|n| n.to_ascii_lowercase().contains(&needle))
            .map(String::from),
    )
}

pub(super) async fn prompt_ids(
    ctx: Ctx<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let needle = partial.to_ascii_lowercase();
    let prompts = ctx.data().engine.prompts();
    let ids: Vec<String> = prompts
        .prompts()
        .map(|p| p.qualified_id())
        .filter(|id| id.contains(&needle))
        .collect();
    choices(ids.into_iter())
}
