//! Restarts, dropped connections, rate limits and missing permissions.

use std::collections::HashSet;

use discord_emulator::EmulatorConfig;
use discord_emulator::perms::permission::SEND_MESSAGES;
use serde_json::json;

use crate::harness::{WAIT, World};

/// Every post the archive knows reached the channel exactly once.
fn assert_each_post_once(w: &World, channel: u64) {
    let prompts = w.prompts(channel);
    let nonces: HashSet<String> = prompts
        .iter()
        .map(|m| m.nonce.clone().unwrap().to_string())
        .collect();
    assert_eq!(nonces.len(), prompts.len(), "a slot was posted twice");
    let archived: Vec<_> = w
        .bot
        .export()
        .into_iter()
        .filter(|p| p["channel"].as_str() == Some(channel.to_string().as_str()))
        .collect();
    assert_eq!(
        archived.len(),
        prompts.len(),
        "every archived post is in the channel once"
    );
    let ids: HashSet<String> = prompts.iter().map(|m| m.id.to_string()).collect();
    assert!(
        archived
            .iter()
            .all(|p| ids.contains(p["message_id"].as_str().unwrap()))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn replies_written_while_the_bot_is_stopped_are_collected_and_nothing_posts_twice() {
    let mut w = World::start("restart", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let prompt = w.first_prompt(g.text_channel).await;
    let thread = prompt.id;
    w.emu.send_message(thread, g.member, "before").unwrap();
    let (member, admin) = (g.member.to_string(), g.admin.to_string());
    w.bot
        .wait_replies(&thread.to_string(), &[(&member, "before")])
        .await;

    w.bot.stop();
    w.emu
        .send_message(thread, g.admin, "while stopped 1")
        .unwrap();
    w.emu
        .send_message(thread, g.member, "while stopped 2")
        .unwrap();
    w.bot.start();
    w.wait_ready().await;
    w.bot
        .wait_replies(
            &thread.to_string(),
            &[
                (&member, "before"),
                (&admin, "while stopped 1"),
                (&member, "while stopped 2"),
            ],
        )
        .await;
    assert_each_post_once(&w, g.text_channel);
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_gateway_is_resumed_without_losing_replies() {
    let mut w = World::start("resume", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let prompt = w.first_prompt(g.text_channel).await;
    let thread = prompt.id;
    w.emu.drop_gateway();
    w.emu
        .send_message(thread, g.member, "during the drop")
        .unwrap();
    w.emu.send_message(thread, g.admin, "right after").unwrap();
    let (member, admin) = (g.member.to_string(), g.admin.to_string());
    w.bot
        .wait_replies(
            &thread.to_string(),
            &[(&member, "during the drop"), (&admin, "right after")],
        )
        .await;
    w.emu
        .wait_until(WAIT, |e| {
            (e.resume_count() + e.identify_count() > 1).then_some(())
        })
        .await
        .unwrap();
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_storm_of_429s_delays_prompts_but_posts_each_slot_exactly_once() {
    let mut w = World::start("ratelimit", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    w.emu.rate_limit("POST /channels/*/messages", 12, 0.25);
    let answer = w
        .admin(g.text_channel, "setup", json!({"schedule": "every 2s"}))
        .await;
    assert!(answer.starts_with("Set up"), "{answer}");
    w.wait_prompts(g.text_channel, 3).await;
    w.admin(g.text_channel, "pause", json!({})).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_each_post_once(&w, g.text_channel);
    let archive = w.bot.export();
    assert!(
        archive.iter().all(|p| p["state"] == "open"),
        "no post failed or hangs: {archive:#?}"
    );
    let limited = w.emu.requests().iter().filter(|r| r.status == 429).count();
    assert!(
        limited >= 12,
        "the storm happened ({limited} answers were 429)"
    );
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_permission_fails_the_slot_visibly_and_the_next_slot_posts_when_it_is_back() {
    let mut w = World::start("permission", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;
    w.emu.deny_permission(ch, SEND_MESSAGES);
    w.admin(ch, "setup", json!({"schedule": "every 2s"})).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    let status = loop {
        let status = w.admin(ch, "status", json!({})).await;
        if status.contains("Failed: post") {
            break status;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no failure shown in /ponder status:\n{status}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    };
    assert!(
        status.contains(&format!("missing permission Send Messages in channel {ch}")),
        "{status}"
    );
    assert!(
        w.bot.logs().contains("missing permission Send Messages"),
        "the log names it too"
    );
    assert!(w.prompts(ch).is_empty());

    w.emu.allow_permission(ch, SEND_MESSAGES);
    w.wait_prompts(ch, 1).await;
    w.admin(ch, "pause", json!({})).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_each_post_once(&w, ch);
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_are_retried_and_the_prompt_posts_once() {
    let mut w = World::start("server-errors", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    w.emu.fail_next("POST /channels/*/messages", 502, 2);
    let answer = w
        .admin(g.text_channel, "now", json!({"prompt": "trust-or-ease"}))
        .await;
    assert!(answer.starts_with("Posted"), "{answer}");
    assert_eq!(w.wait_prompts(g.text_channel, 1).await.len(), 1);
    assert_each_post_once(&w, g.text_channel);
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_channel_pauses_its_schedule_with_the_reason() {
    let mut w = World::start("deleted", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;
    w.first_prompt(ch).await;
    w.admin(ch, "resume", json!({})).await;
    w.emu.delete_channel(ch).unwrap();
    // No channel is left to run /ponder status in; the log and the requests tell.
    let deadline = tokio::time::Instant::now() + WAIT;
    while !w
        .bot
        .logs()
        .contains("channel gone; its schedules are paused")
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the schedule was not paused\n{}",
            w.bot.tail()
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(
        w.bot
            .logs()
            .contains(&format!("channel {ch} no longer exists"))
    );
    let posts_tried = |w: &World| {
        w.emu
            .requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path.contains(&format!("/channels/{ch}/messages")))
            .count()
    };
    let before = posts_tried(&w);
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    assert_eq!(
        posts_tried(&w),
        before,
        "a paused schedule tries no more posts"
    );
    w.bot.stop();
}
