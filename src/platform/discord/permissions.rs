//! The permission self-check: Ponder computes its own permissions in a
//! channel the way Discord does (the @everyone role, its roles, then the
//! channel's overwrites for @everyone, its roles and itself) and names each
//! one its work there needs and lacks.

use reqwest::Method;
use serde_json::Value;

use super::{DiscordChat, GUILD_FORUM, codes};
use crate::engine::{ChatError, Missing, Needs};

pub const VIEW_CHANNEL: u64 = 1 << 10;
pub const SEND_MESSAGES: u64 = 1 << 11;
pub const MANAGE_MESSAGES: u64 = 1 << 13;
pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
pub const MENTION_EVERYONE: u64 = 1 << 17;
pub const MANAGE_THREADS: u64 = 1 << 34;
pub const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
const ADMINISTRATOR: u64 = 1 << 3;

/// What Ponder needs in a text channel, with Discord's names.
const TEXT_NEEDS: &[(u64, &str)] = &[
    (VIEW_CHANNEL, "View Channel"),
    (SEND_MESSAGES, "Send Messages"),
    (CREATE_PUBLIC_THREADS, "Create Public Threads"),
    (SEND_MESSAGES_IN_THREADS, "Send Messages in Threads"),
    (MANAGE_THREADS, "Manage Threads"),
    (READ_MESSAGE_HISTORY, "Read Message History"),
];

/// In a forum, posting is creating a post (Send Messages).
const FORUM_NEEDS: &[(u64, &str)] = &[
    (VIEW_CHANNEL, "View Channel"),
    (SEND_MESSAGES, "Send Messages (Create Posts)"),
    (SEND_MESSAGES_IN_THREADS, "Send Messages in Posts"),
    (MANAGE_THREADS, "Manage Threads"),
    (READ_MESSAGE_HISTORY, "Read Message History"),
];

/// Discord's names of what pinning and mentioning a role need.
const MANAGE_MESSAGES_NAME: &str = "Manage Messages";
const MENTION_EVERYONE_NAME: &str = "Mention @everyone, @here, and All Roles";

fn bits(v: &Value) -> u64 {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_u64())
        .unwrap_or(0)
}

/// Discord's algorithm: base permissions from roles, then the channel's
/// overwrites (@everyone, then the member's roles together, then the member).
pub fn compute(
    guild_id: &str,
    owner_id: &str,
    user_id: &str,
    member_roles: &[String],
    roles: &[Value],
    overwrites: &[Value],
) -> u64 {
    if owner_id == user_id {
        return u64::MAX;
    }
    let mut perms = roles
        .iter()
        .filter(|r| {
            let id = r["id"].as_str().unwrap_or_default();
            id == guild_id || member_roles.iter().any(|m| m == id)
        })
        .fold(0, |acc, r| acc | bits(&r["permissions"]));
    if perms & ADMINISTRATOR != 0 {
        return u64::MAX;
    }
    let of = |pred: &dyn Fn(&Value) -> bool| {
        overwrites
            .iter()
            .filter(|o| pred(o))
            .fold((0u64, 0u64), |(allow, deny), o| {
                (allow | bits(&o["allow"]), deny | bits(&o["deny"]))
            })
    };
    let id_of = |o: &Value| o["id"].as_str().unwrap_or_default().to_string();
    let (allow, deny) = of(&|o| id_of(o) == guild_id);
    perms = (perms & !deny) | allow;
    let (allow, deny) = of(&|o| {
        o["type"].as_i64() == Some(0) && member_roles.contains(&id_of(o)) && id_of(o) != guild_id
    });
    perms = (perms & !deny) | allow;
    let (allow, deny) = of(&|o| o["type"].as_i64() == Some(1) && id_of(o) == user_id);
    (perms & !deny) | allow
}

