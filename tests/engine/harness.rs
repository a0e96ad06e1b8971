use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use ponder::db::{Db, Store};
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
    /// The database: a SQLite file in `dir`, or a fresh PostgreSQL
    /// database when the suite runs on PostgreSQL (`PONDER_TEST_BACKEND`).
    pub store: Store,
    pub stop: ponder::shutdown::Trigger,
    pub chat: Arc<MemoryChat>,
    pub clock: Arc<ManualClock>,
    pub settings: Settings,
    pub source: PromptSource,
}

impl World {
    pub fn new(start: &str) -> World {
        let dir = tempfile::tempdir().unwrap();
        World {
            store: crate::postgres::store_for(&dir.path().join("ponder.db")),
            dir,
            stop: ponder::shutdown::channel().0,
            chat: Arc::new(MemoryChat::new()),
            clock: Arc::new(ManualClock::new(utc(start))),
            settings: Settings::default(),
            source: PromptSource::Embedded,
        }
    }

    /// Runs raw SQL on the world's database from a connection of its own
    /// (another process, as far as Ponder can tell): `sqlite` on a SQLite
    /// file, `pg` on PostgreSQL (`;`-separated statements in one string).
    pub async fn raw(&self, sqlite: &str, pg: &str) {
        match &self.store {
            Store::Sqlite(path) => {
                let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", path.display()))
                    .await
                    .unwrap();
                sqlx::raw_sql(sqlx::AssertSqlSafe(sqlite.to_string()))
                    .execute(&pool)
                    .await
                    .unwrap();
                pool.close().await;
            }
            Store::Postgres(url) => {
                let pool = sqlx::PgPool::connect(url).await.unwrap();
                sqlx::raw_sql(sqlx::AssertSqlSafe(pg.to_string()))
                    .execute(&pool)
                    .await
                    .unwrap();
                pool.close().await;
            }
        }
    }

    /// A `SELECT count(*) …` (the same text on both backends), read from a
    /// connection of its own.
    pub async fn count(&self, sql: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        let (n,): (i64,) = match &self.store {
            Store::Sqlite(path) => {
                let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", path.display()))
                    .await
                    .unwrap();
                sqlx::query_as(sql).fetch_one(&pool).await.unwrap()
            }
            Store::Postgres(url) => {
                let pool = sqlx::PgPool::connect(url).await.unwrap();
                sqlx::query_as(sql).fetch_one(&pool).await.unwrap()
            }
        };
        n
    }

    /// Opens the world's database for writing, as `ponder run` does.
    pub async fn open_db(&self) -> Db {
        Db::open_store(&self.store).await.unwrap()
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
        self.engine_on(self.open_db().await)
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
        let db = self.open_db().await;
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
        let db = self.open_db().await;
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

/// What an adapter answers a line of text: the engine's answer to a
/// command, or the usage answer to a malformed one (in the caller's language).
pub async fn answer_line(bot: &Engine, who: &Caller, text: &str) -> String {
    match ponder::domain::command::parse(text) {
        Ok(Some(cmd)) => bot.handle(who, cmd).await.text,
        Ok(None) => panic!("not a command: {text}"),
        Err(usage) => {
            bot.usage_answer(&who.platform, &who.channel, who.locale.as_deref(), &usage)
                .await
        }
    }
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
