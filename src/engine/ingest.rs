//! Reply ingest from a busy gateway: the platform hands each new, edited or
//! deleted message to a queue and goes on; one writer task stores the queue
//! in batches, one transaction each, in arrival order.
//!
//! Why: a gateway delivers messages one by one, and serenity handles each in a
//! task of its own. Stored one by one, every reply is its own SQLite commit
//! and the tasks contend for SQLite's single write lock; batched, a commit
//! holds hundreds of replies. The queue is bounded, so a flood slows the
//! gateway reader (the backlog waits in the socket) instead of growing memory.
//! A reply queued but not yet committed when the process dies is not lost:
//! the start-up catch-up reads each open thread after its last stored reply.

use std::collections::HashMap;
use std::sync::Mutex;

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

pub(super) struct Ingest {
    tx: mpsc::Sender<(&'static str, Change)>,
    rx: Mutex<Option<mpsc::Receiver<(&'static str, Change)>>>,
}

impl Default for Ingest {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel(QUEUED);
        Ingest {
            tx,
            rx: Mutex::new(Some(rx)),
        }
    }
}

impl Engine {
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
        loop {
            tokio::select! {
                n = rx.recv_many(&mut batch, BATCH) => {
                    if n == 0 {
                        break;
                    }
                    self.store(&mut batch).await;
                }
                _ = shutdown.recv() => {
                    rx.close();
                    while rx.recv_many(&mut batch, BATCH).await > 0 {
                        self.store(&mut batch).await;
                    }
                    break;
                }
            }
        }
        tracing::debug!("reply writer stopped");
    }

    async fn store(&self, batch: &mut Vec<(&'static str, Change)>) {
        // The post of each thread, once per batch (most messages are not in a
        // prompt's thread: they cost this one lookup and nothing else).
        let mut posts: HashMap<(&str, &str), Option<PostOfThread>> = HashMap::new();
        for (platform, change) in batch.iter() {
            let thread = change.thread();
            if !posts.contains_key(&(*platform, thread)) {
                let post = match self.db.post_by_thread(platform, thread).await {
                    Ok(p) => p.map(|p| (p.id, p.message_id)),
                    Err(e) => {
                        tracing::error!(error = %e, "finding a reply's post; the batch waits for the next catch-up");
                        batch.clear();
                        return;
                    }
                };
                posts.insert((platform, thread), post);
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
        if !changes.is_empty() {
            match self.db.apply_reply_changes(&changes).await {
                Ok(done) => {
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
                }
                Err(e) => {
                    tracing::error!(error = %e, changes = changes.len(), "storing replies; they wait for the next catch-up")
                }
            }
        }
        batch.clear();
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
