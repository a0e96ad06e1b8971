//! Channels, guilds, members and roles.

use serde_json::{Value, json};

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
