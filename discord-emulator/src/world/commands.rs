//! Registered application commands, validated the way Discord validates them.

use serde_json::{Value, json};

use crate::error::DiscordError;
use crate::ids::Snowflake;

use super::World;

const CHAT_INPUT: u64 = 1;
const SUB_COMMAND: u64 = 1;
const SUB_COMMAND_GROUP: u64 = 2;
const MAX_OPTIONS: usize = 25;

impl World {
    /// Bulk-overwrites the global (`guild: None`) or a guild's commands.
    pub(crate) fn put_commands(
        &mut self,
        guild: Option<Snowflake>,
        body: &Value,
    ) -> Result<Vec<Value>, DiscordError> {
        if let Some(g) = guild {
            self.guild(g)?;
        }
        let list = body.as_array().ok_or_else(|| {
            DiscordError::invalid_form("_root", "ARRAY_TYPE_CONVERT", "Expected an array.")
        })?;
        for (i, command) in list.iter().enumerate() {
            validate_command(command, &i.to_string())?;
        }
        for (i, a) in list.iter().enumerate() {
            if list[..i].iter().any(|b| same_command(a, b)) {
                return Err(DiscordError::invalid_form(
                    &i.to_string(),
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    "Application command names must be unique",
                ));
            }
        }
        let previous = self.commands.remove(&guild).unwrap_or_default();
        let stored: Vec<Value> = list
            .iter()
            .map(|c| {
                let id = previous
                    .iter()
                    .find(|p| same_command(p, c))
                    .and_then(|p| p.get("id"))
                    .and_then(crate::payloads::parse_id);
                self.render_command(guild, c, id)
            })
            .collect();
        self.commands.insert(guild, stored.clone());
        Ok(stored)
    }

    /// Creates or replaces one command (POST upsert).
    pub(crate) fn upsert_command(
        &mut self,
        guild: Option<Snowflake>,
        body: &Value,
    ) -> Result<Value, DiscordError> {
        if let Some(g) = guild {
            self.guild(g)?;
        }
        validate_command(body, "")?;
        let mut list = self.commands.remove(&guild).unwrap_or_default();
        let id = list
            .iter()
            .find(|p| same_command(p, body))
            .and_then(|p| p.get("id"))
            .and_then(crate::payloads::parse_id);
        list.retain(|p| !same_command(p, body));
        let stored = self.render_command(guild, body, id);
        list.push(stored.clone());
        self.commands.insert(guild, list);
        Ok(stored)
    }

    pub(crate) fn delete_command(
        &mut self,
        guild: Option<Snowflake>,
        id: Snowflake,
    ) -> Result<(), DiscordError> {
        let list = self.commands.entry(guild).or_default();
        let before = list.len();
        list.retain(|c| c.get("id").and_then(crate::payloads::parse_id) != Some(id));
        if list.len() == before {
            return Err(DiscordError::unknown_command());
        }
        Ok(())
    }

    pub(crate) fn list_commands(&self, guild: Option<Snowflake>) -> Vec<Value> {
        self.commands.get(&guild).cloned().unwrap_or_default()
    }

    /// The chat-input command a user would see in `guild`: guild commands shadow global ones.
    pub(crate) fn find_command(&self, guild: Snowflake, name: &str) -> Option<&Value> {
        let named = |c: &&Value| {
            c.get("name").and_then(Value::as_str) == Some(name)
                && c.get("type").and_then(Value::as_u64) == Some(CHAT_INPUT)
        };
        self.commands
            .get(&Some(guild))
            .and_then(|l| l.iter().find(named))
            .or_else(|| self.commands.get(&None).and_then(|l| l.iter().find(named)))
    }

    fn render_command(
        &mut self,
        guild: Option<Snowflake>,
        body: &Value,
        id: Option<Snowflake>,
    ) -> Value {
        let mut command = body.clone();
        let id = id.unwrap_or_else(|| self.ids.next());
        let version = self.ids.next();
        let map = command.as_object_mut().expect("validated as an object");
        map.insert("id".into(), json!(id.to_string()));
        map.insert("application_id".into(), json!(self.app_id.to_string()));
        map.insert("version".into(), json!(version.to_string()));
        map.entry("type").or_insert(json!(CHAT_INPUT));
        map.entry("description").or_insert(json!(""));
        map.entry("options").or_insert(json!([]));
        map.entry("default_member_permissions")
            .or_insert(Value::Null);
        map.entry("nsfw").or_insert(json!(false));
        map.entry("integration_types").or_insert(json!([0]));
        map.entry("contexts").or_insert(Value::Null);
        map.entry("name_localizations").or_insert(Value::Null);
        map.entry("description_localizations")
            .or_insert(Value::Null);
        match guild {
            Some(g) => {
                map.insert("guild_id".into(), json!(g.to_string()));
            }
            None => {
                map.entry("dm_permission").or_insert(json!(true));
            }
        }
        command
    }
}

