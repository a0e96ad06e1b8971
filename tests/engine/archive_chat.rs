//! `archive` in chat: the page answered as a file to admins (or posted in
//! the channel on request), refused to members, narrowed by date to the
//! platform's upload limit with a note (and `export` likewise), and the
//! channel's server remembered for links.

use std::sync::Arc;

use ponder::domain::command::{ArchiveNames, Command, parse};
use ponder::engine::Engine;
use ponder::engine::ingest::Change;
use ponder::platform::memory::PLATFORM;

use crate::harness::*;

/// A channel `general` with a prompt on each of three days, each with a reply.
async fn three_days() -> (World, Arc<Engine>) {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    for (day, text) in [
        ("2026-11-24", "Monday answer."),
        ("2026-11-25", "Tuesday answer."),
        ("2026-11-26", "Wednesday answer."),
    ] {
        w.set_time(&format!("{day}T08:00:00Z"));
        let said = say(&bot, &admin("general"), "!ponder now").await;
        assert!(said.starts_with("Posted"), "{said}");
        let thread = w.chat.prompts().last().unwrap().message_id.clone();
        let reply = w.chat.write(
            &thread,
            "Ann Example",
            text,
            utc(&format!("{day}T08:05:00Z")),
        );
        assert!(bot.write_reply(PLATFORM, Change::New(reply)).await.unwrap());
    }
    (w, bot)
}

async fn ask(bot: &Engine, text: &str) -> ponder::engine::Answer {
    bot.handle(&admin("general"), parse(text).unwrap().unwrap())
        .await
}

#[tokio::test]
async fn archive_answers_an_admin_with_the_page_and_refuses_a_member() {
    let (w, bot) = three_days().await;
    let answer = ask(&bot, "!ponder archive").await;
    assert_eq!(
        answer.text,
        "The archive of here: 3 prompts, to open in a browser."
    );
    let (name, page) = answer.file.expect("the page, as a file");
    assert_eq!(name, "ponder-memory-1.html");
    assert!(page.starts_with("<!DOCTYPE html>"));
    for text in ["Monday answer.", "Tuesday answer.", "Wednesday answer."] {
        assert!(page.contains(text), "{text} missing");
    }
    assert!(page.contains("Ann Example"));
    assert!(w.chat.files().is_empty(), "nothing posted in the channel");

    let initials = ask(&bot, "!ponder archive from 2026-11-25 initials").await;
    let (_, page) = initials.file.unwrap();
    assert!(!page.contains("Monday answer."), "before `from`");
    assert!(page.contains("Tuesday answer."));
    assert!(!page.contains("Ann Example") && page.contains(">AE<"));

    let refused = bot
        .handle(
            &member("general"),
            parse("!ponder archive").unwrap().unwrap(),
        )
        .await;
    assert_eq!(refused.text, "Only admins can do that here.");
    assert!(refused.file.is_none());

    let empty = ask(&bot, "!ponder archive from 2026-12-01").await;
    assert_eq!(empty.text, "No prompts here between those days.");
    assert!(empty.file.is_none());
    let backwards = ask(&bot, "!ponder archive from 2026-11-26 to 2026-11-24").await;
    assert!(backwards.text.contains("is after"), "{}", backwards.text);
}

#[tokio::test]
async fn a_public_archive_is_posted_in_the_channel_and_the_admin_is_told() {
    let (w, bot) = three_days().await;
    let answer = bot
        .handle(
            &admin("general"),
            Command::Archive {
                from: None,
                to: None,
                names: ArchiveNames::Hidden,
                public: true,
            },
        )
        .await;
    assert_eq!(answer.text, "Posted the archive in the channel.");
    assert!(answer.file.is_none(), "the file went to the channel");
    let files = w.chat.files();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].place, "general");
    assert_eq!(files[0].name, "ponder-memory-1.html");
    assert_eq!(
        files[0].text,
        "The archive of this channel: 3 prompts, to open in a browser."
    );
    let page = String::from_utf8(files[0].body.clone()).unwrap();
    assert!(page.contains("Wednesday answer.") && !page.contains("Ann Example"));
}

#[tokio::test]
async fn an_archive_over_the_upload_limit_keeps_its_newest_days_and_says_how_to_get_the_rest() {
    let (w, bot) = three_days().await;
    let last_day = ask(&bot, "!ponder archive from 2026-11-26")
        .await
        .file
        .unwrap()
        .1;
    let whole = ask(&bot, "!ponder archive").await.file.unwrap().1;
    assert!(last_day.len() < whole.len());
    w.chat.set_upload_limit(Some(last_day.len() as u64));

    let answer = ask(&bot, "!ponder archive").await;
    let (_, page) = answer.file.expect("a narrowed file, not a refusal");
    assert_eq!(page, last_day, "exactly the newest day that fits");
    assert_eq!(
        answer.text,
        format!(
            "The archive of here: 1 prompt, to open in a browser. The whole file would be larger \
             than memory's upload limit ({} KB), so it holds only the prompts from 2026-11-26 on \
             (1 of 3). For the earlier ones, ask again with `to 2026-11-25`.",
            (last_day.len() as u64).div_ceil(1024)
        )
    );
    // The rest, asked for as the note says, comes a day at a time here.
    let rest = ask(&bot, "!ponder archive to 2026-11-25").await;
    assert!(
        rest.text.ends_with("ask again with `to 2026-11-24`."),
        "{}",
        rest.text
    );
    let (_, rest) = rest.file.unwrap();
    assert!(rest.contains("Tuesday answer.") && !rest.contains("Wednesday answer."));

    // `export` is narrowed the same way, and keeps `from` in its advice.
    w.chat.set_upload_limit(None);
    let json = ask(&bot, "!ponder export json from 2026-11-25")
        .await
        .file
        .unwrap()
        .1;
    let newest = ask(&bot, "!ponder export json from 2026-11-26")
        .await
        .file
        .unwrap()
        .1;
    w.chat.set_upload_limit(Some(newest.len() as u64));
    assert!(json.len() > newest.len());
    let export = ask(&bot, "!ponder export json from 2026-11-25").await;
    assert_eq!(export.file.unwrap().1, newest);
    assert!(
        export
            .text
            .starts_with("1 post exported. The whole file would be larger")
            && export
                .text
                .ends_with("ask again with `from 2026-11-25 to 2026-11-25`."),
        "{}",
        export.text
    );

    // Not even the newest day fits: a clear no, never a cut file.
    w.chat.set_upload_limit(Some(100));
    let no = ask(&bot, "!ponder archive").await;
    assert!(no.file.is_none());
    assert!(
        no.text.starts_with(
            "Even the newest day's prompts make a page larger than memory's upload limit"
        ),
        "{}",
        no.text
    );
}

#[tokio::test]
async fn a_channel_remembers_its_server_once_known() {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    bot.remember_guild(PLATFORM, "unknown", "7").await.unwrap();
    bot.remember_guild(PLATFORM, "general", "42").await.unwrap();
    let db = bot.db();
    assert_eq!(
        db.find_channel(PLATFORM, "general")
            .await
            .unwrap()
            .unwrap()
            .guild
            .as_deref(),
        Some("42")
    );
    assert!(
        db.find_channel(PLATFORM, "unknown")
            .await
            .unwrap()
            .is_none(),
        "no channel is made for a server"
    );
}
