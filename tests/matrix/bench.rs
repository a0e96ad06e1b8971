//! The Matrix benchmark (benches/e2e/matrix.rs) at tiny sizes, so it cannot
//! rot: the real `ponder` binary on the real Synapse. It asserts what
//! happened (every room joined and set up, every slot posted once in each
//! room, every reply stored, nothing logged at WARN or ERROR), never how
//! long it took.

#[path = "../../benches/e2e/matrix.rs"]
mod scenario;

use crate::homeserver::homeserver;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_matrix_benchmark_at_tiny_sizes_posts_every_slot_once_and_stores_every_reply() {
    let cast = homeserver().cast(28);

    let idle = scenario::idle(None, &cast, 2).await;
    assert_eq!(idle.set_up, 2, "{idle:?}");
    assert!(
        idle.rss_kib > 1_000 && idle.peak_kib >= idle.rss_kib && idle.anon_kib > 0,
        "{idle:?}"
    );
    assert!(idle.complaints.is_empty(), "{:#?}", idle.complaints);

    // The same user set again: the bot's earlier rooms stay joined (it has
    // left none), so the new rooms are told apart by their ids.
    let slots = scenario::slots(None, &cast, 2, 3, 2).await;
    assert_eq!(slots.events, vec![1; 6], "each slot once in each room");
    assert_eq!(slots.late_ms.len(), 6);
    assert!(slots.complaints.is_empty(), "{:#?}", slots.complaints);

    let replies = scenario::replies(None, &cast, &[cast.alice.clone(), cast.bob.clone()], 10).await;
    assert_eq!((replies.sent, replies.stored), (20, 20), "{replies:?}");
    assert!(replies.complaints.is_empty(), "{:#?}", replies.complaints);
}
