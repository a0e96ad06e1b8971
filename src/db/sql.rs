//! One set of queries on two backends: a query is written once ([`q`]),
//! with SQLite's `?` placeholders, and runs on whichever backend the [`Db`]
//! handle holds (a SQLite file, or a PostgreSQL database). What differs
//! between them lives here:
//!
//! - placeholders: `?` and `?N` are rewritten to `$N` for PostgreSQL
//!   ([`numbered`]);
//! - the few statements whose SQL differs give PostgreSQL's text with
//!   [`Q::pg`] (a JSON array read as rows, say);
//! - a write transaction ([`Pool::begin_write`]): `BEGIN IMMEDIATE` on
//!   SQLite, so two writers queue instead of failing to upgrade; a plain
//!   `BEGIN` on PostgreSQL, whose row locks and unique keys do that work.
//!
//! Values are bound as [`Arg`]s, typed even when NULL (PostgreSQL refuses a
//! NULL of the wrong type), and rows are read with `sqlx::FromRow`, which
//! every row type derives for both backends.
//!
//! [`Db`]: super::Db

use std::borrow::Cow;

use sqlx::postgres::{PgPool, PgRow};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{FromRow, Postgres, Sqlite, Transaction};

/// The connections a [`super::Db`] handle holds.
#[derive(Clone, Debug)]
pub(super) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A transaction on either backend (see [`Pool::begin_write`]).
pub(super) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Pool {
    /// Begins a transaction that will write (see the module's notes).
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Begins a transaction that only reads, with one consistent view of
    /// the database: SQLite's read transaction is a snapshot; PostgreSQL's
    /// default (READ COMMITTED) gives each statement its own, so reads made
    /// in one transaction (the rotation's) could come from two moments:
    /// REPEATABLE READ.
    pub async fn begin_read(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Pool::Postgres(p) => Tx::Postgres(
                p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .await?,
            ),
        })
    }

    pub async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Pool::Postgres(_))
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }
}

/// Where a query runs: the pool or a transaction.
pub(super) enum On<'a> {
    Pool(&'a Pool),
    Tx(&'a mut Tx),
}

impl<'a> From<&'a Pool> for On<'a> {
    fn from(p: &'a Pool) -> On<'a> {
        On::Pool(p)
    }
}

impl<'a> From<&'a mut Tx> for On<'a> {
    fn from(t: &'a mut Tx) -> On<'a> {
        On::Tx(t)
    }
}

/// A bound value, typed even when NULL.
#[derive(Debug, Clone)]
pub(super) enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
}

impl Arg {
    /// PostgreSQL cannot store a NUL character in text (SQLite can): a
    /// member's message holding one is stored with U+FFFD in its place
    /// rather than refused, so the reply is not lost (`ponder migrate` does
    /// the same and says so).
    fn storable_in_postgres(self) -> Arg {
        match self {
            Arg::Text(Some(t)) if t.contains('\0') => Arg::Text(Some(t.replace('\0', "\u{fffd}"))),
            other => other,
        }
    }
}

macro_rules! arg_from {
    ($($t:ty => |$v:ident| $e:expr),* $(,)?) => {$(
        impl From<$t> for Arg {
            fn from($v: $t) -> Arg {
                $e
            }
        }
    )*};
}

arg_from! {
    i64 => |v| Arg::Int(Some(v)),
    Option<i64> => |v| Arg::Int(v),
    &Option<i64> => |v| Arg::Int(*v),
    bool => |v| Arg::Bool(Some(v)),
    Option<bool> => |v| Arg::Bool(v),
    &str => |v| Arg::Text(Some(v.to_string())),
    String => |v| Arg::Text(Some(v)),
    &String => |v| Arg::Text(Some(v.clone())),
    Option<String> => |v| Arg::Text(v),
    &Option<String> => |v| Arg::Text(v.clone()),
    Option<&str> => |v| Arg::Text(v.map(str::to_string)),
    Option<&String> => |v| Arg::Text(v.cloned()),
    &&str => |v| Arg::Text(Some(v.to_string())),
    &i64 => |v| Arg::Int(Some(*v)),
    &Option<&str> => |v| Arg::Text(v.map(str::to_string)),
}

/// What a write did.
#[derive(Debug, Clone, Copy)]
pub(super) struct Done(u64);

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.0
    }
}

/// A row type both backends can read.
pub(super) trait Row:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{}

/// A query, written once with SQLite's placeholders.
#[derive(Debug, Clone)]
#[must_use]
pub(super) struct Q {
    sql: Cow<'static, str>,
    pg: Option<Cow<'static, str>>,
    args: Vec<Arg>,
}

/// A query (see the module's notes).
pub(super) fn q(sql: impl Into<Cow<'static, str>>) -> Q {
    Q {
        sql: sql.into(),
        pg: None,
        args: Vec::new(),
    }
}

/// Binds the arguments to a sqlx query of either backend.
macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                Arg::Int(v) => query.bind(v),
                Arg::Text(v) => query.bind(v),
                Arg::Bool(v) => query.bind(v),
            };
        }
        query
    }};
}

