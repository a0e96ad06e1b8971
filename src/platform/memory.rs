//! An in-memory chat platform for tests and benchmarks: it keeps every
//! message, lets a test write replies as members would, and can fail or
//! stall on purpose to simulate a crash at each step of a send.
//!
//! It does *not* deduplicate sends by key, so a test counting messages per
//! key sees exactly what the engine did.

mod files;
mod hold;
mod members;
pub use files::SentFile;
pub use hold::ReadHold;

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::engine::{Chat, ChatError, IncomingReply, Lookup, OutgoingPrompt, Posted};

pub const PLATFORM: &str = "memory";

/// Where a send stalls forever (the test then aborts the task: a crash).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stall {
    /// Before the message reaches the platform.
    BeforeSend,
    /// After the platform has the message, before the engine hears back.
    AfterSend,
    /// After the thread is opened, before the engine hears back.
    AfterThread,
    /// After the platform has a keyed message (a digest), before the engine hears back.
    AfterKeyedSend,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentPrompt {
    pub channel: String,
    pub key: String,
    pub text: String,
    pub message_id: String,
    /// Whom it pinged.
    pub ping: Option<String>,
}

#[derive(Debug, Default)]
struct State {
    prompts: Vec<SentPrompt>,
    threads: Vec<String>,
    closed: Vec<String>,
    messages: HashMap<String, Vec<IncomingReply>>,
    failures: VecDeque<ChatError>,
    lookup_failures: VecDeque<ChatError>,
    /// `find_post` answers that it cannot tell, with this reason.
    lookup_unknown: Option<String>,
    /// Keys of the bot's keyed messages: `(message id, key)`.
    keyed: Vec<(String, String)>,
    stall: Option<Stall>,
    read_hold: Option<ReadHold>,
    next_id: u64,
    disconnected: bool,
    bot_messages: Vec<(String, String, String)>,
    direct: Vec<(String, String)>,
    pinned: Vec<String>,
    deleted: Vec<String>,
    missing: Vec<crate::engine::Missing>,
    outsiders: Vec<String>,
    files: files::Files,
}

#[derive(Debug, Default)]
pub struct MemoryChat {
    state: Mutex<State>,
}

impl MemoryChat {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn prompts(&self) -> Vec<SentPrompt> {
        self.state.lock().unwrap().prompts.clone()
    }

    pub fn threads(&self) -> Vec<String> {
        self.state.lock().unwrap().threads.clone()
    }

    pub fn closed(&self) -> Vec<String> {
        self.state.lock().unwrap().closed.clone()
    }

    /// The next sends fail with these errors, in order.
    pub fn fail_next(&self, errors: impl IntoIterator<Item = ChatError>) {
        self.state.lock().unwrap().failures.extend(errors);
    }

    /// The next lookups (`find_post`, `find_sent`) fail with these errors, in order.
    pub fn fail_next_lookups(&self, errors: impl IntoIterator<Item = ChatError>) {
        self.state.lock().unwrap().lookup_failures.extend(errors);
    }

    /// From now on `find_post` answers that it cannot tell (`None`: it looks again).
    pub fn cannot_tell(&self, why: Option<&str>) {
        self.state.lock().unwrap().lookup_unknown = why.map(str::to_string);
    }

    fn lookup_failure(&self) -> Option<ChatError> {
        self.state.lock().unwrap().lookup_failures.pop_front()
    }

    /// Messages the bot wrote in threads or channels: `(thread or channel, message id, text)`.
    pub fn bot_messages(&self) -> Vec<(String, String, String)> {
        self.state.lock().unwrap().bot_messages.clone()
    }

    /// Direct messages the bot sent: `(user id, text)`.
    pub fn direct_messages(&self) -> Vec<(String, String)> {
        self.state.lock().unwrap().direct.clone()
    }

    /// The message ids pinned now, in the order they were pinned.
    pub fn pinned(&self) -> Vec<String> {
        self.state.lock().unwrap().pinned.clone()
    }

    /// Messages of the bot's own that it deleted.
    pub fn deleted(&self) -> Vec<String> {
        self.state.lock().unwrap().deleted.clone()
    }

