//! The real `ponder` binary as a child process: its config, its logs, its
//! archive. Shared by the platform test binaries.

#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct Ponder {
    pub dir: PathBuf,
    /// The binary `start` runs: cargo's, unless [`Ponder::with_binary`] names another.
    bin: PathBuf,
    /// The config's `database` when it is not the default file (a
    /// PostgreSQL address): what `export` reads.
    database: Option<String>,
    config: String,
    env: Vec<(String, String)>,
    child: Option<Child>,
    logs: Arc<Mutex<String>>,
}

impl Ponder {
    /// A bot in a fresh directory under the target dir; `config` is the
    /// whole config.toml (the shipped prompts are added).
    pub fn new(name: &str, config: &str, env: &[(&str, &str)]) -> Ponder {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("ponder-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // The suite on PostgreSQL: a fresh database each, unless the
        // test names its own.
        let database = match crate::postgres::suite_on_postgres() && !config.contains("database = ")
        {
            true => match crate::postgres::store_for(&dir) {
                ponder::db::Store::Postgres(url) => format!("database = \"{url}\"\n"),
                ponder::db::Store::Sqlite(_) => String::new(),
            },
            false => String::new(),
        };
        let config = format!(
            "{database}prompts_dir = \"{}/prompts\"\n{config}",
            env!("CARGO_MANIFEST_DIR")
        );
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let database = config.lines().find_map(|l| {
            l.strip_prefix("database = \"")
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_string)
        });
        Ponder {
            dir,
            bin: PathBuf::from(env!("CARGO_BIN_EXE_ponder")),
            database,
            config,
            env,
            child: None,
            logs: Arc::default(),
        }
    }

    /// Runs another build of `ponder` (a bench measures the one in `PONDER_BENCH_BIN`).
    pub fn with_binary(mut self, bin: &std::path::Path) -> Ponder {
        self.bin = bin.to_path_buf();
        self
    }

    /// The process id of the running `ponder run`.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Starts (or starts again) `ponder run`, logging at trace level
    /// unless the bot's environment sets `RUST_LOG` itself.
    pub fn start(&mut self) {
        assert!(self.child.is_none(), "already running");
        std::fs::write(self.dir.join("config.toml"), &self.config).unwrap();
        let level = if self.env.iter().any(|(k, _)| k == "RUST_LOG") {
            None
        } else {
            Some("trace")
        };
        let mut child = Command::new(&self.bin)
            .args([
                "run",
                "--config",
                self.dir.join("config.toml").to_str().unwrap(),
            ])
            .env("RUST_LOG", level.unwrap_or_default())
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut err = child.stderr.take().unwrap();
        let logs = self.logs.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                logs.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        self.child = Some(child);
    }

    /// SIGTERM; the exit status must be success, within 15 s.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(
                    status.success(),
                    "ponder exited with {status:?}\n{}",
                    self.tail()
                );
                return;
            }
            assert!(Instant::now() < deadline, "ponder did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL: a crash at whatever moment the process was at.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    pub fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }

    /// The last INFO, WARN and ERROR lines, for failure messages.
    pub fn tail(&self) -> String {
        let logs = self.logs();
        let lines: Vec<&str> = logs
            .lines()
            .filter(|l| {
                [" INFO ", " WARN ", " ERROR "]
                    .iter()
                    .any(|lvl| l.contains(lvl))
            })
            .collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    pub fn db(&self) -> PathBuf {
        self.dir.join("data/ponder.db")
    }

    /// The bot's database, as `ponder run` opens it.
    pub fn store(&self) -> ponder::db::Store {
        match &self.database {
            Some(url) => ponder::db::Store::parse(url).unwrap(),
            None => ponder::db::Store::Sqlite(self.db()),
        }
    }

    /// `ponder export --format json`.
    pub fn export(&self) -> Vec<Value> {
        let db = match &self.database {
            Some(url) => url.clone(),
            None if !self.db().exists() => return Vec::new(),
            None => self.db().to_str().unwrap().to_string(),
        };
        let out = Command::new(&self.bin)
            .args(["export", "--db", &db, "--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// The surviving replies of the post whose thread is `thread`, as (author id, text).
    pub fn replies(&self, thread: &str) -> Vec<(String, String)> {
        self.export()
            .iter()
            .filter(|p| p["thread_id"] == thread)
            .flat_map(|p| p["replies"].as_array().cloned().unwrap_or_default())
            .map(|r| {
                (
                    r["author_id"].as_str().unwrap().to_string(),
                    r["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// Waits until the archive of `thread` shows exactly `want`.
    pub async fn wait_replies(&self, thread: &str, want: &[(&str, &str)]) {
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, t)| (a.to_string(), t.to_string()))
            .collect();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let got = self.replies(thread);
            if got == want {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "replies of {thread}: got {got:?}, want {want:?}\n{}",
                self.tail()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Fails if any of `secrets` appears in the logs (which must be non-trivial).
    pub fn assert_not_logged(&self, secrets: &[&str]) {
        let logs = self.logs();
        assert!(logs.len() > 1000, "expected trace logs, got:\n{logs}");
        for s in secrets {
            assert!(
                s.len() >= 8,
                "a secret to look for must be long enough to mean something"
            );
            assert!(!logs.contains(s), "a secret is in the logs");
        }
    }
}

impl Drop for Ponder {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
