//! Handing freed heap back to the system (glibc's malloc only).
//!
//! Measured with heaptrack on 10,000 guilds (BENCHMARKS.md, "Memory per
//! guild"): the bot's live heap was about 19 MB, its heap in RSS about 39 MiB.
//! The rest was memory glibc kept after bursts had freed it: the config's
//! parse at start (its peak, 33 MB with 10,000 channels listed, is the
//! process's highest) and the GUILD_CREATE storm. So:
//!
//! - [`limit_arenas`]: at most two malloc arenas (glibc makes up to eight per
//!   core, each keeping its own freed memory). Chosen over jemalloc and
//!   mimalloc by the same benchmark: both kept more at 1,000 guilds.
//! - [`trim_soon`]: returns freed pages once a burst is over (after start-up,
//!   after the servers' start-up checks drain), at most once a second.
//!
//! Elsewhere (musl, macOS) both do nothing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Caps glibc's malloc arenas at two, unless the operator chose a number
/// (`MALLOC_ARENA_MAX`, or `arena_max` in `GLIBC_TUNABLES`): theirs stands.
/// Call before any thread starts.
pub fn limit_arenas() {
    let chosen = std::env::var_os("MALLOC_ARENA_MAX").is_some()
        || std::env::var("GLIBC_TUNABLES").is_ok_and(|t| t.contains("arena_max"));
    if chosen {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a malloc parameter; called at the top of
    // main, before the runtime's threads exist.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

static WANTED: AtomicBool = AtomicBool::new(false);

/// Asks for freed heap to be handed back within a second (the trimmer
/// below does it, so a burst's many asks make one trim).
pub fn trim_soon() {
    WANTED.store(true, Ordering::Relaxed);
}

/// Hands freed heap back now.
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim walks glibc's own arenas under their locks; it
    // frees nothing that is in use.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Trims at most once a second while asked, until `shutdown`.
pub async fn trimmer(mut shutdown: crate::shutdown::Shutdown) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = shutdown.recv() => return,
        }
        if WANTED.swap(false, Ordering::Relaxed) {
            tokio::task::spawn_blocking(trim);
        }
    }
}
