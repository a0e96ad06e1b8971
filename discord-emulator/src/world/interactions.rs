//! Interactions: slash commands, autocomplete and modal submits sent to the bot, and the
//! bot's callbacks, original responses and followups.

use std::time::Instant;

use serde_json::{Map, Value, json};

use crate::error::DiscordError;
use crate::gateway::Dispatch;
use crate::ids::Snowflake;
use crate::interaction::InteractionResponse;
use crate::model::{EPHEMERAL, LOADING, Message};
use crate::payloads;

use super::World;
use super::attachments::UploadedFile;
use super::components::BUTTON;
use super::messages::{MessageDraft, Origin};

pub(crate) const APPLICATION_COMMAND: u8 = 2;
pub(crate) const MESSAGE_COMPONENT: u8 = 3;
pub(crate) const AUTOCOMPLETE: u8 = 4;
pub(crate) const MODAL_SUBMIT: u8 = 5;

const CALLBACK_PONG: u64 = 1;
const CALLBACK_MESSAGE: u64 = 4;
const CALLBACK_DEFERRED_MESSAGE: u64 = 5;
const CALLBACK_DEFERRED_UPDATE: u64 = 6;
const CALLBACK_UPDATE_MESSAGE: u64 = 7;
const CALLBACK_AUTOCOMPLETE: u64 = 8;
const CALLBACK_MODAL: u64 = 9;

const MESSAGE_TYPE_CHAT_INPUT: u8 = 20;
/// Option type ATTACHMENT: a file the member uploads with the command.
const ATTACHMENT_OPTION: u64 = 11;

/// One interaction the emulator sent, and what the bot did with it.
#[derive(Clone, Debug)]
pub(crate) struct Interaction {
    pub(crate) id: Snowflake,
    pub(crate) token: String,
    pub(crate) kind: u8,
    pub(crate) channel_id: Snowflake,
    pub(crate) user_id: Snowflake,
    pub(crate) name: String,
    pub(crate) created: Instant,
    pub(crate) response: Option<InteractionResponse>,
    pub(crate) original: Option<Snowflake>,
    pub(crate) followups: Vec<Snowflake>,
    /// Component clicks and modals opened from one: the message the component is on.
    pub(crate) message: Option<Snowflake>,
}

/// What a test asks to send.
pub(crate) enum InteractionRequest<'a> {
    Command {
        name: &'a str,
        options: &'a Value,
        focused: Option<&'a str>,
    },
    ModalSubmit {
        custom_id: &'a str,
        values: &'a [(&'a str, &'a str)],
        /// Set when the modal was opened from a component on this message.
        message: Option<Snowflake>,
    },
    /// A button click on a message in the channel (validated by the caller).
    Component {
        message: Snowflake,
        custom_id: &'a str,
    },
}

