//! A German Matrix room, end to end with a real Synapse: `!ponder language
//! de` switches the room; its prompt comes from the German pack, and the
//! answers to `next`, `status` and `reflect` and the digest are German.

use crate::bot::Bot;
use crate::homeserver::homeserver;
use crate::human::{notice_from, prompt_from};
use crate::rooms::room_with_bot;

#[tokio::test(flavor = "multi_thread")]
async fn a_room_switched_to_german_gets_german_prompts_answers_and_digest() {
    let cast = homeserver().cast(27);
    let mut bot = Bot::start(&cast, "german", "thread_open = \"20s\"\n");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, false).await;
    let bot_id = cast.bot.user_id.as_str();
    alice.say(&room, "!ponder setup daily 09:00 UTC").await;
    alice
        .wait_for(&room, "the setup", notice_from(bot_id, "Set up:"))
        .await;
    alice.say(&room, "!ponder language de").await;
    alice
        .wait_for(
            &room,
            "the switch",
            notice_from(bot_id, "Ponder spricht hier jetzt Deutsch (`de`)."),
        )
        .await;
    alice.say(&room, "!ponder next").await;
    alice
        .wait_for(
            &room,
            "the answer",
            notice_from(bot_id, "Nächster Impuls: "),
        )
        .await;
    alice.say(&room, "!ponder status").await;
    alice
        .wait_for(&room, "the status", notice_from(bot_id, "Kanal "))
        .await;

    alice.say(&room, "!ponder now trust-or-ease").await;
    alice
        .wait_for(&room, "the now answer", notice_from(bot_id, "Gepostet: "))
        .await;
    let prompt = alice
        .wait_for(&room, "the German prompt", prompt_from(bot_id))
        .await;
    let root = prompt["event_id"].as_str().unwrap().to_string();
    let body = prompt["content"]["body"].as_str().unwrap();
    assert!(body.starts_with("Vertrauen oder Bequemlichkeit?"), "{body}");

    bob.say(&bob_room, "!ponder reflect Bequemlichkeit gewinnt bei mir.")
        .await;
    bob.wait_for(
        &bob_room,
        "the reflect answer",
        notice_from(
            bot_id,
            "Deine Reflexion steht im Thread zu „Vertrauen oder Bequemlichkeit?“.",
        ),
    )
    .await;
    bot.wait_replies(
        &root,
        &[(&cast.bob.user_id, "Bequemlichkeit gewinnt bei mir.")],
    )
    .await;
    let digest = alice
        .wait_for(&room, "the German digest", |e| {
            e["sender"] == bot_id
                && e["content"]["body"].as_str().is_some_and(|b| {
                    b.contains(
                        "„Vertrauen oder Bequemlichkeit?“ ist geschlossen: 1 Antwort von 1 Person.",
                    )
                })
        })
        .await;
    assert_eq!(
        digest["content"]["m.relates_to"]["event_id"],
        root.as_str(),
        "in the prompt's thread"
    );
    bot.stop();
}
