//! The end-to-end figures: the release `ponder` binary against the Discord
//! emulator on 127.0.0.1. `cargo bench` runs them all after the Criterion
//! scheduler benchmark; `cargo bench --bench e2e -- memory storm` runs some.
//! See BENCHMARKS.md for what each figure means.

mod scenarios;

use std::path::Path;
use std::time::Duration;

use scenarios::line;

/// The release binary cargo built for this bench; `PONDER_BENCH_BIN` measures another.
fn ponder_bin() -> String {
    std::env::var("PONDER_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_ponder").to_string())
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
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
    println!("binary:  {bin}\n");
    let work = tempfile::tempdir().unwrap();
    let work = work.path();
    let mut out = String::new();

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
        line(
            &mut out,
            "start-up, 10k prompts + 100k schedules",
            format!("{:.3} s", f.ready.as_secs_f64()),
            "<= 1 s",
            f.ready <= Duration::from_secs(1),
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
            figures.push(f);
        }
        let at = |g: usize| figures.iter().find(|f| f.guilds == g).unwrap();
        let (k1, k10) = (at(1_000), at(10_000));
        let per_guild = (k10.rss_kib as f64 - k1.rss_kib as f64) * 1024.0 / 9_000.0;
        line(
            &mut out,
            "RSS after READY, 1,000 mid-size guilds",
            format!("{:.1} MiB", mib(k1.rss_kib)),
            "<= 15 MB",
            k1.rss_kib as f64 * 1024.0 <= 15e6,
        );
        line(
            &mut out,
            "RSS per additional guild (1k -> 10k)",
            format!("{:.0} B", per_guild),
            "<= 2 KB",
            per_guild <= 2_000.0,
        );
    }

    if wanted("storm") {
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
            figures.push(f);
        }
        let (k1, k10) = (&figures[0], &figures[1]);
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
    }

    if wanted("burst") {
        let f = scenarios::burst(ponder, work, 1_000, Duration::from_secs(20)).await;
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
    }

    if wanted("ingest") {
        let seconds = std::env::var("PONDER_BENCH_INGEST_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(60);
        let f = scenarios::ingest(ponder, work, 20_000, seconds).await;
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
            ">= 20,000/s",
            f.rate() >= 20_000.0,
        );
    }

    println!("\n{}", scenarios::description());
    println!("\nfigure                                                     measured   target");
    print!("{out}");
}
