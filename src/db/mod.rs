//! Storage: one [`Db`] handle over a sqlx SQLite pool, with the schema in
//! `migrations/` embedded into the binary. Queries live in one module per
//! table (`impl Db` blocks); nothing outside this module sees sqlx.

mod channels;
mod posts;
mod replies;
mod reply_batch;
mod rotation;
mod schedules;
mod stats;
mod suggestions;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use channels::ChannelRow;
pub use posts::{ArchiveFilter, DigestState, NewPost, PostRow, PostState};
pub use replies::{NewReply, ReplyRow};
pub use reply_batch::ReplyChange;
pub use schedules::{ORIGIN_COMMAND, ORIGIN_CONFIG, ScheduleRow};
pub use stats::ChannelStats;
pub use suggestions::{
    NewSuggestion, SUGGESTION_APPROVED, SUGGESTION_PENDING, SUGGESTION_REJECTED, SuggestionRow,
};

/// A storage failure, with what was being done.
#[derive(Debug, thiserror::Error)]
#[error("database: {context}: {source}")]
pub struct DbError {
    context: String,
    #[source]
    source: sqlx::Error,
}

pub type DbResult<T> = Result<T, DbError>;

trait Context<T> {
    fn ctx(self, context: &str) -> DbResult<T>;
}

impl<T> Context<T> for Result<T, sqlx::Error> {
    fn ctx(self, context: &str) -> DbResult<T> {
        self.map_err(|source| DbError {
            context: context.to_string(),
            source,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
}

impl Db {
    /// Opens (creating if needed) the SQLite file at `path` in WAL mode and
    /// applies the migrations.
    pub async fn open(path: &Path) -> DbResult<Db> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| DbError {
                context: format!("creating {}", dir.display()),
                source: e.into(),
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .ctx(&format!("opening {}", path.display()))?;
        Self::migrate(pool).await
    }

    /// A private in-memory database (one connection), for tests.
    pub async fn memory() -> DbResult<Db> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")
            .ctx("memory url")?
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .ctx("opening :memory:")?;
        Self::migrate(pool).await
    }

    async fn migrate(pool: SqlitePool) -> DbResult<Db> {
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| DbError {
                context: "applying migrations".into(),
                source: e.into(),
            })?;
        Ok(Db { pool })
    }

    /// Writes and reads back a row: proof the database is usable.
    pub async fn check_writable(&self) -> DbResult<()> {
        sqlx::query("CREATE TABLE IF NOT EXISTS health (id INTEGER PRIMARY KEY, at BIGINT)")
            .execute(&self.pool)
            .await
            .ctx("health check")?;
        sqlx::query("INSERT OR REPLACE INTO health (id, at) VALUES (1, strftime('%s','now'))")
            .execute(&self.pool)
            .await
            .ctx("health check")?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
