//! The glue between a slash command and the engine: where it was run, the
//! caller, the engine's answer shown ephemerally, and the autocompletion
//! of its options.

use poise::serenity_prelude as serenity;

use super::interaction::{caller, locale_of, place_of, reply};
use super::{Data, Error, PLATFORM};
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

/// The member's language as the interaction says it (their own, else the
/// server's preferred one), where Ponder ships it.
fn locale(ctx: Ctx<'_>) -> Option<String> {
    let guild_locale = match ctx {
        poise::Context::Application(app) => app.interaction.guild_locale.clone(),
        _ => None,
    };
    locale_of(ctx.locale(), guild_locale.as_deref())
}

/// The language of what the adapter says itself in answer to a command (a
/// refusal before the engine is asked, a failure): as the engine's answers,
/// so the language of the channel the command names in its `channel`
/// option (see [`run_in`]) when it names one, else of where it was typed.
pub(super) async fn lang(ctx: Ctx<'_>) -> crate::i18n::Lang {
    let channel = target_option(ctx).map_or_else(|| place(ctx).0, |id| id.to_string());
    ctx.data()
        .engine
        .lang_for(PLATFORM, &channel, locale(ctx).as_deref())
        .await
}

/// The channel a slash command names in its `channel` option
/// (`/ponder quiet add … channel:#x`), in a subcommand's options too.
fn target_option(ctx: Ctx<'_>) -> Option<serenity::ChannelId> {
    use serenity::{CommandDataOption, CommandDataOptionValue as Value};
    fn find(options: &[CommandDataOption]) -> Option<serenity::ChannelId> {
        options.iter().find_map(|o| match &o.value {
            Value::Channel(id) if o.name == "channel" => Some(*id),
            Value::SubCommand(inner) | Value::SubCommandGroup(inner) => find(inner),
            _ => None,
        })
    }
    match ctx {
        poise::Context::Application(app) => find(&app.interaction.data.options),
        _ => None,
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
    let member = ctx.author_member().await;
    let locale = locale(ctx);
    let caller = caller(ctx.author(), member.as_deref(), &channel, thread, locale);
    // An admin's command makes a channel known; it is known with its server
    // from the first one on (a community's packs are the server's).
    remember_guild(ctx, &channel, cmd.needs_admin() && caller.is_admin).await;
    let answer = ctx.data().engine.handle(&caller, cmd).await;
    let rows = super::buttons::rows(&answer.actions, &caller.channel);
    ctx.send(reply(answer, rows)).await?;
    Ok(())
}

/// Records the server a channel is in: the archive's links to its
/// messages need it, and a community's packs are keyed by it. A channel not
/// yet known is made known only when `make_known` (an admin's command).
async fn remember_guild(ctx: Ctx<'_>, channel: &str, make_known: bool) {
    let Some(guild) = ctx.guild_id() else { return };
    let engine = &ctx.data().engine;
    let guild = guild.to_string();
    let done = if make_known {
        engine
            .know_channel_in(super::PLATFORM, channel, &guild)
            .await
    } else {
        engine
            .remember_guild(super::PLATFORM, channel, &guild)
            .await
    };
    if let Err(e) = done {
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

/// The languages Ponder ships, as choices while typing.
pub(super) async fn languages(
    _ctx: Ctx<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let needle = partial.to_ascii_lowercase();
    choices(
        crate::i18n::Lang::ALL
            .into_iter()
            .map(|l| l.code().to_string())
            .filter(|c| c.starts_with(&needle)),
    )
}

pub(super) async fn prompt_ids(
    ctx: Ctx<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let needle = partial.to_ascii_lowercase();
    // the server's own packs first: what it brought is what it looks for
    let (channel, _) = place(ctx);
    let engine = &ctx.data().engine;
    let mut ids = match engine.own_prompt_ids(super::PLATFORM, &channel).await {
        Ok(ids) => ids,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "listing a server's own prompts");
            Vec::new()
        }
    };
    ids.extend(engine.prompts().prompts().map(|p| p.qualified_id()));
    ids.retain(|id| id.contains(&needle));
    choices(ids.into_iter())
}
