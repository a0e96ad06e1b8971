//! The peer in the same run: a discord.py 2.7 bot doing Ponder's job
//! (`benches/peer/peer_bot.py`), installed on first use into a venv, started
//! against an emulator scripted exactly as for Ponder's run of the same part.
//! Each part returns its figures, or why the peer could not run it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use discord_emulator::{Emulator, EmulatorConfig};
use serde_json::json;

use super::{BurstOutcome, SHIPPED_PROMPTS, burst_outcome, rss_kib, rss_parts_kib};

const PEER_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/peer");

/// Where the venv lives: `PONDER_BENCH_PEER_VENV`, else `target/bench-peer-venv`.
pub fn venv_dir() -> PathBuf {
    std::env::var_os("PONDER_BENCH_PEER_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
            target.join("bench-peer-venv")
        })
}

/// The venv's python with discord.py 2.7 in it, made on first use
/// (`python3 -m venv`, then pip from PyPI). Err says what failed.
pub fn install() -> Result<PathBuf, String> {
    static LOCK: Mutex<()> = Mutex::new(());
    let _one_at_a_time = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let dir = venv_dir();
    let python = dir.join("bin/python");
    let has_discord = |python: &Path| {
        Command::new(python)
            .args([
                "-c",
                "import discord, sys; sys.exit(discord.__version__[:4] != '2.7.')",
            ])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if has_discord(&python) {
        return Ok(python);
    }
    let run = |cmd: &mut Command, what: &str| -> Result<(), String> {
        let out = cmd
            .output()
            .map_err(|e| format!("{what} did not start: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{what} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    };
    let python3 = std::env::var("PONDER_BENCH_PYTHON").unwrap_or_else(|_| "python3".into());
    run(
        Command::new(&python3)
            .args(["-m", "venv", "--clear"])
            .arg(&dir),
        "python3 -m venv",
    )?;
    run(
        Command::new(dir.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(Path::new(PEER_DIR).join("requirements.txt")),
        "pip install discord.py==2.7.*",
    )?;
    if has_discord(&python) {
        Ok(python)
    } else {
        Err("discord.py 2.7 is not importable after pip install".into())
    }
}

/// The peer bot running as a child process; its stdout lines are the bench's marks.
pub struct Peer {
    child: Child,
    pub started: Instant,
    lines: Arc<Mutex<Vec<(String, Instant)>>>,
    errors: Arc<Mutex<String>>,
}

impl Peer {
    /// Writes the peer's config and starts it against `emu`; `channels` are
    /// (channel id, `every` seconds or none).
    pub fn start(
        python: &Path,
        emu: &Emulator,
        dir: &Path,
        channels: &[(u64, Option<u64>)],
    ) -> Peer {
        std::fs::create_dir_all(dir).unwrap();
        let config = json!({
            "api_base": emu.base_url(),
            "db": dir.join("peer.db"),
            "prompts_dir": SHIPPED_PROMPTS,
            "channels": channels
                .iter()
                .map(|(id, every)| json!({"id": id.to_string(), "every": every}))
                .collect::<Vec<_>>(),
        });
        let path = dir.join("peer.json");
        std::fs::write(&path, config.to_string()).unwrap();
        let started = Instant::now();
        let mut child = Command::new(python)
            .arg(Path::new(PEER_DIR).join("peer_bot.py"))
            .arg(&path)
            .env("DISCORD_TOKEN", emu.token())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the peer's python starts");
        let lines: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
        let errors: Arc<Mutex<String>> = Arc::default();
        let (out, err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
        let l = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                l.lock().unwrap().push((line, Instant::now()));
            }
        });
        let e = errors.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut errors = e.lock().unwrap();
                if errors.len() < 1_000_000 {
                    errors.push_str(&line);
                    errors.push('\n');
                }
            }
        });
        Peer {
            child,
            started,
            lines,
            errors,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The last lines of its stderr, for failure messages.
    pub fn tail(&self) -> String {
        let errors = self.errors.lock().unwrap();
        let lines: Vec<&str> = errors.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// Its stderr lines that tell of a traceback or a failed slot.
    pub fn complaints(&self) -> usize {
        self.errors
            .lock()
            .unwrap()
            .lines()
            .filter(|l| l.contains("Traceback") || l.contains("failed"))
            .count()
    }

    /// The first stdout line starting with `word`, and when it came; Err if
    /// the peer exited or `timeout` passed first.
    pub async fn wait_line(
        &mut self,
        word: &str,
        timeout: Duration,
    ) -> Result<(String, Instant), String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(found) = self
                .lines
                .lock()
                .unwrap()
                .iter()
                .find(|(l, _)| l.split(' ').next() == Some(word))
            {
                return Ok(found.clone());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "the peer exited ({status}) before `{word}`:\n{}",
                    self.tail()
                ));
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "no `{word}` from the peer in {timeout:?}:\n{}",
                    self.tail()
                ));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// How many stdout lines start with `word`.
    pub fn count(&self, word: &str) -> usize {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|(l, _)| l.split(' ').next() == Some(word))
            .count()
    }

    /// SIGTERM, then SIGKILL if it lingers.
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------- memory and storm

