//! The handle tests and the binary hold: start, addresses, faults and inspection.
//! Member actions (messages, slash commands, modals) are in `actions.rs`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::task::JoinHandle;

use crate::config::EmulatorConfig;
use crate::faults::RoutePattern;
use crate::ids::Snowflake;
use crate::model::{Channel, Message, ScriptedGuild};
use crate::record::{GatewayFrame, RecordedRequest};
use crate::server::{self, AppState};
use crate::world::World;

/// A running Discord emulator on 127.0.0.1. Cheap to clone; stops when the last clone drops
/// (or on [`Emulator::shutdown`]).
#[derive(Clone)]
pub struct Emulator {
    inner: Arc<Inner>,
}

struct Inner {
    app: AppState,
    addr: SocketAddr,
    shutdown: tokio::sync::watch::Sender<bool>,
    task: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        self.app.world().drop_connections();
        if let Some(task) = self.task.lock().unwrap_or_else(|e| e.into_inner()).take() {
            task.abort();
        }
    }
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.inner.addr)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Binds 127.0.0.1 (port from the config, `0` for any), scripts the world and serves.
    pub async fn start(config: EmulatorConfig) -> anyhow::Result<Self> {
        let running = server::start(config).await?;
        Ok(Self {
            inner: Arc::new(Inner {
                app: running.app,
                addr: running.addr,
                shutdown: running.shutdown,
                task: std::sync::Mutex::new(Some(running.task)),
            }),
        })
    }

    /// Stops serving and drops every gateway connection.
    pub async fn shutdown(self) {
        let _ = self.inner.shutdown.send(true);
        self.with_world(World::drop_connections);
        let task = self
            .inner
            .task
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(task) = task {
            let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
    }

    /// Runs `f` under the world lock. It does not wake [`Emulator::wait_until`] (that would
    /// make a waiting check wake itself); the bot's requests and frames do.
    pub(crate) fn with_world<T>(&self, f: impl FnOnce(&mut World) -> T) -> T {
        f(&mut self.inner.app.world())
    }

    // ----- addresses and scripted ids -----

    /// `http://127.0.0.1:P`: give it to serenity's `HttpBuilder::proxy`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    /// `ws://127.0.0.1:P/gateway`, what `GET /gateway` answers.
    pub fn gateway_url(&self) -> String {
        format!("ws://{}/gateway", self.inner.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    /// The bot token the emulator accepts.
    pub fn token(&self) -> String {
        self.with_world(|w| w.config.token.clone())
    }

    pub fn bot_user_id(&self) -> Snowflake {
        self.with_world(|w| w.bot_id)
    }

    /// Equal to the bot user id, as on Discord.
    pub fn application_id(&self) -> Snowflake {
        self.with_world(|w| w.app_id)
    }

    /// The first scripted guild.
    pub fn guild(&self) -> ScriptedGuild {
        self.with_world(|w| w.scripted[0].clone())
    }

    /// Every scripted guild, in creation order.
    pub fn guilds(&self) -> Vec<ScriptedGuild> {
        self.with_world(|w| w.scripted.clone())
    }

    // ----- faults -----

    /// Closes every gateway socket without a close frame, like a network failure. Sessions
    /// stay resumable: dispatches sent meanwhile are replayed after RESUME.
    pub fn drop_gateway(&self) {
        self.with_world(World::drop_connections);
    }

    /// Closes every gateway socket with a close frame carrying `code` (e.g. 4000 unknown
    /// error: the client resumes; 4009 session timed out: the session is gone, RESUME gets
    /// INVALID_SESSION and the client identifies again).
    pub fn close_gateway(&self, code: u16) {
        self.with_world(|w| w.close_connections(code, "closed by the emulator"));
    }

    /// Sends op 7 RECONNECT, asking the client to reconnect and resume.
    pub fn request_reconnect(&self) {
        self.with_world(World::request_reconnect);
    }

    /// The next `count` requests matching `route` (see [`RoutePattern`]) fail with `status`
    /// and `{"message": "<status>: <reason>", "code": 0}`.
    pub fn fail_next(&self, route: &str, status: u16, count: u32) {
        let pattern = RoutePattern::parse(route);
        self.with_world(|w| w.faults.fail_next(pattern, status, count));
    }

    /// The next `count` requests matching `route` are applied (the message, thread or DM
    /// exists afterwards) and then answered 502, as when a proxy loses Discord's answer: the
    /// client cannot tell whether its request took effect.
    pub fn lose_response_next(&self, route: &str, count: u32) {
        let pattern = RoutePattern::parse(route);
        self.with_world(|w| w.faults.lose_next(pattern, count));
    }

    /// The next `count` requests matching `route` get 429 with `retry_after` seconds
    /// (body `{"message","retry_after","global":false}`, headers `Retry-After` and
    /// `X-RateLimit-*`). A request arriving before the window ends gets another 429 and
    /// counts in [`Emulator::early_retries`].
    pub fn rate_limit(&self, route: &str, count: u32, retry_after_secs: f64) {
        let pattern = RoutePattern::parse(route);
        let after = Duration::from_secs_f64(retry_after_secs.max(0.0));
        self.with_world(|w| w.faults.rate_limit(pattern, count, after));
    }

    /// Denies the bot permission bits (see [`crate::perms::permission`]) in a channel and its
    /// threads: creating messages or threads there then fails with 403 code 50013
    /// (VIEW_CHANNEL: 50001 on every channel route). The channel's payloads (and its
    /// threads') show it as a member overwrite for the bot, announced by CHANNEL_UPDATE.
    pub fn deny_permission(&self, channel: Snowflake, permissions: u64) {
        self.with_world(|w| w.change_denied(channel, |bits| bits | permissions));
    }

    /// Undoes [`Emulator::deny_permission`] for these bits.
    pub fn allow_permission(&self, channel: Snowflake, permissions: u64) {
        self.with_world(|w| w.change_denied(channel, |bits| bits & !permissions));
    }

    /// Deletes a channel or thread (CHANNEL_DELETE / THREAD_DELETE); later requests for it
    /// get 404 `{"message":"Unknown Channel","code":10003}`.
    pub fn delete_channel(&self, channel: Snowflake) -> anyhow::Result<Channel> {
        Ok(self.with_world(|w| w.delete_channel(channel))?)
    }

    // ----- inspection -----

    /// Visible messages of a channel, thread or DM channel, oldest first (ephemeral ones
    /// excluded).
    pub fn messages(&self, channel: Snowflake) -> Vec<Message> {
        self.with_world(|w| {
            w.messages
                .get(&channel)
                .map(|m| m.values().filter(|m| !m.is_ephemeral()).cloned().collect())
                .unwrap_or_default()
        })
    }

    /// One message (ephemeral ones included).
    pub fn message(&self, channel: Snowflake, id: Snowflake) -> Option<Message> {
        self.with_world(|w| w.message(channel, id).ok().cloned())
    }

    pub fn channel(&self, id: Snowflake) -> Option<Channel> {
        self.with_world(|w| w.channels.get(&id).cloned())
    }

    /// Threads whose parent is `channel`, oldest first.
    pub fn threads(&self, channel: Snowflake) -> Vec<Channel> {
        self.with_world(|w| {
            let mut threads: Vec<Channel> = w
                .channels
                .values()
                .filter(|c| c.parent_id == Some(channel))
                .cloned()
                .collect();
            threads.sort_by_key(|c| c.id);
            threads
        })
    }

    /// Registered commands as Discord stores them: `None` for global, `Some(guild)`.
    pub fn commands(&self, guild: Option<Snowflake>) -> Vec<Value> {
        self.with_world(|w| w.list_commands(guild))
    }

    /// How many times attachments named `filename` (the bot's files or files members
    /// uploaded with a command) were fetched from their `url`.
    pub fn attachment_downloads(&self, filename: &str) -> u32 {
        self.with_world(|w| w.downloads_of(filename))
    }

    /// Every REST request, oldest first (bounded by `log_limit`).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.with_world(|w| w.requests.to_vec())
    }

    /// Requests to routes the emulator does not implement (answered 404). Tests should
    /// assert this stays empty.
    pub fn unknown_routes(&self) -> Vec<RecordedRequest> {
        self.with_world(|w| w.unknown_routes.clone())
    }

    /// Every frame written to a gateway socket, oldest first (bounded by `log_limit`).
    pub fn gateway_events_sent(&self) -> Vec<GatewayFrame> {
        self.with_world(|w| w.frames.to_vec())
    }

    /// Names of dispatches written to sockets, in order.
    pub fn dispatch_names(&self) -> Vec<String> {
        self.with_world(|w| w.frames.iter().filter_map(|f| f.event.clone()).collect())
    }

    /// How many dispatches named `event` were written (cheap enough to poll).
    pub fn dispatch_count(&self, event: &str) -> usize {
        self.with_world(|w| {
            w.frames
                .iter()
                .filter(|f| f.event.as_deref() == Some(event))
                .count()
        })
    }

    pub fn identify_count(&self) -> u32 {
        self.with_world(|w| w.identify_count)
    }

    /// The close codes IDENTIFYs and RESUMEs were refused with (4004, 4011, …), in order.
    pub fn refused_with(&self) -> Vec<u16> {
        self.with_world(|w| w.refusals.clone())
    }

    /// Gateway connections that asked for `compress=zlib-stream` (discord.py does;
    /// serenity does not) and got every frame as part of one zlib stream.
    pub fn zlib_stream_connections(&self) -> u32 {
        self.with_world(|w| w.zlib_stream_connections)
    }

    pub fn resume_count(&self) -> u32 {
        self.with_world(|w| w.resume_count)
    }

    /// Gateway sessions currently attached to a socket.
    pub fn connected_sessions(&self) -> usize {
        self.with_world(|w| w.sessions.values().filter(|s| s.conn.is_some()).count())
    }

    /// Requests that came back before their 429 window ended (a client not honouring
    /// `retry_after`).
    pub fn early_retries(&self) -> u32 {
        self.with_world(|w| w.faults.early_retries)
    }

    /// Polls `check` until it returns `Some`, waking on every request and gateway frame,
    /// or fails after `timeout`.
    pub async fn wait_until<T>(
        &self,
        timeout: Duration,
        mut check: impl FnMut(&Emulator) -> Option<T>,
    ) -> anyhow::Result<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let changed = self.inner.app.changed.notified();
            if let Some(value) = check(self) {
                return Ok(value);
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                anyhow::bail!("condition not met within {timeout:?}");
            }
            let tick = (deadline - now).min(Duration::from_millis(25));
            let _ = tokio::time::timeout(tick, changed).await;
        }
    }
}
