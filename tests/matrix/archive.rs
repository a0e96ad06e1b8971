//! `!ponder archive` against a real Synapse: the page is uploaded to the
//! media repository and the bot's `m.file` event carries it (the replies,
//! and a `matrix.to` link back to the prompt); a member is refused.

use matrix_sdk::ruma::events::room::message::FileMessageEventContent;

use crate::bot::Bot;
use crate::homeserver::homeserver;
use crate::human::notice_from;
use crate::rooms::{first_scheduled_prompt, room_with_bot};

#[tokio::test(flavor = "multi_thread")]
async fn archive_in_chat_uploads_the_page_and_refuses_a_member() {
    let cast = homeserver().cast(26);
    let mut bot = Bot::start(&cast, "archive", "");
    let (alice, bob, room, bob_room) = room_with_bot(&cast, false).await;
    let b = cast.bot.user_id.as_str();
    let root = first_scheduled_prompt(&cast, &alice, &room).await;
    alice.reply_in_thread(&room, &root, "Trust first.").await;
    let a = cast.alice.user_id.as_str();
    bot.wait_replies(&root, &[(a, "Trust first.")]).await;

    bob.say(&bob_room, "!ponder archive").await;
    alice
        .wait_for(
            &room,
            "the member's refusal",
            notice_from(b, "Only admins can do that here."),
        )
        .await;

    alice.say(&room, "!ponder archive initials").await;
    let name = "ponder-matrix-1.html";
    let event = alice
        .wait_for(&room, name, |e| {
            e["sender"] == b && e["content"]["msgtype"] == "m.file" && e["content"]["body"] == name
        })
        .await;
    let mime = event["content"]["info"]["mimetype"]
        .as_str()
        .unwrap_or_default();
    assert!(mime.starts_with("text/html"), "{mime}");
    let content: FileMessageEventContent =
        serde_json::from_value(event["content"].clone()).unwrap();
    let bytes = alice
        .client
        .media()
        .get_file(&content, false)
        .await
        .unwrap()
        .expect("the archive has a file");
    let page = String::from_utf8(bytes).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("Trust first."), "the reply is on the page");
    assert!(
        page.contains(&format!("https://matrix.to/#/{}/{root}", room.room_id())),
        "a link back to the prompt"
    );
    // Synapse's display name is the localpart (`alice26`): initials only
    let localpart = a.trim_start_matches('@').split(':').next().unwrap();
    assert!(
        !page.contains(a) && !page.contains(localpart),
        "initials only: no user id, no name"
    );
    assert!(
        page.contains("<li>\u{2068}A\u{2069} · "),
        "the initial is shown"
    );
    let files = alice
        .events(&room)
        .await
        .into_iter()
        .filter(|e| e["sender"] == b && e["content"]["msgtype"] == "m.file")
        .count();
    assert_eq!(files, 1, "the member's archive made no file");
    bot.stop();
}
