//! Sharding in one process: `[discord] shards = "auto"` (the default)
//! connects every shard the server's `GET /gateway/bot` recommends, and
//! every guild is served on its own shard: its slash commands, its prompts,
//! and its members' replies (each shard has its own message collector).
//! A fixed count too small for the guilds is refused by Discord with 4011,
//! and Ponder says so by name.

use std::time::Duration;

use discord_emulator::EmulatorConfig;
use serde_json::json;

use crate::harness::{WAIT, World, free_port};
use crate::ponder::Ponder;
use crate::slots::once_from;

/// Six guilds, two per shard, at most two per connection: three shards.
fn three_shards() -> EmulatorConfig {
    EmulatorConfig {
        guilds: 6,
        guilds_per_shard: 2,
        max_guilds_per_shard: 2,
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_connects_every_recommended_shard_and_each_guild_is_served_on_its_own() {
    let port = free_port();
    let top = format!("thread_open = \"24h\"\n[http]\nlisten = \"127.0.0.1:{port}\"\n");
    let w = World::start_env("shards-auto", three_shards(), &top, &[]).await;
    // serenity starts shards one after another, five seconds apart
    let all = w
        .emu
        .wait_until(Duration::from_secs(60), |e| {
            (e.connected_sessions() == 3).then_some(())
        })
        .await;
    assert!(all.is_ok(), "not every shard connected\n{}", w.bot.tail());
    let guilds = w.emu.guilds();
    let mut threads = Vec::new();
    for g in &guilds {
        let answer = w
            .slash(g.admin, g.text_channel, "ponder now", json!({}))
            .await;
        assert!(answer.text.starts_with("Posted "), "{}", answer.text);
        let prompt = w.wait_prompts(g.text_channel, 1).await.remove(0);
        assert_eq!(w.prompts(g.text_channel).len(), 1, "posted once");
        let thread = prompt.id;
        w.emu
            .wait_until(WAIT, |e| e.channel(thread).map(|_| ()))
            .await
            .expect("a thread on the prompt");
        w.emu
            .send_message(thread, g.member, &format!("from guild {}", g.id))
            .unwrap();
        threads.push((thread, g.member, g.id));
    }
    for (thread, member, guild) in &threads {
        w.bot
            .wait_replies(
                &thread.to_string(),
                &[(&member.to_string(), &format!("from guild {guild}"))],
            )
            .await;
    }
    let g = &guilds[5];
    let status = w
        .slash(g.admin, g.text_channel, "ponder status", json!({}))
        .await
        .text;
    assert!(
        status.contains("Shards: 3 of 3 connected; #0 up, 2 servers, "),
        "{status}"
    );
    assert!(status.contains("; #2 up, 2 servers, "), "{status}");
    assert!(
        w.bot.logs().contains("shards=3"),
        "READY logged with its shard count"
    );
    let (code, body) = get(port, "/healthz").await;
    assert_eq!((code, body.as_str()), (200, r#"{"status":"ok"}"#));
    let (_, metrics) = get(port, "/metrics").await;
    for shard in 0..3 {
        let up = format!("ponder_shard_connected{{platform=\"discord\",shard=\"{shard}\"}} 1");
        let held = format!("ponder_shard_guilds{{platform=\"discord\",shard=\"{shard}\"}} 2");
        assert!(
            metrics.contains(&up) && metrics.contains(&held),
            "{metrics}"
        );
    }

    // every connection dropped: each shard resumes on its own, and says so
    w.emu.close_gateway(4000);
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let status = w
            .slash(g.admin, g.text_channel, "ponder status", json!({}))
            .await
            .text;
        if status.matches("resumed 1×").count() == 3 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{status}\n{}",
            w.bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let (code, _) = get(port, "/healthz").await;
    assert_eq!(code, 200);
}

/// A GET over a real socket: the status and the body.
async fn get(port: u16, path: &'static str) -> (u16, String) {
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\n\r\n").unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        let status = answer.split_whitespace().nth(1).unwrap().parse().unwrap();
        (status, answer.split_once("\r\n\r\n").unwrap().1.to_string())
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_connection_for_more_guilds_than_it_may_hold_is_refused_and_said_with_4011() {
    let emu = discord_emulator::Emulator::start(three_shards())
        .await
        .unwrap();
    let port = free_port();
    let toml = format!(
        "[http]\nlisten = \"127.0.0.1:{port}\"\n[discord]\napi_base = \"{}\"\nshards = 1\n",
        emu.base_url()
    );
    let token = emu.token();
    let mut bot = Ponder::new(
        "discord-shards-one",
        &toml,
        &[("DISCORD_TOKEN", token.as_str())],
    );
    bot.start();
    // Discord (the emulator) refuses the one connection, with 4011
    let refused = emu
        .wait_until(WAIT, |e| e.refused_with().contains(&4011).then_some(()))
        .await;
    assert!(refused.is_ok(), "never refused with 4011\n{}", bot.tail());
    assert_eq!(emu.identify_count(), 0);
    assert_eq!(
        emu.connected_sessions(),
        0,
        "no connection holds six guilds"
    );
    // Ponder said why at start, naming 4011 and the count to set
    let logs = bot.logs();
    assert!(
        logs.contains("close code 4011")
            && logs.contains("recommended=3")
            && logs.contains("shards = \"auto\""),
        "{}",
        bot.tail()
    );
    // and /healthz says the shard is down
    let (code, body) = get(port, "/healthz").await;
    assert_eq!(code, 503, "{body}");
    assert!(
        body.contains("discord shard 0 of 1 is not connected"),
        "{body}"
    );
    bot.stop();
}

const SHARD_GUILDS: usize = 6_000;
/// Every 23rd guild has a configured channel: 23 and 6 share no factor, so
/// the channels fall on every shard (a guild's shard is its creation time).
const CONFIGURED_EVERY: usize = 23;

/// Discord's own sizes: 6,000 small guilds, a shard recommended per 1,000,
/// at most 2,500 on one connection. `shards = "auto"` (the default) connects
/// all six, each holds its 1,000 servers, every configured channel posts its
/// one slot exactly once, and a reply in each thread is stored, whichever
/// shard its guild is on.
#[tokio::test(flavor = "multi_thread")]
async fn six_thousand_guilds_on_auto_shards_post_every_configured_slot_once() {
    let emu = discord_emulator::Emulator::start(EmulatorConfig {
        guilds: SHARD_GUILDS,
        replay_buffer: 64,
        log_limit: 4 * SHARD_GUILDS,
        ..Default::default()
    })
    .await
    .unwrap();
    let guilds = emu.guilds();
    let configured: Vec<_> = guilds.iter().step_by(CONFIGURED_EVERY).collect();
    let shard_of = |g: u64| (g >> 22) % 6;
    for shard in 0..6 {
        assert!(
            configured.iter().any(|g| shard_of(g.id) == shard),
            "a configured channel on shard {shard}"
        );
    }
    let (_, schedule) = once_from(chrono::Utc::now().timestamp() + 40);
    let port = free_port();
    let mut toml = format!(
        "thread_open = \"24h\"\nmin_schedule_interval = \"1s\"\n\
         [http]\nlisten = \"127.0.0.1:{port}\"\n[discord]\napi_base = \"{}\"\n",
        emu.base_url()
    );
    for g in &configured {
        toml.push_str(&format!(
            "[[channel]]\nplatform = \"discord\"\nid = \"{}\"\nschedules = [\"{schedule}\"]\n",
            g.text_channel
        ));
    }
    let token = emu.token();
    let mut bot = Ponder::new(
        "discord-shards-6000",
        &toml,
        &[
            ("DISCORD_TOKEN", token.as_str()),
            ("RUST_LOG", "warn,ponder=info"),
        ],
    );
    bot.start();

    // six shards, one identify every five seconds (max_concurrency 1)
    let long = Duration::from_secs(300);
    let connected = emu
        .wait_until(long, |e| (e.connected_sessions() == 6).then_some(()))
        .await;
    assert!(
        connected.is_ok(),
        "not every shard connected\n{}",
        bot.tail()
    );
    // every configured channel's slot posted, with its thread
    let posted = emu
        .wait_until(long, |e| {
            configured
                .iter()
                .all(|g| !e.threads(g.text_channel).is_empty())
                .then_some(())
        })
        .await;
    assert!(posted.is_ok(), "not every slot was posted\n{}", bot.tail());
    // a member answers in each thread; each reply arrives on its guild's shard
    let mut threads = Vec::new();
    for g in &configured {
        let thread = emu.threads(g.text_channel)[0].id;
        emu.send_message(thread, g.member, &format!("from guild {}", g.id))
            .unwrap();
        threads.push((thread, g.member, g.id));
    }
    for (thread, member, guild) in &threads {
        bot.wait_replies(
            &thread.to_string(),
            &[(&member.to_string(), &format!("from guild {guild}"))],
        )
        .await;
    }
    // a while later still exactly one prompt and one thread per channel
    tokio::time::sleep(Duration::from_secs(3)).await;
    let bot_id = emu.bot_user_id();
    for g in &configured {
        let prompts = emu
            .messages(g.text_channel)
            .iter()
            .filter(|m| m.author_id == bot_id)
            .count();
        let threads = emu.threads(g.text_channel).len();
        assert_eq!((prompts, threads), (1, 1), "channel {}", g.text_channel);
    }
    let (code, body) = get(port, "/healthz").await;
    assert_eq!((code, body.as_str()), (200, r#"{"status":"ok"}"#));
    let (_, metrics) = get(port, "/metrics").await;
    for shard in 0..6 {
        let up = format!("ponder_shard_connected{{platform=\"discord\",shard=\"{shard}\"}} 1");
        let held = format!("ponder_shard_guilds{{platform=\"discord\",shard=\"{shard}\"}} 1000");
        assert!(
            metrics.contains(&up) && metrics.contains(&held),
            "shard {shard}: {}",
            metrics
                .lines()
                .filter(|l| l.starts_with("ponder_shard"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    assert!(bot.logs().contains("shards=6"), "{}", bot.tail());
    let posts = bot.export();
    assert_eq!(
        posts.len(),
        configured.len(),
        "one post per configured slot"
    );
    bot.stop();
}
