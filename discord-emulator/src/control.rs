//! A line-based control protocol for the binary's stdin: parse a line, then apply it.
//!
//! ```text
//! say <channel> <user> <text...>      a member posts a message
//! slash <user> <channel> <name> [json] a member runs a slash command
//! drop                                drop gateway connections (the bot resumes)
//! reconnect                           send op 7 RECONNECT
//! messages <channel>                  print the channel's messages as JSON lines
//! help
//! ```
//!
//! Ids may be numbers or the first guild's names: `channel`, `forum`, `admin`, `member`,
//! `owner`, `guild`.

use serde_json::Value;

use crate::emulator::Emulator;
use crate::ids::Snowflake;
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

pub const HELP: &str = "commands: say <channel> <user> <text> | slash <user> <channel> <name> [json] | drop | reconnect | messages <channel> | help";

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
            let (name, json) = word(rest).ok_or_else(missing)?;
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

/// Applies a command; returns the lines to print.
pub fn apply(emulator: &Emulator, command: ControlCommand) -> Result<Vec<String>, String> {
    let out = match command {
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
            vec![format!("ok interaction={}", handle.id())]
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
    Ok(out)
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
            ("drop", Ok(Some(ControlCommand::Drop))),
            ("frobnicate", Err(())),
        ];
        for (line, want) in cases {
            assert_eq!(parse(line).map_err(|_| ()), want, "{line:?}");
        }
    }
}
