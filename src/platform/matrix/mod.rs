//! The Matrix platform (matrix-sdk 0.18). A channel is a room; a prompt is an
//! `m.room.message` and its thread is the set of `m.thread` relations to it
//! (plain replies to the prompt count too). Commands are `!ponder …` text,
//! answered as `m.notice` in the command's thread (or the room).
//!
//! The SDK keeps its session, sync token and encryption keys in a SQLite
//! store under the data directory, so a restart is the same device, resumes
//! the sync where it stopped, and can read and write encrypted rooms.
//!
//! Start-up: a restored session attaches its event handlers *before* its
//! first sync, which resumes from the stored sync token: whatever arrived
//! while the bot was down (commands, replies, edits, redactions) goes
//! through the same handlers, and a restart is ready at once (the first
//! sync does not wait). Only a brand-new login (no sync token) runs one
//! sync without handlers, so a room's history is not answered as new.
//! After a gap (a limited timeline, an outage) each open prompt's room is
//! read back to the prompt: replies (threaded or plain `m.in_reply_to`),
//! edits and redactions made meanwhile are applied.
//!
//! Exactly once after a lost session: the transaction id only deduplicates
//! per device, and a new device cannot read an encrypted room's older
//! events. So each prompt is also recorded in the bot's own room account
//! data (`org.ponder.posts`: key → event id), written right after the send
//! and read first by [`Chat::find_post`](crate::engine::Chat::find_post), which any device of the account
//! can read. Without a record there, the room is read back to the post's
//! claim time for an event carrying the key; where an event of the bot's in
//! that stretch cannot be decrypted, the answer is [`Lookup::Unknown`](crate::engine::Lookup::Unknown): no
//! second copy is sent, the admins are told instead.
//!
//! # Parts
//!
//! - `session`: logging in or restoring the session, and the sync loop.
//! - `handlers`: what arrives over sync: replies, edits, redactions,
//!   `!ponder` commands and invites.
//! - `chat`: the engine's port ([`Chat`](crate::engine::Chat)) on Matrix.
//! - `rooms`: who let Ponder into a room, its records in the room's account
//!   data, shared and direct rooms.
//! - `read_back`: a room's events read back, the replies among them, the
//!   catch-up after a gap.
//! - `files`: the file a command takes (the caller's latest file in the
//!   room), found and downloaded.
//! - `content`: the content of what Ponder sends (a leaf: it uses nothing
//!   else of the adapter).
//! - this file: [`MatrixChat`] and the plumbing the others share: a room by
//!   id, sending, display names, sorting the SDK's errors.
//!
//! Imports run one way: `session` uses `handlers`; `handlers` and `chat` use
//! `read_back`, `rooms` and `content`; `handlers` uses `files`; all use this
//! file, which uses none of them.

mod chat;
mod content;
mod files;
mod handlers;
mod read_back;
mod rooms;
mod session;

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedTransactionId, OwnedUserId, TransactionId};
use matrix_sdk::{Client, Room};
use serde_json::Value;

use crate::config::MatrixConfig;
use crate::engine::ChatError;

pub const PLATFORM: &str = "matrix";
/// Room account data: the prompts posted in the room, `{ key: event id }`.
const POSTS_DATA: &str = "org.ponder.posts";
/// Room account data: who let Ponder into the room, `{ "invited_by": user }`.
const ROOM_DATA: &str = "org.ponder.room";
/// How far before a post's claim a lookup still reads (clock skew).
const SKEW_MS: i64 = 5 * 60 * 1000;

pub struct MatrixChat {
    client: Client,
    config: MatrixConfig,
    own_user: OwnedUserId,
    connected: AtomicBool,
    /// Rooms known to be let in by an allow-listed inviter (see handlers).
    admitted: Mutex<HashSet<OwnedRoomId>>,
}

impl std::fmt::Debug for MatrixChat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatrixChat")
            .field("user", &self.own_user)
            .finish_non_exhaustive()
    }
}

impl MatrixChat {
    pub fn client(&self) -> &Client {
        &self.client
    }

    fn room(&self, channel: &str) -> Result<Room, ChatError> {
        let id = OwnedRoomId::try_from(channel)
            .map_err(|_| ChatError::Refused(format!("`{channel}` is not a Matrix room id")))?;
        match self.client.get_room(&id) {
            Some(room) if room.state() == matrix_sdk::RoomState::Joined => Ok(room),
            _ => Err(ChatError::Gone(format!(
                "Ponder is not a member of the Matrix room {channel}; invite it again"
            ))),
        }
    }

    /// Sends raw message content; `key` becomes the transaction id, so the
    /// homeserver drops a resend of the same key from this device.
    async fn send(
        &self,
        room: &Room,
        content: Value,
        key: Option<&str>,
    ) -> Result<OwnedEventId, ChatError> {
        let txn: OwnedTransactionId = key
            .map(OwnedTransactionId::from)
            .unwrap_or_else(TransactionId::new);
        room.send_raw("m.room.message", content)
            .with_transaction_id(&txn)
            .await
            .map(|r| r.response.event_id)
            .map_err(classify)
    }

    async fn display_name(&self, room: &Room, user: &matrix_sdk::ruma::UserId) -> String {
        match room.get_member(user).await {
            Ok(Some(m)) => m.display_name().unwrap_or(user.localpart()).to_string(),
            _ => user.localpart().to_string(),
        }
    }
}

/// Sorts an SDK error into the engine's kinds.
fn classify(e: matrix_sdk::Error) -> ChatError {
    let text = e.to_string();
    if let Some(code) = e.as_client_api_error().map(|c| c.status_code.as_u16()) {
        return match code {
            403 => ChatError::Refused(format!(
                "the homeserver refused: {text} (check the bot's power level to send messages)"
            )),
            404 => ChatError::Gone(text),
            429 | 500..=599 => ChatError::Transient(text),
            _ => ChatError::Refused(text),
        };
    }
    ChatError::Transient(text)
}