impl World {
    /// Sends INTERACTION_CREATE on behalf of `user` in `channel_id`; returns (id, token).
    pub(crate) fn start_interaction(
        &mut self,
        user_id: Snowflake,
        channel_id: Snowflake,
        request: InteractionRequest<'_>,
    ) -> Result<(Snowflake, String), DiscordError> {
        let channel = self.channel(channel_id)?.clone();
        let guild_id = channel.guild_id;
        let member = self.member(guild_id, user_id)?.clone();
        let id = self.ids.next();
        let token = format!("emu-interaction-{id}");
        let mut source = None;
        let (kind, name, data) = match request {
            InteractionRequest::Command {
                name,
                options,
                focused,
            } => {
                let mut path = name.split_whitespace();
                let root = path.next().unwrap_or_default();
                let command = self
                    .find_command(guild_id, root)
                    .ok_or_else(DiscordError::unknown_command)?
                    .clone();
                let subpath: Vec<&str> = path.collect();
                let (options, resolved) =
                    self.command_options(&command, &subpath, options, focused, &channel)?;
                let mut data = json!({
                    "id": command["id"],
                    "name": root,
                    "type": 1,
                    "options": options,
                });
                if let Some(g) = command.get("guild_id") {
                    data["guild_id"] = g.clone();
                }
                if !resolved.is_empty() {
                    data["resolved"] = Value::Object(resolved);
                }
                let kind = if focused.is_some() {
                    AUTOCOMPLETE
                } else {
                    APPLICATION_COMMAND
                };
                (kind, name.to_owned(), data)
            }
            InteractionRequest::ModalSubmit {
                custom_id,
                values,
                message,
            } => {
                source = message;
                let rows: Vec<Value> = values
                    .iter()
                    .map(|(field, value)| {
                        json!({"type": 1, "components": [
                            {"type": 4, "custom_id": field, "value": value}
                        ]})
                    })
                    .collect();
                let data = json!({"custom_id": custom_id, "components": rows});
                (MODAL_SUBMIT, custom_id.to_owned(), data)
            }
            InteractionRequest::Component { message, custom_id } => {
                source = Some(message);
                let data = json!({"custom_id": custom_id, "component_type": BUTTON});
                (MESSAGE_COMPONENT, custom_id.to_owned(), data)
            }
        };
        let source_json = match source {
            Some(m) => Some(payloads::message(self, self.message(channel_id, m)?)),
            None => None,
        };
        let user_perms = self.permissions_in(&channel, user_id);
        let app_perms = self.permissions_in(&channel, self.bot_id);
        let mut member_json = payloads::member(self, &member, true);
        member_json["permissions"] = json!(user_perms.to_string());
        let mut channel_json = payloads::channel(self, &channel);
        channel_json["permissions"] = json!(user_perms.to_string());
        let mut payload = json!({
            "id": id.to_string(),
            "application_id": self.app_id.to_string(),
            "type": kind,
            "data": data,
            "guild_id": guild_id.to_string(),
            "guild": {"id": guild_id.to_string(), "locale": "en-US", "features": []},
            "channel_id": channel_id.to_string(),
            "channel": channel_json,
            "member": member_json,
            "token": token,
            "version": 1,
            "app_permissions": app_perms.to_string(),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": guild_id.to_string()},
            "context": 0,
            "attachment_size_limit": 26_214_400,
        });
        if let Some(message) = source_json {
            payload["message"] = message;
        }
        self.interactions.insert(
            id,
            Interaction {
                id,
                token: token.clone(),
                kind,
                channel_id,
                user_id,
                name,
                created: Instant::now(),
                response: None,
                original: None,
                followups: Vec::new(),
                message: source,
            },
        );
        self.interaction_tokens.insert(token.clone(), id);
        self.dispatch(Dispatch {
            event: "INTERACTION_CREATE",
            guild_id: Some(guild_id),
            intent: None,
            data: payload,
            content_gated: false,
        });
        Ok((id, token))
    }

    /// Turns test-friendly options into Discord's option array plus `resolved` data.
    ///
    /// `given` is either Discord's own array (passed through) or an object `{name: value}`
    /// whose option types come from the registered command. An ATTACHMENT option's value
    /// is a file (see `command_upload`): it is stored, the option carries its id and
    /// `resolved.attachments` its attachment object, as Discord does.
    fn command_options(
        &mut self,
        command: &Value,
        subpath: &[&str],
        given: &Value,
        focused: Option<&str>,
        channel: &crate::model::Channel,
    ) -> Result<(Value, Map<String, Value>), DiscordError> {
        let mut schema = command.get("options").cloned().unwrap_or(json!([]));
        let mut wrappers = Vec::new();
        for part in subpath {
            let sub = schema
                .as_array()
                .and_then(|opts| opts.iter().find(|o| o["name"] == *part))
                .cloned()
                .ok_or_else(|| {
                    DiscordError::invalid_form(
                        "data.options",
                        "UNKNOWN_OPTION",
                        &format!("No subcommand {part}"),
                    )
                })?;
            wrappers.push((part.to_string(), sub["type"].clone()));
            schema = sub.get("options").cloned().unwrap_or(json!([]));
        }
        let mut resolved = Map::new();
        let mut options = match given {
            Value::Array(raw) => raw.clone(),
            Value::Null => Vec::new(),
            Value::Object(map) => {
                let mut out = Vec::new();
                for (name, value) in map {
                    let spec = schema
                        .as_array()
                        .and_then(|opts| opts.iter().find(|o| o["name"] == name.as_str()))
                        .ok_or_else(|| {
                            DiscordError::invalid_form(
                                "data.options",
                                "UNKNOWN_OPTION",
                                &format!("The command has no option {name}"),
                            )
                        })?;
                    let kind = spec["type"].as_u64().unwrap_or(3);
                    let mut option = json!({"name": name, "type": kind});
                    if focused == Some(name.as_str()) {
                        option["value"] = json!(
                            value
                                .as_str()
                                .map_or_else(|| value.to_string(), str::to_owned)
                        );
                        option["focused"] = json!(true);
                    } else if kind == ATTACHMENT_OPTION {
                        let field = format!("data.options.{name}");
                        let file = self.command_upload(channel.id, value, &field)?;
                        option["value"] = json!(file.id.to_string());
                        resolved
                            .entry("attachments")
                            .or_insert_with(|| json!({}))
                            .as_object_mut()
                            .expect("bucket is an object")
                            .insert(file.id.to_string(), payloads::attachment(&file, true));
                    } else {
                        option["value"] = option_value(kind, value);
                        self.resolve(kind, &option["value"], channel, &mut resolved);
                    }
                    out.push(option);
                }
                if focused.is_none() {
                    for spec in schema.as_array().into_iter().flatten() {
                        let required = spec["required"].as_bool().unwrap_or(false);
                        if required && !map.contains_key(spec["name"].as_str().unwrap_or_default())
                        {
                            return Err(DiscordError::invalid_form(
                                "data.options",
                                "REQUIRED_OPTION_MISSING",
                                &format!("Option {} is required", spec["name"]),
                            ));
                        }
                    }
                }
                out
            }
            _ => {
                return Err(DiscordError::invalid_form(
                    "data.options",
                    "OPTIONS_TYPE",
                    "Options must be an array or an object",
                ));
            }
        };
        for (name, kind) in wrappers.into_iter().rev() {
            options = vec![json!({"name": name, "type": kind, "options": options})];
        }
        Ok((Value::Array(options), resolved))
    }

