//! Scale-out on PostgreSQL: three `ponder run` processes, `shards = "0-1 of
//! 6"`, `"2-3 of 6"` and `"4-5 of 6"`, on ONE PostgreSQL database against one
//! emulator. Every slot is posted once in all; one process killed with -9
//! posts nothing while it is down, no other process posts its channels,
//! and started again it catches them up (the latest missed slot), with
//! nothing doubled.

use std::collections::BTreeMap;
use std::time::Duration;

use discord_emulator::ids::Snowflake;
use discord_emulator::{Emulator, EmulatorConfig};

use crate::harness::free_port;
use crate::ponder::Ponder;
use crate::postgres;
use crate::ranges::{assert_each_slot_once, slots, wait_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_on_one_postgres_post_each_slot_once_and_a_killed_one_catches_up() {
    let Some(server) = postgres::server() else {
        return;
    };
    let store = postgres::fresh_database(&server);
    let ponder::db::Store::Postgres(url) = store.clone() else {
        unreachable!()
    };
    // A Matrix room another process set up in the shared database: none of
    // these three runs Matrix, so none may claim its slots (a claim would
    // hold them, pending, from the process that runs Matrix).
    {
        let db = ponder::db::Db::open_store(&store).await.unwrap();
        let now = chrono::Utc::now().timestamp();
        let room = db
            .ensure_channel("matrix", "!elsewhere:example.org", "UTC", now)
            .await
            .unwrap();
        db.add_schedule(
            room.id,
            "every 3s",
            "UTC",
            "config",
            &Default::default(),
            now,
        )
        .await
        .unwrap();
        db.close().await;
    }
    let emu = Emulator::start(EmulatorConfig {
        guilds: 6,
        guilds_per_shard: 1,
        ..Default::default()
    })
    .await
    .unwrap();
    let guilds = emu.guilds();
    let shard_of = |g: Snowflake| (g >> 22) % 6;
    let all: Vec<Snowflake> = guilds.iter().map(|g| g.text_channel).collect();
    // the middle process's channels (shards 2 and 3)
    let middle: Vec<Snowflake> = guilds
        .iter()
        .filter(|g| (2..=3).contains(&shard_of(g.id)))
        .map(|g| g.text_channel)
        .collect();
    let others: Vec<Snowflake> = all
        .iter()
        .copied()
        .filter(|c| !middle.contains(c))
        .collect();
    assert!(
        !middle.is_empty() && !others.is_empty(),
        "guilds on the middle process's shards and on the others'"
    );
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
    let config = |range: &str| {
        format!(
            "database = \"{url}\"\nthread_open = \"24h\"\n\
             [catch_up]\npolicy = \"latest\"\nmax_lateness = \"1h\"\n\
             [http]\nlisten = \"127.0.0.1:{}\"\n{channels}\
             [discord]\napi_base = \"{}\"\nguilds = [{}]\nshards = \"{range}\"\n",
            free_port(),
            emu.base_url(),
            ids.join(", ")
        )
    };
    let env = [("DISCORD_TOKEN", token.as_str())];
    let mut bots = [
        Ponder::new("pg-first", &config("0-1 of 6"), &env),
        Ponder::new("pg-middle", &config("2-3 of 6"), &env),
        Ponder::new("pg-last", &config("4-5 of 6"), &env),
    ];
    for bot in &mut bots {
        bot.start();
    }
    wait_for(
        "every channel posts twice",
        &[&bots[0], &bots[1], &bots[2]],
        || emu.connected_sessions() == 6 && all.iter().all(|&c| slots(&emu, c).len() >= 2),
    )
    .await;
    assert_each_slot_once(&emu, &all);
    // One database: each process's export holds every channel's posts.
    let posted = |bot: &Ponder| {
        bot.export()
            .iter()
            .map(|p| p["channel"].as_str().unwrap().to_string())
            .collect::<std::collections::HashSet<_>>()
    };
    assert_eq!(posted(&bots[0]).len(), all.len(), "one shared archive");

    // kill -9 the middle one: its channels stay quiet, the others go on
    bots[1].kill();
    let before: BTreeMap<Snowflake, usize> =
        middle.iter().map(|&c| (c, slots(&emu, c).len())).collect();
    let going = others.iter().map(|&c| slots(&emu, c).len()).sum::<usize>();
    tokio::time::sleep(Duration::from_secs(8)).await;
    for &c in &middle {
        assert_eq!(
            slots(&emu, c).len(),
            before[&c],
            "{c} was posted by another process while its own was down"
        );
    }
    assert!(
        others.iter().map(|&c| slots(&emu, c).len()).sum::<usize>() > going,
        "the other processes went on with their own"
    );

    // started again: the latest missed slot per channel, then on schedule
    let last: BTreeMap<Snowflake, i64> = middle
        .iter()
        .map(|&c| (c, slots(&emu, c).into_iter().max().unwrap()))
        .collect();
    bots[1].start();
    wait_for(
        "the killed process's channels catch up",
        &[&bots[1], &bots[0], &bots[2]],
        || {
            middle
                .iter()
                .all(|&c| slots(&emu, c).len() >= before[&c] + 2)
        },
    )
    .await;
    for &c in &middle {
        let caught = slots(&emu, c)[before[&c]];
        assert!(
            caught >= last[&c] + 6,
            "the first slot after the restart is the latest missed: {caught} after {}",
            last[&c]
        );
    }
    assert_each_slot_once(&emu, &all);
    for bot in &bots {
        let logs = bot.logs();
        let errors: Vec<&str> = logs.lines().filter(|l| l.contains(" ERROR ")).collect();
        assert!(errors.is_empty(), "no ERROR: {errors:#?}");
        assert!(
            !logs.contains("platform not running"),
            "a process claimed a slot of a platform it does not run"
        );
    }
    assert!(
        !bots[0]
            .export()
            .iter()
            .any(|p| p["channel"] == "!elsewhere:example.org"),
        "no post claimed in the Matrix room"
    );
    for bot in &mut bots {
        bot.stop();
    }
}
