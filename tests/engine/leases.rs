//! One process per database, and leases on unfinished posts for the case the
//! process lock cannot see (another host on a shared disk): a post another
//! live process is sending is never taken over at start-up.

use std::sync::Arc;
use std::time::Duration;

use ponder::db::{Db, PostState};
use ponder::engine::Engine;
use ponder::platform::memory::Stall;

use crate::harness::*;

/// Another process (its own engine on the same file) that has claimed the
/// 09:00 slot and stalls mid-send: its database handle, its engine and its
/// sending tick.
async fn another_process_mid_send(w: &World) -> (Db, Arc<Engine>, tokio::task::JoinHandle<()>) {
    process_mid_send(w, "another-process").await
}

/// [`another_process_mid_send`], with the other process's lease owner name.
async fn process_mid_send(
    w: &World,
    owner: &str,
) -> (Db, Arc<Engine>, tokio::task::JoinHandle<()>) {
    w.schedule("general", "0 9 * * *", "UTC").await;
    let db = w.open_db().await;
    let other = w.engine_on(db.as_owner(owner));
    other.start().await.unwrap();
    w.set_time("2026-11-24T09:00:00Z");
    w.chat.stall(Some(Stall::BeforeSend));
    let sending = tokio::spawn({
        let other = other.clone();
        async move { other.tick().await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    (db, other, sending)
}

#[tokio::test]
async fn reconcile_never_takes_a_post_another_live_process_holds() {
    let w = World::new("2026-11-24T08:00:00Z");
    // Another process claims the 09:00 slot and is still sending it.
    let (db, other, sending) = another_process_mid_send(&w).await;
    assert!(
        !sending.is_finished(),
        "the other process should be mid-send"
    );
    let pending = db.posts_in_state(PostState::Pending).await.unwrap();
    assert_eq!(pending.len(), 1);
    w.chat.stall(None);

    // This process starts while that lease is live: it leaves the post alone.
    w.set_time("2026-11-24T09:00:30Z");
    let bot = w.boot().await;
    bot.tick().await;
    assert!(
        w.chat.prompts().is_empty(),
        "reconcile sent a post another live process holds: {:?}",
        w.sends_per_key()
    );
    assert_eq!(
        db.posts_in_state(PostState::Pending).await.unwrap().len(),
        1
    );

    // The other process dies; once its lease runs out the post is taken
    // over and sent, once.
    sending.abort();
    let _ = sending.await;
    drop(other);
    w.set_time("2026-11-24T09:01:05Z");
    bot.tick().await;
    let sends = w.sends_per_key();
    assert_eq!(
        sends.values().copied().collect::<Vec<_>>(),
        [1],
        "{sends:?}"
    );
    let open = db.posts_in_state(PostState::Open).await.unwrap();
    assert_eq!(open.len(), 1);
}

#[tokio::test]
async fn a_post_of_this_process_or_with_a_released_lease_is_taken_at_once() {
    let w = World::new("2026-11-24T08:00:00Z");
    let (db, other, sending) = another_process_mid_send(&w).await;
    sending.abort();
    let _ = sending.await;
    w.chat.stall(None);
    // The other process stops cleanly: it gives up its leases.
    db.as_owner("another-process")
        .release_leases()
        .await
        .unwrap();
    drop(other);

    w.set_time("2026-11-24T09:00:10Z");
    let bot = w.boot().await;
    bot.tick().await;
    assert_eq!(w.sends_per_key().len(), 1, "taken over at once");
}

/// After a kill -9 the next process on the same host holds the database's
/// lock, so the dead process's lease cannot belong to anyone alive: the
/// prompt goes out at the restart, not a lease (a minute) later.
#[tokio::test]
async fn a_post_a_killed_process_of_this_host_left_is_sent_at_the_restart() {
    let w = World::new("2026-11-24T08:00:00Z");
    let dead = format!("{}pid4194303-0badf00d", ponder::db::host_prefix());
    let (db, other, sending) = process_mid_send(&w, &dead).await;
    // Killed mid-send: no release of its lease.
    sending.abort();
    let _ = sending.await;
    w.chat.stall(None);
    drop(other);
    assert_eq!(
        db.posts_in_state(PostState::Pending).await.unwrap().len(),
        1
    );

    // Ten seconds later, well within the dead process's lease.
    w.set_time("2026-11-24T09:00:10Z");
    let bot = w.boot().await;
    bot.tick().await;
    if matches!(w.store, ponder::db::Store::Postgres(_)) {
        // On PostgreSQL, live processes of one host share the database: a
        // lease of this host's is no proof of death, so it is waited out.
        assert!(
            w.sends_per_key().is_empty(),
            "a live holder's lease is kept"
        );
        w.set_time("2026-11-24T09:01:05Z");
        bot.tick().await;
    }
    let sends = w.sends_per_key();
    assert_eq!(
        sends.values().copied().collect::<Vec<_>>(),
        [1],
        "the crashed post is sent at the restart, once: {sends:?}"
    );
}
