//! Sharding across processes: two `ponder run` processes share one bot,
//! `shards = "0-0 of 2"` and `"1-1 of 2"`, each with its own SQLite file and the
//! same channels configured, against one emulator. Each posts only in the
//! servers of its own shard, so every slot goes out once in all; one stopped
//! and started again catches its channels up, and the other posts none of
//! them meanwhile.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use discord_emulator::ids::Snowflake;
use discord_emulator::{Emulator, EmulatorConfig};

use crate::harness::{WAIT, free_port};
use crate::ponder::Ponder;

/// The shard of the two a guild is on, as Discord computes it.
fn shard_of(guild: Snowflake) -> u64 {
    (guild >> 22) % 2
}

/// Each prompt's slot (Unix seconds), from its key `pd-<schedule>-<slot>`.
pub(crate) fn slots(emu: &Emulator, channel: Snowflake) -> Vec<i64> {
    let bot = emu.bot_user_id();
    emu.messages(channel)
        .into_iter()
        .filter(|m| m.author_id == bot)
        .filter_map(|m| m.nonce.and_then(|n| n.as_str().map(str::to_string)))
        .filter_map(|n| n.rsplit('-').next().and_then(|s| s.parse().ok()))
        .collect()
}

/// Fails if a channel has one slot posted twice.
pub(crate) fn assert_each_slot_once(emu: &Emulator, channels: &[Snowflake]) {
    for &c in channels {
        let all = slots(emu, c);
        let distinct: HashSet<_> = all.iter().collect();
        assert_eq!(
            distinct.len(),
            all.len(),
            "a slot posted twice in {c}: {all:?}"
        );
    }
}

/// The channels a process's archive has posts in.
fn posted_in(bot: &Ponder) -> HashSet<String> {
    bot.export()
        .iter()
        .map(|p| p["channel"].as_str().unwrap().to_string())
        .collect()
}

pub(crate) async fn wait_for(what: &str, bots: &[&Ponder], mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT * 2;
    while !done() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}\n--- first:\n{}\n--- second:\n{}",
            bots[0].tail(),
            bots[1].tail()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A GET on a process's health listener: the whole answer.
async fn get(port: u16, path: &'static str) -> String {
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\n\r\n").unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        answer
    })
    .await
    .unwrap()
}

