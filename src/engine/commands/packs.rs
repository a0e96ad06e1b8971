//! A community's own packs, in chat (admins): `prompts import` (a `.toml`
//! file, checked exactly as `ponder check` checks prompt files and applied
//! only when all of it is valid), `prompts show|disable|enable ID`,
//! `prompts remove-pack|export-pack PACK`, `packs use`, and `prompts draft`
//! (a pack drafted from a text file, answered as a file).
//!
//! Rules where the issue left a choice:
//! - A pack imported in a Discord server is offered in every channel of
//!   that server; on Matrix and the console, in that room only. A channel
//!   that draws from every pack (no `packs` set) draws from it at once.
//! - Ids are unique across every pack a channel can draw from: an imported
//!   pack may not take a shipped pack's id (nor `suggestions`), and its
//!   prompts may not take a shipped prompt's id or one of the community's
//!   other packs'. Importing a pack again under its id replaces it.
//! - Disabling is per community (a prompt that fell flat in a server is
//!   retired in all its channels) and works for shipped prompts too.
//! - `packs use all` draws from every pack, whatever the config says; a
//!   choice made in chat wins over the config's `packs` and survives restarts.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{Answer, Refusal, refuse};
use crate::db::{ChannelRow, NewPack};
use crate::domain::command::Attached;
use crate::engine::Engine;
use crate::engine::own_packs::community_of;
use crate::engine::suggestions::SUGGESTIONS_PACK;
use crate::prompt_files::draft::draft_pack_counted;
use crate::prompt_files::{PackError, PackErrors, load_sources};
use crate::text::plural;

/// The largest pack file `prompts import` takes (what adapters accept).
pub use crate::domain::command::MAX_UPLOAD_BYTES as MAX_PACK_BYTES;
/// The most packs one community may import.
pub const MAX_COMMUNITY_PACKS: usize = 20;
/// The most prompts one community's packs may hold together.
pub const MAX_COMMUNITY_PROMPTS: usize = 2000;
/// The most problems an answer lists in its text (all are in its file).
const PROBLEMS_LISTED: usize = 15;

/// The file handed to a command, or why there is none.
fn file_of(file: Attached, what: &str) -> anyhow::Result<(String, Vec<u8>)> {
    match file {
        Attached::File { name, bytes } => Ok((printable(&name), bytes)),
        Attached::Unusable(why) => refuse(why),
        Attached::Missing | Attached::Path(_) => refuse(format!(
            "Attach {what}: on Discord as the command's `file` option; on Matrix, send the file in this room first, then the command; on the console, give its path."
        )),
    }
}

/// A member's file name without control or invisible format characters
/// (bidi overrides, zero-width ones): it is shown back as written.
fn printable(name: &str) -> String {
    let invisible = |c: char| {
        c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{061c}' | '\u{00ad}')
    };
    let name: String = name.chars().filter(|c| !invisible(*c)).take(100).collect();
    if name.trim().is_empty() {
        "file".into()
    } else {
        name
    }
}

/// The file as UTF-8 text, or a refusal naming it.
fn text_of(name: &str, bytes: Vec<u8>) -> anyhow::Result<String> {
    String::from_utf8(bytes).map_err(|_| {
        Refusal(format!(
            "`{name}` is not UTF-8 text, so Ponder cannot read it."
        ))
        .into()
    })
}

/// The line of the first `KEY = "VALUE"` at or after line `from` (1-based).
fn line_of(text: &str, key: &str, value: &str, from: usize) -> usize {
    let quoted = [format!("\"{value}\""), format!("'{value}'")];
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
                && quoted.iter().any(|q| l.contains(q.as_str()))
        })
        .map_or(0, |(i, _)| i + 1)
}

