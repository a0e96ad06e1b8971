//! PostgreSQL: where a database is, how it is opened, and its schema.
//!
//! Several Ponder processes may share one PostgreSQL database (each serving
//! its own Discord shards): no process lock is taken. Exactly-once holds by
//! the database's own guarantees: a slot is claimed in one transaction on
//! the unique `(schedule_id, slot_at)` key, and an unfinished post is taken
//! only under its lease ([`super::Db::take_post`]). Migrations run under
//! sqlx's advisory lock, so processes starting together apply them once.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::ConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::{Context, Db, DbError, DbResult, Schema, process_owner, schema, sql};

/// The PostgreSQL schema, embedded: the SQLite migrations' final state in
/// one file of the same version number, and each later migration in both
/// folders under the same number.
pub(super) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations-postgres");

/// Where a Ponder database lives: the config's `database`.
#[derive(Clone, PartialEq, Eq)]
pub enum Store {
    /// A SQLite file (a path, or `sqlite://path`): the default.
    Sqlite(PathBuf),
    /// A PostgreSQL database (`postgres://user@host:port/name`). Its
    /// password comes from `PGPASSWORD` or `~/.pgpass`, never the config.
    Postgres(String),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_string())
    }
}

impl std::fmt::Display for Store {
    /// The SQLite path (escaped), or the PostgreSQL address without any
    /// password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Store::Sqlite(path) => f.write_str(&super::shown(path)),
            Store::Postgres(url) => f.write_str(&without_password(url)),
        }
    }
}

impl Store {
    /// Reads the config's `database` value: a PostgreSQL URL, a `sqlite://`
    /// URL, or a path. A URL carrying a password is refused: passwords come
    /// from `PGPASSWORD` or `~/.pgpass`.
    pub fn parse(text: &str) -> Result<Store, String> {
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            PgConnectOptions::from_str(text)
                .map_err(|e| format!("not a PostgreSQL address ({e})"))?;
            if has_password(text) {
                return Err(
                    "the PostgreSQL address holds a password; leave it out and set PGPASSWORD or ~/.pgpass \
                     (a config file is no place for a secret)"
                        .into(),
                );
            }
            return Ok(Store::Postgres(text.to_string()));
        }
        if let Some(path) = text.strip_prefix("sqlite://") {
            return Ok(Store::Sqlite(PathBuf::from(path)));
        }
        if lower.contains("://") {
            return Err(
                "not a database Ponder knows: give a file path, sqlite://PATH or postgres://…"
                    .into(),
            );
        }
        Ok(Store::Sqlite(PathBuf::from(text)))
    }

    /// The SQLite file, if this is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Store::Sqlite(p) => Some(p),
            Store::Postgres(_) => None,
        }
    }
}

/// Whether the URL carries a password: in its user part (`user:secret@`)
/// or as a `password=` parameter.
fn has_password(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    authority
        .rsplit_once('@')
        .is_some_and(|(user, _)| user.contains(':'))
        || query_has_password(url)
}

fn query_has_password(url: &str) -> bool {
    url.split_once('?').is_some_and(|(_, query)| {
        query
            .split('&')
            .any(|kv| kv.to_ascii_lowercase().starts_with("password="))
    })
}

/// The URL with any password replaced by `***`.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let shown = match authority.rsplit_once('@') {
        Some((user, host)) if user.contains(':') => {
            format!("{}:***@{host}", user.split(':').next().unwrap_or(""))
        }
        _ => authority.to_string(),
    };
    // A `password=` parameter hides the whole query.
    let tail = match tail.split_once('?') {
        Some((path, _)) if query_has_password(url) => format!("{path}?***"),
        _ => tail.to_string(),
    };
    let text = format!("{scheme}://{shown}{tail}");
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

impl Db {
    /// Opens the database `store` names for the bot: a SQLite file under
    /// its process lock ([`Db::open`]), or a PostgreSQL database shared by
    /// any number of Ponder processes.
    pub async fn open_store(store: &Store) -> DbResult<Db> {
        match store {
            Store::Sqlite(path) => Db::open(path).await,
            Store::Postgres(url) => {
                let pool = connect(url, 8).await?;
                match schema(&pool).await? {
                    Schema::Other { creating: false } => {
                        pool.close().await;
                        return Err(not_ponder_pg(url));
                    }
                    Schema::Ponder { newer: true, .. } => {
                        pool.close().await;
                        return Err(DbError::Refused(format!(
                            "the database {} was written by a newer Ponder; use that version",
                            without_password(url)
                        )));
                    }
                    _ => {}
                }
                Db::migrate(pool, None).await
            }
        }
    }

