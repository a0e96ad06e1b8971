#![recursion_limit = "256"]
//! The end-to-end figures: the release `ponder` binary against the Discord
//! emulator on 127.0.0.1, and beside each the same part run by a discord.py
//! peer (benches/peer) against an emulator scripted the same way. `cargo
//! bench` runs them all after the Criterion scheduler benchmark; `cargo bench
//! --bench e2e -- memory storm` runs some. See BENCHMARKS.md for what each
//! figure means. The `matrix` part runs the bot on a real Synapse instead
//! (tests/matrix's homeserver and humans; built when the `matrix` feature is).

mod scenarios;

#[cfg(feature = "matrix")]
#[allow(dead_code)]
#[path = "../../tests/matrix/bot.rs"]
mod bot;
#[cfg(feature = "matrix")]
#[allow(dead_code)]
#[path = "../../tests/matrix/homeserver.rs"]
mod homeserver;
#[cfg(feature = "matrix")]
#[allow(dead_code)]
#[path = "../../tests/matrix/human.rs"]
mod human;
#[cfg(feature = "matrix")]
mod matrix;
#[cfg(feature = "matrix")]
#[path = "../../tests/support/ponder.rs"]
mod ponder;
// One copy of each shared file in this crate: the Matrix modules use the
// ones the Discord scenarios load.
#[cfg(feature = "matrix")]
use scenarios::{machine, postgres, slots};

use std::path::Path;
use std::time::Duration;

use scenarios::{line, peer};

/// The release binary cargo built for this bench; `PONDER_BENCH_BIN` measures another.
fn ponder_bin() -> String {
    std::env::var("PONDER_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_ponder").to_string())
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// `Ponder 37.2 MiB, peer 73.4 MiB, ratio 0.51` (ratio: Ponder ÷ peer).
fn versus(ponder_kib: u64, peer_kib: Option<u64>) -> String {
    match peer_kib {
        Some(p) => format!(
            "Ponder {:.1} MiB, peer {:.1} MiB, ratio {:.2}",
            mib(ponder_kib),
            mib(p),
            ponder_kib as f64 / p.max(1) as f64
        ),
        None => format!("Ponder {:.1} MiB, peer -", mib(ponder_kib)),
    }
}

