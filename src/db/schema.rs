//! What a database holds, read without changing it: empty, Ponder's (and
//! how up to date), or another application's.

use super::{Context, DbResult, MIGRATOR, postgres, sql};

/// What a database file holds, as far as its schema tells.
pub(super) enum Schema {
    /// No table at all: a new (or empty) file.
    Empty,
    /// Ponder's: how many of this build's migrations it lacks, and whether
    /// it has migrations this build does not know (a newer Ponder's).
    Ponder { missing: usize, newer: bool },
    /// Another application's, or a Ponder database still being created.
    Other { creating: bool },
}

/// Reads what the database holds without changing it.
pub(super) async fn schema(pool: &sql::Pool) -> DbResult<Schema> {
    let tables: Vec<String> = sql::q("SELECT name FROM sqlite_master WHERE type = 'table'")
        .pg("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()")
        .scalars(pool)
        .await
        .ctx("reading the schema")?;
    if tables.is_empty() {
        return Ok(Schema::Empty);
    }
    if !tables.iter().any(|t| t == "_sqlx_migrations") {
        return Ok(Schema::Other { creating: false });
    }
    let applied: Vec<(i64, Vec<u8>)> =
        sql::q("SELECT version, checksum FROM _sqlx_migrations WHERE success")
            .fetch_all(pool)
            .await
            .ctx("reading the schema")?;
    if applied.is_empty() {
        // sqlx made its table and is applying the first migration right now.
        return Ok(Schema::Other { creating: true });
    }
    let migrator = if pool.is_postgres() {
        &postgres::MIGRATOR
    } else {
        &MIGRATOR
    };
    let ours = |v: i64| migrator.iter().find(|m| m.version == v);
    // The first migration's checksum is what makes a database Ponder's.
    let first = migrator.iter().next().map(|m| m.version);
    let is_ponder = applied.iter().any(|(v, sum)| {
        Some(*v) == first && ours(*v).is_some_and(|m| m.checksum.as_ref() == sum.as_slice())
    });
    if !is_ponder {
        return Ok(Schema::Other { creating: false });
    }
    let missing = migrator
        .iter()
        .filter(|m| !applied.iter().any(|(v, _)| *v == m.version))
        .count();
    let newer = applied.iter().any(|(v, _)| ours(*v).is_none());
    Ok(Schema::Ponder { missing, newer })
}
