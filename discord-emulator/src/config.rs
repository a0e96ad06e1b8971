//! What the emulator scripts at start-up and how strictly it behaves.

use std::time::Duration;

/// Settings for [`Emulator::start`](crate::Emulator::start).
///
/// Start from [`EmulatorConfig::default`] and override fields:
///
/// ```
/// let config = discord_emulator::EmulatorConfig {
///     guilds: 3,
///     ..Default::default()
/// };
/// assert_eq!(config.port, 0);
/// ```
#[derive(Clone)]
pub struct EmulatorConfig {
    /// TCP port on 127.0.0.1; `0` picks a free one.
    pub port: u16,
    /// The bot token the REST API and IDENTIFY accept (with or without the `Bot ` prefix).
    pub token: String,
    /// How many scripted guilds to create, each with its own channels and roles.
    pub guilds: usize,
    /// Heartbeat interval announced in HELLO. Discord uses about 41 s; tests want ~1 s.
    ///
    /// serenity restarts a connection whose heartbeat is not acknowledged within one
    /// interval, and the ACK queues behind the READY burst (one GUILD_CREATE per guild).
    /// So HELLO announces at least 5 ms per scripted guild (10 s for 2,000 guilds); see
    /// [`EmulatorConfig::announced_heartbeat`].
    pub heartbeat_interval: Duration,
    /// The bot user's name.
    pub bot_name: String,
    /// Whether the scripted forum channel has the REQUIRE_TAG flag.
    pub forum_requires_tag: bool,
    /// Privileged intents the "developer portal" allows (GUILD_MEMBERS, GUILD_PRESENCES,
    /// MESSAGE_CONTENT). Asking for others in IDENTIFY closes the gateway with 4014.
    pub allowed_privileged_intents: u64,
    /// Time a bot has for the initial interaction callback before Discord answers
    /// 10062 "Unknown interaction". `None` disables the deadline.
    pub interaction_deadline: Option<Duration>,
    /// How long `enforce_nonce` remembers a nonce (Discord: "the past few minutes").
    pub nonce_window: Duration,
    /// Dispatches a session keeps for RESUME replay.
    pub replay_buffer: usize,
    /// Entries kept in the request log and the gateway frame log (oldest dropped first).
    pub log_limit: usize,
    /// What each scripted guild holds besides the scripted ids (see [`GuildShape`]).
    pub guild_shape: GuildShape,
    /// Enforce Discord's rate limits on REST calls (global 50 requests per second, 5
    /// messages per 5 s per channel and route), answering 429 with `retry_after` and
    /// `global`. Off by default: tests that want 429s inject them with `rate_limit`.
    pub discord_rate_limits: bool,
    /// Guilds per shard `GET /gateway/bot` recommends (Discord: about 1,000): it
    /// answers `shards` = guilds ÷ this, rounded up, at least 1.
    pub guilds_per_shard: usize,
    /// The most guilds one gateway connection may hold (Discord: 2,500). An IDENTIFY
    /// whose shard would hold more is closed with 4011 "Sharding required.".
    pub max_guilds_per_shard: usize,
}

/// How much a scripted guild holds, as its GUILD_CREATE shows it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GuildShape {
    /// The scripted ids only: two channels (text and forum), three roles, four members,
    /// about 4.7 KB of GUILD_CREATE JSON. The small-guild shape: with a configured
    /// channel in each, thousands of them make the GUILD_CREATE storm of a bot's
    /// start-up, arriving faster than mid-size ones parse.
    #[default]
    Minimal,
    /// Like a real mid-size community: 36 channels (categories, text, voice, the forum),
    /// 24 roles, a page of 100 members, 20 emojis. For memory benchmarks.
    MidSize,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            port: 0,
            token: "emulator-token".to_owned(),
            guilds: 1,
            heartbeat_interval: Duration::from_millis(1000),
            bot_name: "Ponder".to_owned(),
            forum_requires_tag: true,
            allowed_privileged_intents: crate::perms::intents::PRIVILEGED,
            interaction_deadline: Some(Duration::from_secs(3)),
            nonce_window: Duration::from_secs(300),
            replay_buffer: 10_000,
            log_limit: 100_000,
            guild_shape: GuildShape::Minimal,
            discord_rate_limits: false,
            guilds_per_shard: 1000,
            max_guilds_per_shard: 2500,
        }
    }
}

impl EmulatorConfig {
    /// The interval HELLO announces: `heartbeat_interval`, raised to 5 ms per guild.
    pub fn announced_heartbeat(&self) -> Duration {
        let per_guild = Duration::from_millis(5) * u32::try_from(self.guilds).unwrap_or(u32::MAX);
        self.heartbeat_interval.max(per_guild)
    }
}

impl std::fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("port", &self.port)
            .field("token", &"<redacted>")
            .field("guilds", &self.guilds)
            .field("heartbeat_interval", &self.heartbeat_interval)
            .field("bot_name", &self.bot_name)
            .field("forum_requires_tag", &self.forum_requires_tag)
            .field(
                "allowed_privileged_intents",
                &self.allowed_privileged_intents,
            )
            .field("interaction_deadline", &self.interaction_deadline)
            .field("nonce_window", &self.nonce_window)
            .field("replay_buffer", &self.replay_buffer)
            .field("log_limit", &self.log_limit)
            .field("guild_shape", &self.guild_shape)
            .field("discord_rate_limits", &self.discord_rate_limits)
            .field("guilds_per_shard", &self.guilds_per_shard)
            .field("max_guilds_per_shard", &self.max_guilds_per_shard)
            .finish()
    }
}
