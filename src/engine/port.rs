//! The port between the engine and a chat platform: the few things the
//! engine needs a platform to do. Each adapter (console, Discord, Matrix, the
//! in-memory one for tests) implements [`Chat`].
//!
//! Threads: on Discord a thread is a channel whose id is the starter message
//! id; on Matrix it is the set of `m.thread` relations to the prompt event.
//! Either way [`Chat::post_prompt`] says which thread id replies will carry
//! *before* the thread is opened, so a reply that races the thread's creation
//! is still routed to its post.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Why a platform call failed, as far as the engine cares.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChatError {
    /// Worth trying again later: network trouble, a 5xx, a rate limit.
    #[error("{0} (will retry)")]
    Transient(String),
    /// Will not work until someone acts, such as a missing permission; the
    /// message names what is missing.
    #[error("{0}")]
    Refused(String),
    /// The channel or thread no longer exists.
    #[error("{0}")]
    Gone(String),
}

/// A prompt ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingPrompt {
    /// Derived from the slot; adapters send it so that the platform drops a
    /// second send with the same key (Discord `nonce` + `enforce_nonce`,
    /// Matrix transaction id) and so that [`Chat::find_post`] can find it.
    pub idempotency_key: String,
    /// The message text: the prompt and its follow-up questions.
    pub text: String,
    /// The thread's name.
    pub title: String,
    /// Ponder's number for the post (what `status` and `export --post`
    /// show); the console names prompts by it instead of message ids.
    pub post_id: i64,
    /// Whom the prompt pings, where its schedule says so: a Discord role id,
    /// or Matrix user ids separated by commas. `None`: nobody (the default).
    pub ping: Option<String>,
}

/// What a channel's schedules need of the platform beyond posting prompts
/// and threads, for the permission self-check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// Some schedule pins its prompts.
    pub pin: bool,
    /// Whom some schedule pings.
    pub ping: Vec<String>,
}

/// Where a prompt landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    pub message_id: String,
    /// The id replies in the prompt's thread will carry.
    pub thread_id: String,
}

/// What looking for a claimed post found (see [`Chat::find_post`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The message carrying this post's key: it was sent, here.
    Sent(Posted),
    /// The platform looked back past `since` and no message carries the key:
    /// it was not sent, and sending it now (with the same key) makes it once.
    NotSent,
    /// The platform cannot tell (the reason says why): the engine must not
    /// send a second copy on this, and tells the channel's admins instead.
    Unknown(String),
}

/// A message written in a prompt's thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingReply {
    pub thread_id: String,
    pub message_id: String,
    pub author_id: String,
    pub author_name: String,
    pub text: String,
    pub at: DateTime<Utc>,
}

/// One of a platform's connections (a Discord shard) and its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connection {
    pub shard: u32,
    pub total: u32,
    pub up: bool,
    /// Guilds the connection holds, as its READY said.
    pub guilds: usize,
    /// The last heartbeat's round trip, once one was acknowledged.
    pub latency_ms: Option<u64>,
    /// Sessions resumed on this connection since Ponder started.
    pub resumes: u32,
}

/// The range of shards a platform's connections are, when they are part of
/// the bot's shards only (a process running `shards = "0-3 of 8"`).
pub fn shard_range(connections: &[Connection]) -> Option<crate::config::ShardRange> {
    let (first, last) = (connections.first()?, connections.last()?);
    (connections.len() < first.total as usize).then_some(crate::config::ShardRange {
        first: first.shard,
        last: last.shard,
        total: first.total,
    })
}

