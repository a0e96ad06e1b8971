//! `discord-emulator`: serve an emulated Discord on 127.0.0.1 until SIGINT/SIGTERM.
//!
//! Prints one line, `listening http://127.0.0.1:PORT token=T guild=G channel=C forum=F
//! admin=U member=U`, then reads control lines from stdin (see `control.rs`).

use std::time::Duration;

use clap::Parser;
use discord_emulator::{Emulator, EmulatorConfig, GuildShape, control};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

#[derive(Parser, Debug)]
#[command(version, about = "A Discord REST v10 + gateway emulator on 127.0.0.1")]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Bot token to accept.
    #[arg(long, default_value = "emulator-token")]
    token: String,
    /// Number of scripted guilds.
    #[arg(long, default_value_t = 1)]
    guilds: usize,
    /// Heartbeat interval announced in HELLO, in milliseconds.
    #[arg(long, default_value_t = 41_250)]
    heartbeat_ms: u64,
    /// Seconds a bot has for the first interaction callback (0 disables the deadline).
    #[arg(long, default_value_t = 3.0)]
    interaction_deadline: f64,
    /// Do not require a tag on forum posts.
    #[arg(long)]
    no_required_tag: bool,
    /// Fill each guild like a real mid-size one (36 channels, 24 roles, 100 members, 20 emojis).
    #[arg(long)]
    mid_size_guilds: bool,
    /// Enforce Discord's rate limits: 50 requests/s globally, 5 messages per 5 s per channel.
    #[arg(long)]
    discord_rate_limits: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "discord_emulator=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = Args::parse();
    let config = EmulatorConfig {
        port: args.port,
        token: args.token,
        guilds: args.guilds.max(1),
        heartbeat_interval: Duration::from_millis(args.heartbeat_ms),
        interaction_deadline: (args.interaction_deadline > 0.0)
            .then(|| Duration::from_secs_f64(args.interaction_deadline)),
        forum_requires_tag: !args.no_required_tag,
        guild_shape: if args.mid_size_guilds {
            GuildShape::MidSize
        } else {
            GuildShape::Minimal
        },
        discord_rate_limits: args.discord_rate_limits,
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(config).await?;
    let guild = emulator.guild();
    let mut stdout = tokio::io::stdout();
    let banner = format!(
        "listening {} token={} guild={} channel={} forum={} admin={} member={}\n",
        emulator.base_url(),
        emulator.token(),
        guild.id,
        guild.text_channel,
        guild.forum_channel,
        guild.admin,
        guild.member,
    );
    stdout.write_all(banner.as_bytes()).await?;
    stdout.flush().await?;

    tokio::select! {
        () = serve_stdin(&emulator) => {
            // stdin closed (e.g. started with </dev/null): keep serving until a signal.
            shutdown_signal().await;
        }
        () = shutdown_signal() => {}
    }
    tracing::info!("shutting down");
    emulator.shutdown().await;
    Ok(())
}

/// How long a slash command's answer is awaited before `answer ...: none` is printed.
const ANSWER_WAIT: Duration = Duration::from_secs(15);

async fn serve_stdin(emulator: &Emulator) {
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    // One writer, so an answer printed later never splits another line.
    let (print, mut printed) = tokio::sync::mpsc::unbounded_channel::<String>();
    tokio::spawn(async move {
        let mut stdout = tokio::io::stdout();
        while let Some(text) = printed.recv().await {
            let _ = stdout.write_all(format!("{text}\n").as_bytes()).await;
            let _ = stdout.flush().await;
        }
    });
    while let Ok(Some(line)) = lines.next_line().await {
        let output = match control::parse(&line) {
            Ok(None) => continue,
            Ok(Some(command)) => control::apply(emulator, command),
            Err(e) => Err(e),
        };
        match output {
            Ok(applied) => {
                let _ = print.send(applied.lines.join("\n"));
                if let Some(handle) = applied.interaction {
                    let print = print.clone();
                    tokio::spawn(async move {
                        let lines = control::answer_lines(&handle, ANSWER_WAIT).await;
                        let _ = print.send(lines.join("\n"));
                    });
                }
            }
            Err(e) => {
                let _ = print.send(format!("error {e}"));
            }
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
