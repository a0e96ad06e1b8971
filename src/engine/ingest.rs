//! Reply ingest: the one road by which a platform's replies, edits and
//! deletions reach the database. A platform hands each change to a queue
//! and goes on; one writer task ([`Engine::write_replies`], started by the
//! app) stores the queue in batches, one transaction each, in arrival order.
//!
//! # How each platform reaches the writer
//!
//! - **Discord** feeds the queue from the gateway reader itself, through a
//!   [`ReplySender`] ([`Engine::reply_sender`]): [`Change::New`],
//!   [`Change::Edited`] (stored whether or not its message is yet: only a
//!   message's author can edit it on Discord, and events can overtake each
//!   other) and [`Change::Deleted`] (a tombstone first, so a deletion that
//!   overtakes its message wins).
//! - **Matrix** queues from its sync handlers and from its read-back of a
//!   prompt's room after the first sync ([`Engine::queue_reply`]):
//!   [`Change::New`], [`Change::EditedBy`] and [`Change::DeletedFrom`].
//!   Anyone may send an edit or a redaction for any event, so the change
//!   carries the editor and the room, and the writer checks them in the
//!   batch's transaction: an edit applies only to a reply its sender wrote,
//!   in the reply's own room; a redaction only in the reply's own room.
//! - **The console** queues each line as a [`Change::New`] and waits for it
//!   to be stored ([`Engine::write_reply`]), to say under which prompt.
//! - **Reflections** (`reflect`, `anon`), which Ponder posts into the thread
//!   itself, are a [`Change::Reflection`]; the command waits for it too.
//!
//! What the writer keeps for every road: a reply in a prompt's thread only
//! (never the prompt itself), each message once, at most
//! [`crate::text::MAX_REPLY_CHARS`] characters of its text (cut when it is
//! queued), and the order changes were queued in. It never moves a thread's
//! high-water mark (`posts.replies_read_to`): only a catch-up's gapless read
//! does that (see `replies.rs`), and a catch-up stores what it reads itself,
//! in one transaction with the mark.
//!
//! Why a queue: a gateway delivers messages one by one. Stored one by one,
//! every reply is its own SQLite commit; batched, a commit holds hundreds of
//! replies. The queue is bounded and the Discord adapter feeds it from the
//! gateway reader itself, in the order events arrive ([`ReplySender::push`]
//! blocks that reader while the queue is full), so a flood waits in the
//! socket instead of in memory, and one writer stores it in order. Matrix
//! and the console wait the same way ([`Engine::queue_reply`] waits while
//! the queue is full).
//!
//! A batch the database refuses (a locked or full disk, an I/O error) is
//! tried again with a growing pause (up to 5 s) until it is stored, while
//! the queue behind it fills and holds the gateway back; at shutdown it is
//! tried a few more times. A change queued but not committed when the
//! process dies is not lost either: live events never move a thread's
//! high-water mark, so the next start reads it again (see `replies.rs`).
//!
//! The queue holds 16,384 changes; `PONDER_REPLY_QUEUE` sets another size
//! (the backpressure test uses a tiny one).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

mod store;

pub(super) use store::new_reply;

use super::Engine;
use super::port::IncomingReply;
use crate::shutdown::Shutdown;

/// The most changes stored in one transaction.
const BATCH: usize = 1_024;
/// Changes that may wait in the queue.
const QUEUED: usize = 16_384;

/// A change to the stored replies, as a platform reports it, with what
/// storing it needs and what checking it needs.
#[derive(Debug, Clone)]
pub enum Change {
    /// A message written in a thread.
    New(IncomingReply),
    /// An edit where only a message's author can make one (Discord). It
    /// carries the whole message: events can overtake each other (serenity
    /// hands each to a task of its own), so an edit may come before its
    /// message, and is stored whether or not the message is yet.
    Edited(IncomingReply),
    /// An edit where anyone may send one for any message (a Matrix
    /// `m.replace`): applied only to a stored reply that `editor` wrote (not
    /// a relayed or anonymous one), made in the reply's own `channel`.
    EditedBy {
        channel: String,
        editor: String,
        message_id: String,
        text: String,
    },
    /// A deletion in a thread (Discord). A tombstone is kept first, so a
    /// deletion that overtakes its message wins.
    Deleted {
        thread_id: String,
        message_id: String,
    },
    /// A deletion known by its channel only (a Matrix redaction): applied
    /// only to a stored reply of that `channel`.
    DeletedFrom { channel: String, message_id: String },
    /// A message Ponder posted into the thread itself (a reflection):
    /// `relayed` when posted on a member's behalf, `anonymous` when its
    /// author id is a keyed hash.
    Reflection {
        reply: IncomingReply,
        anonymous: bool,
        relayed: bool,
    },
}

