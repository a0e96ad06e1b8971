//! What a permission self-check finds missing, as values: rendered in the
//! answer's language by message ids (a platform's own permission names, as
//! Discord's "Manage Threads", stay as the platform names them: operators
//! search for them), and stored in `channels.missing_permissions` in a
//! language-neutral form that older, English rows also read from.

use crate::i18n::Lang;

/// An action a Matrix room's power levels may keep Ponder from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowerAction {
    /// Sending messages (`m.room.message`).
    Send,
    /// Redacting its own messages (for `forget-me`).
    RedactOwn,
    /// Changing the room's pinned events.
    Pin,
}

impl PowerAction {
    fn key(self) -> &'static str {
        match self {
            PowerAction::Send => "send",
            PowerAction::RedactOwn => "redact",
            PowerAction::Pin => "pin",
        }
    }

    fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "send" => PowerAction::Send,
            "redact" => PowerAction::RedactOwn,
            "pin" => PowerAction::Pin,
            _ => return None,
        })
    }

    fn text(self, lang: Lang) -> String {
        match self {
            PowerAction::Send => crate::tr!(lang, "missing-action-send"),
            PowerAction::RedactOwn => crate::tr!(lang, "missing-action-redact"),
            PowerAction::Pin => crate::tr!(lang, "missing-action-pin"),
        }
    }
}

/// One thing the bot lacks in a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// A platform permission by the platform's own name ("Manage Threads").
    Permission(String),
    /// The permission (by the platform's name) that pinning prompts needs.
    PinPermission(String),
    /// A role a schedule pings does not exist (by its id).
    RoleGone(String),
    /// A role a schedule pings is not mentionable and the bot lacks
    /// `permission` (the platform's name) to mention it anyway.
    RoleUnmentionable { role: String, permission: String },
    /// A Matrix power level the bot lacks for an action; `mine: None` is
    /// the highest (a room creator's).
    PowerLevel {
        action: PowerAction,
        level: i64,
        mine: Option<i64>,
    },
    /// A user a schedule pings is not in the room.
    NotInRoom(String),
    /// The check itself failed, with the error (diagnostic, as it came).
    CheckFailed(String),
    /// Text a row written before these values holds (English), shown as is.
    Text(String),
}

/// Marks the stored form of a value that is not a plain permission name.
const TAG: &str = "ponder:";

/// A field of a stored value: what would split it (`,` between values, `:`
/// between fields) escaped.
fn escape(s: &str) -> String {
    s.replace('%', "%25")
        .replace(',', "%2C")
        .replace(':', "%3A")
}

