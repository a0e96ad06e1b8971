//! A crash at each step of a send still gives exactly one post per slot.

use std::time::Duration;

use ponder::db::{DigestState, PostState};
use ponder::platform::memory::Stall;

use crate::harness::*;

/// Runs the 09:00 slot and "crashes" the bot (aborts its task) while the
/// send is stalled at `stall`; then boots a new bot on the same database.
async fn crash_during_send_then_restart(stall: Option<Stall>) -> World {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    w.set_time("2026-11-24T09:00:00Z");
    w.chat.stall(stall);
    let task = tokio::spawn({
        let bot = bot.clone();
        async move { bot.tick().await }
    });
    if stall.is_some() {
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!task.is_finished(), "the send should be stalled");
        task.abort();
        let _ = task.await;
    } else {
        task.await.unwrap();
    }
    drop(bot);
    w.chat.stall(None);

    w.set_time("2026-11-24T09:00:30Z");
    let bot = w.boot().await;
    bot.tick().await;
    w
}

async fn assert_one_post_with_open_thread(w: &World) {
    let sends = w.sends_per_key();
    assert_eq!(sends.len(), 1, "{sends:?}");
    assert_eq!(
        sends.values().copied().collect::<Vec<_>>(),
        [1],
        "{sends:?}"
    );
    assert_eq!(w.chat.threads().len(), 1);
    let db = w.open_db().await;
    let posts = db.posts_in_state(PostState::Open).await.unwrap();
    assert_eq!(posts.len(), 1);
    assert_eq!(
        posts[0].message_id.as_deref(),
        Some(w.chat.prompts()[0].message_id.as_str())
    );
}

#[tokio::test]
async fn a_crash_after_the_row_is_written_posts_the_slot_once_after_restart() {
    let w = crash_during_send_then_restart(Some(Stall::BeforeSend)).await;
    assert_one_post_with_open_thread(&w).await;
}

#[tokio::test]
async fn a_crash_after_the_send_does_not_send_again_after_restart() {
    let w = crash_during_send_then_restart(Some(Stall::AfterSend)).await;
    assert_one_post_with_open_thread(&w).await;
}

#[tokio::test]
async fn a_crash_after_the_thread_opened_does_not_post_again_after_restart() {
    let w = crash_during_send_then_restart(Some(Stall::AfterThread)).await;
    assert_one_post_with_open_thread(&w).await;
}

#[tokio::test]
async fn a_crash_after_recording_posts_nothing_more_after_restart() {
    let w = crash_during_send_then_restart(None).await;
    assert_one_post_with_open_thread(&w).await;
}

#[tokio::test]
async fn two_bots_on_one_database_post_a_slot_once() {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let a = w.boot().await;
    let b = w.boot().await;
    w.set_time("2026-11-24T09:00:00Z");
    tokio::join!(a.tick(), b.tick());
    assert_eq!(w.chat.prompts().len(), 1);
}

#[tokio::test]
async fn each_slot_posts_once_over_many_ticks() {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "*/10 * * * *", "UTC").await;
    let bot = w.boot().await;
    for minute in 0..60 {
        w.clock
            .set(utc("2026-11-24T09:00:00Z") + chrono::Duration::minutes(minute));
        bot.tick().await;
        bot.tick().await;
    }
    let sends = w.sends_per_key();
    assert_eq!(sends.len(), 6, "{sends:?}");
    assert!(sends.values().all(|n| *n == 1));
}

#[tokio::test]
async fn a_post_the_platform_cannot_confirm_is_not_sent_twice_and_admins_are_told() {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    w.set_time("2026-11-24T09:00:00Z");
    w.chat.stall(Some(Stall::AfterSend));
    let task = tokio::spawn({
        let bot = bot.clone();
        async move { bot.tick().await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    task.abort();
    let _ = task.await;
    drop(bot);
    w.chat.stall(None);

    w.chat.cannot_tell(Some("history unreadable"));
    w.set_time("2026-11-24T09:05:00Z");
    let bot = w.boot().await;
    bot.tick().await;
    assert_eq!(w.chat.prompts().len(), 1, "no second copy on a guess");
    let status = bot
        .handle(&admin("general"), ponder::domain::command::Command::Status)
        .await
        .text;
    assert!(
        status.contains("uncertain") && status.contains("history unreadable"),
        "{status}"
    );
    assert!(status.contains("`now`"), "status says what to do: {status}");
}

#[tokio::test]
async fn a_crash_after_the_digest_is_sent_does_not_post_it_again() {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    w.set_time("2026-11-24T09:00:00Z");
    bot.tick().await;
    let thread = w.chat.threads()[0].clone();
    let close_at = utc("2026-11-25T09:00:00Z"); // 24 h open

    w.clock.set(close_at);
    w.chat.stall(Some(Stall::AfterKeyedSend));
    let task = tokio::spawn({
        let bot = bot.clone();
        async move { bot.tick().await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!task.is_finished(), "the digest send should be stalled");
    task.abort();
    let _ = task.await;
    drop(bot);
    w.chat.stall(None);

    let bot = w.boot().await;
    bot.tick().await;
    let digests: Vec<_> = w
        .chat
        .bot_messages()
        .into_iter()
        .filter(|(_, _, text)| text.contains("is closed:"))
        .collect();
    assert_eq!(digests.len(), 1, "{digests:?}");
    assert_eq!(w.chat.closed(), [thread]);
    let db = w.open_db().await;
    let post = db
        .posts_in_state(PostState::Closed)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(post.digest_state, Some(DigestState::Sent));
    assert_eq!(
        post.digest_message_id.as_deref(),
        Some(digests[0].1.as_str())
    );
}
