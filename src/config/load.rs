//! Reading `config.toml`: parsing, resolving paths against the file, and
//! placing each problem on its line.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use toml::Spanned;

use super::{Config, default_lateness, default_min_interval, default_thread_open};

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

thread_local! {
    /// Durations that did not parse while `Config::parse` runs: a bad one must
    /// not stop the parse and hide the other problems.
    static BAD_DURATIONS: std::cell::RefCell<Vec<(&'static str, String)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

pub(super) fn thread_open<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    duration(d, "thread_open", default_thread_open())
}

pub(super) fn max_lateness<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    duration(d, "catch_up.max_lateness", default_lateness())
}

pub(super) fn min_interval<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
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
pub(super) fn line_of_key(text: &str, key: &str) -> Option<usize> {
    let name = key.rsplit('.').next().unwrap_or(key);
    text.lines().position(|l| {
        l.trim_start()
            .strip_prefix(name)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    })
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
        // A PostgreSQL address is kept as written; a path is the config's.
        config.database =
            config
                .database
                .map(|d| match crate::db::Store::parse(&d.to_string_lossy()) {
                    Ok(crate::db::Store::Sqlite(path)) => base.join(path),
                    _ => d,
                });
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

    pub(super) fn line<T>(&self, s: &Spanned<T>) -> String {
        line_at(&self.source, s.span().start)
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
