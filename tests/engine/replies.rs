//! Replies: stored once, edits update, deletions remove, and replies written
//! while the bot was down are collected at start.

use chrono::Duration;
use ponder::domain::command::ExportFormat;
use ponder::engine::ingest::Change;
use ponder::export;
use ponder::platform::memory::PLATFORM;

use crate::harness::*;

async fn bot_with_open_thread(w: &World) -> (std::sync::Arc<ponder::engine::Engine>, String) {
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    w.set_time("2026-11-24T09:00:00Z");
    bot.tick().await;
    let thread = w.chat.threads()[0].clone();
    (bot, thread)
}

async fn surviving(w: &World) -> Vec<(String, String)> {
    let db = w.open_db().await;
    let archive = export::archive(&db, &Default::default()).await.unwrap();
    archive
        .iter()
        .flat_map(|p| {
            p.replies
                .iter()
                .map(|r| (r.author_name.clone(), r.text.clone()))
        })
        .collect()
}

#[tokio::test]
async fn edits_update_and_deletions_remove_replies() {
    let w = World::new("2026-11-24T08:00:00Z");
    let (bot, thread) = bot_with_open_thread(&w).await;
    let now = utc("2026-11-24T09:05:00Z");
    let a = w.chat.write(&thread, "alice", "first thought", now);
    let b = w.chat.write(&thread, "bob", "mine", now);
    assert!(
        bot.write_reply(PLATFORM, Change::New(a.clone()))
            .await
            .unwrap()
    );
    assert!(
        bot.write_reply(PLATFORM, Change::New(b.clone()))
            .await
            .unwrap()
    );
    assert!(
        !bot.write_reply(PLATFORM, Change::New(a.clone()))
            .await
            .unwrap(),
        "a message is stored once"
    );
    let edit = |who: &str, m: &ponder::engine::IncomingReply, text: &str| Change::EditedBy {
        channel: "general".into(),
        editor: format!("id-{who}"),
        message_id: m.message_id.clone(),
        text: text.into(),
    };
    assert!(
        bot.write_reply(PLATFORM, edit("alice", &a, "second thought"))
            .await
            .unwrap()
    );
    let deletion = Change::DeletedFrom {
        channel: "general".into(),
        message_id: b.message_id.clone(),
    };
    assert!(bot.write_reply(PLATFORM, deletion).await.unwrap());
    assert!(
        !bot.write_reply(PLATFORM, edit("bob", &b, "back from the dead"))
            .await
            .unwrap()
    );
    assert_eq!(
        surviving(&w).await,
        [("alice".to_string(), "second thought".to_string())]
    );

    let db = w.open_db().await;
    let all = export::archive(&db, &Default::default()).await.unwrap();
    let json = export::render(&all, ExportFormat::Json).unwrap();
    assert!(
        !json.contains("mine"),
        "deleted text is gone from the store: {json}"
    );
    let csv = export::render(&all, ExportFormat::Csv).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    let md = export::render(&all, ExportFormat::Markdown).unwrap();
    assert!(
        md.contains("- **alice** (2026-11-24T09:05:00Z) (edited): second thought"),
        "{md}"
    );
    assert!(!md.contains("bob"), "{md}");
}

#[tokio::test]
async fn a_message_outside_any_prompt_thread_is_not_stored() {
    let w = World::new("2026-11-24T08:00:00Z");
    let (bot, _) = bot_with_open_thread(&w).await;
    let stray = w.chat.write(
        "some-other-channel",
        "carol",
        "hi",
        utc("2026-11-24T09:01:00Z"),
    );
    assert!(
        !bot.write_reply(PLATFORM, Change::New(stray.clone()))
            .await
            .unwrap()
    );
    assert!(surviving(&w).await.is_empty());
}

