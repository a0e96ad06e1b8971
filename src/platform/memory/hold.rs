//! A read of a thread's history held between taking its page and returning
//! it: what lets a test put a live event exactly inside a catch-up's read.

use std::sync::Arc;

use tokio::sync::Notify;

use super::MemoryChat;

/// Both sides of a held read: the test waits for [`ReadHold::taken`], does
/// what should happen while the read is under way, then [`ReadHold::release`]s it.
#[derive(Debug, Clone, Default)]
pub struct ReadHold {
    taken: Arc<Notify>,
    release: Arc<Notify>,
}

impl ReadHold {
    /// Waits until the held read has taken its page.
    pub async fn taken(&self) {
        self.taken.notified().await;
    }

    /// Lets the held read return its page.
    pub fn release(&self) {
        self.release.notify_one();
    }

    /// The read's side: says the page is taken, waits for the release.
    pub(super) async fn hold(&self) {
        self.taken.notify_one();
        self.release.notified().await;
    }
}

impl MemoryChat {
    /// Holds the next read of a thread's history once its page is taken.
    pub fn hold_next_read(&self) -> ReadHold {
        let hold = ReadHold::default();
        self.state.lock().unwrap().read_hold = Some(hold.clone());
        hold
    }
}
