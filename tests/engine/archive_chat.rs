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
    assert!(!page.contains("Ann Example") && page.contains("\u{2068}AE\u{2069}"));

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
             (1 of 3; days in UTC). For the earlier ones, ask again with `to 2026-11-25`.",
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

/// A channel `general` configured with `extra` (such as `digest_archive =
/// true`), a daily prompt at 09:00 with one reply, and its thread closed
/// two hours later: the world, the bot and the thread. (In 2030: a config's
/// schedule starts from the real clock's now.)
async fn closed_thread(extra: &str, before_close: impl FnOnce(&World)) -> (World, String) {
    let mut w = World::new("2030-01-07T08:00:00Z");
    w.settings.thread_open = chrono::Duration::hours(2);
    let text = format!(
        "[[channel]]\nplatform = \"memory\"\nid = \"general\"\nschedules = [\"0 9 * * *\"]\n{extra}"
    );
    let config = ponder::config::Config::parse(std::path::Path::new("c.toml"), &text).unwrap();
    let db = w.open_db().await;
    ponder::app::sync_channels(&db, &config).await.unwrap();
    db.close().await;
    let bot = w.boot().await;
    w.set_time("2030-01-07T09:00:00Z");
    bot.tick().await;
    let thread = w.chat.threads()[0].clone();
    let reply = w.chat.write(
        &thread,
        "Ann Example",
        "Trust, first and last.",
        utc("2030-01-07T09:30:00Z"),
    );
    assert!(bot.write_reply(PLATFORM, Change::New(reply)).await.unwrap());
    if extra.contains("anonymous = true") {
        let mut ann = member("dm-ann");
        ann.user_id = "ann".into();
        let said = say(&bot, &ann, &format!("!ponder anon {ANONYMOUS}")).await;
        assert!(said.starts_with("Your anonymous reflection"), "{said}");
    }
    before_close(&w);
    w.set_time("2030-01-07T11:00:00Z");
    bot.tick().await;
    assert_eq!(
        w.chat.closed(),
        std::slice::from_ref(&thread),
        "the thread closed"
    );
    let digests: Vec<_> = w
        .chat
        .bot_messages()
        .into_iter()
        .filter(|(place, _, text)| {
            place == &thread && (text.contains("is closed: ") || text.contains("ist geschlossen: "))
        })
        .collect();
    assert_eq!(digests.len(), 1, "one digest, whatever became of the page");
    (w, thread)
}

#[tokio::test]
async fn with_digest_archive_the_digest_carries_the_page_of_its_prompt() {
    let (w, thread) = closed_thread("digest_archive = true\n", |_| {}).await;
    let files = w.chat.files();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].place, thread, "with the digest, in the thread");
    assert_eq!(files[0].name, "ponder-memory-1-post-1.html");
    assert!(
        files[0].text.starts_with("The archive of \"")
            && files[0].text.ends_with("\", to open in a browser."),
        "{}",
        files[0].text
    );
    let page = String::from_utf8(files[0].body.clone()).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("Trust, first and last.") && page.contains("Ann Example"));
    // The page follows its digest.
    let order: Vec<String> = w.chat.bot_messages().into_iter().map(|m| m.2).collect();
    assert!(
        order[0].contains("is closed:") && order[1] == files[0].text,
        "{order:?}"
    );
}

#[tokio::test]
async fn a_german_channel_s_digest_carries_its_archive_page_in_german() {
    let (w, thread) = closed_thread("digest_archive = true\nlanguage = \"de\"\n", |_| {}).await;
    let files = w.chat.files();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].place, thread);
    assert_eq!(files[0].name, "ponder-memory-1-beitrag-1.html");
    assert!(
        files[0].text.starts_with("Das Archiv zu „")
            && files[0].text.ends_with("“, zum Öffnen im Browser."),
        "{}",
        files[0].text
    );
    let page = String::from_utf8(files[0].body.clone()).unwrap();
    assert!(page.contains("<html lang=\"de\">"), "{page}");
    assert!(page.contains("<h4>1 Antwort</h4>") && page.contains("Ponder-Archiv: memory general"));
    assert!(page.contains("Trust, first and last."));
    assert!(!page.contains("Replies by weekday") && !page.contains("On this page"));
}