/// The peer's python, installed on first use; `PONDER_BENCH_PEER=0` leaves it out.
fn peer_python() -> Result<std::path::PathBuf, String> {
    if std::env::var("PONDER_BENCH_PEER").is_ok_and(|v| v == "0") {
        return Err("left out (PONDER_BENCH_PEER=0)".into());
    }
    peer::install()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted = |name: &str| args.is_empty() || args.iter().any(|a| a == name);
    let bin = ponder_bin();
    let ponder = Path::new(&bin);
    println!("{}", scenarios::description());
    let size = std::fs::metadata(ponder).map_or(0, |m| m.len());
    println!("binary:  {bin} ({:.1} MiB)", size as f64 / 1048576.0);
    let extra = scenarios::child_env();
    if extra.is_empty() {
        println!("alloc:   the binary's own (glibc malloc unless it was built with another)\n");
    } else {
        let pairs: Vec<String> = extra.iter().map(|(k, v)| format!("{k}={v}")).collect();
        println!(
            "env:     {} (PONDER_BENCH_CHILD_ENV, set for the Discord parts' ponder only)\n",
            pairs.join(" ")
        );
    }
    let work = tempfile::tempdir().unwrap();
    let work = work.path();
    let mut out = String::new();
    let python = peer_python();
    match &python {
        Ok(p) => println!(
            "peer:    discord.py 2.7 bot (benches/peer/peer_bot.py) on {}\n",
            p.display()
        ),
        Err(e) => println!("peer:    not run: {e}\n"),
    }
    let peer_note = |e: &String| println!("  peer: not run: {e}");

    if wanted("startup") {
        let f = scenarios::startup(ponder, work, 10_000, 100_000).await;
        println!(
            "start-up: {} prompts, {} schedules: ready in {:.3} s (database open and prompts loaded at {:.3} s, then the engine's start-up), RSS {:.1} MiB",
            f.prompts,
            f.schedules,
            f.ready.as_secs_f64(),
            f.loaded.as_secs_f64(),
            mib(f.rss_kib)
        );
        println!(
            "  peer: not run: it keeps its schedules in its config and has no database of 100,000 schedules to rebuild an agenda from; Python's start-up alone (interpreter, discord.py imported) is part of the storm's figure"
        );
        line(
            &mut out,
            "start-up, 10k prompts + 100k schedules",
            format!("{:.3} s", f.ready.as_secs_f64()),
            "<= 0.5 s",
            f.ready <= Duration::from_millis(500),
        );
    }

    if wanted("memory") {
        let mut figures = Vec::new();
        for guilds in [1, 1_000, 10_000] {
            let f = scenarios::memory(ponder, work, guilds).await;
            println!(
                "memory: {:>6} mid-size guilds: RSS {:.1} MiB (heap and stacks {:.1}, code {:.1}; peak {:.1} MiB), all GUILD_CREATEs handled {:.1} s after start, {:.1} MiB of GUILD_CREATE JSON",
                f.guilds,
                mib(f.rss_kib),
                mib(f.anon_kib),
                mib(f.file_kib),
                mib(f.peak_kib),
                f.ready.as_secs_f64(),
                f.guild_create_bytes as f64 / 1048576.0
            );
            let p = match &python {
                Ok(py) => peer::guilds(
                    py,
                    work,
                    &format!("peer-memory-{guilds}"),
                    scenarios::memory_emulator(guilds),
                )
                .await
                .inspect_err(peer_note)
                .ok(),
                Err(_) => None,
            };
            println!(
                "memory: {:>6} mid-size guilds: RSS {}; RssAnon {}",
                f.guilds,
                versus(f.rss_kib, p.as_ref().map(|p| p.rss_kib)),
                versus(f.anon_kib, p.as_ref().map(|p| p.anon_kib)),
            );
            if let Some(p) = &p {
                println!(
                    "  peer: {} guilds ready {:.1} s after start (discord.py waits 2 s after the last GUILD_CREATE), {} channels checked, peak {:.1} MiB, RssFile {:.1} MiB",
                    p.guilds,
                    p.ready.as_secs_f64(),
                    p.checked,
                    mib(p.peak_kib),
                    mib(p.file_kib)
                );
            }
            figures.push((f, p));
        }
        let at = |g: usize| figures.iter().find(|(f, _)| f.guilds == g).unwrap();
        let ((k1, p1), (k10, p10)) = (at(1_000), at(10_000));
        let per_guild = (k10.rss_kib as f64 - k1.rss_kib as f64) * 1024.0 / 9_000.0;
        line(
            &mut out,
            "RSS after READY, 1,000 mid-size guilds",
            format!("{:.1} MiB", mib(k1.rss_kib)),
            "<= 20 MiB",
            mib(k1.rss_kib) <= 20.0,
        );
        line(
            &mut out,
            "RssAnon (heap, stacks), 1,000 mid-size",
            format!("{:.1} MiB", mib(k1.anon_kib)),
            "<= 6 MiB",
            mib(k1.anon_kib) <= 6.0,
        );
        line(
            &mut out,
            "RSS per additional guild (1k -> 10k)",
            format!("{:.0} B", per_guild),
            "<= 1.5 KB",
            per_guild <= 1_500.0,
        );
        if let (Some(p1), Some(p10)) = (p1, p10) {
            let peer_per_guild = (p10.rss_kib as f64 - p1.rss_kib as f64) * 1024.0 / 9_000.0;
            peer_line(
                &mut out,
                "  peer: RSS, RssAnon at 1,000 mid-size",
                format!("{:.1} / {:.1} MiB", mib(p1.rss_kib), mib(p1.anon_kib)),
                format!(
                    "{:.2} / {:.2}",
                    k1.rss_kib as f64 / p1.rss_kib.max(1) as f64,
                    k1.anon_kib as f64 / p1.anon_kib.max(1) as f64
                ),
            );
            peer_line(
                &mut out,
                "  peer: RSS per additional guild",
                format!("{peer_per_guild:.0} B"),
                format!("{:.2}", per_guild / peer_per_guild.max(1.0)),
            );
        }
    }

    if wanted("storm") || wanted("storm-small") {
        let mut figures = Vec::new();
        // `PONDER_BENCH_STORM_GUILDS=small,large` measures other sizes.
        let sizes: Vec<usize> = std::env::var("PONDER_BENCH_STORM_GUILDS")
            .ok()
            .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
            .filter(|v: &Vec<usize>| v.len() == 2)
            .unwrap_or_else(|| vec![1_000, 10_000]);
        for guilds in sizes {
            let f = scenarios::storm(ponder, work, guilds).await;
            println!(
                "storm: {:>6} small guilds, a configured channel in each: RSS {:.1} MiB (heap and stacks {:.1}, code {:.1}; peak {:.1} MiB), every channel checked {:.1} s after start, {:.1} MiB of GUILD_CREATE JSON",
                f.guilds,
                mib(f.rss_kib),
                mib(f.anon_kib),
                mib(f.file_kib),
                mib(f.peak_kib),
                f.handled.as_secs_f64(),
                f.guild_create_bytes as f64 / 1048576.0
            );
            let p = match &python {
                Ok(py) => peer::guilds(
                    py,
                    work,
                    &format!("peer-storm-{guilds}"),
                    scenarios::storm_emulator(guilds),
                )
                .await
                .inspect_err(peer_note)
                .ok(),
                Err(_) => None,
            };
            println!(
                "storm: {:>6} small guilds: RSS {}; RssAnon {}",
                f.guilds,
                versus(f.rss_kib, p.as_ref().map(|p| p.rss_kib)),
                versus(f.anon_kib, p.as_ref().map(|p| p.anon_kib)),
            );
            if let Some(p) = &p {
                println!(
                    "  peer: every channel checked ({} of {}) and ready {:.1} s after start (discord.py waits 2 s after the last GUILD_CREATE); Ponder {:.1} s; peer peak {:.1} MiB",
                    p.checked,
                    p.guilds,
                    p.ready.as_secs_f64(),
                    f.handled.as_secs_f64(),
                    mib(p.peak_kib)
                );
            }
            figures.push((f, p));
        }
        let ((k1, p1), (k10, p10)) = (&figures[0], &figures[1]);
        let ratio = k10.rss_kib as f64 / k1.rss_kib.max(1) as f64;
        line(
            &mut out,
            &format!(
                "GUILD_CREATE storm: RSS {}k / {}k small guilds",
                k10.guilds / 1000,
                k1.guilds / 1000
            ),
            format!(
                "{:.2} ({:.1} / {:.1} MiB)",
                ratio,
                mib(k10.rss_kib),
                mib(k1.rss_kib)
            ),
            "<= 2",
            ratio <= 2.0,
        );
        if let (Some(p1), Some(p10)) = (p1, p10) {
            peer_line(
                &mut out,
                &format!(
                    "  peer: RSS {}k / {}k small guilds",
                    p10.guilds / 1000,
                    p1.guilds / 1000
                ),
                format!(
                    "{:.2} ({:.1} / {:.1} MiB)",
                    p10.rss_kib as f64 / p1.rss_kib.max(1) as f64,
                    mib(p10.rss_kib),
                    mib(p1.rss_kib)
                ),
                format!(
                    "{:.2} / {:.2}",
                    k10.rss_kib as f64 / p10.rss_kib.max(1) as f64,
                    k1.rss_kib as f64 / p1.rss_kib.max(1) as f64
                ),
            );
        }
    }

    if wanted("burst") {
        let f = scenarios::burst(ponder, work, 1_000, Duration::from_secs(20), None).await;
        let once = f.prompts_per_channel.iter().all(|n| *n == 1)
            && f.threads_per_channel.iter().all(|n| *n == 1)
            && f.open_posts == f.channels;
        println!(
            "burst: {} slots due in one second: all posted with threads in {:.1} s; the limits allow {:.0} s at best ({} requests at 50/s); {} global and {} per-channel 429s; every slot posted exactly once: {}",
            f.channels,
            f.elapsed.as_secs_f64(),
            f.minimum.as_secs_f64(),
            f.requests,
            f.global_429s,
            f.route_429s,
            once
        );
        line(
            &mut out,
            "burst, 1,000 slots: time / minimum allowed",
            format!("{:.2}", f.ratio()),
            "<= 1.1",
            f.ratio() <= 1.1 && once,
        );
        if let Ok(py) = &python {
            match peer::burst(
                py,
                work,
                scenarios::burst_emulator(1_000),
                Duration::from_secs(20),
            )
            .await
            {
                Ok((p, posted, _)) => {
                    println!(
                        "  peer: all posted with threads in {:.1} s (Ponder {:.1} s, ratio {:.2}); {} global and {} per-channel 429s; every slot posted exactly once: {} ({} recorded in its database)",
                        p.elapsed.as_secs_f64(),
                        f.elapsed.as_secs_f64(),
                        f.elapsed.as_secs_f64() / p.elapsed.as_secs_f64().max(1e-9),
                        p.global_429s,
                        p.route_429s,
                        p.exactly_once() && posted == f.channels,
                        posted
                    );
                    peer_line(
                        &mut out,
                        "  peer: burst, time / minimum allowed",
                        format!("{:.2}", p.ratio()),
                        format!("{:.2}", f.ratio() / p.ratio().max(1e-9)),
                    );
                }
                Err(e) => peer_note(&e),
            }
        }
    }

    if wanted("postgres") || wanted("scaleout") {
        postgres_figures(ponder, work, &mut out).await;
    }

    if wanted("ingest") {
        let seconds = std::env::var("PONDER_BENCH_INGEST_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(120);
        let rate = std::env::var("PONDER_BENCH_INGEST_RATE")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(30_000);
        let f = scenarios::ingest(ponder, work, rate, seconds).await;
        let (first, last) = (
            f.rss_kib.first().copied().unwrap_or_default(),
            f.rss_kib.last().copied().unwrap_or_default(),
        );
        let max = f.rss_kib.iter().copied().max().unwrap_or_default();
        println!(
            "ingest: {} replies offered at {}/s for {} s: {} committed in {:.1} s = {:.0}/s; committed per second: {:?}; RSS first {:.1} MiB, last {:.1} MiB, max {:.1} MiB",
            f.replies,
            f.offered_per_sec,
            f.seconds,
            f.stored,
            f.elapsed.as_secs_f64(),
            f.rate(),
            f.per_second,
            mib(first),
            mib(last),
            mib(max)
        );
        line(
            &mut out,
            &format!("reply ingest, committed, {seconds} s"),
            format!("{:.0}/s", f.rate()),
            ">= 30,000/s",
            f.rate() >= 30_000.0,
        );
        let growth = mib(max.saturating_sub(first));
        line(
            &mut out,
            "reply ingest, RSS growth over the run",
            format!("{growth:.1} MiB"),
            "<= 16 MiB",
            growth <= 16.0,
        );
        // The peer parses each reply into discord.py's Message on one Python
        // thread; a 60 s flood it cannot keep up with would only grow its backlog.
        let peer_seconds = std::env::var("PONDER_BENCH_PEER_INGEST_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(10);
        if let Ok(py) = &python {
            match peer::ingest(py, work, rate, peer_seconds).await {
                Ok(p) => {
                    println!(
                        "  peer: {} replies offered at {}/s for {} s: {} committed in {:.1} s = {:.0}/s (Ponder {:.0}/s, ratio {:.2}); committed per second: {:?}; RSS first {:.1} MiB, last {:.1} MiB, max {:.1} MiB{}",
                        p.sent,
                        p.offered_per_sec,
                        peer_seconds,
                        p.stored,
                        p.elapsed.as_secs_f64(),
                        p.rate(),
                        f.rate(),
                        f.rate() / p.rate().max(1e-9),
                        p.per_second,
                        mib(p.rss_kib.first().copied().unwrap_or_default()),
                        mib(p.rss_kib.last().copied().unwrap_or_default()),
                        mib(p.rss_kib.iter().copied().max().unwrap_or_default()),
                        p.fell_behind
                            .as_ref()
                            .map(|why| format!("; it did not keep up: {why}"))
                            .unwrap_or_default()
                    );
                    peer_line(
                        &mut out,
                        &format!("  peer: reply ingest, {peer_seconds} s at 20,000/s"),
                        format!("{:.0}/s", p.rate()),
                        format!("{:.2}", f.rate() / p.rate().max(1e-9)),
                    );
                }
                Err(e) => peer_note(&e),
            }
        }
    }

    if wanted("matrix") {
        matrix_figures(ponder, &mut out).await;
    }

    println!("\n{}", scenarios::description());
    println!(
        "load:    {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    println!(
        "\nfigure                                                     measured   target  (peer rows: the peer's figure, then Ponder ÷ peer)"
    );
    print!("{out}");
}

/// A Matrix row: no target of its own, it stands beside Discord's `part`.
fn beside(out: &mut String, name: &str, measured: String, part: &str) {
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "{name:<44} {measured:>22}   target: beside Discord's `{part}`"
    );
}

/// A list of sizes from the environment (`1,100,500`), else `default`.
fn sizes(var: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(var)
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| default.to_vec())
}

