//! Running it as an operator does: health and metrics over HTTP, SIGTERM in
//! the middle of a burst of due posts, logs that name the post they are about.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::{PONDER, sigterm, text};

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let status = answer.split_whitespace().nth(1).unwrap().parse().unwrap();
    (
        status,
        answer
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default(),
    )
}

pub(crate) fn wait_for(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Starts `ponder run` and returns it with a channel of its stdout lines.
pub(crate) fn start(
    config: &Path,
    extra: &[&str],
) -> (
    Child,
    mpsc::Receiver<String>,
    std::thread::JoinHandle<String>,
) {
    let mut child = Command::new(PONDER)
        .args(extra)
        .args(["run", "--config", config.to_str().unwrap()])
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut err = child.stderr.take().unwrap();
    let logs = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    (child, rx, logs)
}

#[test]
fn healthz_and_metrics_answer_on_the_configured_listener() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = crate::process::console_config(dir.path(), port);
    let (mut child, lines, logs) = start(&config, &[]);
    wait_for(port);
    let (status, body) = get(port, "/healthz");
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["status"],
        "ok"
    );
    // Wait for a post so the counters exist.
    let deadline = Instant::now() + Duration::from_secs(15);
    while !lines
        .recv_timeout(Duration::from_secs(15))
        .unwrap()
        .contains("is open for")
    {
        assert!(Instant::now() < deadline);
    }
    let (status, metrics) = get(port, "/metrics");
    assert_eq!(status, 200);
    for want in [
        "ponder_posts_total{platform=\"console\",outcome=\"posted\"}",
        "ponder_schedule_lateness_seconds_bucket{platform=\"console\"",
        "ponder_platform_connected{platform=\"console\"} 1",
    ] {
        assert!(metrics.contains(want), "missing {want} in:\n{metrics}");
    }
    let (status, _) = get(port, "/nope");
    assert_eq!(status, 404);

    drop(logs);
    sigterm(child.id());
    assert!(child.wait().unwrap().success());
}

#[test]
fn the_healthcheck_command_reports_the_endpoint() {
    let port = free_port();
    let out = Command::new(PONDER)
        .args([
            "healthcheck",
            "--url",
            &format!("http://127.0.0.1:{port}/healthz"),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success(), "nothing listens, so unhealthy");
}

/// 150 channels fall due in the same second; SIGTERM lands mid-burst. The bot
/// exits 0 quickly; restarted, it posts the rest: every channel exactly once.
#[test]
fn sigterm_mid_burst_loses_no_slot_and_doubles_none() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let channels = 150;
    let mut text_config = format!(
        "prompts_dir = \"{}/prompts\"\n[console]\n",
        env!("CARGO_MANIFEST_DIR")
    );
    for i in 0..channels {
        text_config.push_str(&format!(
            "[[channel]]\nplatform = \"console\"\nid = \"ch{i}\"\nschedules = [\"every 20s\"]\n"
        ));
    }
    std::fs::write(&config, text_config).unwrap();

    let (mut first, lines, logs) = start(&config, &["--log-format", "json"]);
    let mut printed = Vec::new();
    // Wait for the burst to begin, then stop the bot at once.
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(40))
            .expect("the burst never began");
        let begun = line.contains("new prompt");
        printed.push(line);
        if begun {
            break;
        }
    }
    let asked = Instant::now();
    sigterm(first.id());
    let status = first.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(
        asked.elapsed() < Duration::from_secs(10),
        "took {:?}",
        asked.elapsed()
    );
    printed.extend(lines.try_iter());
    let first_logs = logs.join().unwrap();
    let first_count = printed.iter().filter(|l| l.contains("new prompt")).count();
    assert!(
        first_count < channels,
        "SIGTERM came after the burst ended; the test proves nothing"
    );

    // Every log line about a post names its post, channel and slot.
    let posted: Vec<serde_json::Value> = first_logs
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|v: &serde_json::Value| v["fields"]["message"] == "prompt posted")
        .collect();
    assert!(!posted.is_empty(), "{first_logs}");
    for v in &posted {
        let span = &v["span"];
        assert!(
            span["post"].is_number() && span["channel"].is_string() && span["slot"].is_string(),
            "{v}"
        );
    }

    let (mut second, lines, _logs) = start(&config, &[]);
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut second_count = 0;
    while first_count + second_count < channels {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .expect("the rest of the burst was not posted after restart");
        if line.contains("new prompt") {
            second_count += 1;
        }
    }
    sigterm(second.id());
    assert!(second.wait().unwrap().success());

    // The archive: one post per channel for the burst's slot, none pending.
    let out = Command::new(PONDER)
        .args([
            "export",
            "--db",
            dir.path().join("data/ponder.db").to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let posts: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut per_channel = std::collections::BTreeMap::new();
    for p in &posts {
        *per_channel
            .entry((
                p["channel"].as_str().unwrap().to_string(),
                p["slot"].to_string(),
            ))
            .or_insert(0) += 1;
    }
    let burst_slot = posts[0]["slot"].to_string();
    let in_burst = per_channel
        .iter()
        .filter(|((_, slot), _)| *slot == burst_slot)
        .count();
    assert_eq!(in_burst, channels, "every channel posted the burst's slot");
    assert!(
        per_channel.values().all(|n| *n == 1),
        "a slot was posted twice: {per_channel:?}"
    );
    let _ = text;
}