const ANONYMOUS: &str = "A reflection nobody signs.";

#[tokio::test]
async fn the_digest_s_page_quotes_anonymous_reflections_only_where_the_digest_may() {
    let page = |w: &World| String::from_utf8(w.chat.files()[0].body.clone()).unwrap();
    let (w, _) = closed_thread("digest_archive = true\nanonymous = true\n", |_| {}).await;
    let kept = page(&w);
    assert!(kept.contains("Trust, first and last.") && !kept.contains(ANONYMOUS));
    let (w, _) = closed_thread(
        "digest_archive = true\nanonymous = true\nanonymous_excerpts = true\n",
        |_| {},
    )
    .await;
    assert!(page(&w).contains(ANONYMOUS));
}

#[tokio::test]
async fn digest_archive_is_off_by_default() {
    let (w, _) = closed_thread("", |_| {}).await;
    assert!(w.chat.files().is_empty());
}

#[tokio::test]
async fn a_page_that_cannot_go_leaves_the_digest_to_go_without_it() {
    use ponder::engine::ChatError;
    let (w, _) = closed_thread("digest_archive = true\n", |w| {
        w.chat
            .fail_next_files([ChatError::Refused("missing permission Attach Files".into())]);
    })
    .await;
    assert!(w.chat.files().is_empty(), "the refused page");
    let (w, _) = closed_thread("digest_archive = true\n", |w| {
        w.chat.set_upload_limit(Some(100));
    })
    .await;
    assert!(
        w.chat.files().is_empty(),
        "a page over the limit is not sent"
    );
    let db = ponder::db::Db::open_store_read_only(&w.store)
        .await
        .unwrap();
    let post = db.post(1).await.unwrap().unwrap();
    assert_eq!(post.digest_state, Some(ponder::db::DigestState::Sent));
}

/// Several processes share one database, each with its own platforms' channels
/// in its config (the Matrix room in one process's config only). A process
/// starting without the room must not turn off the room's `digest_archive`:
/// only a config that runs or lists a platform decides its channels' setting.
#[tokio::test]
async fn a_config_without_a_platform_leaves_that_platform_s_digest_archive_alone() {
    let w = World::new("2030-01-07T08:00:00Z");
    let parse =
        |text: &str| ponder::config::Config::parse(std::path::Path::new("c.toml"), text).unwrap();
    let with_room = parse(
        "[[channel]]\nplatform = \"matrix\"\nid = \"!room:example.org\"\ndigest_archive = true\n\
         [[channel]]\nplatform = \"memory\"\nid = \"general\"\ndigest_archive = true\n",
    );
    let without_room =
        parse("[[channel]]\nplatform = \"memory\"\nid = \"general\"\ndigest_archive = true\n");
    let dropped = parse("[[channel]]\nplatform = \"memory\"\nid = \"other\"\n");
    let db = w.open_db().await;
    ponder::app::sync_channels(&db, &with_room).await.unwrap();
    ponder::app::sync_channels(&db, &without_room)
        .await
        .unwrap();
    let on = |row: Option<ponder::db::ChannelRow>| row.unwrap().digest_archive;
    assert!(
        on(db
            .find_channel("matrix", "!room:example.org")
            .await
            .unwrap()),
        "the other process's room keeps its page"
    );
    assert!(on(db.find_channel(PLATFORM, "general").await.unwrap()));
    // a config that lists the platform without the channel drops it there
    ponder::app::sync_channels(&db, &dropped).await.unwrap();
    assert!(!on(db.find_channel(PLATFORM, "general").await.unwrap()));
    assert!(on(db
        .find_channel("matrix", "!room:example.org")
        .await
        .unwrap()));
    db.close().await;
}
