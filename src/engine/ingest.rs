//! Reply ingest from a busy gateway: the platform hands each new, edited or
//! deleted message to a queue and goes on; one writer task stores the queue
//! in batches, one transaction each, in arrival order.
//!
//! Why: a gateway delivers messages one by one. Stored one by one, every
//! reply is its own SQLite commit; batched, a commit holds hundreds of
//! replies. The queue is bounded and the Discord adapter feeds it from the
//! gateway reader itself, in the order events arrive ([`ReplySender::push`]
//! blocks that reader while the queue is full), so a flood waits in the
//! socket instead of in memory, and one writer stores it in order.
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

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::mpsc;

use super::Engine;
use super::port::IncomingReply;
use crate::db::{NewReply, ReplyChange};
use crate::shutdown::Shutdown;

/// The most changes stored in one transaction.
const BATCH: usize = 1_024;
/// Changes that may wait in the queue.
const QUEUED: usize = 16_384;

/// A prompt thread's post: its id and the prompt's own message id.
type PostOfThread = (i64, Option<String>);

/// A change to the stored replies, as a platform reports it. An edit and a
/// deletion say where they happened and an edit carries its author: events
/// can overtake each other (serenity hands each to a task of its own), so
/// either may come before its message.
#[derive(Debug, Clone)]
pub enum Change {
    New(IncomingReply),
    Edited(IncomingReply),
    Deleted {
        thread_id: String,
        message_id: String,
    },
}

impl Change {
    fn thread(&self) -> &str {
        match self {
            Change::New(r) | Change::Edited(r) => &r.thread_id,
            Change::Deleted { thread_id, .. } => thread_id,
        }
    }
}

/// How many times a batch is tried at shutdown before it is left to the
/// next start's catch-up.
const TRIES_AT_SHUTDOWN: u32 = 3;

type Queued = (&'static str, Change);

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
        let item = match self.tx.try_send((platform, change)) {
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
            tokio::task::block_in_place(|| self.tx.blocking_send(item)).is_ok()
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
    pub async fn queue_reply(&self, platform: &'static str, mut change: Change) {
        if let Change::New(r) | Change::Edited(r) = &mut change
            && r.text.chars().count() > crate::text::MAX_REPLY_CHARS
        {
            r.text = crate::text::cap_reply(&r.text).into_owned();
        }
        if self.ingest.tx.send((platform, change)).await.is_err() {
            tracing::debug!(
                "reply writer stopped; the catch-up at the next start collects the rest"
            );
        }
    }

    /// The reply writer: stores queued changes in batches until shutdown,
    /// then stores what is still queued.
    pub async fn write_replies(self: std::sync::Arc<Self>, mut shutdown: Shutdown) {
        let Some(mut rx) = self.ingest.rx.lock().unwrap().take() else {
            return;
        };
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
                    Ok(()) => {
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

    /// Stores one batch in one transaction; on an error nothing of it is stored.
    async fn store(&self, batch: &[(&'static str, Change)]) -> Result<(), crate::db::DbError> {
        // The post of each thread, once per batch (most messages are not in a
        // prompt's thread: they cost this one lookup and nothing else).
        let mut posts: HashMap<(&str, &str), Option<PostOfThread>> = HashMap::new();
        for (platform, change) in batch.iter() {
            let thread = change.thread();
            if !posts.contains_key(&(*platform, thread)) {
                let post = self.db.post_by_thread(platform, thread).await?;
                posts.insert((platform, thread), post.map(|p| (p.id, p.message_id)));
            }
        }
        let now = self.clock.now().timestamp();
        let mut changes = Vec::with_capacity(batch.len());
        for (platform, change) in batch.iter() {
            // Only messages in a prompt's thread (not the prompt itself) count.
            let Some(Some((post_id, prompt_message))) = posts.get(&(*platform, change.thread()))
            else {
                continue;
            };
            let reply = |r| new_reply(*post_id, platform, r);
            match change {
                Change::New(r) | Change::Edited(r)
                    if prompt_message.as_deref() == Some(r.message_id.as_str()) => {}
                Change::New(r) => changes.push(ReplyChange::New(reply(r))),
                // Stored whether or not its message has been: the edit wins.
                Change::Edited(r) => changes.push(ReplyChange::Upsert {
                    reply: reply(r),
                    at: now,
                }),
                // The tombstone first: a message that arrives after its
                // deletion is then never stored.
                Change::Deleted { message_id, .. } => {
                    changes.push(ReplyChange::Tombstone {
                        platform,
                        message_id,
                        at: now,
                    });
                    changes.push(ReplyChange::Deleted {
                        platform,
                        message_id,
                        at: now,
                    });
                }
            }
        }
        if changes.is_empty() {
            return Ok(());
        }
        let done = self.db.apply_reply_changes(&changes).await?;
        let mut stored = 0;
        for (change, changed) in changes.iter().zip(done) {
            if let (ReplyChange::New(r), true) = (change, changed) {
                crate::metrics::reply(r.platform);
                stored += 1;
            }
        }
        if stored > 0 {
            tracing::info!(replies = stored, "replies stored");
        }
        Ok(())
    }
}

/// A platform's message as a reply row of a post.
pub(super) fn new_reply<'a>(post_id: i64, platform: &'a str, r: &'a IncomingReply) -> NewReply<'a> {
    NewReply {
        post_id,
        platform,
        message_id: &r.message_id,
        author_id: &r.author_id,
        author_name: &r.author_name,
        body: &r.text,
        created_ms: r.at.timestamp_millis(),
        anonymous: false,
        relayed: false,
    }
}