#[derive(Debug, Clone)]
pub struct PeerGuildsFigure {
    pub guilds: usize,
    /// VmRSS and VmHWM of the python process, KiB, two seconds after `ready`.
    pub rss_kib: u64,
    pub peak_kib: u64,
    pub anon_kib: u64,
    pub file_kib: u64,
    /// From process start to `ready`: every GUILD_CREATE in (discord.py then
    /// waits 2 s for more before READY counts) and each configured channel checked.
    pub ready: Duration,
    /// Configured channels the peer checked (one per guild).
    pub checked: usize,
    /// Its gateway connections that took zlib-stream, as discord.py asks.
    pub zlib_stream_connections: u32,
    /// Tracebacks and failed slots in its stderr.
    pub complaints: usize,
}

/// The peer with the emulator scripted by `config` (the same as Ponder's run
/// of the part), one configured channel per guild with no slot in the run.
pub async fn guilds(
    python: &Path,
    work: &Path,
    name: &str,
    config: EmulatorConfig,
) -> Result<PeerGuildsFigure, String> {
    let guilds = config.guilds;
    let emu = Emulator::start(config).await.map_err(|e| e.to_string())?;
    let channels: Vec<(u64, Option<u64>)> = emu
        .guilds()
        .iter()
        .map(|g| (g.text_channel, None))
        .collect();
    let mut peer = Peer::start(python, &emu, &work.join(name), &channels);
    let (line, at) = peer.wait_line("ready", Duration::from_secs(900)).await?;
    let ready = at - peer.started;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (rss_kib, peak_kib) = rss_kib(peer.pid()).unwrap_or_default();
    let (anon_kib, file_kib) = rss_parts_kib(peer.pid()).unwrap_or_default();
    let checked = line
        .split(' ')
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let complaints = peer.complaints();
    let zlib_stream_connections = emu.zlib_stream_connections();
    peer.stop();
    emu.shutdown().await;
    Ok(PeerGuildsFigure {
        guilds,
        rss_kib,
        peak_kib,
        anon_kib,
        file_kib,
        ready,
        checked,
        zlib_stream_connections,
        complaints,
    })
}

// ---------------------------------------------------------------- burst

/// The burst against the peer: the emulator as for Ponder's burst, every
/// channel's one slot in the same second. Also returns the slots the peer
/// recorded as posted and the tracebacks and failed slots in its stderr.
pub async fn burst(
    python: &Path,
    work: &Path,
    config: EmulatorConfig,
    lead: Duration,
) -> Result<(BurstOutcome, usize, usize), String> {
    let channels = config.guilds;
    let emu = Emulator::start(config).await.map_err(|e| e.to_string())?;
    let (due, schedule) = super::once_from(super::unix_now() + lead.as_secs() as i64);
    let every: u64 = schedule
        .trim_start_matches("every ")
        .trim_end_matches('s')
        .parse()
        .unwrap();
    let guilds = emu.guilds();
    let slots: Vec<(u64, Option<u64>)> = guilds
        .iter()
        .map(|g| (g.text_channel, Some(every)))
        .collect();
    let mut peer = Peer::start(
        python,
        &emu,
        &work.join(format!("peer-burst-{channels}")),
        &slots,
    );
    peer.wait_line("ready", Duration::from_secs(120)).await?;
    let limit = Duration::from_secs(60 + 2 * channels as u64 / 10) + lead;
    let all = emu
        .wait_until(limit, |e| {
            let done = guilds
                .iter()
                .filter(|g| !e.threads(g.text_channel).is_empty())
                .count();
            (done == channels).then_some(())
        })
        .await;
    if let Err(e) = all {
        return Err(format!(
            "not every slot got its thread: {e}\n{}",
            peer.tail()
        ));
    }
    // Let the last thread's id reach the peer's database and its `posted` line.
    let deadline = Instant::now() + Duration::from_secs(10);
    while peer.count("posted") < channels && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let outcome = burst_outcome(&emu, &guilds, due, false);
    let posted = peer.count("posted");
    let complaints = peer.complaints();
    peer.stop();
    emu.shutdown().await;
    Ok((outcome, posted, complaints))
}

