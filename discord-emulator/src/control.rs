//! A line-based control protocol for the binary's stdin: parse a line, then apply it.
//!
//! ```text
//! say <channel> <user> <text...>        a member posts a message
//! slash <user> <channel> <name...> [json] a member runs a slash command
//! drop                                  drop gateway connections (the bot resumes)
//! reconnect                             send op 7 RECONNECT
//! messages <channel>                    print the channel's messages as JSON lines
//! help
//! ```
//!
//! Ids may be numbers or the first guild's names: `channel`, `forum`, `admin`, `member`,
//! `owner`, `guild`.
//!
//! A `slash` line names the command as a person types it, subcommands included
//! (`slash admin channel ponder setup {"schedule":"daily 09:00"}`), as
//! [`Emulator::run_slash_command`] does; the options are a JSON object (or Discord's raw
//! option array) and may be left out. The bot's answer is printed when it arrives, as
//! `answer interaction=ID (ephemeral): text` (continuation lines indented by two spaces;
//! `(ephemeral)` when only the member who ran the command sees it), see [`answer_lines`].

use std::time::Duration;

use serde_json::Value;

use crate::emulator::Emulator;
use crate::ids::Snowflake;
use crate::interaction::{InteractionHandle, callback};
use crate::payloads;

/// An id as typed: a number or a scripted name.
#[derive(Clone, Debug, PartialEq)]
pub enum IdRef {
    Id(Snowflake),
    Name(String),
}

/// One parsed control line.
#[derive(Clone, Debug, PartialEq)]
pub enum ControlCommand {
    Say {
        channel: IdRef,
        user: IdRef,
        text: String,
    },
    Slash {
        user: IdRef,
        channel: IdRef,
        name: String,
        options: Value,
    },
    Drop,
    Reconnect,
    Messages {
        channel: IdRef,
    },
    Help,
}

pub const HELP: &str = "commands: say <channel> <user> <text> | slash <user> <channel> <name> [subcommand...] [json] | drop | reconnect | messages <channel> | help";

fn id_ref(word: &str) -> IdRef {
    word.parse()
        .map_or_else(|_| IdRef::Name(word.to_owned()), IdRef::Id)
}

/// Splits off the first whitespace-separated word.
fn word(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_start();
    if line.is_empty() {
        return None;
    }
    Some(line.split_once(char::is_whitespace).unwrap_or((line, "")))
}

/// Parses one line; `Ok(None)` for a blank line.
pub fn parse(line: &str) -> Result<Option<ControlCommand>, String> {
    let Some((verb, rest)) = word(line) else {
        return Ok(None);
    };
    let missing = || format!("usage: {HELP}");
    let command = match verb {
        "say" => {
            let (channel, rest) = word(rest).ok_or_else(missing)?;
            let (user, text) = word(rest).ok_or_else(missing)?;
            if text.trim().is_empty() {
                return Err(missing());
            }
            ControlCommand::Say {
                channel: id_ref(channel),
                user: id_ref(user),
                text: text.trim().to_owned(),
            }
        }
        "slash" => {
            let (user, rest) = word(rest).ok_or_else(missing)?;
            let (channel, rest) = word(rest).ok_or_else(missing)?;
            // The command's name and subcommands run up to the options' JSON.
            let json_at = rest.find(['{', '[']).unwrap_or(rest.len());
            let (name, json) = rest.split_at(json_at);
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            if name.is_empty() {
                return Err(missing());
            }
            let options = if json.trim().is_empty() {
                Value::Null
            } else {
                serde_json::from_str(json.trim()).map_err(|e| format!("bad options JSON: {e}"))?
            };
            ControlCommand::Slash {
                user: id_ref(user),
                channel: id_ref(channel),
                name: name.to_owned(),
                options,
            }
        }
        "drop" => ControlCommand::Drop,
        "reconnect" => ControlCommand::Reconnect,
        "messages" => ControlCommand::Messages {
            channel: id_ref(word(rest).ok_or_else(missing)?.0),
        },
        "help" => ControlCommand::Help,
        other => return Err(format!("unknown command {other:?}; {HELP}")),
    };
    Ok(Some(command))
}

fn resolve(emulator: &Emulator, id: &IdRef) -> Result<Snowflake, String> {
    let guild = emulator.guild();
    match id {
        IdRef::Id(id) => Ok(*id),
        IdRef::Name(name) => match name.as_str() {
            "guild" => Ok(guild.id),
            "channel" => Ok(guild.text_channel),
            "forum" => Ok(guild.forum_channel),
            "admin" => Ok(guild.admin),
            "member" => Ok(guild.member),
            "owner" => Ok(guild.owner),
            other => Err(format!("unknown name {other:?}")),
        },
    }
}

/// What applying a control line gave: lines to print now, and for a slash command the
/// interaction whose answer is printed when it arrives (see [`answer_lines`]).
#[derive(Debug)]
pub struct Applied {
    pub lines: Vec<String>,
    pub interaction: Option<InteractionHandle>,
}

