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
//! and read first by [`Chat::find_post`], which any device of the account
//! can read. Without a record there, the room is read back to the post's
//! claim time for an event carrying the key; where an event of the bot's in
//! that stretch cannot be decrypted, the answer is [`Lookup::Unknown`]: no
//! second copy is sent, the admins are told instead.

mod handlers;

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::ruma::{
    OwnedEventId, OwnedRoomId, OwnedTransactionId, OwnedUserId, TransactionId, UInt,
};
use matrix_sdk::{Client, Room};
use serde_json::{Value, json};

use crate::config::MatrixConfig;
use crate::engine::{
    Chat, ChatError, Engine, IncomingReply, Lookup, Needs, OutgoingPrompt, Posted,
};
use crate::secret::{self, ExposeSecret};
use crate::shutdown::Shutdown;

pub const PLATFORM: &str = "matrix";
/// The content key that carries a prompt's idempotency key, so a prompt can
/// be found again after a crash.
const KEY_FIELD: &str = "org.ponder.key";
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
    /// Logs in (or restores the stored session: same device, same keys) and
    /// runs one sync, so rooms are known and old events are not taken as new.
    pub async fn connect(config: &MatrixConfig) -> anyhow::Result<Arc<MatrixChat>> {
        std::fs::create_dir_all(&config.store_dir)
            .with_context(|| format!("creating the Matrix store {}", config.store_dir.display()))?;
        let homeserver = config.homeserver.get_ref();
        let client = Client::builder()
            .homeserver_url(homeserver)
            .sqlite_store(config.store_dir.join("sdk"), None)
            .build()
            .await
            .with_context(|| format!("connecting to the homeserver {homeserver}"))?;
        let session_file = config.store_dir.join("session.json");
        let restored = match std::fs::read_to_string(&session_file) {
            Ok(text) => {
                let session: MatrixSession =
                    serde_json::from_str(&text).context("reading the stored Matrix session")?;
                client
                    .restore_session(session)
                    .await
                    .context("restoring the Matrix session")?;
                true
            }
            Err(_) => false,
        };
        if !restored {
            let password = secret::load(
                "Matrix password",
                "MATRIX_PASSWORD",
                "password_file",
                config.password_file.as_deref(),
            )?;
            client
                .matrix_auth()
                .login_username(config.user.get_ref(), password.expose_secret())
                .initial_device_display_name(&config.device_name)
                .send()
                .await
                .with_context(|| format!("logging in as {}", config.user.get_ref()))?;
            let session = client
                .matrix_auth()
                .session()
                .context("no session after login")?;
            write_private(&session_file, &serde_json::to_string(&session)?)?;
        }
        let own_user = client
            .user_id()
            .context("no user id after login")?
            .to_owned();
        let token = client
            .state_store()
            .get_kv_data(matrix_sdk::store::StateStoreDataKey::SyncToken)
            .await
            .ok()
            .flatten();
        if token.is_none() {
            // A new login: the rooms' history is not news. An initial sync
            // (no token) answers at once.
            client
                .sync_once(SyncSettings::default())
                .await
                .context("the first Matrix sync")?;
        }
        tracing::info!(user = %own_user, device = ?client.device_id(), restored, "Matrix session ready");
        Ok(Arc::new(MatrixChat {
            client,
            config: config.clone(),
            own_user,
            connected: AtomicBool::new(true),
            admitted: Mutex::new(HashSet::new()),
        }))
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Attaches the event handlers and syncs until shutdown. The first sync
    /// resumes from the stored token without waiting, through the handlers.
    pub async fn run(self: Arc<Self>, engine: Arc<Engine>, mut shutdown: Shutdown) {
        handlers::attach(&self, engine.clone());
        let mut backoff = Duration::from_secs(1);
        let mut first = true;
        loop {
            let wait = if first {
                Duration::ZERO
            } else {
                Duration::from_secs(10)
            };
            let settings = SyncSettings::default().timeout(wait);
            let synced = tokio::select! {
                r = self.client.sync_once(settings) => r,
                _ = shutdown.recv() => break,
            };
            match synced {
                Ok(response) => {
                    let was_down = !self.connected.swap(true, Ordering::Relaxed);
                    backoff = Duration::from_secs(1);
                    // At start, after an outage or a gap in a room's timeline,
                    // read the open threads back: replies, edits, redactions.
                    let gap = response.rooms.joined.values().any(|r| r.timeline.limited);
                    if first || was_down || gap {
                        tracing::debug!(first, was_down, gap, "catching up on open threads");
                        if let Err(e) = self.catch_up(&engine).await {
                            tracing::warn!(error = %format!("{e:#}"), "catching up on open threads");
                        }
                    }
                    first = false;
                }
                Err(e) => {
                    self.connected.store(false, Ordering::Relaxed);
                    tracing::warn!(error = %e, retry_in = ?backoff, "Matrix sync failed");
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => {}
                        _ = shutdown.recv() => break,
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(60));
                }
            }
        }
        tracing::debug!("Matrix sync stopped");
    }

    /// Whether an inviter is on `allow_invites_from` (by user id or server).
    pub(crate) fn allowed_inviter(&self, user: &matrix_sdk::ruma::UserId) -> bool {
        self.config
            .allow_invites_from
            .iter()
            .any(|a| a == user.as_str() || a == user.server_name().as_str())
    }

    /// Records that an allow-listed person let Ponder into a room.
    pub(crate) async fn admit(&self, room: &Room, inviter: &matrix_sdk::ruma::UserId) {
        self.admitted
            .lock()
            .unwrap()
            .insert(room.room_id().to_owned());
        let content = json!({ "invited_by": inviter });
        if let Err(e) = self.set_room_data(room, ROOM_DATA, &content).await {
            tracing::warn!(error = %e, room = %room.room_id(), "recording who invited Ponder");
        }
    }

    /// Whether Ponder was let into the room by an allow-listed person (its
    /// record in the room's account data), or an allow-listed person created it.
    pub(crate) async fn admitted(&self, room: &Room) -> bool {
        if self.admitted.lock().unwrap().contains(room.room_id()) {
            return true;
        }
        let by_creator = room
            .creators()
            .unwrap_or_default()
            .iter()
            .any(|u| self.allowed_inviter(u));
        let by_invite = match self.room_data(room, ROOM_DATA).await {
            Ok(data) => data["invited_by"]
                .as_str()
                .and_then(|u| OwnedUserId::try_from(u).ok())
                .is_some_and(|u| self.allowed_inviter(&u)),
            Err(_) => false,
        };
        let ok = by_creator || by_invite;
        if ok {
            self.admitted
                .lock()
                .unwrap()
                .insert(room.room_id().to_owned());
        }
        ok
    }

    /// The bot's account data of this type in a room, from the homeserver
    /// (`{}` when there is none).
    async fn room_data(&self, room: &Room, kind: &str) -> Result<Value, ChatError> {
        use matrix_sdk::ruma::api::client::config::get_room_account_data::v3::Request;
        let request = Request::new(
            self.own_user.clone(),
            room.room_id().to_owned(),
            kind.into(),
        );
        match self.client.send(request).await {
            Ok(r) => Ok(r
                .account_data
                .deserialize_as_unchecked::<Value>()
                .unwrap_or_else(|_| json!({}))),
            Err(e)
                if e.as_client_api_error()
                    .is_some_and(|c| c.status_code.as_u16() == 404) =>
            {
                Ok(json!({}))
            }
            Err(e) => Err(classify(e.into())),
        }
    }

    async fn set_room_data(
        &self,
        room: &Room,
        kind: &str,
        content: &Value,
    ) -> Result<(), ChatError> {
        let raw = matrix_sdk::ruma::serde::Raw::new(content)
            .map_err(|e| ChatError::Refused(e.to_string()))?
            .cast_unchecked();
        room.set_account_data_raw(kind.into(), raw)
            .await
            .map(|_| ())
            .map_err(classify)
    }

    /// Records a sent prompt in the room's account data (see the module
    /// docs); entries older than 90 days are dropped.
    async fn record_post(&self, room: &Room, key: &str, event: &str) -> Result<(), ChatError> {
        let mut data = self.room_data(room, POSTS_DATA).await?;
        let now = Utc::now().timestamp_millis();
        let keep = now - 90 * 24 * 3600 * 1000;
        if let Some(map) = data.as_object_mut() {
            map.retain(|_, v| v["at"].as_i64().is_some_and(|t| t >= keep));
        } else {
            data = json!({});
        }
        data[key] = json!({ "event_id": event, "at": now });
        self.set_room_data(room, POSTS_DATA, &data).await
    }

    /// The room's events back from now, newest first, page by page, until
    /// `stop` says an event is far enough back (that event is not included)
    /// or the room's start.
    async fn read_back(
        &self,
        room: &Room,
        stop: impl Fn(&Value) -> bool,
    ) -> Result<Vec<Value>, ChatError> {
        let mut out = Vec::new();
        let mut from = None;
        loop {
            let mut options = matrix_sdk::room::MessagesOptions::backward();
            options.limit = UInt::from(100u32);
            options.from = from.take();
            let page = room.messages(options).await.map_err(classify)?;
            for event in page.chunk {
                let Ok(raw) = event.raw().deserialize_as::<Value>() else {
                    continue;
                };
                if stop(&raw) {
                    return Ok(out);
                }
                out.push(raw);
            }
            match page.end {
                Some(end) => from = Some(end),
                None => return Ok(out),
            }
        }
    }

    /// The events of a prompt's room after the prompt, oldest first.
    async fn after_root(&self, room: &Room, root: &str) -> Result<Vec<Value>, ChatError> {
        let mut events = self.read_back(room, |e| e["event_id"] == root).await?;
        events.reverse();
        Ok(events)
    }

    /// Reads each open prompt's room back to the prompt and queues for the
    /// reply writer what the handlers may have missed: replies, edits (the
    /// writer applies those by their authors), redactions.
    async fn catch_up(&self, engine: &Engine) -> anyhow::Result<()> {
        use crate::engine::ingest::Change;
        let posts = engine
            .db()
            .posts_in_state(crate::db::PostState::Open)
            .await?;
        for post in posts.iter().filter(|p| p.platform == PLATFORM) {
            let Some(root) = post.thread_id.as_deref() else {
                continue;
            };
            let channel = engine.db().channel(post.channel_id).await?.external_id;
            let Ok(room) = self.room(&channel) else {
                continue;
            };
            let events = match self.after_root(&room, root).await {
                Ok(e) => e,
                Err(e) => {
                    tracing::warn!(post = post.id, error = %e, "could not read a prompt's room back");
                    continue;
                }
            };
            for raw in &events {
                let id = raw["event_id"].as_str().unwrap_or_default();
                if raw["unsigned"]["redacted_because"].is_object() {
                    let change = Change::DeletedFrom {
                        channel: channel.clone(),
                        message_id: id.to_string(),
                    };
                    engine.queue_reply(PLATFORM, change).await;
                    continue;
                }
                let relates = &raw["content"]["m.relates_to"];
                if raw["type"] == "m.room.message" && relates["rel_type"] == "m.replace" {
                    let (Some(target), Some(text), Some(sender)) = (
                        relates["event_id"].as_str(),
                        raw["content"]["m.new_content"]["body"].as_str(),
                        raw["sender"].as_str(),
                    ) else {
                        continue;
                    };
                    let change = Change::EditedBy {
                        channel: channel.clone(),
                        editor: sender.to_string(),
                        message_id: target.to_string(),
                        text: text.to_string(),
                    };
                    engine.queue_reply(PLATFORM, change).await;
                    continue;
                }
                if replies_to(raw, root)
                    && let Some(reply) = self.reply_of(&room, root, raw).await
                {
                    engine.queue_reply(PLATFORM, Change::New(reply)).await;
                }
            }
        }
        Ok(())
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

    /// Whether this person is joined to a room the bot is joined to (not a direct one).
    pub(crate) async fn shares_a_room_with(&self, user: &matrix_sdk::ruma::UserId) -> bool {
        for room in self.client.joined_rooms() {
            if active_members(&room).await.is_none_or(|n| n <= 2) {
                continue;
            }
            if let Ok(Some(m)) = room.get_member(user).await
                && *m.membership() == matrix_sdk::ruma::events::room::member::MembershipState::Join
            {
                return true;
            }
        }
        false
    }

    /// The bot's direct room with a person: the existing one, or a new one
    /// (the person is invited; they read it once they accept).
    async fn direct_room(&self, user: &matrix_sdk::ruma::UserId) -> Result<Room, ChatError> {
        if let Some(room) = self.client.get_dm_room(user) {
            return Ok(room);
        }
        self.client.create_dm(user).await.map_err(classify)
    }

    async fn display_name(&self, room: &Room, user: &matrix_sdk::ruma::UserId) -> String {
        match room.get_member(user).await {
            Ok(Some(m)) => m.display_name().unwrap_or(user.localpart()).to_string(),
            _ => user.localpart().to_string(),
        }
    }

    /// A thread event turned into a reply, if it is a text message by someone else.
    async fn reply_of(&self, room: &Room, thread: &str, raw: &Value) -> Option<IncomingReply> {
        if raw["type"] != "m.room.message" {
            return None;
        }
        let sender = matrix_sdk::ruma::OwnedUserId::try_from(raw["sender"].as_str()?).ok()?;
        if sender == self.own_user {
            return None;
        }
        let content = &raw["content"];
        if content["m.relates_to"]["rel_type"] == "m.replace" {
            return None;
        }
        let text = strip_fallback(content["body"].as_str()?);
        let ts = raw["origin_server_ts"].as_i64().unwrap_or_default();
        Some(IncomingReply {
            thread_id: thread.to_string(),
            message_id: raw["event_id"].as_str()?.to_string(),
            author_name: self.display_name(room, &sender).await,
            author_id: sender.to_string(),
            text,
            at: DateTime::<Utc>::from_timestamp_millis(ts).unwrap_or_default(),
        })
    }
}