// ---------------------------------------------------------------- ingest

#[derive(Debug, Clone)]
pub struct PeerIngestFigure {
    pub offered_per_sec: usize,
    pub sent: usize,
    /// Replies the peer had committed when the run ended.
    pub stored: usize,
    /// From the first reply sent to the last commit seen.
    pub elapsed: Duration,
    /// Committed per second, each second.
    pub per_second: Vec<u64>,
    pub rss_kib: Vec<u64>,
    /// Why the run ended before every reply was stored, if it did.
    pub fell_behind: Option<String>,
}

impl PeerIngestFigure {
    pub fn rate(&self) -> f64 {
        self.stored as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Replies flooded into the peer's prompt thread at `per_sec` for `seconds`,
/// as in Ponder's ingest; the run ends once all are stored, or at twice the
/// flood's length and ten seconds more (it could not keep up).
pub async fn ingest(
    python: &Path,
    work: &Path,
    per_sec: usize,
    seconds: u64,
) -> Result<PeerIngestFigure, String> {
    let emu = Emulator::start(super::ingest_emulator())
        .await
        .map_err(|e| e.to_string())?;
    let g = emu.guild();
    let (_, schedule) = super::once_from(super::unix_now() + 6);
    let every: u64 = schedule
        .trim_start_matches("every ")
        .trim_end_matches('s')
        .parse()
        .unwrap();
    let mut peer = Peer::start(
        python,
        &emu,
        &work.join(format!("peer-ingest-{per_sec}-{seconds}")),
        &[(g.text_channel, Some(every))],
    );
    peer.wait_line("posted", Duration::from_secs(60)).await?;
    let thread = emu
        .threads(g.text_channel)
        .first()
        .map(|t| t.id)
        .ok_or("no prompt thread")?;
    let stored = |peer: &Peer| -> usize {
        peer.lines
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find_map(|(l, _)| l.strip_prefix("stored ")?.parse().ok())
            .unwrap_or(0)
    };
    let authors = [g.member, g.admin, g.owner];
    let total = per_sec * seconds as usize;
    let per_tick = per_sec.div_ceil(100);
    let start = Instant::now();
    let (mut sent, mut last) = (0, 0);
    let (mut per_second, mut rss) = (Vec::new(), Vec::new());
    let mut next_sample = start + Duration::from_secs(1);
    let mut fell_behind = None;
    loop {
        let due_sent = ((start.elapsed().as_secs_f64() * per_sec as f64) as usize).min(total);
        while sent < due_sent {
            let n = per_tick.min(due_sent - sent);
            emu.flood_messages(thread, &authors, n, "reply", sent)
                .map_err(|e| e.to_string())?;
            sent += n;
        }
        if Instant::now() >= next_sample {
            next_sample += Duration::from_secs(1);
            let c = stored(&peer);
            per_second.push((c - last) as u64);
            last = c;
            rss.push(rss_kib(peer.pid()).unwrap_or_default().0);
            if c >= total {
                break;
            }
            // Twice the flood's length and ten seconds more: it did not keep up.
            if start.elapsed() > Duration::from_secs(2 * seconds + 10) {
                fell_behind = Some(format!(
                    "{c} of {total} stored {:.0} s after the flood began; stopped there",
                    start.elapsed().as_secs_f64()
                ));
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let elapsed = start.elapsed();
    peer.stop();
    emu.shutdown().await;
    Ok(PeerIngestFigure {
        offered_per_sec: per_sec,
        sent,
        stored: last,
        elapsed,
        per_second,
        rss_kib: rss,
        fell_behind,
    })
}
