//! `config.toml`: strict (unknown keys are errors with line and column),
//! checked as a whole so `ponder check` can list every problem at once.
//! Secrets never live here: platform tokens come from the environment or
//! from `*_file` paths (with the platform sections, in their own issues).

mod load;
mod problems;
mod shards;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

pub use load::ConfigError;
pub use problems::{
    MAX_DURATION, NO_PLATFORM, check_log_level, parse_schedule, same_file, unsafe_log_filter,
};
pub use shards::ShardRange;

/// The platforms this build can run.
pub const PLATFORMS: &[&str] = &[
    "console",
    #[cfg(feature = "matrix")]
    "matrix",
    #[cfg(feature = "discord")]
    "discord",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where Ponder keeps its files; relative paths are relative to the config file.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// The database: a SQLite file (default `<data_dir>/ponder.db`), or a
    /// PostgreSQL address `postgres://user@host:port/name` (the password
    /// from PGPASSWORD or ~/.pgpass).
    pub database: Option<PathBuf>,
    /// The key behind anonymous authors' hashes (made on first use);
    /// default `<data_dir>/anonymity.key`.
    pub anonymity_key: Option<PathBuf>,
    #[serde(default = "default_prompts_dir")]
    pub prompts_dir: PathBuf,
    /// The time zone of channels that name none.
    #[serde(default = "default_tz")]
    pub timezone: Spanned<String>,
    /// The language of channels that name none (`en`, the default, or
    /// `de`): what Ponder says there, and which prompt packs it draws from.
    pub language: Option<Spanned<String>>,
    /// How long a prompt's thread stays open, like `24h` or `3d`.
    #[serde(
        default = "default_thread_open",
        deserialize_with = "load::thread_open"
    )]
    pub thread_open: Duration,
    /// The shortest time between two prompts of a schedule made in chat
    /// (`setup`, `schedule add`), like `10m` (the default). Schedules in
    /// this file are the operator's own and are not bounded by it.
    #[serde(
        default = "default_min_interval",
        deserialize_with = "load::min_interval"
    )]
    pub min_schedule_interval: Duration,
    #[serde(default)]
    pub catch_up: CatchUpConfig,
    /// The terminal as a chat platform with one channel.
    pub console: Option<ConsoleConfig>,
    #[serde(default, rename = "channel")]
    pub channels: Vec<ChannelConfig>,
    /// The Discord bot; off unless configured.
    pub discord: Option<DiscordConfig>,
    /// The Matrix account; off unless configured.
    pub matrix: Option<MatrixConfig>,
    /// The health and metrics listener; off unless configured.
    pub http: Option<HttpConfig>,
    #[serde(default)]
    pub log: LogConfig,
    /// Where the config was read from (not a key).
    #[serde(skip)]
    pub path: PathBuf,
    #[serde(skip)]
    source: String,
    /// Durations that did not parse, with their line: reported by
    /// [`Config::problems`] beside every other problem.
    #[serde(skip)]
    bad_durations: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatchUpConfig {
    /// `latest` (post the latest missed slot if not older than `max_lateness`) or `skip`.
    #[serde(default = "default_policy")]
    pub policy: Spanned<String>,
    #[serde(default = "default_lateness", deserialize_with = "load::max_lateness")]
    pub max_lateness: Duration,
}

impl Default for CatchUpConfig {
    fn default() -> Self {
        CatchUpConfig {
            policy: default_policy(),
            max_lateness: default_lateness(),
        }
    }
}

/// `[discord]`: the bot application. The token comes from `token_file` or the
/// `DISCORD_TOKEN` environment variable, never from this file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordConfig {
    pub token_file: Option<PathBuf>,
    /// Guild ids to register the slash commands in (instant); global when empty.
    #[serde(default)]
    pub guilds: Vec<Spanned<String>>,
    /// Another server speaking Discord's API (such as the emulator used in
    /// the tests), like `http://127.0.0.1:8080`; Discord itself when absent.
    pub api_base: Option<String>,
    /// How long an idle prompt thread stays unarchived on Discord: 1h, 24h, 3d or 1w.
    #[serde(default = "default_archive")]
    pub thread_archive: Spanned<String>,
    /// The largest file, in bytes, Ponder uploads (an archive, an export):
    /// 10 MB (Discord's limit for a server without boosts) when absent; a
    /// boosted server takes more. A larger file is narrowed by date.
    pub upload_limit: Option<u64>,
    /// Gateway shards: `"auto"` (the default: the count Discord recommends,
    /// one connection per at most 2,500 guilds), a number, or the range this
    /// process runs when several share the bot (`"0-3 of 8"`, `"2 of 8"`).
    pub shards: Option<Spanned<Shards>>,
}

