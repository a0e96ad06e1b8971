//! The emulated Discord: everything the REST API and the gateway read and change.
//!
//! One `World` lives behind a `std::sync::Mutex`; every REST request and gateway frame is
//! handled in one short critical section, and dispatches are queued to sockets without
//! awaiting, so no lock is held across an `.await`.

pub(crate) mod attachments;
mod commands;
pub(crate) mod components;
pub(crate) mod dms;
pub(crate) mod interactions;
mod messages;
mod permissions;
mod pins;
mod roles;
mod shape;
mod threads;

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use serde_json::Value;

pub(crate) use attachments::{MAX_ATTACHMENTS, MAX_FILE_SIZE, UploadedFile};
pub(crate) use interactions::Interaction;
pub(crate) use messages::{MessageDraft, Origin, Pagination};
pub(crate) use threads::ThreadPatch;

use crate::config::EmulatorConfig;
use crate::error::DiscordError;
use crate::faults::Faults;
use crate::gateway::Session;
use crate::ids::{Snowflake, SnowflakeGen, now_ms};
use crate::limits::DiscordLimits;
use crate::model::channel_kind;
use crate::model::{
    Attachment, Channel, Emoji, ForumTag, Member, Message, REQUIRE_TAG, Role, ScriptedGuild, User,
};
use crate::perms::permission;
use crate::record::{BoundedLog, GatewayFrame, RecordedRequest};

/// A guild: its roles, members and channels (threads included).
#[derive(Debug)]
pub(crate) struct Guild {
    pub(crate) id: Snowflake,
    pub(crate) name: String,
    pub(crate) owner_id: Snowflake,
    pub(crate) roles: Vec<Role>,
    pub(crate) members: BTreeMap<Snowflake, Member>,
    /// Channel and thread ids in creation order.
    pub(crate) channels: Vec<Snowflake>,
    pub(crate) emojis: Vec<Emoji>,
}

#[derive(Debug)]
pub(crate) struct World {
    pub(crate) config: EmulatorConfig,
    /// `ws://127.0.0.1:P/gateway`
    pub(crate) gateway_url: String,
    pub(crate) started: Instant,
    pub(crate) ids: SnowflakeGen,
    pub(crate) bot_id: Snowflake,
    pub(crate) app_id: Snowflake,
    pub(crate) users: HashMap<Snowflake, User>,
    pub(crate) guilds: BTreeMap<Snowflake, Guild>,
    pub(crate) scripted: Vec<ScriptedGuild>,
    pub(crate) channels: HashMap<Snowflake, Channel>,
    /// Messages per channel, by id (so in creation order).
    pub(crate) messages: HashMap<Snowflake, BTreeMap<Snowflake, Message>>,
    /// (channel, author, nonce) → (message, when) for `enforce_nonce`.
    pub(crate) nonces: HashMap<(Snowflake, Snowflake, String), (Snowflake, Instant)>,
    /// Registered commands: `None` for global, `Some(guild)` for guild commands.
    pub(crate) commands: BTreeMap<Option<Snowflake>, Vec<Value>>,
    pub(crate) interactions: HashMap<Snowflake, Interaction>,
    pub(crate) interaction_tokens: HashMap<String, Snowflake>,
    pub(crate) sessions: HashMap<String, Session>,
    pub(crate) next_conn_id: u64,
    /// Gateway connections that asked for `compress=zlib-stream`.
    pub(crate) zlib_stream_connections: u32,
    pub(crate) identify_count: u32,
    /// Close codes IDENTIFYs and RESUMEs were refused with, in order.
    pub(crate) refusals: Vec<u16>,
    pub(crate) resume_count: u32,
    pub(crate) requests: BoundedLog<RecordedRequest>,
    pub(crate) unknown_routes: Vec<RecordedRequest>,
    pub(crate) frames: BoundedLog<GatewayFrame>,
    pub(crate) faults: Faults,
    pub(crate) dms: dms::Dms,
    /// Users shared by the mid-size guilds as their members (see `shape.rs`).
    pub(crate) crowd: Vec<Snowflake>,
    /// Discord's rate limits (counted only when `config.discord_rate_limits` is on).
    pub(crate) limits: DiscordLimits,
    /// Files members uploaded with slash commands (ATTACHMENT options): id → (channel, file).
    pub(crate) command_files: HashMap<Snowflake, (Snowflake, Attachment)>,
    /// `GET /attachments/...` served, per attachment id.
    pub(crate) downloads: HashMap<Snowflake, u32>,
}