#[tokio::test]
async fn replies_written_while_the_bot_was_down_are_collected_at_start() {
    let w = World::new("2026-11-24T08:00:00Z");
    let (bot, thread) = bot_with_open_thread(&w).await;
    let seen = w
        .chat
        .write(&thread, "alice", "while up", utc("2026-11-24T09:01:00Z"));
    bot.write_reply(PLATFORM, Change::New(seen.clone()))
        .await
        .unwrap();
    drop(bot);
    // Down: two members write; nobody is listening.
    w.chat
        .write(&thread, "bob", "while down 1", utc("2026-11-24T09:10:00Z"));
    w.chat.write(
        &thread,
        "carol",
        "while down 2",
        utc("2026-11-24T09:20:00Z"),
    );
    w.set_time("2026-11-24T09:30:00Z");
    let _bot = w.boot().await;
    assert_eq!(
        surviving(&w).await,
        [
            ("alice".to_string(), "while up".to_string()),
            ("bob".to_string(), "while down 1".to_string()),
            ("carol".to_string(), "while down 2".to_string())
        ]
    );
    assert_eq!(w.chat.prompts().len(), 1, "no prompt posted twice");
}

#[tokio::test]
async fn threads_close_after_their_open_time_and_late_replies_still_count() {
    let mut w = World::new("2026-11-24T08:00:00Z");
    w.settings.thread_open = Duration::hours(2);
    let (bot, thread) = bot_with_open_thread(&w).await;
    w.set_time("2026-11-24T10:59:00Z");
    bot.tick().await;
    assert!(w.chat.closed().is_empty());
    w.set_time("2026-11-24T11:00:00Z");
    bot.tick().await;
    assert_eq!(w.chat.closed(), std::slice::from_ref(&thread));
    let late = w.chat.write(
        &thread,
        "dave",
        "late but here",
        utc("2026-11-24T12:00:00Z"),
    );
    assert!(
        bot.write_reply(PLATFORM, Change::New(late.clone()))
            .await
            .unwrap()
    );
    assert_eq!(
        surviving(&w).await,
        [("dave".to_string(), "late but here".to_string())]
    );
}

#[tokio::test]
async fn a_closing_thread_gets_one_quiet_digest_unless_the_channel_turned_them_off() {
    let mut w = World::new("2026-11-24T08:00:00Z");
    w.settings.thread_open = Duration::hours(2);
    let (bot, thread) = bot_with_open_thread(&w).await;
    let at = utc("2026-11-24T09:30:00Z");
    for (who, text) in [
        ("ann", "A first thought that goes on"),
        ("bo", "Second"),
        ("ann", "Ann again"),
    ] {
        bot.write_reply(PLATFORM, Change::New(w.chat.write(&thread, who, text, at)))
            .await
            .unwrap();
    }
    w.set_time("2026-11-24T11:00:00Z");
    bot.tick().await;
    let sent = w.chat.bot_messages();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, thread, "the digest goes into the thread");
    let title = w
        .source
        .load()
        .unwrap()
        .prompts()
        .find(|p| sent[0].2.contains(&p.thread_name()))
        .map(|p| p.thread_name());
    assert!(title.is_some(), "{}", sent[0].2);
    assert!(
        sent[0].2.contains("is closed: 3 replies from 2 people."),
        "{}",
        sent[0].2
    );
    assert!(
        sent[0]
            .2
            .contains("• ann: \"A first thought that goes on\"\n• bo: \"Second\""),
        "{}",
        sent[0].2
    );

    let off = crate::harness::admin("general");
    bot.handle(
        &off,
        ponder::domain::command::parse("!ponder digest off")
            .unwrap()
            .unwrap(),
    )
    .await;
    w.set_time("2026-11-25T09:00:00Z");
    bot.tick().await;
    w.set_time("2026-11-25T11:00:00Z");
    bot.tick().await;
    assert_eq!(w.chat.closed().len(), 2);
    assert_eq!(
        w.chat.bot_messages().len(),
        1,
        "no digest where they are off"
    );
}

