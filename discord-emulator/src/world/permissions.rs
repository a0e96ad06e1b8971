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
