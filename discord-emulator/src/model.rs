//! The emulator's world: users, guilds, roles, channels and messages, as plain data.
//!
//! These are the emulator's own records, not Discord payloads; `payloads.rs` renders them.

use std::sync::Arc;

use serde_json::Value;

use crate::ids::{Snowflake, timestamp_ms};

/// Channel types the emulator knows (Discord's numbers).
pub mod channel_kind {
    pub const TEXT: u8 = 0;
    pub const VOICE: u8 = 2;
    pub const CATEGORY: u8 = 4;
    pub const PUBLIC_THREAD: u8 = 11;
    pub const PRIVATE_THREAD: u8 = 12;
    pub const FORUM: u8 = 15;

    /// Whether a channel of this type is a thread.
    pub fn is_thread(kind: u8) -> bool {
        matches!(kind, 10..=12)
    }
}

/// Channel flag: a forum post must carry at least one tag.
pub const REQUIRE_TAG: u64 = 1 << 4;
/// Message flag: only the invoking user sees the message.
pub const EPHEMERAL: u64 = 1 << 6;
/// Message flag: a deferred interaction response still "thinking".
pub const LOADING: u64 = 1 << 7;

/// A Discord user (members, admins, the bot).
#[derive(Clone, Debug, PartialEq)]
pub struct User {
    pub id: Snowflake,
    pub name: String,
    pub bot: bool,
}

/// A guild role.
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub id: Snowflake,
    pub name: String,
    pub permissions: u64,
    pub position: u16,
    /// Set for a bot's integration role.
    pub managed_by_bot: Option<Snowflake>,
    /// Whether anyone may mention it; otherwise only members with MENTION_EVERYONE can.
    pub mentionable: bool,
}

/// A user's membership in a guild.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub user_id: Snowflake,
    pub roles: Vec<Snowflake>,
    pub joined_at_ms: u64,
}

/// A custom emoji of a guild.
#[derive(Clone, Debug, PartialEq)]
pub struct Emoji {
    pub id: Snowflake,
    pub name: String,
    pub animated: bool,
}

/// A tag a forum post can carry.
#[derive(Clone, Debug, PartialEq)]
pub struct ForumTag {
    pub id: Snowflake,
    pub name: String,
    /// Only members with MANAGE_THREADS may apply it.
    pub moderated: bool,
}

/// Thread-only state.
#[derive(Clone, Debug, PartialEq)]
pub struct ThreadMeta {
    pub archived: bool,
    pub locked: bool,
    /// Minutes: 60, 1440, 4320 or 10080.
    pub auto_archive_duration: u32,
    pub archive_timestamp_ms: u64,
    pub create_timestamp_ms: u64,
}

/// A guild channel or thread. Threads are channels whose `parent_id` is the text or forum
/// channel they live in; messages in a thread use the thread's id as `channel_id`.
#[derive(Clone, Debug, PartialEq)]
pub struct Channel {
    pub id: Snowflake,
    pub guild_id: Snowflake,
    /// See [`channel_kind`].
    pub kind: u8,
    pub name: String,
    pub parent_id: Option<Snowflake>,
    pub position: u16,
    pub topic: Option<String>,
    /// Channel flags, e.g. [`REQUIRE_TAG`].
    pub flags: u64,
    /// Forum channels: the tags posts may carry.
    pub available_tags: Vec<ForumTag>,
    /// Forum posts: the tags this post carries.
    pub applied_tags: Vec<Snowflake>,
    /// Threads: who created it.
    pub owner_id: Option<Snowflake>,
    pub thread: Option<ThreadMeta>,
    pub rate_limit_per_user: u32,
    pub message_count: u32,
    pub last_message_id: Option<Snowflake>,
    pub last_pin_timestamp_ms: Option<u64>,
}

impl Channel {
    /// Whether this channel is a thread (forum posts included).
    pub fn is_thread(&self) -> bool {
        channel_kind::is_thread(self.kind)
    }

    /// Whether this is a forum channel.
    pub fn is_forum(&self) -> bool {
        self.kind == channel_kind::FORUM
    }
}

