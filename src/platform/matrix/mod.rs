//! The Matrix platform (matrix-sdk 0.18). A channel is a room; a prompt is an
//! `m.room.message` and its thread is the set of `m.thread` relations to it
//! (plain replies to the prompt count too). Commands are `!ponder …` text,
//! answered as `m.notice` in the command's thread (or the room).
//!
//! The SDK keeps its session, sync token and encryption keys in a SQLite
//! store under the data directory, so a restart is the same device, resumes
//! the sync where it stopped, and can read and write encrypted rooms.

mod handlers;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::SyncSettings;
use matrix_sdk::room::{IncludeRelations, RelationsOptions};
use matrix_sdk::ruma::api::Direction;
use matrix_sdk::ruma::events::relation::RelationType;
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

pub struct MatrixChat {
    client: Client,
    config: MatrixConfig,
    own_user: OwnedUserId,
    connected: AtomicBool,
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
        tracing::info!(user = %own_user, device = ?client.device_id(), restored, "Matrix session ready");
        client
            .sync_once(SyncSettings::default())
            .await
            .context("the first Matrix sync")?;
        Ok(Arc::new(MatrixChat {
            client,
            config: config.clone(),
            own_user,
            connected: AtomicBool::new(true),
        }))
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Attaches the event handlers and syncs until shutdown.
    pub async fn run(self: Arc<Self>, engine: Arc<Engine>, mut shutdown: Shutdown) {
        handlers::attach(&self, engine.clone());
        let mut backoff = Duration::from_secs(1);
        loop {
            let settings = SyncSettings::default().timeout(Duration::from_secs(10));
            let synced = tokio::select! {
                r = self.client.sync_once(settings) => r,
                _ = shutdown.recv() => break,
            };
            match synced {
                Ok(response) => {
                    let was_down = !self.connected.swap(true, Ordering::Relaxed);
                    backoff = Duration::from_secs(1);
                    // After an outage or a gap in a room's timeline, read the
                    // open threads from where the store stops.
                    let gap = response.rooms.joined.values().any(|r| r.timeline.limited);
                    if was_down || gap {
                        tracing::info!(was_down, gap, "catching up on thread replies");
                        if let Err(e) = engine.collect_missed_replies().await {
                            tracing::warn!(error = %format!("{e:#}"), "catching up on thread replies");
                        }
                    }
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
            let links: Vec<String> = pinged
                .iter()
                .map(|u| {
                    format!(
                        "<a href=\"https://matrix.to/#/{u}\">{}</a>",
                        html_escape(u.as_str())
                    )
                })
                .collect();
            (
                format!("{}:\n", names.join(", ")),
                format!("{}:<br>", links.join(", ")),
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
        Ok(Posted {
            message_id: id.to_string(),
            thread_id: id.to_string(),
        })
    }

    async fn find_post(
        &self,
        channel: &str,
        prompt: &OutgoingPrompt,
        _since: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        let key = prompt.idempotency_key.as_str();
        let room = self.room(channel)?;
        let mut options = matrix_sdk::room::MessagesOptions::backward();
        options.limit = UInt::from(100u32);
        let messages = room.messages(options).await.map_err(classify)?;
        for event in messages.chunk {
            let Ok(raw) = event.raw().deserialize_as::<Value>() else {
                continue;
            };
            let ours = raw["sender"].as_str() == Some(self.own_user.as_str());
            let marked =
                raw["content"][KEY_FIELD] == key || raw["unsigned"]["transaction_id"] == key;
            if ours && marked {
                let id = raw["event_id"].as_str().unwrap_or_default().to_string();
                return Ok(Lookup::Sent(Posted {
                    message_id: id.clone(),
                    thread_id: id,
                }));
            }
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
        let root = OwnedEventId::try_from(thread_id)
            .map_err(|_| ChatError::Refused(format!("bad event id {thread_id}")))?;
        let mut events = Vec::new();
        let mut from = None;
        loop {
            let opts = RelationsOptions {
                from: from.take(),
                dir: Direction::Backward,
                limit: Some(UInt::from(100u32)),
                include_relations: IncludeRelations::RelationsOfType(RelationType::Thread),
                ..Default::default()
            };
            let page = room.relations(root.clone(), opts).await.map_err(classify)?;
            events.extend(page.chunk);
            match page.next_batch_token {
                Some(t) => from = Some(t),
                None => break,
            }
        }
        events.reverse(); // oldest first
        let mut out = Vec::new();
        for e in events {
            let Ok(raw) = e.raw().deserialize_as::<Value>() else {
                continue;
            };
            if let Some(r) = self.reply_of(&room, thread_id, &raw).await {
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
        room.redact(&event, Some("erased at the author's request"), None)
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
