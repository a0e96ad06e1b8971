//! What the emulator saw and sent, for tests to inspect.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

/// One REST request the bot made.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// Path without the `/api/v10` prefix, e.g. `/channels/123/messages`.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// JSON body (`payload_json` for multipart); `Null` when there was none.
    pub body: Value,
    /// Status the emulator answered with.
    pub status: u16,
    /// When it arrived, measured from the emulator's start.
    pub at: Duration,
}

/// One frame the emulator wrote to a gateway socket.
#[derive(Clone, Debug, PartialEq)]
pub struct GatewayFrame {
    /// The session it belongs to; `None` for frames before IDENTIFY/RESUME (HELLO).
    pub session_id: Option<String>,
    pub op: u8,
    /// Sequence number (dispatches only).
    pub seq: Option<u64>,
    /// Event name (dispatches only), e.g. `MESSAGE_CREATE`.
    pub event: Option<String>,
    /// The frame exactly as sent.
    pub raw: Arc<str>,
}

impl GatewayFrame {
    /// The whole frame parsed as JSON (`op`, `s`, `t`, `d`).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.raw).unwrap_or(Value::Null)
    }

    /// The frame's `d`.
    pub fn data(&self) -> Value {
        self.json().get("d").cloned().unwrap_or(Value::Null)
    }
}

/// A log that keeps the newest `limit` entries.
#[derive(Debug)]
pub(crate) struct BoundedLog<T> {
    entries: VecDeque<T>,
    limit: usize,
}

impl<T: Clone> BoundedLog<T> {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            limit: limit.max(1),
        }
    }

    pub(crate) fn push(&mut self, entry: T) {
        if self.entries.len() == self.limit {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub(crate) fn to_vec(&self) -> Vec<T> {
        self.entries.iter().cloned().collect()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.entries.iter()
    }
}
