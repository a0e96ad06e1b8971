//! The app: builds the engine and the platforms from a [`Config`], owns every
//! long-lived task, and stops them all on shutdown.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio::task::JoinSet;

use crate::config::Config;
use crate::db::Db;
use crate::engine::{Chat, Engine, EngineParts, SystemClock};
use crate::platform::console::Console;
use crate::prompt_files::PromptSource;
use crate::shutdown::{Shutdown, Trigger};

/// Choices made by the binary rather than the config file.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub prompts: PromptSource,
    /// Seed for the prompt rotation (random when `None`).
    pub seed: Option<u64>,
    /// Post a prompt in the console channel at once when none is open (the
    /// demo: a newcomer sees Ponder work in the first second, not after one
    /// period). The schedule then goes on from the slot after next, so the
    /// first thread closes before the second prompt comes.
    pub prompt_at_start: bool,
}

/// Writes the config's channels and schedules into the database.
pub async fn sync_channels(db: &Db, config: &Config) -> anyhow::Result<()> {
    let now = chrono::Utc::now().timestamp();
    for ch in &config.channels {
        let tz = config.channel_timezone(ch);
        let row = db
            .ensure_channel(ch.platform.get_ref(), &ch.id, &tz, now)
            .await?;
        db.configure_channel(row.id, &tz, &ch.packs).await?;
        if let Some(mode) = ch
            .digest
            .as_ref()
            .and_then(|d| crate::domain::command::DigestMode::parse(d.get_ref()))
        {
            db.set_channel_digest(row.id, mode.as_str()).await?;
        }
        if ch.anonymous.is_some() || ch.anonymous_excerpts.is_some() {
            db.set_channel_anonymous(
                row.id,
                ch.anonymous.unwrap_or(row.anonymous),
                ch.anonymous_excerpts,
            )
            .await?;
        }
        let wanted: Vec<(String, String, crate::domain::command::Announce)> = ch
            .schedules
            .iter()
            .filter_map(|s| crate::config::parse_schedule(s.get_ref()).ok())
            .map(|(spec, announce)| (spec, tz.clone(), announce))
            .collect();
        db.sync_config_schedules(row.id, &wanted, now).await?;
    }
    Ok(())
}

/// Runs the bot until `shutdown` fires.
pub async fn run(config: Config, options: RunOptions, trigger: Trigger) -> anyhow::Result<()> {
    let db_path = config.database_path();
    let db = Db::open(&db_path)
        .await
        .with_context(|| format!("opening the database {}", db_path.display()))?;
    let prompts = options.prompts.load().map_err(|e| anyhow::anyhow!("{e}"))?;
    tracing::info!(prompts = prompts.len(), source = %options.prompts, db = %db_path.display(), "starting");

    let mut chats: Vec<Arc<dyn Chat>> = Vec::new();
    let console = config.console.as_ref().map(|c| Console::stdout(&c.channel));
    if let Some(c) = &console {
        chats.push(c.clone());
    }
    #[cfg(feature = "discord")]
    let discord = match &config.discord {
        Some(_) => {
            let chat = Arc::new(crate::platform::discord::DiscordChat::new(&config)?);
            chats.push(chat.clone());
            Some(chat)
        }
        None => None,
    };
    #[cfg(feature = "matrix")]
    let matrix = match &config.matrix {
        Some(m) => {
            let chat = crate::platform::matrix::MatrixChat::connect(m).await?;
            chats.push(chat.clone());
            Some(chat)
        }
        None => None,
    };
    anyhow::ensure!(
        !chats.is_empty(),
        "no platform is configured: add a [console], [discord] or [matrix] section (see config.example.toml)"
    );

    sync_channels(&db, &config).await?;
    let key_path = config.anonymity_key_path();
    let settings = crate::engine::Settings {
        anon_key: crate::engine::AnonKey::open(&key_path)?,
        ..config.settings()
    };
    let engine = Engine::new(EngineParts {
        db: db.clone(),
        chats,
        prompts,
        source: options.prompts.clone(),
        settings,
        clock: Arc::new(SystemClock),
        seed: options.seed,
    });
    engine.start().await.context("starting the engine")?;
    if options.prompt_at_start
        && let Some(c) = &console
    {
        prompt_at_start(&engine, c).await?;
    }

    let mut tasks = JoinSet::new();
    if let Some(http) = &config.http {
        let addr = http.listen.get_ref();
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("listening on {addr} ([http] listen)"))?;
        let state = crate::http::HttpState {
            db: db.clone(),
            chats: chats_of(&engine),
            metrics: crate::metrics::install()?,
        };
        tracing::info!(address = %listener.local_addr()?, "serving /healthz and /metrics");
        let shutdown = trigger.subscribe();
        tasks.spawn(async move {
            if let Err(e) = crate::http::serve(listener, state, shutdown).await {
                tracing::error!(error = %e, "http listener stopped");
            }
        });
    }
    tasks.spawn(engine.clone().run(trigger.subscribe()));
    {
        // The permission self-check talks to the platforms: in the background.
        let engine = engine.clone();
        tasks.spawn(async move {
            if let Err(e) = engine.self_check().await {
                tracing::warn!(error = %format!("{e:#}"), "the permission self-check failed");
            }
        });
    }
    tasks.spawn(engine.clone().write_replies(trigger.subscribe()));
    tasks.spawn(watch_prompts(engine.clone(), trigger.subscribe()));
    #[cfg(feature = "discord")]
    if let Some(d) = discord {
        tasks.spawn(crate::platform::discord::run(
            d,
            engine.clone(),
            trigger.subscribe(),
        ));
    }
    #[cfg(feature = "matrix")]
    if let Some(m) = matrix {
        tasks.spawn(m.run(engine.clone(), trigger.subscribe()));
    }
    if let Some(c) = console {
        tasks.spawn(c.read_input(engine.clone(), std::io::stdin(), trigger.subscribe()));
    }

    trigger.subscribe().recv().await;
    tracing::info!("shutting down");
    let drained = tokio::time::timeout(Duration::from_secs(8), async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            "some tasks did not stop in time; unfinished sends are reconciled at the next start"
        );
        tasks.abort_all();
    }
    db.close().await;
    Ok(())
}

