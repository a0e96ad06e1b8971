//! `config.toml`: strict (unknown keys are errors with line and column),
//! checked as a whole so `ponder check` can list every problem at once.
//! Secrets never live here: platform tokens come from the environment or
//! from `*_file` paths (with the platform sections, in their own issues).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use toml::Spanned;

use crate::domain::schedule::{Recurrence, parse_tz};
use crate::engine::{CatchUp, Settings};

/// The platforms this build can run.
pub const PLATFORMS: &[&str] = &[
    "console",
    #[cfg(feature = "matrix")]
    "matrix",
    #[cfg(feature = "discord")]
    "discord",
];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{path} has {} problem{}:\n{}", .problems.len(), if .problems.len() == 1 { "" } else { "s" }, .problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        path: PathBuf,
        problems: Vec<String>,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where Ponder keeps its files; relative paths are relative to the config file.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// The SQLite database; default `<data_dir>/ponder.db`.
    pub database: Option<PathBuf>,
    /// The key behind anonymous authors' hashes (made on first use);
    /// default `<data_dir>/anonymity.key`.
    pub anonymity_key: Option<PathBuf>,
    #[serde(default = "default_prompts_dir")]
    pub prompts_dir: PathBuf,
    /// The time zone of channels that name none.
    #[serde(default = "default_tz")]
    pub timezone: Spanned<String>,
    /// How long a prompt's thread stays open, like `24h` or `3d`.
    #[serde(default = "default_thread_open", deserialize_with = "thread_open")]
    pub thread_open: Duration,
    /// The shortest time between two prompts of a schedule made in chat
    /// (`setup`, `schedule add`), like `10m` (the default). Schedules in
    /// this file are the operator's own and are not bounded by it.
    #[serde(default = "default_min_interval", deserialize_with = "min_interval")]
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
    #[serde(default = "default_lateness", deserialize_with = "max_lateness")]
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
}

impl DiscordConfig {
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
}

/// A configured schedule: the spec, then how it is announced
/// (`daily 09:00 ping 123 pin`).
pub fn parse_schedule(text: &str) -> Result<(String, crate::domain::command::Announce), String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (rest, announce) = crate::domain::command::Announce::take_from(&words).map_err(|u| u.0)?;
    let spec = rest.join(" ");
    Recurrence::parse(&spec).map_err(|e| e.to_string())?;
    Ok((spec, announce))
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

/// The longest duration any setting takes (a year): far beyond any sensible
/// thread or catch-up window, and far from the overflow of a date.
pub const MAX_DURATION: Duration = Duration::from_secs(365 * 24 * 3600);

/// Whether two paths name one file (the same path, or the same existing file).
pub fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

thread_local! {
    /// Durations that did not parse while `Config::parse` runs: a bad one must
    /// not stop the parse and hide the other problems.
    static BAD_DURATIONS: std::cell::RefCell<Vec<(&'static str, String)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

fn thread_open<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    duration(d, "thread_open", default_thread_open())
}

fn max_lateness<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    duration(d, "catch_up.max_lateness", default_lateness())
}

fn min_interval<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    duration(d, "min_schedule_interval", default_min_interval())
}

/// A duration like `24h`; one that does not parse is noted (and the default
/// kept) so that `problems` lists it with the rest.
fn duration<'de, D: Deserializer<'de>>(
    d: D,
    key: &'static str,
    default: Duration,
) -> Result<Duration, D::Error> {
    let s = String::deserialize(d)?;
    match humantime::parse_duration(&s) {
        Ok(v) => Ok(v),
        Err(_) => {
            let message =
                format!("{key}: `{s}` is not a duration; write it like `90m`, `24h` or `3d`");
            BAD_DURATIONS.with(|b| b.borrow_mut().push((key, message)));
            Ok(default)
        }
    }
}

/// The line of `key = ...` in a config's text (the last part of a dotted key),
/// found by reading the lines: a value's span is not at hand in a `deserialize_with`.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    let name = key.rsplit('.').next().unwrap_or(key);
    text.lines().position(|l| {
        l.trim_start()
            .strip_prefix(name)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    })
}

/// What `run` says when the config names no platform; `check` says the same.
pub const NO_PLATFORM: &str = "no platform is configured: add a [console], [discord] or [matrix] section (see config.example.toml)";

/// The log levels a bare `[log] level` may name.
const LOG_LEVELS: &[&str] = &["trace", "debug", "info", "warn", "error", "off"];

