//! The end-to-end benchmarks (benches/e2e) at tiny sizes, so they cannot rot:
//! the real `ponder` binary against the Discord emulator on loopback. They
//! assert what happened (every slot posted once, every reply stored), never
//! how long it took.

#[path = "../../benches/e2e/scenarios.rs"]
mod scenarios;

use std::path::Path;
use std::time::Duration;

fn ponder() -> &'static Path {
    Path::new(super::PONDER)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_memory_benchmark_sees_every_mid_size_guild_handled_and_reads_the_rss() {
    let work = tempfile::tempdir().unwrap();
    let f = scenarios::memory(ponder(), work.path(), 3).await;
    assert_eq!(f.guilds, 3);
    assert!(f.rss_kib > 1_000 && f.peak_kib >= f.rss_kib, "{f:?}");
    assert!(
        f.guild_create_bytes > 3 * 20_000,
        "mid-size payloads: {f:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_storm_benchmark_sees_every_small_guilds_channel_checked_and_reads_the_rss() {
    let work = tempfile::tempdir().unwrap();
    let f = scenarios::storm(ponder(), work.path(), 5).await;
    assert_eq!((f.guilds, f.checked), (5, 5), "{f:?}");
    assert!(f.rss_kib > 1_000 && f.peak_kib >= f.rss_kib, "{f:?}");
    assert!(f.guild_create_bytes > 5 * 500, "{f:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tiny_burst_under_discord_rate_limits_posts_every_slot_exactly_once_with_its_thread() {
    let work = tempfile::tempdir().unwrap();
    let f = scenarios::burst(ponder(), work.path(), 30, Duration::from_secs(6), None).await;
    assert_eq!(f.prompts_per_channel, vec![1; 30], "one prompt per channel");
    assert_eq!(f.threads_per_channel, vec![1; 30], "one thread per prompt");
    assert_eq!(
        (f.posts, f.open_posts),
        (30, 30),
        "every post recorded and open"
    );
    // The channels' facts kept from GUILD_CREATE (as compact text) are what
    // the posts used: no channel was asked for again.
    assert_eq!(
        f.channel_lookups, 0,
        "GET /channels/{{id}} of a configured channel"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tiny_reply_flood_is_stored_in_full_and_queryable_by_export() {
    let work = tempfile::tempdir().unwrap();
    let f = scenarios::ingest(ponder(), work.path(), 500, 2).await;
    assert_eq!(f.stored, 1_000, "{f:?}");
    let dir = work.path().join("ingest-500-2/data/ponder.db");
    let posts = scenarios::export(ponder(), &dir, None);
    let replies: usize = posts
        .iter()
        .map(|p| p["replies"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(replies, 1_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_with_many_prompts_and_schedules_reaches_ready_without_errors() {
    let work = tempfile::tempdir().unwrap();
    let f = scenarios::startup(ponder(), work.path(), 250, 500).await;
    assert_eq!((f.prompts, f.schedules), (250, 500));
    assert!(f.ready > Duration::ZERO);
}

/// The peer's python, installed on first use. Under `CI=true` a failed install
/// fails the test; elsewhere (no network) the peer's tests say so and pass.
fn peer_python() -> Option<std::path::PathBuf> {
    match scenarios::peer::install() {
        Ok(python) => Some(python),
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("the discord.py peer could not be installed under CI=true: {e}")
        }
        Err(e) => {
            eprintln!("the discord.py peer is not installed, its bench tests did not run: {e}");
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_discord_py_peer_takes_zlib_stream_from_the_emulator_checks_every_small_guilds_channel_and_reads_its_rss()
 {
    let Some(python) = peer_python() else { return };
    let work = tempfile::tempdir().unwrap();
    let f = scenarios::peer::guilds(
        &python,
        work.path(),
        "peer-storm",
        scenarios::storm_emulator(5),
    )
    .await
    .unwrap();
    assert_eq!((f.guilds, f.checked), (5, 5), "{f:?}");
    assert_eq!(
        f.zlib_stream_connections, 1,
        "discord.py asked for zlib-stream: {f:?}"
    );
    assert_eq!(f.complaints, 0, "{f:?}");
    assert!(f.rss_kib > 1_000 && f.peak_kib >= f.rss_kib, "{f:?}");
    assert!(f.anon_kib > 0 && f.anon_kib <= f.rss_kib, "{f:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tiny_burst_against_the_discord_py_peer_posts_every_slot_exactly_once_with_its_thread() {
    let Some(python) = peer_python() else { return };
    let work = tempfile::tempdir().unwrap();
    let (f, posted, complaints) = scenarios::peer::burst(
        &python,
        work.path(),
        scenarios::burst_emulator(30),
        Duration::from_secs(8),
    )
    .await
    .unwrap();
    assert_eq!(f.prompts_per_channel, vec![1; 30], "one prompt per channel");
    assert_eq!(f.threads_per_channel, vec![1; 30], "one thread per prompt");
    assert_eq!(posted, 30, "every post recorded in the peer's database");
    assert_eq!(complaints, 0, "no traceback, no failed slot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tiny_reply_flood_is_stored_in_full_by_the_discord_py_peer() {
    let Some(python) = peer_python() else { return };
    let work = tempfile::tempdir().unwrap();
    let f = scenarios::peer::ingest(&python, work.path(), 500, 2)
        .await
        .unwrap();
    assert_eq!((f.sent, f.stored), (1_000, 1_000), "{f:?}");
    assert!(f.fell_behind.is_none(), "{f:?}");
}

/// The scale-out figure at a tiny size: the same slots on a SQLite file (one
/// process, six shards) are each posted once with a thread and recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tiny_fires_run_on_sqlite_posts_every_slot_once_and_records_it() {
    let work = tempfile::tempdir().unwrap();
    let f = scenarios::fires(ponder(), work.path(), 12, Duration::from_secs(40), None, 1).await;
    assert_eq!(f.prompts_per_channel, vec![1; 12], "{f:?}");
    assert_eq!(f.threads_per_channel, vec![1; 12], "{f:?}");
    assert_eq!(f.posts, 12, "every post recorded: {f:?}");
    assert!(
        f.complaints.is_empty(),
        "a healthy run: {:#?}",
        f.complaints
    );
}

/// Three processes splitting six shards on one PostgreSQL database, as the
/// scale-out figure runs them: every slot posted once in all, recorded once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tiny_fires_run_across_three_processes_on_postgres_posts_every_slot_once() {
    let Some(server) = scenarios::postgres::server() else {
        return;
    };
    let ponder::db::Store::Postgres(url) = scenarios::postgres::fresh_database(&server) else {
        unreachable!()
    };
    let work = tempfile::tempdir().unwrap();
    let f = scenarios::fires(
        ponder(),
        work.path(),
        12,
        Duration::from_secs(30),
        Some(&url),
        3,
    )
    .await;
    assert_eq!(f.prompts_per_channel, vec![1; 12], "{f:?}");
    assert_eq!(f.threads_per_channel, vec![1; 12], "{f:?}");
    assert_eq!(f.posts, 12, "every post recorded once: {f:?}");
    assert!(
        f.complaints.is_empty(),
        "a healthy run: {:#?}",
        f.complaints
    );
}

/// The burst under Discord's limits on PostgreSQL, tiny: each slot once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tiny_burst_on_postgres_posts_every_slot_exactly_once_with_its_thread() {
    let Some(server) = scenarios::postgres::server() else {
        return;
    };
    let ponder::db::Store::Postgres(url) = scenarios::postgres::fresh_database(&server) else {
        unreachable!()
    };
    let work = tempfile::tempdir().unwrap();
    let f = scenarios::burst(
        ponder(),
        work.path(),
        30,
        Duration::from_secs(8),
        Some(&url),
    )
    .await;
    assert_eq!(f.prompts_per_channel, vec![1; 30], "one prompt per channel");
    assert_eq!(f.threads_per_channel, vec![1; 30], "one thread per prompt");
    assert_eq!((f.posts, f.open_posts), (30, 30), "recorded and open");
    assert!(
        f.complaints.is_empty(),
        "a healthy run: {:#?}",
        f.complaints
    );
}