/// Posts a prompt in the console channel unless one is open (then it says
/// which), and moves the channel's schedules past their next slot (which
/// would otherwise come within one period, while the first thread is open).
async fn prompt_at_start(engine: &Engine, console: &Console) -> anyhow::Result<()> {
    use crate::platform::console::PLATFORM;
    let now = chrono::Utc::now();
    let channel = console.channel();
    if let Some(row) = engine.known_channel(PLATFORM, channel).await?
        && let Some(post) = engine.db().current_post(row.id).await?
        && post.close_at.is_some_and(|t| t > now.timestamp())
        && let Some(thread) = &post.thread_id
    {
        console.remember_prompt(thread, post.id, &post.prompt_title);
        console.say(&format!(
            "Prompt #{} \"{}\" is still open from before: type a line to reply.",
            post.id, post.prompt_title
        ));
        return Ok(());
    }
    engine
        .post_now(PLATFORM, channel, None)
        .await
        .map_err(|e| anyhow::anyhow!("posting the first prompt: {e}"))?;
    if let Some(row) = engine.known_channel(PLATFORM, channel).await? {
        for s in engine.db().schedules_of(row.id).await? {
            let next = crate::domain::schedule::Schedule::new(&s.spec, &s.timezone)
                .ok()
                .and_then(|sched| sched.next_after(now));
            if let Some(next) = next {
                engine.db().set_last_slot(s.id, next.timestamp()).await?;
            }
        }
    }
    engine.rebuild_agenda().await
}

fn chats_of(engine: &Engine) -> Vec<Arc<dyn Chat>> {
    engine.chats().cloned().collect()
}

/// Reloads the prompt files when they change (checked every 2 s by name,
/// size and modification time: works on bind mounts where file-system
/// notifications do not arrive). A set with errors is refused and logged.
async fn watch_prompts(engine: Arc<Engine>, mut shutdown: Shutdown) {
    let source = engine.prompt_source().clone();
    let mut seen = source.fingerprint();
    if seen.is_none() {
        return shutdown.recv().await;
    }
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            _ = shutdown.recv() => return,
        }
        let now = source.fingerprint();
        if now != seen {
            seen = now;
            if let Err(e) = engine.reload_prompts() {
                tracing::error!(
                    "prompt files changed but were not loaded; the running set stays.\n{e}"
                );
            }
        }
    }
}
