//! The engine: platform-free. It fires schedules, draws prompts, posts them
//! through the [`Chat`] port exactly once per slot, collects replies and
//! answers commands. Time comes from a [`Clock`], chance from a seeded RNG.

mod agenda;
pub mod anonymity;
pub mod clock;
mod closing;
mod commands;
pub mod community;
mod digest;
mod digest_archive;
mod failures;
mod forget;
pub mod ingest;
pub mod missing;
pub mod own_packs;
mod permissions;
pub mod port;
mod post_now;
mod posting;
mod quiet;
mod reflections;
mod replies;
pub mod scheduler;
pub mod suggestions;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Duration, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::Notify;

pub use anonymity::AnonKey;
pub use clock::{Clock, ManualClock, SystemClock};
pub use commands::{Action, Answer, Caller};
pub use missing::{Missing, PowerAction};
pub use port::{Chat, ChatError, IncomingReply, Lookup, Needs, OutgoingPrompt, Posted};

use crate::db::{ChannelRow, Db};
use crate::domain::prompt::PromptSet;
use crate::prompt_files::{PackErrors, PromptSource};
use crate::shutdown::Shutdown;
use scheduler::{Agenda, Job};

/// What to do with slots that fell due while the bot was not running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatchUp {
    /// Post nothing late (beyond a minute of grace).
    Skip,
    /// Post the latest missed slot if it is at most this late; never more than one.
    Latest { max_lateness: Duration },
}

impl CatchUp {
    /// How late a slot may be and still be posted.
    pub fn window(self) -> Duration {
        match self {
            CatchUp::Skip => Duration::seconds(60),
            CatchUp::Latest { max_lateness } => max_lateness.max(Duration::seconds(60)),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub catch_up: CatchUp,
    /// How long a prompt's thread stays open.
    pub thread_open: Duration,
    /// The time zone of channels that name none.
    pub default_timezone: String,
    /// First delay before a failed send is tried again (doubling after).
    pub retry_after: Duration,
    /// The key behind anonymous authors' hashes (kept outside the database).
    pub anon_key: AnonKey,
    /// The config file the channels and schedules came from, named where an
    /// answer points there; `None` when there is none (the demo, tests).
    pub config_file: Option<String>,
    /// The shortest time between two prompts of a schedule made in chat
    /// (`setup`, `schedule add`), so nobody floods a room or the bot's rate
    /// limit; the operator sets it in config.
    pub min_interval: Duration,
    /// The language of channels that set none (the config's `language`).
    pub language: crate::i18n::Lang,
}

impl Settings {
    /// The defaults, with the anonymity key given: there is no default key
    /// (a fresh one at each start would change every anonymous author's hash).
    pub fn new(anon_key: AnonKey) -> Settings {
        Settings {
            catch_up: CatchUp::Latest {
                max_lateness: Duration::hours(6),
            },
            thread_open: Duration::hours(24),
            default_timezone: "UTC".into(),
            retry_after: Duration::seconds(30),
            anon_key,
            config_file: None,
            min_interval: Duration::minutes(10),
            language: crate::i18n::Lang::En,
        }
    }
}

/// Tests' settings: the defaults with a fresh key (not in the shipped library).
#[cfg(any(test, feature = "testing"))]
impl Default for Settings {
    fn default() -> Self {
        Settings::new(AnonKey::random())
    }
}

pub struct Engine {
    db: Db,
    chats: HashMap<&'static str, Arc<dyn Chat>>,
    prompts: RwLock<Arc<PromptSet>>,
    source: PromptSource,
    settings: Settings,
    clock: Arc<dyn Clock>,
    rng: Mutex<StdRng>,
    agenda: Mutex<Agenda>,
    wake: Notify,
    /// Replies from the gateway, waiting for the reply writer.
    ingest: ingest::Ingest,
    /// Communities' own packs, parsed.
    own_packs: own_packs::OwnPacks,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("platforms", &self.chats.keys())
            .field("settings", &self.settings)
            .finish()
    }
}

/// Everything the engine is built from.
pub struct EngineParts {
    pub db: Db,
    pub chats: Vec<Arc<dyn Chat>>,
    pub prompts: PromptSet,
    pub source: PromptSource,
    pub settings: Settings,
    pub clock: Arc<dyn Clock>,
    pub seed: Option<u64>,
}

impl Engine {
    pub fn new(parts: EngineParts) -> Arc<Engine> {
        let rng = match parts.seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_os_rng(),
        };
        Arc::new(Engine {
            db: parts.db,
            chats: parts.chats.into_iter().map(|c| (c.platform(), c)).collect(),
            prompts: RwLock::new(Arc::new(parts.prompts)),
            source: parts.source,
            settings: parts.settings,
            clock: parts.clock,
            rng: Mutex::new(rng),
            agenda: Mutex::new(Agenda::default()),
            own_packs: own_packs::OwnPacks::default(),
            wake: Notify::new(),
            ingest: ingest::Ingest::default(),
        })
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn prompts(&self) -> Arc<PromptSet> {
        self.prompts.read().unwrap().clone()
    }