/// Applies a command.
pub fn apply(emulator: &Emulator, command: ControlCommand) -> Result<Applied, String> {
    let mut interaction = None;
    let lines = match command {
        ControlCommand::Say {
            channel,
            user,
            text,
        } => {
            let channel = resolve(emulator, &channel)?;
            let user = resolve(emulator, &user)?;
            let message = emulator
                .send_message(channel, user, &text)
                .map_err(|e| e.to_string())?;
            vec![format!("ok message={}", message.id)]
        }
        ControlCommand::Slash {
            user,
            channel,
            name,
            options,
        } => {
            let user = resolve(emulator, &user)?;
            let channel = resolve(emulator, &channel)?;
            let handle = emulator
                .run_slash_command(user, channel, &name, options)
                .map_err(|e| e.to_string())?;
            let line = format!("ok interaction={}", handle.id());
            interaction = Some(handle);
            vec![line]
        }
        ControlCommand::Drop => {
            emulator.drop_gateway();
            vec!["ok".to_owned()]
        }
        ControlCommand::Reconnect => {
            emulator.request_reconnect();
            vec!["ok".to_owned()]
        }
        ControlCommand::Messages { channel } => {
            let channel = resolve(emulator, &channel)?;
            emulator.with_world(|w| {
                w.messages
                    .get(&channel)
                    .into_iter()
                    .flat_map(|m| m.values())
                    .filter(|m| !m.is_ephemeral())
                    .map(|m| payloads::message(w, m).to_string())
                    .collect()
            })
        }
        ControlCommand::Help => vec![HELP.to_owned()],
    };
    Ok(Applied { lines, interaction })
}

/// Waits (up to `timeout`) for the bot's answer to an interaction and describes it:
/// `answer interaction=ID (ephemeral): text`, one such line per message (a deferred
/// answer's message, then any followups), continuation lines indented by two spaces.
pub async fn answer_lines(handle: &InteractionHandle, timeout: Duration) -> Vec<String> {
    let id = handle.id();
    let none = || vec![format!("answer interaction={id}: none within {timeout:?}")];
    let Ok(response) = handle.wait_response(timeout).await else {
        return none();
    };
    match response.kind {
        callback::CHANNEL_MESSAGE | callback::UPDATE_MESSAGE => vec![answer_line(
            id,
            response.is_ephemeral(),
            response.content().unwrap_or(""),
        )],
        callback::DEFERRED_CHANNEL_MESSAGE | callback::DEFERRED_UPDATE_MESSAGE => {
            // The answer arrives as an edit of the original response, or as followups.
            let arrived = handle
                .emulator
                .wait_until(timeout, |_| {
                    let original = handle.original_message().filter(|m| !m.content.is_empty());
                    let followups = handle.followups();
                    (original.is_some() || !followups.is_empty()).then_some((original, followups))
                })
                .await;
            let Ok((original, followups)) = arrived else {
                return none();
            };
            original
                .into_iter()
                .chain(followups)
                .map(|m| answer_line(id, m.is_ephemeral(), &m.content))
                .collect()
        }
        callback::MODAL => vec![format!(
            "answer interaction={id}: a form (modal `{}`)",
            response.custom_id().unwrap_or("")
        )],
        callback::AUTOCOMPLETE_RESULT => vec![format!(
            "answer interaction={id}: choices {}",
            Value::Array(response.choices())
        )],
        other => vec![format!("answer interaction={id}: callback type {other}")],
    }
}

fn answer_line(id: Snowflake, ephemeral: bool, text: &str) -> String {
    let mark = if ephemeral { " (ephemeral)" } else { "" };
    format!(
        "answer interaction={id}{mark}: {}",
        text.lines().collect::<Vec<_>>().join("\n  ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_lines_parse_into_commands() {
        let cases: Vec<(&str, Result<Option<ControlCommand>, ()>)> = vec![
            ("", Ok(None)),
            (
                "say channel member hello there",
                Ok(Some(ControlCommand::Say {
                    channel: IdRef::Name("channel".into()),
                    user: IdRef::Name("member".into()),
                    text: "hello there".into(),
                })),
            ),
            (
                "say 12 34 hi",
                Ok(Some(ControlCommand::Say {
                    channel: IdRef::Id(12),
                    user: IdRef::Id(34),
                    text: "hi".into(),
                })),
            ),
            ("say 12 34", Err(())),
            (
                "slash admin channel ponder {\"topic\":\"tea\"}",
                Ok(Some(ControlCommand::Slash {
                    user: IdRef::Name("admin".into()),
                    channel: IdRef::Name("channel".into()),
                    name: "ponder".into(),
                    options: serde_json::json!({"topic": "tea"}),
                })),
            ),
            ("slash admin channel ponder {oops", Err(())),
            (
                "slash admin channel ponder setup {\"schedule\":\"daily 09:00\"}",
                Ok(Some(ControlCommand::Slash {
                    user: IdRef::Name("admin".into()),
                    channel: IdRef::Name("channel".into()),
                    name: "ponder setup".into(),
                    options: serde_json::json!({"schedule": "daily 09:00"}),
                })),
            ),
            (
                "slash admin channel ponder schedule list",
                Ok(Some(ControlCommand::Slash {
                    user: IdRef::Name("admin".into()),
                    channel: IdRef::Name("channel".into()),
                    name: "ponder schedule list".into(),
                    options: Value::Null,
                })),
            ),
            ("slash admin channel", Err(())),
            ("drop", Ok(Some(ControlCommand::Drop))),
            ("frobnicate", Err(())),
        ];
        for (line, want) in cases {
            assert_eq!(parse(line).map_err(|_| ()), want, "{line:?}");
        }
    }
}
