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
use crate::i18n::Lang;
use crate::prompt_files::draft::{DraftError, MAX_DRAFT_INPUT, draft_pack_counted};
use crate::prompt_files::{PackError, PackErrors, Problem, load_sources};
use crate::tr;

/// The largest pack file `prompts import` takes (what adapters accept).
pub use crate::domain::command::MAX_UPLOAD_BYTES as MAX_PACK_BYTES;
/// The most packs one community may import.
pub const MAX_COMMUNITY_PACKS: usize = 20;
/// The most prompts one community's packs may hold together.
pub const MAX_COMMUNITY_PROMPTS: usize = 2000;
/// The most problems an answer lists in its text (all are in its file).
const PROBLEMS_LISTED: usize = 15;

/// The file handed to a command, or why there is none; `what` is the
/// message naming the file wanted.
fn file_of(file: Attached, what: String, lang: Lang) -> anyhow::Result<(String, Vec<u8>)> {
    match file {
        Attached::File { name, bytes } => Ok((printable(&name), bytes)),
        Attached::Unusable(why) => refuse(why.text(lang)),
        Attached::Missing | Attached::Path(_) => refuse(tr!(lang, "pack-attach", what = what)),
    }
}

/// A member's file name without control or invisible format characters
/// (bidi overrides, zero-width ones): it is shown back as written.
fn printable(name: &str) -> String {
    let name: String = crate::text::visible(name).chars().take(100).collect();
    if name.trim().is_empty() {
        "file".into()
    } else {
        name
    }
}

/// The file as UTF-8 text, or a refusal naming it.
fn text_of(name: &str, bytes: Vec<u8>, lang: Lang) -> anyhow::Result<String> {
    String::from_utf8(bytes).map_err(|_| Refusal(tr!(lang, "file-not-text", name = name)).into())
}

