//! Discord JSON for the emulator's records: users, members, roles, channels, messages,
//! guilds, READY and the application.
//!
//! Every object carries the fields serenity 0.12.5 requires (measured by dropping keys one
//! at a time) plus the common optional ones, so nothing turns into an Unknown event.

use serde_json::{Value, json};

use crate::ids::{Snowflake, iso8601, timestamp_ms};
use crate::model::{Attachment, Channel, Member, Message, Role, User};
use crate::perms::intents;
use crate::world::{Guild, World};

/// Parses an id sent as a string or a number.
pub(crate) fn parse_id(value: &Value) -> Option<Snowflake> {
    match value {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

fn id(value: Snowflake) -> Value {
    Value::String(value.to_string())
}

fn opt_id(value: Option<Snowflake>) -> Value {
    value.map_or(Value::Null, id)
}

pub(crate) fn user(user: &User) -> Value {
    json!({
        "id": id(user.id),
        "username": user.name,
        "discriminator": "0",
        "global_name": if user.bot { Value::Null } else { json!(user.name) },
        "avatar": null,
        "bot": user.bot,
        "system": false,
        "public_flags": 0,
        "flags": 0,
        "banner": null,
        "accent_color": null,
        "avatar_decoration_data": null,
    })
}

/// A guild member; `with_user` adds the `user` object (Discord omits it inside messages).
pub(crate) fn member(world: &World, member: &Member, with_user: bool) -> Value {
    let mut value = json!({
        "nick": null,
        "avatar": null,
        "banner": null,
        "roles": member.roles.iter().map(|r| id(*r)).collect::<Vec<_>>(),
        "joined_at": iso8601(member.joined_at_ms),
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
    });
    if with_user && let Some(u) = world.users.get(&member.user_id) {
        value["user"] = user(u);
    }
    value
}

pub(crate) fn role(role: &Role) -> Value {
    let mut value = json!({
        "id": id(role.id),
        "name": role.name,
        "description": null,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": role.position,
        "permissions": role.permissions.to_string(),
        "managed": role.managed_by_bot.is_some(),
        "mentionable": role.mentionable,
        "flags": 0,
    });
    if let Some(bot) = role.managed_by_bot {
        value["tags"] = json!({"bot_id": id(bot)});
    }
    value
}

/// A guild channel or thread. `permission_overwrites` carries the bot's denials (see
/// [`World::denied_in`]): a member overwrite `{id: bot, type: 1, allow: "0", deny}`, on a
/// thread the parent's plus its own, so computing permissions from the payloads with
/// Discord's algorithm gives what the emulator enforces.
pub(crate) fn channel(world: &World, channel: &Channel) -> Value {
    let mut value = json!({
        "id": id(channel.id),
        "type": channel.kind,
        "guild_id": id(channel.guild_id),
        "name": channel.name,
        "position": channel.position,
        "permission_overwrites": overwrites(world, channel),
        "parent_id": opt_id(channel.parent_id),
        "nsfw": false,
        "flags": channel.flags,
        "rate_limit_per_user": channel.rate_limit_per_user,
        "last_message_id": opt_id(channel.last_message_id),
    });
    if let Some(meta) = &channel.thread {
        value["owner_id"] = opt_id(channel.owner_id);
        value["message_count"] = json!(channel.message_count);
        value["total_message_sent"] = json!(channel.message_count);
        value["member_count"] = json!(1);
        value["applied_tags"] = json!(
            channel
                .applied_tags
                .iter()
                .map(|t| id(*t))
                .collect::<Vec<_>>()
        );
        value["thread_metadata"] = json!({
            "archived": meta.archived,
            "auto_archive_duration": meta.auto_archive_duration,
            "archive_timestamp": iso8601(meta.archive_timestamp_ms),
            "locked": meta.locked,
            "create_timestamp": iso8601(meta.create_timestamp_ms),
        });
        if channel.kind == crate::model::channel_kind::PRIVATE_THREAD {
            value["thread_metadata"]["invitable"] = json!(true);
        }
    } else {
        value["topic"] = json!(channel.topic);
        value["last_pin_timestamp"] = json!(channel.last_pin_timestamp_ms.map(iso8601));
        value["default_auto_archive_duration"] = json!(4320);
    }
    if channel.kind == crate::model::channel_kind::VOICE {
        value["bitrate"] = json!(64_000);
        value["user_limit"] = json!(0);
        value["rtc_region"] = Value::Null;
        value.as_object_mut().map(|m| m.remove("topic"));
    }
    if channel.is_forum() {
        value["available_tags"] = Value::Array(
            channel
                .available_tags
                .iter()
                .map(|t| {
                    json!({
                        "id": id(t.id),
                        "name": t.name,
                        "moderated": t.moderated,
                        "emoji_id": null,
                        "emoji_name": null,
                    })
                })
                .collect(),
        );
        value["default_reaction_emoji"] = Value::Null;
        value["default_thread_rate_limit_per_user"] = json!(0);
        value["default_sort_order"] = Value::Null;
        value["default_forum_layout"] = json!(0);
    }
    value
}

fn overwrites(world: &World, channel: &Channel) -> Value {
    let denied = world.denied_in(channel);
    if denied == 0 {
        return json!([]);
    }
    json!([{
        "id": id(world.bot_id),
        "type": 1,
        "allow": "0",
        "deny": denied.to_string(),
    }])
}

/// Discord stores embeds with `type: "rich"`.
pub(crate) fn normalize_embed(mut embed: Value) -> Value {
    if let Some(map) = embed.as_object_mut() {
        map.entry("type").or_insert(json!("rich"));
    }
    embed
}

pub(crate) fn message(world: &World, message: &Message) -> Value {
    let author = world.users.get(&message.author_id);
    let guild_member = |user_id: Snowflake| {
        message
            .guild_id
            .and_then(|g| world.guilds.get(&g))
            .and_then(|g| g.members.get(&user_id))
    };
    let mentions: Vec<Value> = message
        .mentions
        .iter()
        .filter_map(|u| world.users.get(u))
        .map(|u| {
            let mut value = user(u);
            if let Some(m) = guild_member(u.id) {
                value["member"] = member(world, m, false);
            }
            value
        })
        .collect();
    let mut value = json!({
        "id": id(message.id),
        "channel_id": id(message.channel_id),
        "author": author.map_or(Value::Null, user),
        "content": message.content,
        "timestamp": iso8601(timestamp_ms(message.id)),
        "edited_timestamp": message.edited_at_ms.map(iso8601),
        "tts": message.tts,
        "mention_everyone": message.mention_everyone,
        "mentions": mentions,
        "mention_roles": message.mention_roles.iter().map(|r| id(*r)).collect::<Vec<_>>(),
        "attachments": message
            .attachments
            .iter()
            .map(|a| attachment(a, message.is_ephemeral()))
            .collect::<Vec<_>>(),
        "embeds": message.embeds,
        "components": message.components,
        "pinned": message.pinned,
        "type": message.kind,
        "flags": message.flags,
    });
    if let Some(g) = message.guild_id {
        value["guild_id"] = id(g);
        if message.webhook_id.is_none()
            && let Some(m) = guild_member(message.author_id)
        {
            value["member"] = member(world, m, false);
        }
    }
    if let Some(nonce) = &message.nonce {
        value["nonce"] = nonce.clone();
    }
    if let Some(webhook) = message.webhook_id {
        value["webhook_id"] = id(webhook);
        value["application_id"] = id(world.app_id);
    }
    if let Some(interaction) = message
        .interaction_id
        .and_then(|i| world.interactions.get(&i))
    {
        value["interaction"] = json!({
            "id": id(interaction.id),
            "type": interaction.kind,
            "name": interaction.name,
            "user": world.users.get(&interaction.user_id).map_or(Value::Null, user),
        });
    }
    if let Some(reference) = message.reference {
        value["message_reference"] = json!({
            "type": 0,
            "message_id": id(reference),
            "channel_id": id(message.channel_id),
            "guild_id": opt_id(message.guild_id),
        });
        let referenced = world
            .messages
            .get(&message.channel_id)
            .and_then(|m| m.get(&reference));
        value["referenced_message"] = referenced.map_or(Value::Null, |r| shallow_message(world, r));
    }
    if let Some(thread) = world
        .channels
        .get(&message.id)
        .filter(|c| c.id != message.channel_id)
    {
        value["thread"] = self::channel(world, thread);
    }
    value
}

/// Discord's attachment object (`proxy_url` is the same emulator URL).
pub(crate) fn attachment(attachment: &Attachment, ephemeral: bool) -> Value {
    let mut value = json!({
        "id": id(attachment.id),
        "filename": attachment.filename,
        "size": attachment.size(),
        "url": attachment.url,
        "proxy_url": attachment.url,
        "content_type": attachment.content_type,
    });
    if let Some(description) = &attachment.description {
        value["description"] = json!(description);
    }
    if ephemeral {
        value["ephemeral"] = json!(true);
    }
    value
}

/// A message without its own `referenced_message` (Discord nests only one level).
fn shallow_message(world: &World, referenced: &Message) -> Value {
    let mut value = message(world, referenced);
    if let Some(map) = value.as_object_mut() {
        map.remove("referenced_message");
    }
    value
}

/// The full GUILD_CREATE payload: guild, roles, members, channels and active threads.
pub(crate) fn guild_create(world: &World, guild: &Guild) -> Value {
    let mut channels = Vec::new();
    let mut threads = Vec::new();
    for c in guild.channels.iter().filter_map(|c| world.channels.get(c)) {
        match &c.thread {
            Some(meta) if !meta.archived => threads.push(channel(world, c)),
            Some(_) => {}
            None => channels.push(channel(world, c)),
        }
    }
    let joined = guild
        .members
        .get(&world.bot_id)
        .map_or(0, |m| m.joined_at_ms);
    let mut value = guild_object(guild);
    let extra = json!({
        "joined_at": iso8601(joined),
        "large": false,
        "unavailable": false,
        "member_count": guild.members.len(),
        "voice_states": [],
        "members": guild.members.values().map(|m| member(world, m, true)).collect::<Vec<_>>(),
        "channels": channels,
        "threads": threads,
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    });
    if let (Some(map), Value::Object(more)) = (value.as_object_mut(), extra) {
        map.extend(more);
    }
    value
}

fn emoji(emoji: &crate::model::Emoji) -> Value {
    json!({
        "id": id(emoji.id),
        "name": emoji.name,
        "roles": [],
        "require_colons": true,
        "managed": false,
        "animated": emoji.animated,
        "available": true,
    })
}

/// The guild object of `GET /guilds/{id}` (no members or channels).
pub(crate) fn guild_object(guild: &Guild) -> Value {
    json!({
        "id": id(guild.id),
        "name": guild.name,
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": id(guild.owner_id),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": guild.roles.iter().map(role).collect::<Vec<_>>(),
        "emojis": guild.emojis.iter().map(emoji).collect::<Vec<_>>(),
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500_000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
    })
}

/// Application flags that say which privileged intents the portal allows.
fn application_flags(world: &World) -> u64 {
    let allowed = world.config.allowed_privileged_intents;
    let mut flags = 0;
    if allowed & intents::GUILD_PRESENCES != 0 {
        flags |= 1 << 13;
    }
    if allowed & intents::GUILD_MEMBERS != 0 {
        flags |= 1 << 15;
    }
    if allowed & intents::MESSAGE_CONTENT != 0 {
        flags |= 1 << 19;
    }
    flags
}

pub(crate) fn ready(
    world: &World,
    session_id: &str,
    shard: [u64; 2],
    guilds: &[Snowflake],
) -> Value {
    let bot = world.users.get(&world.bot_id).map_or(Value::Null, user);
    let mut me = bot;
    me["verified"] = json!(true);
    me["mfa_enabled"] = json!(false);
    me["email"] = Value::Null;
    json!({
        "v": 10,
        "user": me,
        "guilds": guilds.iter().map(|g| json!({"id": id(*g), "unavailable": true})).collect::<Vec<_>>(),
        "session_id": session_id,
        "session_type": "normal",
        "resume_gateway_url": world.gateway_url,
        "shard": shard,
        "application": {"id": id(world.app_id), "flags": application_flags(world)},
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": [],
        "user_settings": {},
        "_trace": ["[\"discord-emulator\"]"],
    })
}

/// `GET /oauth2/applications/@me`.
pub(crate) fn application(world: &World) -> Value {
    let owner = world
        .scripted
        .first()
        .and_then(|g| world.users.get(&g.owner))
        .map_or(Value::Null, user);
    json!({
        "id": id(world.app_id),
        "name": world.config.bot_name,
        "icon": null,
        "description": "",
        "summary": "",
        "type": null,
        "rpc_origins": [],
        "bot_public": true,
        "bot_require_code_grant": false,
        "verify_key": "0".repeat(64),
        "owner": owner,
        "team": null,
        "flags": application_flags(world),
        "bot": world.users.get(&world.bot_id).map_or(Value::Null, user),
        "integration_types_config": {"0": {}},
        "approximate_guild_count": world.guilds.len(),
    })
}
