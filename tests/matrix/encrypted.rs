//! The same flow in an end-to-end encrypted room.

use crate::bot::Bot;
use crate::homeserver::homeserver;
use crate::human::prompt_from;
use crate::rooms::{first_scheduled_prompt, room_with_bot};

#[tokio::test(flavor = "multi_thread")]
async fn an_encrypted_room_gets_its_prompt_and_keeps_its_replies() {
    let cast = homeserver().cast(5);
    let mut bot = Bot::start(&cast, "encrypted", "");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, true).await;
    assert!(room.latest_encryption_state().await.unwrap().is_encrypted());
    let root = first_scheduled_prompt(&cast, &alice, &room).await;
    let prompt = alice
        .wait_for(
            &room,
            "the decrypted prompt",
            prompt_from(&cast.bot.user_id),
        )
        .await;
    assert!(
        prompt["content"]["body"].as_str().unwrap().len() > 20,
        "alice can read the prompt"
    );

    let a = alice
        .reply_in_thread(&room, &root, "encrypted and kept")
        .await;
    let b = bob.reply_in_thread(&bob_room, &root, "this one goes").await;
    bot.wait_replies(
        &root,
        &[
            (&cast.alice.user_id, "encrypted and kept"),
            (&cast.bob.user_id, "this one goes"),
        ],
    )
    .await;
    alice.edit(&room, &a, "encrypted, edited and kept").await;
    bob.redact(&bob_room, &b).await;
    bot.wait_replies(
        &root,
        &[(&cast.alice.user_id, "encrypted, edited and kept")],
    )
    .await;
    bot.stop();
}