    /// Adds `resolved` entries for user, channel, role and mentionable options.
    fn resolve(
        &self,
        kind: u64,
        value: &Value,
        channel: &crate::model::Channel,
        resolved: &mut Map<String, Value>,
    ) {
        let Some(id) = payloads::parse_id(value) else {
            return;
        };
        let mut put = |bucket: &str, entry: Value| {
            resolved
                .entry(bucket)
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .expect("bucket is an object")
                .insert(id.to_string(), entry);
        };
        if matches!(kind, 6 | 9)
            && let Some(user) = self.users.get(&id)
        {
            put("users", payloads::user(user));
            if let Ok(member) = self.member(channel.guild_id, id) {
                let mut m = payloads::member(self, member, false);
                m["permissions"] = json!(self.permissions_in(channel, id).to_string());
                put("members", m);
            }
            return;
        }
        if matches!(kind, 8 | 9)
            && let Some(role) = self
                .guilds
                .get(&channel.guild_id)
                .and_then(|g| g.roles.iter().find(|r| r.id == id))
        {
            put("roles", payloads::role(role));
            return;
        }
        if kind == 7
            && let Some(target) = self.channels.get(&id)
        {
            let mut c = payloads::channel(self, target);
            c["permissions"] = json!(self.permissions_in(target, self.bot_id).to_string());
            put("channels", c);
        }
    }

    fn interaction_by_token(
        &self,
        app: Snowflake,
        token: &str,
    ) -> Result<&Interaction, DiscordError> {
        if app != self.app_id {
            return Err(DiscordError::unknown_webhook());
        }
        self.interaction_tokens
            .get(token)
            .and_then(|id| self.interactions.get(id))
            .ok_or_else(DiscordError::unknown_webhook)
    }