    /// Opens the database `store` names for reading only (see
    /// [`Db::open_read_only`]).
    pub async fn open_store_read_only(store: &Store) -> DbResult<Db> {
        match store {
            Store::Sqlite(path) => Db::open_read_only(path).await,
            Store::Postgres(url) => {
                let pool = connect(url, 2).await?;
                let refusal = match schema(&pool).await? {
                    Schema::Ponder {
                        missing: 0,
                        newer: false,
                    } => None,
                    Schema::Ponder { .. } | Schema::Other { creating: true } => {
                        Some(DbError::Refused(format!(
                            "the database {} is not up to date: start `ponder run` on it once; \
                             read-only commands never change a database",
                            without_password(url)
                        )))
                    }
                    Schema::Empty | Schema::Other { .. } => Some(not_ponder_pg(url)),
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
        }
    }

    /// Holds the database against every other Ponder process's config sync
    /// until the guard drops: processes sharing a PostgreSQL database start
    /// together and write the same config, and two reading "no such
    /// schedule" at once would each add it (every slot then posted twice).
    /// A session advisory lock on a connection of its own, closed (and the
    /// lock with it) when the guard drops. On SQLite the process lock does
    /// this already.
    pub async fn config_lock(&self) -> DbResult<ConfigLock> {
        let sql::Pool::Postgres(pool) = &self.pool else {
            return Ok(ConfigLock(None));
        };
        let mut conn = pool
            .acquire()
            .await
            .ctx("locking the config sync")?
            .detach();
        // Asked again every 50 ms rather than waited for in one statement:
        // a wait of a second is normal when processes start together, and
        // sqlx would log it at WARN as a slow statement.
        let asked = std::time::Instant::now();
        let mut said = false;
        loop {
            let (held,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock(5071939100)")
                .fetch_one(&mut conn)
                .await
                .ctx("locking the config sync")?;
            if held {
                return Ok(ConfigLock(Some(conn)));
            }
            if !said && asked.elapsed() > Duration::from_secs(10) {
                said = true;
                tracing::info!(
                    "waiting for another Ponder process to finish writing its config into the shared database (PostgreSQL advisory lock 5071939100; pg_locks shows its holder)"
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Whether other Ponder processes may share this database (PostgreSQL):
    /// then each acts only on the channels it serves.
    pub fn is_shared(&self) -> bool {
        self.pool.is_postgres()
    }

    /// Which backend this handle is on: `"sqlite"` or `"postgres"`.
    pub fn backend(&self) -> &'static str {
        if self.pool.is_postgres() {
            "postgres"
        } else {
            "sqlite"
        }
    }
}

/// See [`Db::config_lock`]: the lock lives as long as this connection.
pub struct ConfigLock(#[allow(dead_code)] Option<sqlx::PgConnection>);

async fn connect(url: &str, connections: u32) -> DbResult<sql::Pool> {
    // sqlx logs a statement over 1 s and a connection wait over its
    // threshold at WARN. On a shared database both happen in a healthy run
    // (processes starting together wait on the schema's advisory lock; a
    // busy server is slow for a moment) and an operator can do nothing
    // about either, so they are said at INFO.
    let options = PgConnectOptions::from_str(url)
        .ctx(&format!("reading the address {}", without_password(url)))?
        .log_slow_statements(log::LevelFilter::Info, Duration::from_secs(1));
    let pool = PgPoolOptions::new()
        .acquire_slow_level(log::LevelFilter::Info)
        .max_connections(connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .ctx(&format!("connecting to {}", without_password(url)))?;
    Ok(sql::Pool::Postgres(pool))
}

fn not_ponder_pg(url: &str) -> DbError {
    DbError::Refused(format!(
        "the database {} holds another application's tables; give Ponder a database of its own \
         (`createdb ponder`); nothing was changed",
        without_password(url)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_value_names_its_backend() {
        assert_eq!(
            Store::parse("data/ponder.db").unwrap(),
            Store::Sqlite("data/ponder.db".into())
        );
        assert_eq!(
            Store::parse("sqlite://data/p.db").unwrap(),
            Store::Sqlite("data/p.db".into())
        );
        assert_eq!(
            Store::parse("postgres://ponder@127.0.0.1:5432/ponder").unwrap(),
            Store::Postgres("postgres://ponder@127.0.0.1:5432/ponder".into())
        );
        assert!(Store::parse("mysql://x/y").is_err());
    }

    #[test]
    fn a_password_in_the_address_is_refused_and_never_shown() {
        let err = Store::parse("postgres://ponder:hunter2@db/ponder").unwrap_err();
        assert!(err.contains("PGPASSWORD"), "{err}");
        assert!(!err.contains("hunter2"));
        assert_eq!(
            without_password("postgres://ponder:hunter2@db:5432/ponder?sslmode=disable"),
            "postgres://ponder:***@db:5432/ponder?sslmode=disable"
        );
        let store = Store::Postgres("postgres://u:hunter2@h/d".into());
        assert!(!format!("{store:?} {store}").contains("hunter2"));
        let err = Store::parse("postgres://ponder@db/ponder?password=hunter2").unwrap_err();
        assert!(
            !err.contains("hunter2") && err.contains("PGPASSWORD"),
            "{err}"
        );
        let store = Store::Postgres("postgres://u@h/d?sslmode=disable&Password=hunter2".into());
        assert_eq!(store.to_string(), "postgres://u@h/d?***");
    }
}
