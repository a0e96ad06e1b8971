//! One process per database: an exclusive OS file lock (`flock`, through
//! [`std::fs::File::try_lock`]) on a lock file beside the database
//! (`ponder.db.lock` for `ponder.db`), held for as long as any [`super::Db`]
//! handle of the process is alive, and released by the kernel when the
//! process ends, however it ends (a `kill -9` leaves no stale lock).
//!
//! Why a lock file and not SQLite's `locking_mode=EXCLUSIVE`: the exclusive
//! locking mode would also shut out the read-only commands (`ponder export`
//! while the bot runs is a normal thing to do), and it cannot tell one
//! process from another. A `:memory:` database is private to its
//! connection, so it takes no lock at all.
//!
//! The lock is per *process*: opening the same file again in the same process
//! shares the lock already held (tests open one file several times, as a
//! restarted bot would); a second process is refused with one clear line.

use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

/// The held lock; dropping the last handle releases it.
#[derive(Debug)]
pub(super) struct DbLock {
    _file: File,
}

/// Locks held by this process, by the lock file's canonical path.
static HELD: Mutex<Option<HashMap<PathBuf, Weak<DbLock>>>> = Mutex::new(None);

/// The lock file of a database file.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push(".lock");
    PathBuf::from(name)
}

/// Why the lock was not taken.
#[derive(Debug)]
pub(super) enum LockError {
    /// Another process holds it.
    Busy,
    Io(std::io::Error),
}

/// Takes (or shares, within this process) the lock of the database `db`.
pub(super) fn acquire(db: &Path) -> Result<Arc<DbLock>, LockError> {
    let path = lock_path(db);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(LockError::Io)?;
    let key = path.canonicalize().map_err(LockError::Io)?;
    let mut held = HELD.lock().unwrap();
    let held = held.get_or_insert_with(HashMap::new);
    held.retain(|_, w| w.strong_count() > 0);
    if let Some(lock) = held.get(&key).and_then(Weak::upgrade) {
        return Ok(lock);
    }
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Err(LockError::Busy),
        Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
    }
    let lock = Arc::new(DbLock { _file: file });
    held.insert(key, Arc::downgrade(&lock));
    Ok(lock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_process_shares_its_lock_and_releases_it_with_the_last_handle() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("p.db");
        let a = acquire(&db).unwrap();
        let b = acquire(&db).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        // Another open file description (as another process would have) is refused.
        let other = File::options().write(true).open(lock_path(&db)).unwrap();
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
        drop((a, b));
        other.try_lock().unwrap();
    }
}
