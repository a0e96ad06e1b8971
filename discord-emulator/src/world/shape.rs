//! Mid-size guilds: what a real community's GUILD_CREATE carries, so a bot's memory can be
//! measured against something like production (see [`GuildShape::MidSize`]).
//!
//! [`GuildShape::MidSize`]: crate::GuildShape::MidSize

use super::{World, blank_channel};
use crate::ids::{Snowflake, now_ms};
use crate::model::{Channel, Emoji, Member, Role, channel_kind};
use crate::perms::permission;

/// Users the mid-size guilds draw their members from.
const CROWD: usize = 2_000;
pub(crate) const CATEGORIES: usize = 3;
pub(crate) const TEXT_CHANNELS: usize = 24;
pub(crate) const VOICE_CHANNELS: usize = 7;
/// Roles besides the three scripted ones.
pub(crate) const EXTRA_ROLES: usize = 21;
/// Members besides the four scripted ones: a page of 100 in all.
pub(crate) const EXTRA_MEMBERS: usize = 96;
pub(crate) const EMOJIS: usize = 20;

impl World {
    /// Adds categories, text and voice channels, roles, members and emojis to a scripted
    /// guild (36 channels, 24 roles, 100 members, 20 emojis in all).
    pub(crate) fn fill_mid_size(&mut self, guild_id: Snowflake, index: usize) {
        if self.crowd.is_empty() {
            for n in 0..CROWD {
                let id = self.new_user(&format!("member-{n}"));
                self.crowd.push(id);
            }
        }
        let mut categories = Vec::new();
        for c in 0..CATEGORIES {
            let id = self.ids.next();
            let name = ["Community", "Topics", "Voice"][c % 3];
            self.insert_channel(blank_channel(
                id,
                guild_id,
                channel_kind::CATEGORY,
                name,
                c as u16,
            ));
            categories.push(id);
        }
        for t in 0..TEXT_CHANNELS {
            let id = self.ids.next();
            self.insert_channel(Channel {
                parent_id: Some(categories[t % 2]),
                topic: Some(format!("Talk about topic {t} here; be kind.")),
                rate_limit_per_user: if t % 5 == 0 { 10 } else { 0 },
                ..blank_channel(
                    id,
                    guild_id,
                    channel_kind::TEXT,
                    &format!("topic-{t}"),
                    2 + t as u16,
                )
            });
        }
        for v in 0..VOICE_CHANNELS {
            let id = self.ids.next();
            self.insert_channel(Channel {
                parent_id: Some(categories[2]),
                ..blank_channel(
                    id,
                    guild_id,
                    channel_kind::VOICE,
                    &format!("Lounge {v}"),
                    v as u16,
                )
            });
        }
        let mut roles = Vec::new();
        for r in 0..EXTRA_ROLES {
            roles.push(Role {
                id: self.ids.next(),
                name: format!("Role {r}"),
                permissions: permission::EVERYONE,
                position: 3 + r as u16,
                managed_by_bot: None,
                mentionable: false,
            });
        }
        let role_ids: Vec<Snowflake> = roles.iter().map(|r| r.id).collect();
        let mut emojis = Vec::new();
        for e in 0..EMOJIS {
            emojis.push(Emoji {
                id: self.ids.next(),
                name: format!("emoji_{e}"),
                animated: e % 4 == 0,
            });
        }
        let joined = now_ms();
        let members: Vec<Member> = (0..EXTRA_MEMBERS)
            .map(|k| Member {
                user_id: self.crowd[(index * 97 + k) % CROWD],
                roles: vec![
                    role_ids[k % role_ids.len()],
                    role_ids[(k * 7 + 3) % role_ids.len()],
                ],
                joined_at_ms: joined,
            })
            .collect();
        if let Some(guild) = self.guilds.get_mut(&guild_id) {
            guild.roles.extend(roles);
            guild.emojis = emojis;
            for m in members {
                guild.members.entry(m.user_id).or_insert(m);
            }
        }
    }
}