impl World {
    /// Builds the scripted world: the bot, three users, and `config.guilds` guilds.
    pub(crate) fn new(config: EmulatorConfig, gateway_url: String) -> Self {
        let mut world = Self {
            requests: BoundedLog::new(config.log_limit),
            frames: BoundedLog::new(config.log_limit),
            config,
            gateway_url,
            started: Instant::now(),
            ids: SnowflakeGen::default(),
            bot_id: 0,
            app_id: 0,
            users: HashMap::new(),
            guilds: BTreeMap::new(),
            scripted: Vec::new(),
            channels: HashMap::new(),
            messages: HashMap::new(),
            nonces: HashMap::new(),
            commands: BTreeMap::new(),
            interactions: HashMap::new(),
            interaction_tokens: HashMap::new(),
            sessions: HashMap::new(),
            next_conn_id: 0,
            zlib_stream_connections: 0,
            identify_count: 0,
            refusals: Vec::new(),
            resume_count: 0,
            unknown_routes: Vec::new(),
            faults: Faults::default(),
            dms: dms::Dms::default(),
            limits: DiscordLimits::default(),
            crowd: Vec::new(),
            command_files: HashMap::new(),
            downloads: HashMap::new(),
        };
        // Scripted guilds' ids first, a millisecond apart in the recent past: a
        // guild's shard is `(id >> 22) % shards`, its creation time, so ids made
        // in one millisecond would all land on one shard; Discord's are years apart.
        let count = world.config.guilds as u64;
        let first = now_ms().saturating_sub(count + 1);
        let guild_ids: Vec<Snowflake> = (0..count).map(|i| world.ids.next_at(first + i)).collect();
        // Discord gives a bot user the same id as its application.
        world.bot_id = world.ids.next();
        world.app_id = world.bot_id;
        let bot_name = world.config.bot_name.clone();
        world.add_user(world.bot_id, &bot_name, true);
        let owner = world.new_user("owner");
        let admin = world.new_user("admin");
        let member = world.new_user("member");
        for (index, id) in guild_ids.into_iter().enumerate() {
            world.script_guild(index, id, owner, admin, member);
        }
        world
    }

    fn add_user(&mut self, id: Snowflake, name: &str, bot: bool) {
        let user = User {
            id,
            name: name.to_owned(),
            bot,
        };
        self.users.insert(id, user);
    }

    /// Creates a user that belongs to no guild yet.
    pub(crate) fn new_user(&mut self, name: &str) -> Snowflake {
        let id = self.ids.next();
        self.add_user(id, name, false);
        id
    }

    fn script_guild(
        &mut self,
        index: usize,
        id: Snowflake,
        owner: Snowflake,
        admin: Snowflake,
        member: Snowflake,
    ) {
        let name = if index == 0 {
            "Ponder Test Guild".to_owned()
        } else {
            format!("Ponder Test Guild {}", index + 1)
        };
        let moderator_role = self.ids.next();
        let bot_role = self.ids.next();
        let roles = vec![
            Role {
                id,
                name: "@everyone".into(),
                permissions: permission::EVERYONE,
                position: 0,
                managed_by_bot: None,
                mentionable: false,
            },
            Role {
                id: moderator_role,
                name: "Moderator".into(),
                permissions: permission::EVERYONE | permission::MODERATOR,
                position: 1,
                managed_by_bot: None,
                mentionable: false,
            },
            Role {
                id: bot_role,
                name: self.config.bot_name.clone(),
                permissions: permission::EVERYONE | permission::BOT,
                position: 2,
                managed_by_bot: Some(self.bot_id),
                mentionable: false,
            },
        ];
        let joined = now_ms();
        let members = [
            (owner, vec![]),
            (admin, vec![moderator_role]),
            (member, vec![]),
            (self.bot_id, vec![bot_role]),
        ]
        .into_iter()
        .map(|(user_id, roles)| {
            let m = Member {
                user_id,
                roles,
                joined_at_ms: joined,
            };
            (user_id, m)
        })
        .collect();
        self.guilds.insert(
            id,
            Guild {
                id,
                name: name.clone(),
                owner_id: owner,
                roles,
                members,
                channels: Vec::new(),
                emojis: Vec::new(),
            },
        );
        let text_channel = self.ids.next();
        self.insert_channel(Channel {
            topic: Some("Where prompts are posted".into()),
            ..blank_channel(text_channel, id, channel_kind::TEXT, "general", 0)
        });
        let forum_channel = self.ids.next();
        let forum_tags = vec![self.ids.next(), self.ids.next()];
        self.insert_channel(Channel {
            flags: if self.config.forum_requires_tag {
                REQUIRE_TAG
            } else {
                0
            },
            available_tags: vec![
                ForumTag {
                    id: forum_tags[0],
                    name: "discussion".into(),
                    moderated: false,
                },
                ForumTag {
                    id: forum_tags[1],
                    name: "announcement".into(),
                    moderated: true,
                },
            ],
            ..blank_channel(forum_channel, id, channel_kind::FORUM, "discussions", 1)
        });
        self.scripted.push(ScriptedGuild {
            id,
            name,
            owner,
            admin,
            member,
            everyone_role: id,
            moderator_role,
            bot_role,
            text_channel,
            forum_channel,
            forum_tags,
        });
        if self.config.guild_shape == crate::config::GuildShape::MidSize {
            self.fill_mid_size(id, index);
        }
    }

