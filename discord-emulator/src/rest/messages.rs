//! Channel messages: create (nonce-aware), list, get, edit, delete, bulk delete, pins.

use serde_json::Value;

use crate::error::DiscordError;
use crate::ids::Snowflake;
use crate::payloads;
use crate::world::{MessageDraft, Pagination, World};

use super::{Call, Outcome, Reply};

pub(super) fn create(world: &mut World, channel: Snowflake, call: &Call<'_>) -> Outcome {
    let draft = MessageDraft::from_json(call.body, call.files, "")?;
    if world.dm(channel).is_some() {
        let message = world.create_dm_message(channel, draft)?;
        return Ok(Reply::ok(payloads::message(world, &message)));
    }
    let origin = crate::world::Origin::bot_rest(world.bot_id);
    let message = world.create_message(channel, origin, draft)?;
    Ok(Reply::ok(payloads::message(world, &message)))
}

/// `GET /channels/{id}/messages?before=&after=&around=&limit=`, newest first.
pub(super) fn list(world: &World, channel: Snowflake, call: &Call<'_>) -> Outcome {
    let id = |key: &str| -> Result<Option<Snowflake>, DiscordError> {
        call.query(key)
            .map(|v| {
                v.parse().map_err(|_| {
                    DiscordError::invalid_form(key, "NUMBER_TYPE_COERCE", "Value is not snowflake.")
                })
            })
            .transpose()
    };
    let limit = match call.query("limit") {
        None => None,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => Some(n),
            _ => {
                return Err(DiscordError::invalid_form(
                    "limit",
                    "NUMBER_TYPE_MAX",
                    "Int value should be between 1 and 100.",
                ));
            }
        },
    };
    let page = Pagination {
        before: id("before")?,
        after: id("after")?,
        around: id("around")?,
        limit,
    };
    let messages = world
        .list_messages(channel, page)?
        .into_iter()
        .map(|m| stored(payloads::message(world, m)))
        .collect();
    Ok(Reply::ok(Value::Array(messages)))
}

pub(super) fn get(world: &World, channel: Snowflake, message: Snowflake) -> Outcome {
    if world.dm(channel).is_none() {
        let c = world.channel(channel)?;
        world.require_bot(c, crate::perms::permission::READ_MESSAGE_HISTORY)?;
    }
    let message = world.message(channel, message)?;
    if message.is_ephemeral() {
        return Err(DiscordError::unknown_message());
    }
    Ok(Reply::ok(stored(payloads::message(world, message))))
}

/// A message as history returns it: Discord echoes a `nonce` only in the create answer and
/// the MESSAGE_CREATE event, never when the message is read back later.
fn stored(mut message: Value) -> Value {
    if let Some(map) = message.as_object_mut() {
        map.remove("nonce");
    }
    message
}

pub(super) fn edit(
    world: &mut World,
    channel: Snowflake,
    message: Snowflake,
    call: &Call<'_>,
) -> Outcome {
    if world.dm(channel).is_none() {
        let c = world.channel(channel)?;
        world.require_bot(c, 0)?;
    }
    let bot = world.bot_id;
    let edited = world.edit_message(channel, message, bot, call.body, call.files)?;
    Ok(Reply::ok(payloads::message(world, &edited)))
}

pub(super) fn delete(world: &mut World, channel: Snowflake, message: Snowflake) -> Outcome {
    if world.dm(channel).is_some() {
        world.delete_dm_message(channel, message)?;
        return Ok(Reply::NoContent);
    }
    let c = world.channel(channel)?;
    world.require_bot(c, 0)?;
    let bot = world.bot_id;
    world.delete_message(channel, message, bot)?;
    Ok(Reply::NoContent)
}

/// `POST /channels/{id}/messages/bulk-delete` with `{"messages": [2..=100 ids]}`.
pub(super) fn bulk_delete(world: &mut World, channel: Snowflake, call: &Call<'_>) -> Outcome {
    let ids: Vec<Snowflake> = call
        .body
        .get("messages")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(payloads::parse_id).collect())
        .unwrap_or_default();
    if !(2..=100).contains(&ids.len()) {
        return Err(DiscordError::invalid_form(
            "messages",
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 2 and 100 in length.",
        ));
    }
    let bot = world.bot_id;
    world.bulk_delete(channel, &ids, bot)?;
    Ok(Reply::NoContent)
}

pub(super) fn pins(world: &World, channel: Snowflake) -> Outcome {
    let c = world.channel(channel)?;
    world.require_bot(c, crate::perms::permission::READ_MESSAGE_HISTORY)?;
    let pinned: Vec<Value> = world
        .messages
        .get(&channel)
        .into_iter()
        .flat_map(|m| m.values().rev())
        .filter(|m| m.pinned)
        .map(|m| payloads::message(world, m))
        .collect();
    Ok(Reply::ok(Value::Array(pinned)))
}

pub(super) fn pin(
    world: &mut World,
    channel: Snowflake,
    message: Snowflake,
    pinned: bool,
) -> Outcome {
    world.set_pinned(channel, message, pinned)?;
    Ok(Reply::NoContent)
}
