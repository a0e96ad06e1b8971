//! Slots missed while the bot was down follow the catch-up policy: at most
//! one late post per schedule, never a burst.

use chrono::Duration;
use ponder::engine::CatchUp;

use crate::harness::*;

async fn down_between(policy: CatchUp, spec: &str, up: &str, down: &str, back: &str) -> World {
    let mut w = World::new(up);
    w.settings.catch_up = policy;
    w.schedule("general", spec, "UTC").await;
    let bot = w.boot().await;
    bot.tick().await;
    w.set_time(down);
    bot.tick().await;
    drop(bot);
    w.set_time(back);
    let bot = w.boot().await;
    bot.tick().await;
    w
}

fn slots(w: &World) -> Vec<String> {
    w.sends_per_key().into_keys().collect()
}

fn key(schedule: i64, t: &str) -> String {
    format!("pd-{schedule}-{}", utc(t).timestamp())
}

#[tokio::test]
async fn latest_policy_posts_only_the_latest_missed_slot() {
    let policy = CatchUp::Latest {
        max_lateness: Duration::hours(6),
    };
    let w = down_between(
        policy,
        "0 * * * *",
        "2026-11-24T08:30:00Z",
        "2026-11-24T09:00:00Z",
        "2026-11-24T14:30:00Z",
    )
    .await;
    assert_eq!(
        slots(&w),
        [
            key(1, "2026-11-24T09:00:00Z"),
            key(1, "2026-11-24T14:00:00Z")
        ]
    );
}

#[tokio::test]
async fn latest_policy_drops_a_slot_later_than_the_maximum() {
    let policy = CatchUp::Latest {
        max_lateness: Duration::hours(6),
    };
    // Daily 09:00, down from 08:00 until 16:00: 09:00 is 7 h late.
    let w = down_between(
        policy,
        "0 9 * * *",
        "2026-11-24T07:00:00Z",
        "2026-11-24T08:00:00Z",
        "2026-11-24T16:00:00Z",
    )
    .await;
    assert!(slots(&w).is_empty());
    // The schedule goes on: tomorrow's slot posts.
    let bot = w.boot().await;
    w.set_time("2026-11-25T09:00:00Z");
    bot.tick().await;
    assert_eq!(slots(&w), [key(1, "2026-11-25T09:00:00Z")]);
}

#[tokio::test]
async fn skip_policy_posts_nothing_late() {
    let w = down_between(
        CatchUp::Skip,
        "0 * * * *",
        "2026-11-24T08:30:00Z",
        "2026-11-24T09:00:00Z",
        "2026-11-24T14:30:00Z",
    )
    .await;
    assert_eq!(slots(&w), [key(1, "2026-11-24T09:00:00Z")]);
    let bot = w.boot().await;
    w.set_time("2026-11-24T15:00:00Z");
    bot.tick().await;
    assert_eq!(
        slots(&w),
        [
            key(1, "2026-11-24T09:00:00Z"),
            key(1, "2026-11-24T15:00:00Z")
        ]
    );
}

#[tokio::test]
async fn the_agenda_sleeps_until_the_next_slot_instead_of_polling() {
    let w = World::new("2026-11-24T08:30:00Z");
    w.schedule("general", "0 9 * * *", "Europe/Berlin").await;
    w.schedule("other", "30 18 * * *", "America/New_York").await;
    let bot = w.boot().await;
    // 09:00 Berlin = 08:00 UTC (already past today) -> tomorrow; 18:30 New York = 23:30 UTC.
    assert_eq!(bot.next_wake(), Some(utc("2026-11-24T23:30:00Z")));
    w.set_time("2026-11-24T23:30:00Z");
    bot.tick().await;
    assert_eq!(bot.next_wake(), Some(utc("2026-11-25T08:00:00Z")));
}
