//! README's "Try the Discord side by hand", followed as written: the emulator
//! binary and `ponder run` as two processes, the walkthrough's control lines
//! typed into the emulator's stdin, and each answer read where a person
//! reads it, on the emulator's stdout.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::{PONDER, sigterm};

/// The emulator binary, built beside `ponder` by `cargo test --workspace`.
fn emulator_binary() -> PathBuf {
    let bin = std::path::Path::new(PONDER).with_file_name("discord-emulator");
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build -p discord-emulator` (cargo test --workspace does)",
        bin.display()
    );
    bin
}

/// The walkthrough's blocks in the README: the config, then the control lines.
fn walkthrough() -> (String, Vec<String>) {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let (_, section) = readme
        .split_once("### Try the Discord side by hand")
        .expect("the README's walkthrough");
    let section = section.split("\n## ").next().unwrap();
    let block = |fence: &str| {
        let start = section
            .find(fence)
            .unwrap_or_else(|| panic!("no {fence} block"))
            + fence.len();
        let end = section[start..].find("```").unwrap() + start;
        section[start..end].trim().to_string()
    };
    let lines = block("```text\n").lines().map(String::from).collect();
    (block("```toml\n"), lines)
}

struct Lines(mpsc::Receiver<String>, Vec<String>);

impl Lines {
    fn of(out: impl std::io::Read + Send + 'static) -> Lines {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Lines(rx, Vec::new())
    }

    /// Reads until a line matches, returning it.
    fn until(&mut self, what: &str, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.0.recv_timeout(left) {
                Ok(line) => {
                    self.1.push(line.clone());
                    if want(&line) {
                        return line;
                    }
                }
                Err(_) => panic!("no {what} within 30 s; so far:\n{}", self.1.join("\n")),
            }
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn the_readme_walkthrough_drives_ponder_through_the_emulator_binary_and_shows_each_answer() {
    let (config, control) = walkthrough();
    assert!(config.contains("127.0.0.1:8089"), "{config}");
    let port = free_port().to_string();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("try-discord.toml");
    // Beside config.example.toml, `prompts/` is the repository's.
    std::fs::write(
        &path,
        format!(
            "prompts_dir = \"{}/prompts\"\n{}\n",
            env!("CARGO_MANIFEST_DIR"),
            config.replace("8089", &port)
        ),
    )
    .unwrap();

    let mut emulator: Child = Command::new(emulator_binary())
        .args(["--port", &port])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut typed = emulator.stdin.take().unwrap();
    let mut out = Lines::of(emulator.stdout.take().unwrap());
    let banner = out.until("the banner", |l| l.starts_with("listening "));
    assert!(banner.contains("token=emulator-token"), "{banner}");

    let mut bot = Command::new(PONDER)
        .args(["run", "--config", path.to_str().unwrap()])
        .env("DISCORD_TOKEN", "emulator-token")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut logs = Lines::of(bot.stderr.take().unwrap());
    logs.until("`Discord ready`", |l| l.contains("Discord ready"));

    let mut answers = Vec::new();
    for line in &control {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            writeln!(typed, "{line}").unwrap();
            let first = out.until("an answer to the line", |l| {
                l.starts_with("ok") || l.starts_with("error") || l.starts_with('{')
            });
            // Commands are registered just after `Discord ready`: a person would type again.
            if first.starts_with("error") && first.contains("command") && Instant::now() < deadline
            {
                std::thread::sleep(Duration::from_millis(300));
                continue;
            }
            assert!(!first.starts_with("error"), "{line}: {first}");
            if first.starts_with("ok interaction=") {
                let id = first.trim_start_matches("ok interaction=").to_string();
                let answer = out.until("the interaction's answer", |l| {
                    l.starts_with(&format!("answer interaction={id}"))
                });
                answers.push((line.clone(), answer));
            }
            break;
        }
    }
    let answer = |command: &str| {
        answers
            .iter()
            .find(|(line, _)| line.contains(command))
            .map(|(_, a)| a.clone())
            .unwrap_or_else(|| panic!("no answer to {command}: {answers:#?}"))
    };
    let setup = answer("ponder setup");
    assert!(setup.contains("(ephemeral): Set up:"), "{setup}");
    let now = answer("ponder now");
    assert!(now.contains("(ephemeral)"), "{now}");
    let reflect = answer("reflect");
    assert!(reflect.contains("(ephemeral)"), "{reflect}");
    let status = answer("ponder status");
    assert!(status.contains("(ephemeral)"), "{status}");
    // `messages channel` printed the prompt the admin posted.
    assert!(
        out.1
            .iter()
            .any(|l| l.starts_with('{') && l.contains("\"content\"")),
        "{}",
        out.1.join("\n")
    );

    sigterm(bot.id());
    assert!(bot.wait().unwrap().success());
    drop(typed);
    sigterm(emulator.id());
    let _ = emulator.wait();
}