/// What Ponder lacks in `channel`, by Discord's names.
pub async fn missing(
    chat: &DiscordChat,
    channel: &str,
    needs: &Needs,
) -> Result<Vec<Missing>, ChatError> {
    let call = |path: String| async move {
        chat.rest
            .call(Method::GET, &path, None)
            .await
            .map_err(|e| e.meaning("View Channel", channel))
    };
    let ch = call(format!("/channels/{channel}")).await?;
    let guild_id = ch["guild_id"].as_str().unwrap_or_default().to_string();
    let me = call("/users/@me".into()).await?;
    let me = me["id"].as_str().unwrap_or_default().to_string();
    let guild = call(format!("/guilds/{guild_id}")).await?;
    let member = call(format!("/guilds/{guild_id}/members/{me}")).await?;
    let member_roles: Vec<String> = member["roles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().map(String::from))
        .collect();
    let roles = guild["roles"].as_array().cloned().unwrap_or_default();
    let overwrites = ch["permission_overwrites"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let have = compute(
        &guild_id,
        guild["owner_id"].as_str().unwrap_or_default(),
        &me,
        &member_roles,
        &roles,
        &overwrites,
    );
    let roles: Vec<RoleInfo> = roles
        .iter()
        .map(|r| RoleInfo {
            id: r["id"].as_str().unwrap_or_default().to_string(),
            name: r["name"].as_str().unwrap_or_default().to_string(),
            mentionable: r["mentionable"] == true,
        })
        .collect();
    Ok(names_missing(
        have,
        ch["type"].as_i64() == Some(GUILD_FORUM),
        needs,
        &roles,
    ))
}

/// What the self-check knows of a role it may have to ping.
#[derive(Debug)]
pub struct RoleInfo {
    pub id: String,
    pub name: String,
    pub mentionable: bool,
}

/// What `have` lacks for Ponder's work in a channel (permissions by
/// Discord's names).
pub fn names_missing(have: u64, forum: bool, needs: &Needs, roles: &[RoleInfo]) -> Vec<Missing> {
    let base = if forum { FORUM_NEEDS } else { TEXT_NEEDS };
    let mut out: Vec<Missing> = base
        .iter()
        .filter(|(bit, _)| have & bit == 0)
        .map(|(_, name)| Missing::Permission(name.to_string()))
        .collect();
    if needs.pin && have & MANAGE_MESSAGES == 0 {
        out.push(Missing::PinPermission(MANAGE_MESSAGES_NAME.into()));
    }
    for role in &needs.ping {
        match roles.iter().find(|r| r.id == *role) {
            None => out.push(Missing::RoleGone(role.clone())),
            Some(r) if !r.mentionable && have & MENTION_EVERYONE == 0 => {
                out.push(Missing::RoleUnmentionable {
                    role: r.name.clone(),
                    permission: MENTION_EVERYONE_NAME.into(),
                })
            }
            _ => {}
        }
    }
    out
}

impl DiscordChat {
    /// Whether a user is in the channel's server and may see the channel
    /// (View Channel, computed as Discord does from the roles and the
    /// channel's overwrites as they are now).
    pub(super) async fn can_view(&self, channel: &str, user_id: &str) -> Result<bool, ChatError> {
        let get = |path: String| async move { self.rest.call(Method::GET, &path, None).await };
        let ch = get(format!("/channels/{channel}"))
            .await
            .map_err(|e| e.meaning("View Channel", channel))?;
        let Some(guild_id) = ch["guild_id"].as_str() else {
            return Ok(false);
        };
        let member = match get(format!("/guilds/{guild_id}/members/{user_id}")).await {
            Ok(m) => m,
            // Unknown Member / Unknown User: not in that server.
            Err(e)
                if matches!(
                    e.code(),
                    Some(codes::UNKNOWN_MEMBER) | Some(codes::UNKNOWN_USER)
                ) =>
            {
                return Ok(false);
            }
            Err(e) => return Err(e.meaning("View Channel", channel)),
        };
        let guild = get(format!("/guilds/{guild_id}"))
            .await
            .map_err(|e| e.meaning("View Channel", channel))?;
        let member_roles: Vec<String> = member["roles"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str().map(String::from))
            .collect();
        let have = compute(
            guild_id,
            guild["owner_id"].as_str().unwrap_or_default(),
            user_id,
            &member_roles,
            guild["roles"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default(),
            ch["permission_overwrites"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default(),
        );
        Ok(have & VIEW_CHANNEL != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn overwrites_apply_in_discords_order() {
        let roles = vec![
            json!({"id": "1", "permissions": (VIEW_CHANNEL | SEND_MESSAGES).to_string()}),
            json!({"id": "2", "permissions": MANAGE_THREADS.to_string()}),
        ];
        let me = vec!["2".to_string()];
        let base = compute("1", "9", "5", &me, &roles, &[]);
        assert_eq!(base, VIEW_CHANNEL | SEND_MESSAGES | MANAGE_THREADS);
        let overwrites = vec![
            json!({"id": "1", "type": 0, "allow": "0", "deny": SEND_MESSAGES.to_string()}),
            json!({"id": "2", "type": 0, "allow": SEND_MESSAGES.to_string(), "deny": "0"}),
            json!({"id": "5", "type": 1, "allow": "0", "deny": MANAGE_THREADS.to_string()}),
        ];
        let got = compute("1", "9", "5", &me, &roles, &overwrites);
        assert_eq!(
            got,
            VIEW_CHANNEL | SEND_MESSAGES,
            "role allow beats @everyone deny; member deny wins"
        );
        assert_eq!(
            compute("1", "5", "5", &me, &roles, &overwrites),
            u64::MAX,
            "the owner has all"
        );
        let admin = vec![json!({"id": "1", "permissions": ADMINISTRATOR.to_string()})];
        assert_eq!(compute("1", "9", "5", &[], &admin, &overwrites), u64::MAX);
    }
}