/// What `/ponder status` answers an admin in a channel.
async fn status(emu: &Emulator, admin: Snowflake, channel: Snowflake) -> String {
    let run = emu
        .run_slash_command(admin, channel, "ponder status", serde_json::json!({}))
        .unwrap();
    let first = run.wait_response(WAIT).await.expect("an answer to status");
    if first.kind != discord_emulator::callback::DEFERRED_CHANNEL_MESSAGE {
        return first.content().unwrap_or_default().to_string();
    }
    emu.wait_until(WAIT, |_| {
        run.followups()
            .into_iter()
            .next()
            .or_else(|| run.original_message().filter(|m| !m.content.is_empty()))
    })
    .await
    .expect("status answered")
    .content
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_post_each_slot_once_and_a_restarted_one_catches_up_alone() {
    // four guilds, a millisecond apart: two on each shard of two
    let emu = Emulator::start(EmulatorConfig {
        guilds: 4,
        guilds_per_shard: 2,
        ..Default::default()
    })
    .await
    .unwrap();
    let guilds = emu.guilds();
    let on = |shard: u64| -> Vec<Snowflake> {
        guilds
            .iter()
            .filter(|g| shard_of(g.id) == shard)
            .map(|g| g.text_channel)
            .collect()
    };
    let (zero, one) = (on(0), on(1));
    assert!(!zero.is_empty() && !one.is_empty(), "guilds on both shards");
    let all: Vec<Snowflake> = guilds.iter().map(|g| g.text_channel).collect();
    let channels: String = all
        .iter()
        .map(|c| {
            format!(
                "[[channel]]\nplatform = \"discord\"\nid = \"{c}\"\nschedules = [\"every 3s\"]\n"
            )
        })
        .collect();
    let ids: Vec<String> = guilds.iter().map(|g| format!("\"{}\"", g.id)).collect();
    let token = emu.token();
    let (port0, port1) = (free_port(), free_port());
    // the same config but for the range (and the health port)
    let config = |range: &str, port: u16| {
        format!(
            "thread_open = \"24h\"\n[catch_up]\npolicy = \"latest\"\nmax_lateness = \"1h\"\n\
             [http]\nlisten = \"127.0.0.1:{port}\"\n{channels}\
             [discord]\napi_base = \"{}\"\nguilds = [{}]\nshards = \"{range}\"\n",
            emu.base_url(),
            ids.join(", ")
        )
    };
    let env = [("DISCORD_TOKEN", token.as_str())];
    let mut first = Ponder::new("ranges-first", &config("0-0 of 2", port0), &env);
    let mut second = Ponder::new("ranges-second", &config("1-1 of 2", port1), &env);
    assert_ne!(first.db(), second.db(), "a database each");
    first.start();
    second.start();

    // both connected, one shard each; every channel posts, each by its own process
    wait_for("every channel posts twice", &[&first, &second], || {
        emu.connected_sessions() == 2 && all.iter().all(|&c| slots(&emu, c).len() >= 2)
    })
    .await;
    assert_each_slot_once(&emu, &all);
    let names = |v: &[Snowflake]| v.iter().map(u64::to_string).collect::<HashSet<_>>();
    assert_eq!(
        posted_in(&first),
        names(&zero),
        "the first posts on shard 0"
    );
    assert_eq!(
        posted_in(&second),
        names(&one),
        "the second posts on shard 1"
    );
    // each says which shards it runs
    let health = get(port0, "/healthz").await;
    assert!(
        health.contains(r#""status":"ok""#) && health.contains(r#""shards":"discord 0 of 2""#),
        "{health}"
    );
    assert!(
        get(port1, "/healthz")
            .await
            .contains(r#""shards":"discord 1 of 2""#)
    );
    let metrics = get(port1, "/metrics").await;
    assert!(
        metrics
            .contains(r#"ponder_shard_range{platform="discord",first="1",last="1",total="2"} 1"#)
            && metrics.contains(r#"ponder_shard_connected{platform="discord",shard="1"} 1"#)
            && !metrics.contains(r#"shard="0""#),
        "{metrics}"
    );
    let g = guilds.iter().find(|g| shard_of(g.id) == 0).unwrap();
    let said = status(&emu, g.admin, g.text_channel).await;
    assert!(
        said.contains("Shards: 1 of 1 connected (this process runs shards 0 of 2); #0 up, "),
        "{said}"
    );

    // the second stops: the first posts none of its channels meanwhile
    second.stop();
    let before: BTreeMap<Snowflake, usize> =
        one.iter().map(|&c| (c, slots(&emu, c).len())).collect();
    let going = zero.iter().map(|&c| slots(&emu, c).len()).sum::<usize>();
    tokio::time::sleep(Duration::from_secs(8)).await;
    for &c in &one {
        assert_eq!(
            slots(&emu, c).len(),
            before[&c],
            "{c} posted while its process was down"
        );
    }
    assert!(
        zero.iter().map(|&c| slots(&emu, c).len()).sum::<usize>() > going,
        "the first went on with its own"
    );

    // started again: it catches its channels up (the latest missed slot, late)
    let last: BTreeMap<Snowflake, i64> = one
        .iter()
        .map(|&c| (c, slots(&emu, c).into_iter().max().unwrap()))
        .collect();
    let seen = second.logs().len();
    second.start();
    wait_for("the second's channels catch up", &[&first, &second], || {
        one.iter().all(|&c| slots(&emu, c).len() >= before[&c] + 2)
    })
    .await;
    for &c in &one {
        let caught = slots(&emu, c)[before[&c]];
        assert!(
            caught >= last[&c] + 6,
            "the first slot after the restart is the latest missed, not the first: {caught} after {}",
            last[&c]
        );
    }
    let after = second.logs()[seen..].to_string();
    assert!(
        after.matches("posting the latest missed slot").count() >= one.len(),
        "{}",
        second.tail()
    );
    assert_each_slot_once(&emu, &all);
    assert_eq!(
        posted_in(&first),
        names(&zero),
        "the first never posted shard 1's"
    );
    assert_eq!(posted_in(&second), names(&one));
    for bot in [&first, &second] {
        let logs = bot.logs();
        assert!(
            logs.contains("this process runs Discord shards"),
            "the range is said at start"
        );
        let loud: Vec<&str> = logs
            .lines()
            .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
            .collect();
        assert!(
            loud.is_empty(),
            "a healthy run logs no WARN or ERROR: {loud:#?}"
        );
    }
    first.stop();
    second.stop();
}