/// Checks a `[log] level` filter: `info`, or `ponder=debug,info`. A bare word
/// that is not a level would silently name a module, so it is refused.
pub fn check_log_level(level: &str) -> Result<(), String> {
    let hint = "write a level (trace, debug, info, warn, error, off) or `target=level` like `ponder=debug,info`";
    if level.trim().is_empty() {
        return Err(format!("the level is empty: {hint}"));
    }
    for directive in level.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        let bare = !directive.contains('=') && !directive.contains('[');
        if bare && !LOG_LEVELS.contains(&directive.to_ascii_lowercase().as_str()) {
            return Err(format!("`{level}` is not a log level: {hint}"));
        }
    }
    tracing_subscriber::EnvFilter::builder()
        .parse(level)
        .map(|_| ())
        .map_err(|_| format!("`{level}` is not a log level: {hint}"))
}

impl Config {
    /// Reads and checks a config file; every problem is reported at once.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.into(),
            source,
        })?;
        let config = Self::parse(path, &text)?;
        let problems = config.problems();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError::Invalid {
                path: path.into(),
                problems,
            })
        }
    }

    /// Parses without the semantic checks; relative paths are resolved
    /// against the config file's directory.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        BAD_DURATIONS.with(|b| b.borrow_mut().clear());
        let parsed: Result<Config, _> = toml::from_str(text);
        let bad_durations = BAD_DURATIONS.with(|b| std::mem::take(&mut *b.borrow_mut()));
        let mut config = parsed.map_err(|e| ConfigError::Parse {
            path: path.into(),
            message: e.to_string().trim_end().to_string(),
        })?;
        config.bad_durations = bad_durations
            .into_iter()
            .map(|(key, message)| match line_of_key(text, key) {
                Some(i) => format!("line {}: {message}", i + 1),
                None => message,
            })
            .collect();
        let base = path.parent().unwrap_or(Path::new(""));
        config.data_dir = base.join(&config.data_dir);
        config.prompts_dir = base.join(&config.prompts_dir);
        config.database = config.database.map(|d| base.join(d));
        config.anonymity_key = config.anonymity_key.map(|k| base.join(k));
        if let Some(d) = &mut config.discord {
            d.token_file = d.token_file.as_ref().map(|f| base.join(f));
        }
        if let Some(m) = &mut config.matrix {
            m.store_dir = config.data_dir.join(&m.store_dir);
            m.password_file = m.password_file.as_ref().map(|f| base.join(f));
        }
        config.path = path.to_path_buf();
        config.source = text.to_string();
        Ok(config)
    }

    fn line<T>(&self, s: &Spanned<T>) -> String {
        line_at(&self.source, s.span().start)
    }

    /// Everything wrong with the values (the syntax was checked by `parse`).
    pub fn problems(&self) -> Vec<String> {
        let mut out = self.bad_durations.clone();
        if self.console.is_none() && self.discord.is_none() && self.matrix.is_none() {
            out.push(NO_PLATFORM.to_string());
        }
        if let Err(e) = parse_tz(self.timezone.get_ref()) {
            out.push(format!("{}: timezone: {e}", self.line(&self.timezone)));
        }
        let policy = self.catch_up.policy.get_ref().as_str();
        if !matches!(policy, "latest" | "skip") {
            out.push(format!(
                "{}: catch_up.policy: `{policy}` is not `latest` or `skip`",
                self.line(&self.catch_up.policy)
            ));
        }
        if self.thread_open.as_secs() < 1 {
            out.push("thread_open: must be at least 1s".into());
        }
        for (field, value) in [
            ("thread_open", self.thread_open),
            ("catch_up.max_lateness", self.catch_up.max_lateness),
            ("min_schedule_interval", self.min_schedule_interval),
        ] {
            if value > MAX_DURATION {
                out.push(format!(
                    "{field}: `{}` is too long; at most 365d",
                    humantime::format_duration(value)
                ));
            }
        }
        if same_file(&self.database_path(), &self.anonymity_key_path()) {
            out.push(
                "anonymity_key: is the database file; give the key a path of its own, like data/anonymity.key"
                    .into(),
            );
        }
        if let Some(http) = &self.http
            && let Err(e) = http.listen.get_ref().parse::<std::net::SocketAddr>()
        {
            out.push(format!(
                "{}: http.listen: `{}` is not an address like 127.0.0.1:9464 ({e})",
                self.line(&http.listen),
                http.listen.get_ref()
            ));
        }
        if let Some(level) = &self.log.level
            && let Err(e) = check_log_level(level)
        {
            out.push(format!("log.level: {e}"));
        }
        if let Some(f) = &self.log.format
            && !matches!(f.get_ref().as_str(), "text" | "json")
        {
            out.push(format!(
                "{}: log.format: `{}` is not `text` or `json`",
                self.line(f),
                f.get_ref()
            ));
        }
        if let Some(d) = &self.discord {
            if d.archive_minutes().is_none() {
                out.push(format!(
                    "{}: discord.thread_archive: `{}` is not one of Discord's 1h, 24h, 3d, 1w",
                    self.line(&d.thread_archive),
                    d.thread_archive.get_ref()
                ));
            }
            for g in &d.guilds {
                if g.get_ref().parse::<u64>().is_err() {
                    out.push(format!(
                        "{}: discord.guilds: `{}` is not a guild id (a number)",
                        self.line(g),
                        g.get_ref()
                    ));
                }
            }
        }
        if let Some(m) = &self.matrix {
            if !m.homeserver.get_ref().starts_with("http://")
                && !m.homeserver.get_ref().starts_with("https://")
            {
                out.push(format!(
                    "{}: matrix.homeserver: `{}` is not an http(s) URL",
                    self.line(&m.homeserver),
                    m.homeserver.get_ref()
                ));
            }
            let user = m.user.get_ref();
            if !user.starts_with('@') || !user.contains(':') {
                out.push(format!(
                    "{}: matrix.user: `{user}` is not a user id like @ponder:example.org",
                    self.line(&m.user)
                ));
            }
        }
        for (i, ch) in self.channels.iter().enumerate() {
            let at = format!("channel[{}]", i + 1);
            let platform = ch.platform.get_ref();
            if !PLATFORMS.contains(&platform.as_str()) {
                out.push(format!(
                    "{}: {at}.platform: `{platform}` is not a platform this build runs (it runs: {})",
                    self.line(&ch.platform),
                    PLATFORMS.join(", ")
                ));
            } else if platform == "console" && self.console.is_none() {
                out.push(format!(
                    "{}: {at}: a console channel needs a [console] section",
                    self.line(&ch.platform)
                ));
            } else if platform == "discord" && self.discord.is_none() {
                out.push(format!(
                    "{}: {at}: a discord channel needs a [discord] section",
                    self.line(&ch.platform)
                ));
            } else if platform == "matrix" && self.matrix.is_none() {
                out.push(format!(
                    "{}: {at}: a matrix channel needs a [matrix] section",
                    self.line(&ch.platform)
                ));
            }
            if let Some(tz) = &ch.timezone
                && let Err(e) = parse_tz(tz.get_ref())
            {
                out.push(format!("{}: {at}.timezone: {e}", self.line(tz)));
            }
            if let Some(d) = &ch.digest
                && crate::domain::command::DigestMode::parse(d.get_ref()).is_none()
            {
                out.push(format!(
                    "{}: {at}.digest: `{}` is not `thread`, `channel` or `off`",
                    self.line(d),
                    d.get_ref()
                ));
            }
            for s in &ch.schedules {
                if let Err(e) = parse_schedule(s.get_ref()) {
                    out.push(format!("{}: {at}.schedules: {e}", self.line(s)));
                }
            }
        }
        out
    }

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

    pub fn settings(&self) -> Settings {
        let to = |d: Duration| chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX);
        Settings {
            catch_up: match self.catch_up.policy.get_ref().as_str() {
                "skip" => CatchUp::Skip,
                _ => CatchUp::Latest {
                    max_lateness: to(self.catch_up.max_lateness),
                },
            },
            thread_open: to(self.thread_open),
            min_interval: to(self.min_schedule_interval),
            default_timezone: self.timezone.get_ref().clone(),
            anon_key: crate::engine::AnonKey::random(),
            config_file: (!self.path.as_os_str().is_empty())
                .then(|| self.path.display().to_string()),
            ..Settings::default()
        }
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

