//! Platform failures: retried when passing, recorded with the reason when
//! not, and the schedule goes on.

use ponder::db::{Db, PostState};
use ponder::domain::command::Command;
use ponder::engine::ChatError;

use crate::harness::*;

#[tokio::test]
async fn a_passing_failure_is_retried_and_the_slot_posts_once() {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    w.chat
        .fail_next([ChatError::Transient("503 from the platform".into())]);
    w.set_time("2026-11-24T09:00:00Z");
    bot.tick().await;
    assert!(w.chat.prompts().is_empty());
    let retry_at = bot.next_wake().unwrap();
    assert!(
        retry_at > utc("2026-11-24T09:00:00Z") && retry_at <= utc("2026-11-24T09:00:32Z"),
        "{retry_at}"
    );
    w.clock.set(retry_at);
    bot.tick().await;
    assert_eq!(w.sends_per_key().values().copied().collect::<Vec<_>>(), [1]);
}

#[tokio::test]
async fn a_missing_permission_fails_the_slot_with_its_reason_and_the_schedule_goes_on() {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    w.chat.fail_next([ChatError::Refused(
        "missing permission Send Messages in #general".into(),
    )]);
    w.set_time("2026-11-24T09:00:00Z");
    bot.tick().await;
    let status = bot.handle(&admin("general"), Command::Status).await.text;
    assert!(
        status.contains("Failed: post 1") && status.contains("missing permission Send Messages"),
        "{status}"
    );
    w.set_time("2026-11-25T09:00:00Z");
    bot.tick().await;
    assert_eq!(w.chat.prompts().len(), 1);
}

#[tokio::test]
async fn a_deleted_channel_pauses_its_schedules_with_the_reason() {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    w.chat
        .fail_next([ChatError::Gone("Unknown Channel".into())]);
    w.set_time("2026-11-24T09:00:00Z");
    bot.tick().await;
    let db = Db::open(&w.db_path()).await.unwrap();
    let ch = db.channels().await.unwrap().remove(0);
    assert!(ch.paused);
    assert_eq!(ch.paused_reason.as_deref(), Some("Unknown Channel"));
    assert_eq!(
        db.recent_posts(ch.id, 1).await.unwrap()[0].state,
        PostState::Failed.as_str()
    );
    w.set_time("2026-11-25T09:00:00Z");
    bot.tick().await;
    assert!(w.chat.prompts().is_empty());
    assert_eq!(bot.next_wake(), None);
}
