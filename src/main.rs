//! The `ponder` binary: parses the command line, starts logging, and hands
//! over to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use ponder::app::{self, RunOptions};
use ponder::config::Config;
use ponder::db::Db;
use ponder::domain::command::ExportFormat;
use ponder::domain::schedule::{Resolution, Schedule};
use ponder::export;
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
    /// Print the archive of posts and their replies.
    Export {
        /// The database to read (the config's `database`; by default data/ponder.db).
        #[arg(long)]
        db: PathBuf,
        /// `md` (Markdown, for reading), `json` or `csv` (for spreadsheets).
        #[arg(long, default_value = "md", value_parser = ["md", "markdown", "json", "csv"])]
        format: String,
        /// Only this post (its number, as `status` and the Markdown export show it).
        #[arg(long)]
        post: Option<i64>,
        /// Only this channel (its platform id, or its number in the database).
        #[arg(long)]
        channel: Option<String>,
        /// Posts from this day on (YYYY-MM-DD, UTC).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Posts up to and including this day (YYYY-MM-DD, UTC).
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
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
    },
}

/// The most fire times `schedule preview` prints.
const MAX_PREVIEW: i64 = 1000;

/// Where `schedule preview --from` starts.
#[derive(Clone, Copy, Debug)]
enum Start {
    /// A day: from its first second in the preview's zone (a fire then counts).
    Day(chrono::NaiveDate),
    /// An instant: fires strictly after it.
    Instant(DateTime<Utc>),
}

fn parse_start(text: &str) -> Result<Start, String> {
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(Start::Day(day));
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| Start::Instant(t.with_timezone(&Utc)))
        .map_err(|_| {
            "expected a day (2026-03-28) or an instant in RFC 3339 (2026-03-28T09:00:00Z)".into()
        })
}

/// An error as one line of causes, each said once: a cause whose text its
/// parent already includes (as `cannot read x: No such file` does) is left out.
fn said_once(e: &anyhow::Error) -> String {
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
fn load_config(path: &std::path::Path) -> anyhow::Result<Config> {
    match Config::load(path) {
        Err(ponder::config::ConfigError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            anyhow::bail!("{}", missing_config(path))
        }
        other => Ok(other?),
    }
}

/// `run` needs the Discord token before anything else, so `check` asks for it
/// too, in the same words (it is read, never printed). The sentence names the
/// config file: in a container, the one to mount over.
fn missing_discord_token(config: &Config) -> Option<String> {
    let d = config.discord.as_ref()?;
    let e = ponder::secret::load(
        "Discord bot token",
        "DISCORD_TOKEN",
        "token_file",
        d.token_file.as_deref(),
    )
    .err()?;
    Some(match e {
        ponder::secret::SecretError::Missing { .. } => format!(
            "{} runs Discord, which needs its bot token: set the DISCORD_TOKEN environment variable \
             (or `token_file` in [discord]), or use another config file (start from config.example.toml)",
            config.path.display()
        ),
        other => format!("{}: {other}", config.path.display()),
    })
}

fn missing_config(path: &std::path::Path) -> String {
    format!(
        "cannot read {}: there is no such file; start from the example: `cp config.example.toml {}`",
        path.display(),
        path.display()
    )
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
    let mut filter = EnvFilter::try_from_default_env()
        .ok()
        .or_else(|| config_level.and_then(|l| EnvFilter::try_new(l).ok()))
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
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result = runtime.block_on(dispatch(cli.command, cli.log_format));
    // Nothing left running may hold up the exit (the app has stopped its tasks).
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", said_once(&e));
            ExitCode::FAILURE
        }
    }
}