/// `[discord] shards`, as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Shards {
    Count(i64),
    Word(String),
}

/// The most shards a configured count may name.
pub const MAX_SHARDS: i64 = 4096;

impl DiscordConfig {
    /// The configured shard count; `None`: Discord's recommended count.
    pub fn shard_count(&self) -> Option<u32> {
        match self.shards.as_ref().map(Spanned::get_ref) {
            Some(Shards::Count(n)) if (1..=MAX_SHARDS).contains(n) => u32::try_from(*n).ok(),
            _ => None,
        }
    }

    /// `thread_archive` in minutes (one of Discord's four values).
    pub fn archive_minutes(&self) -> Option<u16> {
        match self.thread_archive.get_ref().as_str() {
            "1h" | "60m" => Some(60),
            "24h" | "1d" => Some(1440),
            "3d" | "72h" => Some(4320),
            "1w" | "7d" => Some(10080),
            _ => None,
        }
    }
}

fn default_archive() -> Spanned<String> {
    Spanned::new(0..0, "24h".into())
}

/// `[matrix]`: the bot's account. The password comes from `password_file`
/// or the `MATRIX_PASSWORD` environment variable, never from this file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixConfig {
    /// The homeserver's URL, like `https://matrix.example.org`.
    pub homeserver: Spanned<String>,
    /// The bot's user id, like `@ponder:example.org`.
    pub user: Spanned<String>,
    pub password_file: Option<PathBuf>,
    /// The name of the bot's device, shown to room members.
    #[serde(default = "default_device_name")]
    pub device_name: String,
    /// The SDK's store (session, sync token, encryption keys); relative to `data_dir`.
    #[serde(default = "default_matrix_store")]
    pub store_dir: PathBuf,
    /// Power level needed for admin commands.
    #[serde(default = "default_admin_power")]
    pub admin_power_level: i64,
    /// Users (`@alice:example.org`) or servers (`example.org`) whose invites
    /// the bot accepts; invites from anyone else are declined.
    #[serde(default)]
    pub allow_invites_from: Vec<String>,
    /// Matrix runs in exactly one process: a config with a Discord shard
    /// range (`[discord] shards = "0-3 of 8"`) runs it only when this says
    /// it is the one.
    #[serde(default)]
    pub with_shard_range: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpConfig {
    /// Address for `/healthz` and `/metrics`, like `127.0.0.1:9464`.
    pub listen: Spanned<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    /// A tracing filter like `info` or `ponder=debug,info`; `RUST_LOG` wins.
    pub level: Option<String>,
    /// `text` (default) or `json`; `--log-format` wins.
    pub format: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleConfig {
    /// The console channel's name.
    #[serde(default = "default_console_channel")]
    pub channel: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelConfig {
    pub platform: Spanned<String>,
    /// The platform's channel or room id (for the console, its channel name).
    pub id: String,
    pub timezone: Option<Spanned<String>>,
    /// The language the channel speaks (`en`, `de`); default: the top-level
    /// `language`, or on Discord the member's own locale.
    pub language: Option<Spanned<String>>,
    /// Pack ids to draw from; empty means every pack.
    #[serde(default)]
    pub packs: Vec<String>,
    /// Cron expressions or friendly forms (`daily 09:00`).
    #[serde(default)]
    pub schedules: Vec<Spanned<String>>,
    /// Where the digest goes when a thread closes: `thread` (default), `channel` or `off`.
    pub digest: Option<Spanned<String>>,
    /// Discord forum channels: tag names (or ids) applied to each prompt's post.
    #[serde(default)]
    pub forum_tags: Vec<String>,
    /// Whether members may reflect anonymously (also `anonymous on` in chat).
    pub anonymous: Option<bool>,
    /// Whether a digest may quote anonymous reflections (default: never).
    pub anonymous_excerpts: Option<bool>,
    /// Whether a closing thread's digest carries the archive page of its
    /// prompt (default: no).
    pub digest_archive: Option<Spanned<bool>>,
    /// Quiet days, in the channel's zone: `2026-12-24..2026-12-26 holidays`
    /// (a range, or one day, then an optional reason) or weekdays like
    /// `sat,sun` (see [`crate::domain::quiet`]).
    #[serde(default)]
    pub quiet: Vec<Spanned<String>>,
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("data")
}
fn default_prompts_dir() -> PathBuf {
    PathBuf::from("prompts")
}
fn default_tz() -> Spanned<String> {
    Spanned::new(0..0, "UTC".into())
}
fn default_thread_open() -> Duration {
    Duration::from_secs(24 * 3600)
}
fn default_min_interval() -> Duration {
    Duration::from_secs(600)
}
fn default_policy() -> Spanned<String> {
    Spanned::new(0..0, "latest".into())
}
fn default_lateness() -> Duration {
    Duration::from_secs(6 * 3600)
}
fn default_device_name() -> String {
    "Ponder".into()
}
fn default_matrix_store() -> PathBuf {
    PathBuf::from("matrix")
}
fn default_admin_power() -> i64 {
    50
}
fn default_console_channel() -> String {
    "console".into()
}

impl Config {
    /// `ponder demo`'s config: this terminal as the one channel, a prompt
    /// every `every` seconds (at least 2), each thread closing a little
    /// before the next prompt, the database at `db` and the anonymity key
    /// beside it. Built as a value: any file name works.
    pub fn demo(db: &Path, every: u64) -> Config {
        let unplaced = |s: &str| Spanned::new(0..0, s.to_string());
        // One thread open at a time: each closes a little before the next prompt.
        let open = every - (every / 10).max(1);
        Config {
            data_dir: default_data_dir(),
            database: Some(db.to_path_buf()),
            anonymity_key: Some(db.with_extension("key")),
            prompts_dir: default_prompts_dir(),
            timezone: default_tz(),
            language: None,
            thread_open: Duration::from_secs(open),
            min_schedule_interval: Duration::from_secs(1),
            catch_up: CatchUpConfig::default(),
            console: Some(ConsoleConfig {
                channel: "console".into(),
            }),
            channels: vec![ChannelConfig {
                platform: unplaced("console"),
                id: "console".into(),
                timezone: None,
                language: None,
                packs: Vec::new(),
                schedules: vec![unplaced(&format!("every {every}s"))],
                digest: None,
                forum_tags: Vec::new(),
                anonymous: None,
                anonymous_excerpts: None,
                digest_archive: None,
                quiet: Vec::new(),
            }],
            discord: None,
            matrix: None,
            http: None,
            log: LogConfig::default(),
            path: PathBuf::new(),
            source: String::new(),
            bad_durations: Vec::new(),
        }
    }

    /// Where the database is: the config's `database` (a SQLite path or a
    /// PostgreSQL address), by default `<data_dir>/ponder.db`.
    pub fn store(&self) -> crate::db::Store {
        match self
            .database
            .as_ref()
            .map(|d| crate::db::Store::parse(&d.to_string_lossy()))
        {
            Some(Ok(store)) => store,
            _ => crate::db::Store::Sqlite(self.database_path()),
        }
    }

    /// The SQLite file: the config's `database`, by default
    /// `<data_dir>/ponder.db` (see [`Config::store`]).
    pub fn database_path(&self) -> PathBuf {
        self.database
            .clone()
            .unwrap_or_else(|| self.data_dir.join("ponder.db"))
    }

    pub fn anonymity_key_path(&self) -> PathBuf {
        self.anonymity_key
            .clone()
            .unwrap_or_else(|| self.data_dir.join("anonymity.key"))
    }

    /// The language of channels that name none.
    pub fn default_language(&self) -> crate::i18n::Lang {
        self.language
            .as_ref()
            .and_then(|l| crate::i18n::Lang::parse(l.get_ref()))
            .unwrap_or_default()
    }

    /// The language of the console channel `id`: its `[[channel]]` entry's,
    /// else the default.
    pub fn console_language(&self, id: &str) -> crate::i18n::Lang {
        self.channels
            .iter()
            .filter(|ch| ch.platform.get_ref() == "console" && ch.id == id)
            .find_map(|ch| ch.language.as_ref())
            .and_then(|l| crate::i18n::Lang::parse(l.get_ref()))
            .unwrap_or_else(|| self.default_language())
    }

    /// The timezone of a configured channel.
    pub fn channel_timezone(&self, ch: &ChannelConfig) -> String {
        ch.timezone
            .as_ref()
            .unwrap_or(&self.timezone)
            .get_ref()
            .clone()
    }
}
