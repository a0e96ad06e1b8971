//! Rooms, commands, threads and restarts on a real homeserver.

use matrix_sdk::Room;

use crate::bot::Bot;
use crate::homeserver::{Cast, homeserver};
use crate::human::{Human, notice_from, prompt_from};

/// Alice creates a room inviting the bot and Bob; the bot joins (alice is
/// allowed), Bob joins. Returns alice, bob and the room as each sees it.
pub async fn room_with_bot(cast: &Cast, encrypted: bool) -> (Human, Human, Room, Room) {
    let alice = Human::login(&cast.url, &cast.alice).await;
    let bob = Human::login(&cast.url, &cast.bob).await;
    let room = alice
        .create_room(&[&cast.bot.user_id, &cast.bob.user_id], encrypted)
        .await;
    alice
        .wait_membership(&room, &cast.bot.user_id, "join")
        .await;
    let bob_room = bob.join(&room.room_id().to_owned()).await;
    alice
        .wait_membership(&room, &cast.bob.user_id, "join")
        .await;
    (alice, bob, room, bob_room)
}

/// `!ponder setup` with a fast schedule; waits for the answer and the first
/// prompt, then pauses so no more prompts arrive. Returns the prompt's event id.
pub async fn first_scheduled_prompt(cast: &Cast, alice: &Human, room: &Room) -> String {
    alice.say(room, "!ponder setup every 3s UTC").await;
    alice
        .wait_for(
            room,
            "the setup answer",
            notice_from(&cast.bot.user_id, "Set up: prompts post here `every 3s`"),
        )
        .await;
    let prompt = alice
        .wait_for(room, "a scheduled prompt", prompt_from(&cast.bot.user_id))
        .await;
    alice.say(room, "!ponder pause").await;
    alice
        .wait_for(
            room,
            "the pause answer",
            notice_from(&cast.bot.user_id, "Paused."),
        )
        .await;
    prompt["event_id"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_allowed_invite_is_accepted_and_any_other_is_declined() {
    let cast = homeserver().cast(1);
    let mut bot = Bot::start(&cast, "invites", "");
    let alice = Human::login(&cast.url, &cast.alice).await;
    let mallory = Human::login(&cast.url, &cast.mallory).await;
    let theirs = mallory.create_room(&[&cast.bot.user_id], false).await;
    let ours = alice.create_room(&[&cast.bot.user_id], false).await;
    alice
        .wait_membership(&ours, &cast.bot.user_id, "join")
        .await;
    mallory
        .wait_membership(&theirs, &cast.bot.user_id, "leave")
        .await;
    alice
        .say(&ours, "!ponder setup daily 09:00 Europe/Berlin")
        .await;
    let answer = alice
        .wait_for(
            &ours,
            "the setup answer",
            notice_from(&cast.bot.user_id, "Set up:"),
        )
        .await;
    let body = answer["content"]["body"].as_str().unwrap();
    assert!(body.contains("`daily 09:00` (Europe/Berlin)"), "{body}");
    assert_eq!(
        answer["content"]["m.mentions"],
        serde_json::json!({}),
        "answers never ping"
    );
    bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scheduled_prompt_keeps_two_humans_replies_with_their_edits_and_redactions() {
    let cast = homeserver().cast(2);
    let mut bot = Bot::start(&cast, "replies", "");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, false).await;
    let root = first_scheduled_prompt(&cast, &alice, &room).await;

    let a = alice
        .reply_in_thread(&room, &root, "Trust, because I can look inside.")
        .await;
    let b = bob
        .reply_in_thread(&bob_room, &root, "Ease. I never look inside.")
        .await;
    bob.plain_reply(&bob_room, &root, "A plain reply counts too.")
        .await;
    bot.wait_replies(
        &root,
        &[
            (&cast.alice.user_id, "Trust, because I can look inside."),
            (&cast.bob.user_id, "Ease. I never look inside."),
            (&cast.bob.user_id, "A plain reply counts too."),
        ],
    )
    .await;
    alice.edit(&room, &a, "Trust, mostly.").await;
    bob.redact(&bob_room, &b).await;
    bot.wait_replies(
        &root,
        &[
            (&cast.alice.user_id, "Trust, mostly."),
            (&cast.bob.user_id, "A plain reply counts too."),
        ],
    )
    .await;
    bot.stop();
    bot.assert_no_secrets_logged();
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_commands_need_the_power_level_and_members_can_reflect() {
    let cast = homeserver().cast(3);
    let mut bot = Bot::start(&cast, "power", "");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, false).await;
    bob.say(&bob_room, "!ponder now").await;
    bob.wait_for(
        &bob_room,
        "a refusal",
        notice_from(&cast.bot.user_id, "Only admins can do that here."),
    )
    .await;
    assert!(
        alice
            .events(&room)
            .await
            .iter()
            .all(|e| !prompt_from(&cast.bot.user_id)(e)),
        "no prompt for a member's `now`"
    );
    alice.say(&room, "!ponder now trust-or-ease").await;
    alice
        .wait_for(
            &room,
            "the now answer",
            notice_from(&cast.bot.user_id, "Posted essay-visibility/trust-or-ease"),
        )
        .await;
    let prompt = alice
        .wait_for(&room, "the prompt", prompt_from(&cast.bot.user_id))
        .await;
    let root = prompt["event_id"].as_str().unwrap().to_string();
    assert!(
        prompt["content"]["body"]
            .as_str()
            .unwrap()
            .starts_with("Trust or ease?")
    );
    assert_eq!(prompt["content"]["m.mentions"], serde_json::json!({}));
    bob.say(&bob_room, "!ponder reflect Ease wins for me.")
        .await;
    bob.wait_for(
        &bob_room,
        "the reflect answer",
        notice_from(&cast.bot.user_id, "Your reflection is in the thread"),
    )
    .await;
    bot.wait_replies(&root, &[(&cast.bob.user_id, "Ease wins for me.")])
        .await;
    bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn replies_written_while_the_bot_is_down_are_collected_on_the_same_device() {
    let cast = homeserver().cast(4);
    let mut bot = Bot::start(&cast, "restart", "");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, false).await;
    let root = first_scheduled_prompt(&cast, &alice, &room).await;
    alice
        .reply_in_thread(&room, &root, "before the restart")
        .await;
    bot.wait_replies(&root, &[(&cast.alice.user_id, "before the restart")])
        .await;
    let session = std::fs::read_to_string(bot.dir.join("data/matrix/session.json")).unwrap();
    bot.stop();

    bob.reply_in_thread(&bob_room, &root, "while it was down")
        .await;
    alice
        .reply_in_thread(&room, &root, "me too, while down")
        .await;

    bot.restart();
    bot.wait_replies(
        &root,
        &[
            (&cast.alice.user_id, "before the restart"),
            (&cast.bob.user_id, "while it was down"),
            (&cast.alice.user_id, "me too, while down"),
        ],
    )
    .await;
    assert_eq!(
        std::fs::read_to_string(bot.dir.join("data/matrix/session.json")).unwrap(),
        session,
        "the session was restored, not renewed"
    );
    // Ask the homeserver with the bot's own session (restoring it creates no device).
    let probe = matrix_sdk::Client::builder()
        .homeserver_url(&cast.url)
        .build()
        .await
        .unwrap();
    let stored: matrix_sdk::authentication::matrix::MatrixSession =
        serde_json::from_str(&session).unwrap();
    probe.restore_session(stored).await.unwrap();
    let devices = probe.devices().await.unwrap().devices;
    // (Registration made a device of its own, with no name.)
    let ponder: Vec<_> = devices
        .iter()
        .filter(|d| d.display_name.as_deref() == Some("Ponder"))
        .collect();
    assert_eq!(
        ponder.len(),
        1,
        "one Ponder device across restarts: {devices:?}"
    );

    let prompts = alice.count_prompts(&room, &cast.bot.user_id).await;
    let posts = bot.export().len();
    assert_eq!(prompts, posts, "every post is in the room once");
    bot.stop();
    bot.assert_no_secrets_logged();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_can_erase_their_replies_and_read_what_is_kept() {
    let cast = homeserver().cast(7);
    let mut bot = Bot::start(&cast, "forget", "");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, false).await;
    let root = first_scheduled_prompt(&cast, &alice, &room).await;
    alice.reply_in_thread(&room, &root, "alice stays").await;
    bob.reply_in_thread(&bob_room, &root, "bob goes").await;
    bot.wait_replies(
        &root,
        &[
            (&cast.alice.user_id, "alice stays"),
            (&cast.bob.user_id, "bob goes"),
        ],
    )
    .await;
    // Personal commands typed in the room are answered in a direct chat.
    bob.say(&bob_room, "!ponder about").await;
    bob.wait_for(
        &bob_room,
        "the pointer to the direct chat",
        notice_from(&cast.bot.user_id, "Answered in a direct message."),
    )
    .await;
    bob.direct_notice(&cast.bot.user_id, "Ponder posts a prompt here")
        .await;
    let dm = bob.create_direct(&cast.bot.user_id).await;
    bob.wait_membership(&dm, &cast.bot.user_id, "join").await;
    bob.say(&dm, "!ponder forget-me confirm").await;
    bob.direct_notice(&cast.bot.user_id, "Done: 1 reply deleted.")
        .await;
    bot.wait_replies(&root, &[(&cast.alice.user_id, "alice stays")])
        .await;
    bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closing_thread_gets_a_digest_in_the_thread() {
    let cast = homeserver().cast(8);
    let mut bot = Bot::start(&cast, "digest", "thread_open = \"5s\"\n");
    let (alice, _bob, room, _bob_room) = room_with_bot(&cast, false).await;
    let root = first_scheduled_prompt(&cast, &alice, &room).await;
    alice.reply_in_thread(&room, &root, "worth a digest").await;
    let digest = alice
        .wait_for(&room, "the digest", |e| {
            e["sender"] == cast.bot.user_id.as_str()
                && e["content"]["body"]
                    .as_str()
                    .is_some_and(|b| b.contains("is closed: 1 reply from 1 person."))
        })
        .await;
    assert_eq!(
        digest["content"]["m.relates_to"]["event_id"],
        root.as_str(),
        "in the prompt's thread"
    );
    assert_eq!(digest["content"]["m.mentions"], serde_json::json!({}));
    bot.stop();
}
