//! The Discord platform: serenity + poise for the gateway and slash commands,
//! and Ponder's own REST path ([`rest`]) for posting.
//!
//! A prompt is a message in the channel with a public thread started from it
//! (Discord's rule: the thread id is the message id, so replies that arrive
//! before the thread-creation answer are already routed). In a forum channel
//! the prompt is the forum post itself. Nothing Ponder sends can ping.
//!
//! # Exactly once
//!
//! Each post's key (see [`crate::engine::OutgoingPrompt::idempotency_key`])
//! travels twice with its message:
//!
//! - as the `nonce` with `enforce_nonce`: Discord then drops a second send with
//!   the same nonce *for a few minutes* and answers with the first message. So
//!   a retry within seconds (a 5xx, a lost answer) can never make two messages.
//!   Discord echoes the nonce only in that answer and in MESSAGE_CREATE, never
//!   in the channel's history, so it cannot find a post after a crash;
//! - in the footer of one small embed, `Ponder · ref <key>`: the one thing a
//!   message carries that members barely see and history returns. (Content
//!   markers, even invisible characters, reach screen readers and copies;
//!   a button would need a handler.) Digests carry theirs the same way.
//!
//! After a crash, [`Chat::find_post`](crate::engine::Chat::find_post) looks for the message whose footer names
//! the post's key, never for its text (the rotation repeats prompts): in a
//! text channel it pages back through history (`before=`, 100 at a time) to
//! the post's claim time less [`CLOCK_SKEW`]; in a forum it reads the forum's
//! active threads and its archived ones (newest archived first, down to the
//! claim time) and looks at each candidate's starter message. Found: the post
//! was sent. Looked back far enough and not found: it was not sent. When it
//! cannot tell (more than [`MAX_LOOKBACK`] messages to read, a message of the
//! bot's own with the prompt's text and no reference, as an older Ponder sent,
//! or a candidate forum post whose starter message is gone) it answers
//! [`Lookup::Unknown`](crate::engine::Lookup::Unknown), and the engine does not send a second copy: it tells
//! the channel's admins instead.

mod archive;
mod buttons;
mod chat;
mod codes;
mod commands;
mod find;
mod gateway;
mod guilds;
mod interaction;
mod localize;
mod message;
mod packs;
mod permissions;
mod quiet;
pub mod rest;
mod shards;
mod slash;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::Value;

pub use gateway::run;
pub use message::reference;

use crate::config::{Config, DiscordConfig};
use crate::engine::{ChatError, Engine};
use crate::secret::{self, SecretString};
use rest::Rest;

pub const PLATFORM: &str = "discord";
const GUILD_TEXT: i64 = 0;
const GUILD_ANNOUNCEMENT: i64 = 5;
const GUILD_FORUM: i64 = 15;
/// A forum that requires a tag on every post.
const REQUIRE_TAG: i64 = 1 << 4;
/// How much earlier than its claim time a post's message may look, since
/// Discord's clock and ours differ.
pub const CLOCK_SKEW: chrono::Duration = chrono::Duration::minutes(10);
/// How many channel messages (or forum posts) [`Chat::find_post`](crate::engine::Chat::find_post) reads
/// before it gives up and answers that it cannot tell.
pub const MAX_LOOKBACK: usize = 5000;
/// The most characters a Discord message holds; longer text is cut with
/// [`crate::text::cut`].
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// The largest file a bot may upload to a server without boosts (10 MB);
/// `upload_limit` in `[discord]` sets another (a boosted server's, or a
/// test's).
pub const UPLOAD_LIMIT: u64 = 10 * 1024 * 1024;

/// The error slash commands and event handlers return.
pub type Error = anyhow::Error;

/// The adapter's state, shared by the gateway's handlers and the slash commands.
pub struct Data {
    pub engine: Arc<Engine>,
    pub chat: Arc<DiscordChat>,
    /// The channels Ponder posts in (at start), whose GUILD_CREATE entries are
    /// kept so their first post needs no `GET /channels/{id}`.
    ours: Arc<HashSet<String>>,
    /// Where GUILD_CREATEs queue for the start-up permission check.
    guilds: Arc<guilds::GuildIntake>,
    /// Per shard, which registration of its message collector is the live one.
    collectors: Arc<Mutex<HashMap<u32, Arc<AtomicU64>>>>,
    /// The bot's own user id, from READY.
    bot_id: std::sync::OnceLock<poise::serenity_prelude::UserId>,
}