/// The Matrix figures (benches/e2e/matrix.rs): idle RSS in 1, 100 and 500
/// rooms, a slot's due second to its prompt on the server, and replies
/// stored per second, each on the real Synapse the Matrix tests use. Each
/// part runs as a user set of its own (a fresh bot account), so no run
/// sees another's rooms.
#[cfg(feature = "matrix")]
async fn matrix_figures(ponder: &Path, out: &mut String) {
    let hs = match std::panic::catch_unwind(homeserver::homeserver) {
        Ok(hs) => hs,
        Err(_) => {
            println!(
                "matrix: not run: no Synapse (python3 and PyPI, or a venv with matrix-synapse in PONDER_SYNAPSE_VENV)"
            );
            return;
        }
    };
    println!(
        "matrix: Synapse ({}) on {}; peer: not run: discord.py is a Discord bot, it has no Matrix side",
        homeserver::SYNAPSE,
        hs.url
    );
    let bin = Some(ponder);
    // `PONDER_BENCH_MATRIX_ROOMS=1,20` measures other sizes (at most 20 of them).
    for (i, rooms) in sizes("PONDER_BENCH_MATRIX_ROOMS", &[1, 100, 500])
        .into_iter()
        .take(20)
        .enumerate()
    {
        let f = matrix::idle(bin, &hs.cast(1 + i), rooms).await;
        println!(
            "matrix: {:>4} joined room{} with a schedule each: RSS {:.1} MiB (heap and stacks {:.1}, code {:.1}; peak {:.1} MiB), every room joined and set up {:.1} s after start",
            f.rooms,
            if f.rooms == 1 { "" } else { "s" },
            mib(f.rss_kib),
            mib(f.anon_kib),
            mib(f.file_kib),
            mib(f.peak_kib),
            f.ready.as_secs_f64()
        );
        let rooms = match rooms {
            1 => "1 joined room".to_string(),
            n => format!("{n} joined rooms"),
        };
        say_complaints(&f.complaints);
        beside(
            out,
            &format!("Matrix idle RSS, {rooms}"),
            format!("{:.1} MiB", mib(f.rss_kib)),
            "memory",
        );
        beside(
            out,
            &format!("Matrix idle RssAnon, {rooms}"),
            format!("{:.1} MiB", mib(f.anon_kib)),
            "memory",
        );
    }

    // `PONDER_BENCH_MATRIX_SLOTS=ROOMS,SLOTS` (10,10 by default): 100 slots.
    let shape = sizes("PONDER_BENCH_MATRIX_SLOTS", &[10, 10]);
    let (rooms, slots) = (shape[0], shape.get(1).copied().unwrap_or(10));
    let every = 5;
    let f = matrix::slots(bin, &hs.cast(25), rooms, slots, every).await;
    let (median, worst) = f.median_worst();
    println!(
        "matrix: {} rooms set up `every {}s`, {} slots each (all rooms due in the same second): due second to the prompt's event on the server (origin_server_ts): median {} ms, worst {} ms; every slot posted exactly once: {}",
        f.rooms,
        f.every_secs,
        f.slots,
        median,
        worst,
        f.events.iter().all(|n| *n == 1)
    );
    say_complaints(&f.complaints);
    beside(
        out,
        &format!("Matrix due -> event, median of {}", f.late_ms.len()),
        format!("{median} ms"),
        "burst",
    );
    beside(
        out,
        &format!("Matrix due -> event, worst of {}", f.late_ms.len()),
        format!("{worst} ms"),
        "burst",
    );

    // `PONDER_BENCH_MATRIX_REPLIES=N`: replies per sender (250 by default:
    // Synapse on SQLite takes a few dozen a second on two cores).
    let per_sender = sizes("PONDER_BENCH_MATRIX_REPLIES", &[250])[0];
    let cast = hs.cast(26);
    let senders = [
        cast.alice.clone(),
        cast.bob.clone(),
        cast.mallory.clone(),
        hs.cast(27).bob,
    ];
    let f = matrix::replies(bin, &cast, &senders, per_sender).await;
    println!(
        "matrix: {} thread replies from {} senders at once, each as fast as Synapse answers: Synapse accepted {:.0}/s ({:.1} s); {} stored in {:.1} s = {:.0}/s; the last stored {} ms after the last send was accepted",
        f.sent,
        f.senders,
        f.offered_per_sec(),
        f.sending.as_secs_f64(),
        f.stored,
        f.storing.as_secs_f64(),
        f.stored_per_sec(),
        f.lag_ms()
    );
    say_complaints(&f.complaints);
    beside(
        out,
        "Matrix replies offered (Synapse accepted)",
        format!("{:.0}/s", f.offered_per_sec()),
        "ingest",
    );
    beside(
        out,
        "Matrix replies stored",
        format!("{:.0}/s", f.stored_per_sec()),
        "ingest",
    );
    beside(
        out,
        "Matrix last send -> last stored",
        format!("{} ms", f.lag_ms()),
        "ingest",
    );
    out.push_str("  peer: not run on Matrix: discord.py is a Discord bot (the Matrix rows stand beside Ponder's own Discord rows)\n");
}

