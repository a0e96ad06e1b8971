//! A real PostgreSQL for the tests: `PONDER_TEST_POSTGRES` names a server
//! (an address whose user may create databases, e.g.
//! `postgres://ponder@127.0.0.1:55432/postgres`); `.ci/run` starts one and
//! sets it. Each test gets a database of its own, made with `createdb`.
//!
//! `PONDER_TEST_BACKEND=postgres` runs a whole suite (the engine's, the
//! Discord end-to-end tests) on PostgreSQL instead of SQLite files.
//!
//! Without a server, a PostgreSQL-only test says so and passes, except
//! under `CI=true`, where a missing server fails the run.
#![allow(dead_code)]

use std::process::Command;

use ponder::db::Store;

/// The server's admin address, if the tests have one. Under `CI=true` its
/// absence fails the test that asked.
pub fn server() -> Option<String> {
    match std::env::var("PONDER_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "PONDER_TEST_POSTGRES is not set: under CI=true the PostgreSQL tests must run (.ci/run starts a server)"
            );
            eprintln!("PONDER_TEST_POSTGRES is not set: this PostgreSQL test checks nothing here");
            None
        }
    }
}

/// Whether the suite runs on PostgreSQL (`PONDER_TEST_BACKEND=postgres`).
pub fn suite_on_postgres() -> bool {
    std::env::var("PONDER_TEST_BACKEND").as_deref() == Ok("postgres")
}

/// A new, empty database on the server, as a store.
pub fn fresh_database(server: &str) -> Store {
    let name = format!("ponder_t_{:016x}", rand::random::<u64>());
    let (base, _) = server
        .rsplit_once('/')
        .expect("PONDER_TEST_POSTGRES is an address like postgres://user@host:port/postgres");
    let bin = ["/usr/lib/postgresql/15/bin/createdb", "createdb"]
        .into_iter()
        .find(|b| !b.starts_with('/') || std::path::Path::new(b).exists())
        .unwrap();
    let out = Command::new(bin)
        .arg("--maintenance-db")
        .arg(server)
        .arg(&name)
        .output()
        .expect("running createdb");
    assert!(
        out.status.success(),
        "createdb {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Store::Postgres(format!("{base}/{name}"))
}

/// Every row of a PostgreSQL database as text (`pg_dump --data-only`): what
/// "appears nowhere in the database" is checked against.
pub fn dump(url: &str) -> Vec<u8> {
    let bin = ["/usr/lib/postgresql/15/bin/pg_dump", "pg_dump"]
        .into_iter()
        .find(|b| !b.starts_with('/') || std::path::Path::new(b).exists())
        .unwrap();
    let out = Command::new(bin)
        .args(["--data-only", "--dbname", url])
        .output()
        .expect("running pg_dump");
    assert!(
        out.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Where a test's database lives: a SQLite file at `path`, or a fresh
/// PostgreSQL database when the suite runs on PostgreSQL.
pub fn store_for(path: &std::path::Path) -> Store {
    if suite_on_postgres() {
        let server = std::env::var("PONDER_TEST_POSTGRES")
            .expect("PONDER_TEST_BACKEND=postgres needs PONDER_TEST_POSTGRES (a server address)");
        fresh_database(&server)
    } else {
        Store::Sqlite(path.to_path_buf())
    }
}