    /// The platforms this engine posts to.
    pub fn chats(&self) -> impl Iterator<Item = &Arc<dyn Chat>> {
        self.chats.values()
    }

    fn chat(&self, platform: &str) -> Option<&Arc<dyn Chat>> {
        self.chats.get(platform)
    }

    /// Reloads the prompt files. A set with errors is refused and the
    /// running set stays. Returns the number of prompts loaded.
    pub fn reload_prompts(&self) -> Result<usize, PackErrors> {
        let set = self.source.load()?;
        let n = set.len();
        *self.prompts.write().unwrap() = Arc::new(set);
        tracing::info!(prompts = n, source = %self.source, "prompt files reloaded");
        Ok(n)
    }

    pub fn prompt_source(&self) -> &PromptSource {
        &self.source
    }

    /// Start-up: finishes the sends a crash interrupted, rebuilds the agenda
    /// from the database, and collects replies written while the bot was
    /// away, with their edits and deletions ([`Engine::recheck_replies`]).
    pub async fn start(&self) -> anyhow::Result<()> {
        self.reconcile().await?;
        self.rebuild_agenda().await?;
        self.recheck_replies().await?;
        Ok(())
    }

    /// The channel rows behind a platform channel, if Ponder knows it.
    pub async fn known_channel(
        &self,
        platform: &str,
        channel: &str,
    ) -> anyhow::Result<Option<ChannelRow>> {
        Ok(self.db.find_channel(platform, channel).await?)
    }

    /// The schedule's next due time as the agenda holds it.
    pub fn due_of(&self, schedule_id: i64) -> Option<DateTime<Utc>> {
        self.agenda
            .lock()
            .unwrap()
            .schedule_due(schedule_id)
            .and_then(|t| DateTime::from_timestamp(t, 0))
    }

    /// When the earliest job is due.
    pub fn next_wake(&self) -> Option<DateTime<Utc>> {
        self.agenda
            .lock()
            .unwrap()
            .peek_time()
            .and_then(|t| DateTime::from_timestamp(t, 0))
    }

    /// Runs every job due at the clock's current time.
    pub async fn tick(&self) {
        self.tick_until(None).await
    }

    /// Runs the due jobs one by one; stops taking new ones once `shutdown`
    /// fires (the job in hand is finished; the rest wait in the database).
    async fn tick_until(&self, shutdown: Option<&Shutdown>) {
        let now = self.clock.now();
        while !shutdown.is_some_and(Shutdown::is_shutdown) {
            let job = self.agenda.lock().unwrap().pop_due(now.timestamp());
            let Some((at, job)) = job else { break };
            let result = match job {
                Job::Fire(id) => self.fire(id, at, now).await,
                Job::Close(id) => self.close(id).await,
                Job::Retry(id) => self.retry(id).await,
            };
            if let Err(e) = result {
                tracing::error!(?job, error = %format!("{e:#}"), "scheduled job failed");
                crate::metrics::error("scheduler");
                if let Job::Fire(id) = job {
                    // Try the schedule again in a minute rather than losing it.
                    self.agenda
                        .lock()
                        .unwrap()
                        .set_schedule(id, now.timestamp() + 60);
                }
            }
        }
    }

    /// The scheduler loop: sleeps until the next job (at most a minute, so
    /// a wall-clock jump is noticed), or until woken by a change, or until
    /// shutdown.
    pub async fn run(self: Arc<Self>, mut shutdown: Shutdown) {
        while !shutdown.is_shutdown() {
            self.tick_until(Some(&shutdown)).await;
            let now = self.clock.now();
            let wait = self
                .next_wake()
                .map(|t| (t - now).clamp(Duration::zero(), Duration::seconds(60)))
                .unwrap_or(Duration::seconds(60))
                .to_std()
                .unwrap_or_default();
            // Wake a few milliseconds after the due second has begun.
            let wait = wait + std::time::Duration::from_millis(5);
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.wake.notified() => {}
                _ = shutdown.recv() => {}
            }
        }
        tracing::debug!("scheduler stopped");
    }
}
