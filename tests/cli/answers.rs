//! Every CLI answer is clear: each error said once, in words that say what to
//! do; `check` refuses what `run` refuses, in the same words.

use std::path::Path;
use std::process::{Command, Output};

use crate::{PONDER, ponder, text};

fn in_dir(dir: &Path, args: &[&str]) -> Output {
    Command::new(PONDER)
        .args(args)
        .current_dir(dir)
        .env_remove("DISCORD_TOKEN")
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

/// Stderr, asserting the command failed.
fn failure(out: &Output) -> String {
    assert!(!out.status.success(), "should fail: {}", text(&out.stdout));
    text(&out.stderr)
}

/// How often `needle` occurs in `hay`.
fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[test]
fn a_missing_config_is_said_once_and_suggests_copying_the_example() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["run", "check"] {
        let err = failure(&in_dir(dir.path(), &[cmd]));
        assert!(
            err.contains("`cp config.example.toml config.toml`"),
            "{cmd}: {err}"
        );
        assert_eq!(count(&err, "config.toml: "), 1, "{cmd}: {err}");
        assert!(!err.contains("No such file or directory"), "{cmd}: {err}");
        assert_eq!(err.lines().count(), 1, "{cmd}: {err}");
    }
}

#[test]
fn a_database_error_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    // A directory where the database file should be: SQLite cannot open it.
    let db = dir.path().join("d.db");
    std::fs::create_dir(&db).unwrap();
    let err = failure(&in_dir(dir.path(), &["export", "--db", "d.db"]));
    assert_eq!(err.lines().count(), 1, "{err}");
    let words: Vec<&str> = err.split(": ").collect();
    let mut seen = std::collections::HashSet::new();
    for w in &words {
        assert!(seen.insert(w.trim()), "`{w}` said twice in: {err}");
    }
}

#[test]
fn check_refuses_a_config_without_a_platform_in_the_words_run_uses() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "timezone = \"UTC\"\n").unwrap();
    let run = failure(&in_dir(dir.path(), &["run"]));
    let check = failure(&in_dir(dir.path(), &["check"]));
    let words = "no platform is configured: add a [console], [discord] or [matrix] section";
    assert!(run.contains(words), "{run}");
    assert!(check.contains(words), "{check}");
}

#[test]
fn check_lists_a_bad_log_level_and_every_bad_duration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "prompts_dir = \"{}/prompts\"\nthread_open = \"soon\"\n[catch_up]\nmax_lateness = \"later\"\n\
             [log]\nlevel = \"verbose\"\n[console]\n[[channel]]\nplatform = \"console\"\nid = \"console\"\n\
             schedules = [\"0 0 30 2 *\", \"61 * * * *\"]\n",
            env!("CARGO_MANIFEST_DIR")
        ),
    )
    .unwrap();
    let err = failure(&in_dir(dir.path(), &["check"]));
    assert!(err.starts_with("5 problems found:"), "{err}");
    for want in [
        "line 2: thread_open: `soon` is not a duration",
        "line 4: catch_up.max_lateness: `later` is not a duration",
        "log.level: `verbose` is not a log level",
        "`0 0 30 2 *`: it never fires",
        "`61 * * * *`: minute must be 0–59, not 61",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    // `run` refuses the same config with the same lines.
    let run = failure(&in_dir(dir.path(), &["run"]));
    assert!(run.contains("`verbose` is not a log level"), "{run}");
}

#[test]
fn schedule_preview_names_the_cron_field_and_blames_a_bad_zone() {
    let err = failure(&ponder(&["schedule", "preview", "61 * * * *"]));
    assert!(err.contains("minute must be 0–59, not 61"), "{err}");
    assert!(!err.contains("Component"), "{err}");
    let err = failure(&ponder(&["schedule", "preview", "every -5m"]));
    assert!(err.contains("like `every 20s`"), "{err}");
    let err = failure(&ponder(&[
        "schedule",
        "preview",
        "daily 09:00",
        "--tz",
        "Mars/Olympus",
    ]));
    assert!(err.contains("unknown time zone `Mars/Olympus`"), "{err}");
    let err = failure(&ponder(&["schedule", "preview", "0 0 30 2 *"]));
    assert!(err.contains("never fires"), "{err}");
    let err = failure(&ponder(&["schedule", "preview", "every 1000000000000000s"]));
    assert!(err.contains("at most a year"), "{err}");
}

#[test]
fn schedule_preview_refuses_a_count_of_zero_and_bounds_large_counts() {
    let err = failure(&ponder(&[
        "schedule",
        "preview",
        "daily 09:00",
        "--count",
        "0",
    ]));
    assert!(err.contains("1..=1000"), "{err}");
    let err = failure(&ponder(&[
        "schedule", "preview", "every 1s", "--count", "1000000",
    ]));
    assert!(err.contains("1..=1000"), "{err}");
    let out = ponder(&[
        "schedule",
        "preview",
        "every 1s",
        "--count",
        "1000",
        "--from",
        "2026-01-01",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 1000);
}

#[test]
fn schedule_preview_from_takes_a_plain_day_in_the_zone() {
    let out = ponder(&[
        "schedule",
        "preview",
        "0 0 * * *",
        "--tz",
        "Europe/Berlin",
        "--from",
        "2026-03-28",
        "--count",
        "2",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    // The day's own midnight counts: 2026-03-28 00:00 CET is 2026-03-27T23:00Z.
    assert!(lines[0].starts_with("2026-03-27T23:00:00Z"), "{lines:?}");
    assert!(lines[1].starts_with("2026-03-28T23:00:00Z"), "{lines:?}");
    let err = failure(&ponder(&[
        "schedule",
        "preview",
        "daily 09:00",
        "--from",
        "28.03.2026",
    ]));
    assert!(err.contains("expected a day (2026-03-28)"), "{err}");
}

#[test]
fn export_says_when_from_is_after_to_and_when_a_post_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    // A real Ponder database, with no posts.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = ponder::db::Db::open(&db).await.unwrap();
        db.close().await;
    });
    let db = db.to_str().unwrap();
    let err = failure(&in_dir(
        dir.path(),
        &[
            "export",
            "--db",
            db,
            "--from",
            "2026-05-01",
            "--to",
            "2026-04-01",
        ],
    ));
    assert!(
        err.contains("--from 2026-05-01 is after --to 2026-04-01"),
        "{err}"
    );
    let err = failure(&in_dir(
        dir.path(),
        &["export", "--db", db, "--post", "99999"],
    ));
    assert!(err.contains("there is no post #99999"), "{err}");
    assert!(!err.contains("No posts yet"), "{err}");
}
