//! `ponder migrate`: a SQLite database copied into an empty PostgreSQL one,
//! every table and row as it is (ids kept, so post numbers, reply order and
//! rotation state stay what they were), in one PostgreSQL transaction: a
//! failure leaves the target as empty as it was.
//!
//! The tables are copied in the order their references need ([`TABLES`]); a
//! test checks that the list names every table of both schemas, so a later
//! migration cannot add a table this forgets. Columns are the PostgreSQL
//! table's, read from its catalogue, and each is read from SQLite as the
//! type PostgreSQL holds it (SQLite keeps flags as 0 and 1).

use std::fmt::Write as _;

use sqlx::{Row as _, postgres::Postgres};

use super::{Context as _, Db, DbError, DbResult, sql::Pool};

/// Every table Ponder keeps, parents before the tables that refer to them.
/// Not copied: `_sqlx_migrations` (each backend has its own) and `health`
/// (a probe's scratch row).
pub const TABLES: [&str; 12] = [
    "channels",
    "schedules",
    "posts",
    "replies",
    "rotation_cycles",
    "rotation_used",
    "erased_messages",
    "suggestions",
    "quiet_days",
    "skipped_slots",
    "community_packs",
    "disabled_prompts",
];

/// SQL naming a table of [`TABLES`] and the columns PostgreSQL's own
/// catalogue lists for it: no text from outside Ponder is in it.
fn audited(sql: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql)
}

/// Rows read and written at a time: bounded memory for any size of archive,
/// and far under PostgreSQL's 65,535 parameters per statement.
const BATCH: i64 = 1_000;

/// A table's rows in each database after a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub table: &'static str,
    pub from: i64,
    pub to: i64,
}

/// How a column is held in PostgreSQL, and so read from SQLite.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Int,
    Bool,
    Text,
}

enum Value {
    Int(Option<i64>),
    Bool(Option<bool>),
    Text(Option<String>),
}

impl Db {
    /// Copies every row of this (SQLite) database into `to`, a PostgreSQL
    /// database with Ponder's schema and no rows, in one transaction that
    /// also counts each table in both before it commits: a target holding
    /// any row, or a count that differs, leaves the target as it was. Holds
    /// the target's config lock and its tables for the whole copy, so a
    /// `ponder run` started on it meanwhile waits instead of writing ids the
    /// copy needs. Returns the counts, and where a text held a NUL character
    /// (which PostgreSQL cannot store: written as U+FFFD).
    pub async fn copy_into(&self, to: &Db) -> DbResult<(Vec<Copied>, Vec<String>)> {
        let (Pool::Sqlite(from), Pool::Postgres(pg)) = (&self.pool, &to.pool) else {
            return Err(DbError::Refused(
                "migrate copies a SQLite database into a PostgreSQL one".into(),
            ));
        };
        let _sync = to.config_lock().await?;
        let mut tx = pg.begin().await.ctx("beginning the copy")?;
        sqlx::query(audited(format!(
            "LOCK TABLE {} IN ACCESS EXCLUSIVE MODE",
            TABLES.join(", ")
        )))
        .execute(&mut *tx)
        .await
        .ctx("locking the PostgreSQL tables for the copy")?;
        let mut held = Vec::new();
        for table in TABLES {
            let n = count_pg(&mut tx, table).await?;
            if n > 0 {
                held.push(format!("{table} {n}"));
            }
        }
        if !held.is_empty() {
            return Err(DbError::Refused(format!(
                "the PostgreSQL database already holds Ponder's data ({}); migrate copies into an empty \
                 database only: create a new one (createdb) and name it in --to",
                held.join(", ")
            )));
        }
        let mut replaced = Vec::new();
        for table in TABLES {
            let columns = columns(&mut tx, table).await?;
            only_known_columns(from, table, &columns).await?;
            copy_table(from, &mut tx, table, &columns, &mut replaced).await?;
            if columns.iter().any(|(c, _)| c == "id") {
                // The next id after the highest SQLite ever gave (its
                // AUTOINCREMENT counter remembers removed rows' ids too).
                let given: i64 = sqlx::query_scalar(
                    "SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = ?",
                )
                .bind(table)
                .fetch_one(from)
                .await
                .unwrap_or(0);
                sqlx::query(audited(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), $1) + 1, false)"
                )))
                .bind(given)
                .execute(&mut *tx)
                .await
                .ctx(&format!("setting the next id of {table}"))?;
            }
        }
        let mut out = Vec::new();
        for table in TABLES {
            out.push(Copied {
                table,
                from: count_sqlite(from, table).await?,
                to: count_pg(&mut tx, table).await?,
            });
        }
        let differ: Vec<_> = out.iter().filter(|c| c.from != c.to).collect();
        if !differ.is_empty() {
            return Err(DbError::Refused(format!(
                "the row counts differ after the copy, so nothing was kept: {}",
                differ
                    .iter()
                    .map(|c| format!("{} {} in SQLite, {} in PostgreSQL", c.table, c.from, c.to))
                    .collect::<Vec<_>>()
                    .join("; ")
            )));
        }
        tx.commit().await.ctx("committing the copy")?;
        Ok((out, replaced))
    }
}

