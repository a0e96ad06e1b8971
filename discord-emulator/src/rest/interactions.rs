//! Interaction callbacks and the interaction webhook (original response, followups).

use crate::ids::Snowflake;
use crate::payloads;
use crate::world::World;

use super::{Call, Outcome, Reply};

/// `POST /interactions/{id}/{token}/callback`: 204, as Discord (serenity warns otherwise).
pub(super) fn callback(world: &mut World, id: Snowflake, token: &str, call: &Call<'_>) -> Outcome {
    world.interaction_callback(id, token, call.body, call.files)?;
    Ok(Reply::NoContent)
}

pub(super) fn followup(world: &mut World, app: Snowflake, token: &str, call: &Call<'_>) -> Outcome {
    let message = world.create_followup(app, token, call.body, call.files)?;
    Ok(Reply::ok(payloads::message(world, &message)))
}

pub(super) fn get_message(
    world: &World,
    app: Snowflake,
    token: &str,
    message: Option<Snowflake>,
) -> Outcome {
    let message = world.webhook_message(app, token, message)?;
    Ok(Reply::ok(payloads::message(world, message)))
}

pub(super) fn edit_message(
    world: &mut World,
    app: Snowflake,
    token: &str,
    message: Option<Snowflake>,
    call: &Call<'_>,
) -> Outcome {
    let message = world.edit_webhook_message(app, token, message, call.body, call.files)?;
    Ok(Reply::ok(payloads::message(world, &message)))
}

pub(super) fn delete_message(
    world: &mut World,
    app: Snowflake,
    token: &str,
    message: Option<Snowflake>,
) -> Outcome {
    world.delete_webhook_message(app, token, message)?;
    Ok(Reply::NoContent)
}
