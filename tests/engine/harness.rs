use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use ponder::db::Db;
use ponder::engine::{Caller, Engine, EngineParts, ManualClock, Settings};
use ponder::platform::memory::{MemoryChat, PLATFORM};
use ponder::prompt_files::PromptSource;

pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// One bot "process": an engine over a database file, a platform that
/// outlives it (as Discord outlives a crashed bot) and a clock. Each engine
/// runs its reply writer, as the app starts it; `stop` stops them all.
pub struct World {
    pub dir: tempfile::TempDir,
    pub stop: ponder::shutdown::Trigger,
    pub chat: Arc<MemoryChat>,
    pub clock: Arc<ManualClock>,
    pub settings: Settings,
    pub source: PromptSource,
}

impl World {
    pub fn new(start: &str) -> World {
        World {
            dir: tempfile::tempdir().unwrap(),
            stop: ponder::shutdown::channel().0,
            chat: Arc::new(MemoryChat::new()),
            clock: Arc::new(ManualClock::new(utc(start))),
            settings: Settings::default(),
            source: PromptSource::Embedded,
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("ponder.db")
    }

    pub fn set_time(&self, t: &str) {
        self.clock.set(utc(t));
    }

    /// Starts a bot: opens the database, reconciles, rebuilds its agenda.
    pub async fn boot(&self) -> Arc<Engine> {
        let engine = self.engine().await;
        engine.start().await.unwrap();
        engine
    }

    /// An engine that has not run its start-up yet, with its reply writer
    /// running.
    pub async fn engine(&self) -> Arc<Engine> {
        self.engine_on(Db::open(&self.db_path()).await.unwrap())
    }

    /// An engine like [`World::engine`], on a given database handle.
    pub fn engine_on(&self, db: Db) -> Arc<Engine> {
        let engine = Engine::new(EngineParts {
            db,
            chats: vec![self.chat.clone()],
            prompts: self.source.load().unwrap(),
            source: self.source.clone(),
            settings: self.settings.clone(),
            clock: self.clock.clone(),
            seed: Some(42),
        });
        tokio::spawn(engine.clone().write_replies(self.stop.subscribe()));
        engine
    }

    /// Adds a channel with one schedule, as config or `schedule add` would.
    pub async fn schedule(&self, channel: &str, spec: &str, tz: &str) -> i64 {
        let db = Db::open(&self.db_path()).await.unwrap();
        let now = self.clock.now_ts();
        let ch = db.ensure_channel(PLATFORM, channel, tz, now).await.unwrap();
        let id = db
            .add_schedule(ch.id, spec, tz, "config", &Default::default(), now)
            .await
            .unwrap();
        db.close().await;
        id
    }

    /// Adds a quiet rule (`2026-12-24..2026-12-26 [reason]`, `sat,sun`) to
    /// a channel made with [`World::schedule`], as `quiet add` would.
    pub async fn quiet(&self, channel: &str, entry: &str) -> i64 {
        let db = Db::open(&self.db_path()).await.unwrap();
        let ch = db.find_channel(PLATFORM, channel).await.unwrap().unwrap();
        let (rule, why) = ponder::domain::quiet::parse_entry(entry).unwrap();
        let id = db
            .add_quiet_day(ch.id, &rule, why.as_deref(), "command", self.clock.now_ts())
            .await
            .unwrap();
        db.close().await;
        id
    }

    /// The prompts the platform received with a key, per key.
    pub fn sends_per_key(&self) -> std::collections::BTreeMap<String, usize> {
        let mut m = std::collections::BTreeMap::new();
        for p in self.chat.prompts() {
            *m.entry(p.key).or_insert(0) += 1;
        }
        m
    }
}

pub trait NowTs {
    fn now_ts(&self) -> i64;
}

impl NowTs for ManualClock {
    fn now_ts(&self) -> i64 {
        use ponder::engine::Clock;
        self.now().timestamp()
    }
}

/// What the bot answers `who` for a line of `!ponder` text.
pub async fn say(bot: &Engine, who: &Caller, text: &str) -> String {
    let cmd = ponder::domain::command::parse(text).unwrap().unwrap();
    bot.handle(who, cmd).await.text
}

/// A channel `general` with a daily schedule, where a member has suggested
/// `suggestion`: the world, its bot and the answer the member got.
pub async fn with_suggestion(suggestion: &str) -> (World, Arc<Engine>, String) {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    let answer = say(
        &bot,
        &member("general"),
        &format!("!ponder suggest {suggestion}"),
    )
    .await;
    (w, bot, answer)
}

pub fn admin(channel: &str) -> Caller {
    Caller {
        platform: PLATFORM.into(),
        channel: channel.into(),
        user_id: "admin".into(),
        user_name: "Admin".into(),
        thread: None,
        is_admin: true,
        private: true,
        locale: None,
    }
}

pub fn member(channel: &str) -> Caller {
    Caller {
        platform: PLATFORM.into(),
        channel: channel.into(),
        user_id: "member".into(),
        user_name: "Mo".into(),
        thread: None,
        is_admin: false,
        private: true,
        locale: None,
    }
}

pub fn write_pack(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}
