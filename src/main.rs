//! The `ponder` binary: parses the command line, starts logging, and hands
//! over to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use ponder::app::{self, RunOptions};
use ponder::cli::export::ExportArgs;
use ponder::cli::preview::{MAX_PREVIEW, Start, parse_start};
use ponder::cli::{self, announce_new_dir, load_config, prompt_source};
use ponder::config::{Config, unsafe_log_filter};
use ponder::prompt_files::PromptSource;
use ponder::shutdown;

#[derive(Parser)]
#[command(
    name = "ponder",
    version,
    about = "Posts discussion prompts on a schedule and keeps the replies."
)]
struct Cli {
    /// Log format on stderr: `text` for people, `json` for collectors (default: the config's, else text).
    #[arg(long, global = true, value_parser = ["text", "json"])]
    log_format: Option<String>,
    #[command(subcommand)]
    command: Cmd,
}

/// Which posts `archive` and `export` read, and from which database.
#[derive(clap::Args)]
struct Narrow {
    /// The database to read (the config's `database`: a SQLite file, by
    /// default data/ponder.db, or postgres://user@host/name).
    #[arg(long, value_parser = StoreParser)]
    db: ponder::db::Store,
    /// Only this channel (its platform id, or its number in the database).
    #[arg(long)]
    channel: Option<String>,
    /// Posts from this day on (YYYY-MM-DD, UTC).
    #[arg(long)]
    from: Option<chrono::NaiveDate>,
    /// Posts up to and including this day (YYYY-MM-DD, UTC).
    #[arg(long)]
    to: Option<chrono::NaiveDate>,
}

/// `--db` and `--to`: a database (a SQLite path or a PostgreSQL address),
/// refused without echoing what was given, which may hold a password
/// (clap's own message would repeat the value).
#[derive(Clone)]
struct StoreParser;

impl clap::builder::TypedValueParser for StoreParser {
    type Value = ponder::db::Store;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<ponder::db::Store, clap::Error> {
        use clap::error::ErrorKind;
        let name = arg.map_or_else(|| "the database".to_string(), |a| a.to_string());
        let refuse =
            |kind, why: &str| clap::Error::raw(kind, format!("{name}: {why}\n")).with_cmd(cmd);
        let text = value
            .to_str()
            .ok_or_else(|| refuse(ErrorKind::InvalidUtf8, "not UTF-8"))?;
        ponder::db::Store::parse(text).map_err(|why| refuse(ErrorKind::ValueValidation, &why))
    }
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the bot on every platform the config names.
    Run {
        /// The config file (start from config.example.toml).
        #[arg(long, default_value = "config.toml")]
        config: PathBuf,
    },
    /// The bot on embedded defaults: this terminal as the chat, a SQLite
    /// file, the shipped prompts, a prompt every few seconds.
    Demo {
        /// The SQLite file that keeps the demo's posts and replies (made when missing).
        #[arg(long, default_value = "ponder-demo.db")]
        db: PathBuf,
        /// Seconds between prompts (each thread closes shortly before the next prompt).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(2..=86400))]
        every: u64,
        /// A prompt directory to use instead of the built-in packs (`./prompts` is used when it exists).
        #[arg(long)]
        prompts: Option<PathBuf>,
        /// Seed for the prompt rotation, for a repeatable order.
        #[arg(long)]
        seed: Option<u64>,
        /// The language the demo speaks: en (the default) or de.
        #[arg(long, default_value = "en")]
        language: ponder::i18n::Lang,
    },
    /// Check a config file and every prompt file; list every problem.
    Check {
        /// The config file to check, with the prompt files it names.
        #[arg(long, default_value = "config.toml")]
        config: PathBuf,
    },
    /// Prompt packs.
    Prompts {
        #[command(subcommand)]
        command: PromptsCmd,
    },
    /// Schedules.
    Schedule {
        #[command(subcommand)]
        command: ScheduleCmd,
    },
    /// Exit 0 when a running Ponder's `/healthz` answers 200 (for container health checks).
    Healthcheck {
        /// The `/healthz` address of the running Ponder ([http] listen in its config).
        #[arg(long, default_value = "http://127.0.0.1:9464/healthz")]
        url: String,
    },
    /// Write the archive as HTML pages, one per channel, to read in a browser.
    Archive {
        /// The directory to write the pages to (made when missing).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        narrow: Narrow,
        /// How reply authors are named: `shown`, or `initials` or `hidden` to publish.
        #[arg(long, default_value = "shown", value_parser = ["shown", "initials", "hidden"])]
        names: String,
        /// The prompt files, for follow-ups and sources (default: ./prompts, else the built-in packs).
        #[arg(long)]
        prompts: Option<PathBuf>,
        /// The pages' language: en or de (default: each channel's own, else the config's, else en).
        #[arg(long)]
        language: Option<ponder::i18n::Lang>,
        /// The config Ponder runs with: its `language` (per channel, else the
        /// top-level one) for channels with none stored.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Copy a SQLite database into an empty PostgreSQL one (stop Ponder first).
    Migrate {
        /// The SQLite database to copy (the config's `database`, by default data/ponder.db).
        #[arg(long, value_parser = StoreParser)]
        db: ponder::db::Store,
        /// The empty PostgreSQL database: postgres://user@host:port/name (the password from PGPASSWORD or ~/.pgpass).
        #[arg(long, value_parser = StoreParser)]
        to: ponder::db::Store,
    },
    /// Print the archive of posts and their replies.
    Export {
        /// `md` (Markdown, for reading), `json` or `csv` (for spreadsheets).
        #[arg(long, default_value = "md", value_parser = ["md", "markdown", "json", "csv"])]
        format: String,
        /// Only this post (its number, as `status` and the Markdown export show it).
        #[arg(long)]
        post: Option<i64>,
        #[command(flatten)]
        narrow: Narrow,
    },
}

#[derive(Subcommand)]
enum PromptsCmd {
    /// One line per prompt: `pack/id  title`.
    List {
        /// A prompt directory to use instead of the built-in packs (`./prompts` is used when it exists, as in `demo`).
        #[arg(long)]
        prompts: Option<PathBuf>,
    },
    /// Propose a pack from a text (plain or Markdown): its questions, and
    /// its claims and contrasts as candidate prompts marked `draft = true`.
    /// Prints the pack (TOML); save it with `> prompts/PACK.toml`.
    Draft {
        /// The text to draft from.
        file: PathBuf,
        /// The new pack's id (a-z, 0-9, '-', '_').
        #[arg(long)]
        pack: String,
        /// The pack's title (default: "Drafted from FILE").
        #[arg(long)]
        title: Option<String>,
    },
}

#[derive(Subcommand)]
enum ScheduleCmd {
    /// The next fire times: RFC 3339 in UTC, then the local time.
    Preview {
        /// A cron expression (`30 2 * * *`) or a friendly form (`daily 09:00`).
        expr: String,
        /// The IANA time zone the schedule runs in, like Europe/Berlin.
        #[arg(long, default_value = "UTC")]
        tz: String,
        /// Start here (default: now): a day (YYYY-MM-DD, from its first second in --tz)
        /// or an instant (RFC 3339, like 2026-03-28T09:00:00Z; fires after it).
        #[arg(long, value_parser = parse_start)]
        from: Option<Start>,
        /// How many fire times to print (1 to 1000).
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=MAX_PREVIEW))]
        count: u16,
        /// Quiet days, as in a channel's `quiet` list: `2026-12-24..2026-12-26`, a day, or
        /// weekdays like `sat,sun` (days in --tz); fires on them are marked SKIPPED. Repeatable.
        #[arg(long, value_name = "DAYS")]
        quiet: Vec<String>,
    },
}