/// `line N` of the byte offset `at` in `text`.
fn line_at(text: &str, at: usize) -> String {
    let start = at.min(text.len());
    let line = text.as_bytes()[..start]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1;
    format!("line {line}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_config_parses_and_checks_clean() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
        let config = Config::load(&path).unwrap();
        assert!(config.console.is_some());
        assert!(!config.channels.is_empty());
    }

    #[test]
    fn the_container_config_parses_and_checks_clean() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docker/config.toml");
        let config = Config::load(&path).unwrap();
        assert_eq!(config.data_dir, Path::new("/data"));
        assert_eq!(config.http.unwrap().listen.get_ref(), "0.0.0.0:9464");
    }

    #[test]
    fn unknown_keys_are_errors_with_line_and_column() {
        let err = Config::parse(Path::new("c.toml"), "timezone = \"UTC\"\ncolour = 1\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2, column 1") && err.contains("unknown field `colour`"),
            "{err}"
        );
    }

    #[test]
    fn every_value_problem_is_listed() {
        let text = r#"timezone = "Mars/Olympus"
thread_open = "24h"
[catch_up]
policy = "burst"
[[channel]]
platform = "console"
id = "console"
schedules = ["daily 09:00", "61 * * * *"]
[[channel]]
platform = "irc"
id = "x"
"#;
        let config = Config::parse(Path::new("c.toml"), text).unwrap();
        let problems = config.problems();
        assert_eq!(problems.len(), 6, "{problems:#?}");
        assert_eq!(problems[0], NO_PLATFORM);
        assert!(problems[1].starts_with("line 1: timezone: unknown time zone `Mars/Olympus`"));
        assert!(problems[2].starts_with("line 4: catch_up.policy: `burst`"));
        assert!(
            problems[3]
                .starts_with("line 6: channel[1]: a console channel needs a [console] section")
        );
        assert!(problems[4].starts_with(
            "line 8: channel[1].schedules: bad cron expression `61 * * * *`: minute must be 0–59"
        ));
        assert!(problems[5].starts_with("line 10: channel[2].platform: `irc`"));
    }

    #[test]
    fn a_huge_thread_open_is_refused_naming_the_field() {
        let config = Config::parse(
            Path::new("c.toml"),
            "thread_open = \"100000y\"\n[console]\n",
        )
        .unwrap();
        let problems = config.problems();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].starts_with("thread_open: `100000years` is too long; at most 365d"),
            "{problems:#?}"
        );
    }

    #[test]
    fn a_huge_max_lateness_is_refused_naming_the_field() {
        let config = Config::parse(
            Path::new("c.toml"),
            "[catch_up]\nmax_lateness = \"1000000000y\"\n[console]\n",
        )
        .unwrap();
        let problems = config.problems();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].starts_with("catch_up.max_lateness: `1000000000years` is too long"),
            "{problems:#?}"
        );
        // A year is still fine.
        let config = Config::parse(
            Path::new("c.toml"),
            "[catch_up]\nmax_lateness = \"365d\"\n[console]\n",
        )
        .unwrap();
        assert!(config.problems().is_empty());
    }

    #[test]
    fn an_anonymity_key_at_the_database_path_is_refused_without_moving_the_database() {
        let text = "database = \"data/ponder.db\"\nanonymity_key = \"data/ponder.db\"\n[console]\n";
        let config = Config::parse(Path::new("c.toml"), text).unwrap();
        let problems = config.problems();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].starts_with("anonymity_key: is the database file"));
        assert!(!problems[0].contains("move"), "{problems:#?}");
    }

    #[test]
    fn bad_durations_name_the_value_and_line() {
        let config =
            Config::parse(Path::new("c.toml"), "thread_open = \"soon\"\n[console]\n").unwrap();
        assert_eq!(
            config.problems(),
            ["line 1: thread_open: `soon` is not a duration; write it like `90m`, `24h` or `3d`"]
        );
    }

    #[test]
    fn one_bad_duration_does_not_hide_the_other_problems() {
        let text = r#"timezone = "Mars/Olympus"
thread_open = "soon"
[catch_up]
max_lateness = "later"
[console]
[log]
level = "verbose"
"#;
        let config = Config::parse(Path::new("c.toml"), text).unwrap();
        let problems = config.problems();
        assert_eq!(problems.len(), 4, "{problems:#?}");
        for want in [
            "line 2: thread_open: `soon` is not a duration",
            "line 4: catch_up.max_lateness: `later` is not a duration",
            "line 1: timezone: unknown time zone",
            "log.level: `verbose` is not a log level",
        ] {
            assert!(
                problems.iter().any(|p| p.starts_with(want)),
                "missing {want:?} in {problems:#?}"
            );
        }
    }

    #[test]
    fn an_invalid_log_level_is_a_problem_not_ignored() {
        for bad in ["verbose", "", "ponder=loud", "inf o"] {
            assert!(check_log_level(bad).is_err(), "{bad:?}");
        }
        for good in [
            "info",
            "WARN",
            "ponder=debug,info",
            "off",
            "ponder::engine=trace",
        ] {
            check_log_level(good).unwrap_or_else(|e| panic!("{good:?}: {e}"));
        }
    }

    #[test]
    fn a_config_without_a_platform_is_a_problem_in_the_words_run_uses() {
        let config = Config::parse(Path::new("c.toml"), "timezone = \"UTC\"\n").unwrap();
        assert_eq!(config.problems(), [NO_PLATFORM]);
    }

    #[test]
    fn schedules_that_never_fire_are_problems() {
        let text = "[console]\n[[channel]]\nplatform = \"console\"\nid = \"console\"\n\
                    schedules = [\"0 0 30 2 *\", \"every 1000000000000000s\"]\n";
        let problems = Config::parse(Path::new("c.toml"), text).unwrap().problems();
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("never fires"), "{}", problems[0]);
        assert!(problems[1].contains("at most a year"), "{}", problems[1]);
    }
}
