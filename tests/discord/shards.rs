//! Sharding in one process: `[discord] shards = "auto"` (the default)
//! connects every shard the server's `GET /gateway/bot` recommends, and
//! every guild is served on its own shard: its slash commands, its prompts,
//! and its members' replies (each shard has its own message collector).
//! A fixed count too small for the guilds is refused by Discord with 4011,
//! and Ponder says so by name.

use std::time::Duration;

use discord_emulator::EmulatorConfig;
use serde_json::json;

use crate::harness::{WAIT, World};
use crate::ponder::Ponder;

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
    let w = World::start_env(
        "shards-auto",
        three_shards(),
        "thread_open = \"24h\"\n",
        &[],
    )
    .await;
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
    assert!(status.contains("Shards: 3 of 3 connected."), "{status}");
    assert!(
        w.bot.logs().contains("shards=3"),
        "READY logged with its shard count"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_connection_for_more_guilds_than_it_may_hold_is_refused_and_said_with_4011() {
    let emu = discord_emulator::Emulator::start(three_shards())
        .await
        .unwrap();
    let toml = format!("[discord]\napi_base = \"{}\"\nshards = 1\n", emu.base_url());
    let token = emu.token();
    let mut bot = Ponder::new(
        "discord-shards-one",
        &toml,
        &[("DISCORD_TOKEN", token.as_str())],
    );
    bot.start();
    let deadline = tokio::time::Instant::now() + WAIT;
    while !bot.logs().contains("close code 4011") {
        assert!(
            tokio::time::Instant::now() < deadline,
            "4011 never named\n{}",
            bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(bot.logs().contains("recommended=3"), "{}", bot.tail());
    assert_eq!(
        emu.connected_sessions(),
        0,
        "no connection holds six guilds"
    );
    bot.stop();
}
