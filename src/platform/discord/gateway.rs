//! The gateway side: a serenity client with a poise framework. Member
//! messages in prompt threads become replies (and their edits and deletions
//! follow); after READY and RESUMED the threads are read for anything missed
//! while disconnected.
//!
//! # Messages in order, with backpressure
//!
//! serenity hands each gateway event to a task of its own, so events handled
//! there can overtake each other, and a flood piles up tasks instead of
//! slowing the socket. Message creates, edits and deletions therefore do not
//! go through that path: a collector callback, which serenity's shard loop
//! calls inline for each event in the order it read them, turns them into
//! reply changes and queues them for the engine's one writer
//! ([`crate::engine::ingest::ReplySender::push`]). While that queue is full the callback blocks the
//! shard loop, so the socket is not read until the writer catches up.
//!
//! A fresh session (READY) gets a new shard loop: the callback is registered
//! again at each READY (an older one stands down), then the threads are read
//! from their high-water marks, which covers whatever came between READY and
//! the registration.
//!
//! GUILD_CREATEs take the same path for the same reasons: the callback reads
//! each into a few facts and queues them for the start-up permission check
//! ([`super::guilds`]), so thousands of servers arriving at once wait in the
//! socket, not in tasks.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use ::serenity::model::event::Event;
use poise::serenity_prelude as serenity;
use serenity::{FullEvent, GatewayIntents, GuildId};

use super::guilds::{GuildIntake, facts_of};
use super::interaction::display_name;
use super::{Data, DiscordChat, Error, PLATFORM, commands};
use crate::engine::ingest::Change;
use crate::engine::{Engine, IncomingReply};
use crate::secret::ExposeSecret;
use crate::shutdown::Shutdown;

/// Connects to the gateway and serves until shutdown.
pub async fn run(chat: Arc<DiscordChat>, engine: Arc<Engine>, mut shutdown: Shutdown) {
    let (guild_intake, guild_checks) =
        GuildIntake::start(engine.clone(), chat.clone(), shutdown.clone());
    let token = chat.token.expose_secret().to_string();
    let mut http = serenity::HttpBuilder::new(&token);
    if let Some(base) = &chat.config.api_base {
        // A compatible server (the emulator): serenity's rate limiter would
        // send requests to discord.com, so it is off; our REST path honours 429s.
        http = http
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    let http = http.build();
    drop(token);
    // GUILDS: threads and channels changing; GUILD_MESSAGES and MESSAGE_CONTENT:
    // the replies and their text. Nothing else (no members, presences, reactions,
    // typing, voice): each intent left out is events Discord never sends.
    let intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::MESSAGE_CONTENT;
    // With a range of shards, each process registers the commands in its
    // own shards' guilds (it receives no interaction from the others).
    let global = chat.config.guilds.is_empty();
    let guilds: Vec<GuildId> = chat
        .config
        .guilds
        .iter()
        .filter_map(|g| g.get_ref().parse::<u64>().ok())
        .filter(|g| chat.serves_guild(Some(&g.to_string())))
        .map(GuildId::new)
        .collect();
    let ours: HashSet<String> = match engine.db().channels().await {
        Ok(rows) => rows
            .into_iter()
            .filter(|c| c.platform == PLATFORM)
            .map(|c| c.external_id)
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "listing Discord channels; each is fetched when first posted in");
            HashSet::new()
        }
    };
    let data = Data {
        engine,
        chat: chat.clone(),
        ours: Arc::new(ours),
        guilds: guild_intake,
        collectors: Arc::default(),
        bot_id: std::sync::OnceLock::new(),
    };
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            event_handler: |framework, event| {
                Box::pin(on_event(
                    framework.serenity_context,
                    event,
                    framework.user_data,
                ))
            },
            on_error: |error| Box::pin(on_error(error)),
            ..Default::default()
        })
        .initialize_owners(false)
        .setup(move |ctx, ready, framework| {
            // Known before any other event reaches the handler (they wait for setup).
            let _ = data.bot_id.set(ready.user.id);
            Box::pin(async move {
                // Never fail here: poise would hang every later event.
                let cmds = &framework.options().commands;
                if global
                    && let Err(e) = poise::builtins::register_globally(ctx, cmds).await {
                        tracing::error!(error = %e, "registering slash commands globally");
                    }
                for g in &guilds {
                    if let Err(e) = poise::builtins::register_in_guild(ctx, cmds, *g).await {
                        tracing::error!(guild = %g, error = %e, "registering slash commands in a guild");
                    }
                }
                Ok(data)
            })
        })
        .build();
    let client = serenity::ClientBuilder::new_with_http(http, intents)
        .cache_settings(cache_settings())
        .framework(framework)
        .await;
    let mut client = match client {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "could not build the Discord client");
            return shutdown.recv().await;
        }
    };
    // The shard count Discord recommends, asked until it answers (a blip at
    // start must not leave the gateway off).
    let Some((url, recommended)) = chat.gateway_bot(&mut shutdown).await else {
        return;
    };
    if chat.config.api_base.is_some() {
        // serenity asks the server for the gateway's address once, and on any
        // failure falls back to Discord's public gateway, token and all. With
        // `api_base` set, only the configured server is ever connected to.
        *client.ws_url.lock().await = url;
    }
    let (first, last, count) = match (chat.shard_range(), chat.config.shard_count()) {
        (Some(range), _) => {
            chat.check_shard_count(range.total, recommended);
            tracing::info!(
                shards = %range,
                "this process runs Discord shards {range}: it posts, closes and reads threads only in their servers; other processes run the rest"
            );
            (range.first, range.last, range.total)
        }
        (None, Some(n)) => {
            chat.check_shard_count(n, recommended);
            (0, n - 1, n)
        }
        (None, None) => (0, recommended - 1, recommended),
    };
    chat.expect_shards(first, last, count);
    let shards = client.shard_manager.clone();
    tokio::spawn(super::shards::poll_latencies(
        chat.clone(),
        shards.clone(),
        shutdown.clone(),
    ));
    // serenity's range is inclusive of its end (`4..7` runs 4 to 7)
    let started = client.start_shard_range(first..last, count);
    tokio::select! {
        r = started => {
            chat.all_down();
            if let Err(e) = r {
                tracing::error!(error = %e, "the Discord gateway stopped");
            }
            shutdown.recv().await;
        }
        _ = shutdown.recv() => {
            shards.shutdown_all().await;
        }
    }
    chat.all_down();
    drop(client);
    // Stops at shutdown; a batch in hand is recorded first.
    let _ = guild_checks.await;
    tracing::debug!("Discord gateway closed");
}

