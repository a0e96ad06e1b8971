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
    /// database with Ponder's schema and no rows, in one transaction; then
    /// counts each table in both. Refuses a target that holds any row.
    pub async fn copy_into(&self, to: &Db) -> DbResult<Vec<Copied>> {
        let (Pool::Sqlite(from), Pool::Postgres(pg)) = (&self.pool, &to.pool) else {
            return Err(DbError::Refused(
                "migrate copies a SQLite database into a PostgreSQL one".into(),
            ));
        };
        let mut held = Vec::new();
        for table in TABLES {
            let n = count_pg(pg, table).await?;
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
        let mut tx = pg.begin().await.ctx("beginning the copy")?;
        for table in TABLES {
            let columns = columns(&mut tx, table).await?;
            copy_table(from, &mut tx, table, &columns).await?;
            if columns.iter().any(|(c, _)| c == "id") {
                // The next id after the highest copied, as SQLite would give.
                sqlx::query(audited(format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                )))
                .execute(&mut *tx)
                .await
                .ctx(&format!("setting the next id of {table}"))?;
            }
        }
        tx.commit().await.ctx("committing the copy")?;
        let mut out = Vec::new();
        for table in TABLES {
            let from_rows: i64 =
                sqlx::query_scalar(audited(format!("SELECT COUNT(*) FROM {table}")))
                    .fetch_one(from)
                    .await
                    .ctx(&format!("counting {table}"))?;
            out.push(Copied {
                table,
                from: from_rows,
                to: count_pg(pg, table).await?,
            });
        }
        Ok(out)
    }
}

async fn count_pg(pg: &sqlx::PgPool, table: &str) -> DbResult<i64> {
    sqlx::query_scalar(audited(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(pg)
        .await
        .ctx(&format!("counting {table} in PostgreSQL"))
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
                    Kind::Text => Value::Text(row.try_get(i + 1).ctx(at)?),
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