#[tokio::test]
async fn a_deletion_or_an_edit_that_overtakes_its_message_is_still_applied() {
    let w = World::new("2026-11-24T08:00:00Z");
    let (bot, thread) = bot_with_open_thread(&w).await;
    let now = utc("2026-11-24T09:05:00Z");
    let gone = w.chat.write(&thread, "alice", "(typo)", now);
    let mut edited = w.chat.write(&thread, "bob", "first draft", now);
    let original = edited.clone();
    edited.text = "final words".into();
    let deleted = |thread: &str, message: &str| Change::Deleted {
        thread_id: thread.into(),
        message_id: message.into(),
    };
    // The deletion and the edit arrive before the messages themselves, all
    // in one batch of the reply writer, as the Discord gateway queues them.
    bot.queue_reply(PLATFORM, deleted(&thread, &gone.message_id))
        .await;
    bot.queue_reply(PLATFORM, Change::Edited(edited)).await;
    bot.queue_reply(PLATFORM, Change::New(gone.clone())).await;
    assert!(
        !bot.write_reply(PLATFORM, Change::New(original.clone()))
            .await
            .unwrap()
    );
    assert_eq!(
        surviving(&w).await,
        [("bob".to_string(), "final words".to_string())]
    );
    // Each in a batch of its own, the same.
    assert!(!bot.write_reply(PLATFORM, Change::New(gone)).await.unwrap());
    assert!(
        !bot.write_reply(PLATFORM, Change::New(original))
            .await
            .unwrap()
    );
    assert_eq!(
        surviving(&w).await,
        [("bob".to_string(), "final words".to_string())]
    );
    // A deletion elsewhere (not a prompt's thread) leaves nothing behind.
    assert!(
        !bot.write_reply(PLATFORM, deleted("not-a-thread", "m999"))
            .await
            .unwrap()
    );
    let tombstones = w
        .count("SELECT count(*) FROM erased_messages WHERE message_id = 'm999'")
        .await;
    assert_eq!(tombstones, 0, "no tombstone outside a prompt's thread");
}

#[tokio::test]
async fn a_reply_stored_out_of_order_never_hides_an_earlier_one_from_the_catch_up() {
    let w = World::new("2026-11-24T08:00:00Z");
    let (bot, thread) = bot_with_open_thread(&w).await;
    // A is written while the live stream does not deliver it (before the
    // gateway's READY, or its batch was lost); B, newer, comes in live.
    let a = w
        .chat
        .write(&thread, "alice", "missed", utc("2026-11-24T09:01:00Z"));
    let b = w
        .chat
        .write(&thread, "bob", "delivered", utc("2026-11-24T09:02:00Z"));
    assert!(
        bot.write_reply(PLATFORM, Change::New(b.clone()))
            .await
            .unwrap()
    );
    // The reconnect catch-up reads from the last point known complete, not
    // from the newest stored reply.
    assert_eq!(bot.collect_missed_replies().await.unwrap(), 1);
    assert_eq!(
        surviving(&w).await,
        [
            ("alice".to_string(), "missed".to_string()),
            ("bob".to_string(), "delivered".to_string())
        ]
    );
    let _ = a;
    // Later replies: C live, D missed; a restart collects D.
    let c = w
        .chat
        .write(&thread, "carol", "live", utc("2026-11-24T09:03:00Z"));
    w.chat
        .write(&thread, "dave", "missed too", utc("2026-11-24T09:04:00Z"));
    let e = w
        .chat
        .write(&thread, "erin", "live too", utc("2026-11-24T09:05:00Z"));
    bot.write_reply(PLATFORM, Change::New(c.clone()))
        .await
        .unwrap();
    bot.write_reply(PLATFORM, Change::New(e.clone()))
        .await
        .unwrap();
    drop(bot);
    let _bot = w.boot().await;
    let names: Vec<String> = surviving(&w).await.into_iter().map(|r| r.0).collect();
    assert_eq!(names, ["alice", "bob", "carol", "dave", "erin"]);
}

