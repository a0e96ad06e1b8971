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
        #[arg(long, default_value = "config.toml")]
        config: PathBuf,
    },
    /// The bot on embedded defaults: this terminal as the chat, a SQLite
    /// file, the shipped prompts, a prompt every few seconds.
    Demo {
        #[arg(long, default_value = "ponder-demo.db")]
        db: PathBuf,
        /// Seconds between prompts.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=86400))]
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
        #[arg(long, default_value = "http://127.0.0.1:9464/healthz")]
        url: String,
    },
    /// Print the archive of posts and their replies.
    Export {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value = "md", value_parser = ["md", "markdown", "json", "csv"])]
        format: String,
        /// Only this post.
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
        #[arg(long, default_value = "UTC")]
        tz: String,
        /// Start after this instant (default: now).
        #[arg(long)]
        from: Option<DateTime<Utc>>,
        #[arg(long, default_value_t = 5)]
        count: usize,
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
    match runtime.block_on(dispatch(cli.command, cli.log_format)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn dispatch(cmd: Cmd, log_format: Option<String>) -> anyhow::Result<ExitCode> {
    match cmd {
        Cmd::Run { config } => {
            let config = Config::load(&config)?;
            let format =
                log_format.or_else(|| config.log.format.as_ref().map(|f| f.get_ref().clone()));
            init_logs("info", config.log.level.as_deref(), format.as_deref());
            let prompts = PromptSource::Dir(config.prompts_dir.clone());
            run_until_signal(
                config,
                RunOptions {
                    prompts,
                    seed: None,
                },
            )
            .await?;
        }
        Cmd::Demo {
            db,
            every,
            prompts,
            seed,
        } => {
            init_logs("warn", None, log_format.as_deref());
            let text = format!(
                "database = {db:?}\nanonymity_key = {key:?}\nthread_open = \"{}s\"\nmin_schedule_interval = \"1s\"\n[console]\nchannel = \"console\"\n\
                 [[channel]]\nplatform = \"console\"\nid = \"console\"\nschedules = [\"every {every}s\"]\n",
                every * 3,
                db = db.display().to_string(),
                key = db.with_extension("key").display().to_string(),
            );
            let config = Config::parse(std::path::Path::new(""), &text)?;
            let prompts = match prompts {
                Some(dir) => PromptSource::Dir(dir),
                None if std::path::Path::new("prompts").is_dir() => {
                    PromptSource::Dir("prompts".into())
                }
                None => PromptSource::Embedded,
            };
            println!(
                "Ponder demo: a prompt every {every} s in this terminal, from {prompts}.\n\
                 Type a line to reply in the open thread, `!ponder help` for commands, Ctrl-C to stop.\n\
                 Replies are kept in {}; read them with `ponder export --db {} --format md`.",
                db.display(),
                db.display()
            );
            run_until_signal(config, RunOptions { prompts, seed }).await?;
        }
        Cmd::Check { config } => return check(&config),
        Cmd::Prompts {
            command: PromptsCmd::List { prompts },
        } => {
            let source = prompts
                .map(PromptSource::Dir)
                .unwrap_or(PromptSource::Embedded);
            let set = source.load().map_err(|e| anyhow::anyhow!("{e}"))?;
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
            let mut t = from.unwrap_or_else(Utc::now);
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
            anyhow::ensure!(db.exists(), "no database at {}", db.display());
            let format = ExportFormat::parse(&format).context("format")?;
            let db = Db::open(&db).await?;
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
            print!("{}", export::render(&archive, format)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check(path: &std::path::Path) -> anyhow::Result<ExitCode> {
    let mut problems = Vec::new();
    let config = match Config::parse(
        path,
        &std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
    ) {
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

/// Runs the app until SIGINT or SIGTERM.
async fn run_until_signal(config: Config, options: RunOptions) -> anyhow::Result<()> {
    let (trigger, _) = shutdown::channel();
    let signals = trigger.clone();
    tokio::spawn(async move {
        wait_for_signal().await;
        signals.fire();
    });
    app::run(config, options, trigger).await
}

async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