/// How many people are joined to or invited into a room, asked of the
/// homeserver when the store does not have the full member list (the sync's
/// summary can be stale or partial, and privacy depends on this count).
pub(crate) async fn active_members(room: &Room) -> Option<usize> {
    room.members(matrix_sdk::RoomMemberships::ACTIVE)
        .await
        .map(|m| m.len())
        .map_err(|e| tracing::warn!(error = %e, room = %room.room_id(), "reading a room's members"))
        .ok()
}

/// Whether an event answers the prompt `root`: in its thread, or as a plain
/// reply (`m.in_reply_to`) to it.
fn replies_to(raw: &Value, root: &str) -> bool {
    let relates = &raw["content"]["m.relates_to"];
    (relates["rel_type"] == "m.thread" && relates["event_id"] == root)
        || (relates["rel_type"].is_null() && relates["m.in_reply_to"]["event_id"] == root)
}

/// The HTML that names the people a prompt pings: each a link to them, with
/// the user id escaped in the attribute and the text (user ids may hold
/// quotes and angle brackets).
fn ping_links(pinged: &[OwnedUserId]) -> String {
    pinged
        .iter()
        .map(|u| {
            let href: String = u
                .as_str()
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'@' | b':' | b'.' | b'-' | b'_' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!(
                "<a href=\"https://matrix.to/#/{}\">{}</a>",
                html_escape(&href),
                html_escape(u.as_str())
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Text and HTML of a message that can never ping anyone.
pub(crate) fn quiet_content(msgtype: &str, text: &str, key: Option<&str>) -> Value {
    let body = text.replace("@room", "@\u{200b}room");
    let html = html_escape(&body).replace('\n', "<br>");
    let mut content = json!({
        "msgtype": msgtype,
        "body": body,
        "format": "org.matrix.custom.html",
        "formatted_body": html,
        "m.mentions": {},
    });
    if let Some(key) = key {
        content[KEY_FIELD] = json!(key);
    }
    content
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Drops the quoted fallback (`> <@user> …` lines) older clients put in replies.
fn strip_fallback(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let start = lines.iter().position(|l| !l.starts_with("> ")).unwrap_or(0);
    let rest = &lines[start..];
    let rest = if rest.first().is_some_and(|l| l.is_empty()) {
        &rest[1..]
    } else {
        rest
    };
    rest.join("\n").trim().to_string()
}

/// The user ids a schedule pings (`@a:hs,@b:hs`); anything else is dropped.
fn ping_list(ping: Option<&str>) -> Vec<OwnedUserId> {
    ping.unwrap_or_default()
        .split([',', ' '])
        .filter_map(|u| OwnedUserId::try_from(u.trim()).ok())
        .collect()
}

fn thread_relation(root: &str) -> Value {
    json!({ "rel_type": "m.thread", "event_id": root, "is_falling_back": true, "m.in_reply_to": { "event_id": root } })
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

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

#[async_trait]
impl Chat for MatrixChat {
    fn platform(&self) -> &'static str {
        PLATFORM
    }

    fn is_connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }

    async fn post_prompt(
        &self,
        channel: &str,
        prompt: &OutgoingPrompt,
    ) -> Result<Posted, ChatError> {
        let room = self.room(channel)?;
        let pinged = ping_list(prompt.ping.as_deref());
        let (ping_text, ping_html) = if pinged.is_empty() {
            (String::new(), String::new())
        } else {
            let names: Vec<String> = pinged.iter().map(|u| u.to_string()).collect();
            (
                format!("{}:\n", names.join(", ")),
                format!("{}:<br>", ping_links(&pinged)),
            )
        };
        let text = format!("{ping_text}{}\n\n{}", prompt.title, prompt.text);
        let mut content = quiet_content("m.text", &text, Some(&prompt.idempotency_key));
        content["formatted_body"] = json!(format!(
            "{ping_html}<strong>{}</strong><br><br>{}",
            html_escape(&prompt.title),
            html_escape(&prompt.text).replace('\n', "<br>")
        ));
        if !pinged.is_empty() {
            // Only the configured people, never the whole room.
            content["m.mentions"] = json!({ "user_ids": pinged });
        }
        let id = self
            .send(&room, content, Some(&prompt.idempotency_key))
            .await?;
        if let Err(e) = self
            .record_post(&room, &prompt.idempotency_key, id.as_str())
            .await
        {
            // The event itself still carries the key for a later lookup.
            tracing::warn!(error = %e, "recording a prompt in the room's account data");
        }
        Ok(Posted {
            message_id: id.to_string(),
            thread_id: id.to_string(),
        })
    }

    async fn find_post(
        &self,
        channel: &str,
        prompt: &OutgoingPrompt,
        since: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        let key = prompt.idempotency_key.as_str();
        let room = self.room(channel)?;
        let sent = |id: &str| {
            Lookup::Sent(Posted {
                message_id: id.to_string(),
                thread_id: id.to_string(),
            })
        };
        // The record any device of the account can read.
        let data = self.room_data(&room, POSTS_DATA).await?;
        if let Some(id) = data[key]["event_id"].as_str() {
            return Ok(sent(id));
        }
        // Else the room itself, back to the claim.
        let from = since.timestamp_millis() - SKEW_MS;
        let events = self
            .read_back(&room, |e| {
                e["origin_server_ts"].as_i64().is_some_and(|t| t < from)
            })
            .await?;
        let mut unreadable = false;
        for raw in &events {
            if raw["sender"].as_str() != Some(self.own_user.as_str()) {
                continue;
            }
            if raw["content"][KEY_FIELD] == key || raw["unsigned"]["transaction_id"] == key {
                return Ok(sent(raw["event_id"].as_str().unwrap_or_default()));
            }
            unreadable |= raw["type"] == "m.room.encrypted";
        }
        if unreadable {
            return Ok(Lookup::Unknown(
                "this device cannot decrypt Ponder's own messages sent in the room since the post was claimed, \
                 so it cannot tell whether the prompt went out"
                    .into(),
            ));
        }
        Ok(Lookup::NotSent)
    }

    async fn open_thread(
        &self,
        _channel: &str,
        _posted: &Posted,
        _title: &str,
        _open_for: Duration,
    ) -> Result<(), ChatError> {
        Ok(()) // the prompt event is the thread's root
    }

    async fn send_in_channel(&self, channel: &str, text: &str) -> Result<String, ChatError> {
        let room = self.room(channel)?;
        Ok(self
            .send(&room, quiet_content("m.notice", text, None), None)
            .await?
            .to_string())
    }

    async fn send_in_thread(
        &self,
        channel: &str,
        thread_id: &str,
        text: &str,
    ) -> Result<String, ChatError> {
        let room = self.room(channel)?;
        let mut content = quiet_content("m.text", text, None);
        content["m.relates_to"] = thread_relation(thread_id);
        Ok(self.send(&room, content, None).await?.to_string())
    }

    async fn replies_after(
        &self,
        channel: &str,
        thread_id: &str,
        after: Option<&str>,
    ) -> Result<Vec<IncomingReply>, ChatError> {
        let room = self.room(channel)?;
        OwnedEventId::try_from(thread_id)
            .map_err(|_| ChatError::Refused(format!("bad event id {thread_id}")))?;
        // Threaded and plain replies alike: the room, read back to the prompt.
        let mut out = Vec::new();
        for raw in self.after_root(&room, thread_id).await? {
            if replies_to(&raw, thread_id)
                && let Some(r) = self.reply_of(&room, thread_id, &raw).await
            {
                out.push(r);
            }
        }
        if let Some(after) = after
            && let Some(i) = out.iter().position(|r| r.message_id == after)
        {
            out.drain(..=i);
        }
        Ok(out)
    }

    async fn close_thread(&self, _channel: &str, _thread_id: &str) -> Result<(), ChatError> {
        Ok(()) // Matrix threads cannot be closed
    }

    async fn send_direct(&self, user_id: &str, text: &str) -> Result<(), ChatError> {
        let user = OwnedUserId::try_from(user_id)
            .map_err(|_| ChatError::Refused(format!("`{user_id}` is not a Matrix user id")))?;
        let room = self.direct_room(&user).await?;
        self.send(&room, quiet_content("m.notice", text, None), None)
            .await?;
        Ok(())
    }

    async fn set_pinned(
        &self,
        channel: &str,
        message_id: &str,
        pinned: bool,
    ) -> Result<(), ChatError> {
        let room = self.room(channel)?;
        let event = OwnedEventId::try_from(message_id)
            .map_err(|_| ChatError::Refused(format!("bad event id {message_id}")))?;
        let done = if pinned {
            room.pin_event(&event).await
        } else {
            room.unpin_event(&event).await
        };
        done.map(|_| ()).map_err(|e| match classify(e) {
            ChatError::Refused(why) => ChatError::Refused(format!(
                "cannot change the room's pinned events (power level for m.room.pinned_events): {why}"
            )),
            other => other,
        })
    }

    async fn delete_own(
        &self,
        channel: &str,
        _thread_id: &str,
        message_id: &str,
    ) -> Result<(), ChatError> {
        let room = self.room(channel)?;
        let event = OwnedEventId::try_from(message_id)
            .map_err(|_| ChatError::Refused(format!("bad event id {message_id}")))?;
        // No reason: a redaction must not point at whoever asked for it.
        room.redact(&event, None, None)
            .await
            .map(|_| ())
            .map_err(|e| classify(e.into()))
    }

    async fn missing_permissions(
        &self,
        channel: &str,
        needs: &Needs,
    ) -> Result<Vec<String>, ChatError> {
        use matrix_sdk::ruma::events::{MessageLikeEventType, StateEventType};
        let room = self.room(channel)?;
        let levels = room
            .power_levels()
            .await
            .map_err(|e| ChatError::Transient(format!("reading the room's power levels: {e}")))?;
        let me = &self.own_user;
        let mine = match levels.for_user(me) {
            matrix_sdk::ruma::events::room::power_levels::UserPowerLevel::Int(n) => {
                i64::from(n).to_string()
            }
            _ => "the highest".to_string(),
        };
        let mut out = Vec::new();
        let mut need = |what: &str, level: i64| {
            out.push(format!("{what} (power level {level}; Ponder has {mine})"));
        };
        if !levels.user_can_send_message(me, MessageLikeEventType::RoomMessage) {
            let level = levels
                .events
                .get(&MessageLikeEventType::RoomMessage.into())
                .map(|l| i64::from(*l))
                .unwrap_or(i64::from(levels.events_default));
            need("send messages", level);
        }
        if !levels.user_can_redact_own_event(me) {
            need(
                "redact its own messages (for forget-me)",
                i64::from(levels.redact),
            );
        }
        if needs.pin && !levels.user_can_send_state(me, StateEventType::RoomPinnedEvents) {
            let level = levels
                .events
                .get(&StateEventType::RoomPinnedEvents.into())
                .map(|l| i64::from(*l))
                .unwrap_or(i64::from(levels.state_default));
            need("pin messages (m.room.pinned_events)", level);
        }
        for list in &needs.ping {
            for user in ping_list(Some(list)) {
                let joined = matches!(
                    room.get_member(&user).await,
                    Ok(Some(m)) if *m.membership() == matrix_sdk::ruma::events::room::member::MembershipState::Join
                );
                if !joined {
                    out.push(format!("{user} to ping is not in this room"));
                }
            }
        }
        Ok(out)
    }

    async fn is_member(&self, channel: &str, user_id: &str) -> Result<bool, ChatError> {
        let room = self.room(channel)?;
        let Ok(user) = OwnedUserId::try_from(user_id) else {
            return Ok(false);
        };
        Ok(matches!(
            room.get_member(&user).await,
            Ok(Some(m)) if *m.membership() == matrix_sdk::ruma::events::room::member::MembershipState::Join
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ping_link_escapes_the_user_id_in_its_href_and_its_text() {
        let user =
            OwnedUserId::try_from("@x\"><img/src=y>:localhost").expect("a historical user id");
        let html = ping_links(&[user]);
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("\"><"), "{html}");
        assert_eq!(
            html,
            "<a href=\"https://matrix.to/#/@x%22%3E%3Cimg%2Fsrc%3Dy%3E:localhost\">@x&quot;&gt;&lt;img/src=y&gt;:localhost</a>"
        );
    }
}