/// Why no pack could be drafted, as the caller reads it.
fn draft_refusal(e: DraftError, lang: Lang) -> Refusal {
    Refusal(match e {
        DraftError::BadId(id) => tr!(lang, "draft-bad-id", id = id),
        DraftError::TooLong(size) => {
            tr!(lang, "draft-too-long", size = size, max = MAX_DRAFT_INPUT)
        }
        DraftError::Nothing(count) => tr!(lang, "draft-nothing", count = count),
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
fn problems_answer(name: &str, problems: &[PackError], lang: Lang) -> Answer {
    let mut text = tr!(lang, "pack-problems", count = problems.len(), name = name);
    text.push('\n');
    for p in problems.iter().take(PROBLEMS_LISTED) {
        let _ = writeln!(text, "- {}", p.render(lang));
    }
    let mut answer = Answer::default();
    if problems.len() > PROBLEMS_LISTED {
        let more = problems.len() - PROBLEMS_LISTED;
        let _ = writeln!(text, "{}", tr!(lang, "pack-problems-more", count = more));
        let all: String = problems
            .iter()
            .map(|p| format!("{}\n", p.render(lang)))
            .collect();
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
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let (name, bytes) = file_of(file, tr!(lang, "pack-attach-pack"), lang)?;
        if bytes.len() > MAX_PACK_BYTES {
            return refuse(tr!(
                lang,
                "pack-too-large",
                name = name.as_str(),
                size = bytes.len().div_ceil(1024),
                max = MAX_PACK_BYTES / 1024
            ));
        }
        let text = text_of(&name, bytes, lang)?;
        // one import at a time: two cannot both pass the limits or take one id
        let _one = self.own_packs.imports.lock().await;
        let path = PathBuf::from(&name);
        let (set, mut problems) = match load_sources(&[(path.clone(), text.clone())]) {
            Ok(set) => (Some(set), Vec::new()),
            Err(PackErrors(problems)) => (None, problems),
        };
        let problem = |line: usize, field: &str, problem: Problem| PackError {
            file: path.clone(),
            line,
            field: field.to_string(),
            problem,
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
                None => return Ok(problems_answer(&name, &problems, lang)),
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
                Problem::new("pack-id-shipped", [("id", pack_id.to_string())]),
            ));
        } else if pack_id == SUGGESTIONS_PACK || pack_id == "all" {
            problems.push(problem(
                pack_line,
                "id",
                Problem::new("pack-id-reserved", [("id", pack_id.to_string())]),
            ));
        }
        for (i, id) in named.prompts.iter().enumerate() {
            let Some(id) = id else { continue };
            let taken = match (shipped.get(id), own.get(id)) {
                _ if id.starts_with("suggestion-") => Some(tr!(lang, "prompt-id-of-suggestion")),
                (Some(s), _) => Some(tr!(lang, "prompt-id-of-shipped", pack = s.pack.as_str())),
                (None, Some(o)) if o.pack != pack_id => {
                    Some(tr!(lang, "prompt-id-of-own", pack = o.pack.as_str()))
                }
                _ => None,
            };
            if let Some(taken) = taken {
                problems.push(problem(
                    line_of(&text, "id", id, first_prompt),
                    &format!("prompt[{}].id", i + 1),
                    Problem::new("prompt-id-taken", [("id", id.clone()), ("taken", taken)]),
                ));
            }
        }
        if others.len() >= MAX_COMMUNITY_PACKS {
            problems.push(problem(
                0,
                "",
                Problem::new("packs-too-many", [("count", others.len().to_string())]),
            ));
        }
        let total = others.iter().map(|r| r.prompts as usize).sum::<usize>() + named.prompts.len();
        if total > MAX_COMMUNITY_PROMPTS {
            problems.push(problem(
                0,
                "",
                Problem::new(
                    "packs-too-many-prompts",
                    [
                        ("total", total.to_string()),
                        ("max", MAX_COMMUNITY_PROMPTS.to_string()),
                    ],
                ),
            ));
        }
        let pack = match set.as_ref().and_then(|s| s.packs.first()) {
            Some(pack) if problems.is_empty() => pack,
            _ => return Ok(problems_answer(&name, &problems, lang)),
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
        let (id, title, n) = (pack.id.as_str(), pack.title.as_str(), pack.prompts.len());
        let mut said = match replaced {
            Some(old) => tr!(
                lang,
                "pack-replaced",
                pack = id,
                title = title,
                prompts = n,
                old = old
            ),
            None => tr!(lang, "pack-imported", pack = id, title = title, prompts = n),
        };
        let offered = if channel.guild.is_some() {
            tr!(lang, "pack-offered-server")
        } else {
            tr!(lang, "pack-offered-room")
        };
        let packs = channel.pack_list();
        let drawn = if packs.is_empty() || packs.contains(&pack.id) {
            tr!(lang, "pack-drawn-here")
        } else {
            tr!(
                lang,
                "pack-not-drawn-here",
                packs = packs.join(", "),
                list = packs.join(","),
                pack = id
            )
        };
        for sentence in [offered, drawn] {
            said.push(' ');
            said.push_str(&sentence);
        }
        Ok(Answer::text(said))
    }

    /// `prompts draft PACK`: a pack drafted from a text, as a file.
    pub(super) fn pack_draft(
        &self,
        file: Attached,
        pack: &str,
        title: Option<&str>,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let (name, bytes) = file_of(file, tr!(lang, "pack-attach-draft"), lang)?;
        let text = text_of(&name, bytes, lang)?;
        let drafted =
            draft_pack_counted(&text, pack, title, &name).map_err(|e| draft_refusal(e, lang))?;
        Ok(Answer {
            text: tr!(
                lang,
                "pack-drafted",
                pack = pack,
                name = name.as_str(),
                questions = drafted.questions,
                candidates = drafted.candidates
            ),
            file: Some((format!("{pack}.toml"), drafted.toml)),
            ..Answer::default()
        })
    }
}
