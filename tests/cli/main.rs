//! The `ponder` binary as a newcomer and an operator use it.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod answers;
mod archive_chat;
#[cfg(feature = "discord")]
mod bench;
#[cfg(feature = "discord")]
mod container;
mod demo;
mod draft;
mod process;
mod production;
#[cfg(feature = "discord")]
mod walkthrough;

const PONDER: &str = env!("CARGO_BIN_EXE_ponder");

fn ponder(args: &[&str]) -> Output {
    Command::new(PONDER)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn sigterm(pid: u32) {
    let ok = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

#[test]
fn demo_posts_a_prompt_opens_its_thread_and_keeps_a_piped_reply() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let mut child = Command::new(PONDER)
        .args(["demo", "--db", db.to_str().unwrap(), "--every", "2"])
        .current_dir(dir.path()) // no ./prompts here: the built-in packs are used
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"my reflection\n")
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    while !seen.iter().any(|l: &String| l.contains("reply stored")) {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => seen.push(line),
            Err(_) => panic!(
                "no reply stored within 30 s; output so far:\n{}",
                seen.join("\n")
            ),
        }
    }
    let all = seen.join("\n");
    assert!(all.contains("new prompt #"), "{all}");
    assert!(all.contains("is open for"), "{all}");
    let posted = seen
        .iter()
        .position(|l| l.contains("new prompt #"))
        .unwrap();
    let stored = seen
        .iter()
        .position(|l| l.contains("reply stored"))
        .unwrap();
    assert!(
        posted < stored,
        "the reply waits for the first thread:\n{all}"
    );

    let started = Instant::now();
    sigterm(child.id());
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "SIGTERM ends the demo cleanly: {status:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));

    let out = ponder(&["export", "--db", db.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let posts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &posts[0];
    assert!(first["prompt"]["text"].as_str().unwrap().len() > 20);
    assert_eq!(first["replies"][0]["text"], "my reflection");
    assert_eq!(first["replies"].as_array().unwrap().len(), 1);
    for p in posts.as_array().unwrap().iter().skip(1) {
        assert!(p["replies"].as_array().unwrap().is_empty());
    }

    // The same archive narrowed by channel and day, as CSV: a header and the reply.
    let db = db.to_str().unwrap();
    let out = ponder(&[
        "export",
        "--db",
        db,
        "--format",
        "csv",
        "--channel",
        "console",
        "--from",
        "2000-01-01",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.lines().nth(1).unwrap().ends_with(",my reflection"),
        "{csv}"
    );
    let out = ponder(&[
        "export",
        "--db",
        db,
        "--format",
        "csv",
        "--to",
        "2000-01-01",
    ]);
    assert_eq!(
        text(&out.stdout).lines().count(),
        1,
        "only the header before 2000"
    );
    let out = ponder(&["export", "--db", db, "--channel", "nowhere"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no channel `nowhere` in this database"));
}

#[test]
fn check_accepts_the_example_config() {
    let out = ponder(&["check", "--config", "config.example.toml"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("ok: config") && stdout.contains("ok: prompts"),
        "{stdout}"
    );
}

#[test]
fn check_lists_every_problem_in_a_prompt_file_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[console]\n[[channel]]\nplatform = \"console\"\nid = \"console\"\nschedules = [\"daily 09:00\"]\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("prompts")).unwrap();
    std::fs::write(
        dir.path().join("prompts/broken.toml"),
        "id = \"broken\"\ntitle = \"Broken\"\ndescription = \"three problems\"\n\n\
         [[prompt]]\nid = \"a\"\ntext = \"\"\n\n\
         [[prompt]]\nid = \"b\"\ntext = \"fine\"\nmood = \"curious\"\n\n\
         [[prompt]]\nid = \"a\"\ntext = \"again\"\n",
    )
    .unwrap();
    let config = dir.path().join("config.toml");
    let out = ponder(&["check", "--config", config.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("3 problems found:"), "{stderr}");
    for want in [
        "broken.toml:7: prompt[1].text",
        "broken.toml:12: prompt[2].mood: unknown field",
        "broken.toml:14: prompt[3].id: duplicate",
    ] {
        assert!(stderr.contains(want), "missing {want:?} in:\n{stderr}");
    }
}

#[test]
fn check_names_a_bad_cron_expression_and_a_bad_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "prompts_dir = \"../../does-not-matter\"\n[console]\n[[channel]]\nplatform = \"console\"\nid = \"console\"\n\
         timezone = \"Europe/Paaris\"\nschedules = [\"0 25 * * *\"]\n",
    )
    .unwrap();
    let out = ponder(&["check", "--config", config.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("line 6: channel[1].timezone: unknown time zone `Europe/Paaris`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 7: channel[1].schedules: bad cron expression `0 25 * * *`"),
        "{stderr}"
    );
}

#[test]
fn check_names_a_bad_quiet_day_with_its_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "prompts_dir = \"../../does-not-matter\"\n[console]\n[[channel]]\nplatform = \"console\"\nid = \"console\"\n\
         schedules = [\"daily 09:00\"]\nquiet = [\"sat,sun\",\n  \"2026-12-26..2026-12-24 holidays\"]\n",
    )
    .unwrap();
    let out = ponder(&["check", "--config", config.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "line 8: channel[1].quiet: 2026-12-26 comes after 2026-12-24: write the earlier day first"
        ),
        "{stderr}"
    );
}

#[test]
fn check_and_run_refuse_matrix_beside_a_shard_range_and_check_names_a_malformed_range() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let write = |shards: &str, matrix: &str| {
        std::fs::write(
            &config,
            format!(
                "prompts_dir = \"{}/prompts\"\ndata_dir = \"data\"\n[discord]\napi_base = \"http://127.0.0.1:9\"\n\
                 shards = \"{shards}\"\n[matrix]\nhomeserver = \"http://127.0.0.1:9\"\nuser = \"@ponder:localhost\"\n{matrix}",
                env!("CARGO_MANIFEST_DIR")
            ),
        )
        .unwrap();
    };
    let refusal = "line 5: discord.shards: this process runs Discord shards 0-3 of 8 only, and Matrix runs in exactly one process";
    write("0-3 of 8", "");
    for cmd in ["check", "run"] {
        let out = Command::new(PONDER)
            .args([cmd, "--config", config.to_str().unwrap()])
            .env("DISCORD_TOKEN", "a-token-for-the-check-only")
            .env("MATRIX_PASSWORD", "a-password-for-the-check-only")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{cmd} took it");
        let stderr = text(&out.stderr);
        let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(refusal)).collect();
        assert_eq!(lines.len(), 1, "{cmd}: said once, on one line: {stderr}");
        assert!(
            stderr.contains("config.toml") && lines[0].contains("with_shard_range = true"),
            "{cmd}: names the file and the knob: {stderr}"
        );
    }
    // told that this process is the one running Matrix: no such problem
    write("0-3 of 8", "with_shard_range = true\n");
    let out = ponder(&["check", "--config", config.to_str().unwrap()]);
    assert!(
        !text(&out.stderr).contains("discord.shards"),
        "{}",
        text(&out.stderr)
    );
    // a range that cannot be: named with its line and field
    write("4-3 of 8", "with_shard_range = true\n");
    let out = ponder(&["check", "--config", config.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "line 5: discord.shards: `4-3 of 8` is not a range of shards: the range starts after it ends (4 > 3)"
        ),
        "{stderr}"
    );
}

