//! `ponder migrate --db FILE --to postgres://…`: a community's SQLite
//! database moved into an empty PostgreSQL one (see [`crate::db::Db::copy_into`]),
//! with each table's rows counted in both and said.

use std::fmt::Write as _;

use crate::db::{Db, Store};

/// Copies `from` (a SQLite file) into `to` (an empty PostgreSQL database)
/// and says what it copied, table by table. Ponder must not be running on
/// the file (its process lock is taken). The SQLite file stays where it is,
/// brought up to date first if an older Ponder wrote it (as `run` would).
pub async fn migrate(from: &Store, to: &Store) -> anyhow::Result<String> {
    let Store::Sqlite(path) = from else {
        anyhow::bail!("--db {from} is not a SQLite file: migrate copies from SQLite to PostgreSQL");
    };
    let Store::Postgres(_) = to else {
        anyhow::bail!(
            "--to {to} is not a PostgreSQL address (postgres://user@host:port/name); \
             migrate copies from SQLite to PostgreSQL"
        );
    };
    anyhow::ensure!(path.is_file(), "no database at {from}");
    let source = Db::open(path).await?;
    let target = Db::open_store(to).await?;
    let (copied, replaced) = source.copy_into(&target).await?;
    let mut out = format!("copied {from} into {to}:\n");
    for c in &copied {
        let _ = writeln!(out, "  {:<18} {:>9} rows", c.table, c.to);
    }
    if !replaced.is_empty() {
        let _ = writeln!(
            out,
            "{} text(s) held a NUL character, which PostgreSQL cannot store; each was written \
             with U+FFFD in its place: {}",
            replaced.len(),
            replaced.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "the row counts match. Next: set database = \"{to}\" in the config (every process \
         sharing it), then `ponder run`. {from} stays where it is (brought up to date first \
         if an older Ponder wrote it)."
    );
    Ok(out)
}
