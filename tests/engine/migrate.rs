//! `ponder migrate`: a SQLite database holding every kind of row (posts,
//! replies edited and deleted, an anonymous reflection, suggestions,
//! rotation state, quiet days and a skipped slot, an imported pack, a
//! disabled prompt, an erasure) copied into an empty PostgreSQL one by the
//! real binary: the counts match table by table, every export and archive
//! page from each backend is byte-identical, and the bot goes on there.

use std::path::Path;
use std::process::{Command as Process, Output};

use ponder::db::{Store, TABLES};
use ponder::domain::command::{Attached, Command};
use ponder::engine::ingest::Change;
use ponder::platform::memory::PLATFORM;

use crate::harness::*;
use crate::postgres;

const PACK: &str = r#"id = "ours"
title = "Our questions"
description = "Questions of our own."

[[prompt]]
id = "ours-garden"
title = "The garden"
text = "What grows in your garden that nobody planted?"

[[prompt]]
id = "ours-bridge"
text = "Which bridge do you cross every day without noticing it?"
"#;

fn ponder(args: &[&str]) -> Output {
    Process::new(env!("CARGO_BIN_EXE_ponder"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("running ponder")
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "ponder failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A SQLite database with a row in every table, written by the engine the
/// way a community's use writes it; returns the path of a copy no process
/// holds (the bot's own file stays locked by this test process).
async fn a_lived_in_database(w: &World) -> std::path::PathBuf {
    w.schedule("general", "0 9 * * *", "UTC").await;
    w.quiet("general", "2026-11-26..2026-11-26 a holiday").await;
    let bot = w.boot().await;
    bot.remember_guild(PLATFORM, "general", "g1").await.unwrap();
    let imported = bot
        .handle(
            &admin("general"),
            Command::PackImport {
                file: Attached::File {
                    name: "ours.toml".into(),
                    bytes: PACK.as_bytes().to_vec(),
                },
            },
        )
        .await
        .text;
    assert!(imported.starts_with("Imported pack `ours`"), "{imported}");
    say(
        &bot,
        &admin("general"),
        "!ponder prompts disable ours-garden",
    )
    .await;
    say(&bot, &admin("general"), "!ponder anonymous on").await;
    w.set_time("2026-11-25T09:00:00Z");
    bot.tick().await;
    let thread = w.chat.threads()[0].clone();
    let at = utc("2026-11-25T09:05:00Z");
    let store = |change| {
        let bot = bot.clone();
        async move { assert!(bot.write_reply(PLATFORM, change).await.unwrap()) }
    };
    let mut edited = w.chat.write(&thread, "Ann Example", "Trust, at first.", at);
    store(Change::New(edited.clone())).await;
    edited.text = "Trust, slowly earned — «ü» 🌱".into();
    store(Change::Edited(edited)).await;
    let deleted = w.chat.write(&thread, "Bo", "Gone by its author.", at);
    store(Change::New(deleted.clone())).await;
    store(Change::Deleted {
        thread_id: thread.clone(),
        message_id: deleted.message_id,
    })
    .await;
    let mut erased = w.chat.write(&thread, "Mo", "Erased by forget-me.", at);
    erased.author_id = "member".into();
    store(Change::New(erased)).await;
    store(Change::New(w.chat.write(
        &thread,
        "Cy, \"quoted\"",
        "A line,\nand another; with a comma",
        at,
    )))
    .await;
    let mut ann = member("dm-ann");
    ann.user_id = "ann".into();
    let anon = say(&bot, &ann, "!ponder anon I trust what I cannot see.").await;
    assert!(anon.starts_with("Your anonymous reflection"), "{anon}");
    let mut cy = member("general");
    cy.user_id = "cy".into();
    say(
        &bot,
        &cy,
        "!ponder suggest What do you keep that nobody sees?",
    )
    .await;
    say(&bot, &cy, "!ponder suggest What would you never automate?").await;
    let approved = say(&bot, &admin("general"), "!ponder approve 1").await;
    assert!(approved.starts_with("Suggestion #1 approved"), "{approved}");
    let done = say(&bot, &member("general"), "!ponder forget-me confirm").await;
    assert!(done.starts_with("Done: 1 reply deleted."), "{done}");
    // a quiet day: its slot is skipped and recorded
    w.set_time("2026-11-26T09:00:00Z");
    bot.tick().await;
    w.set_time("2026-11-27T09:00:00Z");
    bot.tick().await;
    assert_eq!(w.chat.prompts().len(), 2);
    bot.db().checkpoint().await.unwrap();
    let copy = w.dir.path().join("lived-in.db");
    let Store::Sqlite(path) = &w.store else {
        unreachable!()
    };
    std::fs::copy(path, &copy).unwrap();
    copy
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_database_moves_to_postgres_with_every_row_and_the_same_exports() {
    let Some(server) = postgres::server() else {
        return;
    };
    let mut w = World::new("2026-11-24T08:00:00Z");
    // the source is a SQLite file, whichever backend the suite runs on
    w.store = Store::Sqlite(w.dir.path().join("ponder.db"));
    let sqlite = a_lived_in_database(&w).await;
    let sqlite_arg = sqlite.to_str().unwrap();
    let target = postgres::fresh_database(&server);
    let Store::Postgres(url) = &target else {
        unreachable!()
    };

    let said = stdout(&ponder(&["migrate", "--db", sqlite_arg, "--to", url]));
    assert!(said.contains("the row counts match"), "{said}");
    let pg = sqlx::PgPool::connect(url).await.unwrap();
    let counted = sqlx::SqlitePool::connect(&format!("sqlite:{}", sqlite.display()))
        .await
        .unwrap();
    for table in TABLES {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&counted)
                .await
                .unwrap();
        assert!(n > 0, "the lived-in database has no row in {table}");
        let line = said
            .lines()
            .find(|l| l.split_whitespace().next() == Some(table))
            .unwrap_or_else(|| panic!("no line for {table}: {said}"));
        assert_eq!(
            line.split_whitespace().nth(1),
            Some(n.to_string().as_str()),
            "{line}"
        );
        let m: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&pg)
                .await
                .unwrap();
        assert_eq!(m, n, "{table}");
    }
    counted.close().await;
    pg.close().await;

    for format in ["md", "json", "csv"] {
        let from = stdout(&ponder(&["export", "--db", sqlite_arg, "--format", format]));
        let to = stdout(&ponder(&["export", "--db", url, "--format", format]));
        assert!(from.contains("slowly earned"), "{format}: {from}");
        assert!(!from.contains("Erased by forget-me"), "{format}");
        assert_eq!(from, to, "the {format} export differs");
    }
    let pages = w.dir.path().join("pages");
    for (db, out) in [(sqlite_arg, "sqlite"), (url.as_str(), "pg")] {
        stdout(&ponder(&[
            "archive",
            "--db",
            db,
            "--out",
            pages.join(out).to_str().unwrap(),
        ]));
    }
    let files = |dir: &Path| {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    };
    let (a, b) = (files(&pages.join("sqlite")), files(&pages.join("pg")));
    assert!(!a.is_empty());
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(&b) {
        assert_eq!(a.file_name(), b.file_name());
        assert!(
            std::fs::read(a).unwrap() == std::fs::read(b).unwrap(),
            "{} differs",
            a.display()
        );
    }

    // A second migrate into the same database is refused and changes nothing.
    let again = ponder(&["migrate", "--db", sqlite_arg, "--to", url]);
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("already holds Ponder's data"), "{err}");
    assert_eq!(err.lines().count(), 1, "said once: {err}");

    // The bot goes on on PostgreSQL: ids continue after the copied ones,
    // and the rotation remembers what was posted.
    let mut w2 = World::new("2026-11-28T09:00:00Z");
    w2.store = target;
    let posts_before = w2.count("SELECT COUNT(*) FROM posts").await;
    let bot = w2.boot().await;
    bot.tick().await;
    let posted = w2.chat.prompts();
    assert_eq!(posted.len(), 1, "the day's slot posts once on PostgreSQL");
    assert_eq!(
        w2.count("SELECT COUNT(*) FROM posts").await,
        posts_before + 1
    );
    assert_eq!(
        w2.count("SELECT COUNT(*) FROM posts WHERE id > 2").await,
        1,
        "the new post has the next id"
    );
    assert_eq!(
        w2.count(
            "SELECT COUNT(*) FROM (SELECT prompt_id FROM posts GROUP BY prompt_id HAVING COUNT(*) > 1) t"
        )
        .await,
        0,
        "a prompt posted before the move is not drawn again in the same cycle"
    );
}

/// PostgreSQL cannot store a NUL character, which a SQLite text may hold:
/// the copy writes U+FFFD in its place and says where, and loses no row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nul_character_is_replaced_and_said_not_a_failed_move() {
    let Some(server) = postgres::server() else {
        return;
    };
    let mut w = World::new("2026-11-24T08:00:00Z");
    w.store = Store::Sqlite(w.dir.path().join("ponder.db"));
    let bot = w.boot().await;
    say(&bot, &admin("general"), "!ponder now trust-or-ease").await;
    let thread = w.chat.threads()[0].clone();
    let reply = w
        .chat
        .write(&thread, "Ann", "before\0after", utc("2026-11-24T08:01:00Z"));
    assert!(bot.write_reply(PLATFORM, Change::New(reply)).await.unwrap());
    bot.db().checkpoint().await.unwrap();
    let Store::Sqlite(path) = &w.store else {
        unreachable!()
    };
    let copy = w.dir.path().join("copy.db");
    std::fs::copy(path, &copy).unwrap();
    // Ponder keeps a NUL as U+FFFD now; a file an older Ponder wrote holds it as is.
    {
        let old = sqlx::SqlitePool::connect(&format!("sqlite://{}", copy.display()))
            .await
            .unwrap();
        sqlx::query("UPDATE replies SET body = 'before' || char(0) || 'after'")
            .execute(&old)
            .await
            .unwrap();
        old.close().await;
    }
    let target = postgres::fresh_database(&server);
    let Store::Postgres(url) = &target else {
        unreachable!()
    };
    let said = stdout(&ponder(&[
        "migrate",
        "--db",
        copy.to_str().unwrap(),
        "--to",
        url,
    ]));
    assert!(
        said.contains("1 text(s) held a NUL character") && said.contains("replies.body of row 1"),
        "{said}"
    );
    let pg = sqlx::PgPool::connect(url).await.unwrap();
    let body: String = sqlx::query_scalar("SELECT body FROM replies")
        .fetch_one(&pg)
        .await
        .unwrap();
    assert_eq!(body, "before\u{fffd}after");
    pg.close().await;
}

#[tokio::test]
async fn migrate_says_what_it_needs_and_touches_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.db");
    let out = ponder(&[
        "migrate",
        "--db",
        missing.to_str().unwrap(),
        "--to",
        "postgres://ponder@127.0.0.1:1/x",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no database at"), "{err}");
    assert!(!missing.exists(), "nothing created");

    let out = ponder(&[
        "migrate",
        "--db",
        missing.to_str().unwrap(),
        "--to",
        dir.path().join("other.db").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("is not a PostgreSQL address"), "{err}");

    let out = ponder(&[
        "migrate",
        "--db",
        "x.db",
        "--to",
        "postgres://ponder:hunter2@127.0.0.1:1/x",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        !err.contains("hunter2"),
        "the password is never printed: {err}"
    );
}
