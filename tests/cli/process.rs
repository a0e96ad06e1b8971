//! The database as processes share it: one `ponder run` per database,
//! read-only commands that never change a file, a shutdown asked during
//! start-up, and the limits of config and paths.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::production::{free_port, start, wait_for};
use crate::{PONDER, sigterm, text};

/// A config with the console, a fast schedule and a health listener; the
/// database in `data/` beside it.
pub(crate) fn console_config(dir: &Path, port: u16) -> PathBuf {
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "prompts_dir = \"{}/prompts\"\n[http]\nlisten = \"127.0.0.1:{port}\"\n[console]\n\
             [[channel]]\nplatform = \"console\"\nid = \"console\"\nschedules = [\"every 1s\"]\n",
            env!("CARGO_MANIFEST_DIR")
        ),
    )
    .unwrap();
    config
}

/// Waits for a child to exit, at most `limit`; kills it if it does not.
fn exit_within(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `ponder run` expected to stop by itself: its exit status (`None` when it
/// was still running after 15 s) and its stderr.
fn run_briefly(config: &Path) -> (Option<std::process::ExitStatus>, String) {
    briefly("run", config, Duration::from_secs(15))
}

/// `ponder CMD --config CONFIG` expected to stop by itself within `limit`:
/// its exit status (`None` when it was still running) and its stderr.
fn briefly(
    cmd: &str,
    config: &Path,
    limit: Duration,
) -> (Option<std::process::ExitStatus>, String) {
    let mut child = Command::new(PONDER)
        .args([cmd, "--config", config.to_str().unwrap()])
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = exit_within(&mut child, limit);
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    (status, err)
}

fn export(db: &Path) -> std::process::Output {
    Command::new(PONDER)
        .args(["export", "--db", db.to_str().unwrap(), "--format", "json"])
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

#[test]
fn a_second_run_on_the_same_database_refuses_to_start_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = console_config(dir.path(), port);
    let (mut first, _lines, _logs) = start(&config, &[]);
    wait_for(port);

    let (status, err) = run_briefly(&config);
    let status = status.unwrap_or_else(|| panic!("the second run kept running:\n{err}"));
    assert!(!status.success());
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("another Ponder process is using the database")
            && err.contains("data/ponder.db"),
        "{err}"
    );

    // The first one never noticed.
    assert!(first.try_wait().unwrap().is_none(), "the first run stopped");
    sigterm(first.id());
    assert!(first.wait().unwrap().success());
}

/// `export` started again and again while `run` creates a fresh database:
/// `run` starts and posts as usual, and no export ever changes the schema.
#[test]
fn export_while_run_creates_a_fresh_database_does_not_break_run() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = console_config(dir.path(), port);
    let db = dir.path().join("data/ponder.db");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let exporter = std::thread::spawn({
        let stop = stop.clone();
        let db = db.clone();
        move || {
            let mut outcomes = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let out = export(&db);
                outcomes.push((out.status.success(), text(&out.stderr)));
            }
            outcomes
        }
    });
    let (mut run, lines, logs) = start(&config, &[]);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines.recv_timeout(left).expect("run never opened a thread");
        if line.contains("is open for") {
            break;
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let outcomes = exporter.join().unwrap();
    assert!(run.try_wait().unwrap().is_none(), "run stopped");
    sigterm(run.id());
    assert!(run.wait().unwrap().success());
    let logs = logs.join().unwrap();
    assert!(
        !logs.contains("ERROR") && !logs.contains("WARN"),
        "run logged trouble:\n{logs}"
    );
    // Every export either read the archive or said plainly why not.
    for (ok, err) in &outcomes {
        assert!(
            *ok || err.starts_with("error: no database at")
                || err.contains("is not up to date")
                || err.contains("is not a Ponder database"),
            "{err}"
        );
    }
    let after = export(&db);
    assert!(after.status.success(), "{}", text(&after.stderr));
}

/// Makes a SQLite file as another application would (in rollback-journal
/// mode, with a table of its own, or with sqlx migrations of its own).
async fn other_apps_database(path: &Path, with_sqlx_migrations: bool) {
    use sqlx::ConnectOptions;
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    sqlx::query("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("INSERT INTO notes (body) VALUES ('keep me')")
        .execute(&mut conn)
        .await
        .unwrap();
    if with_sqlx_migrations {
        sqlx::query(
            "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,
             installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, success BOOLEAN NOT NULL,
             checksum BLOB NOT NULL, execution_time BIGINT NOT NULL)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (1, 'init', 1, x'00112233', 1)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
    }
    use sqlx::Connection;
    conn.close().await.unwrap();
}

/// The names and bytes of every file in `dir`.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn export_refuses_another_apps_database_or_an_empty_file_and_leaves_it_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("notes.sqlite");
    other_apps_database(&plain, false).await;
    let sqlx_app = dir.path().join("other-sqlx-app.db");
    other_apps_database(&sqlx_app, true).await;
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let words = dir.path().join("words.txt");
    std::fs::write(&words, b"not a database at all\n").unwrap();

    for file in [&plain, &sqlx_app, &empty, &words] {
        let before = snapshot(dir.path());
        let out = export(file);
        assert!(!out.status.success(), "{}", file.display());
        let err = text(&out.stderr);
        assert_eq!(
            err,
            format!(
                "error: {} is not a Ponder database; it was left as it is\n",
                file.display()
            )
        );
        assert_eq!(
            snapshot(dir.path()),
            before,
            "{} (or a file beside it) changed",
            file.display()
        );
    }
}

