//! The end-to-end benchmarks: the real `ponder` binary (a child process)
//! against the Discord emulator over 127.0.0.1, with sizes as arguments so
//! the test suite runs each one tiny (tests/cli/bench.rs) and `cargo bench`
//! runs it at full size (benches/e2e/main.rs). Each returns its figures and
//! what it observed; the callers print or assert.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use discord_emulator::{Emulator, EmulatorConfig, GuildShape, ScriptedGuild};
use ponder::db::Db;
use serde_json::json;

#[path = "../support/machine.rs"]
pub mod machine;
#[path = "peer.rs"]
pub mod peer;
#[path = "../../tests/support/postgres.rs"]
pub mod postgres;
#[path = "../../tests/support/slots.rs"]
pub mod slots;
pub use slots::once_from;
#[path = "../support/seed.rs"]
mod seed;

#[allow(unused_imports)]
pub use machine::{description, rss_kib, rss_parts_kib};

const SHIPPED_PROMPTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts");

/// `PONDER_BENCH_CHILD_ENV`: space-separated `NAME=VALUE` pairs set for the
/// measured `ponder` process of the Discord parts only (not the driver, its
/// emulator, the peer or the Matrix part; `RUST_LOG` here overrides the bench's),
/// such as `LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2` to measure
/// another allocator without another build, or heaptrack's preload library.
pub fn child_env() -> Vec<(String, String)> {
    std::env::var("PONDER_BENCH_CHILD_ENV")
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// `ponder run` in a directory of its own, its stderr kept in memory.
pub struct Bot {
    pub dir: PathBuf,
    child: Child,
    pub started: Instant,
    logs: Arc<Mutex<String>>,
    /// When each watched log line first appeared.
    marks: Arc<Mutex<Vec<(String, Instant)>>>,
}

impl Bot {
    /// Writes `config` (prompts dir and data dir added) and starts the binary.
    pub fn start(
        ponder: &Path,
        dir: &Path,
        config: &str,
        env: &[(&str, &str)],
        prompts: &Path,
    ) -> Bot {
        std::fs::create_dir_all(dir).unwrap();
        let toml = format!(
            "prompts_dir = \"{}\"\ndata_dir = \"{}\"\n{config}",
            prompts.display(),
            dir.join("data").display()
        );
        let path = dir.join("config.toml");
        std::fs::write(&path, toml).unwrap();
        let started = Instant::now();
        let mut child = Command::new(ponder)
            .args(["run", "--config", path.to_str().unwrap()])
            .envs(env.iter().copied())
            .env("RUST_LOG", "warn,ponder=info")
            .envs(child_env())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the ponder binary starts");
        let err = child.stderr.take().unwrap();
        let logs: Arc<Mutex<String>> = Arc::default();
        let marks: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
        let (l, m) = (logs.clone(), marks.clone());
        std::thread::spawn(move || {
            // Keep the first 2 MB and the marks; drop the rest (a flood logs a lot).
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if line.contains("serving /healthz")
                    || line.contains("Discord ready")
                    || line.contains(" starting ")
                {
                    m.lock().unwrap().push((line.clone(), Instant::now()));
                }
                let mut logs = l.lock().unwrap();
                if logs.len() < 2_000_000 {
                    logs.push_str(&line);
                    logs.push('\n');
                }
            }
        });
        Bot {
            dir: dir.to_path_buf(),
            child,
            started,
            logs,
            marks,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// (VmRSS, VmHWM) in KiB.
    pub fn rss(&self) -> (u64, u64) {
        rss_kib(self.pid()).unwrap_or_default()
    }

    pub fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }

    /// The last lines of the log, for failure messages.
    pub fn tail(&self) -> String {
        let logs = self.logs();
        let lines: Vec<&str> = logs.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// When a log line containing `text` first appeared.
    pub async fn wait_mark(&self, text: &str, timeout: Duration) -> Instant {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some((_, at)) = self
                .marks
                .lock()
                .unwrap()
                .iter()
                .find(|(l, _)| l.contains(text))
            {
                return *at;
            }
            assert!(
                Instant::now() < deadline,
                "no `{text}` in the log\n{}",
                self.tail()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.join("data/ponder.db")
    }

    /// SIGTERM and wait (it must stop cleanly).
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(
                    status.success(),
                    "ponder exited with {status:?}\n{}",
                    self.tail()
                );
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("ponder did not stop on SIGTERM");
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The WARN and ERROR lines of a run's log (a healthy run has none).
pub fn complaints(logs: &str) -> Vec<String> {
    logs.lines()
        .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
        .map(str::to_string)
        .collect()
}

/// `ponder export --format json` of a database: the posts with their replies.
pub fn export(ponder: &Path, db: &Path, post: Option<i64>) -> Vec<serde_json::Value> {
    let mut cmd = Command::new(ponder);
    cmd.args(["export", "--db", db.to_str().unwrap(), "--format", "json"]);
    if let Some(p) = post {
        cmd.args(["--post", &p.to_string()]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A schedule that does not fire for months: once a year, half a year from now.
pub fn not_for_months() -> String {
    let at = chrono::Utc::now() + chrono::Duration::days(180);
    format!("0 0 {} {} *", at.format("%-d"), at.format("%-m"))
}

fn discord_section(emu: &Emulator) -> String {
    format!("[discord]\napi_base = \"{}\"\n", emu.base_url())
}

fn channel_entry(id: u64, schedule: &str) -> String {
    format!("[[channel]]\nplatform = \"discord\"\nid = \"{id}\"\nschedules = [\"{schedule}\"]\n")
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

// ---------------------------------------------------------------- memory

/// The emulator for `memory N` (Ponder's run and the peer's): N mid-size guilds.
pub fn memory_emulator(guilds: usize) -> EmulatorConfig {
    EmulatorConfig {
        guilds,
        guild_shape: GuildShape::MidSize,
        replay_buffer: 16,
        log_limit: guilds + 1_000,
        interaction_deadline: None,
        ..EmulatorConfig::default()
    }
}

#[derive(Debug, Clone)]
pub struct MemoryFigure {
    pub guilds: usize,
    /// VmRSS after every GUILD_CREATE was handled and memory settled, KiB.
    pub rss_kib: u64,
    /// VmHWM (peak RSS) by then, KiB.
    pub peak_kib: u64,
    /// RssAnon (heap and stacks) and RssFile (code mapped from the binary), KiB.
    pub anon_kib: u64,
    pub file_kib: u64,
    /// From process start until a slash command sent after the last GUILD_CREATE was answered.
    pub ready: Duration,
    /// Bytes of GUILD_CREATE JSON the emulator sent.
    pub guild_create_bytes: usize,
}

/// `ponder run` with `guilds` mid-size guilds, one configured channel each:
/// RSS once it has handled every GUILD_CREATE.
pub async fn memory(ponder: &Path, work: &Path, guilds: usize) -> MemoryFigure {
    let emu = Emulator::start(memory_emulator(guilds)).await.unwrap();
    let never = not_for_months();
    let mut config = discord_section(&emu);
    for g in emu.guilds() {
        config.push_str(&channel_entry(g.text_channel, &never));
    }
    let bot = Bot::start(
        ponder,
        &work.join(format!("memory-{guilds}")),
        &config,
        &[("DISCORD_TOKEN", &emu.token())],
        Path::new(SHIPPED_PROMPTS),
    );
    let big = Duration::from_secs(600);
    emu.wait_until(big, |e| {
        (e.dispatch_count("GUILD_CREATE") >= guilds).then_some(())
    })
    .await
    .unwrap_or_else(|e| panic!("GUILD_CREATEs not all sent: {e}\n{}", bot.tail()));
    // Commands are global (no guilds listed); wait for their registration.
    emu.wait_until(big, |e| (!e.commands(None).is_empty()).then_some(()))
        .await
        .unwrap();
    // A command queued behind every GUILD_CREATE: its answer means all were handled.
    let g = emu.guild();
    let run = emu
        .run_slash_command(g.admin, g.text_channel, "ponder next", json!({}))
        .unwrap();
    run.wait_response(big)
        .await
        .unwrap_or_else(|e| panic!("no answer to /ponder next: {e}\n{}", bot.tail()));
    let ready = bot.started.elapsed();
    // Let the answer's follow-up finish and freed memory settle.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (rss_kib, peak_kib) = bot.rss();
    let (anon_kib, file_kib) = rss_parts_kib(bot.pid()).unwrap_or_default();
    let guild_create_bytes = emu
        .gateway_events_sent()
        .iter()
        .filter(|f| f.event.as_deref() == Some("GUILD_CREATE"))
        .map(|f| f.raw.len())
        .sum();
    bot.stop();
    MemoryFigure {
        guilds,
        rss_kib,
        peak_kib,
        anon_kib,
        file_kib,
        ready,
        guild_create_bytes,
    }
}

// ---------------------------------------------------------------- storm

/// The emulator for `storm N` (Ponder's run and the peer's): N small guilds.
pub fn storm_emulator(guilds: usize) -> EmulatorConfig {
    EmulatorConfig {
        guilds,
        guild_shape: GuildShape::Minimal,
        replay_buffer: 16,
        log_limit: guilds + 1_000,
        interaction_deadline: None,
        ..EmulatorConfig::default()
    }
}

#[derive(Debug, Clone)]
pub struct StormFigure {
    pub guilds: usize,
    /// VmRSS once every guild's channel was checked and memory settled, KiB.
    pub rss_kib: u64,
    /// VmHWM (peak RSS) by then, KiB.
    pub peak_kib: u64,
    pub anon_kib: u64,
    pub file_kib: u64,
    /// From process start until the last channel's check was recorded.
    pub handled: Duration,
    /// Channels whose check was recorded (one per guild).
    pub checked: usize,
    /// Bytes of GUILD_CREATE JSON the emulator sent.
    pub guild_create_bytes: usize,
}

/// A GUILD_CREATE storm: `ponder run` with `guilds` small guilds (the
/// emulator's minimal shape: two channels, three roles, four members, about
/// 4.7 KB of JSON each), one configured channel with a schedule in each, so
/// every GUILD_CREATE brings a start-up permission check. Handled means
/// every channel's check is in the database (`checked_at`), read from the
/// bot's file as it runs; RSS is read two seconds later.
pub async fn storm(ponder: &Path, work: &Path, guilds: usize) -> StormFigure {
    let emu = Emulator::start(storm_emulator(guilds)).await.unwrap();
    let never = not_for_months();
    let mut config = discord_section(&emu);
    for g in emu.guilds() {
        config.push_str(&channel_entry(g.text_channel, &never));
    }
    let bot = Bot::start(
        ponder,
        &work.join(format!("storm-{guilds}")),
        &config,
        &[("DISCORD_TOKEN", &emu.token())],
        Path::new(SHIPPED_PROMPTS),
    );
    let deadline = Instant::now() + Duration::from_secs(600);
    let mut db = None;
    let checked = loop {
        assert!(
            Instant::now() < deadline,
            "not every guild's channel was checked in 600 s\n{}",
            bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        if db.is_none() && emu.dispatch_count("GUILD_CREATE") > 0 {
            db = Db::open_read_only(&bot.db_path()).await.ok();
        }
        let Some(db) = &db else { continue };
        let Ok(rows) = db.channels().await else {
            continue;
        };
        let checked = rows.iter().filter(|c| c.checked_at.is_some()).count();
        if checked >= guilds {
            break checked;
        }
    };
    let handled = bot.started.elapsed();
    if let Some(db) = db {
        db.close().await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (rss_kib, peak_kib) = bot.rss();
    let (anon_kib, file_kib) = rss_parts_kib(bot.pid()).unwrap_or_default();
    let guild_create_bytes = emu
        .gateway_events_sent()
        .iter()
        .filter(|f| f.event.as_deref() == Some("GUILD_CREATE"))
        .map(|f| f.raw.len())
        .sum();
    bot.stop();
    StormFigure {
        guilds,
        rss_kib,
        peak_kib,
        anon_kib,
        file_kib,
        handled,
        checked,
        guild_create_bytes,
    }
}

// ---------------------------------------------------------------- burst

/// The emulator for `burst N` (Ponder's run and the peer's): N guilds, Discord's limits.
pub fn burst_emulator(channels: usize) -> EmulatorConfig {
    EmulatorConfig {
        guilds: channels,
        discord_rate_limits: true,
        interaction_deadline: None,
        log_limit: 20 * channels + 10_000,
        ..EmulatorConfig::default()
    }
}

#[derive(Debug, Clone)]
pub struct BurstFigure {
    pub channels: usize,
    /// From the due second to the last thread opened.
    pub elapsed: Duration,
    /// The least time Discord's limits allow for the requests the slots need
    /// (a message and a thread each) from the due second.
    pub minimum: Duration,
    pub requests: usize,
    pub global_429s: u64,
    pub route_429s: u64,
    /// Prompts per channel, as the emulator holds them.
    pub prompts_per_channel: Vec<usize>,
    pub threads_per_channel: Vec<usize>,
    /// `GET /channels/{id}` of the configured channels: none when their
    /// facts were kept from GUILD_CREATE (a third request per slot otherwise).
    pub channel_lookups: usize,
    /// Posts in the database and how many reached "open".
    pub posts: usize,
    pub open_posts: usize,
    /// WARN and ERROR lines in Ponder's log.
    pub complaints: Vec<String>,
}

impl BurstFigure {
    pub fn ratio(&self) -> f64 {
        self.elapsed.as_secs_f64() / self.minimum.as_secs_f64().max(1e-9)
    }
}

/// `channels` channels (one per guild), every schedule due in the same
/// second, the emulator enforcing Discord's rate limits. `database`: a
/// PostgreSQL address to run on (an empty database), else a SQLite file.
pub async fn burst(
    ponder: &Path,
    work: &Path,
    channels: usize,
    lead: Duration,
    database: Option<&str>,
) -> BurstFigure {
    let emu = Emulator::start(burst_emulator(channels)).await.unwrap();
    let (due, schedule) = once_from(unix_now() + lead.as_secs() as i64);
    let mut config = discord_section(&emu);
    // Threads stay open through the run (no closing traffic mixes in).
    config.insert_str(0, "thread_open = \"7d\"\n");
    if let Some(url) = database {
        config.insert_str(0, &format!("database = \"{url}\"\n"));
    }
    let guilds = emu.guilds();
    for g in &guilds {
        config.push_str(&channel_entry(g.text_channel, &schedule));
    }
    let bot = Bot::start(
        ponder,
        &work.join(format!(
            "burst-{channels}-{}",
            if database.is_some() { "pg" } else { "sqlite" }
        )),
        &config,
        &[("DISCORD_TOKEN", &emu.token())],
        Path::new(SHIPPED_PROMPTS),
    );
    let limit = Duration::from_secs(60 + 2 * channels as u64 / 10);
    let all_threads = emu
        .wait_until(limit + lead, |e| {
            let done = guilds
                .iter()
                .filter(|g| !e.threads(g.text_channel).is_empty())
                .count();
            (done == channels).then_some(())
        })
        .await;
    if let Err(e) = all_threads {
        panic!("not every slot got its thread: {e}\n{}", bot.tail());
    }
    let outcome = burst_outcome(&emu, &guilds, due, true);
    // Let the last "open" be recorded, then stop and read the archive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let db = match database {
        Some(url) => PathBuf::from(url),
        None => bot.db_path(),
    };
    let complaints = complaints(&bot.logs());
    bot.stop();
    let posts = export(ponder, &db, None);
    let open_posts = posts.iter().filter(|p| p["state"] == "open").count();
    BurstFigure {
        channels,
        elapsed: outcome.elapsed,
        minimum: outcome.minimum,
        requests: outcome.requests,
        global_429s: outcome.global_429s,
        route_429s: outcome.route_429s,
        prompts_per_channel: outcome.prompts_per_channel,
        channel_lookups: outcome.channel_lookups,
        threads_per_channel: outcome.threads_per_channel,
        posts: posts.len(),
        open_posts,
        complaints,
    }
}

/// What the emulator saw of a burst (the same reading for Ponder and the peer).
#[derive(Debug, Clone)]
pub struct BurstOutcome {
    /// From the due second to the last successful post or thread.
    pub elapsed: Duration,
    pub minimum: Duration,
    pub requests: usize,
    pub global_429s: u64,
    pub route_429s: u64,
    pub prompts_per_channel: Vec<usize>,
    pub threads_per_channel: Vec<usize>,
    /// `GET /channels/{id}` of the guilds' configured channels.
    pub channel_lookups: usize,
}

impl BurstOutcome {
    pub fn ratio(&self) -> f64 {
        self.elapsed.as_secs_f64() / self.minimum.as_secs_f64().max(1e-9)
    }

    /// One prompt and one thread in every channel.
    pub fn exactly_once(&self) -> bool {
        self.prompts_per_channel.iter().all(|n| *n == 1)
            && self.threads_per_channel.iter().all(|n| *n == 1)
    }
}

/// Reads a burst from the emulator's request log. `nonce_only` counts only the
/// bot's messages sent with a nonce as prompts (Ponder sends one; discord.py
/// does not unless asked).
pub fn burst_outcome(
    emu: &Emulator,
    guilds: &[ScriptedGuild],
    due: i64,
    nonce_only: bool,
) -> BurstOutcome {
    // The emulator's request log: when each successful post and thread was made.
    let emu_start_unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        - emu.uptime().as_secs_f64();
    let needed: Vec<_> = emu
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.status < 300 && r.path.starts_with("/channels/"))
        .collect();
    let last = needed.iter().map(|r| r.at).max().unwrap_or_default();
    let due_since_start = due as f64 - emu_start_unix;
    let elapsed = Duration::from_secs_f64((last.as_secs_f64() - due_since_start).max(0.0));
    let requests = 2 * guilds.len();
    // Fixed one-second windows of 50: the last of `requests` can go out at the
    // start of window ceil(requests/50) - 1, counted from the due second.
    let minimum = Duration::from_secs((requests.div_ceil(50) - 1) as u64);
    let stats = emu.rate_limit_stats();
    let bot_id = emu.bot_user_id();
    let prompts_per_channel = guilds
        .iter()
        .map(|g| {
            emu.messages(g.text_channel)
                .iter()
                .filter(|m| m.author_id == bot_id && (m.nonce.is_some() || !nonce_only))
                .count()
        })
        .collect();
    let threads_per_channel = guilds
        .iter()
        .map(|g| emu.threads(g.text_channel).len())
        .collect();
    let configured: std::collections::HashSet<String> = guilds
        .iter()
        .map(|g| format!("/channels/{}", g.text_channel))
        .collect();
    let channel_lookups = emu
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && configured.contains(&r.path))
        .count();
    BurstOutcome {
        channel_lookups,
        elapsed,
        minimum,
        requests,
        global_429s: stats.global_429s,
        route_429s: stats.route_429s,
        prompts_per_channel,
        threads_per_channel,
    }
}

// ---------------------------------------------------------------- fires

/// The emulator for `fires N`: N guilds over six shards, no rate limits (the
/// figure is Ponder's and its database's, not Discord's limits).
pub fn fires_emulator(channels: usize) -> EmulatorConfig {
    EmulatorConfig {
        guilds: channels,
        guilds_per_shard: channels.div_ceil(6),
        interaction_deadline: None,
        replay_buffer: 64,
        log_limit: 20 * channels + 10_000,
        ..EmulatorConfig::default()
    }
}

#[derive(Debug, Clone)]
pub struct FiresFigure {
    /// "SQLite" or "PostgreSQL".
    pub backend: &'static str,
    pub processes: usize,
    pub channels: usize,
    /// From the due second to the last thread opened.
    pub elapsed: Duration,
    /// Whether every process was connected (all its shards) before the due second.
    pub ready_before_due: bool,
    pub prompts_per_channel: Vec<usize>,
    pub threads_per_channel: Vec<usize>,
    /// Posts in the database, as `ponder export` reads them.
    pub posts: usize,
    /// WARN and ERROR lines in the processes' logs.
    pub complaints: Vec<String>,
}

impl FiresFigure {
    /// Slots fired (posted with their threads) per second.
    pub fn per_second(&self) -> f64 {
        self.channels as f64 / self.elapsed.as_secs_f64().max(1e-3)
    }

    pub fn exactly_once(&self) -> bool {
        self.prompts_per_channel.iter().all(|n| *n == 1)
            && self.threads_per_channel.iter().all(|n| *n == 1)
            && self.posts == self.channels
    }
}

/// `channels` channels (one per guild, six shards), every schedule due in
/// the same second. `database = None`: one process on a SQLite file, all six
/// shards. `Some(url)`: `processes` processes (1 or 3) on that PostgreSQL
/// database (empty), each running its share of the shards (`0-1 of 6`, …).
pub async fn fires(
    ponder: &Path,
    work: &Path,
    channels: usize,
    lead: Duration,
    database: Option<&str>,
    processes: usize,
) -> FiresFigure {
    assert!(
        processes == 1 || (processes == 3 && database.is_some()),
        "several processes share a PostgreSQL database, not a SQLite file"
    );
    let emu = Emulator::start(fires_emulator(channels)).await.unwrap();
    let (due, schedule) = once_from(unix_now() + lead.as_secs() as i64);
    let guilds = emu.guilds();
    let backend = if database.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let mut common = String::from("thread_open = \"7d\"\n");
    if let Some(url) = database {
        common.insert_str(0, &format!("database = \"{url}\"\n"));
    }
    for g in &guilds {
        common.push_str(&channel_entry(g.text_channel, &schedule));
    }
    let ranges: Vec<String> = if processes == 3 {
        ["0-1 of 6", "2-3 of 6", "4-5 of 6"]
            .map(|r| format!("shards = \"{r}\"\n"))
            .to_vec()
    } else {
        vec!["shards = 6\n".to_string()]
    };
    let token = emu.token();
    let bots: Vec<Bot> = ranges
        .iter()
        .enumerate()
        .map(|(i, shards)| {
            Bot::start(
                ponder,
                &work.join(format!("fires-{channels}-{backend}-{processes}-{i}")),
                &format!("{common}{}{shards}", discord_section(&emu)),
                &[("DISCORD_TOKEN", &token)],
                Path::new(SHIPPED_PROMPTS),
            )
        })
        .collect();
    let connected = emu
        .wait_until(lead + Duration::from_secs(120), |e| {
            (e.connected_sessions() == 6).then_some(())
        })
        .await;
    if connected.is_err() {
        let tails: Vec<String> = bots.iter().map(Bot::tail).collect();
        panic!("not every shard connected\n{}", tails.join("\n---\n"));
    }
    let ready_before_due = unix_now() < due;
    let all_threads = emu
        .wait_until(
            lead + Duration::from_secs(120 + channels as u64 / 10),
            |e| {
                guilds
                    .iter()
                    .all(|g| !e.threads(g.text_channel).is_empty())
                    .then_some(())
            },
        )
        .await;
    if let Err(e) = all_threads {
        let tails: Vec<String> = bots.iter().map(Bot::tail).collect();
        panic!(
            "not every slot got its thread: {e}\n{}",
            tails.join("\n---\n")
        );
    }
    let outcome = burst_outcome(&emu, &guilds, due, true);
    // Let the last "open" be recorded, then stop and read the archive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let db = match database {
        Some(url) => PathBuf::from(url),
        None => bots[0].db_path(),
    };
    let complaints = bots.iter().flat_map(|b| complaints(&b.logs())).collect();
    for bot in bots {
        bot.stop();
    }
    let posts = export(ponder, &db, None).len();
    FiresFigure {
        backend,
        processes,
        channels,
        elapsed: outcome.elapsed,
        ready_before_due,
        prompts_per_channel: outcome.prompts_per_channel,
        threads_per_channel: outcome.threads_per_channel,
        posts,
        complaints,
    }
}

// ---------------------------------------------------------------- ingest

/// The emulator for `ingest` (Ponder's run and the peer's): one guild.
pub fn ingest_emulator() -> EmulatorConfig {
    EmulatorConfig {
        interaction_deadline: None,
        replay_buffer: 1_000,
        log_limit: 10_000,
        ..EmulatorConfig::default()
    }
}

#[derive(Debug, Clone)]
pub struct IngestFigure {
    pub offered_per_sec: usize,
    pub seconds: u64,
    pub replies: usize,
    /// From the first reply sent until every reply was committed.
    pub elapsed: Duration,
    /// Committed replies per second, each second of the run.
    pub per_second: Vec<u64>,
    /// RSS (KiB) sampled each second.
    pub rss_kib: Vec<u64>,
    pub stored: usize,
}

impl IngestFigure {
    pub fn rate(&self) -> f64 {
        self.stored as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Replies flooded into one prompt's thread at `per_sec` for `seconds`:
/// how fast they are committed to SQLite.
pub async fn ingest(ponder: &Path, work: &Path, per_sec: usize, seconds: u64) -> IngestFigure {
    let emu = Emulator::start(ingest_emulator()).await.unwrap();
    let g = emu.guild();
    let (_, schedule) = once_from(unix_now() + 4);
    let mut config = discord_section(&emu);
    config.insert_str(0, "thread_open = \"7d\"\n");
    config.push_str(&channel_entry(g.text_channel, &schedule));
    let bot = Bot::start(
        ponder,
        &work.join(format!("ingest-{per_sec}-{seconds}")),
        &config,
        &[("DISCORD_TOKEN", &emu.token())],
        Path::new(SHIPPED_PROMPTS),
    );
    let thread = emu
        .wait_until(Duration::from_secs(30), |e| {
            e.threads(g.text_channel).first().map(|t| t.id)
        })
        .await
        .unwrap_or_else(|e| panic!("no prompt thread: {e}\n{}", bot.tail()));
    // The thread exists once the post row has its thread id; give "open" a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The bot holds the database: read it as `export` does.
    let db = Db::open_read_only(&bot.db_path()).await.unwrap();
    let authors = [g.member, g.admin, g.owner];
    let count = |db: Db| async move {
        let mut n = 0;
        for a in authors {
            n += db
                .count_author_replies("discord", &[a.to_string()])
                .await
                .unwrap();
        }
        n as usize
    };
    let total = per_sec * seconds as usize;
    let tick = Duration::from_millis(10);
    let per_tick = per_sec.div_ceil(100);
    let start = Instant::now();
    let mut sent = 0;
    let mut per_second = Vec::new();
    let mut rss = Vec::new();
    let mut last_count = 0;
    let mut next_sample = start + Duration::from_secs(1);
    let mut last_progress = Instant::now();
    loop {
        if sent < total {
            let due_sent = ((start.elapsed().as_secs_f64() * per_sec as f64) as usize).min(total);
            while sent < due_sent {
                let n = per_tick.min(due_sent - sent);
                emu.flood_messages(thread, &authors, n, "reply", sent)
                    .unwrap();
                sent += n;
            }
        }
        if Instant::now() >= next_sample {
            next_sample += Duration::from_secs(1);
            let c = count(db.clone()).await;
            per_second.push((c - last_count) as u64);
            if c > last_count {
                last_progress = Instant::now();
            }
            last_count = c;
            rss.push(bot.rss().0);
            if c >= total {
                break;
            }
            assert!(
                last_progress.elapsed() < Duration::from_secs(30),
                "replies stopped arriving at {c} of {total}\n{}",
                bot.tail()
            );
        }
        if sent >= total {
            let c = count(db.clone()).await;
            if c >= total {
                last_count = c;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        } else {
            tokio::time::sleep(tick).await;
        }
    }
    let elapsed = start.elapsed();
    db.close().await;
    bot.stop();
    IngestFigure {
        offered_per_sec: per_sec,
        seconds,
        replies: total,
        elapsed,
        per_second,
        rss_kib: rss,
        stored: last_count,
    }
}

// ---------------------------------------------------------------- start-up

#[derive(Debug, Clone)]
pub struct StartupFigure {
    pub prompts: usize,
    pub schedules: usize,
    /// From process start until the engine was started and the listener up.
    pub ready: Duration,
    /// Of which: until the database was open and the prompts loaded and checked.
    pub loaded: Duration,
    pub rss_kib: u64,
}

/// `ponder run` (console platform only: no network) over a database with
/// `schedules` schedules and a prompts dir with `prompts` prompts.
pub async fn startup(
    ponder: &Path,
    work: &Path,
    prompts: usize,
    schedules: usize,
) -> StartupFigure {
    let dir = work.join(format!("startup-{prompts}-{schedules}"));
    let _ = std::fs::remove_dir_all(&dir);
    let prompts_dir = dir.join("prompts");
    seed::write_prompts(&prompts_dir, prompts);
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let db = Db::open(&data.join("ponder.db")).await.unwrap();
    let per_channel = 10.min(schedules.max(1));
    seed::schedules(
        &db,
        "discord",
        schedules / per_channel,
        per_channel,
        unix_now(),
    )
    .await;
    db.close().await;
    // The last handle releases the process lock the bot is about to take.
    drop(db);
    let config = "[console]\nchannel = \"console\"\n[http]\nlisten = \"127.0.0.1:0\"\n";
    let bot = Bot::start(ponder, &dir, config, &[], &prompts_dir);
    let at = bot
        .wait_mark("serving /healthz", Duration::from_secs(120))
        .await;
    let ready = at - bot.started;
    let loaded = bot.wait_mark(" starting ", Duration::from_secs(1)).await - bot.started;
    let (rss_kib, _) = bot.rss();
    assert!(
        !bot.logs().contains("ERROR"),
        "start-up logged errors:\n{}",
        bot.tail()
    );
    bot.stop();
    StartupFigure {
        prompts,
        schedules,
        ready,
        loaded,
        rss_kib,
    }
}

/// A figure line: name, measured, target, met or not.
pub fn line(out: &mut String, name: &str, measured: String, target: &str, met: bool) {
    let _ = writeln!(
        out,
        "{name:<44} {measured:>22}   target {target:<14} {}",
        if met { "met" } else { "MISSED" }
    );
}