impl Change {
    /// The thread it happened in, where the platform says so.
    fn thread(&self) -> Option<&str> {
        match self {
            Change::New(r) | Change::Edited(r) | Change::Reflection { reply: r, .. } => {
                Some(&r.thread_id)
            }
            Change::Deleted { thread_id, .. } => Some(thread_id),
            Change::EditedBy { .. } | Change::DeletedFrom { .. } => None,
        }
    }
}

/// How many times a batch is tried at shutdown before it is left to the
/// next start's catch-up.
const TRIES_AT_SHUTDOWN: u32 = 3;

/// A change in the queue: its platform, and who waits to hear whether it
/// changed a stored reply.
struct Queued {
    platform: &'static str,
    change: Change,
    done: Option<oneshot::Sender<bool>>,
}

impl Queued {
    /// Queued with its text as Ponder keeps it ([`crate::text::kept_reply`]).
    fn new(
        platform: &'static str,
        mut change: Change,
        done: Option<oneshot::Sender<bool>>,
    ) -> Self {
        let text = match &mut change {
            Change::New(r) | Change::Edited(r) | Change::Reflection { reply: r, .. } => {
                Some(&mut r.text)
            }
            Change::EditedBy { text, .. } => Some(text),
            Change::Deleted { .. } | Change::DeletedFrom { .. } => None,
        };
        if let Some(text) = text
            && let std::borrow::Cow::Owned(cut) = crate::text::kept_reply(text)
        {
            *text = cut;
        }
        Queued {
            platform,
            change,
            done,
        }
    }
}

pub(super) struct Ingest {
    tx: mpsc::Sender<Queued>,
    rx: Mutex<Option<mpsc::Receiver<Queued>>>,
    /// One catch-up at a time (see `replies.rs`).
    pub(super) catching_up: tokio::sync::Mutex<()>,
    stats: std::sync::Arc<IngestStats>,
}

/// Figures of the reply ingest, for logs and tests.
#[derive(Debug, Default)]
pub struct IngestStats {
    /// Batches the database refused (each is tried again).
    pub failed_batches: AtomicU64,
    /// The most changes waiting in the queue at once.
    pub peak_queued: AtomicUsize,
    /// The most tasks alive in the runtime when a change was queued.
    pub peak_tasks: AtomicUsize,
}

impl Default for Ingest {
    fn default() -> Self {
        let size = std::env::var("PONDER_REPLY_QUEUE")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(QUEUED);
        let (tx, rx) = mpsc::channel(size);
        Ingest {
            tx,
            rx: Mutex::new(Some(rx)),
            catching_up: tokio::sync::Mutex::new(()),
            stats: Default::default(),
        }
    }
}

/// Queues changes for the reply writer from synchronous code that must keep
/// the order it sees them in (the Discord gateway reader).
#[derive(Clone)]
pub struct ReplySender {
    tx: mpsc::Sender<Queued>,
    stats: std::sync::Arc<IngestStats>,
}

impl ReplySender {
    /// Queues a change; while the queue is full, blocks the calling thread
    /// (not only its task) until there is room: the caller stops reading
    /// its socket, which is the backpressure. Returns false once the writer
    /// has stopped.
    pub fn push(&self, platform: &'static str, change: Change) -> bool {
        let item = match self.tx.try_send(Queued::new(platform, change, None)) {
            Ok(()) => {
                self.note();
                return true;
            }
            Err(mpsc::error::TrySendError::Closed(_)) => return false,
            Err(mpsc::error::TrySendError::Full(item)) => item,
        };
        let multi_thread = tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        let sent = if multi_thread {
            // The other tasks of this worker move to another thread meanwhile.
            tokio::task::block_in_place(|| self.tx.blocking_send(item).is_ok())
        } else {
            // No thread to block (a single-threaded runtime): wait in a task.
            let tx = self.tx.clone();
            tokio::spawn(async move {
                let _ = tx.send(item).await;
            });
            true
        };
        self.note();
        sent
    }

    fn note(&self) {
        let queued = self.tx.max_capacity() - self.tx.capacity();
        self.stats.peak_queued.fetch_max(queued, Ordering::Relaxed);
        if let Ok(h) = tokio::runtime::Handle::try_current() {
            let tasks = h.metrics().num_alive_tasks();
            self.stats.peak_tasks.fetch_max(tasks, Ordering::Relaxed);
        }
    }
}