#[test]
fn schedule_preview_marks_the_fires_a_quiet_day_skips() {
    let out = ponder(&[
        "schedule",
        "preview",
        "daily 09:00",
        "--tz",
        "Europe/Berlin",
        "--from",
        "2026-12-23",
        "--count",
        "3",
        "--quiet",
        "2026-12-24..2026-12-24 christmas eve",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    assert_eq!(
        lines,
        [
            "2026-12-23T08:00:00Z  2026-12-23 09:00 CET (+01:00)",
            "2026-12-24T08:00:00Z  2026-12-24 09:00 CET (+01:00)  SKIPPED: quiet day (2026-12-24: christmas eve)",
            "2026-12-25T08:00:00Z  2026-12-25 09:00 CET (+01:00)",
        ]
    );
}

#[test]
fn schedule_preview_shows_the_skipped_hour_of_berlin_handled() {
    let out = ponder(&[
        "schedule",
        "preview",
        "30 2 * * *",
        "--tz",
        "Europe/Berlin",
        "--from",
        "2026-03-28T00:00:00Z",
        "--count",
        "3",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        "2026-03-28T01:30:00Z  2026-03-28 02:30 CET (+01:00)"
    );
    assert!(
        lines[1].starts_with(
            "2026-03-29T01:00:00Z  2026-03-29 03:00 CEST (+02:00)  (02:30 does not exist"
        ),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2],
        "2026-03-30T00:30:00Z  2026-03-30 02:30 CEST (+02:00)"
    );
}

#[test]
fn schedule_preview_rejects_a_bad_expression_by_name() {
    let out = ponder(&["schedule", "preview", "every tuesday", "--tz", "UTC"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("`tuesday` is not a duration"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn prompts_list_prints_pack_and_id_first() {
    let out = ponder(&["prompts", "list", "--prompts", "prompts"]);
    assert!(out.status.success());
    let lines: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
    assert!(lines.len() >= 15);
    assert!(lines.iter().all(|l| l.starts_with("essay-")), "{lines:?}");
}

#[test]
fn the_shipped_packs_quote_the_essay_and_match_the_built_in_copy() {
    let essay_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/essay.txt");
    let essay = std::fs::read_to_string(&essay_path)
        .unwrap_or_else(|e| panic!("the essay must sit at {}: {e}", essay_path.display()));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts");
    let set = ponder::prompt_files::load_dir(&dir).unwrap();
    assert!(set.packs.len() >= 2);
    assert!(set.len() >= 15);
    for p in set.prompts() {
        let source = p
            .source
            .as_deref()
            .unwrap_or_else(|| panic!("{} has no source", p.qualified_id()));
        assert!(
            essay.contains(source),
            "{}: source is not a quote of the essay: {source}",
            p.qualified_id()
        );
    }
    let embedded = ponder::prompt_files::PromptSource::Embedded.load().unwrap();
    let ids = |s: &ponder::domain::prompt::PromptSet| {
        s.prompts()
            .map(|p| (p.qualified_id(), p.text.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&embedded),
        ids(&set),
        "rebuild: the built-in packs differ from prompts/"
    );
    let files = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(
        files,
        ponder::prompt_files::EMBEDDED.len(),
        "every file in prompts/ must be listed in EMBEDDED"
    );
}

#[test]
fn run_without_a_config_file_says_so() {
    let out = ponder(&["run", "--config", "/nonexistent/ponder.toml"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("cannot read /nonexistent/ponder.toml"),
        "{}",
        text(&out.stderr)
    );
}