fn same_command(a: &Value, b: &Value) -> bool {
    let kind = |v: &Value| v.get("type").and_then(Value::as_u64).unwrap_or(CHAT_INPUT);
    a.get("name") == b.get("name") && kind(a) == kind(b)
}

fn form_error(field: &str, message: &str) -> DiscordError {
    DiscordError::invalid_form(field, "APPLICATION_COMMAND_INVALID", message)
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Chat-input names: 1-32 lowercase letters, digits, `-` or `_`.
fn valid_chat_name(name: &str) -> bool {
    let len = name.chars().count();
    (1..=32).contains(&len)
        && name
            .chars()
            .all(|c| c == '-' || c == '_' || (c.is_alphanumeric() && !c.is_uppercase()))
}

fn validate_command(command: &Value, at: &str) -> Result<(), DiscordError> {
    if !command.is_object() {
        return Err(form_error(at, "Expected an object."));
    }
    let kind = command
        .get("type")
        .and_then(Value::as_u64)
        .unwrap_or(CHAT_INPUT);
    let name = command
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let description = command
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if kind == CHAT_INPUT {
        if !valid_chat_name(name) {
            return Err(form_error(&join(at, "name"), "Command name is invalid"));
        }
        let len = description.chars().count();
        if !(1..=100).contains(&len) {
            return Err(form_error(
                &join(at, "description"),
                "Must be between 1 and 100 in length.",
            ));
        }
        validate_options(command.get("options"), &join(at, "options"), 0)?;
    } else if name.is_empty() || name.chars().count() > 32 {
        return Err(form_error(
            &join(at, "name"),
            "Must be between 1 and 32 in length.",
        ));
    }
    Ok(())
}

fn validate_options(options: Option<&Value>, at: &str, depth: u8) -> Result<(), DiscordError> {
    let Some(options) = options.and_then(Value::as_array) else {
        return Ok(());
    };
    if options.len() > MAX_OPTIONS {
        return Err(form_error(at, "Must be 25 or fewer in length."));
    }
    let mut seen_optional = false;
    for (i, option) in options.iter().enumerate() {
        let here = join(at, &i.to_string());
        let name = option
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !valid_chat_name(name) {
            return Err(form_error(&join(&here, "name"), "Option name is invalid"));
        }
        let description = option
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !(1..=100).contains(&description.chars().count()) {
            return Err(form_error(
                &join(&here, "description"),
                "Must be between 1 and 100 in length.",
            ));
        }
        let kind = option.get("type").and_then(Value::as_u64).unwrap_or(0);
        if !(1..=11).contains(&kind) {
            return Err(form_error(&join(&here, "type"), "Invalid option type"));
        }
        if kind == SUB_COMMAND || kind == SUB_COMMAND_GROUP {
            if depth >= 2 || (kind == SUB_COMMAND_GROUP && depth >= 1) {
                return Err(form_error(&here, "Subcommands nested too deeply"));
            }
            validate_options(option.get("options"), &join(&here, "options"), depth + 1)?;
            continue;
        }
        let required = option
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if required && seen_optional {
            return Err(form_error(
                &here,
                "Required options must be placed before non-required options",
            ));
        }
        seen_optional |= !required;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_validation_follows_discord_rules() {
        let ok = json!({"name": "ponder", "description": "Prompts", "options": [
            {"type": 1, "name": "next", "description": "Post now", "options": [
                {"type": 3, "name": "topic", "description": "t", "required": true},
                {"type": 4, "name": "count", "description": "c"}
            ]}
        ]});
        assert!(validate_command(&ok, "0").is_ok());
        let cases = [
            json!({"name": "Ponder", "description": "x"}),
            json!({"name": "has space", "description": "x"}),
            json!({"name": "p", "description": ""}),
            json!({"name": "p", "description": "x", "options": [
                {"type": 3, "name": "a", "description": "a"},
                {"type": 3, "name": "b", "description": "b", "required": true}
            ]}),
        ];
        for case in cases {
            assert_eq!(
                validate_command(&case, "0").unwrap_err().code,
                50035,
                "{case}"
            );
        }
        assert!(
            validate_command(
                &json!({"type": 3, "name": "Quote This", "description": ""}),
                "0"
            )
            .is_ok()
        );
    }
}