async fn dispatch(cmd: Cmd, log_format: Option<String>) -> anyhow::Result<ExitCode> {
    match cmd {
        Cmd::Run { config } => {
            let trigger = shutdown::on_signals()?;
            let config = load_config(&config)?;
            if let Some(problem) = missing_discord_token(&config) {
                anyhow::bail!(problem);
            }
            let format =
                log_format.or_else(|| config.log.format.as_ref().map(|f| f.get_ref().clone()));
            init_logs("info", config.log.level.as_deref(), format.as_deref());
            let prompts = PromptSource::Dir(config.prompts_dir.clone());
            announce_new_dir(&config.database_path())?;
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
        } => {
            let trigger = shutdown::on_signals()?;
            init_logs("warn", None, log_format.as_deref());
            // The paths are set on the parsed config, never written into the
            // TOML text: any file name works, and none shows up as TOML.
            // One thread open at a time: each closes a little before the next prompt.
            let open = every - (every / 10).max(1);
            let text = format!(
                "thread_open = \"{open}s\"\nmin_schedule_interval = \"1s\"\n[console]\nchannel = \"console\"\n\
                 [[channel]]\nplatform = \"console\"\nid = \"console\"\nschedules = [\"every {every}s\"]\n",
            );
            let mut config = Config::parse(std::path::Path::new(""), &text)?;
            config.anonymity_key = Some(db.with_extension("key"));
            config.database = Some(db.clone());
            let prompts = prompt_source(prompts);
            println!(
                "Ponder demo: a prompt every {every} s in this terminal, from {}.\n\
                 Type a line to reply in the open thread, `!ponder help` for commands, Ctrl-C to stop.\n\
                 Replies are kept in {}; read them with `ponder export --db {} --format md`.",
                ponder::text::for_terminal(&prompts.to_string()),
                ponder::db::shown(&db),
                ponder::db::shown(&db)
            );
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
        Cmd::Check { config } => return check(&config),
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
        Cmd::Schedule {
            command:
                ScheduleCmd::Preview {
                    expr,
                    tz,
                    from,
                    count,
                },
        } => {
            let schedule = Schedule::new(&expr, &tz)?;
            let mut t = match from {
                None => Utc::now(),
                Some(Start::Instant(t)) => t,
                Some(Start::Day(day)) => {
                    let midnight = day.and_hms_opt(0, 0, 0).context("a day")?;
                    let (first, _) = ponder::domain::schedule::resolve(&schedule.tz, midnight)
                        .context("that day does not exist in the zone")?;
                    first - chrono::Duration::seconds(1)
                }
            };
            for _ in 0..count {
                let Some(fire) = schedule.next_fire_after(t) else {
                    println!("(no further fire times)");
                    break;
                };
                let local = fire.at.with_timezone(&schedule.tz);
                let note = match fire.resolution {
                    Resolution::Exact => String::new(),
                    Resolution::ShiftedOutOfGap => format!(
                        "  ({} does not exist that day: clocks jump forward; fires at the end of the gap)",
                        fire.wanted.format("%H:%M")
                    ),
                    Resolution::FirstOfTwo => {
                        format!(
                            "  ({} happens twice that day: clocks fall back; fires the first time)",
                            fire.wanted.format("%H:%M")
                        )
                    }
                };
                println!(
                    "{}  {}{note}",
                    fire.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    local.format("%Y-%m-%d %H:%M %Z (%:z)")
                );
                t = fire.at;
            }
        }
        Cmd::Healthcheck { url } => return healthcheck(&url),
        Cmd::Export {
            db,
            format,
            post,
            channel,
            from,
            to,
        } => {
            if let (Some(from), Some(to)) = (from, to) {
                anyhow::ensure!(
                    from <= to,
                    "--from {from} is after --to {to}: no post can match; swap them"
                );
            }
            let format = ExportFormat::parse(&format).context("format")?;
            let db_path = db;
            let db = Db::open_read_only(&db_path).await?;
            let channel_id = match channel {
                Some(name) => {
                    let all = db.channels().await?;
                    let found = all
                        .iter()
                        .find(|c| c.external_id == name || c.id.to_string() == name);
                    Some(
                        found
                            .with_context(|| format!("no channel `{name}` in this database"))?
                            .id,
                    )
                }
                None => None,
            };
            let day =
                |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp());
            let filter = ponder::db::ArchiveFilter {
                channel_id,
                post_id: post,
                from: from.and_then(day),
                until: to.and_then(|d| d.succ_opt()).and_then(day),
            };
            let archive = export::archive(&db, &filter).await?;
            if let Some(id) = post
                && archive.is_empty()
            {
                anyhow::ensure!(
                    db.post(id).await?.is_some(),
                    "there is no post #{id} in {}",
                    db_path.display()
                );
                anyhow::bail!("post #{id} is outside the --channel, --from or --to given");
            }
            print!("{}", export::render(&archive, format)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The prompts of `demo` and `prompts list`: the directory given, else
/// `./prompts` when it exists, else the packs built into the binary.
fn prompt_source(dir: Option<PathBuf>) -> PromptSource {
    match dir {
        Some(dir) => PromptSource::Dir(dir),
        None if std::path::Path::new("prompts").is_dir() => PromptSource::Dir("prompts".into()),
        None => PromptSource::Embedded,
    }
}

fn check(path: &std::path::Path) -> anyhow::Result<ExitCode> {
    let mut problems = Vec::new();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            anyhow::bail!("{}", missing_config(path))
        }
        Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
    };
    let config = match Config::parse(path, &text) {
        Ok(c) => Some(c),
        Err(e) => {
            problems.push(e.to_string());
            None
        }
    };
    let mut summary = Vec::new();
    if let Some(config) = &config {
        for p in config.problems() {
            problems.push(format!("{}: {p}", path.display()));
        }
        if let Some(p) = missing_discord_token(config) {
            problems.push(p);
        }
        let schedules: usize = config.channels.iter().map(|c| c.schedules.len()).sum();
        summary.push(format!(
            "config {}: {} channel(s), {schedules} schedule(s), database {}",
            path.display(),
            config.channels.len(),
            config.database_path().display()
        ));
        match PromptSource::Dir(config.prompts_dir.clone()).load() {
            Ok(set) => {
                summary.push(format!(
                    "prompts {}: {} prompts in {} packs",
                    config.prompts_dir.display(),
                    set.len(),
                    set.packs.len()
                ));
                for ch in &config.channels {
                    for pack in &ch.packs {
                        if !set.packs.iter().any(|p| &p.id == pack) {
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
    }
    if problems.is_empty() {
        for s in summary {
            println!("ok: {s}");
        }
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{} problem{} found:",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        for p in problems {
            eprintln!("  {p}");
        }
        Ok(ExitCode::FAILURE)
    }
}

/// A plain HTTP/1.0 GET on loopback: enough for a container health check
/// without shipping curl in the image.
fn healthcheck(url: &str) -> anyhow::Result<ExitCode> {
    use std::io::{Read, Write};
    let rest = url
        .strip_prefix("http://")
        .context("the URL must start with http://")?;
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let addr = std::net::ToSocketAddrs::to_socket_addrs(host)?
        .next()
        .context("no address")?;
    let timeout = std::time::Duration::from_secs(5);
    let mut stream = std::net::TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n")?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let status = answer.split_whitespace().nth(1).unwrap_or("");
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    println!("{status} {body}");
    Ok(if status == "200" {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `--db` (or `database`) in a directory that does not exist yet: the
/// directory is made, and said so once on stderr, so a typo in the path does
/// not go unnoticed. (Read-only commands never create anything.)
fn announce_new_dir(db: &std::path::Path) -> anyhow::Result<()> {
    let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    if !dir.exists() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating {}", ponder::db::shown(dir)))?;
        eprintln!(
            "created the directory {} for the database",
            ponder::db::shown(dir)
        );
    }
    Ok(())
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

    #[test]
    fn preview_from_accepts_a_plain_day_and_an_instant() {
        assert!(matches!(parse_start("2026-03-28"), Ok(Start::Day(_))));
        assert!(matches!(
            parse_start("2026-03-28T09:00:00Z"),
            Ok(Start::Instant(_))
        ));
        let err = parse_start("28/03/2026").unwrap_err();
        assert!(err.contains("2026-03-28"), "{err}");
    }

    #[test]
    fn an_error_says_each_cause_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        let e = anyhow::Error::new(ponder::config::ConfigError::Io {
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
