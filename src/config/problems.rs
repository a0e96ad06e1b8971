//! Checking a parsed config as a whole: every value problem, listed at once.

use std::path::Path;
use std::time::Duration;

use super::{Config, PLATFORMS};
use crate::domain::schedule::{Recurrence, parse_tz};

/// A configured schedule: the spec, then how it is announced
/// (`daily 09:00 ping 123 pin`).
pub fn parse_schedule(text: &str) -> Result<(String, crate::domain::command::Announce), String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (rest, announce) =
        crate::domain::command::Announce::take_from(&words).map_err(|u| u.to_string())?;
    let spec = rest.join(" ");
    Recurrence::parse(&spec).map_err(|e| e.to_string())?;
    Ok((spec, announce))
}

/// The longest duration any setting takes (a year): far beyond any sensible
/// thread or catch-up window, and far from the overflow of a date.
pub const MAX_DURATION: Duration = Duration::from_secs(365 * 24 * 3600);

/// Whether two paths name one file (the same path, or the same existing file).
pub fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// What `run` says when the config names no platform; `check` says the same.
pub const NO_PLATFORM: &str = "no platform is configured: add a [console], [discord] or [matrix] section (see config.example.toml)";

/// The log levels a bare `[log] level` may name.
const LOG_LEVELS: &[&str] = &["trace", "debug", "info", "warn", "error", "off"];

/// Why a log filter must not reach tracing-subscriber, if it must not (both
/// found by the `config` fuzz target): its parser cuts directives at byte
/// offsets and panics inside a multi-byte character (levels and Rust targets
/// are ASCII anyway), and the value of a field filter (`[span{field=value}]`)
/// is a regular expression compiled into a DFA when the filter is built,
/// which for a value like `.....` (a hundred dots) takes minutes of CPU at
/// start-up. Ponder takes levels, targets and span names, not field filters.
pub fn unsafe_log_filter(filter: &str) -> Option<&'static str> {
    if !filter.is_ascii() {
        Some("it has a non-ASCII character")
    } else if filter.contains('{') {
        Some("it has a field filter `{…}`, which Ponder does not take")
    } else {
        None
    }
}

/// Checks a `[log] level` filter: `info`, or `ponder=debug,info`. A bare word
/// that is not a level would silently name a module, so it is refused.
pub fn check_log_level(level: &str) -> Result<(), String> {
    let hint = "write a level (trace, debug, info, warn, error, off) or `target=level` like `ponder=debug,info`";
    if level.trim().is_empty() {
        return Err(format!("the level is empty: {hint}"));
    }
    if let Some(why) = unsafe_log_filter(level) {
        return Err(format!("`{level}` is not a log level ({why}): {hint}"));
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

/// A `[discord]` or `[matrix]` section in a config for a binary built
/// without that platform.
pub(super) fn unbuilt_platform(source: &str, name: &str) -> String {
    let header = format!("[{name}]");
    let at = source
        .lines()
        .position(|l| l.trim_start().starts_with(&header))
        .map_or(String::new(), |i| format!("line {}: ", i + 1));
    format!(
        "{at}{header}: this ponder was built without {name} (its Cargo feature `{name}`); \
         build it with `cargo build --release --features {name}`, or remove the section"
    )
}

impl Config {
    /// Everything wrong with the values (the syntax was checked by `parse`).
    pub fn problems(&self) -> Vec<String> {
        let mut out = self.bad_durations.clone();
        if self.console.is_none() && self.discord.is_none() && self.matrix.is_none() {
            out.push(NO_PLATFORM.to_string());
        }
        // A one-platform build (README, "The release build") says so by
        // name, not "no platform is configured".
        for (present, built, name) in [
            (self.discord.is_some(), cfg!(feature = "discord"), "discord"),
            (self.matrix.is_some(), cfg!(feature = "matrix"), "matrix"),
        ] {
            if present && !built {
                out.push(unbuilt_platform(&self.source, name));
            }
        }
        if let Err(e) = parse_tz(self.timezone.get_ref()) {
            out.push(format!("{}: timezone: {e}", self.line(&self.timezone)));
        }
        if let Some(l) = &self.language
            && let Err(e) = l.get_ref().parse::<crate::i18n::Lang>()
        {
            out.push(format!("{}: language: {e}", self.line(l)));
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
        if let Some(db) = &self.database
            && let Err(e) = crate::db::Store::parse(&db.to_string_lossy())
        {
            let line = super::load::line_of_key(&self.source, "database")
                .map_or(String::new(), |i| format!("line {}: ", i + 1));
            out.push(format!("{line}database: {e}"));
        }
        if let Some(db) = self.store().path()
            && same_file(db, &self.anonymity_key_path())
        {
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
            if let Some(shards) = &d.shards
                && let Some(bad) = super::shards::shards_problem(shards.get_ref())
            {
                out.push(format!("{}: discord.shards: {bad}", self.line(shards)));
            }
            if let (Some(range), Some(m), Some(shards)) = (d.shard_range(), &self.matrix, &d.shards)
                && !m.with_shard_range
                && !range.is_all()
            {
                out.push(format!(
                    "{}: discord.shards: this process runs Discord shards {range} only, and Matrix runs in exactly one process: \
                     remove [matrix] from this config, or set `with_shard_range = true` in [matrix] of the one process that runs it",
                    self.line(shards)
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
            if let Some(l) = &ch.language
                && let Err(e) = l.get_ref().parse::<crate::i18n::Lang>()
            {
                out.push(format!("{}: {at}.language: {e}", self.line(l)));
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
            if let (Some(on), Some(d)) = (&ch.digest_archive, &ch.digest)
                && *on.get_ref()
                && d.get_ref() == "off"
            {
                out.push(format!(
                    "{}: {at}.digest_archive: the page goes with the digest, and `digest = \"off\"` sends none: \
                     set digest to `thread` or `channel`, or leave digest_archive out",
                    self.line(on)
                ));
            }
            for s in &ch.schedules {
                if let Err(e) = parse_schedule(s.get_ref()) {
                    out.push(format!("{}: {at}.schedules: {e}", self.line(s)));
                }
            }
            for q in &ch.quiet {
                if let Err(e) = crate::domain::quiet::parse_entry(q.get_ref()) {
                    out.push(format!("{}: {at}.quiet: {e}", self.line(q)));
                }
            }
        }
        out
    }
}
