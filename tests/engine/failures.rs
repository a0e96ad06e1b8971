//! Platform failures: retried when passing, recorded with the reason when
//! not, and the schedule goes on.

use ponder::db::PostState;
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
    let db = w.open_db().await;
    let ch = db.channels().await.unwrap().remove(0);
    assert!(ch.paused);
    assert_eq!(ch.paused_reason.as_deref(), Some("Unknown Channel"));
    assert_eq!(
        db.recent_posts(ch.id, 1).await.unwrap()[0].state,
        PostState::Failed.as_str()
    );
    // off the agenda at once: the fire that found the channel gone does
    // not put its schedule back from the rows it read before the post
    assert_eq!(bot.next_wake(), None, "nothing due in a paused channel");
    w.set_time("2026-11-25T09:00:00Z");
    bot.tick().await;
    assert!(w.chat.prompts().is_empty());
    assert_eq!(bot.next_wake(), None);
}

#[tokio::test]
async fn a_post_whose_recording_fails_after_the_claim_is_retried_not_stranded() {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    // The storage refuses to record the send (a full disk, say), once.
    w.raw(
        "CREATE TRIGGER refuse_sent BEFORE UPDATE OF state ON posts WHEN NEW.state = 'sent'
         BEGIN SELECT RAISE(ABORT, 'disk trouble'); END",
        "CREATE FUNCTION refuse_sent() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk trouble'; END $$
         LANGUAGE plpgsql;
         CREATE TRIGGER refuse_sent BEFORE UPDATE OF state ON posts FOR EACH ROW
         WHEN (NEW.state = 'sent') EXECUTE FUNCTION refuse_sent()",
    )
    .await;
    w.set_time("2026-11-24T09:00:00Z");
    bot.tick().await;
    assert_eq!(w.chat.prompts().len(), 1, "the prompt went out");
    w.raw(
        "DROP TRIGGER refuse_sent",
        "DROP TRIGGER refuse_sent ON posts",
    )
    .await;

    let retry_at = bot.next_wake().unwrap();
    assert!(retry_at <= utc("2026-11-24T09:05:00Z"), "{retry_at}");
    w.clock.set(retry_at);
    bot.tick().await;
    let db = w.open_db().await;
    let open = db.posts_in_state(PostState::Open).await.unwrap();
    assert_eq!(open.len(), 1, "the post was finished without a restart");
    assert_eq!(w.sends_per_key().values().copied().collect::<Vec<_>>(), [1]);
}

#[tokio::test]
async fn a_sent_post_is_not_marked_failed_when_looking_for_it_fails() {
    use ponder::platform::memory::Stall;
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    w.set_time("2026-11-24T09:00:00Z");
    w.chat.stall(Some(Stall::AfterSend));
    let task = tokio::spawn({
        let bot = bot.clone();
        async move { bot.tick().await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    task.abort();
    let _ = task.await;
    drop(bot);
    w.chat.stall(None);

    // Back after the catch-up window, and the first look fails in passing.
    w.set_time("2026-11-24T16:00:00Z");
    w.chat
        .fail_next_lookups([ChatError::Transient("history: 503".into())]);
    let bot = w.boot().await;
    let db = w.open_db().await;
    let post = db.post(1).await.unwrap().unwrap();
    assert_eq!(post.state, PostState::Pending.as_str(), "{post:?}");
    w.clock.set(bot.next_wake().unwrap());
    bot.tick().await;
    let post = db.post(1).await.unwrap().unwrap();
    assert_eq!(post.state, PostState::Open.as_str(), "{post:?}");
    assert_eq!(
        post.message_id.as_deref(),
        Some(w.chat.prompts()[0].message_id.as_str())
    );
    assert_eq!(w.chat.prompts().len(), 1);
}