/// The SQL is always Ponder's own text (values are bound, never spliced
/// in), hence `AssertSqlSafe`.
///
/// Runs `$run` (given the bound query `$query` and the executor `$ex`) on
/// whichever backend and executor `$on` names; `$make` builds the sqlx query
/// from `$sql` for the backend named `$db`.
macro_rules! dispatch {
    ($self:ident, $on:expr, |$db:ident, $sql:ident| $make:expr, |$query:ident, $ex:ident| $run:expr) => {{
        let Q { sql, pg, args } = $self;
        match $on.into() {
            On::Pool(Pool::Sqlite(p)) => {
                type $db = Sqlite;
                let $sql = sqlx::AssertSqlSafe(sql);
                let $query = bind_all!($make, args);
                let $ex = p;
                $run
            }
            On::Tx(Tx::Sqlite(t)) => {
                type $db = Sqlite;
                let $sql = sqlx::AssertSqlSafe(sql);
                let $query = bind_all!($make, args);
                let $ex = &mut **t;
                $run
            }
            on => {
                type $db = Postgres;
                let text = pg.unwrap_or_else(|| Cow::Owned(numbered(&sql)));
                let $sql = sqlx::AssertSqlSafe(text);
                let $query = bind_all!($make, args.into_iter().map(Arg::storable_in_postgres));
                match on {
                    On::Pool(Pool::Postgres(p)) => {
                        let $ex = p;
                        $run
                    }
                    On::Tx(Tx::Postgres(t)) => {
                        let $ex = &mut **t;
                        $run
                    }
                    _ => unreachable!("a SQLite executor was matched above"),
                }
            }
        }
    }};
}

impl Q {
    pub fn bind(mut self, value: impl Into<Arg>) -> Q {
        self.args.push(value.into());
        self
    }

    /// PostgreSQL's text of this statement, where the SQL differs (written
    /// with `$N` placeholders).
    pub fn pg(mut self, sql: &'static str) -> Q {
        self.pg = Some(Cow::Borrowed(sql));
        self
    }

    pub async fn fetch_all<'a, T: Row>(self, on: impl Into<On<'a>>) -> Result<Vec<T>, sqlx::Error> {
        dispatch!(
            self,
            on,
            |DB, sql| sqlx::query_as::<DB, T>(sql),
            |query, ex| query.fetch_all(ex).await
        )
    }

    pub async fn fetch_one<'a, T: Row>(self, on: impl Into<On<'a>>) -> Result<T, sqlx::Error> {
        dispatch!(
            self,
            on,
            |DB, sql| sqlx::query_as::<DB, T>(sql),
            |query, ex| query.fetch_one(ex).await
        )
    }

    pub async fn fetch_optional<'a, T: Row>(
        self,
        on: impl Into<On<'a>>,
    ) -> Result<Option<T>, sqlx::Error> {
        dispatch!(
            self,
            on,
            |DB, sql| sqlx::query_as::<DB, T>(sql),
            |query, ex| query.fetch_optional(ex).await
        )
    }

    pub async fn execute<'a>(self, on: impl Into<On<'a>>) -> Result<Done, sqlx::Error> {
        dispatch!(self, on, |DB, sql| sqlx::query::<DB>(sql), |query, ex| {
            query.execute(ex).await.map(|r| Done(r.rows_affected()))
        })
    }

    /// The first column of every row.
    pub async fn scalars<'a, T>(self, on: impl Into<On<'a>>) -> Result<Vec<T>, sqlx::Error>
    where
        (T,): Row,
    {
        let rows: Vec<(T,)> = self.fetch_all(on).await?;
        Ok(rows.into_iter().map(|(v,)| v).collect())
    }

    /// The first column of the first row, if any.
    pub async fn scalar_optional<'a, T>(
        self,
        on: impl Into<On<'a>>,
    ) -> Result<Option<T>, sqlx::Error>
    where
        (T,): Row,
    {
        let row: Option<(T,)> = self.fetch_optional(on).await?;
        Ok(row.map(|(v,)| v))
    }
}

/// SQLite's placeholders as PostgreSQL's: each `?` becomes the next `$N`,
/// `?N` becomes `$N`. Text in single quotes is left alone.
pub(super) fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = 0;
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                out.push('$');
                if digits.is_empty() {
                    next += 1;
                    out.push_str(&next.to_string());
                } else {
                    out.push_str(&digits);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn placeholders_are_numbered_for_postgres() {
        assert_eq!(
            numbered("SELECT * FROM t WHERE a = ? AND b = ? AND c = '?'"),
            "SELECT * FROM t WHERE a = $1 AND b = $2 AND c = '?'"
        );
        assert_eq!(
            numbered("UPDATE p SET o = ?1 WHERE id = ?3 AND (o = ?1 OR ?5 IS NULL)"),
            "UPDATE p SET o = $1 WHERE id = $3 AND (o = $1 OR $5 IS NULL)"
        );
    }
}
