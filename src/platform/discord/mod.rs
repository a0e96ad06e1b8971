//! The Discord platform: serenity + poise for the gateway and slash commands,
//! and Ponder's own REST path ([`rest`]) for posting.
//!
//! A prompt is a message in the channel with a public thread started from it
//! (Discord's rule: the thread id is the message id, so replies that arrive
//! before the thread-creation answer are already routed). In a forum channel
//! the prompt is the forum post itself. Nothing Ponder sends can ping.
//!
//! # Exactly once
//!
//! Each post's key (see [`crate::engine::OutgoingPrompt::idempotency_key`])
//! travels twice with its message:
//!
//! - as the `nonce` with `enforce_nonce`: Discord then drops a second send with
//!   the same nonce *for a few minutes* and answers with the first message. So
//!   a retry within seconds (a 5xx, a lost answer) can never make two messages.
//!   Discord echoes the nonce only in that answer and in MESSAGE_CREATE, never
//!   in the channel's history, so it cannot find a post after a crash;
//! - in the footer of one small embed, `Ponder · ref <key>`: the one thing a
//!   message carries that members barely see and history returns. (Content
//!   markers, even invisible characters, reach screen readers and copies;
//!   a button would need a handler.) Digests carry theirs the same way.
//!
//! After a crash, [`Chat::find_post`] looks for the message whose footer names
//! the post's key, never for its text (the rotation repeats prompts): in a
//! text channel it pages back through history (`before=`, 100 at a time) to
//! the post's claim time less [`CLOCK_SKEW`]; in a forum it reads the forum's
//! active threads and its archived ones (newest archived first, down to the
//! claim time) and looks at each candidate's starter message. Found: the post
//! was sent. Looked back far enough and not found: it was not sent. When it
//! cannot tell (more than [`MAX_LOOKBACK`] messages to read, a message of the
//! bot's own with the prompt's text and no reference, as an older Ponder sent,
//! or a candidate forum post whose starter message is gone) it answers
//! [`Lookup::Unknown`], and the engine does not send a second copy: it tells
//! the channel's admins instead.

mod buttons;
mod codes;
mod commands;
mod gateway;
mod interaction;
mod permissions;
pub mod rest;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{Value, json};

pub use gateway::run;

use crate::config::{Config, DiscordConfig};
use crate::engine::{
    Chat, ChatError, Engine, IncomingReply, Lookup, Needs, OutgoingPrompt, Posted,
};
use crate::secret::{self, SecretString};
use rest::Rest;

pub const PLATFORM: &str = "discord";
const GUILD_TEXT: i64 = 0;
const GUILD_ANNOUNCEMENT: i64 = 5;
const GUILD_FORUM: i64 = 15;
/// A forum that requires a tag on every post.
const REQUIRE_TAG: i64 = 1 << 4;
/// How much earlier than its claim time a post's message may look, since
/// Discord's clock and ours differ.
pub const CLOCK_SKEW: chrono::Duration = chrono::Duration::minutes(10);
/// How many channel messages (or forum posts) [`Chat::find_post`] reads
/// before it gives up and answers that it cannot tell.
pub const MAX_LOOKBACK: usize = 5000;

/// The error slash commands and event handlers return.
pub type Error = anyhow::Error;

/// The adapter's state, shared by the gateway's handlers and the slash commands.
pub struct Data {
    pub engine: Arc<Engine>,
    pub chat: Arc<DiscordChat>,
    /// The channels Ponder posts in (at start), whose GUILD_CREATE entries are
    /// kept so their first post needs no `GET /channels/{id}`.
    ours: HashSet<String>,
    /// Which registration of the message collector is the live one.
    collector: Arc<AtomicU64>,
    /// The bot's own user id, from READY.
    bot_id: std::sync::OnceLock<poise::serenity_prelude::UserId>,
}