/// A message as the emulator stores it.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub id: Snowflake,
    pub channel_id: Snowflake,
    pub guild_id: Option<Snowflake>,
    pub author_id: Snowflake,
    pub content: String,
    /// Discord message type: 0 default, 19 reply, 20 slash-command response, 6 pin notice.
    pub kind: u8,
    /// Message flags, e.g. [`EPHEMERAL`].
    pub flags: u64,
    /// The nonce as sent (string or number).
    pub nonce: Option<Value>,
    pub tts: bool,
    pub pinned: bool,
    pub edited_at_ms: Option<u64>,
    pub embeds: Vec<Value>,
    pub components: Vec<Value>,
    /// `allowed_mentions` exactly as the sender gave it.
    pub allowed_mentions: Option<Value>,
    /// Users actually mentioned (after `allowed_mentions`).
    pub mentions: Vec<Snowflake>,
    /// Roles actually mentioned: `<@&id>` in the content, allowed by `allowed_mentions`, and
    /// the role is mentionable or the author has MENTION_EVERYONE in the channel.
    pub mention_roles: Vec<Snowflake>,
    pub mention_everyone: bool,
    /// The message this one replies to or refers to.
    pub reference: Option<Snowflake>,
    /// Set on interaction responses and followups.
    pub interaction_id: Option<Snowflake>,
    /// Set on interaction responses and followups (the application id).
    pub webhook_id: Option<Snowflake>,
    /// Files attached to the message, in order (at most 10).
    pub attachments: Vec<Attachment>,
}

impl Message {
    /// Unix milliseconds at which the message was created (from its id).
    pub fn created_at_ms(&self) -> u64 {
        timestamp_ms(self.id)
    }

    /// Whether only the invoking user can see it.
    pub fn is_ephemeral(&self) -> bool {
        self.flags & EPHEMERAL != 0
    }
}

/// A file attached to a message, as uploaded (a `files[n]` part of a multipart body).
#[derive(Clone, PartialEq)]
pub struct Attachment {
    pub id: Snowflake,
    /// As uploaded, or as renamed by the `filename` of its `attachments` entry.
    pub filename: String,
    /// The part's `Content-Type` as sent (serenity guesses it from the extension).
    pub content_type: Option<String>,
    /// From the `attachments` entry, if any.
    pub description: Option<String>,
    /// Where the emulator serves the bytes:
    /// `http://127.0.0.1:P/attachments/{channel}/{id}/{filename}` (no auth, like the CDN).
    pub url: String,
    /// The file's contents (shared: cloning a message does not copy them).
    pub bytes: Arc<[u8]>,
}

impl Attachment {
    /// Size in bytes.
    pub fn size(&self) -> usize {
        self.bytes.len()
    }

    /// The contents as UTF-8 text, if they are.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("id", &self.id)
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("description", &self.description)
            .field("url", &self.url)
            .field("size", &self.bytes.len())
            .finish()
    }
}

impl Message {
    /// The attachment with this filename, if any.
    pub fn attachment(&self, filename: &str) -> Option<&Attachment> {
        self.attachments.iter().find(|a| a.filename == filename)
    }
}

/// The ids of one scripted guild, for tests to address things by role rather than by number.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptedGuild {
    pub id: Snowflake,
    pub name: String,
    /// The guild owner (has every permission).
    pub owner: Snowflake,
    /// A member with the Moderator role (MANAGE_GUILD, MANAGE_MESSAGES, MANAGE_THREADS, ...).
    pub admin: Snowflake,
    /// A member with no roles beyond @everyone.
    pub member: Snowflake,
    /// `@everyone` (its id equals the guild id, as on Discord).
    pub everyone_role: Snowflake,
    pub moderator_role: Snowflake,
    /// The bot's managed role.
    pub bot_role: Snowflake,
    /// A text channel, "general".
    pub text_channel: Snowflake,
    /// A forum channel, "discussions".
    pub forum_channel: Snowflake,
    /// The forum's tags; the first is unmoderated, the second moderated.
    pub forum_tags: Vec<Snowflake>,
}
