//! No prompt repeats within a cycle, across restarts too.

use std::collections::HashSet;

use chrono::Duration;

use crate::harness::*;

#[tokio::test]
async fn every_prompt_posts_once_before_any_repeats_even_across_restarts() {
    let w = World::new("2026-11-24T08:59:00Z");
    w.schedule("general", "* * * * *", "UTC").await;
    let pool = w.source.load().unwrap().len();
    assert!(pool >= 15);
    let mut bot = w.boot().await;
    let start = utc("2026-11-24T09:00:00Z");
    for i in 0..pool as i64 + 3 {
        if i % 4 == 3 {
            drop(bot);
            bot = w.boot().await; // the rotation state lives in the database
        }
        w.clock.set(start + Duration::minutes(i));
        bot.tick().await;
    }
    let texts: Vec<String> = w.chat.prompts().into_iter().map(|p| p.text).collect();
    assert_eq!(texts.len(), pool + 3);
    let first_cycle: HashSet<&String> = texts[..pool].iter().collect();
    assert_eq!(
        first_cycle.len(),
        pool,
        "a prompt repeated within the first cycle"
    );
    let second: HashSet<&String> = texts[pool..].iter().collect();
    assert_eq!(
        second.len(),
        3,
        "the second cycle starts without repeats too"
    );
}

#[tokio::test]
async fn status_warns_when_one_prompt_is_left_before_the_cycle_wraps() {
    let w = World::new("2026-11-24T08:59:00Z");
    w.schedule("general", "* * * * *", "UTC").await;
    let pool = w.source.load().unwrap().len() as i64;
    let bot = w.boot().await;
    for i in 0..pool - 1 {
        w.clock
            .set(utc("2026-11-24T09:00:00Z") + Duration::minutes(i));
        bot.tick().await;
    }
    let status = bot
        .handle(&admin("general"), ponder::domain::command::Command::Status)
        .await
        .text;
    assert!(
        status.contains(&format!("Rotation: 1 of {pool} prompts left")),
        "{status}"
    );
    assert!(status.contains("the cycle wraps"), "{status}");
}
