//! Threads: from a message (id = message id) and in a channel (forum posts).

use crate::ids::Snowflake;
use crate::payloads;
use crate::world::World;

use super::{Call, Outcome, Reply};

/// `POST /channels/{c}/messages/{m}/threads`: 201 with the thread (id == message id).
pub(super) fn from_message(
    world: &mut World,
    channel: Snowflake,
    message: Snowflake,
    call: &Call<'_>,
) -> Outcome {
    let thread = world.thread_from_message(channel, message, call.body)?;
    Ok(Reply::Json(
        201,
        with_member(world, payloads::channel(world, &thread), thread.id),
    ))
}

/// `POST /channels/{c}/threads`: a forum post (thread + `message`) or a thread without one.
pub(super) fn create(world: &mut World, channel: Snowflake, call: &Call<'_>) -> Outcome {
    let (thread, starter) = world.create_thread(channel, call.body, call.files)?;
    let mut value = with_member(world, payloads::channel(world, &thread), thread.id);
    if let Some(starter) = starter {
        value["message"] = payloads::message(world, &starter);
    }
    Ok(Reply::Json(201, value))
}

/// The creator is a member of its new thread; Discord includes that in the response.
fn with_member(
    world: &World,
    mut value: serde_json::Value,
    thread: Snowflake,
) -> serde_json::Value {
    value["member"] = serde_json::json!({
        "id": thread.to_string(),
        "user_id": world.bot_id.to_string(),
        "join_timestamp": crate::ids::iso8601(crate::ids::now_ms()),
        "flags": 0,
    });
    value
}