#[tokio::test]
async fn run_refuses_another_apps_database_and_leaves_it_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.sqlite");
    other_apps_database(&db, false).await;
    let before = std::fs::read(&db).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "database = \"notes.sqlite\"\nprompts_dir = \"{}/prompts\"\n[console]\n",
            env!("CARGO_MANIFEST_DIR")
        ),
    )
    .unwrap();
    let (status, err) = run_briefly(&config);
    let status = status.unwrap_or_else(|| panic!("run kept running:\n{err}"));
    assert!(!status.success());
    assert!(err.contains("is not a Ponder database"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

/// A Matrix homeserver that accepts connections and never answers: the
/// bot is stuck in its login when SIGTERM comes.
#[cfg(feature = "matrix")]
#[test]
fn sigterm_during_start_up_stops_run_with_exit_0_within_seconds() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (accepted, connected) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming() {
            let Ok(conn) = conn else { break };
            held.push(conn); // never answered, never closed
            let _ = accepted.send(());
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "prompts_dir = \"{}/prompts\"\n[matrix]\nhomeserver = \"http://127.0.0.1:{port}\"\n\
             user = \"@ponder:localhost\"\n",
            env!("CARGO_MANIFEST_DIR")
        ),
    )
    .unwrap();
    let mut child = Command::new(PONDER)
        .args(["run", "--config", config.to_str().unwrap()])
        .env_remove("RUST_LOG")
        .env("MATRIX_PASSWORD", "not-used")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    connected
        .recv_timeout(Duration::from_secs(20))
        .expect("the bot never contacted the homeserver");
    std::thread::sleep(Duration::from_millis(200));
    assert!(child.try_wait().unwrap().is_none(), "run ended by itself");
    let asked = Instant::now();
    sigterm(child.id());
    let status = exit_within(&mut child, Duration::from_secs(5));
    let mut logs = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut logs);
    let status = status.unwrap_or_else(|| panic!("SIGTERM ignored during start-up:\n{logs}"));
    assert!(status.success(), "{status:?}\n{logs}");
    assert!(asked.elapsed() < Duration::from_secs(5));
    assert!(!logs.contains("not-used"), "the password was printed");
}

#[test]
fn a_huge_duration_in_the_config_is_refused_naming_the_field_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    for (field, text) in [
        ("thread_open", "thread_open = \"100000y\"\n"),
        (
            "catch_up.max_lateness",
            "[catch_up]\nmax_lateness = \"1000000000y\"\n",
        ),
    ] {
        let config = dir.path().join("config.toml");
        std::fs::write(
            &config,
            format!(
                "prompts_dir = \"{}/prompts\"\n{text}[console]\n[[channel]]\nplatform = \"console\"\n\
                 id = \"console\"\nschedules = [\"every 1s\"]\n",
                env!("CARGO_MANIFEST_DIR")
            ),
        )
        .unwrap();
        for cmd in ["run", "check"] {
            let (status, err) = briefly(cmd, &config, Duration::from_secs(10));
            let status = status.unwrap_or_else(|| panic!("{cmd} did not stop: {err}"));
            assert!(!status.success(), "{cmd} accepted {text}");
            assert!(
                err.contains(&format!("{field}: `")) && err.contains("is too long"),
                "{cmd}: {err}"
            );
            assert!(!err.contains("panicked"), "{cmd}: {err}");
        }
    }
}

#[test]
fn run_creates_a_missing_database_directory_and_says_so_once() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "database = \"new/place/p.db\"\nprompts_dir = \"{}/prompts\"\n[http]\nlisten = \"127.0.0.1:{port}\"\n\
             [console]\n",
            env!("CARGO_MANIFEST_DIR")
        ),
    )
    .unwrap();
    let (mut child, _lines, logs) = start(&config, &[]);
    wait_for(port);
    sigterm(child.id());
    assert!(child.wait().unwrap().success());
    let logs = logs.join().unwrap();
    let said = logs
        .lines()
        .filter(|l| l.contains("created the directory"))
        .collect::<Vec<_>>();
    assert_eq!(said.len(), 1, "{logs}");
    assert!(said[0].contains("new/place"), "{logs}");
    assert!(dir.path().join("new/place/p.db").is_file());
}

#[test]
fn a_database_path_with_control_characters_is_shown_escaped_never_as_toml() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("odd\u{1b}[2Jname.db");
    let mut child = Command::new(PONDER)
        .args(["demo", "--db", db.to_str().unwrap(), "--every", "60"])
        .current_dir(dir.path())
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut banner = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut buf = [0u8; 4096];
    while !text(&banner).contains("Replies are kept in") && Instant::now() < deadline {
        match out.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => banner.extend_from_slice(&buf[..n]),
        }
    }
    sigterm(child.id());
    let _ = exit_within(&mut child, Duration::from_secs(10));
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    let banner = text(&banner);
    assert!(
        banner.contains("odd\\u{1b}[2Jname.db"),
        "banner: {banner}\nstderr: {err}"
    );
    assert!(!banner.contains('\u{1b}') && !err.contains('\u{1b}'));
    assert!(
        !err.contains("TOML") && !err.contains("database ="),
        "{err}"
    );
    assert!(db.is_file(), "the database is where it was asked for");
}