/// What matrix-sdk reports as WARN or ERROR in a healthy run, each an
/// ordinary situation: every failed request is an ERROR of its HTTP client
/// (such as the 404s it expects when probing `m.secret_storage.default_key`
/// or a plain room's `m.room.encryption`), a room key backup nobody set up
/// is a WARN per sync, and an event for a room just declined is an ERROR of
/// the sync. Ponder reports what matters of these in its own words (a send
/// that failed, a sync that failed). Quieted unless the filter names a
/// matrix-sdk target itself.
const QUIET_SDK: &[&str] = &[
    "matrix_sdk::http_client=off",
    "matrix_sdk::sync=off",
    "matrix_sdk_crypto::backups=error",
    "matrix_sdk::encryption=off",
    // "Unable to get the room version rules" for a room only invited to.
    "matrix_sdk_base::room::room_info=error",
    // "Our own device might have been deleted": a key query racing a fresh login.
    "matrix_sdk_crypto::identities::manager=error",
];

/// Logs go to stderr. The level comes from `RUST_LOG`, else the config, else
/// `default`; the format from `--log-format`, else the config, else text.
fn init_logs(default: &str, config_level: Option<&str>, format: Option<&str>) {
    // A filter tracing-subscriber would panic or hang on (see
    // `config::unsafe_log_filter`) is ignored, said once.
    let env = std::env::var("RUST_LOG").ok();
    let why = env.as_deref().and_then(unsafe_log_filter);
    if let Some(why) = why {
        eprintln!("RUST_LOG is ignored: {why} (write e.g. `info` or `ponder=debug,info`)");
    }
    let mut filter = env
        .filter(|_| why.is_none())
        .and_then(|v| EnvFilter::try_new(v).ok())
        .or_else(|| {
            config_level
                .filter(|l| unsafe_log_filter(l).is_none())
                .and_then(|l| EnvFilter::try_new(l).ok())
        })
        .unwrap_or_else(|| EnvFilter::new(default));
    if !filter.to_string().contains("matrix_sdk") {
        for quiet in QUIET_SDK {
            filter = filter.add_directive(quiet.parse().expect("a valid directive"));
        }
    }
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr);
    if format == Some("json") {
        logs.json()
            .with_current_span(true)
            .with_span_list(false)
            .init();
    } else {
        logs.init();
    }
}

