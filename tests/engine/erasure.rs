//! `forget-me` deletes for good: the erased text is overwritten in the
//! database file and leaves no copy in the write-ahead log. On PostgreSQL
//! (`PONDER_TEST_BACKEND=postgres`) the rows are gone from every table; the
//! server's files are its own to vacuum (README, Scaling out).

use ponder::domain::command::parse;
use ponder::engine::ingest::Change;
use ponder::platform::memory::PLATFORM;

use crate::harness::*;

const REPLY: &str = "ErasedReplyText-4c1f-my-secret-answer";
const SUGGESTION: &str = "ErasedSuggestionText-9b27-what-I-proposed";

/// Every file of the database (the file, its log, its shared memory) that
/// contains `needle`, as names; on PostgreSQL, `["ponder.db"]` when a row of
/// any table holding member text contains it.
async fn files_holding(w: &World, needle: &str) -> Vec<String> {
    if matches!(w.store, ponder::db::Store::Postgres(_)) {
        let mut rows = 0;
        for (table, column) in [
            ("replies", "body"),
            ("suggestions", "body"),
            ("suggestions", "author_name"),
            ("replies", "author_name"),
        ] {
            rows += w
                .count(&format!(
                    "SELECT count(*) FROM {table} WHERE {column} LIKE '%{needle}%'"
                ))
                .await;
        }
        return if rows > 0 {
            vec!["ponder.db".into()]
        } else {
            Vec::new()
        };
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(w.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("ponder.db") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        if bytes
            .windows(needle.len())
            .any(|window| window == needle.as_bytes())
        {
            found.push(name);
        }
    }
    found
}

#[tokio::test]
async fn forget_me_leaves_no_byte_of_the_erased_text_in_the_database_or_its_log() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    let say = |text: &'static str| {
        let bot = bot.clone();
        async move {
            bot.handle(&member("general"), parse(text).unwrap().unwrap())
                .await
                .text
        }
    };
    bot.handle(
        &admin("general"),
        parse("!ponder now trust-or-ease").unwrap().unwrap(),
    )
    .await;
    let thread = w.chat.threads()[0].clone();
    let at = utc("2026-11-24T08:05:00Z");
    let mut mine = w.chat.write(&thread, "Mo", REPLY, at);
    mine.author_id = "member".into();
    assert!(
        bot.write_reply(PLATFORM, Change::New(mine.clone()))
            .await
            .unwrap()
    );
    let kept = w.chat.write(&thread, "Ann", "an answer that stays", at);
    assert!(
        bot.write_reply(PLATFORM, Change::New(kept.clone()))
            .await
            .unwrap()
    );
    let suggested = say("!ponder suggest ErasedSuggestionText-9b27-what-I-proposed").await;
    assert!(suggested.starts_with("Thanks"), "{suggested}");
    assert!(
        !files_holding(&w, REPLY).await.is_empty(),
        "the test needs the text stored first"
    );

    let done = say("!ponder forget-me confirm").await;
    assert!(done.starts_with("Done: 1 reply deleted."), "{done}");

    // While the bot still runs: gone from the file and from the log.
    assert_eq!(files_holding(&w, REPLY).await, Vec::<String>::new());
    assert_eq!(files_holding(&w, SUGGESTION).await, Vec::<String>::new());

    // After a clean stop, too; what was not erased is still there.
    bot.db().close().await;
    drop(bot);
    assert_eq!(files_holding(&w, REPLY).await, Vec::<String>::new());
    assert_eq!(files_holding(&w, SUGGESTION).await, Vec::<String>::new());
    assert_eq!(
        files_holding(&w, "an answer that stays").await,
        ["ponder.db"]
    );
}