/// Answers a failed slash command (or a member without the permission
/// it needs) ephemerally; other framework errors go to poise's handler.
async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            tracing::error!(command = %ctx.command().qualified_name, error = %format!("{error:#}"), "slash command failed");
            let text = crate::tr!(super::slash::lang(ctx).await, "command-failed");
            let _ = ctx
                .send(poise::CreateReply::default().content(text).ephemeral(true))
                .await;
        }
        poise::FrameworkError::MissingUserPermissions { ctx, .. } => {
            let text = crate::tr!(super::slash::lang(ctx).await, "only-admins-discord");
            let _ = ctx
                .send(poise::CreateReply::default().content(text).ephemeral(true))
                .await;
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                tracing::warn!(error = %e, "handling a framework error");
            }
        }
    }
}

/// What serenity keeps of what the gateway sends: nothing. Ponder reads the
/// permissions Discord computes into each interaction, fetches a channel once
/// when it first posts there, and stores replies in its own database; with
/// the default cache every guild's channels, roles, members and emojis would
/// stay in memory (about 40 KB per guild), with this about nothing per guild.
fn cache_settings() -> ::serenity::cache::Settings {
    let mut settings = ::serenity::cache::Settings::default();
    settings.cache_guilds = false;
    settings.cache_channels = false;
    settings.cache_users = false;
    settings.max_messages = 0;
    settings
}

async fn on_event(ctx: &serenity::Context, event: &FullEvent, data: &Data) -> Result<(), Error> {
    let engine = &data.engine;
    match event {
        FullEvent::GuildCreate { guild, .. } => {
            // The collector queues each GUILD_CREATE for the start-up check;
            // this one came before it was registered.
            if !data.guilds.collected(guild.id)
                && let Some(facts) = facts_of(guild, data.bot_id.get().copied(), &data.ours)
            {
                tracing::debug!(guild = %guild.id, "a GUILD_CREATE before this session's collector: queued from its handler");
                data.guilds.push(facts).await;
            }
        }
        FullEvent::InteractionCreate { interaction } => {
            super::buttons::on_interaction(ctx, interaction, engine).await?;
        }
        FullEvent::Ready { data_about_bot } => {
            let shard = ctx.shard_id.0;
            let total = data_about_bot.shard.map_or(1, |s| s.total);
            let guilds = data_about_bot.guilds.len();
            tracing::info!(user = %data_about_bot.user.name, guilds, shard, shards = total, "Discord ready");
            let _ = data.bot_id.set(data_about_bot.user.id);
            data.chat.shard_ready(shard, total, guilds);
            collect_messages(ctx, data, shard);
            // A new session: events from before it are not replayed, so
            // edits and deletions made since the last read are read whole
            // (with several shards, this shard's guilds' threads).
            catch_up(data, CatchUp::Whole { shard, total });
        }
        FullEvent::Resume { .. } => {
            tracing::info!(shard = ctx.shard_id.0, "Discord session resumed");
            data.chat.shard_resumed(ctx.shard_id.0);
            // The gateway replayed what was missed; new messages only (with
            // several shards, in this shard's guilds' threads).
            let total = data.chat.shard_count();
            catch_up(
                data,
                CatchUp::New {
                    shard: ctx.shard_id.0,
                    total,
                },
            );
        }
        FullEvent::ShardStageUpdate { event } => {
            data.chat.shard_up(
                event.shard_id.0,
                event.new == serenity::ConnectionStage::Connected,
            );
        }
        _ => {}
    }
    Ok(())
}

