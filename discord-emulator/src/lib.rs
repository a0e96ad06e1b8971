//! A Discord protocol emulator for testing bots: REST v10 and the gateway (JSON text frames
//! over plain `ws://`) on 127.0.0.1, complete enough that an unmodified serenity 0.12.5 /
//! poise 0.7.1 bot runs against it.
//!
//! # Pointing serenity at it
//!
//! ```ignore
//! let emu = Emulator::start(EmulatorConfig::default()).await?;
//! let http = serenity::http::HttpBuilder::new(emu.token())
//!     .proxy(emu.base_url())
//!     // Required: with the ratelimiter on, serenity ignores the proxy.
//!     .ratelimiter_disabled(true)
//!     .build();
//! let client = serenity::Client::builder(emu.token(), intents)
//!     .http(http) // ... event handler / poise framework ...
//!     .await?;
//! ```
//!
//! serenity calls `GET /gateway` and connects to the `ws://` URL it returns.
//!
//! # Driving a test
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use std::time::Duration;
//! use discord_emulator::{Emulator, EmulatorConfig};
//!
//! let emu = Emulator::start(EmulatorConfig::default()).await?;
//! let guild = emu.guild(); // scripted ids: channels, forum, admin, member, roles
//! // ... start the bot, then wait for it to connect:
//! emu.wait_until(Duration::from_secs(5), |e| (e.identify_count() > 0).then_some(())).await?;
//! // A member speaks; the bot gets MESSAGE_CREATE.
//! emu.send_message(guild.text_channel, guild.member, "hello")?;
//! // A member runs a slash command the bot registered; read the bot's answer.
//! let run = emu.run_slash_command(guild.admin, guild.text_channel, "ping", serde_json::json!({}))?;
//! let reply = run.wait_response(Duration::from_secs(2)).await?;
//! assert!(reply.is_ephemeral());
//! // Faults: 429s, 5xx, denied permissions, dropped gateway.
//! emu.rate_limit("POST /channels/*/messages", 1, 0.5);
//! emu.drop_gateway();
//! assert!(emu.unknown_routes().is_empty());
//! # Ok(()) }
//! ```
//!
//! # Layout
//!
//! - `emulator.rs`: [`Emulator`], the handle: start, ids, faults, inspection, `wait_until`.
//! - `actions.rs`: what members do (messages, slash commands, modals, button clicks, thread
//!   moderation).
//! - `interaction.rs`: [`InteractionHandle`] and [`InteractionResponse`].
//! - `config.rs`: [`EmulatorConfig`].
//! - `model.rs`: the emulator's records ([`Message`], [`Attachment`], [`Channel`],
//!   [`ScriptedGuild`], ...).
//! - `world/`: the state and Discord's rules: messages, attachments, pins, threads, commands,
//!   interactions, message components (buttons), direct messages, roles, permissions;
//!   `world/shape.rs` fills guilds like real mid-size ones.
//! - `payloads.rs`: Discord JSON for the records (complete enough for serenity).
//! - `gateway/`: the WebSocket task and sessions (sequence, replay buffer, intents).
//! - `rest/`: the REST pipeline (record, auth, faults, route, apply), its handlers and the
//!   multipart parser for uploaded files.
//! - `faults.rs`: [`RoutePattern`], 5xx and 429 injection, denied permissions.
//! - `limits.rs`: Discord's own rate limits (global and per channel), when turned on.
//! - `flood.rs`: many member messages at once, for benchmarks.
//! - `record.rs`: [`RecordedRequest`] and [`GatewayFrame`].
//! - `ids.rs`: snowflakes with real timestamps.
//! - `perms.rs`: permission and intent bits.
//! - `control.rs`: the binary's stdin control lines.
//! - `server.rs`: the axum server (and the CDN-like `GET /attachments/...`).

mod actions;
mod config;
pub mod control;
mod emulator;
mod error;
mod faults;
mod flood;
mod gateway;
pub mod ids;
mod interaction;
mod limits;
pub mod model;
mod payloads;
pub mod perms;
mod record;
mod rest;
mod server;
mod world;

pub use actions::NewMessage;
pub use config::{EmulatorConfig, GuildShape};
pub use emulator::Emulator;
pub use error::DiscordError;
pub use faults::RoutePattern;
pub use ids::Snowflake;
pub use interaction::{InteractionHandle, InteractionResponse, callback};
pub use limits::RateLimitStats;
pub use model::{Attachment, Channel, ForumTag, Message, ScriptedGuild, User};
pub use record::{GatewayFrame, RecordedRequest};