fn unescape(s: &str) -> String {
    s.replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

impl Missing {
    /// The language-neutral form `channels.missing_permissions` keeps (a
    /// plain permission is its name, as rows always had it).
    pub fn stored(&self) -> String {
        let tagged = |kind: &str, fields: &[&str]| {
            let fields: Vec<String> = fields.iter().map(|f| escape(f)).collect();
            format!("{TAG}{kind}:{}", fields.join(":"))
        };
        match self {
            Missing::Permission(name) | Missing::Text(name) => name.clone(),
            Missing::PinPermission(p) => tagged("pin", &[p]),
            Missing::RoleGone(role) => tagged("role-gone", &[role]),
            Missing::RoleUnmentionable { role, permission } => {
                tagged("role-unmentionable", &[role, permission])
            }
            Missing::PowerLevel {
                action,
                level,
                mine,
            } => {
                let mine = mine.map_or_else(|| "max".to_string(), |m| m.to_string());
                tagged("power", &[action.key(), &level.to_string(), &mine])
            }
            Missing::NotInRoom(user) => tagged("not-in-room", &[user]),
            Missing::CheckFailed(error) => tagged("check-failed", &[error]),
        }
    }

    /// One stored value read back; what it does not know (a row an older
    /// Ponder wrote, in English) is text shown as it is.
    fn from_stored(s: &str) -> Missing {
        let text = || Missing::Text(s.to_string());
        let Some(rest) = s.strip_prefix(TAG) else {
            return text();
        };
        let parts: Vec<String> = rest.split(':').map(unescape).collect();
        let [kind, fields @ ..] = parts.as_slice() else {
            return text();
        };
        match (kind.as_str(), fields) {
            ("pin", [p]) => Missing::PinPermission(p.clone()),
            ("role-gone", [r]) => Missing::RoleGone(r.clone()),
            ("role-unmentionable", [role, permission]) => Missing::RoleUnmentionable {
                role: role.clone(),
                permission: permission.clone(),
            },
            ("power", [action, level, mine]) => {
                match (PowerAction::from_key(action), level.parse()) {
                    (Some(action), Ok(level)) => Missing::PowerLevel {
                        action,
                        level,
                        mine: mine.parse().ok(),
                    },
                    _ => text(),
                }
            }
            ("not-in-room", [u]) => Missing::NotInRoom(u.clone()),
            ("check-failed", [e]) => Missing::CheckFailed(e.clone()),
            _ => text(),
        }
    }

    /// The column's text for a check's findings (`None`: nothing missing).
    pub fn store_all(missing: &[Missing]) -> Vec<String> {
        missing.iter().map(Missing::stored).collect()
    }

    /// What a stored column holds, as values (old English rows included:
    /// their parts read as text and render as they were).
    pub fn read_stored(column: &str) -> Vec<Missing> {
        column
            .split(", ")
            .filter(|s| !s.is_empty())
            .map(Missing::from_stored)
            .collect()
    }

    /// How a member reads it in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Missing::Permission(name) | Missing::Text(name) => name.clone(),
            Missing::PinPermission(p) => crate::tr!(lang, "missing-pin", permission = p.as_str()),
            // a role's name is a server manager's text: visible characters, short
            Missing::RoleGone(role) => {
                crate::tr!(lang, "missing-role-gone", role = crate::text::echo(role))
            }
            Missing::RoleUnmentionable { role, permission } => crate::tr!(
                lang,
                "missing-role-unmentionable",
                role = crate::text::echo(role),
                permission = permission.as_str()
            ),
            Missing::PowerLevel {
                action,
                level,
                mine,
            } => {
                let mine = match mine {
                    Some(m) => m.to_string(),
                    None => crate::tr!(lang, "missing-power-highest"),
                };
                crate::tr!(
                    lang,
                    "missing-power",
                    action = action.text(lang),
                    level = level.to_string(),
                    mine = mine
                )
            }
            Missing::NotInRoom(user) => {
                crate::tr!(lang, "missing-not-in-room", user = user.as_str())
            }
            Missing::CheckFailed(error) => {
                crate::tr!(lang, "missing-check-failed", error = error.as_str())
            }
        }
    }

    /// A list of them in `lang`, comma-separated.
    pub fn list(missing: &[Missing], lang: Lang) -> String {
        missing
            .iter()
            .map(|m| m.text(lang))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_reads_back_from_its_stored_form() {
        let all = [
            Missing::Permission("Manage Threads".into()),
            Missing::PinPermission("Manage Messages".into()),
            Missing::RoleGone("123".into()),
            Missing::RoleUnmentionable {
                role: "Readers: all, 100%".into(),
                permission: "Mention @everyone, @here, and All Roles".into(),
            },
            Missing::PowerLevel {
                action: PowerAction::Pin,
                level: 50,
                mine: Some(0),
            },
            Missing::PowerLevel {
                action: PowerAction::Send,
                level: 10,
                mine: None,
            },
            Missing::NotInRoom("@ann:example.org".into()),
            Missing::CheckFailed("timed out: 5s, twice".into()),
        ];
        let column = Missing::store_all(&all).join(", ");
        let back = Missing::read_stored(&column);
        // a plain name with ", " in it reads back as parts that render the same
        assert_eq!(
            Missing::list(&back, Lang::En),
            Missing::list(&all, Lang::En)
        );
        assert_eq!(back[1..], all[1..]);
    }

    #[test]
    fn an_old_english_row_reads_as_it_was() {
        let old = "Manage Threads, Mention @everyone, @here, and All Roles (the role Readers is not mentionable), the check itself failed: boom";
        assert_eq!(Missing::list(&Missing::read_stored(old), Lang::De), old);
    }

    #[test]
    fn a_failed_check_reads_in_the_language_with_its_error_as_it_came() {
        let failed = Missing::CheckFailed("timed out".into());
        let back = Missing::read_stored(&failed.stored());
        assert_eq!(back, std::slice::from_ref(&failed));
        assert_eq!(
            failed.text(Lang::De),
            "die Prüfung selbst ist fehlgeschlagen: timed out"
        );
        assert_eq!(failed.text(Lang::En), "the check itself failed: timed out");
    }
}
