//! `ponder demo` as a newcomer meets it: in a real pseudo-terminal (Ctrl-C,
//! SIGTERM with the terminal open), and through pipes for what it prints.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rexpect::process::{Signal, WaitStatus};
use rexpect::session::PtySession;

use crate::{PONDER, sigterm, text};

/// `PRAGMA integrity_check` on the demo's database says `ok`.
fn assert_intact(db: &Path) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        use sqlx::Connection as _;
        let url = format!("sqlite://{}?mode=ro", db.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        let (ok,): (String,) = sqlx::query_as("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(ok, "ok", "the database is intact");
    });
}

/// Starts the demo in a pseudo-terminal, in `dir` (no `./prompts` there).
fn demo_in_pty(dir: &Path, db: &Path) -> PtySession {
    let mut cmd = Command::new(PONDER);
    cmd.args(["demo", "--db", db.to_str().unwrap()])
        .current_dir(dir)
        .env_remove("RUST_LOG");
    rexpect::session::spawn_command(cmd, Some(10_000)).unwrap()
}

/// Waits until the process exits; its exit code, or a panic after `limit`.
fn exit_code_within(session: &PtySession, limit: Duration) -> i32 {
    let started = Instant::now();
    loop {
        match session.process().status() {
            Some(WaitStatus::Exited(_, code)) => return code,
            Some(WaitStatus::StillAlive) | None => {}
            Some(other) => panic!("the demo ended by {other:?}, not by exiting"),
        }
        assert!(
            started.elapsed() < limit,
            "the demo still runs {limit:?} after the signal"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_demo_in_a_terminal_shows_a_prompt_at_once_keeps_a_reply_answers_help_and_stops_on_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let mut p = demo_in_pty(dir.path(), &db);
    let started = Instant::now();
    p.exp_string("new prompt #1").unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the first prompt came after {:?}",
        started.elapsed()
    );
    p.exp_string("type a line to reply").unwrap();
    p.send_line("a reflection typed at the terminal").unwrap();
    p.exp_string("reply stored under prompt #1").unwrap();
    p.send_line("!ponder help").unwrap();
    p.exp_string("!ponder next").unwrap();

    p.send_control('c').unwrap();
    assert_eq!(exit_code_within(&p, Duration::from_secs(2)), 0);
    assert_intact(&db);

    let out = Command::new(PONDER)
        .args(["export", "--db", db.to_str().unwrap(), "--format", "md"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("a reflection typed at the terminal"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn sigterm_stops_the_demo_within_two_seconds_while_its_terminal_stays_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let mut p = demo_in_pty(dir.path(), &db);
    p.exp_string("type a line to reply").unwrap();
    p.process_mut().signal(Signal::SIGTERM).unwrap();
    assert_eq!(exit_code_within(&p, Duration::from_secs(2)), 0);
    assert_intact(&db);
}

/// The demo with its stdin and stdout as pipes, in a directory of its own.
pub struct PipedDemo {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<Vec<u8>>,
    /// Everything printed so far, byte for byte.
    pub raw: Vec<u8>,
}

impl PipedDemo {
    pub fn start(setup: impl FnOnce(&Path)) -> PipedDemo {
        Self::start_with(setup, &[])
    }

    /// Like [`PipedDemo::start`], with more arguments for `ponder demo`.
    pub fn start_with(setup: impl FnOnce(&Path), more: &[&str]) -> PipedDemo {
        let dir = tempfile::tempdir().unwrap();
        setup(dir.path());
        let db = dir.path().join("d.db");
        Self::start_in(dir, db, more)
    }

    /// The demo again on the database of one that was stopped.
    pub fn start_in(dir: tempfile::TempDir, db: PathBuf, more: &[&str]) -> PipedDemo {
        let mut child = Command::new(PONDER)
            .args(["demo", "--db", db.to_str().unwrap(), "--seed", "1"])
            .args(more)
            .current_dir(dir.path())
            .env_remove("RUST_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            loop {
                let mut line = Vec::new();
                match out.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if tx.send(line).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        PipedDemo {
            dir,
            db,
            child,
            stdin,
            lines,
            raw: Vec::new(),
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Everything printed so far, as text.
    pub fn output(&self) -> String {
        text(&self.raw)
    }

    /// Waits until `needle` has been printed `count` times in all.
    pub fn wait_for_count(&mut self, needle: &str, count: usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.output().matches(needle).count() < count {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.raw.extend(line),
                Err(_) => panic!(
                    "{needle:?} not printed {count} time(s) within 30 s; output so far:\n{}",
                    self.output()
                ),
            }
        }
    }

    pub fn wait_for(&mut self, needle: &str) {
        self.wait_for_count(needle, 1)
    }

    /// A command's answer: sends it, then waits for `needle` in what follows.
    pub fn ask(&mut self, line: &str, needle: &str) -> String {
        let before = self.raw.len();
        let already = self.output().matches(needle).count();
        self.send(format!("{line}\n").as_bytes());
        self.wait_for_count(needle, already + 1);
        text(&self.raw[before..])
    }

    /// SIGTERM, then what was printed until the exit (within 5 s).
    pub fn stop(mut self) -> (tempfile::TempDir, PathBuf, Vec<u8>) {
        sigterm(self.child.id());
        let deadline = Instant::now() + Duration::from_secs(5);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the demo did not stop within 5 s of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "{status:?}");
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.raw.extend(line);
        }
        let dir = tempfile::tempdir().unwrap();
        (
            std::mem::replace(&mut self.dir, dir),
            self.db.clone(),
            std::mem::take(&mut self.raw),
        )
    }
}

impl Drop for PipedDemo {
    /// A failed test leaves no demo running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn export(db: &Path, format: &str) -> Vec<u8> {
    let out = Command::new(PONDER)
        .args(["export", "--db", db.to_str().unwrap(), "--format", format])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    out.stdout
}

const HOSTILE: &str = "before\u{1b}[2Jafter \u{1b}]0;pwned\u{7} end";

fn assert_no_escapes(what: &str, bytes: &[u8]) {
    for bad in [0x1bu8, 0x07] {
        assert!(
            !bytes.contains(&bad),
            "{what} holds a raw control byte {bad:#x}:\n{}",
            text(bytes)
        );
    }
}

#[test]
fn escape_sequences_in_a_reply_or_a_prompt_file_never_reach_the_terminal_raw() {
    let mut demo = PipedDemo::start(|dir| {
        std::fs::create_dir(dir.join("prompts")).unwrap();
        std::fs::write(
            dir.join("prompts/hostile.toml"),
            "id = \"hostile\"\ntitle = \"Hostile\"\ndescription = \"escapes\"\n\n\
             [[prompt]]\nid = \"clear\"\ntitle = \"Clear \\u001B[2J screen\"\n\
             text = \"Does this clear \\u001B[2J your screen? \\u001B]0;title\\u0007\"\n",
        )
        .unwrap();
    });
    demo.wait_for("type a line to reply");
    demo.send(format!("{HOSTILE}\n").as_bytes());
    demo.wait_for("reply stored");
    demo.ask("!ponder export md", "--- end of");
    demo.ask("!ponder export csv", "--- end of");
    let (_dir, db, raw) = demo.stop();
    assert_no_escapes("the console", &raw);
    let console = text(&raw);
    assert!(
        console.contains("Does this clear ␛[2J your screen? ␛]0;title␇"),
        "{console}"
    );
    assert!(
        console.contains("before␛[2Jafter ␛]0;pwned␇ end"),
        "{console}"
    );

    let md = export(&db, "md");
    assert_no_escapes("ponder export --format md", &md);
    assert!(text(&md).contains("before␛[2Jafter"), "{}", text(&md));
    let csv = export(&db, "csv");
    assert_no_escapes("ponder export --format csv", &csv);
    // The stored text stays as it was written: JSON has it exactly.
    let json: serde_json::Value = serde_json::from_slice(&export(&db, "json")).unwrap();
    assert_eq!(json[0]["replies"][0]["text"], HOSTILE);
}

#[test]
fn csv_export_quotes_replies_a_spreadsheet_would_run_as_formulas() {
    let mut demo = PipedDemo::start(|_| {});
    demo.wait_for("type a line to reply");
    demo.send(b"=HYPERLINK(\"http://example.invalid\",\"click\")\n");
    demo.wait_for_count("reply stored", 1);
    demo.send(b"@SUM(A1:A2)\n");
    demo.wait_for_count("reply stored", 2);
    let (_dir, db, _) = demo.stop();
    let csv = text(&export(&db, "csv"));
    let mut rows = ::csv::Reader::from_reader(csv.as_bytes());
    let texts: Vec<String> = rows
        .records()
        .map(|r| r.unwrap().get(12).unwrap().to_string())
        .collect();
    assert_eq!(
        texts,
        [
            "'=HYPERLINK(\"http://example.invalid\",\"click\")",
            "'@SUM(A1:A2)"
        ],
        "{csv}"
    );
}

#[test]
fn a_line_that_is_not_utf8_is_kept_lossily_said_once_and_the_console_goes_on_listening() {
    let mut demo = PipedDemo::start(|_| {});
    demo.wait_for("type a line to reply");
    demo.send(b"caf\xe9 au lait\n");
    demo.wait_for_count("reply stored", 1);
    demo.send(b"\xff\xfe again\n");
    demo.wait_for_count("reply stored", 2);
    demo.send(b"plain words\n");
    demo.wait_for_count("reply stored", 3);
    let (_dir, db, raw) = demo.stop();
    let console = text(&raw);
    assert_eq!(console.matches("not UTF-8").count(), 1, "{console}");
    let json: serde_json::Value = serde_json::from_slice(&export(&db, "json")).unwrap();
    let texts: Vec<&str> = json[0]["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "caf\u{fffd} au lait",
            "\u{fffd}\u{fffd} again",
            "plain words"
        ]
    );
}

#[test]
fn a_reply_longer_than_the_cap_is_kept_up_to_the_cap_and_the_console_says_so() {
    let cap = ponder::text::MAX_REPLY_CHARS;
    let mut demo = PipedDemo::start(|_| {});
    demo.wait_for("type a line to reply");
    demo.send(format!("{}\n", "x".repeat(cap + 1000)).as_bytes());
    demo.wait_for("reply stored");
    let (_dir, db, raw) = demo.stop();
    assert!(
        text(&raw).contains(&format!("the first {cap} are kept")),
        "{}",
        text(&raw)
    );
    let json: serde_json::Value = serde_json::from_slice(&export(&db, "json")).unwrap();
    let kept = json[0]["replies"][0]["text"].as_str().unwrap();
    assert_eq!(
        kept,
        format!("{}{}", "x".repeat(cap), ponder::text::TRUNCATED)
    );
}

#[test]
fn the_demo_names_prompts_by_number_and_title_never_by_internal_ids() {
    let mut demo = PipedDemo::start(|_| {});
    demo.wait_for("type a line to reply");
    demo.send(b"hello\n");
    demo.wait_for("reply stored");
    demo.ask("!ponder reflect a reflection", "reflects:");
    let (_dir, _db, raw) = demo.stop();
    let console = text(&raw);
    assert!(console.contains("new prompt #1: "), "{console}");
    assert!(
        console.contains("The thread of prompt #1 is open for 18 s"),
        "{console}"
    );
    assert!(
        console.contains("reply stored under prompt #1 \""),
        "{console}"
    );
    assert!(
        console.contains("in the thread of prompt #1 \""),
        "{console}"
    );
    let run_ids = console
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .filter(|w| {
            w.strip_prefix('c')
                .and_then(|rest| rest.split_once('-'))
                .is_some_and(|(ms, n)| {
                    ms.len() >= 12 && ms.chars().all(|c| c.is_ascii_digit()) && !n.is_empty()
                })
        })
        .collect::<Vec<_>>();
    assert!(
        run_ids.is_empty(),
        "internal ids on screen: {run_ids:?}\n{console}"
    );
}

#[test]
fn next_shows_seconds_once_in_utc_and_moves_after_skip() {
    let mut demo = PipedDemo::start(|_| {});
    demo.wait_for("type a line to reply");
    let next = demo.ask("!ponder next", "Next prompt:");
    let line = next
        .lines()
        .find(|l| l.contains("Next prompt:"))
        .unwrap()
        .to_string();
    // `Next prompt: Tue 2026-12-01 15:04:20 UTC.`: seconds, and the time once.
    let time = line
        .split_whitespace()
        .find(|w| w.matches(':').count() == 2 && !w.starts_with('['))
        .unwrap_or_else(|| panic!("no HH:MM:SS in {line:?}"));
    assert_eq!(line.matches(time).count(), 1, "{line}");
    assert_eq!(line.matches("UTC").count(), 1, "{line}");
    demo.ask("!ponder skip", "will be skipped");
    let after = demo.ask("!ponder next", "Next prompt:");
    let moved = after
        .lines()
        .find(|l| l.contains("Next prompt:"))
        .unwrap()
        .to_string();
    assert!(
        !moved.contains(time),
        "next did not move: {line} then {moved}"
    );
    demo.stop();
}

#[test]
fn demo_answers_say_nothing_of_a_config_file_or_of_removing_messages_from_the_terminal() {
    let mut demo = PipedDemo::start(|_| {});
    demo.wait_for("type a line to reply");
    let removed = demo.ask("!ponder schedule remove 1", "removed.");
    assert!(!removed.contains("config.toml"), "{removed}");
    demo.ask("!ponder reflect mine", "reflects:");
    let preview = demo.ask("!ponder forget-me", "confirm");
    assert!(!preview.contains("stay yours to delete"), "{preview}");
    let done = demo.ask("!ponder forget-me confirm", "Done:");
    assert!(!done.contains("removed from console"), "{done}");
    demo.stop();
}

#[test]
fn demo_and_prompts_list_use_the_same_prompt_set_and_say_which() {
    let pack = "id = \"local\"\ntitle = \"Local\"\ndescription = \"a local pack\"\n\n\
                [[prompt]]\nid = \"only-here\"\ntitle = \"Only here\"\ntext = \"A prompt of this directory alone.\"\n";
    let mut demo = PipedDemo::start(|dir| {
        std::fs::create_dir(dir.join("prompts")).unwrap();
        std::fs::write(dir.join("prompts/local.toml"), pack).unwrap();
    });
    demo.wait_for("type a line to reply");
    let (dir, _db, raw) = demo.stop();
    let console = text(&raw);
    assert!(console.contains("from prompts."), "{console}");
    assert!(console.contains("Only here"), "{console}");
    let list = Command::new(PONDER)
        .args(["prompts", "list"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(list.status.success());
    assert_eq!(text(&list.stdout), "local/only-here\tOnly here\n");
    assert!(
        text(&list.stderr).contains("from prompts"),
        "{}",
        text(&list.stderr)
    );

    let empty = tempfile::tempdir().unwrap();
    let list = Command::new(PONDER)
        .args(["prompts", "list"])
        .current_dir(empty.path())
        .output()
        .unwrap();
    assert!(
        text(&list.stderr).contains("from the packs built into ponder"),
        "{}",
        text(&list.stderr)
    );
}

#[test]
fn the_anonymity_key_is_made_on_the_first_anonymous_reflection_not_at_start() {
    let mut demo = PipedDemo::start(|_| {});
    demo.wait_for("type a line to reply");
    let key = demo.db.with_extension("key");
    assert!(!key.exists(), "no key at start");
    demo.ask("!ponder anonymous on", "anonymously");
    demo.ask("!ponder anon a thought without a name", "\n");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !key.exists() {
        assert!(Instant::now() < deadline, "{}", demo.output());
        std::thread::sleep(Duration::from_millis(50));
    }
    demo.stop();
}

#[test]
fn archive_writes_one_page_for_the_demo_with_its_reply_and_names_as_asked() {
    let mut demo = PipedDemo::start(|_| {});
    demo.wait_for("type a line to reply");
    demo.send(b"<b>bold?</b> a reflection for the archive\n");
    demo.wait_for("reply stored");
    let (dir, db, _) = demo.stop();
    let archive = |names: &str| {
        let out_dir = dir.path().join(format!("archive-{names}"));
        let out = Command::new(PONDER)
            .args(["archive", "--db", db.to_str().unwrap(), "--names", names])
            .arg("--out")
            .arg(&out_dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let written: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
        assert_eq!(written.len(), 1, "one channel, one page: {written:?}");
        assert!(written[0].ends_with("console-console.html"), "{written:?}");
        std::fs::read_to_string(&written[0]).unwrap()
    };
    let shown = archive("shown");
    assert!(shown.contains("&lt;b&gt;bold?&lt;/b&gt; a reflection for the archive"));
    assert!(shown.starts_with("<!DOCTYPE html>") && !shown.contains("<script"));
    let hidden = archive("hidden");
    assert!(
        hidden.contains("<li>\u{2068}a member\u{2069} · "),
        "names hidden"
    );
    let console_name = shown
        .split("<li>\u{2068}")
        .nth(1)
        .and_then(|rest| rest.split('\u{2069}').next())
        .unwrap()
        .to_string();
    assert!(
        !hidden.contains(&format!("\u{2068}{console_name}\u{2069}")),
        "{console_name}"
    );

    let out = Command::new(PONDER)
        .args([
            "archive",
            "--db",
            db.to_str().unwrap(),
            "--names",
            "everyone",
        ])
        .arg("--out")
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("initials"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn archive_writes_the_channel_s_language_or_the_one_asked_for() {
    let mut demo = PipedDemo::start(|_| {});
    demo.wait_for("type a line to reply");
    demo.send(b"A reflection for the German archive.\n");
    demo.wait_for("reply stored");
    let (dir, db, _) = demo.stop();
    let archive = |dir: &Path, out: &str, more: &[&str]| {
        let out = Command::new(PONDER)
            .args(["archive", "--db", db.to_str().unwrap()])
            .args(more)
            .arg("--out")
            .arg(dir.join(out))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let written: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
        assert_eq!(written.len(), 1, "{written:?}");
        std::fs::read_to_string(&written[0]).unwrap()
    };
    // no language stored for the channel: English, unless asked for German
    let english = archive(dir.path(), "en", &[]);
    assert!(english.contains("<html lang=\"en\">") && english.contains("On this page"));
    let german = archive(dir.path(), "de", &["--language", "de"]);
    for want in [
        "<html lang=\"de\">",
        "<title>Ponder-Archiv: console console</title>",
        "<nav aria-label=\"Auf dieser Seite\">",
        "<th scope=\"col\">Wochentag</th>",
        "<h4>1 Antwort</h4>",
        "A reflection for the German archive.",
    ] {
        assert!(german.contains(want), "{want:?} not in:\n{german}");
    }
    assert!(!german.contains("On this page") && !german.contains("Replies by weekday"));

    // the channel's language set in chat is the page's, unless another is asked for
    let mut demo = PipedDemo::start_in(dir, db.clone(), &[]);
    demo.wait_for("type a line to reply");
    demo.ask("!ponder language de", "Ponder spricht hier jetzt Deutsch");
    let (dir, _, _) = demo.stop();
    assert!(archive(dir.path(), "stored", &[]).contains("<html lang=\"de\">"));
    assert!(archive(dir.path(), "asked", &["--language", "en"]).contains("<html lang=\"en\">"));

    let out = Command::new(PONDER)
        .args(["archive", "--db", db.to_str().unwrap(), "--language", "fr"])
        .arg("--out")
        .arg(dir.path().join("fr"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("en, de"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn archive_takes_the_config_s_language_for_channels_with_none_stored() {
    let mut demo = PipedDemo::start(|_| {});
    demo.wait_for("type a line to reply");
    demo.send(b"A reflection for the configured archive.\n");
    demo.wait_for("reply stored");
    let (dir, db, _) = demo.stop();
    let archive = |out: &str, more: &[&str]| {
        let out = Command::new(PONDER)
            .args(["archive", "--db", db.to_str().unwrap()])
            .args(more)
            .arg("--out")
            .arg(dir.path().join(out))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let written: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
        assert_eq!(written.len(), 1, "{written:?}");
        (
            std::fs::read_to_string(&written[0]).unwrap(),
            text(&out.stderr),
        )
    };
    let config = |name: &str, toml: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, toml).unwrap();
        path.to_str().unwrap().to_string()
    };
    let channel = "[console]\n[[channel]]\nplatform = \"console\"\nid = \"console\"\n";
    // the top-level language, for a channel the config names none for
    let top = config("top.toml", &format!("language = \"de\"\n{channel}"));
    let (page, stderr) = archive("top", &["--config", &top]);
    assert!(page.contains("<html lang=\"de\">"), "{page}");
    assert!(!stderr.contains("English"), "{stderr}");
    // the channel's own language wins over the top-level one
    let own = config(
        "own.toml",
        &format!("language = \"en\"\n{channel}language = \"de\"\n"),
    );
    assert!(
        archive("own", &["--config", &own])
            .0
            .contains("<html lang=\"de\">")
    );
    // without a config: English, said once on stderr with the channel
    let (page, stderr) = archive("none", &[]);
    assert!(page.contains("<html lang=\"en\">"));
    assert_eq!(
        stderr
            .matches("no language stored for console console: written in English")
            .count(),
        1,
        "{stderr}"
    );
    // nothing to say when the language is given
    let (_, stderr) = archive("given", &["--language", "en"]);
    assert!(!stderr.contains("English"), "{stderr}");
}

#[test]
fn the_demo_with_language_de_speaks_german_in_its_own_texts_and_its_answers() {
    let mut demo = PipedDemo::start_with(|_| {}, &["--language", "de"]);
    demo.wait_for("Ponder-Demo: alle 20 s ein Impuls in diesem Terminal");
    demo.wait_for("ist 18 s offen: schreib eine Zeile, um zu antworten.");
    demo.ask("!ponder next", "Nächster Impuls:");
    let stored = demo.ask(
        "Ein erster Gedanke.",
        "Antwort gespeichert unter Impuls #1 „",
    );
    assert!(!stored.contains("reply stored"), "{stored}");
    // the last line of the help (it comes line by line)
    let help = demo.ask("!ponder help", "ping <@&123> pin`.");
    assert!(help.contains("wann der nächste Impuls kommt"), "{help}");
    // a malformed command, a file the console cannot read, a file's end
    demo.ask("!ponder now a b", "Aufruf: !ponder now [prompt-id]");
    demo.ask(
        "!ponder prompts import /nicht/da.toml",
        "/nicht/da.toml lässt sich nicht lesen: Diese Datei gibt es nicht.",
    );
    // a folder is no file, said in German too (not the system's English)
    demo.ask(
        "!ponder prompts import /",
        "/ lässt sich nicht lesen: Das ist keine gewöhnliche Datei",
    );
    demo.ask("!ponder export", "--- Ende von ");
    demo.send(b"Ein \xff Gedanke.\n");
    demo.wait_for("diese Bytes erscheinen als \u{fffd}. Das sagt Ponder nur einmal.)");
    let out = demo.output();
    assert!(
        !out.contains("usage:")
            && !out.contains("Cannot read")
            && !out.contains("os error")
            && !out.contains("regular file"),
        "{out}"
    );
    assert!(!out.contains("Next prompt"), "{out}");
    demo.stop();
}
