//! Who may do what: role permissions plus the bot's injected denials.

use crate::error::DiscordError;
use crate::ids::Snowflake;
use crate::model::Channel;
use crate::perms::permission;

use super::World;

impl World {
    /// A member's guild-wide permissions (owner and ADMINISTRATOR get everything).
    pub(crate) fn base_permissions(&self, guild_id: Snowflake, user_id: Snowflake) -> u64 {
        let Ok(guild) = self.guild(guild_id) else {
            return 0;
        };
        if guild.owner_id == user_id {
            return permission::ALL;
        }
        let Some(member) = guild.members.get(&user_id) else {
            return 0;
        };
        let perms = guild
            .roles
            .iter()
            .filter(|r| r.id == guild_id || member.roles.contains(&r.id))
            .fold(0, |acc, r| acc | r.permissions);
        if perms & permission::ADMINISTRATOR != 0 {
            permission::ALL
        } else {
            perms
        }
    }

    /// Permission bits denied to the bot in a channel; a thread inherits its parent's.
    pub(crate) fn denied_in(&self, channel: &Channel) -> u64 {
        let own = self.faults.denied.get(&channel.id).copied().unwrap_or(0);
        let parent = channel
            .parent_id
            .and_then(|p| self.faults.denied.get(&p).copied())
            .unwrap_or(0);
        own | parent
    }

    /// Changes the bits denied to the bot in a channel. The denial shows as a member
    /// overwrite in the channel's payloads, so a change is announced like on Discord:
    /// CHANNEL_UPDATE (THREAD_UPDATE for a thread).
    pub(crate) fn change_denied(&mut self, channel_id: Snowflake, change: impl FnOnce(u64) -> u64) {
        let before = self.faults.denied.get(&channel_id).copied().unwrap_or(0);
        let after = change(before);
        if after == before {
            return;
        }
        if after == 0 {
            self.faults.denied.remove(&channel_id);
        } else {
            self.faults.denied.insert(channel_id, after);
        }
        if let Some(channel) = self.channels.get(&channel_id).cloned() {
            let event = if channel.is_thread() {
                "THREAD_UPDATE"
            } else {
                "CHANNEL_UPDATE"
            };
            self.dispatch_channel(event, &channel);
        }
    }

    /// A user's permissions in a channel. Denials only ever apply to the bot.
    pub(crate) fn permissions_in(&self, channel: &Channel, user_id: Snowflake) -> u64 {
        let base = self.base_permissions(channel.guild_id, user_id);
        if user_id == self.bot_id {
            base & !self.denied_in(channel)
        } else {
            base
        }
    }

    /// Fails with 50001 if the bot cannot see the channel, 50013 if it lacks any of `needed`.
    pub(crate) fn require_bot(&self, channel: &Channel, needed: u64) -> Result<(), DiscordError> {
        let perms = self.permissions_in(channel, self.bot_id);
        if perms & permission::VIEW_CHANNEL == 0 {
            return Err(DiscordError::missing_access());
        }
        if perms & needed != needed {
            return Err(DiscordError::missing_permissions());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::config::EmulatorConfig;
    use crate::payloads;

    #[test]
    fn guild_create_shows_a_denial_as_a_member_overwrite_for_the_bot() {
        let mut world = World::new(EmulatorConfig::default(), String::new());
        let guild = world.scripted[0].clone();
        world.change_denied(guild.text_channel, |bits| bits | permission::SEND_MESSAGES);
        let payload = payloads::guild_create(&world, &world.guilds[&guild.id]);
        let overwrites = |id: Snowflake| {
            payload["channels"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == json!(id.to_string()))
                .unwrap()["permission_overwrites"]
                .clone()
        };
        assert_eq!(
            overwrites(guild.text_channel),
            json!([{
                "id": world.bot_id.to_string(),
                "type": 1,
                "allow": "0",
                "deny": permission::SEND_MESSAGES.to_string(),
            }])
        );
        assert_eq!(overwrites(guild.forum_channel), json!([]));
        world.change_denied(guild.text_channel, |bits| bits & !permission::SEND_MESSAGES);
        let channel = world.channel(guild.text_channel).unwrap();
        assert_eq!(
            payloads::channel(&world, channel)["permission_overwrites"],
            json!([])
        );
    }
}
