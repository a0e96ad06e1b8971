//! Storage: one [`Db`] handle over a sqlx SQLite pool, with the schema in
//! `migrations/` embedded into the binary. Queries live in one module per
//! table (`impl Db` blocks); nothing outside this module sees sqlx.
//!
//! Who may open what:
//! - [`Db::open`] (the bot: `run`, `demo`) takes the process lock (see
//!   [`lock`]), then applies the migrations under it: one process per
//!   database, and only that process ever changes the schema.
//! - [`Db::open_read_only`] (`export` and every command that only reads)
//!   opens an existing file read-only, never migrates, and refuses a file
//!   that is not a Ponder database ("not a Ponder database"), leaving it
//!   byte for byte as it was.
//!
//! Erasure: every connection runs with `secure_delete`, so deleted rows are
//! overwritten with zeros rather than left in free pages, and the
//! write-ahead log is checkpointed and truncated after an erasure
//! ([`Db::checkpoint`]) and at a clean close, so the erased text survives in
//! no log either.

mod channels;
mod copy;
mod leases;
pub mod lock;
mod packs;
mod postgres;
mod posts;
mod replies;
mod reply_batch;
mod rotation;
mod schedules;
mod schema;
mod sql;
mod states;
mod stats;
mod suggestions;

use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use channels::{ChannelRow, QuietDay};
pub use copy::{Copied, TABLES};
pub use leases::{LEASE_RENEW_SECS, LEASE_SECS, Taken};
pub use packs::{CommunityPack, NewPack};
pub use postgres::Store;
pub use posts::{ArchiveFilter, NewPost, PostRow};
pub use replies::{NewReply, ReplyRow, ThreadToRead};
pub use reply_batch::ReplyChange;
pub use schedules::{DueSchedule, ORIGIN_COMMAND, ORIGIN_CONFIG, ScheduleRow};
use schema::{Schema, schema};
pub use states::{DigestState, PostState, SuggestionState};
pub use stats::ChannelStats;
pub use suggestions::{NewSuggestion, SuggestionRow};

/// A storage failure, with what was being done; or a refusal that needs no
/// SQLite detail (another process holds the database, the file is not a
/// Ponder database), said in one line.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {context}: {source}")]
    Sql {
        context: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("{0}")]
    Refused(String),
}

pub type DbResult<T> = Result<T, DbError>;

trait Context<T> {
    fn ctx(self, context: &str) -> DbResult<T>;
}

impl<T> Context<T> for Result<T, sqlx::Error> {
    fn ctx(self, context: &str) -> DbResult<T> {
        self.map_err(|source| DbError::Sql {
            context: context.to_string(),
            source,
        })
    }
}

/// A path as it may be shown in a message or a terminal: control characters
/// (an escape sequence in a file name, say) are escaped, never printed raw.
pub fn shown(path: &Path) -> String {
    path.display()
        .to_string()
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The schema, embedded; also how a file is recognised as Ponder's.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The first bytes of every SQLite 3 database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// This process's name in the posts' leases: the host, then a part unique
/// per process (pid and a random part), the same for every handle the
/// process opens. The host comes first so that a process holding the
/// database's lock can tell a lease left by a dead process of its own host
/// (see [`Db::take_post`]).
fn process_owner() -> Arc<str> {
    static OWNER: OnceLock<Arc<str>> = OnceLock::new();
    OWNER
        .get_or_init(|| {
            format!(
                "{}pid{}-{:08x}",
                host_prefix(),
                std::process::id(),
                rand::random::<u32>()
            )
            .into()
        })
        .clone()
}

/// `"HOST "`, how lease owners of this host begin (`"localhost "` if unknown).
pub fn host_prefix() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty() && !h.contains(' '))
        .unwrap_or_else(|| "localhost".into());
    format!("{host} ")
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: sql::Pool,
    /// The name this handle writes into post leases.
    owner: Arc<str>,
    read_only: bool,
    /// Held for as long as a handle lives (file databases opened for writing).
    _lock: Option<Arc<lock::DbLock>>,
}