    /// `POST /interactions/{id}/{token}/callback`; `files` go with types 4 and 7.
    pub(crate) fn interaction_callback(
        &mut self,
        id: Snowflake,
        token: &str,
        body: &Value,
        files: &[UploadedFile],
    ) -> Result<(), DiscordError> {
        let interaction = self
            .interactions
            .get(&id)
            .filter(|i| i.token == token)
            .ok_or_else(DiscordError::unknown_interaction)?
            .clone();
        if interaction.response.is_some() {
            return Err(DiscordError::already_acknowledged());
        }
        if let Some(deadline) = self.config.interaction_deadline
            && interaction.created.elapsed() > deadline
        {
            return Err(DiscordError::unknown_interaction());
        }
        let kind = body.get("type").and_then(Value::as_u64).unwrap_or(0);
        let data = body.get("data").cloned().unwrap_or(Value::Null);
        let original = match kind {
            CALLBACK_MESSAGE => {
                let draft = MessageDraft::from_json(&data, files, "data.")?;
                Some(self.interaction_message(&interaction, draft)?)
            }
            CALLBACK_DEFERRED_MESSAGE => {
                let flags = data.get("flags").and_then(Value::as_u64).unwrap_or(0) & EPHEMERAL;
                let draft = MessageDraft {
                    flags: flags | LOADING,
                    ..MessageDraft::default()
                };
                Some(self.interaction_message(&interaction, draft)?)
            }
            CALLBACK_MODAL => {
                let complete = ["custom_id", "title", "components"]
                    .iter()
                    .all(|k| data.get(k).is_some_and(|v| !v.is_null()));
                if !complete {
                    return Err(DiscordError::invalid_form(
                        "data",
                        "MODAL_INVALID",
                        "A modal needs custom_id, title and components",
                    ));
                }
                None
            }
            CALLBACK_AUTOCOMPLETE if interaction.kind != AUTOCOMPLETE => {
                return Err(DiscordError::new(400, 50035, "Invalid Form Body"));
            }
            // For a component (or a modal opened from one) the "original" is the message the
            // component is on: type 7 edits it now, type 6 lets `@original` edit it later.
            CALLBACK_UPDATE_MESSAGE | CALLBACK_DEFERRED_UPDATE if interaction.message.is_some() => {
                let (channel, message) = (interaction.channel_id, interaction.message.unwrap_or(0));
                if kind == CALLBACK_UPDATE_MESSAGE {
                    let bot = self.bot_id;
                    Some(self.edit_message(channel, message, bot, &data, files)?)
                } else {
                    Some(self.message(channel, message)?.clone())
                }
            }
            CALLBACK_PONG
            | CALLBACK_DEFERRED_UPDATE
            | CALLBACK_UPDATE_MESSAGE
            | CALLBACK_AUTOCOMPLETE => None,
            _ => {
                return Err(DiscordError::invalid_form(
                    "type",
                    "BASE_TYPE_CHOICES",
                    "Value must be one of {1, 4, 5, 6, 7, 8, 9, 10, 12}.",
                ));
            }
        };
        let stored = self.interactions.get_mut(&id).expect("checked above");
        stored.response = Some(InteractionResponse {
            kind: kind as u8,
            data,
        });
        stored.original = original.map(|m| m.id);
        Ok(())
    }

    /// A response or followup message by the application.
    fn interaction_message(
        &mut self,
        interaction: &Interaction,
        draft: MessageDraft,
    ) -> Result<Message, DiscordError> {
        let origin = Origin {
            author: self.bot_id,
            kind: if interaction.kind == APPLICATION_COMMAND {
                MESSAGE_TYPE_CHAT_INPUT
            } else {
                0
            },
            interaction: Some(interaction.id),
            check_bot_permissions: false,
        };
        self.create_message(interaction.channel_id, origin, draft)
    }

    /// The message a webhook route addresses: `@original` or a followup id.
    pub(crate) fn webhook_message(
        &self,
        app: Snowflake,
        token: &str,
        message: Option<Snowflake>,
    ) -> Result<&Message, DiscordError> {
        let interaction = self.interaction_by_token(app, token)?;
        let id = match message {
            None => interaction.original,
            Some(id) => interaction.followups.contains(&id).then_some(id),
        }
        .ok_or_else(DiscordError::unknown_message)?;
        self.messages
            .get(&interaction.channel_id)
            .and_then(|m| m.get(&id))
            .ok_or_else(DiscordError::unknown_message)
    }

    pub(crate) fn edit_webhook_message(
        &mut self,
        app: Snowflake,
        token: &str,
        message: Option<Snowflake>,
        patch: &Value,
        files: &[UploadedFile],
    ) -> Result<Message, DiscordError> {
        let (channel, id) = {
            let m = self.webhook_message(app, token, message)?;
            (m.channel_id, m.id)
        };
        self.edit_message(channel, id, self.bot_id, patch, files)
    }

    pub(crate) fn delete_webhook_message(
        &mut self,
        app: Snowflake,
        token: &str,
        message: Option<Snowflake>,
    ) -> Result<(), DiscordError> {
        let (channel, id) = {
            let m = self.webhook_message(app, token, message)?;
            (m.channel_id, m.id)
        };
        self.delete_message(channel, id, self.bot_id)
    }

