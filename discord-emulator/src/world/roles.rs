//! Roles a test adds, and who may mention them.
//!
//! Discord's rule for `<@&role>` in a message: the role is in `mention_roles` only if
//! `allowed_mentions` lets roles (or that role) parse, and the role is mentionable or the
//! author has MENTION_EVERYONE in the channel ("Mention @everyone, @here, and All Roles").

use serde_json::json;

use crate::emulator::Emulator;
use crate::error::DiscordError;
use crate::gateway::Dispatch;
use crate::ids::Snowflake;
use crate::model::{Channel, Role};
use crate::payloads;
use crate::perms::{intents, permission};

use super::{Guild, World};

impl World {
    /// Adds a role without permissions at the top of the guild's roles (GUILD_ROLE_CREATE).
    pub(crate) fn add_role(
        &mut self,
        guild_id: Snowflake,
        name: &str,
        mentionable: bool,
    ) -> Result<Role, DiscordError> {
        let id = self.ids.next();
        let guild = self
            .guilds
            .get_mut(&guild_id)
            .ok_or_else(DiscordError::unknown_guild)?;
        let position = guild
            .roles
            .iter()
            .map(|r| r.position + 1)
            .max()
            .unwrap_or(0);
        let role = Role {
            id,
            name: name.to_owned(),
            permissions: 0,
            position,
            managed_by_bot: None,
            mentionable,
        };
        guild.roles.push(role.clone());
        self.dispatch(Dispatch {
            event: "GUILD_ROLE_CREATE",
            guild_id: Some(guild_id),
            intent: Some(intents::GUILDS),
            data: json!({"guild_id": guild_id.to_string(), "role": payloads::role(&role)}),
            content_gated: false,
        });
        Ok(role)
    }

    /// Whether `author`'s `<@&role>` in `channel` pings the role (`allowed_mentions` aside).
    pub(super) fn can_mention_role(
        &self,
        guild: &Guild,
        channel: &Channel,
        author: Snowflake,
        role: Snowflake,
    ) -> bool {
        guild.roles.iter().find(|r| r.id == role).is_some_and(|r| {
            r.mentionable
                || self.permissions_in(channel, author) & permission::MENTION_EVERYONE != 0
        })
    }
}

impl Emulator {
    /// Adds a role with no permissions to a guild and returns its id; sessions with the
    /// GUILDS intent get GUILD_ROLE_CREATE. Give it to members with
    /// [`Emulator::add_member`]. `<@&id>` in a message mentions it (see
    /// [`Message::mention_roles`](crate::Message::mention_roles)) only if `allowed_mentions`
    /// permits and the role is `mentionable` or the author has MENTION_EVERYONE.
    ///
    /// # Panics
    ///
    /// If `guild` is not one of the emulator's guilds.
    pub fn add_role(&self, guild: Snowflake, name: &str, mentionable: bool) -> Snowflake {
        self.with_world(|w| w.add_role(guild, name, mentionable))
            .unwrap_or_else(|e| panic!("add_role({guild}): {e}"))
            .id
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::config::EmulatorConfig;
    use crate::world::{MessageDraft, Origin};

    struct Case {
        world: World,
        channel: Snowflake,
        member: Snowflake,
        admin: Snowflake,
        open: Snowflake,
        closed: Snowflake,
    }

    fn case() -> Case {
        let mut world = World::new(EmulatorConfig::default(), String::new());
        let g = world.scripted[0].clone();
        let open = world.add_role(g.id, "Readers", true).unwrap().id;
        let closed = world.add_role(g.id, "Staff", false).unwrap().id;
        Case {
            world,
            channel: g.text_channel,
            member: g.member,
            admin: g.admin,
            open,
            closed,
        }
    }

    /// `mention_roles` of a message `author` posts with this content and allowed_mentions.
    fn mentioned(
        c: &mut Case,
        author: Snowflake,
        content: &str,
        allowed: Option<Value>,
    ) -> Vec<Snowflake> {
        let draft = MessageDraft {
            content: content.to_owned(),
            allowed_mentions: allowed,
            ..MessageDraft::default()
        };
        let origin = if author == c.world.bot_id {
            Origin::bot_rest(author)
        } else {
            Origin::member(author)
        };
        c.world
            .create_message(c.channel, origin, draft)
            .unwrap()
            .mention_roles
    }

    #[test]
    fn a_mentionable_role_is_mentioned_by_anyone_when_allowed_mentions_is_absent() {
        let mut c = case();
        let content = format!("<@&{}> and <@&{}>", c.open, c.closed);
        let member = c.member;
        assert_eq!(mentioned(&mut c, member, &content, None), [c.open]);
    }

    #[test]
    fn an_unmentionable_role_needs_mention_everyone_in_the_channel() {
        let mut c = case();
        let content = format!("<@&{}>", c.closed);
        let (admin, bot) = (c.admin, c.world.bot_id);
        assert_eq!(mentioned(&mut c, admin, &content, None), [c.closed]);
        assert_eq!(mentioned(&mut c, bot, &content, None), [c.closed]);
        // A denied MENTION_EVERYONE in the channel takes it away from the bot.
        let channel = c.channel;
        c.world
            .change_denied(channel, |bits| bits | permission::MENTION_EVERYONE);
        assert!(mentioned(&mut c, bot, &content, None).is_empty());
    }

    #[test]
    fn allowed_mentions_with_an_empty_parse_blocks_roles_unless_listed() {
        let mut c = case();
        let content = format!("<@&{}> <@&{}>", c.open, c.closed);
        let bot = c.world.bot_id;
        let none = json!({"parse": []});
        assert!(mentioned(&mut c, bot, &content, Some(none)).is_empty());
        let one = json!({"parse": [], "roles": [c.closed.to_string()]});
        assert_eq!(mentioned(&mut c, bot, &content, Some(one)), [c.closed]);
        let users_only = json!({"parse": ["users"]});
        assert!(mentioned(&mut c, bot, &content, Some(users_only)).is_empty());
        let roles = json!({"parse": ["roles"]});
        assert_eq!(
            mentioned(&mut c, bot, &content, Some(roles)),
            [c.open, c.closed]
        );
    }

    #[test]
    fn unknown_roles_and_roles_of_other_guilds_are_not_mentioned() {
        let mut c = case();
        let member = c.member;
        assert!(mentioned(&mut c, member, "<@&42>", None).is_empty());
        let mut world = World::new(
            EmulatorConfig {
                guilds: 2,
                ..EmulatorConfig::default()
            },
            String::new(),
        );
        let (first, second) = (world.scripted[0].clone(), world.scripted[1].clone());
        let elsewhere = world.add_role(second.id, "Elsewhere", true).unwrap().id;
        let draft = MessageDraft {
            content: format!("<@&{elsewhere}>"),
            ..MessageDraft::default()
        };
        let message = world
            .create_message(first.text_channel, Origin::member(first.member), draft)
            .unwrap();
        assert!(message.mention_roles.is_empty());
    }

    #[test]
    fn added_roles_render_complete_payloads() {
        let c = case();
        let g = &c.world.guilds[&c.world.scripted[0].id];
        let role = g.roles.iter().find(|r| r.id == c.open).unwrap();
        let payload = payloads::role(role);
        assert_eq!(payload["mentionable"], true);
        assert_eq!(payload["permissions"], "0");
        assert_eq!(payload["managed"], false);
        assert_eq!(role.position, 3, "above the scripted roles");
    }
}