    pub(crate) fn insert_channel(&mut self, channel: Channel) {
        if let Some(guild) = self.guilds.get_mut(&channel.guild_id) {
            guild.channels.push(channel.id);
        }
        self.channels.insert(channel.id, channel);
    }

    /// Adds a user to a guild with the given roles.
    pub(crate) fn add_member(
        &mut self,
        guild_id: Snowflake,
        user_id: Snowflake,
        roles: Vec<Snowflake>,
    ) -> Result<(), DiscordError> {
        let guild = self
            .guilds
            .get_mut(&guild_id)
            .ok_or_else(DiscordError::unknown_guild)?;
        guild.members.insert(
            user_id,
            Member {
                user_id,
                roles,
                joined_at_ms: now_ms(),
            },
        );
        Ok(())
    }

    pub(crate) fn channel(&self, id: Snowflake) -> Result<&Channel, DiscordError> {
        self.channels
            .get(&id)
            .ok_or_else(DiscordError::unknown_channel)
    }

    pub(crate) fn channel_mut(&mut self, id: Snowflake) -> Result<&mut Channel, DiscordError> {
        self.channels
            .get_mut(&id)
            .ok_or_else(DiscordError::unknown_channel)
    }

    pub(crate) fn guild(&self, id: Snowflake) -> Result<&Guild, DiscordError> {
        self.guilds.get(&id).ok_or_else(DiscordError::unknown_guild)
    }

    pub(crate) fn member(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
    ) -> Result<&Member, DiscordError> {
        self.guild(guild_id)?
            .members
            .get(&user_id)
            .ok_or_else(DiscordError::unknown_member)
    }

    pub(crate) fn user(&self, id: Snowflake) -> Result<&User, DiscordError> {
        self.users.get(&id).ok_or_else(DiscordError::unknown_user)
    }

    pub(crate) fn message(
        &self,
        channel_id: Snowflake,
        message_id: Snowflake,
    ) -> Result<&Message, DiscordError> {
        self.messages
            .get(&channel_id)
            .and_then(|m| m.get(&message_id))
            .ok_or_else(DiscordError::unknown_message)
    }

    /// Whether `token` (with or without `Bot `) is the bot's token.
    pub(crate) fn token_matches(&self, token: &str) -> bool {
        let token = token.trim();
        token.strip_prefix("Bot ").unwrap_or(token) == self.config.token
    }
}

/// A channel with every optional field empty.
pub(crate) fn blank_channel(
    id: Snowflake,
    guild_id: Snowflake,
    kind: u8,
    name: &str,
    position: u16,
) -> Channel {
    Channel {
        id,
        guild_id,
        kind,
        name: name.to_owned(),
        parent_id: None,
        position,
        topic: None,
        flags: 0,
        available_tags: Vec::new(),
        applied_tags: Vec::new(),
        owner_id: None,
        thread: None,
        rate_limit_per_user: 0,
        message_count: 0,
        last_message_id: None,
        last_pin_timestamp_ms: None,
    }
}

/// A message with every optional field empty: type 0, no flags, nothing
/// mentioned, referenced or attached.
pub(crate) fn blank_message(
    id: Snowflake,
    channel_id: Snowflake,
    guild_id: Option<Snowflake>,
    author_id: Snowflake,
) -> Message {
    Message {
        id,
        channel_id,
        guild_id,
        author_id,
        content: String::new(),
        kind: 0,
        flags: 0,
        nonce: None,
        tts: false,
        pinned: false,
        edited_at_ms: None,
        embeds: Vec::new(),
        components: Vec::new(),
        allowed_mentions: None,
        mentions: Vec::new(),
        mention_roles: Vec::new(),
        mention_everyone: false,
        reference: None,
        interaction_id: None,
        webhook_id: None,
        attachments: Vec::new(),
    }
}