pub struct DiscordChat {
    rest: Rest,
    pub(crate) config: DiscordConfig,
    pub(crate) token: SecretString,
    /// Forum tags (names or ids) per channel id, from the config.
    forum_tags: HashMap<String, Vec<String>>,
    /// Channel id → its channel object, fetched once.
    channels: Mutex<HashMap<String, Value>>,
    connected: AtomicBool,
}

impl std::fmt::Debug for DiscordChat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscordChat")
            .field("rest", &self.rest)
            .finish_non_exhaustive()
    }
}

impl DiscordChat {
    pub fn new(config: &Config) -> anyhow::Result<DiscordChat> {
        let d = config
            .discord
            .clone()
            .ok_or_else(|| anyhow::anyhow!("no [discord] section"))?;
        let token = secret::load(
            "Discord bot token",
            "DISCORD_TOKEN",
            "token_file",
            d.token_file.as_deref(),
        )?;
        let forum_tags = config
            .channels
            .iter()
            .filter(|c| c.platform.get_ref() == PLATFORM && !c.forum_tags.is_empty())
            .map(|c| (c.id.clone(), c.forum_tags.clone()))
            .collect();
        Ok(DiscordChat {
            rest: Rest::new(d.api_base.as_deref(), token.clone()),
            config: d,
            token,
            forum_tags,
            channels: Mutex::default(),
            connected: AtomicBool::new(false),
        })
    }

    /// Keeps a channel's facts as the gateway announced them, so the first
    /// post there needs no `GET /channels/{id}` (a burst of slots stays
    /// within Discord's 50 requests per second).
    pub(crate) fn remember_channel(&self, id: String, channel: Value) {
        self.channels.lock().unwrap().insert(id, channel);
    }

    pub(crate) fn set_connected(&self, up: bool) {
        self.connected.store(up, Ordering::Relaxed);
    }

    async fn channel(&self, id: &str) -> Result<Value, ChatError> {
        if let Some(c) = self.channels.lock().unwrap().get(id) {
            return Ok(c.clone());
        }
        let c = self
            .rest
            .call(Method::GET, &format!("/channels/{id}"), None)
            .await
            .map_err(|e| e.meaning("View Channel", id))?;
        self.channels
            .lock()
            .unwrap()
            .insert(id.to_string(), c.clone());
        Ok(c)
    }

