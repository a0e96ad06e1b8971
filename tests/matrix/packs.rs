//! A community's own packs on a real homeserver: an admin sends a `.toml`
//! file in the room (uploaded to the media repository, encrypted in an
//! encrypted room), then `!ponder prompts import`; the pack is checked,
//! stored for that room only, drawn from, exported back byte for byte.
//! Another member's file is never taken, and no path is ever read.

use matrix_sdk::Room;
use matrix_sdk::attachment::AttachmentConfig;
use matrix_sdk::ruma::OwnedEventId;
use matrix_sdk::ruma::events::room::message::FileMessageEventContent;
use serde_json::{Value, json};

use crate::bot::Bot;
use crate::homeserver::homeserver;
use crate::human::{Human, notice_from, prompt_from};
use crate::rooms::room_with_bot;

/// A valid pack of three prompts (one posted leaves more than one: no
/// "one prompt left" warning in the log).
const CLUB: &str = r#"id = "club"
title = "Club questions"
description = "Our own questions."

[[prompt]]
id = "club-first"
text = "What did this club teach you that no book did?"

[[prompt]]
id = "club-second"
title = "Second"
text = "Which of our habits would you keep if we started over?"

[[prompt]]
id = "club-third"
text = "Who here changed your mind, and about what?"
"#;

/// A pack with three problems, on lines 7, 12 and 14.
const BROKEN: &str = r#"id = "broken"
title = "Broken"
description = "Three problems."

[[prompt]]
id = "x"
text = ""

[[prompt]]
id = "y"
text = "fine"
colour = "blue"

[[prompt]]
id = "x"
text = "dup"
"#;

/// Sends a file as a client does (`m.file`, encrypted in an encrypted room).
async fn send_file(room: &Room, name: &str, bytes: &[u8]) -> OwnedEventId {
    let mime: mime::Mime = "text/plain".parse().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        match room
            .send_attachment(name, &mime, bytes.to_vec(), AttachmentConfig::new())
            .await
        {
            Ok(sent) => return sent.event_id,
            // Just after joining, a sync that began before the join can
            // still hold the room as invited in the client; a moment later
            // it is joined (a real client's send button waits for that too).
            Err(matrix_sdk::Error::WrongRoomState(_)) if std::time::Instant::now() < deadline => {
                tokio::time::sleep(std::time::Duration::from_millis(200)).await
            }
            Err(e) => panic!("sending {name}: {e}"),
        }
    }
}

/// Says `text` and waits for the bot's notice starting with `prefix`.
async fn ask(human: &Human, room: &Room, bot: &str, text: &str, prefix: &str) -> String {
    human.say(room, text).await;
    let e = human.wait_for(room, prefix, notice_from(bot, prefix)).await;
    e["content"]["body"].as_str().unwrap().to_string()
}

