//! Suggestions, anonymous reflections by direct message, pings and pins, and
//! the power-level self-check, on a real homeserver.

use std::time::{Duration, Instant};

use matrix_sdk::Room;
use matrix_sdk::ruma::OwnedUserId;
use matrix_sdk::ruma::events::StateEventType;
use matrix_sdk::ruma::events::room::power_levels::RoomPowerLevelsEventContent;
use serde_json::Value;

use crate::bot::Bot;
use crate::export::assert_export;
use crate::homeserver::homeserver;
use crate::human::{Human, notice_from, prompt_from};
use crate::rooms::{first_scheduled_prompt, room_with_bot};

/// Joins every room the bot invited `human` to and returns the bot's
/// notices there, waiting until one starts with `prefix`.
async fn direct_notice(human: &Human, bot: &str, prefix: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        for room in human.client.invited_rooms() {
            let _ = room.join().await;
        }
        for room in human.client.joined_rooms() {
            let members = room
                .members(matrix_sdk::RoomMemberships::ACTIVE)
                .await
                .unwrap();
            if members.len() > 2 {
                continue;
            }
            for e in human.events(&room).await {
                if notice_from(bot, prefix)(&e) {
                    return e["content"]["body"].as_str().unwrap().to_string();
                }
            }
        }
        assert!(
            Instant::now() < deadline,
            "{} never got a direct notice starting {prefix:?}",
            human.user_id
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

async fn answer(alice: &Human, room: &Room, bot: &str, text: &str, prefix: &str) -> Value {
    alice.say(room, text).await;
    alice.wait_for(room, prefix, notice_from(bot, prefix)).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_suggestion_is_approved_and_posted_and_a_rejection_is_told_directly() {
    let cast = homeserver().cast(9);
    let mut bot = Bot::start(&cast, "suggest", "");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, false).await;
    let b = cast.bot.user_id.as_str();
    answer(&alice, &room, b, "!ponder setup daily 09:00 UTC", "Set up:").await;
    let thanks = answer(
        &bob,
        &bob_room,
        b,
        "!ponder suggest What do we stop noticing once it works, @room?",
        "Thanks: suggestion #1",
    )
    .await;
    assert_eq!(thanks["content"]["m.mentions"], serde_json::json!({}));
    answer(
        &bob,
        &bob_room,
        b,
        "!ponder suggest uncredited Is ease a kind of trust?",
        "Thanks: suggestion #2",
    )
    .await;
    let refused = answer(&bob, &bob_room, b, "!ponder approve 1", "Only admins").await;
    assert!(refused["content"]["body"].is_string());

    let list = answer(
        &alice,
        &room,
        b,
        "!ponder suggestions",
        "2 suggestions waiting",
    )
    .await;
    let body = list["content"]["body"].as_str().unwrap();
    assert!(body.contains("#2 by "), "{body}");
    assert!(body.contains("`approve ID`"), "{body}");
    let done = answer(
        &alice,
        &room,
        b,
        "!ponder approve 1",
        "Suggestion #1 approved",
    )
    .await;
    assert!(
        done["content"]["body"]
            .as_str()
            .unwrap()
            .ends_with("The suggester was told."),
        "{done}"
    );
    let told = direct_notice(&bob, b, "Your suggestion #1").await;
    assert!(
        told.contains("was approved: it joins the prompts there."),
        "{told}"
    );
    answer(
        &alice,
        &room,
        b,
        "!ponder reject 2 Too close to the first one.",
        "Suggestion #2 rejected",
    )
    .await;
    let told = direct_notice(&bob, b, "Your suggestion #2").await;
    assert!(
        told.contains("was not taken. The admins said: Too close to the first one."),
        "{told}"
    );

    answer(
        &alice,
        &room,
        b,
        "!ponder now suggestion-1",
        "Posted suggestions/suggestion-1",
    )
    .await;
    let prompt = alice
        .wait_for(&room, "the suggested prompt", prompt_from(b))
        .await;
    let text = prompt["content"]["body"].as_str().unwrap();
    assert!(
        text.contains("What do we stop noticing once it works, @\u{200b}room?"),
        "{text}"
    );
    assert!(text.contains("— suggested by "), "{text}");
    assert_eq!(prompt["content"]["m.mentions"], serde_json::json!({}));
    bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_anonymous_reflection_sent_by_direct_message_reaches_the_thread_without_its_author() {
    let cast = homeserver().cast(10);
    let mut bot = Bot::start(&cast, "anonymous", "");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, false).await;
    let b = cast.bot.user_id.as_str();
    answer(
        &alice,
        &room,
        b,
        "!ponder anonymous on",
        "Members may now reflect anonymously",
    )
    .await;
    let root = first_scheduled_prompt(&cast, &alice, &room).await;

    // In the room everyone would see who asked: Ponder says where to ask,
    // in a direct chat.
    answer(
        &bob,
        &bob_room,
        b,
        "!ponder anon Everyone sees this.",
        "Answered in a direct message.",
    )
    .await;
    bob.direct_notice(b, "To answer anonymously").await;
    assert!(
        !alice
            .events(&room)
            .await
            .iter()
            .any(|e| e["content"]["body"] == "An anonymous reflection:\nEveryone sees this."),
        "a command seen by the room is never posted as anonymous"
    );

    // A member of the bot's room may open a direct chat with it.
    let bot_id = OwnedUserId::try_from(b).unwrap();
    let dm = bob.client.create_dm(&bot_id).await.unwrap();
    bob.wait_membership(&dm, b, "join").await;
    let ok = answer(
        &bob,
        &dm,
        b,
        "!ponder anon I trust what I cannot see.",
        "Your anonymous reflection is in the thread",
    )
    .await;
    assert!(
        ok["content"]["body"]
            .as_str()
            .unwrap()
            .ends_with("Ponder keeps no record that it was you."),
        "{ok}"
    );
    let posted = alice
        .wait_for(&room, "the anonymous reflection", |e| {
            e["sender"] == b
                && e["content"]["body"] == "An anonymous reflection:\nI trust what I cannot see."
        })
        .await;
    assert_eq!(posted["content"]["m.relates_to"]["rel_type"], "m.thread");
    assert_eq!(posted["content"]["m.relates_to"]["event_id"], root.as_str());

    let export = bot.export();
    let replies = export[0]["replies"].as_array().unwrap();
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(replies[0]["anonymous"], true);
    assert_eq!(replies[0]["author_id"], "");
    let mut bytes = std::fs::read(bot.db()).unwrap();
    bytes.extend(std::fs::read(bot.db().with_extension("db-wal")).unwrap_or_default());
    let rows = String::from_utf8_lossy(&bytes);
    assert!(
        !rows.contains(cast.bob.user_id.as_str()),
        "bob's id is nowhere in the database"
    );
    // Nor the direct chat it came from (no channel row, no time).
    let db = ponder::db::Db::open_read_only(&bot.db()).await.unwrap();
    let channels: Vec<String> = db
        .channels()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.external_id)
        .collect();
    assert_eq!(channels, [room.room_id().to_string()]);
    assert!(
        !rows.contains(dm.room_id().as_str()),
        "the direct chat is not stored"
    );
    db.close().await;

    // Bob can still erase it: forget-me recomputes his hash.
    let ask = answer(
        &bob,
        &dm,
        b,
        "!ponder forget-me",
        "Ponder keeps 1 reply of yours",
    )
    .await;
    assert!(ask["content"]["body"].is_string());
    answer(
        &bob,
        &dm,
        b,
        "!ponder forget-me confirm",
        "Done: 1 reply deleted.",
    )
    .await;
    alice
        .wait_for(&room, "the reflection redacted", |e| {
            e["type"] == "m.room.redaction"
                && e["sender"] == b
                && e["redacts"] == posted["event_id"]
                || e["type"] == "m.room.redaction" && e["content"]["redacts"] == posted["event_id"]
        })
        .await;
    assert!(bot.export()[0]["replies"].as_array().unwrap().is_empty());
    bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn setup_names_missing_power_and_a_schedule_pings_only_its_people_and_pins_its_prompt() {
    let cast = homeserver().cast(11);
    let mut bot = Bot::start(&cast, "pins", "");
    let (alice, _bob, room, _bob_room) = room_with_bot(&cast, false).await;
    let b = cast.bot.user_id.as_str();
    // Only power level 100 may pin in this room.
    let mut levels = room.power_levels().await.unwrap();
    levels
        .events
        .insert(StateEventType::RoomPinnedEvents.into(), 100.into());
    room.send_state_event(RoomPowerLevelsEventContent::try_from(levels.clone()).unwrap())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let bob_id = cast.bob.user_id.clone();
    let setup = answer(
        &alice,
        &room,
        b,
        &format!("!ponder setup every 3s UTC ping {bob_id} pin"),
        "Set up:",
    )
    .await;
    let body = setup["content"]["body"].as_str().unwrap();
    assert!(
        body.contains("Ponder is missing here: pin messages (m.room.pinned_events) (power level 100; Ponder has 0)."),
        "{body}"
    );
    // The admin lowers it; prompts now get pinned, the newest only.
    levels
        .events
        .insert(StateEventType::RoomPinnedEvents.into(), 0.into());
    room.send_state_event(RoomPowerLevelsEventContent::try_from(levels).unwrap())
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(40);
    let (prompts, pinned) = loop {
        let events = alice.events(&room).await;
        let prompts: Vec<Value> = events
            .iter()
            .filter(|e| prompt_from(b)(e))
            .cloned()
            .collect();
        let pinned: Vec<Value> = events
            .iter()
            .filter(|e| e["type"] == "m.room.pinned_events" && e["sender"] == b)
            .cloned()
            .collect();
        // Pinned the first, pinned the second, unpinned the first.
        let settled =
            pinned.len() >= 3 && pinned[0]["content"]["pinned"].as_array().map(Vec::len) == Some(1);
        if settled {
            break (prompts, pinned);
        }
        assert!(
            Instant::now() < deadline,
            "the bot never moved its pin to a newer prompt"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    alice.say(&room, "!ponder pause").await;
    for p in &prompts {
        assert_eq!(
            p["content"]["m.mentions"],
            serde_json::json!({"user_ids": [bob_id.clone()]}),
            "only the configured person is mentioned"
        );
        assert!(
            p["content"]["body"]
                .as_str()
                .unwrap()
                .starts_with(&format!("{bob_id}:"))
        );
    }
    // The newest pin state holds exactly one event, a prompt of the bot's.
    let newest = &pinned[0]["content"]["pinned"];
    assert_eq!(newest.as_array().map(Vec::len), Some(1), "{newest}");
    assert!(prompts.iter().any(|p| p["event_id"] == newest[0]));
    bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn export_in_chat_gives_each_format_as_a_file_holding_exactly_the_surviving_replies() {
    use matrix_sdk::ruma::events::room::message::FileMessageEventContent;
    let cast = homeserver().cast(12);
    let mut bot = Bot::start(&cast, "export", "");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, false).await;
    let b = cast.bot.user_id.as_str();
    let root = first_scheduled_prompt(&cast, &alice, &room).await;
    let first = alice.reply_in_thread(&room, &root, "Trust first.").await;
    bob.reply_in_thread(&bob_room, &root, "Ease, always.").await;
    let typo = bob.reply_in_thread(&bob_room, &root, "(typo)").await;
    bob.redact(&bob_room, &typo).await;
    alice.edit(&room, &first, "Trust, first and last.").await;
    let (a, bb) = (cast.alice.user_id.as_str(), cast.bob.user_id.as_str());
    bot.wait_replies(
        &root,
        &[(a, "Trust, first and last."), (bb, "Ease, always.")],
    )
    .await;

    for ext in ["md", "json", "csv"] {
        alice.say(&room, &format!("!ponder export {ext}")).await;
        let name = format!("ponder-matrix-1.{ext}");
        let event = alice
            .wait_for(&room, &name, |e| {
                e["sender"] == b
                    && e["content"]["msgtype"] == "m.file"
                    && e["content"]["body"] == name.as_str()
            })
            .await;
        let content: FileMessageEventContent =
            serde_json::from_value(event["content"].clone()).unwrap();
        let bytes = alice
            .client
            .media()
            .get_file(&content, false)
            .await
            .unwrap()
            .expect("the export has a file");
        let text = String::from_utf8(bytes).unwrap();
        assert_export(
            ext,
            &text,
            &[(a, "Trust, first and last."), (bb, "Ease, always.")],
            &["(typo)", "Trust first."],
        );
    }
    bot.stop();
}