impl Db {
    /// Opens (creating if needed) the SQLite file at `path` in WAL mode and
    /// applies the migrations. Takes the process lock first (see [`lock`]):
    /// a second process on the same file is refused, and migrations only ever
    /// run under the lock. Deleted text is overwritten (`secure_delete`).
    /// Refuses a file that is not a SQLite database or holds another
    /// application's tables.
    pub async fn open(path: &Path) -> DbResult<Db> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| DbError::Sql {
                context: format!("creating {}", shown(dir)),
                source: e.into(),
            })?;
        }
        // Another application's file is recognised before anything is
        // created beside it (the lock file) or written into it.
        if std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
            match peek(path).await? {
                Schema::Other { creating: false } => return Err(not_ponder(path)),
                Schema::Ponder { newer: true, .. } => return Err(newer(path)),
                // Being created by another process: the lock tells.
                Schema::Other { creating: true } | Schema::Empty | Schema::Ponder { .. } => {}
            }
        }
        let lock = match lock::acquire(path) {
            Ok(lock) => lock,
            Err(lock::LockError::Busy) => {
                return Err(DbError::Refused(format!(
                    "another Ponder process is using the database {}; stop it first (one process per database)",
                    shown(path)
                )));
            }
            Err(lock::LockError::Io(e)) => {
                return Err(DbError::Sql {
                    context: format!("locking {}", shown(&lock::lock_path(path))),
                    source: e.into(),
                });
            }
        };
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("secure_delete", "ON");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .ctx(&format!("opening {}", shown(path)))?;
        Self::migrate(sql::Pool::Sqlite(pool), Some(lock)).await
    }

    /// Opens an existing Ponder database for reading only: never creates,
    /// never migrates, takes no lock (a running bot keeps writing), and leaves
    /// any file that is not a Ponder database exactly as it was.
    pub async fn open_read_only(path: &Path) -> DbResult<Db> {
        if !path.is_file() {
            return Err(DbError::Refused(format!("no database at {}", shown(path))));
        }
        if std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) == 0 {
            return Err(not_ponder(path));
        }
        let pool = read_only_pool(path).await?;
        let pool = sql::Pool::Sqlite(pool);
        let refusal = match schema(&pool).await {
            Ok(Schema::Ponder {
                missing: 0,
                newer: false,
            }) => None,
            Ok(Schema::Ponder { newer: true, .. }) => Some(newer(path)),
            Ok(Schema::Ponder { .. }) | Ok(Schema::Other { creating: true }) => {
                Some(DbError::Refused(format!(
                    "the database {} is not up to date (a Ponder is creating or upgrading it, or an older one \
                     made it): start `ponder run` on it once; read-only commands never change a database",
                    shown(path)
                )))
            }
            Ok(Schema::Empty | Schema::Other { .. }) => Some(not_ponder(path)),
            Err(e) => Some(e),
        };
        if let Some(e) = refusal {
            pool.close().await;
            return Err(e);
        }
        Ok(Db {
            pool,
            owner: process_owner(),
            read_only: true,
            _lock: None,
        })
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
        Self::migrate(sql::Pool::Sqlite(pool), None).await
    }

    async fn migrate(pool: sql::Pool, lock: Option<Arc<lock::DbLock>>) -> DbResult<Db> {
        let applied = match &pool {
            sql::Pool::Sqlite(p) => MIGRATOR.run(p).await,
            sql::Pool::Postgres(p) => postgres::MIGRATOR.run(p).await,
        };
        applied.map_err(|e| DbError::Sql {
            context: "applying migrations".into(),
            source: e.into(),
        })?;
        Ok(Db {
            pool,
            owner: process_owner(),
            read_only: false,
            _lock: lock,
        })
    }

    /// The same database, writing `owner` into the leases it takes: how a
    /// test plays a second process on one file.
    pub fn as_owner(&self, owner: &str) -> Db {
        Db {
            owner: owner.into(),
            ..self.clone()
        }
    }

    /// Moves every page of the write-ahead log into the database file and
    /// empties the log, so text deleted (and overwritten, `secure_delete`)
    /// in the database survives in no log either. Done after an erasure and
    /// at close.
    pub async fn checkpoint(&self) -> DbResult<()> {
        // PostgreSQL overwrites nothing on delete either, but its WAL and
        // dead tuples are the server's to recycle (VACUUM); see README.
        if self.read_only || self.pool.is_postgres() {
            return Ok(());
        }
        for _ in 0..20 {
            let (busy, _, _): (i64, i64, i64) = sql::q("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&self.pool)
                .await
                .ctx("checkpointing the write-ahead log")?;
            if busy == 0 {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tracing::debug!("the write-ahead log stayed busy; it is checkpointed at close");
        Ok(())
    }

    /// Writes and reads back a row: proof the database is usable.
    pub async fn check_writable(&self) -> DbResult<()> {
        // PostgreSQL's schema has the table (and would log a notice).
        sql::q("CREATE TABLE IF NOT EXISTS health (id INTEGER PRIMARY KEY, at BIGINT)")
            .pg("SELECT 1")
            .execute(&self.pool)
            .await
            .ctx("health check")?;
        sql::q("INSERT INTO health (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at")
            .bind(chrono::Utc::now().timestamp())
            .execute(&self.pool)
            .await
            .ctx("health check")?;
        Ok(())
    }

    /// A clean close: this process's leases are released (a restart takes
    /// its unfinished posts at once), the log is checkpointed and emptied,
    /// then the connections close.
    pub async fn close(&self) {
        if !self.read_only {
            if let Err(e) = self.release_leases().await {
                tracing::debug!(error = %e, "releasing leases at close");
            }
            if let Err(e) = self.checkpoint().await {
                tracing::debug!(error = %e, "checkpoint at close");
            }
        }
        self.pool.close().await;
    }
}

/// Refuses a file that exists, is not empty and is not SQLite.
fn check_header(path: &Path) -> DbResult<()> {
    use std::io::Read as _;
    let Ok(mut file) = std::fs::File::open(path) else {
        return Ok(()); // missing: created (or refused) by the caller
    };
    let mut head = [0u8; 16];
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => {
                return Err(DbError::Sql {
                    context: format!("reading {}", shown(path)),
                    source: e.into(),
                });
            }
        }
    }
    if read == 0 || &head == SQLITE_HEADER {
        Ok(())
    } else {
        Err(not_ponder(path))
    }
}

fn not_ponder(path: &Path) -> DbError {
    DbError::Refused(format!(
        "{} is not a Ponder database; it was left as it is",
        shown(path)
    ))
}

fn newer(path: &Path) -> DbError {
    DbError::Refused(format!(
        "the database {} was written by a newer Ponder; use that version",
        shown(path)
    ))
}

/// A read-only pool on an existing file, after its header was checked.
async fn read_only_pool(path: &Path) -> DbResult<SqlitePool> {
    check_header(path)?;
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(10));
    SqlitePoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .ctx(&format!("opening {}", shown(path)))
}

/// What an existing file holds, read without changing it.
async fn peek(path: &Path) -> DbResult<Schema> {
    let pool = sql::Pool::Sqlite(read_only_pool(path).await?);
    let found = schema(&pool).await;
    pool.close().await;
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_a_path_are_shown_escaped() {
        assert_eq!(
            shown(Path::new("data/\u{1b}[2Jx\n.db")),
            "data/\\u{1b}[2Jx\\n.db"
        );
    }
}
