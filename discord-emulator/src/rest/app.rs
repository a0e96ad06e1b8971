//! Gateway discovery, users, the application and its commands.

use serde_json::{Value, json};

use crate::error::DiscordError;
use crate::ids::Snowflake;
use crate::payloads;
use crate::world::World;

use super::{Call, Outcome, Reply};

/// `GET /gateway` and `GET /gateway/bot`.
pub(super) fn gateway(world: &World, bot: bool) -> Outcome {
    let mut value = json!({"url": world.gateway_url});
    if bot {
        value["shards"] = json!(recommended_shards(world));
        value["session_start_limit"] = json!({
            "total": 1000,
            "remaining": 1000u32.saturating_sub(world.identify_count),
            "reset_after": 86_400_000,
            "max_concurrency": 1,
        });
    }
    Ok(Reply::ok(value))
}

/// The shard count `GET /gateway/bot` recommends: one per `guilds_per_shard`
/// guilds, rounded up, at least one.
pub(crate) fn recommended_shards(world: &World) -> usize {
    let per_shard = world.config.guilds_per_shard.max(1);
    world.guilds.len().div_ceil(per_shard).max(1)
}

pub(super) fn current_user(world: &World) -> Outcome {
    let mut me = payloads::user(world.user(world.bot_id)?);
    me["verified"] = json!(true);
    me["mfa_enabled"] = json!(false);
    Ok(Reply::ok(me))
}

pub(super) fn user(world: &World, id: Snowflake) -> Outcome {
    Ok(Reply::ok(payloads::user(world.user(id)?)))
}

pub(super) fn application(world: &World) -> Outcome {
    Ok(Reply::ok(payloads::application(world)))
}

fn check_app(world: &World, app: Snowflake) -> Result<(), DiscordError> {
    if app == world.app_id {
        Ok(())
    } else {
        Err(DiscordError::unknown_application())
    }
}

pub(super) fn list_commands(world: &World, app: Snowflake, guild: Option<Snowflake>) -> Outcome {
    check_app(world, app)?;
    if let Some(g) = guild {
        world.guild(g)?;
    }
    Ok(Reply::ok(Value::Array(world.list_commands(guild))))
}

pub(super) fn put_commands(
    world: &mut World,
    app: Snowflake,
    guild: Option<Snowflake>,
    call: &Call<'_>,
) -> Outcome {
    check_app(world, app)?;
    Ok(Reply::ok(Value::Array(
        world.put_commands(guild, call.body)?,
    )))
}

pub(super) fn create_command(
    world: &mut World,
    app: Snowflake,
    guild: Option<Snowflake>,
    call: &Call<'_>,
) -> Outcome {
    check_app(world, app)?;
    Ok(Reply::Json(201, world.upsert_command(guild, call.body)?))
}

pub(super) fn delete_command(
    world: &mut World,
    app: Snowflake,
    guild: Option<Snowflake>,
    command: Snowflake,
) -> Outcome {
    check_app(world, app)?;
    world.delete_command(guild, command)?;
    Ok(Reply::NoContent)
}