/// An answer listing a file's problems: the first few in its text, every
/// one in an attached file when there are more.
fn problems_answer(name: &str, problems: &[PackError]) -> Answer {
    let mut text = format!(
        "{} in `{name}`; nothing was imported:\n",
        plural(problems.len() as i64, "problem", "problems")
    );
    for p in problems.iter().take(PROBLEMS_LISTED) {
        let _ = writeln!(text, "- {p}");
    }
    let mut answer = Answer::default();
    if problems.len() > PROBLEMS_LISTED {
        let _ = writeln!(
            text,
            "… and {} more, all in the attached file.",
            problems.len() - PROBLEMS_LISTED
        );
        let all: String = problems.iter().map(|p| format!("{p}\n")).collect();
        answer.file = Some((format!("{name}.problems.txt"), all));
    }
    answer.text = text.trim_end().to_string();
    answer
}

/// The ids a pack file names: its own and its prompts' (`None` for a
/// prompt whose id does not read).
struct Named {
    pack: String,
    prompts: Vec<Option<String>>,
}

impl Named {
    /// The ids of a file that reads as TOML but not as a pack; `None` when
    /// it is not TOML at all (its syntax error is the one problem to fix).
    fn from_toml(text: &str) -> Option<Named> {
        let table: toml::Table = text.parse().ok()?;
        let id = |t: &toml::Table| t.get("id").and_then(|v| v.as_str()).map(String::from);
        let prompts = match table.get("prompt") {
            Some(toml::Value::Array(items)) => {
                items.iter().map(|p| p.as_table().and_then(id)).collect()
            }
            _ => Vec::new(),
        };
        Some(Named {
            pack: id(&table).unwrap_or_default(),
            prompts,
        })
    }
}