    /// The permission self-check reports these as missing from now on.
    pub fn set_missing(&self, missing: &[&str]) {
        self.set_missing_values(
            missing
                .iter()
                .map(|m| crate::engine::Missing::Permission(m.to_string()))
                .collect(),
        );
    }

    /// The permission self-check reports these values as missing from now on
    /// (a `Permission("pins")` reads as the pin permission, only where a
    /// schedule pins).
    pub fn set_missing_values(&self, missing: Vec<crate::engine::Missing>) {
        self.state.lock().unwrap().missing = missing;
    }

    /// This user is not a member of any channel from now on.
    pub fn make_outsider(&self, user_id: &str) {
        self.state
            .lock()
            .unwrap()
            .outsiders
            .push(user_id.to_string());
    }

    /// Simulates a lost (or restored) platform connection.
    pub fn set_connected(&self, up: bool) {
        self.state.lock().unwrap().disconnected = !up;
    }

    pub fn stall(&self, at: Option<Stall>) {
        self.state.lock().unwrap().stall = at;
    }

    fn stalls_at(&self, point: Stall) -> bool {
        self.state.lock().unwrap().stall == Some(point)
    }
}

#[async_trait]
impl Chat for MemoryChat {
    fn platform(&self) -> &'static str {
        PLATFORM
    }

    fn is_connected(&self) -> bool {
        !self.state.lock().unwrap().disconnected
    }

    async fn post_prompt(
        &self,
        channel: &str,
        prompt: &OutgoingPrompt,
    ) -> Result<Posted, ChatError> {
        if self.stalls_at(Stall::BeforeSend) {
            std::future::pending::<()>().await;
        }
        let posted = {
            let mut s = self.state.lock().unwrap();
            if let Some(e) = s.failures.pop_front() {
                return Err(e);
            }
            s.next_id += 1;
            let id = format!("m{}", s.next_id);
            s.prompts.push(SentPrompt {
                channel: channel.to_string(),
                key: prompt.idempotency_key.clone(),
                text: prompt.text.clone(),
                message_id: id.clone(),
                ping: prompt.ping.clone(),
            });
            Posted {
                message_id: id.clone(),
                thread_id: id,
            }
        };
        if self.stalls_at(Stall::AfterSend) {
            std::future::pending::<()>().await;
        }
        Ok(posted)
    }

    async fn find_post(
        &self,
        channel: &str,
        prompt: &OutgoingPrompt,
        _since: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        if let Some(e) = self.lookup_failure() {
            return Err(e);
        }
        let s = self.state.lock().unwrap();
        if let Some(why) = &s.lookup_unknown {
            return Ok(Lookup::Unknown(why.clone()));
        }
        Ok(s.prompts
            .iter()
            .find(|p| p.channel == channel && p.key == prompt.idempotency_key)
            .map_or(Lookup::NotSent, |p| {
                Lookup::Sent(Posted {
                    message_id: p.message_id.clone(),
                    thread_id: p.message_id.clone(),
                })
            }))
    }

    async fn open_thread(
        &self,
        _channel: &str,
        posted: &Posted,
        _title: &str,
        _open: Duration,
    ) -> Result<(), ChatError> {
        {
            let mut s = self.state.lock().unwrap();
            if !s.threads.contains(&posted.thread_id) {
                s.threads.push(posted.thread_id.clone());
            }
        }
        if self.stalls_at(Stall::AfterThread) {
            std::future::pending::<()>().await;
        }
        Ok(())
    }

    async fn send_in_channel(&self, channel: &str, text: &str) -> Result<String, ChatError> {
        self.send_in_thread(channel, channel, text).await
    }

    async fn send_in_thread(
        &self,
        _channel: &str,
        thread: &str,
        text: &str,
    ) -> Result<String, ChatError> {
        let mut s = self.state.lock().unwrap();
        s.next_id += 1;
        let id = format!("m{}", s.next_id);
        s.bot_messages
            .push((thread.to_string(), id.clone(), text.to_string()));
        Ok(id)
    }

    async fn send_keyed(
        &self,
        channel: &str,
        thread: Option<&str>,
        text: &str,
        key: &str,
    ) -> Result<String, ChatError> {
        let id = self
            .send_in_thread(channel, thread.unwrap_or(channel), text)
            .await?;
        self.state
            .lock()
            .unwrap()
            .keyed
            .push((id.clone(), key.to_string()));
        if self.stalls_at(Stall::AfterKeyedSend) {
            std::future::pending::<()>().await;
        }
        Ok(id)
    }

    async fn upload_limit(&self) -> Option<u64> {
        self.limit()
    }

    async fn send_file(
        &self,
        channel: &str,
        thread: Option<&str>,
        text: &str,
        name: &str,
        body: &[u8],
    ) -> Result<String, ChatError> {
        self.send_file_in(thread.unwrap_or(channel), text, name, body)
    }

    async fn find_sent(
        &self,
        channel: &str,
        thread: Option<&str>,
        key: &str,
        _since: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        if let Some(e) = self.lookup_failure() {
            return Err(e);
        }
        let s = self.state.lock().unwrap();
        let place = thread.unwrap_or(channel);
        let found = s.keyed.iter().find(|(id, k)| {
            k == key && s.bot_messages.iter().any(|(p, m, _)| p == place && m == id)
        });
        Ok(found.map_or(Lookup::NotSent, |(id, _)| {
            Lookup::Sent(Posted {
                message_id: id.clone(),
                thread_id: place.to_string(),
            })
        }))
    }

    async fn replies_after(
        &self,
        _channel: &str,
        thread: &str,
        after: Option<&str>,
    ) -> Result<Vec<IncomingReply>, ChatError> {
        let (mut all, hold) = {
            let mut s = self.state.lock().unwrap();
            let all = s.messages.get(thread).cloned().unwrap_or_default();
            (all, s.read_hold.take())
        };
        let start = after
            .and_then(|id| all.iter().position(|m| m.message_id == id))
            .map_or(0, |i| i + 1);
        if let Some(hold) = hold {
            hold.hold().await;
        }
        Ok(all.split_off(start))
    }

    fn rechecks_replies(&self) -> bool {
        true // its history is each thread's messages as they are now
    }

    async fn close_thread(&self, _channel: &str, thread: &str) -> Result<(), ChatError> {
        self.state.lock().unwrap().closed.push(thread.to_string());
        Ok(())
    }

    async fn send_direct(&self, user_id: &str, text: &str) -> Result<(), ChatError> {
        self.state
            .lock()
            .unwrap()
            .direct
            .push((user_id.to_string(), text.to_string()));
        Ok(())
    }

    async fn set_pinned(
        &self,
        _channel: &str,
        message_id: &str,
        pinned: bool,
    ) -> Result<(), ChatError> {
        let mut s = self.state.lock().unwrap();
        s.pinned.retain(|m| m != message_id);
        if pinned {
            s.pinned.push(message_id.to_string());
        }
        Ok(())
    }

    async fn delete_own(
        &self,
        _channel: &str,
        _thread: &str,
        message_id: &str,
    ) -> Result<(), ChatError> {
        let mut s = self.state.lock().unwrap();
        s.bot_messages.retain(|(_, id, _)| id != message_id);
        s.deleted.push(message_id.to_string());
        Ok(())
    }

    async fn missing_permissions(
        &self,
        _channel: &str,
        needs: &crate::engine::Needs,
    ) -> Result<Vec<crate::engine::Missing>, ChatError> {
        use crate::engine::Missing;
        let pins = Missing::Permission("pins".into());
        let mut missing = self.state.lock().unwrap().missing.clone();
        if needs.pin && missing.contains(&pins) {
            missing.push(Missing::PinPermission("pin messages".into()));
        }
        missing.retain(|m| *m != pins);
        Ok(missing)
    }

    async fn is_member(&self, _channel: &str, user_id: &str) -> Result<bool, ChatError> {
        Ok(!self
            .state
            .lock()
            .unwrap()
            .outsiders
            .iter()
            .any(|u| u == user_id))
    }
}