/// Registers the message (and GUILD_CREATE) collector on this session's
/// shard loop; an earlier registration on the same shard stands down at its
/// next event (other shards' stay).
fn collect_messages(ctx: &serenity::Context, data: &Data, shard: u32) {
    let live = data
        .collectors
        .lock()
        .unwrap()
        .entry(shard)
        .or_default()
        .clone();
    let generation = live.fetch_add(1, Ordering::SeqCst) + 1;
    let sender = data.engine.reply_sender();
    let (guilds, ours, bot) = (
        data.guilds.clone(),
        data.ours.clone(),
        data.bot_id.get().copied(),
    );
    ctx.shard
        .add_collector(::serenity::gateway::CollectorCallback(Box::new(
            move |event| {
                if live.load(Ordering::SeqCst) != generation {
                    return false;
                }
                if let Event::GuildCreate(e) = event {
                    return match facts_of(&e.guild, bot, &ours) {
                        Some(facts) => guilds.push_blocking(e.guild.id, facts),
                        None => true,
                    };
                }
                for change in changes_of(event) {
                    if !sender.push(PLATFORM, change) {
                        return false; // the writer has stopped: shutting down
                    }
                }
                true
            },
        )));
}

/// The reply changes a gateway event carries: a member's new message, an
/// edit (with what storing it needs, in case its message was never stored),
/// a deletion. Bots' messages and system messages are none.
fn changes_of(event: &Event) -> Vec<Change> {
    match event {
        Event::MessageCreate(e) => {
            let m = &e.message;
            if m.author.bot
                || !matches!(
                    m.kind,
                    serenity::MessageType::Regular | serenity::MessageType::InlineReply
                )
            {
                return Vec::new();
            }
            let nick = m.member.as_ref().and_then(|mem| mem.nick.as_deref());
            let name = display_name(&m.author, nick);
            vec![Change::New(IncomingReply {
                thread_id: m.channel_id.to_string(),
                message_id: m.id.to_string(),
                author_id: m.author.id.to_string(),
                author_name: name,
                text: m.content.clone(),
                at: super::snowflake_time(m.id.get()),
            })]
        }
        Event::MessageUpdate(event) => {
            let (Some(content), Some(author)) = (&event.content, &event.author) else {
                return Vec::new();
            };
            if author.bot {
                return Vec::new();
            }
            let nick = event
                .member
                .as_ref()
                .and_then(|m| m.as_ref())
                .and_then(|m| m.nick.as_deref());
            vec![Change::Edited(IncomingReply {
                thread_id: event.channel_id.to_string(),
                message_id: event.id.to_string(),
                author_id: author.id.to_string(),
                author_name: display_name(author, nick),
                text: content.clone(),
                at: super::snowflake_time(event.id.get()),
            })]
        }
        Event::MessageDelete(e) => vec![Change::Deleted {
            thread_id: e.channel_id.to_string(),
            message_id: e.message_id.to_string(),
        }],
        Event::MessageDeleteBulk(e) => e
            .ids
            .iter()
            .map(|id| Change::Deleted {
                thread_id: e.channel_id.to_string(),
                message_id: id.to_string(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The channels of a shard's guilds, and those whose guild is not known yet
/// (which a process running a range of shards leaves alone: see
/// [`crate::engine::Engine::serves`]).
fn shard_channels(shard: u32, total: u32) -> impl Fn(&crate::db::ChannelRow) -> bool + Sync {
    move |c| {
        c.platform == PLATFORM
            && c.guild
                .as_deref()
                .and_then(|g| g.parse::<u64>().ok())
                .is_none_or(|g| super::shards::shard_of(g, total) == shard)
    }
}

/// How much a catch-up reads.
#[derive(Clone, Copy)]
enum CatchUp {
    /// The messages after each thread's mark (after RESUMED): with several
    /// shards, those of the shard's guilds (and of channels whose guild is
    /// not known yet).
    New { shard: u32, total: u32 },
    /// Each thread whole, applying edits and deletions (after READY): with
    /// several shards, those of the shard's guilds (and of channels whose
    /// guild is not known yet).
    Whole { shard: u32, total: u32 },
}

/// Reads the threads for replies missed while disconnected, in the
/// background (one catch-up at a time: the engine queues the next).
fn catch_up(data: &Data, how: CatchUp) {
    let engine = data.engine.clone();
    tokio::spawn(async move {
        let read = match how {
            CatchUp::New { total: 0 | 1, .. } => engine.collect_missed_replies().await,
            CatchUp::Whole { total: 0 | 1, .. } => engine.recheck_replies().await,
            CatchUp::New { shard, total } => {
                let ours = shard_channels(shard, total);
                engine.collect_missed_replies_of(&ours).await
            }
            CatchUp::Whole { shard, total } => {
                let ours = shard_channels(shard, total);
                engine.recheck_replies_of(&ours).await
            }
        };
        if let Err(e) = read {
            tracing::warn!(error = %format!("{e:#}"), "reading missed Discord replies");
        }
    });
}
