//! Channels, guilds, members and roles.

use serde_json::{Value, json};

use crate::error::DiscordError;
use crate::ids::Snowflake;
use crate::payloads;
use crate::world::{ThreadPatch, World, dms};

use super::{Call, Outcome, Reply};

/// `POST /users/@me/channels`: the DM channel with `recipient_id` (the same one each time).
pub(super) fn open_dm(world: &mut World, call: &Call<'_>) -> Outcome {
    let dm = world.open_dm(call.body)?;
    Ok(Reply::ok(dms::payload(world, &dm)))
}

pub(super) fn get(world: &World, id: Snowflake) -> Outcome {
    if let Some(dm) = world.dm(id) {
        return Ok(Reply::ok(dms::payload(world, dm)));
    }
    let channel = world.channel(id)?;
    world.require_bot(channel, 0)?;
    Ok(Reply::ok(payloads::channel(world, channel)))
}

/// `PATCH /channels/{id}`: archive, lock, rename, re-tag (THREAD_UPDATE / CHANNEL_UPDATE).
pub(super) fn edit(world: &mut World, id: Snowflake, call: &Call<'_>) -> Outcome {
    let patch = ThreadPatch::from_json(call.body)?;
    let bot = world.bot_id;
    let channel = world.patch_channel(id, &patch, bot)?;
    Ok(Reply::ok(payloads::channel(world, &channel)))
}

pub(super) fn delete(world: &mut World, id: Snowflake) -> Outcome {
    let channel = world.channel(id)?.clone();
    let needed = if channel.is_thread() {
        crate::perms::permission::MANAGE_THREADS
    } else {
        crate::perms::permission::MANAGE_CHANNELS
    };
    world.require_bot(&channel, needed)?;
    let deleted = world.delete_channel(id)?;
    Ok(Reply::ok(payloads::channel(world, &deleted)))
}

pub(super) fn typing(world: &World, id: Snowflake) -> Outcome {
    if world.dm(id).is_some() {
        return Ok(Reply::NoContent);
    }
    let channel = world.channel(id)?;
    world.require_bot(channel, crate::perms::permission::SEND_MESSAGES)?;
    Ok(Reply::NoContent)
}

pub(super) fn guild(world: &World, id: Snowflake) -> Outcome {
    Ok(Reply::ok(payloads::guild_object(world.guild(id)?)))
}

/// Channels only; threads are listed by `GET /guilds/{id}/threads/active`.
pub(super) fn guild_channels(world: &World, id: Snowflake) -> Outcome {
    let guild = world.guild(id)?;
    let channels: Vec<Value> = guild
        .channels
        .iter()
        .filter_map(|c| world.channels.get(c))
        .filter(|c| !c.is_thread())
        .map(|c| payloads::channel(world, c))
        .collect();
    Ok(Reply::ok(Value::Array(channels)))
}

pub(super) fn active_threads(world: &World, id: Snowflake) -> Outcome {
    let guild = world.guild(id)?;
    let threads: Vec<Value> = guild
        .channels
        .iter()
        .filter_map(|c| world.channels.get(c))
        .filter(|c| c.thread.as_ref().is_some_and(|t| !t.archived))
        .map(|c| payloads::channel(world, c))
        .collect();
    Ok(Reply::ok(json!({"threads": threads, "members": []})))
}

/// `GET /channels/{id}/threads/archived/public?before=&limit=`: the channel's archived public
/// threads (forum posts included), most recently archived first; `before` is an ISO 8601
/// archive time, `has_more` says whether an older page exists.
pub(super) fn archived_public_threads(
    world: &World,
    channel: Snowflake,
    call: &Call<'_>,
) -> Outcome {
    let parent = world.channel(channel)?;
    world.require_bot(parent, crate::perms::permission::READ_MESSAGE_HISTORY)?;
    let before_ms = match call.query("before") {
        None => u64::MAX,
        Some(v) => {
            let v = v
                .replace("%3A", ":")
                .replace("%3a", ":")
                .replace("%2B", "+");
            let at = humantime::parse_rfc3339_weak(v.trim_end_matches("+00:00")).map_err(|_| {
                DiscordError::invalid_form(
                    "before",
                    "DATE_TIME_TYPE_PARSE",
                    "Could not parse date.",
                )
            })?;
            at.duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64)
        }
    };
    let limit = match call.query("limit") {
        None => 50,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (2..=100).contains(&n) => n,
            _ => {
                return Err(DiscordError::invalid_form(
                    "limit",
                    "NUMBER_TYPE_MAX",
                    "Int value should be between 2 and 100.",
                ));
            }
        },
    };
    let guild = world.guild(parent.guild_id)?;
    let mut archived: Vec<_> = guild
        .channels
        .iter()
        .filter_map(|c| world.channels.get(c))
        .filter(|c| {
            c.parent_id == Some(channel) && c.kind != crate::model::channel_kind::PRIVATE_THREAD
        })
        .filter_map(|c| {
            let meta = c.thread.as_ref().filter(|t| t.archived)?;
            (meta.archive_timestamp_ms < before_ms).then_some((meta.archive_timestamp_ms, c))
        })
        .collect();
    archived.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.id.cmp(&a.1.id)));
    let has_more = archived.len() > limit;
    let threads: Vec<Value> = archived
        .into_iter()
        .take(limit)
        .map(|(_, c)| payloads::channel(world, c))
        .collect();
    Ok(Reply::ok(
        json!({"threads": threads, "members": [], "has_more": has_more}),
    ))
}

pub(super) fn member(world: &World, guild: Snowflake, user: Snowflake) -> Outcome {
    let member = world.member(guild, user)?;
    Ok(Reply::ok(payloads::member(world, member, true)))
}

pub(super) fn roles(world: &World, guild: Snowflake) -> Outcome {
    let roles = world
        .guild(guild)?
        .roles
        .iter()
        .map(payloads::role)
        .collect();
    Ok(Reply::ok(Value::Array(roles)))
}