#[async_trait]
pub trait Chat: Send + Sync + 'static {
    /// The platform's name as stored with channels and replies (`console`, `discord`, `matrix`).
    fn platform(&self) -> &'static str;

    /// Whether the platform connection is up (for `/healthz` and metrics).
    fn is_connected(&self) -> bool {
        true
    }

    /// The platform's connections, where it has several (Discord's
    /// shards), for `status`, `/healthz` and `/metrics`; empty otherwise.
    fn connections(&self) -> Vec<Connection> {
        Vec::new()
    }

    /// What is wrong with the platform's connections as configured (a
    /// Discord shard count too small), for admins' `status`.
    fn connection_note(&self) -> Option<String> {
        None
    }

    /// Whether this process serves a channel in this server (`guild`, when
    /// known): every channel, unless the platform's work is split across
    /// processes (Discord shards as a range, `shards = "0-3 of 8"`): then
    /// only the channels of its own shards' servers, and none whose server
    /// is not known yet. So `serves(None)` is false exactly when this
    /// process serves only part of the platform.
    fn serves(&self, guild: Option<&str>) -> bool {
        let _ = guild;
        true
    }

    /// Posts the prompt in the channel. Sending twice with the same key must
    /// not produce two messages where the platform can prevent it.
    async fn post_prompt(
        &self,
        channel: &str,
        prompt: &OutgoingPrompt,
    ) -> Result<Posted, ChatError>;

    /// Finds a prompt already sent (after a crash or a send whose answer was
    /// lost) by something unique to its post (its idempotency key), never by
    /// its text: the rotation repeats prompts, so an older post's message can
    /// carry the same text. `since` is when the post was claimed: no message
    /// older than that (allowing for clock skew) can be this post's, and the
    /// look must reach back that far (all pages; archived forum posts too).
    /// When the platform cannot tell, the answer is [`Lookup::Unknown`] and
    /// the engine sends nothing: a second copy is worse than asking an admin.
    async fn find_post(
        &self,
        channel: &str,
        prompt: &OutgoingPrompt,
        since: DateTime<Utc>,
    ) -> Result<Lookup, ChatError>;

    /// Opens the thread for a posted prompt (a no-op where the prompt is its
    /// own thread). Must succeed if the thread already exists.
    async fn open_thread(
        &self,
        channel: &str,
        posted: &Posted,
        title: &str,
        open_for: Duration,
    ) -> Result<(), ChatError>;

    /// Posts a message of the bot's own in a prompt's thread (a member's
    /// reflection sent through a command); returns its message id. Never pings.
    async fn send_in_thread(
        &self,
        channel: &str,
        thread_id: &str,
        text: &str,
    ) -> Result<String, ChatError>;

    /// Posts a message of the bot's own in the channel itself (a digest).
    /// Never pings.
    async fn send_in_channel(&self, channel: &str, text: &str) -> Result<String, ChatError>;

    /// Posts a message of the bot's own that carries a key (a digest): in the
    /// thread, or in the channel when `thread` is `None`. Where the platform
    /// can, it drops a second send with the same key and
    /// [`Chat::find_sent`] finds the message by it. Never pings. The default
    /// sends a plain message.
    async fn send_keyed(
        &self,
        channel: &str,
        thread: Option<&str>,
        text: &str,
        key: &str,
    ) -> Result<String, ChatError> {
        let _ = key;
        match thread {
            Some(t) => self.send_in_thread(channel, t, text).await,
            None => self.send_in_channel(channel, text).await,
        }
    }

    /// The largest file, in bytes, the platform takes in one upload (an
    /// answer's file, [`Chat::send_file`]); `None`: no limit.
    async fn upload_limit(&self) -> Option<u64> {
        None
    }

    /// Posts a message of the bot's own with a file attached (an archive
    /// asked for in public, a digest's archive page): in the thread, or in
    /// the channel when `thread` is `None`; returns its message id. Never
    /// pings. The default cannot.
    async fn send_file(
        &self,
        channel: &str,
        thread: Option<&str>,
        text: &str,
        name: &str,
        body: &[u8],
    ) -> Result<String, ChatError> {
        let _ = (channel, thread, text, name, body);
        Err(ChatError::Refused(
            "this platform cannot attach files to messages".into(),
        ))
    }

    /// Like [`Chat::send_keyed`], with a file attached to the same message
    /// (a digest's archive page). The default cannot (the engine then sends
    /// the file in a message of its own after the keyed one).
    async fn send_keyed_file(
        &self,
        channel: &str,
        thread: Option<&str>,
        text: &str,
        key: &str,
        name: &str,
        body: &[u8],
    ) -> Result<String, ChatError> {
        let _ = (channel, thread, text, key, name, body);
        Err(ChatError::Refused(
            "this platform sends a file in a message of its own".into(),
        ))
    }

    /// Finds a message sent with [`Chat::send_keyed`] by its key, looking
    /// back to `since` (when the send was recorded as intended). The default
    /// cannot tell.
    async fn find_sent(
        &self,
        channel: &str,
        thread: Option<&str>,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        let _ = (channel, thread, key, since);
        Ok(Lookup::Unknown(
            "this platform cannot find its messages by key".into(),
        ))
    }

    /// The thread's messages after `after` (a message id), oldest first, all
    /// pages; from the start of the thread when `after` is `None`.
    async fn replies_after(
        &self,
        channel: &str,
        thread_id: &str,
        after: Option<&str>,
    ) -> Result<Vec<IncomingReply>, ChatError>;

    /// Whether [`Chat::replies_after`] from the start of a thread gives each
    /// of its messages as it is now: edited ones with their current text,
    /// deleted ones left out, nothing else missing. Then the start-up
    /// catch-up compares the whole thread with what is stored and applies
    /// the edits and deletions made while Ponder was away. Where a
    /// platform's history is not like that, the catch-up only adds messages.
    fn rechecks_replies(&self) -> bool {
        false
    }

    /// Closes (archives) the thread where the platform has such a thing.
    async fn close_thread(&self, channel: &str, thread_id: &str) -> Result<(), ChatError>;

    /// How to name a channel in a message (a link where the platform has one).
    fn channel_ref(&self, channel: &str) -> String {
        channel.to_string()
    }

    /// Sends a person a private message (a suggestion's outcome). Never pings.
    async fn send_direct(&self, user_id: &str, text: &str) -> Result<(), ChatError> {
        let _ = (user_id, text);
        Err(ChatError::Refused(
            "this platform has no direct messages".into(),
        ))
    }

    /// Pins or unpins a message of the bot's own in the channel.
    async fn set_pinned(
        &self,
        channel: &str,
        message_id: &str,
        pinned: bool,
    ) -> Result<(), ChatError> {
        let _ = (channel, message_id, pinned);
        Ok(())
    }

    /// Whether the platform can take back a message once sent (the console
    /// cannot: a terminal keeps what it printed). `forget-me` says it removed
    /// relayed reflections only where this is true.
    fn can_delete_own(&self) -> bool {
        true
    }

    /// Deletes a message the bot posted (a member's relayed reflection, on `forget-me`).
    async fn delete_own(
        &self,
        channel: &str,
        thread_id: &str,
        message_id: &str,
    ) -> Result<(), ChatError> {
        let _ = (channel, thread_id, message_id);
        Ok(())
    }

    /// What the bot lacks in the channel to do its work there (with `needs`),
    /// as values (a permission by the platform's own name). Empty: nothing
    /// is missing.
    async fn missing_permissions(
        &self,
        channel: &str,
        needs: &Needs,
    ) -> Result<Vec<super::Missing>, ChatError> {
        let _ = (channel, needs);
        Ok(Vec::new())
    }

    /// Whether the adapter runs the permission self-check itself when it
    /// connects (from what the platform sends then), so the engine need not
    /// ask at start.
    fn checks_permissions_on_connect(&self) -> bool {
        false
    }

    /// Whether a person is a member of the channel (an anonymous reflection
    /// sent privately must come from someone who can see the prompt).
    async fn is_member(&self, channel: &str, user_id: &str) -> Result<bool, ChatError> {
        let _ = (channel, user_id);
        Ok(true)
    }

    /// Whether a person who asked in `from` (a channel, thread or direct
    /// chat) may have their answer posted in `channel`: by default whether
    /// they are a member of it. Discord also keeps it within the server the
    /// command was run in.
    async fn may_answer_in(
        &self,
        from: &str,
        channel: &str,
        user_id: &str,
    ) -> Result<bool, ChatError> {
        let _ = from;
        self.is_member(channel, user_id).await
    }
}