#[tokio::test]
async fn replies_written_into_a_closed_thread_while_the_bot_was_down_are_collected() {
    let mut w = World::new("2026-11-24T08:00:00Z");
    w.settings.thread_open = Duration::hours(2);
    let (bot, thread) = bot_with_open_thread(&w).await;
    w.set_time("2026-11-24T11:00:00Z");
    bot.tick().await;
    assert_eq!(w.chat.closed(), std::slice::from_ref(&thread));
    drop(bot);
    w.chat.write(
        &thread,
        "dave",
        "after closing",
        utc("2026-11-24T12:00:00Z"),
    );
    w.set_time("2026-11-24T12:30:00Z");
    let bot = w.boot().await;
    assert_eq!(
        surviving(&w).await,
        [("dave".to_string(), "after closing".to_string())]
    );
    drop(bot);
    // A thread closed longer ago than the window is no longer read.
    w.chat
        .write(&thread, "erin", "much later", utc("2026-12-05T12:00:00Z"));
    w.set_time("2026-12-05T12:30:00Z");
    let _bot = w.boot().await;
    assert_eq!(surviving(&w).await.len(), 1);
}

#[tokio::test]
async fn edits_and_deletions_made_while_the_bot_was_down_are_applied_at_start() {
    let w = World::new("2026-11-24T08:00:00Z");
    let (bot, thread) = bot_with_open_thread(&w).await;
    let at = utc("2026-11-24T09:05:00Z");
    let a = w.chat.write(&thread, "alice", "first thought", at);
    let b = w.chat.write(&thread, "bob", "regret", at);
    let c = w.chat.write(&thread, "carol", "unchanged", at);
    for r in [&a, &b, &c] {
        assert!(
            bot.write_reply(PLATFORM, Change::New(r.clone()))
                .await
                .unwrap()
        );
    }
    // A member's reflection that Ponder posted for them: the platform's
    // history leaves out the bot's own messages, which is no deletion.
    w.set_time("2026-11-24T09:10:00Z");
    let answer = bot
        .handle(
            &crate::harness::member("general"),
            ponder::domain::command::parse("!ponder reflect relayed words")
                .unwrap()
                .unwrap(),
        )
        .await;
    assert!(
        answer.text.contains("Your reflection is in"),
        "{}",
        answer.text
    );
    drop(bot);
    // While the bot is down: an edit and a deletion.
    w.chat
        .edit(&thread, &a.message_id, "second thought")
        .unwrap();
    w.chat.delete(&thread, &b.message_id);
    w.set_time("2026-11-24T10:00:00Z");
    let _bot = w.boot().await;
    assert_eq!(
        surviving(&w).await,
        [
            ("alice".to_string(), "second thought".to_string()),
            ("carol".to_string(), "unchanged".to_string()),
            ("Mo".to_string(), "relayed words".to_string()),
        ]
    );
    let db = w.open_db().await;
    let all = export::archive(&db, &Default::default()).await.unwrap();
    let json = export::render(&all, ExportFormat::Json).unwrap();
    assert!(!json.contains("regret"), "deleted text is gone: {json}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_the_database_refuses_once_is_stored_when_tried_again() {
    use std::sync::atomic::Ordering;

    let w = World::new("2026-11-24T08:00:00Z");
    let (bot, thread) = bot_with_open_thread(&w).await;
    // Another connection makes the database refuse new replies for a while.
    w.raw(
        "CREATE TRIGGER refuse BEFORE INSERT ON replies BEGIN SELECT RAISE(ABORT, 'disk says no'); END",
        "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk says no'; END $$
         LANGUAGE plpgsql;
         CREATE TRIGGER refuse BEFORE INSERT ON replies FOR EACH ROW EXECUTE FUNCTION refuse()",
    )
    .await;
    let r = w
        .chat
        .write(&thread, "alice", "kept", utc("2026-11-24T09:05:00Z"));
    bot.queue_reply(PLATFORM, Change::New(r)).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while bot.ingest_stats().failed_batches.load(Ordering::Relaxed) == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the batch was never tried"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    w.raw("DROP TRIGGER refuse", "DROP TRIGGER refuse ON replies")
        .await;
    loop {
        if surviving(&w).await == [("alice".to_string(), "kept".to_string())] {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the refused batch was dropped, not tried again"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_live_edit_stored_while_a_whole_read_is_under_way_is_not_undone_by_the_page() {
    let w = World::new("2026-11-24T08:00:00Z");
    let (bot, thread) = bot_with_open_thread(&w).await;
    let now = utc("2026-11-24T09:05:00Z");
    let a = w.chat.write(&thread, "alice", "first", now);
    bot.write_reply(PLATFORM, Change::New(a.clone()))
        .await
        .unwrap();
    // Edited while the bot was away: the read's page has "second".
    w.chat.edit(&thread, &a.message_id, "second").unwrap();
    let hold = w.chat.hold_next_read();
    let read = tokio::spawn({
        let bot = bot.clone();
        async move { bot.recheck_replies().await.unwrap() }
    });
    hold.taken().await;
    // While the page is on its way, the member edits again, and the live
    // stream stores it: it is newer than the page.
    let third = w.chat.edit(&thread, &a.message_id, "third").unwrap();
    bot.write_reply(PLATFORM, Change::Edited(third))
        .await
        .unwrap();
    hold.release();
    read.await.unwrap();
    assert_eq!(
        surviving(&w).await,
        [("alice".to_string(), "third".to_string())],
        "the page read before the live edit does not undo it"
    );
    // The next whole read sees "third" and changes nothing; an edit made
    // while away is still applied by it.
    w.chat.edit(&thread, &a.message_id, "fourth").unwrap();
    bot.recheck_replies().await.unwrap();
    assert_eq!(
        surviving(&w).await,
        [("alice".to_string(), "fourth".to_string())]
    );
}

/// A member's reply may hold a NUL character (Matrix's JSON carries
/// `\u0000`); PostgreSQL cannot store one in text. It is kept with U+FFFD in
/// its place on both backends (so an export reads the same from either),
/// live, edited and read back after a restart, and a read-back does not
/// take the kept text for an edit (the platform still says NUL).
#[tokio::test]
async fn a_reply_holding_a_nul_character_is_kept_and_not_taken_for_an_edit() {
    let w = World::new("2026-11-24T08:00:00Z");
    let (bot, thread) = bot_with_open_thread(&w).await;
    let now = utc("2026-11-24T09:05:00Z");
    let m = w.chat.write(&thread, "alice", "before\0after", now);
    assert!(
        bot.write_reply(PLATFORM, Change::New(m.clone()))
            .await
            .unwrap(),
        "stored"
    );
    assert_eq!(
        surviving(&w).await,
        [("alice".to_string(), "before\u{fffd}after".to_string())]
    );
    // a second message with NUL, written while Ponder is down, and the
    // first read back as the platform has it (still "before\0after")
    drop(bot);
    w.chat
        .write(&thread, "bob", "down\0time", utc("2026-11-24T09:10:00Z"));
    w.set_time("2026-11-24T09:30:00Z");
    let bot = w.boot().await;
    let read = || async {
        let db = w.open_db().await;
        let archive = export::archive(&db, &Default::default()).await.unwrap();
        let replies: Vec<(String, Option<String>)> = archive
            .iter()
            .flat_map(|p| {
                p.replies
                    .iter()
                    .map(|r| (r.text.clone(), r.edited_at.clone()))
            })
            .collect();
        db.close().await;
        replies
    };
    assert_eq!(
        read().await,
        [
            ("before\u{fffd}after".to_string(), None),
            ("down\u{fffd}time".to_string(), None)
        ],
        "kept, and not taken for an edit"
    );
    let edit = Change::EditedBy {
        channel: "general".into(),
        editor: "id-alice".into(),
        message_id: m.message_id.clone(),
        text: "edited\0again".into(),
    };
    assert!(bot.write_reply(PLATFORM, edit).await.unwrap());
    assert_eq!(read().await[0].0, "edited\u{fffd}again");
}
