//! The `ponder` subcommands' work beyond their flags: the config loaded
//! with an error that says what to do, `archive`, `check`, `healthcheck`, `export`,
//! `schedule preview` and the demo's start. The binary (`src/main.rs`)
//! parses the command line, starts logging and calls in here or [`crate::app`].

pub mod archive;
pub mod check;
pub mod export;
pub mod healthcheck;
pub mod migrate;
pub mod preview;

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::config::{Config, ConfigError};
use crate::prompt_files::PromptSource;

pub use check::{check, missing_discord_token};
pub use export::export;
pub use healthcheck::healthcheck;

/// An error as one line of causes, each said once: a cause whose text its
/// parent already includes (as `cannot read x: No such file` does) is left out.
pub fn said_once(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(text.trim()) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// The config, or an error that says how to make one when it is missing.
pub fn load_config(path: &Path) -> anyhow::Result<Config> {
    match Config::load(path) {
        Err(ConfigError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            anyhow::bail!("{}", missing_config(path))
        }
        other => Ok(other?),
    }
}

fn missing_config(path: &Path) -> String {
    format!(
        "cannot read {}: there is no such file; start from the example: `cp config.example.toml {}`",
        path.display(),
        path.display()
    )
}

/// The prompts of `demo` and `prompts list`: the directory given, else
/// `./prompts` when it exists, else the packs built into the binary.
pub fn prompt_source(dir: Option<PathBuf>) -> PromptSource {
    match dir {
        Some(dir) => PromptSource::Dir(dir),
        None if Path::new("prompts").is_dir() => PromptSource::Dir("prompts".into()),
        None => PromptSource::Embedded,
    }
}

/// What `ponder demo` says first: where the prompts come from, how to reply
/// and stop, and where the replies are kept.
pub fn demo_banner(
    every: u64,
    prompts: &PromptSource,
    db: &Path,
    lang: crate::i18n::Lang,
) -> String {
    crate::tr!(
        lang,
        "demo-banner",
        every = every,
        prompts = match prompts {
            PromptSource::Embedded => crate::tr!(lang, "demo-packs-built-in"),
            PromptSource::Dir(_) => crate::text::for_terminal(&prompts.to_string()).into_owned(),
        },
        db = crate::db::shown(db)
    )
}

/// `--db` (or `database`) in a directory that does not exist yet: the
/// directory is made, and said so once on stderr, so a typo in the path does
/// not go unnoticed. (Read-only commands never create anything.)
pub fn announce_new_dir(db: &Path) -> anyhow::Result<()> {
    let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    if !dir.exists() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating {}", crate::db::shown(dir)))?;
        eprintln!(
            "created the directory {} for the database",
            crate::db::shown(dir)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_says_each_cause_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        let e = anyhow::Error::new(ConfigError::Io {
            path: "x.toml".into(),
            source: io,
        })
        .context("starting");
        assert_eq!(
            said_once(&e),
            "starting: cannot read x.toml: No such file or directory"
        );
    }
}
