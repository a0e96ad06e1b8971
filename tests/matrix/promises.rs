//! The README's promises under attack, on a real homeserver: who may change
//! a stored reply, which room a reply counts in, who is an admin, what is
//! answered in private, what a restart or a lost session keeps, and logs an
//! operator can trust.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::bot::Bot;
use crate::homeserver::homeserver;
use crate::human::{Human, notice_from, prompt_from};
use crate::rooms::{first_scheduled_prompt, room_with_bot};

/// Sends raw message content, whether or not the homeserver takes it.
async fn try_send(room: &matrix_sdk::Room, content: Value) {
    let _ = room.send_raw("m.room.message", content).await;
}

fn edit_of(event: &str, text: &str) -> Value {
    json!({
        "msgtype": "m.text",
        "body": format!("* {text}"),
        "m.new_content": { "msgtype": "m.text", "body": text },
        "m.relates_to": { "rel_type": "m.replace", "event_id": event }
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stored_reply_changes_only_by_its_authors_edit_made_in_its_own_room() {
    let cast = homeserver().cast(13);
    let mut bot = Bot::start(&cast, "edit-authors", "");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, false).await;
    let root = first_scheduled_prompt(&cast, &alice, &room).await;
    let (a, b) = (cast.alice.user_id.as_str(), cast.bob.user_id.as_str());
    let mine = alice
        .reply_in_thread(&room, &root, "as alice wrote it")
        .await;
    bot.wait_replies(&root, &[(a, "as alice wrote it")]).await;

    // Bob rewrites Alice's reply; Alice edits it from another room.
    try_send(&bob_room, edit_of(mine.as_str(), "bob's words")).await;
    let other = alice.create_room(&[&cast.bot.user_id], false).await;
    alice
        .wait_membership(&other, &cast.bot.user_id, "join")
        .await;
    try_send(&other, edit_of(mine.as_str(), "from another room")).await;
    bob.reply_in_thread(&bob_room, &root, "after both").await;
    bot.wait_replies(&root, &[(a, "as alice wrote it"), (b, "after both")])
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        bot.replies(&root),
        [
            (a.to_string(), "as alice wrote it".to_string()),
            (b.to_string(), "after both".to_string())
        ]
    );
    // Her own edit, in the room, is kept.
    alice.edit(&room, &mine, "alice's own edit").await;
    bot.wait_replies(&root, &[(a, "alice's own edit"), (b, "after both")])
        .await;
    bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plain_reply_in_another_room_never_lands_under_this_rooms_prompt() {
    let cast = homeserver().cast(14);
    let mut bot = Bot::start(&cast, "cross-room", "");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, false).await;
    let root = first_scheduled_prompt(&cast, &alice, &room).await;
    let b = cast.bob.user_id.as_str();
    let elsewhere = alice
        .create_room(&[&cast.bot.user_id, &cast.bob.user_id], false)
        .await;
    alice
        .wait_membership(&elsewhere, &cast.bot.user_id, "join")
        .await;
    let bob_elsewhere = bob.join(&elsewhere.room_id().to_owned()).await;
    bob.plain_reply(&bob_elsewhere, &root, "injected from next door")
        .await;
    bob.reply_in_thread(&bob_room, &root, "written here").await;
    bot.wait_replies(&root, &[(b, "written here")]).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        bot.replies(&root),
        [(b.to_string(), "written here".to_string())]
    );
    bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_commands_are_refused_in_a_direct_chat_and_schedules_respect_the_minimum_interval() {
    let cast = homeserver().cast(15);
    let mut bot = Bot::start(&cast, "admins", "min_schedule_interval = \"10m\"\n");
    let (alice, bob, room, _bob_room) = room_with_bot(&cast, false).await;
    let bot_id = cast.bot.user_id.as_str();
    // Bob creates a direct chat with the bot: he has power 100 there.
    let dm = bob.create_direct(bot_id).await;
    bob.wait_membership(&dm, bot_id, "join").await;
    bob.say(&dm, "!ponder setup every 1s").await;
    bob.wait_for(
        &dm,
        "the refusal",
        notice_from(bot_id, "Only admins can do that here."),
    )
    .await;
    // Alice is an admin in the room she let the bot into, but not faster
    // than the operator allows.
    alice.say(&room, "!ponder setup every 1s UTC").await;
    let refused = alice
        .wait_for(
            &room,
            "the refusal",
            notice_from(bot_id, "That schedule fires 1s apart"),
        )
        .await;
    assert!(
        refused["content"]["body"]
            .as_str()
            .unwrap()
            .contains("at most once every 10m"),
        "{refused}"
    );
    alice.say(&room, "!ponder setup daily 09:00 UTC").await;
    alice
        .wait_for(&room, "the setup", notice_from(bot_id, "Set up:"))
        .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(bob.count_prompts(&dm, bot_id).await, 0);
    assert_eq!(alice.count_prompts(&room, bot_id).await, 0);
    let db = ponder::db::Db::open_store_read_only(&bot.store())
        .await
        .unwrap();
    let channels = db.channels().await.unwrap();
    assert_eq!(channels.len(), 1, "no channel for the direct chat");
    let schedules = db.schedules_of(channels[0].id).await.unwrap();
    assert_eq!(schedules.len(), 1);
    assert_eq!(schedules[0].spec, "daily 09:00");
    db.close().await;
    bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn setup_run_again_in_a_room_replaces_its_schedule() {
    let cast = homeserver().cast(16);
    let mut bot = Bot::start(&cast, "setup-again", "");
    let (alice, _bob, room, _bob_room) = room_with_bot(&cast, false).await;
    let bot_id = cast.bot.user_id.as_str();
    alice.say(&room, "!ponder setup daily 09:00 UTC").await;
    alice
        .wait_for(&room, "the setup", notice_from(bot_id, "Set up:"))
        .await;
    alice
        .say(&room, "!ponder setup daily 10:00 Europe/Berlin")
        .await;
    let again = alice
        .wait_for(&room, "the second setup", |e| {
            notice_from(bot_id, "Set up:")(e)
                && e["content"]["body"]
                    .as_str()
                    .is_some_and(|b| b.contains("replacing schedule #1 `daily 09:00` (UTC)"))
        })
        .await;
    assert!(
        again["content"]["body"]
            .as_str()
            .unwrap()
            .contains("schedule #2")
    );
    alice.say(&room, "!ponder schedule list").await;
    let list = alice
        .wait_for(&room, "the list", notice_from(bot_id, "#2 `daily 10:00`"))
        .await;
    assert!(
        !list["content"]["body"].as_str().unwrap().contains("#1 "),
        "{list}"
    );
    bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn personal_commands_in_a_shared_room_are_answered_privately_and_erasing_is_confirmed_there()
{
    let cast = homeserver().cast(17);
    let mut bot = Bot::start(&cast, "private", "");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, false).await;
    let bot_id = cast.bot.user_id.as_str();
    alice.say(&room, "!ponder anonymous on").await;
    alice
        .wait_for(
            &room,
            "anonymous on",
            notice_from(bot_id, "Members may now"),
        )
        .await;
    let _root = first_scheduled_prompt(&cast, &alice, &room).await;
    let dm = bob.create_direct(bot_id).await;
    bob.wait_membership(&dm, bot_id, "join").await;
    bob.say(&dm, "!ponder anon A thought nobody can trace.")
        .await;
    bob.wait_for(
        &dm,
        "the anon answer",
        notice_from(bot_id, "Your anonymous reflection is in the thread"),
    )
    .await;
    let reflection = alice
        .wait_for(&room, "the reflection", |e| {
            e["sender"] == bot_id
                && e["content"]["body"] == "An anonymous reflection:\nA thought nobody can trace."
        })
        .await;

    // Typed in the room, forget-me is answered in private and erases nothing.
    bob.say(&bob_room, "!ponder forget-me confirm").await;
    alice
        .wait_for(
            &room,
            "the pointer",
            notice_from(bot_id, "Answered in a direct message."),
        )
        .await;
    let preview = bob
        .direct_notice(bot_id, "Ponder keeps 1 reply of yours")
        .await;
    assert!(
        preview["content"]["body"]
            .as_str()
            .unwrap()
            .contains("send `!ponder forget-me confirm` here"),
        "{preview}"
    );
    for e in alice.events(&room).await {
        let body = e["content"]["body"].as_str().unwrap_or_default();
        assert!(
            !body.contains("Ponder keeps 1") && !body.starts_with("Done:"),
            "nothing personal is said in the room: {body}"
        );
    }
    assert_eq!(bot.export()[0]["replies"].as_array().unwrap().len(), 1);

    // Confirmed in the direct chat: the reflection goes, with no reason given.
    bob.say(&dm, "!ponder forget-me confirm").await;
    bob.wait_for(
        &dm,
        "the erase",
        notice_from(bot_id, "Done: 1 reply deleted."),
    )
    .await;
    let id = reflection["event_id"].as_str().unwrap().to_string();
    let redacted = alice
        .wait_for(&room, "the reflection redacted", |e| {
            e["event_id"] == id.as_str() && e["unsigned"]["redacted_because"].is_object()
        })
        .await;
    let because = &redacted["unsigned"]["redacted_because"]["content"];
    assert!(
        because["reason"].is_null(),
        "no reason points at the author: {because}"
    );
    bot.stop();
}

/// Waits until the bot's log holds `needle` `times` times.
async fn wait_logged(bot: &Bot, needle: &str, times: usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while bot.logs().matches(needle).count() < times {
        assert!(
            Instant::now() < deadline,
            "never logged {needle:?}\n{}",
            bot.tail()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_command_sent_right_after_the_session_is_ready_is_answered() {
    let cast = homeserver().cast(18);
    let mut bot = Bot::start(&cast, "first-sync", "");
    let (alice, _bob, room, _bob_room) = room_with_bot(&cast, false).await;
    let bot_id = cast.bot.user_id.as_str();
    alice.say(&room, "!ponder setup daily 09:00 UTC").await;
    alice
        .wait_for(&room, "the setup", notice_from(bot_id, "Set up:"))
        .await;
    bot.stop();
    bot.restart();
    wait_logged(&bot, "Matrix session ready", 2).await;
    alice.say(&room, "!ponder next").await;
    alice
        .wait_for(&room, "the answer", notice_from(bot_id, "Next prompt:"))
        .await;
    bot.stop();
}

/// `GET /healthz` on `port`: its status code, if anything answers.
fn healthz(port: u16) -> Option<u16> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    s.write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    text.split_whitespace().nth(1)?.parse().ok()
}

async fn ready_within(port: u16, limit: Duration) -> Duration {
    let start = Instant::now();
    while healthz(port) != Some(200) {
        assert!(start.elapsed() < limit, "not ready within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    start.elapsed()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restart_with_nothing_new_is_ready_within_seconds() {
    let cast = homeserver().cast(19);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let extra = format!("[http]\nlisten = \"127.0.0.1:{port}\"\n");
    let mut bot = Bot::start(&cast, "ready", &extra);
    let (alice, _bob, room, _bob_room) = room_with_bot(&cast, false).await;
    alice.say(&room, "!ponder setup daily 09:00 UTC").await;
    alice
        .wait_for(
            &room,
            "the setup",
            notice_from(&cast.bot.user_id, "Set up:"),
        )
        .await;
    ready_within(port, Duration::from_secs(60)).await;
    bot.stop();
    bot.restart();
    // Functional bound: the first sync must not wait for its long-poll (30 s).
    ready_within(port, Duration::from_secs(10)).await;
    bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn edits_and_redactions_made_while_the_bot_was_down_are_applied_at_start() {
    let cast = homeserver().cast(20);
    let mut bot = Bot::start(&cast, "down-edits", "");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, false).await;
    let root = first_scheduled_prompt(&cast, &alice, &room).await;
    let (a, b) = (cast.alice.user_id.as_str(), cast.bob.user_id.as_str());
    let hers = alice.reply_in_thread(&room, &root, "first thoughts").await;
    let his = bob
        .reply_in_thread(&bob_room, &root, "taken back later")
        .await;
    bot.wait_replies(&root, &[(a, "first thoughts"), (b, "taken back later")])
        .await;
    bot.stop();
    alice.edit(&room, &hers, "second thoughts").await;
    bob.redact(&bob_room, &his).await;
    bot.restart();
    bot.wait_replies(&root, &[(a, "second thoughts")]).await;
    bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plain_reply_written_while_the_bot_was_down_is_collected_after_a_gap() {
    let cast = homeserver().cast(21);
    let mut bot = Bot::start(&cast, "down-plain", "");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, false).await;
    let root = first_scheduled_prompt(&cast, &alice, &room).await;
    bot.stop();
    bob.plain_reply(&bob_room, &root, "a plain reply while it was down")
        .await;
    // Enough chatter that the next sync's timeline is cut (limited).
    for i in 0..30 {
        alice.say(&room, &format!("chatter {i}")).await;
    }
    bot.restart();
    bot.wait_replies(
        &root,
        &[(cast.bob.user_id.as_str(), "a plain reply while it was down")],
    )
    .await;
    bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_healthy_run_logs_no_warn_or_error_at_the_default_level() {
    let cast = homeserver().cast(23);
    let mut bot = Bot::start_with(&cast, "quiet-logs", "", &[("RUST_LOG", "info")]);
    let mallory = Human::login(&cast.url, &cast.mallory).await;
    let declined = mallory.create_room(&[&cast.bot.user_id], false).await;
    mallory
        .wait_membership(&declined, &cast.bot.user_id, "leave")
        .await;
    for encrypted in [false, true] {
        let (alice, bob, room, bob_room) = room_with_bot(&cast, encrypted).await;
        let root = first_scheduled_prompt(&cast, &alice, &room).await;
        let hers = alice.reply_in_thread(&room, &root, "kept").await;
        bob.reply_in_thread(&bob_room, &root, "also kept").await;
        alice.edit(&room, &hers, "kept, edited").await;
        bot.wait_replies(
            &root,
            &[
                (cast.alice.user_id.as_str(), "kept, edited"),
                (cast.bob.user_id.as_str(), "also kept"),
            ],
        )
        .await;
    }
    bot.stop();
    bot.restart();
    wait_logged(&bot, "Matrix session ready", 2).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    bot.stop();
    let logs = bot.logs();
    let loud: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
        .collect();
    assert!(
        loud.is_empty(),
        "a healthy run logged:\n{}",
        loud.join("\n")
    );
    assert!(logs.contains("Matrix session ready"), "{logs}");
}

mod lost_session {
    //! A prompt sent by a session that was then lost: a new device of the
    //! same account, in an encrypted room it cannot read back, must not
    //! post a second copy.

    use super::*;
    use crate::crash::Crash;
    use ponder::platform::matrix::MatrixChat;

    #[tokio::test(flavor = "multi_thread")]
    async fn a_new_device_in_an_encrypted_room_never_posts_a_pending_prompt_twice() {
        let cast = homeserver().cast(22);
        let (crash, chat) = Crash::start(&cast, true, Some("first-device")).await;
        let mut second_device = crash.matrix.clone();
        second_device.store_dir = crash.dir.path().join("second-device");
        // Let the send finish recording (the wrapper never returns).
        crash.crash_after_send(chat, Duration::from_secs(1)).await;

        // The session is lost: a new device logs in to the same account.
        let chat = MatrixChat::connect(&second_device).await.unwrap();
        assert_ne!(
            chat.client().device_id(),
            None,
            "the second device has an id of its own"
        );
        let _second = crash.restart(chat.clone()).await;
        // Counted whether alice can decrypt them or not.
        let bot_id = cast.bot.user_id.as_str();
        let sent = crash
            .alice
            .events(&crash.room)
            .await
            .iter()
            .filter(|e| {
                e["sender"] == bot_id && (e["type"] == "m.room.encrypted" || prompt_from(bot_id)(e))
            })
            .count();
        assert_eq!(sent, 1, "one prompt, not two");
        assert_eq!(
            crash.open_posts().await,
            1,
            "the post was found and its thread recorded"
        );
    }
}