fn main() -> ExitCode {
    ponder::memory::limit_arenas();
    let args = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result = runtime.block_on(dispatch(args.command, args.log_format));
    // Nothing left running may hold up the exit (the app has stopped its tasks).
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", cli::said_once(&e));
            ExitCode::FAILURE
        }
    }
}

async fn dispatch(cmd: Cmd, log_format: Option<String>) -> anyhow::Result<ExitCode> {
    match cmd {
        Cmd::Run { config } => {
            let trigger = shutdown::on_signals()?;
            let config = load_config(&config)?;
            if let Some(problem) = cli::missing_discord_token(&config) {
                anyhow::bail!(problem);
            }
            let format =
                log_format.or_else(|| config.log.format.as_ref().map(|f| f.get_ref().clone()));
            init_logs("info", config.log.level.as_deref(), format.as_deref());
            let prompts = PromptSource::Dir(config.prompts_dir.clone());
            if let Some(path) = config.store().path() {
                announce_new_dir(path)?;
            }
            app::run(
                config,
                RunOptions {
                    prompts,
                    seed: None,
                    prompt_at_start: false,
                },
                trigger,
            )
            .await?;
        }
        Cmd::Demo {
            db,
            every,
            prompts,
            seed,
            language,
        } => {
            let trigger = shutdown::on_signals()?;
            init_logs("warn", None, log_format.as_deref());
            let mut config = Config::demo(&db, every);
            config.language = Some(toml::Spanned::new(0..0, language.code().to_string()));
            let prompts = prompt_source(prompts);
            println!("{}", cli::demo_banner(every, &prompts, &db, language));
            announce_new_dir(&db)?;
            app::run(
                config,
                RunOptions {
                    prompts,
                    seed,
                    prompt_at_start: true,
                },
                trigger,
            )
            .await?;
        }
        Cmd::Check { config } => return Ok(cli::check(&config)?.print()),
        Cmd::Prompts {
            command: PromptsCmd::List { prompts },
        } => {
            let source = prompt_source(prompts);
            let set = source.load().map_err(|e| anyhow::anyhow!("{e}"))?;
            eprintln!(
                "{} prompts from {}",
                set.len(),
                ponder::text::for_terminal(&source.to_string())
            );
            for p in set.prompts() {
                println!("{}\t{}", p.qualified_id(), p.thread_name());
            }
        }
        Cmd::Prompts {
            command: PromptsCmd::Draft { file, pack, title },
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let name = file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let toml =
                ponder::prompt_files::draft::draft_pack(&text, &pack, title.as_deref(), &name)
                    .with_context(|| format!("drafting a pack from {}", file.display()))?;
            print!("{toml}");
        }
        Cmd::Schedule {
            command:
                ScheduleCmd::Preview {
                    expr,
                    tz,
                    from,
                    count,
                    quiet,
                },
        } => {
            for line in cli::preview::preview(&expr, &tz, from, count, &quiet)? {
                println!("{line}");
            }
        }
        Cmd::Healthcheck { url } => return cli::healthcheck(&url),
        Cmd::Archive {
            out,
            narrow:
                Narrow {
                    db,
                    channel,
                    from,
                    to,
                },
            names,
            prompts,
            language,
            config,
        } => {
            let written = cli::archive::archive(cli::archive::ArchiveArgs {
                db,
                out,
                channel,
                from,
                to,
                names,
                prompts: prompt_source(prompts),
                language,
                config,
            })
            .await?;
            for path in written {
                println!(
                    "{}",
                    ponder::text::for_terminal(&path.display().to_string())
                );
            }
        }
        Cmd::Migrate { db, to } => print!("{}", cli::migrate::migrate(&db, &to).await?),
        Cmd::Export {
            format,
            post,
            narrow:
                Narrow {
                    db,
                    channel,
                    from,
                    to,
                },
        } => {
            print!(
                "{}",
                cli::export(ExportArgs {
                    db,
                    format,
                    post,
                    channel,
                    from,
                    to,
                })
                .await?
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every argument of every subcommand, with the path of subcommands to it.
    fn all_args(cmd: &clap::Command, path: &str, out: &mut Vec<(String, clap::Arg)>) {
        for arg in cmd.get_arguments() {
            out.push((path.to_string(), arg.clone()));
        }
        for sub in cmd.get_subcommands() {
            all_args(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }

    #[test]
    fn every_flag_of_every_subcommand_has_a_help_line() {
        let cmd = Cli::command();
        cmd.clone().debug_assert();
        let mut args = Vec::new();
        all_args(&cmd, "ponder", &mut args);
        let missing: Vec<String> = args
            .iter()
            .filter(|(_, a)| !matches!(a.get_id().as_str(), "help" | "version"))
            .filter(|(_, a)| a.get_help().is_none())
            .map(|(path, a)| format!("{path} {}", a.get_id()))
            .collect();
        assert!(missing.is_empty(), "no help line: {missing:?}");
        assert!(args.len() > 15, "{}", args.len());
    }
}