impl Engine {
    /// `prompts import`: a pack of the community's own.
    pub(super) async fn pack_import(
        &self,
        channel: &ChannelRow,
        file: Attached,
    ) -> anyhow::Result<Answer> {
        let (name, bytes) = file_of(file, "the pack's .toml file")?;
        if bytes.len() > MAX_PACK_BYTES {
            return refuse(format!(
                "`{name}` is {} KB; a pack file may be at most {} KB.",
                bytes.len().div_ceil(1024),
                MAX_PACK_BYTES / 1024
            ));
        }
        let text = text_of(&name, bytes)?;
        // one import at a time: two cannot both pass the limits or take one id
        let _one = self.own_packs.imports.lock().await;
        let path = PathBuf::from(&name);
        let (set, mut problems) = match load_sources(&[(path.clone(), text.clone())]) {
            Ok(set) => (Some(set), Vec::new()),
            Err(PackErrors(problems)) => (None, problems),
        };
        let problem = |line: usize, field: &str, message: String| PackError {
            file: path.clone(),
            line,
            field: field.to_string(),
            message,
        };
        // the ids are checked even when the file has other problems, so one
        // answer says everything (as far as the file reads as TOML)
        let named = match set.as_ref().and_then(|s| s.packs.first()) {
            Some(pack) => Named {
                pack: pack.id.clone(),
                prompts: pack.prompts.iter().map(|p| Some(p.id.clone())).collect(),
            },
            None => match Named::from_toml(&text) {
                Some(named) => named,
                None => return Ok(problems_answer(&name, &problems)),
            },
        };
        let community = community_of(channel);
        let shipped = self.prompts();
        let own = self.own_packs(&community).await?;
        let others: Vec<_> = self
            .db
            .community_packs(&community)
            .await?
            .into_iter()
            .filter(|r| r.pack_id != named.pack)
            .collect();
        let first_prompt = text
            .lines()
            .position(|l| l.replace([' ', '\t'], "").starts_with("[[prompt]]"))
            .map_or(usize::MAX, |i| i + 1);
        let pack_line = line_of(&text, "id", &named.pack, 1).min(first_prompt);
        let pack_line = if pack_line == usize::MAX {
            0
        } else {
            pack_line
        };
        let pack_id = named.pack.as_str();
        if shipped.packs.iter().any(|p| p.id == pack_id) {
            problems.push(problem(
                pack_line,
                "id",
                format!("`{pack_id}` is the id of a pack Ponder ships; choose another"),
            ));
        } else if pack_id == SUGGESTIONS_PACK || pack_id == "all" {
            problems.push(problem(
                pack_line,
                "id",
                format!("`{pack_id}` is a word Ponder keeps for itself; choose another"),
            ));
        }
        for (i, id) in named.prompts.iter().enumerate() {
            let Some(id) = id else { continue };
            let taken = match (shipped.get(id), own.get(id)) {
                _ if id.starts_with("suggestion-") => {
                    Some("an approved suggestion (ids `suggestion-N` are theirs)".to_string())
                }
                (Some(s), _) => Some(format!("a prompt Ponder ships (in `{}`)", s.pack)),
                (None, Some(o)) if o.pack != pack_id => {
                    Some(format!("a prompt of your pack `{}`", o.pack))
                }
                _ => None,
            };
            if let Some(taken) = taken {
                problems.push(problem(
                    line_of(&text, "id", id, first_prompt),
                    &format!("prompt[{}].id", i + 1),
                    format!(
                        "`{id}` is already the id of {taken}; ids are unique across every pack, choose another"
                    ),
                ));
            }
        }
        if others.len() >= MAX_COMMUNITY_PACKS {
            problems.push(problem(
                0,
                "",
                format!(
                    "this community has {} packs, the most it may have; remove one first (`prompts remove-pack`)",
                    others.len()
                ),
            ));
        }
        let total = others.iter().map(|r| r.prompts as usize).sum::<usize>() + named.prompts.len();
        if total > MAX_COMMUNITY_PROMPTS {
            problems.push(problem(
                0,
                "",
                format!(
                    "with it this community's packs would hold {total} prompts; they may hold {MAX_COMMUNITY_PROMPTS}"
                ),
            ));
        }
        let pack = match set.as_ref().and_then(|s| s.packs.first()) {
            Some(pack) if problems.is_empty() => pack,
            _ => return Ok(problems_answer(&name, &problems)),
        };
        let now = self.clock.now().timestamp();
        let stored = NewPack {
            pack_id: &pack.id,
            title: &pack.title,
            file_name: &name,
            source: &text,
            prompts: pack.prompts.len(),
        };
        let replaced = self.db.put_community_pack(&community, &stored, now).await?;
        let n = plural(pack.prompts.len() as i64, "prompt", "prompts");
        let mut said = match replaced {
            Some(old) => format!(
                "Replaced pack `{}` (\"{}\"): {n}, was {old}.",
                pack.id, pack.title
            ),
            None => format!("Imported pack `{}` (\"{}\"): {n}.", pack.id, pack.title),
        };
        said.push_str(if channel.guild.is_some() {
            " It is offered in this server's channels only."
        } else {
            " It is offered in this room only."
        });
        let packs = channel.pack_list();
        if packs.is_empty() || packs.contains(&pack.id) {
            said.push_str(" This channel draws from it.");
        } else {
            let _ = write!(
                said,
                " This channel draws from {} only: `packs use {},{}` adds it.",
                packs.join(", "),
                packs.join(","),
                pack.id
            );
        }
        Ok(Answer::text(said))
    }

    /// `prompts draft PACK`: a pack drafted from a text, as a file.
    pub(super) fn pack_draft(
        &self,
        file: Attached,
        pack: &str,
        title: Option<&str>,
    ) -> anyhow::Result<Answer> {
        let (name, bytes) = file_of(file, "the text to draft from (plain text or Markdown)")?;
        let text = text_of(&name, bytes)?;
        let drafted =
            draft_pack_counted(&text, pack, title, &name).map_err(|e| Refusal(format!("{e}.")))?;
        Ok(Answer {
            text: format!(
                "Drafted pack `{pack}` from `{name}`: {} as written and {} marked `draft = true`. Edit them, delete the draft marks, then import the file with `prompts import`.",
                plural(drafted.questions as i64, "question", "questions"),
                plural(drafted.candidates as i64, "candidate", "candidates"),
            ),
            file: Some((format!("{pack}.toml"), drafted.toml)),
            ..Answer::default()
        })
    }
}
