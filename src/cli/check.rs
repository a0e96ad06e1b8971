//! `ponder check`: a config file and every prompt file it names, with
//! every problem listed at once.

use std::path::Path;
use std::process::ExitCode;

use crate::config::Config;
use crate::domain::prompt::PromptSet;
use crate::prompt_files::PromptSource;
use crate::text::plural;

/// What `check` found: a summary line per file that loaded, and every problem.
#[derive(Debug, Default)]
pub struct Report {
    pub summary: Vec<String>,
    pub problems: Vec<String>,
}

impl Report {
    /// Prints the summary (`ok: ...` on stdout) when there is no problem,
    /// else the problems on stderr; the exit code says which.
    pub fn print(&self) -> ExitCode {
        if self.problems.is_empty() {
            for s in &self.summary {
                println!("ok: {s}");
            }
            ExitCode::SUCCESS
        } else {
            eprintln!(
                "{} problem{} found:",
                self.problems.len(),
                if self.problems.len() == 1 { "" } else { "s" }
            );
            for p in &self.problems {
                eprintln!("  {p}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Checks the config at `path`, the Discord token it needs, its prompt
/// files and the packs its channels name. A config that cannot be read is
/// an error; everything else is a problem in the report.
pub fn check(path: &Path) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            anyhow::bail!("{}", super::missing_config(path))
        }
        Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
    };
    let config = match Config::parse(path, &text) {
        Ok(c) => c,
        Err(e) => {
            report.problems.push(e.to_string());
            return Ok(report);
        }
    };
    let problems = &mut report.problems;
    for p in config.problems() {
        problems.push(format!("{}: {p}", path.display()));
    }
    if let Some(p) = missing_discord_token(&config) {
        problems.push(p);
    }
    let schedules: usize = config.channels.iter().map(|c| c.schedules.len()).sum();
    report.summary.push(format!(
        "config {}: {} channel(s), {schedules} schedule(s), database {}",
        path.display(),
        config.channels.len(),
        config.store()
    ));
    match PromptSource::Dir(config.prompts_dir.clone()).load() {
        Ok(set) => {
            report.summary.push(format!(
                "prompts {}: {} prompts in {} packs{}",
                config.prompts_dir.display(),
                set.len(),
                set.packs.len(),
                translations(&set)
            ));
            for ch in &config.channels {
                for pack in &ch.packs {
                    if !set.has_pack(pack) {
                        problems.push(format!(
                            "{}: channel {}: unknown pack `{pack}`",
                            path.display(),
                            ch.id
                        ));
                    }
                }
            }
        }
        Err(e) => problems.extend(e.0.iter().map(|p| p.to_string())),
    }
    Ok(report)
}

/// `, translated into de (2 packs)`: what the translations add, if any.
fn translations(set: &PromptSet) -> String {
    let mut langs: Vec<&str> = set.translations.iter().map(|t| t.lang.as_str()).collect();
    if langs.is_empty() {
        return String::new();
    }
    let n = langs.len();
    langs.sort_unstable();
    langs.dedup();
    format!(
        ", translated into {} ({})",
        langs.join(", "),
        plural(n as i64, "pack", "packs")
    )
}

/// `run` needs the Discord token before anything else, so `check` asks for it
/// too, in the same words (it is read, never printed). The sentence names the
/// config file: in a container, the one to mount over.
pub fn missing_discord_token(config: &Config) -> Option<String> {
    let d = config.discord.as_ref()?;
    let e = crate::secret::load(
        "Discord bot token",
        "DISCORD_TOKEN",
        "token_file",
        d.token_file.as_deref(),
    )
    .err()?;
    Some(match e {
        crate::secret::SecretError::Missing { .. } => format!(
            "{} runs Discord, which needs its bot token: set the DISCORD_TOKEN environment variable \
             (or `token_file` in [discord]), or use another config file (start from config.example.toml)",
            config.path.display()
        ),
        other => format!("{}: {other}", config.path.display()),
    })
}
