//! The app: builds the engine and the platforms from a [`Config`], owns every
//! long-lived task, and stops them all on shutdown.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio::task::JoinSet;

use crate::config::Config;
use crate::db::Db;
use crate::engine::{AnonKey, CatchUp, Chat, Engine, EngineParts, Settings, SystemClock};
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

/// Writes the config's channels, schedules and quiet days into the database.
pub async fn sync_channels(db: &Db, config: &Config) -> anyhow::Result<()> {
    // One process at a time on a shared database (PostgreSQL).
    let _lock = db.config_lock().await?;
    let now = chrono::Utc::now().timestamp();
    // `digest_archive` is the config's alone: a channel no longer listed
    // (or listed without it) loses it, on the platforms this config runs or
    // lists (another process's platforms are its own).
    let mut platforms: Vec<&str> = config
        .channels
        .iter()
        .map(|ch| ch.platform.get_ref().as_str())
        .collect();
    for (runs, name) in [
        (config.console.is_some(), "console"),
        (config.discord.is_some(), "discord"),
        (config.matrix.is_some(), "matrix"),
    ] {
        if runs {
            platforms.push(name);
        }
    }
    platforms.sort_unstable();
    platforms.dedup();
    let listed: std::collections::HashSet<(String, String)> = config
        .channels
        .iter()
        .map(|ch| (ch.platform.get_ref().clone(), ch.id.clone()))
        .collect();
    for ch in &config.channels {
        let tz = config.channel_timezone(ch);
        let row = db
            .ensure_channel(ch.platform.get_ref(), &ch.id, &tz, now)
            .await?;
        db.configure_channel(row.id, &tz, &ch.packs).await?;
        // The config's language wins at each start, as its zone does; a
        // channel it names none for keeps what was set in chat.
        if let Some(lang) = ch
            .language
            .as_ref()
            .and_then(|l| crate::i18n::Lang::parse(l.get_ref()))
        {
            db.set_channel_language(row.id, Some(lang.code())).await?;
        }
        if let Some(mode) = ch
            .digest
            .as_ref()
            .and_then(|d| crate::domain::command::DigestMode::parse(d.get_ref()))
        {
            db.set_channel_digest(row.id, mode).await?;
        }
        let archive = ch.digest_archive.as_ref().is_some_and(|on| *on.get_ref());
        db.set_channel_digest_archive(row.id, archive).await?;
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
        let quiet: Vec<_> = ch
            .quiet
            .iter()
            .filter_map(|q| crate::domain::quiet::parse_entry(q.get_ref()).ok())
            .collect();
        db.sync_config_quiet(row.id, &quiet, now).await?;
    }
    db.clear_digest_archives(&platforms, &listed).await?;
    Ok(())
}

/// The engine's settings from the config. The anonymity key is a parameter,
/// never made up here: it is the one in the key file (see
/// [`AnonKey::open`]), or every anonymous author's hash would change.
pub fn settings(config: &Config, anon_key: AnonKey) -> Settings {
    let to = |d: Duration| chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX);
    Settings {
        catch_up: match config.catch_up.policy.get_ref().as_str() {
            "skip" => CatchUp::Skip,
            _ => CatchUp::Latest {
                max_lateness: to(config.catch_up.max_lateness),
            },
        },
        thread_open: to(config.thread_open),
        min_interval: to(config.min_schedule_interval),
        default_timezone: config.timezone.get_ref().clone(),
        language: config.default_language(),
        config_file: (!config.path.as_os_str().is_empty())
            .then(|| config.path.display().to_string()),
        ..Settings::new(anon_key)
    }
}

/// What start-up built: the engine and the platforms' own handles.
struct Started {
    engine: Arc<Engine>,
    console: Option<Arc<Console>>,
    #[cfg(feature = "discord")]
    discord: Option<Arc<crate::platform::discord::DiscordChat>>,
    #[cfg(feature = "matrix")]
    matrix: Option<Arc<crate::platform::matrix::MatrixChat>>,
}