    /// `POST /webhooks/{app}/{token}`: a followup. After a deferred response the first
    /// followup replaces the "thinking" message, as on Discord.
    pub(crate) fn create_followup(
        &mut self,
        app: Snowflake,
        token: &str,
        body: &Value,
        files: &[UploadedFile],
    ) -> Result<Message, DiscordError> {
        let interaction = self.interaction_by_token(app, token)?.clone();
        if interaction.response.is_none() {
            return Err(DiscordError::unknown_webhook());
        }
        let loading = interaction
            .original
            .and_then(|id| self.message(interaction.channel_id, id).ok())
            .is_some_and(|m| m.flags & LOADING != 0);
        if loading {
            MessageDraft::from_json(body, files, "")?;
            return self.edit_webhook_message(app, token, None, body, files);
        }
        let draft = MessageDraft::from_json(body, files, "")?;
        let message = self.interaction_message(&interaction, draft)?;
        if let Some(i) = self.interactions.get_mut(&interaction.id) {
            i.followups.push(message.id);
        }
        Ok(message)
    }
}

/// Coerces a test-supplied value to the JSON type Discord uses for an option type.
fn option_value(kind: u64, value: &Value) -> Value {
    let text = || {
        value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned)
    };
    match kind {
        4 => value
            .as_i64()
            .or_else(|| text().parse().ok())
            .map_or(Value::Null, |n| json!(n)),
        5 => value
            .as_bool()
            .or_else(|| text().parse().ok())
            .map_or(Value::Null, |b| json!(b)),
        10 => value
            .as_f64()
            .or_else(|| text().parse().ok())
            .map_or(Value::Null, |n| json!(n)),
        _ => json!(text()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::config::EmulatorConfig;

    #[test]
    fn attachment_options_upload_the_file_and_resolve_it() {
        let mut w = World::new(EmulatorConfig::default(), "ws://127.0.0.1:9/gateway".into());
        let command = json!({"name": "ponder", "options": [
            {"type": 2, "name": "prompts", "options": [
                {"type": 1, "name": "import", "options": [
                    {"type": 11, "name": "file", "required": true},
                    {"type": 3, "name": "note"}
                ]}
            ]}
        ]});
        let channel = w.channel(w.scripted[0].text_channel).unwrap().clone();
        let given = json!({"file": {"filename": "pack.toml", "content": "id = \"x\"\n"}});
        let (options, resolved) = w
            .command_options(&command, &["prompts", "import"], &given, None, &channel)
            .unwrap();
        let option = &options[0]["options"][0]["options"][0];
        assert_eq!(option["type"], 11);
        let id = option["value"].as_str().unwrap().to_owned();
        let file = &resolved["attachments"][&id];
        assert_eq!(file["id"], id.as_str());
        assert_eq!(file["filename"], "pack.toml");
        assert_eq!(file["size"], 9);
        assert_eq!(file["content_type"], "application/toml");
        assert_eq!(file["proxy_url"], file["url"]);
        let url = format!(
            "http://127.0.0.1:9/attachments/{}/{id}/pack.toml",
            channel.id
        );
        assert_eq!(file["url"], url.as_str());
        // Served at its url, and each download counted.
        let id: Snowflake = id.parse().unwrap();
        assert_eq!(w.downloads_of("pack.toml"), 0);
        let got = w.download_attachment(channel.id, id, "pack.toml").unwrap();
        assert_eq!(&got.bytes[..], b"id = \"x\"\n");
        assert!(
            w.download_attachment(channel.id + 1, id, "pack.toml")
                .is_none()
        );
        assert!(
            w.download_attachment(channel.id, id, "other.toml")
                .is_none()
        );
        assert_eq!(w.downloads_of("pack.toml"), 1);

        // Bytes as numbers; a value that is not a file is refused with the option's path.
        let given = json!({"file": {"filename": "a.bin", "bytes": [0, 255]}});
        let (options, resolved) = w
            .command_options(&command, &["prompts", "import"], &given, None, &channel)
            .unwrap();
        let id = options[0]["options"][0]["options"][0]["value"]
            .as_str()
            .unwrap();
        assert_eq!(resolved["attachments"][id]["size"], 2);
        assert!(resolved["attachments"][id]["content_type"].is_null());
        for bad in [
            json!("pack.toml"),
            json!({"filename": "a"}),
            json!({"content": "x"}),
        ] {
            let e = w
                .command_options(
                    &command,
                    &["prompts", "import"],
                    &json!({"file": bad}),
                    None,
                    &channel,
                )
                .unwrap_err();
            assert_eq!(e.code, 50035, "{bad}");
        }
    }
}