    /// The tags a forum post gets: the configured ones (by name or id), else,
    /// when the forum requires a tag, its first tag that anyone may apply.
    fn tags_for(&self, channel: &str, forum: &Value) -> Result<Vec<String>, ChatError> {
        let available = forum["available_tags"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut tags = Vec::new();
        for wanted in self.forum_tags.get(channel).into_iter().flatten() {
            match available
                .iter()
                .find(|t| t["id"] == wanted.as_str() || t["name"] == wanted.as_str())
            {
                Some(t) => tags.push(t["id"].as_str().unwrap_or_default().to_string()),
                None => {
                    tracing::warn!(channel, tag = %wanted, "configured forum tag not found in the forum")
                }
            }
        }
        let required = forum["flags"].as_i64().unwrap_or(0) & REQUIRE_TAG != 0;
        if tags.is_empty() && required {
            match available.iter().find(|t| t["moderated"] != true) {
                Some(t) => tags.push(t["id"].as_str().unwrap_or_default().to_string()),
                None => {
                    return Err(ChatError::Refused(format!(
                        "forum {channel} requires a tag and has none Ponder may apply: set forum_tags for it"
                    )));
                }
            }
        }
        Ok(tags)
    }

    /// Pages back through a channel's (or thread's) history, newest first,
    /// down to `floor`, for the bot's message carrying `wanted` in its
    /// footer. `legacy`: the text an unmarked message of an older Ponder
    /// would have; finding one makes the answer [`Lookup::Unknown`].
    async fn find_message(
        &self,
        channel: &str,
        wanted: &str,
        legacy: Option<&str>,
        floor: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        let floor_id = snowflake_at(floor);
        let mut before: Option<u64> = None;
        let mut unmarked = false;
        let mut read = 0;
        loop {
            let path = match before {
                Some(b) => format!("/channels/{channel}/messages?limit=100&before={b}"),
                None => format!("/channels/{channel}/messages?limit=100"),
            };
            let page = self
                .rest
                .call(Method::GET, &path, None)
                .await
                .map_err(|e| e.meaning("Read Message History", channel))?;
            let page = page.as_array().cloned().unwrap_or_default();
            let mut reached = page.len() < 100;
            for m in &page {
                let id = id_of(m);
                if id < floor_id {
                    reached = true;
                    continue;
                }
                if m["author"]["bot"] != true {
                    continue;
                }
                if has_reference(m, wanted) {
                    let id = id.to_string();
                    return Ok(Lookup::Sent(Posted {
                        message_id: id.clone(),
                        thread_id: id,
                    }));
                }
                if legacy.is_some_and(|t| m["content"] == t) && !has_any_reference(m) {
                    unmarked = true;
                }
            }
            read += page.len();
            if reached {
                break;
            }
            if read >= MAX_LOOKBACK {
                return Ok(Lookup::Unknown(format!(
                    "read the newest {read} messages of channel {channel} without reaching the post's claim time"
                )));
            }
            before = page.iter().map(id_of).min();
        }
        Ok(if unmarked {
            Lookup::Unknown(format!(
                "channel {channel} has a message of Ponder's with this prompt's text and no reference, sent after the post was claimed"
            ))
        } else {
            Lookup::NotSent
        })
    }

    /// [`Chat::find_post`] in a forum: the forum's threads made since
    /// `floor`, active and archived, by their starter message's reference.
    async fn find_forum_post(
        &self,
        channel: &str,
        forum: &Value,
        prompt: &OutgoingPrompt,
        wanted: &str,
        floor: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        let floor_id = snowflake_at(floor);
        let guild = forum["guild_id"].as_str().unwrap_or_default();
        let active = self
            .rest
            .call(
                Method::GET,
                &format!("/guilds/{guild}/threads/active"),
                None,
            )
            .await
            .map_err(|e| e.meaning("View Channel", channel))?;
        let mut candidates: Vec<Value> = active["threads"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["parent_id"] == channel)
            .cloned()
            .collect();
        // Archived posts, most recently archived first: one archived before
        // the floor was made before it too.
        let mut before: Option<String> = None;
        loop {
            let path = match &before {
                Some(b) => {
                    format!("/channels/{channel}/threads/archived/public?limit=100&before={b}")
                }
                None => format!("/channels/{channel}/threads/archived/public?limit=100"),
            };
            let page = self
                .rest
                .call(Method::GET, &path, None)
                .await
                .map_err(|e| e.meaning("Read Message History", channel))?;
            let threads = page["threads"].as_array().cloned().unwrap_or_default();
            let archived_at = |t: &Value| {
                t["thread_metadata"]["archive_timestamp"]
                    .as_str()
                    .and_then(|a| DateTime::parse_from_rfc3339(a).ok())
                    .map(|a| a.with_timezone(&Utc))
            };
            let oldest = threads.iter().filter_map(archived_at).min();
            candidates.extend(threads.iter().cloned());
            if candidates.len() > MAX_LOOKBACK {
                return Ok(Lookup::Unknown(format!(
                    "read {} posts of forum {channel} without reaching the post's claim time",
                    candidates.len()
                )));
            }
            match oldest {
                Some(o) if page["has_more"] == true && o >= floor => {
                    before = Some(o.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
                }
                _ => break,
            }
        }
        candidates.retain(|t| id_of(t) >= floor_id);
        let content = prompt_content(prompt);
        let mut unsure = None;
        for t in candidates {
            let id = t["id"].as_str().unwrap_or_default().to_string();
            let starter = self
                .rest
                .call(Method::GET, &format!("/channels/{id}/messages/{id}"), None)
                .await;
            match starter {
                Ok(m) if has_reference(&m, wanted) => {
                    return Ok(Lookup::Sent(Posted {
                        message_id: id.clone(),
                        thread_id: id,
                    }));
                }
                Ok(m) => {
                    if m["author"]["bot"] == true
                        && m["content"] == content.as_str()
                        && !has_any_reference(&m)
                    {
                        unsure = Some(format!(
                            "forum post {id} has this prompt's text and no reference"
                        ));
                    }
                }
                Err(e) if e.code() == Some(codes::UNKNOWN_MESSAGE) => {
                    if t["name"] == prompt.title.as_str() {
                        unsure = Some(format!(
                            "forum post {id} has this prompt's title and its first message is deleted"
                        ));
                    }
                }
                Err(e) => return Err(e.meaning("Read Message History", &id)),
            }
        }
        Ok(match unsure {
            Some(why) => Lookup::Unknown(why),
            None => Lookup::NotSent,
        })
    }

    /// The configured server's gateway address (`GET /gateway/bot`), asked
    /// again with backoff until it answers; `None` on shutdown.
    pub(crate) async fn gateway_url(
        &self,
        shutdown: &mut crate::shutdown::Shutdown,
    ) -> Option<String> {
        let mut wait = Duration::from_millis(500);
        loop {
            match self.rest.call(Method::GET, "/gateway/bot", None).await {
                Ok(v) if v["url"].is_string() => {
                    return v["url"].as_str().map(str::to_string);
                }
                Ok(_) => {
                    tracing::warn!("the Discord server's gateway answer has no url; asking again")
                }
                Err(e) => {
                    tracing::warn!(error = ?e, retry_in = ?wait, "could not ask the configured Discord server for its gateway; asking again (never another server)")
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = shutdown.recv() => return None,
            }
            wait = (wait * 2).min(Duration::from_secs(30));
        }
    }

    fn archive_minutes(&self) -> u16 {
        self.config.archive_minutes().unwrap_or(1440)
    }
}

impl DiscordChat {
    /// Whether a user is in the channel's server and may see the channel
    /// (View Channel, computed as Discord does from the roles and the
    /// channel's overwrites as they are now).
    async fn can_view(&self, channel: &str, user_id: &str) -> Result<bool, ChatError> {
        let get = |path: String| async move { self.rest.call(Method::GET, &path, None).await };
        let ch = get(format!("/channels/{channel}"))
            .await
            .map_err(|e| e.meaning("View Channel", channel))?;
        let Some(guild_id) = ch["guild_id"].as_str() else {
            return Ok(false);
        };
        let member = match get(format!("/guilds/{guild_id}/members/{user_id}")).await {
            Ok(m) => m,
            // Unknown Member / Unknown User: not in that server.
            Err(e)
                if matches!(
                    e.code(),
                    Some(codes::UNKNOWN_MEMBER) | Some(codes::UNKNOWN_USER)
                ) =>
            {
                return Ok(false);
            }
            Err(e) => return Err(e.meaning("View Channel", channel)),
        };
        let guild = get(format!("/guilds/{guild_id}"))
            .await
            .map_err(|e| e.meaning("View Channel", channel))?;
        let member_roles: Vec<String> = member["roles"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str().map(String::from))
            .collect();
        let have = permissions::compute(
            guild_id,
            guild["owner_id"].as_str().unwrap_or_default(),
            user_id,
            &member_roles,
            guild["roles"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default(),
            ch["permission_overwrites"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default(),
        );
        Ok(have & permissions::VIEW_CHANNEL != 0)
    }
}

/// When a snowflake was made: its top 42 bits are milliseconds since 2015.
pub(crate) fn snowflake_time(id: u64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(((id >> 22) + 1_420_070_400_000) as i64).unwrap_or_default()
}

/// Message content and options that can never ping anyone.
fn quiet(content: &str) -> Value {
    json!({ "content": content, "allowed_mentions": { "parse": [] } })
}

/// The footer that names a message's key (see the module docs).
pub fn reference(key: &str) -> String {
    format!("Ponder · ref {key}")
}

/// A message that can never ping, carrying its key as the nonce Discord
/// deduplicates (within its window) and as the reference in its footer.
fn keyed(content: &str, key: &str) -> Value {
    let mut message = quiet(content);
    message["nonce"] = json!(key);
    message["enforce_nonce"] = json!(true);
    message["embeds"] = json!([{ "footer": { "text": reference(key) } }]);
    message
}

/// Whether a message carries this reference in an embed footer.
fn has_reference(m: &Value, reference: &str) -> bool {
    m["embeds"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| e["footer"]["text"] == reference)
}

/// Whether a message carries any Ponder reference (so it is not an older
/// Ponder's unmarked message).
fn has_any_reference(m: &Value) -> bool {
    m["embeds"].as_array().into_iter().flatten().any(|e| {
        e["footer"]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Ponder · ref "))
    })
}

/// The smallest snowflake made at `t`.
fn snowflake_at(t: DateTime<Utc>) -> u64 {
    ((t.timestamp_millis() - 1_420_070_400_000).max(0) as u64) << 22
}

fn id_of(m: &Value) -> u64 {
    m["id"].as_str().and_then(|i| i.parse().ok()).unwrap_or(0)
}

/// The prompt's message: the role it pings (where its schedule says so),
/// its title, its text.
fn prompt_content(prompt: &OutgoingPrompt) -> String {
    let ping = match &prompt.ping {
        Some(role) => format!("<@&{role}>\n"),
        None => String::new(),
    };
    let mut text = format!("{ping}**{}**\n{}", prompt.title, prompt.text);
    if text.chars().count() > 2000 {
        text = text.chars().take(1999).collect::<String>() + "…";
    }
    text
}

fn reply_of(thread: &str, m: &Value) -> Option<IncomingReply> {
    if m["author"]["bot"] == true {
        return None;
    }
    // Only ordinary messages and replies (types 0 and 19) are answers.
    if !matches!(m["type"].as_i64(), Some(0) | Some(19) | None) {
        return None;
    }
    let author = &m["author"];
    let name = author["global_name"]
        .as_str()
        .or(author["username"].as_str())
        .unwrap_or("someone");
    Some(IncomingReply {
        thread_id: thread.to_string(),
        message_id: m["id"].as_str()?.to_string(),
        author_id: author["id"].as_str()?.to_string(),
        author_name: name.to_string(),
        text: m["content"].as_str().unwrap_or_default().to_string(),
        at: snowflake_time(m["id"].as_str()?.parse().ok()?),
    })
}

#[async_trait]
impl Chat for DiscordChat {
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
        let ch = self.channel(channel).await?;
        let mut message = keyed(&prompt_content(prompt), &prompt.idempotency_key);
        if let Some(role) = &prompt.ping {
            // Only the configured role, never anyone named in the text.
            message["allowed_mentions"] = json!({ "parse": [], "roles": [role] });
        }
        match ch["type"].as_i64() {
            Some(GUILD_FORUM) => {
                let tags = self.tags_for(channel, &ch)?;
                let body = json!({
                    "name": prompt.title,
                    "auto_archive_duration": self.archive_minutes(),
                    "applied_tags": tags,
                    "message": message,
                });
                let thread = self
                    .rest
                    .call(
                        Method::POST,
                        &format!("/channels/{channel}/threads"),
                        Some(&body),
                    )
                    .await
                    .map_err(|e| e.meaning("Send Messages (Create Posts)", channel))?;
                let id = thread["id"].as_str().unwrap_or_default().to_string();
                Ok(Posted {
                    message_id: id.clone(),
                    thread_id: id,
                })
            }
            Some(GUILD_TEXT) | Some(GUILD_ANNOUNCEMENT) | None => {
                let m = self
                    .rest
                    .call(
                        Method::POST,
                        &format!("/channels/{channel}/messages"),
                        Some(&message),
                    )
                    .await
                    .map_err(|e| e.meaning("Send Messages", channel))?;
                let id = m["id"].as_str().unwrap_or_default().to_string();
                Ok(Posted {
                    message_id: id.clone(),
                    thread_id: id,
                })
            }
            Some(other) => Err(ChatError::Refused(format!(
                "channel {channel} is of type {other}; Ponder posts in text, announcement and forum channels"
            ))),
        }
    }

    async fn find_post(
        &self,
        channel: &str,
        prompt: &OutgoingPrompt,
        since: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        let ch = self.channel(channel).await?;
        let wanted = reference(&prompt.idempotency_key);
        let floor = since - CLOCK_SKEW;
        if ch["type"].as_i64() == Some(GUILD_FORUM) {
            return self
                .find_forum_post(channel, &ch, prompt, &wanted, floor)
                .await;
        }
        self.find_message(channel, &wanted, Some(&prompt_content(prompt)), floor)
            .await
    }

    async fn open_thread(
        &self,
        channel: &str,
        posted: &Posted,
        title: &str,
        _open_for: Duration,
    ) -> Result<(), ChatError> {
        if self.channel(channel).await?["type"].as_i64() == Some(GUILD_FORUM) {
            return Ok(()); // the forum post is the thread
        }
        let body = json!({ "name": title, "auto_archive_duration": self.archive_minutes() });
        let path = format!("/channels/{channel}/messages/{}/threads", posted.message_id);
        match self.rest.call(Method::POST, &path, Some(&body)).await {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some(codes::THREAD_ALREADY_CREATED) => Ok(()), // already created
            Err(e) => Err(e.meaning("Create Public Threads", channel)),
        }
    }

    async fn send_in_channel(&self, channel: &str, text: &str) -> Result<String, ChatError> {
        let m = self
            .rest
            .call(
                Method::POST,
                &format!("/channels/{channel}/messages"),
                Some(&quiet(text)),
            )
            .await
            .map_err(|e| e.meaning("Send Messages", channel))?;
        Ok(m["id"].as_str().unwrap_or_default().to_string())
    }

    async fn send_in_thread(
        &self,
        _channel: &str,
        thread_id: &str,
        text: &str,
    ) -> Result<String, ChatError> {
        let m = self
            .rest
            .call(
                Method::POST,
                &format!("/channels/{thread_id}/messages"),
                Some(&quiet(text)),
            )
            .await
            .map_err(|e| e.meaning("Send Messages in Threads", thread_id))?;
        Ok(m["id"].as_str().unwrap_or_default().to_string())
    }

    async fn send_keyed(
        &self,
        channel: &str,
        thread: Option<&str>,
        text: &str,
        key: &str,
    ) -> Result<String, ChatError> {
        let place = thread.unwrap_or(channel);
        let m = self
            .rest
            .call(
                Method::POST,
                &format!("/channels/{place}/messages"),
                Some(&keyed(text, key)),
            )
            .await
            .map_err(|e| e.meaning("Send Messages", place))?;
        Ok(m["id"].as_str().unwrap_or_default().to_string())
    }

    async fn find_sent(
        &self,
        channel: &str,
        thread: Option<&str>,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<Lookup, ChatError> {
        let place = thread.unwrap_or(channel);
        self.find_message(place, &reference(key), None, since - CLOCK_SKEW)
            .await
    }

    async fn replies_after(
        &self,
        _channel: &str,
        thread_id: &str,
        after: Option<&str>,
    ) -> Result<Vec<IncomingReply>, ChatError> {
        // Snowflakes grow with time, so `after` pages forward through the thread.
        let mut cursor = after.unwrap_or("0").to_string();
        let mut out = Vec::new();
        loop {
            let page = self
                .rest
                .call(
                    Method::GET,
                    &format!("/channels/{thread_id}/messages?after={cursor}&limit=100"),
                    None,
                )
                .await
                .map_err(|e| e.meaning("Read Message History", thread_id))?;
            let mut page: Vec<Value> = page.as_array().cloned().unwrap_or_default();
            if page.is_empty() {
                break;
            }
            page.sort_by_key(|m| {
                m["id"]
                    .as_str()
                    .and_then(|i| i.parse::<u64>().ok())
                    .unwrap_or(0)
            });
            cursor = page
                .last()
                .and_then(|m| m["id"].as_str())
                .unwrap_or(&cursor)
                .to_string();
            let full = page.len() == 100;
            out.extend(
                page.iter()
                    .filter(|m| m["id"] != thread_id)
                    .filter_map(|m| reply_of(thread_id, m)),
            );
            if !full {
                break;
            }
        }
        Ok(out)
    }

    fn rechecks_replies(&self) -> bool {
        // A thread's history is its messages as they are now: edited text,
        // deleted ones gone.
        true
    }

    fn channel_ref(&self, channel: &str) -> String {
        format!("<#{channel}>")
    }

    async fn is_member(&self, channel: &str, user_id: &str) -> Result<bool, ChatError> {
        self.can_view(channel, user_id).await
    }

    /// `/reflect` runs in a server: its answer may go only to a channel of
    /// that same server that the member can see, never to another server's
    /// prompt (even one the member is in too).
    async fn may_answer_in(
        &self,
        from: &str,
        channel: &str,
        user_id: &str,
    ) -> Result<bool, ChatError> {
        let here = self.channel(from).await?;
        let there = self.channel(channel).await?;
        let same_guild = match (here["guild_id"].as_str(), there["guild_id"].as_str()) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        };
        Ok(same_guild && self.can_view(channel, user_id).await?)
    }

    async fn send_direct(&self, user_id: &str, text: &str) -> Result<(), ChatError> {
        let dm = self
            .rest
            .call(
                Method::POST,
                "/users/@me/channels",
                Some(&json!({ "recipient_id": user_id })),
            )
            .await
            .map_err(|e| e.meaning("Send Messages (direct)", user_id))?;
        let dm = dm["id"].as_str().unwrap_or_default();
        self.rest
            .call(
                Method::POST,
                &format!("/channels/{dm}/messages"),
                Some(&quiet(text)),
            )
            .await
            .map_err(|e| match e.code() {
                Some(codes::CANNOT_MESSAGE_USER) => ChatError::Refused(format!(
                    "user {user_id} does not accept direct messages from Ponder"
                )),
                _ => e.meaning("Send Messages (direct)", user_id),
            })?;
        Ok(())
    }

    async fn set_pinned(
        &self,
        channel: &str,
        message_id: &str,
        pinned: bool,
    ) -> Result<(), ChatError> {
        // A forum post's starter message lives in its thread (same id).
        let place = if self.channel(channel).await?["type"].as_i64() == Some(GUILD_FORUM) {
            message_id
        } else {
            channel
        };
        let method = if pinned { Method::PUT } else { Method::DELETE };
        match self
            .rest
            .call(
                method,
                &format!("/channels/{place}/pins/{message_id}"),
                None,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some(codes::UNKNOWN_MESSAGE) => {
                Err(ChatError::Gone(format!("message {message_id} is gone")))
            }
            Err(e) => Err(e.meaning("Manage Messages", place)),
        }
    }

    async fn delete_own(
        &self,
        _channel: &str,
        thread_id: &str,
        message_id: &str,
    ) -> Result<(), ChatError> {
        match self
            .rest
            .call(
                Method::DELETE,
                &format!("/channels/{thread_id}/messages/{message_id}"),
                None,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some(codes::UNKNOWN_MESSAGE) => Ok(()), // already gone
            Err(e) => Err(e.meaning("Manage Messages", thread_id)),
        }
    }

    async fn missing_permissions(
        &self,
        channel: &str,
        needs: &Needs,
    ) -> Result<Vec<String>, ChatError> {
        permissions::missing(self, channel, needs).await
    }

    fn checks_permissions_on_connect(&self) -> bool {
        true // from each GUILD_CREATE, without a REST call per channel
    }

    async fn close_thread(&self, _channel: &str, thread_id: &str) -> Result<(), ChatError> {
        self.rest
            .call(
                Method::PATCH,
                &format!("/channels/{thread_id}"),
                Some(&json!({ "archived": true })),
            )
            .await
            .map(|_| ())
            .map_err(|e| e.meaning("Manage Threads", thread_id))
    }
}
