//! A GUILD_CREATE storm: thousands of small servers, a configured channel in
//! each, arriving at start-up. Every server's permission check is done and
//! recorded, and the checks in flight never exceed Ponder's bound (the
//! gateway waits instead). Behaviour only, never a time.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use discord_emulator::{Emulator, EmulatorConfig, GuildShape};
use ponder::db::Db;

use crate::harness::free_port;
use crate::ponder::Ponder;

const MANAGE_THREADS: u64 = 1 << 34;
const GUILDS: usize = 2_000;

/// `GET /metrics`: the value of each unlabelled series.
fn metric(port: u16, name: &str) -> Option<f64> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(s, "GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).ok()?;
    answer
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_storm_of_small_guilds_is_checked_in_full_with_bounded_work_in_flight() {
    let emu = Emulator::start(EmulatorConfig {
        guilds: GUILDS,
        guild_shape: GuildShape::Minimal,
        replay_buffer: 16,
        log_limit: GUILDS + 1_000,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let guilds = emu.guilds();
    // Every other server takes Manage Threads from Ponder in its channel.
    let lacking: Vec<bool> = (0..guilds.len()).map(|i| i % 2 == 0).collect();
    let port = free_port();
    let mut config = format!(
        "[http]\nlisten = \"127.0.0.1:{port}\"\n[discord]\napi_base = \"{}\"\n",
        emu.base_url()
    );
    for (g, lacks) in guilds.iter().zip(&lacking) {
        if *lacks {
            emu.deny_permission(g.text_channel, MANAGE_THREADS);
        }
        config.push_str(&format!(
            "[[channel]]\nplatform = \"discord\"\nid = \"{}\"\nschedules = [\"0 0 1 1 *\"]\n",
            g.text_channel
        ));
    }
    let token = emu.token();
    let mut bot = Ponder::new(
        "storm",
        &config,
        &[
            ("DISCORD_TOKEN", token.as_str()),
            ("RUST_LOG", "warn,ponder=info"),
        ],
    );
    bot.start();

    // Every channel's check recorded, read from the bot's database as it runs.
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut db = None;
    let rows = loop {
        assert!(
            Instant::now() < deadline,
            "not every server's channel was checked\n{}",
            bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
        if db.is_none() && emu.dispatch_count("GUILD_CREATE") > 0 {
            db = Db::open_store_read_only(&bot.store()).await.ok();
        }
        let Some(db) = &db else { continue };
        let Ok(rows) = db.channels().await else {
            continue;
        };
        if rows.iter().filter(|c| c.checked_at.is_some()).count() >= GUILDS {
            break rows;
        }
    };
    for (g, lacks) in guilds.iter().zip(&lacking) {
        let id = g.text_channel.to_string();
        let row = rows.iter().find(|r| r.external_id == id).unwrap();
        let want = lacks.then(|| "Manage Threads".to_string());
        assert_eq!(row.missing_permissions, want, "channel {id}");
    }
    let reported = bot
        .logs()
        .lines()
        .filter(|l| {
            l.contains("Ponder lacks permissions in a channel") && l.contains("Manage Threads")
        })
        .count();
    assert_eq!(reported, GUILDS / 2, "one warning per server lacking it");

    let peak = metric(port, "ponder_guild_checks_pending_peak").expect("the peak gauge");
    let limit = metric(port, "ponder_guild_checks_limit").expect("the limit gauge");
    let total = metric(port, "ponder_guild_checks_total").expect("the counter");
    assert!(peak >= 1.0 && limit >= 1.0, "peak {peak}, limit {limit}");
    assert!(
        peak <= limit,
        "{peak} guild checks in flight, over the bound {limit}"
    );
    assert_eq!(total as usize, GUILDS, "each server checked once");
    if let Some(db) = db {
        db.close().await;
    }
    bot.stop();
}
