//! One Synapse for the whole test binary, with a set of users per test.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use serde::Deserialize;

pub const SYNAPSE: &str = "matrix-synapse==1.163.2";
/// How many independent user sets are registered (one per test).
const SETS: usize = 28;

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub user_id: String,
    pub password: String,
}

#[derive(Debug)]
pub struct Homeserver {
    pub url: String,
    users: HashMap<String, User>,
    _process: Mutex<Child>,
}

/// The users of one test: `bot`, `alice` (room creator, so an admin), `bob`
/// (a member) and `mallory` (not allowed to invite the bot).
#[derive(Debug, Clone)]
pub struct Cast {
    pub url: String,
    pub bot: User,
    pub alice: User,
    pub bob: User,
    pub mallory: User,
}

impl Homeserver {
    pub fn cast(&self, set: usize) -> Cast {
        assert!((1..=SETS).contains(&set));
        let u = |n: &str| self.users[&format!("{n}{set}")].clone();
        Cast {
            url: self.url.clone(),
            bot: u("bot"),
            alice: u("alice"),
            bob: u("bob"),
            mallory: u("mallory"),
        }
    }
}

pub fn homeserver() -> &'static Homeserver {
    static HS: OnceLock<Homeserver> = OnceLock::new();
    HS.get_or_init(|| match start() {
        Ok(hs) => hs,
        Err(e) => panic!("cannot start Synapse for the Matrix tests (they need python3 and PyPI, or PONDER_SYNAPSE_VENV): {e:#}"),
    })
}

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/matrix")
}

/// A venv with Synapse: `PONDER_SYNAPSE_VENV` (when set and not empty), else one under the target dir.
fn venv() -> anyhow::Result<PathBuf> {
    if let Some(v) = std::env::var("PONDER_SYNAPSE_VENV")
        .ok()
        .filter(|v| !v.is_empty())
    {
        return Ok(PathBuf::from(v));
    }
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let venv = tmp.join("synapse-venv");
    let lock = std::fs::File::create(tmp.join("synapse-venv.lock"))?;
    lock.lock()?;
    let python = venv.join("bin/python");
    let ready = python.exists()
        && Command::new(&python)
            .args(["-c", "import synapse"])
            .status()
            .is_ok_and(|s| s.success());
    if !ready {
        eprintln!("installing {SYNAPSE} into {} (once)", venv.display());
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()?
            .success();
        anyhow::ensure!(ok, "python3 -m venv failed");
        let ok = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", SYNAPSE])
            .status()?
            .success();
        anyhow::ensure!(ok, "pip install {SYNAPSE} failed");
    }
    Ok(venv)
}

fn start() -> anyhow::Result<Homeserver> {
    let venv = venv()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("synapse-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut child = Command::new(venv.join("bin/python"))
        .arg(tests_dir().join("synapse.py"))
        .args(["--dir", dir.to_str().unwrap(), "--port", &port.to_string()])
        .args([
            "--watch",
            &std::process::id().to_string(),
            "--sets",
            &SETS.to_string(),
        ])
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line)?;
    #[derive(Deserialize)]
    struct Ready {
        url: String,
        users: HashMap<String, User>,
    }
    let ready: Ready = serde_json::from_str(&line).map_err(|e| {
        anyhow::anyhow!(
            "synapse.py said {line:?} ({e}); see {}/synapse.log",
            dir.display()
        )
    })?;
    Ok(Homeserver {
        url: ready.url,
        users: ready.users,
        _process: Mutex::new(child),
    })
}