pub struct DiscordChat {
    rest: Rest,
    pub(crate) config: DiscordConfig,
    pub(crate) token: SecretString,
    /// Forum tags (names or ids) per channel id, from the config.
    forum_tags: HashMap<String, Vec<String>>,
    /// Channel id → its channel object, fetched once, kept as compact JSON
    /// text: a parsed `Value` costs about 1 KB per channel in maps, and
    /// with thousands of servers that was most of the bot's heap per server
    /// (heaptrack, BENCHMARKS.md); it is read back only to post.
    channels: Mutex<HashMap<String, Box<str>>>,
    /// The gateway's shards and their states.
    shards: Mutex<shards::ShardBoard>,
    /// The shards this process runs when several processes share the bot
    /// (`shards = "0-3 of 8"`): it serves only their servers' channels.
    range: Option<crate::config::ShardRange>,
}

impl std::fmt::Debug for DiscordChat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscordChat")
            .field("rest", &self.rest)
            .finish_non_exhaustive()
    }
}

impl DiscordChat {
    pub fn new(config: &Config) -> anyhow::Result<DiscordChat> {
        let d = config
            .discord
            .clone()
            .ok_or_else(|| anyhow::anyhow!("no [discord] section"))?;
        let token = secret::load(
            "Discord bot token",
            "DISCORD_TOKEN",
            "token_file",
            d.token_file.as_deref(),
        )?;
        let forum_tags = config
            .channels
            .iter()
            .filter(|c| c.platform.get_ref() == PLATFORM && !c.forum_tags.is_empty())
            .map(|c| (c.id.clone(), c.forum_tags.clone()))
            .collect();
        Ok(DiscordChat {
            range: d.shard_range(),
            rest: Rest::new(d.api_base.as_deref(), token.clone()),
            config: d,
            token,
            forum_tags,
            channels: Mutex::default(),
            shards: Mutex::default(),
        })
    }

    /// Keeps a channel's facts as the gateway announced them, so the first
    /// post there needs no `GET /channels/{id}` (a burst of slots stays
    /// within Discord's 50 requests per second).
    pub(crate) fn remember_channel(&self, id: String, channel: Value) {
        self.channels
            .lock()
            .unwrap()
            .insert(id, channel.to_string().into_boxed_str());
    }

    async fn channel(&self, id: &str) -> Result<Value, ChatError> {
        let kept = self.channels.lock().unwrap().get(id).cloned();
        if let Some(c) = kept.and_then(|c| serde_json::from_str(&c).ok()) {
            return Ok(c);
        }
        let c = self
            .rest
            .call(Method::GET, &format!("/channels/{id}"), None)
            .await
            .map_err(|e| e.meaning("View Channel", id))?;
        self.remember_channel(id.to_string(), c.clone());
        Ok(c)
    }

    /// `GET /gateway/bot` of the configured server (Discord itself without
    /// `api_base`), asked again with backoff until it answers: the
    /// gateway's address and the shard count it recommends (at least 1);
    /// `None` on shutdown.
    pub(crate) async fn gateway_bot(
        &self,
        shutdown: &mut crate::shutdown::Shutdown,
    ) -> Option<(String, u32)> {
        let mut wait = Duration::from_millis(500);
        loop {
            match self.rest.call(Method::GET, "/gateway/bot", None).await {
                Ok(v) if v["url"].is_string() => {
                    let shards = v["shards"].as_u64().unwrap_or(1).clamp(1, 65_535) as u32;
                    return v["url"].as_str().map(|url| (url.to_string(), shards));
                }
                Ok(_) => {
                    tracing::warn!("the Discord server's gateway answer has no url; asking again")
                }
                Err(e) => {
                    tracing::warn!(error = ?e, retry_in = ?wait, "could not ask the Discord server for its gateway; asking again (never another server)")
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = shutdown.recv() => return None,
            }
            wait = (wait * 2).min(Duration::from_secs(30));
        }
    }

    fn archive_minutes(&self) -> u16 {
        self.config.archive_minutes().unwrap_or(1440)
    }
}

/// When a snowflake was made: its top 42 bits are milliseconds since 2015.
pub(crate) fn snowflake_time(id: u64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(((id >> 22) + 1_420_070_400_000) as i64).unwrap_or_default()
}