impl Engine {
    /// A handle that queues changes from synchronous code, in order, with
    /// backpressure ([`ReplySender::push`]).
    pub fn reply_sender(&self) -> ReplySender {
        ReplySender {
            tx: self.ingest.tx.clone(),
            stats: self.ingest.stats.clone(),
        }
    }

    /// The reply ingest's figures so far.
    pub fn ingest_stats(&self) -> &IngestStats {
        &self.ingest.stats
    }

    /// Queues a change for the reply writer ([`Engine::write_replies`]);
    /// waits only while the queue is full.
    pub async fn queue_reply(&self, platform: &'static str, change: Change) {
        let item = Queued::new(platform, change, None);
        if self.ingest.tx.send(item).await.is_err() {
            tracing::debug!(
                "reply writer stopped; the catch-up at the next start collects the rest"
            );
        }
    }

    /// Queues a change for the reply writer and waits until the writer has
    /// stored it: whether it changed a stored reply (a new one stored, a
    /// stored one edited or deleted). An error when no writer runs, or when
    /// it stopped before storing the change.
    pub async fn write_reply(
        &self,
        platform: &'static str,
        change: Change,
    ) -> anyhow::Result<bool> {
        if self.ingest.rx.lock().unwrap().is_some() {
            anyhow::bail!("the reply writer is not running");
        }
        let (tx, rx) = oneshot::channel();
        let item = Queued::new(platform, change, Some(tx));
        if self.ingest.tx.send(item).await.is_err() {
            anyhow::bail!("the reply writer has stopped");
        }
        rx.await
            .map_err(|_| anyhow::anyhow!("the reply writer stopped before storing the change"))
    }

    /// The reply writer: stores queued changes in batches until shutdown,
    /// then stores what is still queued. It takes the queue when called (not
    /// when first polled), so a change written right after spawning it
    /// finds it there.
    pub fn write_replies(
        self: std::sync::Arc<Self>,
        shutdown: Shutdown,
    ) -> impl std::future::Future<Output = ()> + Send + 'static {
        let rx = self.ingest.rx.lock().unwrap().take();
        async move {
            if let Some(rx) = rx {
                self.write_queue(rx, shutdown).await;
            }
        }
    }

    async fn write_queue(&self, mut rx: mpsc::Receiver<Queued>, mut shutdown: Shutdown) {
        let mut batch = Vec::with_capacity(BATCH);
        let mut stopping = false;
        loop {
            tokio::select! {
                n = rx.recv_many(&mut batch, BATCH) => {
                    if n == 0 {
                        break;
                    }
                }
                _ = shutdown.recv(), if !stopping => {
                    stopping = true;
                    rx.close();
                    continue;
                }
            }
            // Tried until stored; at shutdown a few times only.
            let mut tries = 0u32;
            loop {
                match self.store(&batch).await {
                    Ok(changed) => {
                        for (queued, changed) in batch.drain(..).zip(changed) {
                            if let Some(done) = queued.done {
                                let _ = done.send(changed);
                            }
                        }
                        if tries > 0 {
                            tracing::info!(
                                tries = tries + 1,
                                "a refused batch of replies is stored"
                            );
                        }
                        break;
                    }
                    Err(e) => {
                        self.ingest
                            .stats
                            .failed_batches
                            .fetch_add(1, Ordering::Relaxed);
                        tries += 1;
                        if tries == 1 {
                            tracing::error!(error = %e, changes = batch.len(), "storing replies failed; trying again");
                        } else {
                            tracing::debug!(error = %e, tries, "storing replies failed again");
                        }
                        if stopping && tries >= TRIES_AT_SHUTDOWN {
                            tracing::warn!(
                                changes = batch.len(),
                                "replies not stored at shutdown; the next start reads them again"
                            );
                            break;
                        }
                        let pause = Duration::from_millis(100 * 2u64.pow(tries.min(6)))
                            .min(Duration::from_secs(5));
                        tokio::select! {
                            _ = tokio::time::sleep(pause) => {}
                            _ = shutdown.recv(), if !stopping => {
                                stopping = true;
                                rx.close();
                            }
                        }
                    }
                }
            }
            batch.clear();
        }
        let stats = &self.ingest.stats;
        tracing::debug!(
            peak_queued = stats.peak_queued.load(Ordering::Relaxed),
            peak_tasks = stats.peak_tasks.load(Ordering::Relaxed),
            failed_batches = stats.failed_batches.load(Ordering::Relaxed),
            "reply writer stopped"
        );
    }
}
