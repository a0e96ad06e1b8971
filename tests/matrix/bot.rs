//! The real `ponder` binary, logged in to the test homeserver.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::homeserver::Cast;

pub struct Bot {
    pub dir: PathBuf,
    cast: Cast,
    extra: String,
    child: Option<Child>,
    logs: Arc<Mutex<String>>,
}

impl Bot {
    /// Starts `ponder run` with a [matrix] section for the cast's bot, which
    /// accepts invites from alice only. `extra` is appended to the config.
    pub fn start(cast: &Cast, name: &str, extra: &str) -> Bot {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("bot-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut bot = Bot {
            dir,
            cast: cast.clone(),
            extra: extra.to_string(),
            child: None,
            logs: Arc::default(),
        };
        bot.restart();
        bot
    }

    pub fn restart(&mut self) {
        let config = format!(
            "prompts_dir = \"{}/prompts\"\n[matrix]\nhomeserver = \"{}\"\nuser = \"{}\"\nallow_invites_from = [\"{}\"]\n{}",
            env!("CARGO_MANIFEST_DIR"),
            self.cast.url,
            self.cast.bot.user_id,
            self.cast.alice.user_id,
            self.extra
        );
        std::fs::write(self.dir.join("config.toml"), config).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_ponder"))
            .args([
                "run",
                "--config",
                self.dir.join("config.toml").to_str().unwrap(),
            ])
            .env("MATRIX_PASSWORD", &self.cast.bot.password)
            .env("RUST_LOG", "trace")
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

    /// SIGTERM, and the exit status must be success.
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

    pub fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }

    pub fn tail(&self) -> String {
        let logs = self.logs();
        let lines: Vec<&str> = logs.lines().filter(|l| !l.contains("TRACE")).collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    pub fn db(&self) -> PathBuf {
        self.dir.join("data/ponder.db")
    }

    /// `ponder export --format json`.
    pub fn export(&self) -> Vec<Value> {
        let out = Command::new(env!("CARGO_BIN_EXE_ponder"))
            .args([
                "export",
                "--db",
                self.db().to_str().unwrap(),
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// The surviving replies of the post whose thread is `root`, as (author id, text).
    pub fn replies(&self, root: &str) -> Vec<(String, String)> {
        self.export()
            .iter()
            .filter(|p| p["thread_id"] == root)
            .flat_map(|p| p["replies"].as_array().cloned().unwrap_or_default())
            .map(|r| {
                (
                    r["author_id"].as_str().unwrap().to_string(),
                    r["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    /// Waits until the export of thread `root` shows exactly `want`.
    pub async fn wait_replies(&self, root: &str, want: &[(&str, &str)]) {
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, t)| (a.to_string(), t.to_string()))
            .collect();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let got = self.replies(root);
            if got == want {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "replies of {root}: got {got:?}, want {want:?}\n{}",
                self.tail()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Neither the password nor the access token is in any log line.
    pub fn assert_no_secrets_logged(&self) {
        let logs = self.logs();
        assert!(logs.len() > 1000, "expected trace logs");
        assert!(
            !logs.contains(&self.cast.bot.password),
            "the password is in the logs"
        );
        let session = std::fs::read_to_string(self.dir.join("data/matrix/session.json")).unwrap();
        let session: Value = serde_json::from_str(&session).unwrap();
        let token = session["access_token"].as_str().unwrap();
        assert!(token.len() > 10);
        assert!(!logs.contains(token), "the access token is in the logs");
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