#[cfg(not(feature = "matrix"))]
async fn matrix_figures(_: &Path, _: &mut String) {
    println!("matrix: not run: this bench was built without the `matrix` feature");
}

/// A row for the peer under Ponder's: its figure and the ratio Ponder ÷ peer.
fn peer_line(out: &mut String, name: &str, measured: String, ratio: String) {
    use std::fmt::Write as _;
    let _ = writeln!(out, "{name:<44} {measured:>22}   ratio {ratio}");
}

/// The PostgreSQL server the scale-out figures use: `PONDER_BENCH_POSTGRES`,
/// else the tests' `PONDER_TEST_POSTGRES` (a user who may create databases).
fn postgres_server() -> Option<String> {
    ["PONDER_BENCH_POSTGRES", "PONDER_TEST_POSTGRES"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
}

/// An empty database on the server, made for one run.
fn fresh(server: &str) -> String {
    match scenarios::postgres::fresh_database(server) {
        ::ponder::db::Store::Postgres(url) => url,
        other => unreachable!("{other:?}"),
    }
}

/// Scale-out: the same slots on SQLite (one process) and PostgreSQL (one
/// process, then three processes splitting six shards), with no rate limits
/// so the figure is Ponder's and its database's; then the burst of 1,000
/// slots under Discord's limits on PostgreSQL, beside SQLite's.
async fn postgres_figures(ponder: &Path, work: &Path, out: &mut String) {
    let Some(server) = postgres_server() else {
        println!(
            "scale-out: not run: no PostgreSQL server (set PONDER_BENCH_POSTGRES=postgres://user@127.0.0.1:PORT/postgres)"
        );
        return;
    };
    let channels = std::env::var("PONDER_BENCH_FIRES_CHANNELS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000);
    let lead = Duration::from_secs(45);
    let sqlite = scenarios::fires(ponder, work, channels, lead, None, 1).await;
    let url = fresh(&server);
    let pg_one = scenarios::fires(ponder, work, channels, lead, Some(&url), 1).await;
    let url = fresh(&server);
    let pg_three = scenarios::fires(ponder, work, channels, lead, Some(&url), 3).await;
    let base = sqlite.per_second();
    for f in [&sqlite, &pg_one, &pg_three] {
        println!(
            "fires: {} slots due in one second, no rate limits, {} with {} process{}: all posted with threads in {:.2} s = {:.0} fires/s; every slot posted exactly once: {}; every process connected before the due second: {}",
            f.channels,
            f.backend,
            f.processes,
            if f.processes == 1 { "" } else { "es" },
            f.elapsed.as_secs_f64(),
            f.per_second(),
            f.exactly_once(),
            f.ready_before_due
        );
        say_complaints(&f.complaints);
        line(
            out,
            &format!(
                "fires/s, {} on {}, {} process{}",
                f.channels,
                f.backend,
                f.processes,
                if f.processes == 1 { "" } else { "es" }
            ),
            format!(
                "{:.0} ({:.2} x SQLite)",
                f.per_second(),
                f.per_second() / base
            ),
            "once each",
            // a process not ready by the due second makes the figure a catch-up's
            f.exactly_once() && f.ready_before_due,
        );
    }
    let url = fresh(&server);
    let f = scenarios::burst(ponder, work, 1_000, Duration::from_secs(20), Some(&url)).await;
    let once = f.prompts_per_channel.iter().all(|n| *n == 1)
        && f.threads_per_channel.iter().all(|n| *n == 1)
        && f.open_posts == f.channels;
    println!(
        "burst on PostgreSQL: {} slots due in one second: all posted with threads in {:.1} s; the limits allow {:.0} s at best; {} global and {} per-channel 429s; every slot posted exactly once: {}",
        f.channels,
        f.elapsed.as_secs_f64(),
        f.minimum.as_secs_f64(),
        f.global_429s,
        f.route_429s,
        once
    );
    say_complaints(&f.complaints);
    line(
        out,
        "burst on PostgreSQL, 1,000 slots: time / minimum",
        format!("{:.2}", f.ratio()),
        "<= 1.1",
        f.ratio() <= 1.1 && once,
    );
}

/// Ponder's WARN and ERROR lines during a part, if any (the first three).
fn say_complaints(lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    println!("  Ponder logged {} WARN/ERROR lines:", lines.len());
    for l in lines.iter().take(3) {
        println!("    {}", l.chars().take(300).collect::<String>());
    }
}