async fn count_pg(tx: &mut sqlx::Transaction<'static, Postgres>, table: &str) -> DbResult<i64> {
    sqlx::query_scalar(audited(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(&mut **tx)
        .await
        .ctx(&format!("counting {table} in PostgreSQL"))
}

async fn count_sqlite(from: &sqlx::SqlitePool, table: &str) -> DbResult<i64> {
    sqlx::query_scalar(audited(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(from)
        .await
        .ctx(&format!("counting {table} in SQLite"))
}

/// Refuses a SQLite column PostgreSQL's table lacks: its values would be
/// left behind with the counts still matching.
async fn only_known_columns(
    from: &sqlx::SqlitePool,
    table: &str,
    columns: &[(String, Kind)],
) -> DbResult<()> {
    let here: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?)")
        .bind(table)
        .fetch_all(from)
        .await
        .ctx(&format!("reading the columns of {table} in SQLite"))?;
    let lacking: Vec<_> = here
        .iter()
        .filter(|c| !columns.iter().any(|(p, _)| p == *c))
        .map(|c| format!("{table}.{c}"))
        .collect();
    if lacking.is_empty() {
        Ok(())
    } else {
        Err(DbError::Refused(format!(
            "PostgreSQL's schema has no {}: this Ponder cannot copy them; nothing was copied",
            lacking.join(", ")
        )))
    }
}

/// The PostgreSQL table's columns in their order, with how each is held.
async fn columns(
    tx: &mut sqlx::Transaction<'static, Postgres>,
    table: &str,
) -> DbResult<Vec<(String, Kind)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut **tx)
    .await
    .ctx(&format!("reading the columns of {table}"))?;
    rows.into_iter()
        .map(|(name, ty)| {
            let kind = match ty.as_str() {
                "bigint" | "integer" => Kind::Int,
                "boolean" => Kind::Bool,
                "text" => Kind::Text,
                other => {
                    return Err(DbError::Refused(format!(
                        "{table}.{name} is {other} in PostgreSQL, a type migrate does not copy"
                    )));
                }
            };
            Ok((name, kind))
        })
        .collect()
}

/// Copies one table in batches of [`BATCH`] rows, in SQLite's row order.
async fn copy_table(
    from: &sqlx::SqlitePool,
    tx: &mut sqlx::Transaction<'static, Postgres>,
    table: &str,
    columns: &[(String, Kind)],
    replaced: &mut Vec<String>,
) -> DbResult<()> {
    let names = columns
        .iter()
        .map(|(c, _)| c.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let select =
        format!("SELECT rowid, {names} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?");
    let mut after = i64::MIN;
    loop {
        let rows = sqlx::query(audited(select.clone()))
            .bind(after)
            .bind(BATCH)
            .fetch_all(from)
            .await
            .ctx(&format!("reading {table} from SQLite"))?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.try_get(0).ctx(&format!("reading {table}'s row ids"))?;
        let mut values = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut out = Vec::with_capacity(columns.len());
            for (i, (name, kind)) in columns.iter().enumerate() {
                let at = &format!("reading {table}.{name}");
                out.push(match kind {
                    Kind::Int => Value::Int(row.try_get(i + 1).ctx(at)?),
                    Kind::Bool => Value::Bool(
                        row.try_get::<Option<i64>, _>(i + 1)
                            .ctx(at)?
                            .map(|v| v != 0),
                    ),
                    Kind::Text => {
                        let text: Option<String> = row.try_get(i + 1).ctx(at)?;
                        Value::Text(text.map(|t| {
                            if t.contains('\0') {
                                let rowid: i64 = row.try_get(0).unwrap_or_default();
                                replaced.push(format!("{table}.{name} of row {rowid}"));
                                t.replace('\0', "\u{fffd}")
                            } else {
                                t
                            }
                        }))
                    }
                });
            }
            values.push(out);
        }
        let mut insert = String::new();
        let _ = write!(insert, "INSERT INTO {table} ({names}) ");
        let mut builder = sqlx::QueryBuilder::<Postgres>::new(insert);
        builder.push_values(values, |mut b, row| {
            for v in row {
                match v {
                    Value::Int(v) => b.push_bind(v),
                    Value::Bool(v) => b.push_bind(v),
                    Value::Text(v) => b.push_bind(v),
                };
            }
        });
        builder
            .build()
            .execute(&mut **tx)
            .await
            .ctx(&format!("writing {table} into PostgreSQL"))?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_copy_names_every_table_of_the_schema() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("p.db")).await.unwrap();
        let Pool::Sqlite(pool) = &db.pool else {
            unreachable!()
        };
        let mut tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT IN ('_sqlx_migrations', 'sqlite_sequence', 'health')",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        tables.sort();
        let mut listed: Vec<String> = TABLES.iter().map(|t| t.to_string()).collect();
        listed.sort();
        assert_eq!(tables, listed);
    }
}
