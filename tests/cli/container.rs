//! The container's default config (docker/config.toml): it runs Discord when
//! DISCORD_TOKEN is set, with no channel in the file, and refuses at start in
//! one line naming the file when the token is missing. No Docker engine runs
//! here: the test runs the config as the image does, with the image's paths
//! (/data, /app/prompts, 0.0.0.0) pointed into a temporary directory.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{PONDER, text};

/// docker/config.toml with the image's paths made local; `extra` goes under [discord].
fn local_copy(dir: &std::path::Path, port: u16, extra: &str) -> std::path::PathBuf {
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docker/config.toml"))
            .unwrap();
    let prompts = concat!(env!("CARGO_MANIFEST_DIR"), "/prompts");
    let mut local = shipped.clone();
    for (from, to) in [
        ("\"/data\"", format!("\"{}\"", dir.join("data").display())),
        ("\"/app/prompts\"", format!("\"{prompts}\"")),
        ("\"0.0.0.0:9464\"", format!("\"127.0.0.1:{port}\"")),
        ("format = \"json\"", "format = \"text\"".to_string()),
    ] {
        assert!(local.contains(from), "docker/config.toml has no {from}");
        local = local.replace(from, &to);
    }
    assert!(local.trim_end().ends_with("[discord]"), "{local}");
    local.push_str(extra);
    let path = dir.join("config.toml");
    std::fs::write(&path, local).unwrap();
    path
}

#[test]
fn the_container_config_without_a_token_refuses_in_one_line_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = local_copy(dir.path(), 1, "\n");
    let config = config.to_str().unwrap();
    for args in [["run", "--config", config], ["check", "--config", config]] {
        let out = Command::new(PONDER)
            .args(args)
            .env_remove("DISCORD_TOKEN")
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = text(&out.stderr);
        let line = format!(
            "{config} runs Discord, which needs its bot token: set the DISCORD_TOKEN environment variable"
        );
        assert!(err.contains(&line), "{args:?}: {err}");
        if args[0] == "run" {
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
    // Nothing was created before refusing.
    assert!(!dir.path().join("data").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_container_config_runs_discord_and_a_channel_is_set_up_in_chat() {
    use discord_emulator::{Emulator, EmulatorConfig};
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = local_copy(
        dir.path(),
        port,
        &format!("api_base = \"{}\"\n", emu.base_url()),
    );
    let check = Command::new(PONDER)
        .args(["check", "--config", config.to_str().unwrap()])
        .env("DISCORD_TOKEN", emu.token())
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", text(&check.stderr));
    let mut child = Command::new(PONDER)
        .args(["run", "--config", config.to_str().unwrap()])
        .env("DISCORD_TOKEN", emu.token())
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let g = emu.guild();
    // The commands are registered once the bot is ready.
    let deadline = Instant::now() + Duration::from_secs(30);
    let setup = loop {
        match emu.run_slash_command(
            g.admin,
            g.text_channel,
            "ponder setup",
            serde_json::json!({"schedule": "daily 09:00"}),
        ) {
            Ok(h) => break h,
            Err(e) => {
                assert!(Instant::now() < deadline, "no /ponder setup: {e}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    setup.wait_response(Duration::from_secs(10)).await.unwrap();
    let answer = emu
        .wait_until(Duration::from_secs(10), |_| {
            setup.original_message().filter(|m| !m.content.is_empty())
        })
        .await
        .unwrap();
    assert!(answer.content.starts_with("Set up:"), "{}", answer.content);
    let now = emu
        .run_slash_command(g.admin, g.text_channel, "ponder now", serde_json::json!({}))
        .unwrap();
    now.wait_response(Duration::from_secs(10)).await.unwrap();
    // The prompt lands in the channel set up in chat, with its thread.
    emu.wait_until(Duration::from_secs(15), |e| {
        (!e.threads(g.text_channel).is_empty()).then_some(())
    })
    .await
    .expect("a prompt and its thread in the channel set up with /ponder setup");
    assert!(
        emu.messages(g.text_channel)
            .iter()
            .any(|m| m.author_id == emu.bot_user_id())
    );
    crate::sigterm(child.id());
    let status = child.wait().unwrap();
    let mut logs = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut logs).unwrap();
    assert!(status.success(), "{logs}");
    assert!(
        !logs.contains(" WARN ") && !logs.contains(" ERROR "),
        "{logs}"
    );
}

/// The image builds from the directories the source reads at compile time
/// (`include_str!`, `sqlx::migrate!`): each is copied by the Dockerfile, or
/// `docker build` fails where `cargo build` works (the message files and
/// PostgreSQL's migrations were once left out).
#[test]
fn the_dockerfile_copies_every_directory_the_build_reads() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dockerfile = std::fs::read_to_string(root.join("Dockerfile")).unwrap();
    let mut dirs = std::collections::BTreeSet::new();
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for (open, _) in text
                .match_indices("include_str!(\"")
                .chain(text.match_indices("migrate!(\""))
            {
                let arg = &text[open..];
                let arg = &arg[arg.find('"').unwrap() + 1..];
                let arg = &arg[..arg.find('"').unwrap()];
                // relative to the file (include_str!) or the crate (migrate!)
                let base = if text[open..].starts_with("migrate!") {
                    root.to_path_buf()
                } else {
                    path.parent().unwrap().to_path_buf()
                };
                let target = base.join(arg);
                let Ok(target) = target.canonicalize() else {
                    continue;
                };
                if let Ok(rel) = target.strip_prefix(root.canonicalize().unwrap())
                    && let Some(top) = rel.components().next()
                {
                    dirs.insert(top.as_os_str().to_string_lossy().into_owned());
                }
            }
        }
    }
    assert!(
        dirs.contains("locales") && dirs.contains("migrations-postgres"),
        "{dirs:?}"
    );
    for dir in &dirs {
        if dir == "src" {
            continue;
        }
        assert!(
            dockerfile.contains(&format!("COPY {dir} ./{dir}")),
            "the Dockerfile does not copy {dir}/, which the build reads"
        );
    }
}