/// The bytes of a file event, downloaded (and decrypted) as a member would.
async fn download(human: &Human, event: &Value) -> Vec<u8> {
    let content: FileMessageEventContent =
        serde_json::from_value(event["content"].clone()).unwrap();
    human
        .client
        .media()
        .get_file(&content, false)
        .await
        .unwrap()
        .expect("a file")
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admins_pack_file_is_checked_imported_drawn_from_and_exported_unchanged() {
    let cast = homeserver().cast(24);
    let mut bot = Bot::start(&cast, "packs", "");
    let (alice, _bob, room, _) = room_with_bot(&cast, false).await;
    let b = cast.bot.user_id.as_str();
    // a path is never read, whatever it names
    let refused = ask(
        &alice,
        &room,
        b,
        "!ponder prompts import /etc/passwd",
        "On Matrix, send the file in this room first, then the command without a path.",
    )
    .await;
    assert!(!refused.contains("root:"), "{refused}");

    // every problem with its line; nothing applied
    send_file(&room, "broken.toml", BROKEN.as_bytes()).await;
    let problems = ask(
        &alice,
        &room,
        b,
        "!ponder prompts import",
        "3 problems in `broken.toml`; nothing was imported:",
    )
    .await;
    for line in [
        "broken.toml:7: prompt[1].text: must not be empty",
        "broken.toml:12: prompt[2].colour: unknown field `colour`",
        "broken.toml:14: prompt[3].id: duplicate prompt id `x`",
    ] {
        assert!(problems.contains(line), "{line} in {problems}");
    }
    ask(
        &alice,
        &room,
        b,
        "!ponder packs use broken",
        "No pack `broken` here.",
    )
    .await;

    // a declared size over the limit is refused before downloading
    let uploaded = alice
        .client
        .media()
        .upload(&mime::TEXT_PLAIN, CLUB.as_bytes().to_vec(), None)
        .await
        .unwrap();
    let content = json!({
        "msgtype": "m.file", "body": "big.toml",
        "url": uploaded.content_uri.to_string(),
        "info": { "size": 300 * 1024, "mimetype": "text/plain" }
    });
    room.send_raw("m.room.message", content).await.unwrap();
    ask(
        &alice,
        &room,
        b,
        "!ponder prompts import",
        "`big.toml` is 300 KB; this command takes files of at most 256 KB.",
    )
    .await;

    // a valid pack: imported, chosen, drawn from
    send_file(&room, "club.toml", CLUB.as_bytes()).await;
    let imported = ask(
        &alice,
        &room,
        b,
        "!ponder prompts import",
        "Imported pack `club` (\"Club questions\"): 3 prompts.",
    )
    .await;
    assert!(imported.contains("offered in this room only"), "{imported}");
    ask(
        &alice,
        &room,
        b,
        "!ponder packs use club",
        "This channel now draws from club: 3 prompts.",
    )
    .await;
    ask(&alice, &room, b, "!ponder now", "Posted club/club-").await;
    let prompt = alice
        .wait_for(&room, "the club's prompt", prompt_from(b))
        .await;
    let text = prompt["content"]["body"].as_str().unwrap();
    assert!(
        text.contains("What did this club teach you")
            || text.contains("Which of our habits would you keep")
            || text.contains("Who here changed your mind"),
        "{text}"
    );

    // exported as the very file imported, and imported again unchanged
    alice.say(&room, "!ponder prompts export-pack club").await;
    let file = alice
        .wait_for(&room, "club.toml from the bot", |e| {
            e["sender"] == b
                && e["content"]["msgtype"] == "m.file"
                && e["content"]["body"] == "club.toml"
        })
        .await;
    let exported = download(&alice, &file).await;
    assert_eq!(String::from_utf8(exported.clone()).unwrap(), CLUB);
    send_file(&room, "club.toml", &exported).await;
    ask(
        &alice,
        &room,
        b,
        "!ponder prompts import",
        "Replaced pack `club` (\"Club questions\"): 3 prompts, was 3.",
    )
    .await;

    // a pack drafted from a text sent the same way, answered as a file
    let notes = "What keeps us here?\n\nVisibility builds trust. Invisibility creates ease.\n";
    send_file(&room, "notes.md", notes.as_bytes()).await;
    ask(
        &alice,
        &room,
        b,
        "!ponder prompts draft mine",
        "Drafted pack `mine` from `notes.md`: 1 question as written",
    )
    .await;
    let file = alice
        .wait_for(&room, "mine.toml from the bot", |e| {
            e["sender"] == b
                && e["content"]["msgtype"] == "m.file"
                && e["content"]["body"] == "mine.toml"
        })
        .await;
    let drafted = String::from_utf8(download(&alice, &file).await).unwrap();
    assert!(drafted.contains("What keeps us here?"), "{drafted}");

    bot.stop();
    let logs = bot.logs();
    let loud: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
        .collect();
    assert!(
        loud.is_empty(),
        "members' bad files are not logged loudly:\n{}",
        loud.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_admins_own_file_is_taken_and_a_pack_stays_in_its_room() {
    let cast = homeserver().cast(25);
    let mut bot = Bot::start(&cast, "packs-rooms", "");
    let b = cast.bot.user_id.as_str();
    // an encrypted room: the file is encrypted too, and still read
    let (alice, bob, room, _) = room_with_bot(&cast, true).await;
    send_file(&room, "club.toml", CLUB.as_bytes()).await;
    ask(
        &alice,
        &room,
        b,
        "!ponder prompts import",
        "Imported pack `club` (\"Club questions\"): 3 prompts.",
    )
    .await;

    // another room of the same admin, with Bob
    let other = alice
        .create_room(&[&cast.bot.user_id, &cast.bob.user_id], false)
        .await;
    alice
        .wait_membership(&other, &cast.bot.user_id, "join")
        .await;
    let bob_other = bob.join(&other.room_id().to_owned()).await;
    alice
        .wait_membership(&other, &cast.bob.user_id, "join")
        .await;

    // Bob's file is not the admin's: nothing is taken
    send_file(&bob_other, "club.toml", CLUB.as_bytes()).await;
    ask(
        &alice,
        &other,
        b,
        "!ponder prompts import",
        "Attach the pack's .toml file",
    )
    .await;
    ask(
        &bob,
        &bob_other,
        b,
        "!ponder prompts import",
        "Only admins can do that here.",
    )
    .await;
    // the admin's own earlier file is taken, not Bob's later one
    let own = CLUB
        .replace("id = \"club\"", "id = \"ours\"")
        .replace("id = \"club-", "id = \"ours-");
    send_file(&other, "ours.toml", own.as_bytes()).await;
    send_file(&bob_other, "broken.toml", BROKEN.as_bytes()).await;
    ask(
        &alice,
        &other,
        b,
        "!ponder prompts import",
        "Imported pack `ours` (\"Club questions\"): 3 prompts.",
    )
    .await;

    // the first room's pack is not offered here
    ask(
        &alice,
        &other,
        b,
        "!ponder packs use club",
        "No pack `club` here.",
    )
    .await;
    ask(
        &alice,
        &other,
        b,
        "!ponder prompts export-pack club",
        "No pack `club` was imported here.",
    )
    .await;
    bot.stop();
}