/// Runs the bot until `trigger` fires. A shutdown asked during start-up
/// (a Matrix login, reconcile, a rate-limit wait) stops the start-up where
/// it is: whatever it left unfinished is reconciled at the next start.
pub async fn run(config: Config, options: RunOptions, trigger: Trigger) -> anyhow::Result<()> {
    let store = config.store();
    let key_path = config.anonymity_key_path();
    anyhow::ensure!(
        store
            .path()
            .is_none_or(|db_path| !crate::config::same_file(db_path, &key_path)),
        "the anonymity key and the database are the same file ({}): give `anonymity_key` a path of its own, \
         like data/anonymity.key; leave the database where it is",
        store
    );
    let db = Db::open_store(&store).await?;
    // From here on, the posts this process takes stay its own while it lives.
    let heartbeat = tokio::spawn(renew_leases(db.clone(), trigger.subscribe()));
    let mut shutdown = trigger.subscribe();
    let started = tokio::select! {
        biased;
        _ = shutdown.recv() => None,
        started = start(&config, &options, &db) => Some(started),
    };
    let result = match started {
        None => {
            tracing::info!("stopped during start-up");
            Ok(())
        }
        Some(Err(e)) => Err(e),
        Some(Ok(started)) => serve(&config, &db, started, &trigger).await,
    };
    heartbeat.abort();
    let _ = heartbeat.await;
    db.close().await;
    result
}

/// Start-up: prompts, platforms, the config's channels, the engine and its
/// reconcile. Cancelled where it is when shutdown is asked.
async fn start(config: &Config, options: &RunOptions, db: &Db) -> anyhow::Result<Started> {
    let prompts = options.prompts.load().map_err(|e| anyhow::anyhow!("{e}"))?;
    tracing::info!(prompts = prompts.len(), source = %options.prompts, db = %config.store(), "starting");

    let mut chats: Vec<Arc<dyn Chat>> = Vec::new();
    let console = config
        .console
        .as_ref()
        .map(|c| Console::stdout(&c.channel, config.console_language(&c.channel)));
    if let Some(c) = &console {
        chats.push(c.clone());
    }
    #[cfg(feature = "discord")]
    let discord = match &config.discord {
        Some(_) => {
            let chat = Arc::new(crate::platform::discord::DiscordChat::new(config)?);
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
    anyhow::ensure!(!chats.is_empty(), crate::config::NO_PLATFORM);

    sync_channels(db, config).await?;
    let settings = settings(config, AnonKey::open(&config.anonymity_key_path())?);
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
    Ok(Started {
        engine,
        console,
        #[cfg(feature = "discord")]
        discord,
        #[cfg(feature = "matrix")]
        matrix,
    })
}

/// The running bot: every long-lived task, until shutdown; then drained.
async fn serve(
    config: &Config,
    db: &Db,
    started: Started,
    trigger: &Trigger,
) -> anyhow::Result<()> {
    let engine = started.engine;
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
    // Start-up is over (the config parsed, the agenda built): what it freed
    // goes back to the system, and so does each later burst's.
    tasks.spawn(crate::memory::trimmer(trigger.subscribe()));
    crate::memory::trim_soon();
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
    if let Some(d) = started.discord {
        tasks.spawn(crate::platform::discord::run(
            d,
            engine.clone(),
            trigger.subscribe(),
        ));
    }
    #[cfg(feature = "matrix")]
    if let Some(m) = started.matrix {
        tasks.spawn(m.run(engine.clone(), trigger.subscribe()));
    }
    if let Some(c) = started.console {
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
    Ok(())
}

/// The lease heartbeat: while this process runs, its unfinished posts stay
/// its own (see [`crate::db::LEASE_SECS`]).
async fn renew_leases(db: Db, mut shutdown: Shutdown) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(crate::db::LEASE_RENEW_SECS)) => {}
            _ = shutdown.recv() => return,
        }
        if let Err(e) = db.renew_leases(chrono::Utc::now().timestamp()).await {
            tracing::warn!(error = %e, "could not renew the leases on unfinished posts");
        }
    }
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
