//! `ponder prompts draft`: a prompt pack proposed from any text (plain or
//! Markdown), deterministic and offline.
//!
//! The text is cut into sentences ([`sentences`]); then, in the text's order:
//!
//! * every **question** becomes a prompt as it stands, its `source` the
//!   sentence itself;
//! * two short sentences side by side that answer each other ("Visibility
//!   builds trust. Invisibility creates ease.", "One … The other …") become
//!   one **contrast** prompt asking which matters more;
//! * a sentence that **states a tension or a claim** becomes a candidate,
//!   rephrased as an open question by the first rule that fits it (see
//!   [`rephrase`]): "I wonder whether X" and "I'm not sure X" ask "Do you
//!   think X?", "Maybe X" asks "Could it be that X?", "not X but Y", "X
//!   rather than Y", "less X than Y" ask whether you agree, a "tension" asks
//!   where you feel it, "always", "never", "rarely" ask "Is it true that …?",
//!   and "feels" or "seems" asks whether you agree.
//!
//! Candidates carry `draft = true`: an admin reads and edits each, then
//! deletes the mark; `ponder check` refuses a pack that still has one. Every
//! `source` is a sentence of the text as it reads (line breaks inside it
//! joined, Markdown markup removed), so a reader can find it.

use serde::Serialize;

#[cfg(test)]
mod tests;
mod text;

pub use text::sentences;

use crate::domain::prompt::{MAX_TEXT_CHARS, MAX_TITLE_CHARS};
use crate::text::plural;

/// The largest text drafted from (a book chapter is far below it).
pub const MAX_DRAFT_INPUT: usize = 1024 * 1024;

/// Why no pack could be drafted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DraftError {
    #[error("`{0}` is not a valid pack id (use 1-64 of a-z, 0-9, '-', '_')")]
    BadId(String),
    #[error("the text is {0} bytes long; drafting reads at most {MAX_DRAFT_INPUT}")]
    TooLong(usize),
    #[error(
        "no question, claim or contrast found in the text ({0} sentences read): nothing to draft"
    )]
    Nothing(usize),
}

/// One drafted prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drafted {
    pub id: String,
    /// `Some(true)` for a candidate to edit; a question as written has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<bool>,
    pub title: String,
    pub text: String,
    pub source: String,
}

#[derive(Serialize)]
struct PackOut<'a> {
    id: &'a str,
    title: &'a str,
    description: String,
    source: &'a str,
    prompt: &'a [Drafted],
}

/// The drafted prompts of `text`, in its order, their ids starting with
/// `pack` (prompt ids are unique across every pack). A sentence met again
/// is drafted once.
pub fn draft_prompts(text: &str, pack: &str) -> Result<Vec<Drafted>, DraftError> {
    if text.len() > MAX_DRAFT_INPUT {
        return Err(DraftError::TooLong(text.len()));
    }
    let found = sentences(text);
    let mut ids = Ids::new(pack);
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<Drafted> = Vec::new();
    // the template's words leave room: a longer text is not drafted
    let fits = |s: &str| s.chars().count() <= MAX_TEXT_CHARS - 120;
    let mut i = 0;
    while i < found.len() {
        let s = &found[i];
        if let Some(next) = found.get(i + 1)
            && next.block == s.block
            && is_pair(&s.text, &next.text)
        {
            let source = format!("{} {}", s.text, next.text);
            if fits(&source) && seen.insert(source.clone()) {
                let text = format!("{source} Which of the two matters more to you, and why?");
                out.push(ids.drafted(&s.text, text, source, true));
            }
            i += 2;
            continue;
        }
        i += 1;
        if !fits(&s.text) || !seen.insert(s.text.clone()) {
            continue;
        }
        if s.text.ends_with('?') {
            out.push(ids.drafted(&s.text, s.text.clone(), s.text.clone(), false));
        } else if let Some(text) = rephrase(&s.text) {
            out.push(ids.drafted(&s.text, text, s.text.clone(), true));
        }
    }
    if out.is_empty() {
        return Err(DraftError::Nothing(found.len()));
    }
    Ok(out)
}

/// The pack drafted from `text` as a prompt file (TOML), with a comment on
/// top saying what to do with it.
pub fn draft_pack(
    text: &str,
    pack: &str,
    title: Option<&str>,
    source_name: &str,
) -> Result<String, DraftError> {
    draft_pack_counted(text, pack, title, source_name).map(|d| d.toml)
}

/// A drafted pack file, with how many prompts it holds of each kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftedPack {
    pub toml: String,
    /// Questions of the text, as written.
    pub questions: usize,
    /// Candidates marked `draft = true`.
    pub candidates: usize,
}

/// [`draft_pack`], with the counts.
pub fn draft_pack_counted(
    text: &str,
    pack: &str,
    title: Option<&str>,
    source_name: &str,
) -> Result<DraftedPack, DraftError> {
    let id_ok = !pack.is_empty()
        && pack.len() <= 64
        && pack
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !id_ok {
        return Err(DraftError::BadId(pack.to_string()));
    }
    let prompts = draft_prompts(text, pack)?;
    // the name goes into a comment line: nothing in it may end the line
    let source_name: String = source_name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let source_name = source_name.as_str();
    let title = title.filter(|t| !t.trim().is_empty());
    let candidates = prompts.iter().filter(|p| p.draft.is_some()).count();
    let default_title = format!("Drafted from {source_name}");
    let title = cut(title.unwrap_or(&default_title), MAX_TITLE_CHARS);
    let out = PackOut {
        id: pack,
        title: &title,
        description: format!(
            "Prompts drafted from {source_name}: its questions as written, and its claims and contrasts as open questions."
        ),
        source: source_name,
        prompt: &prompts,
    };
    let body = toml::to_string(&out).expect("a pack of strings always serializes");
    let questions = prompts.len() - candidates;
    let toml = format!(
        "# Drafted by `ponder prompts draft` from {source_name}: {} as written and {}.\n# Each prompt with `draft = true` is a candidate: read it, \
         edit its title and text, then delete the `draft = true` line (or the whole prompt).\n\
         # `ponder check` refuses the pack while a draft mark is left.\n{body}",
        plural(questions as i64, "question", "questions"),
        plural(candidates as i64, "candidate", "candidates")
    );
    Ok(DraftedPack {
        toml,
        questions,
        candidates,
    })
}

/// Prompt ids: the pack's id, then the first words of the title; unique.
struct Ids {
    prefix: String,
    used: std::collections::HashMap<String, usize>,
    issued: std::collections::HashSet<String>,
}

impl Ids {
    fn new(pack: &str) -> Self {
        // at most 24 characters of the pack's id, so the words have room
        let prefix: String = pack.chars().take(24).collect();
        Ids {
            prefix: prefix.trim_end_matches(['-', '_']).to_string(),
            used: Default::default(),
            issued: Default::default(),
        }
    }

    /// A prompt with a title from `from` and an unused id.
    fn drafted(&mut self, from: &str, text: String, source: String, draft: bool) -> Drafted {
        let title = cut(unjoined(from).trim_end_matches(['.', '!', '?', '…']), 60);
        let words: Vec<String> = title
            .split_whitespace()
            .map(|w| {
                w.chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase()
            })
            .filter(|w| !w.is_empty())
            .take(5)
            .collect();
        let mut base = format!("{}-{}", self.prefix, words.join("-"));
        base.truncate(56); // room for "-NNNNNNN": at most 64
        let base = base.trim_end_matches('-').to_string();
        let n = self.used.entry(base.clone()).or_insert(0);
        let mut id = base.clone();
        while !self.issued.insert(id.clone()) {
            *n += 1;
            id = format!("{base}-{}", *n + 1);
        }
        Drafted {
            id,
            draft: draft.then_some(true),
            title,
            text,
            source,
        }
    }
}

/// At most `max` characters, cut at a word with "…".
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max - 1).collect();
    let head = match head.rfind(' ') {
        Some(at) if at > max / 2 => &head[..at],
        _ => &head,
    };
    format!("{}…", head.trim_end_matches([',', ';', ':', ' ']))
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Two short sentences that answer each other: "One …" / "The other …",
/// or the same short shape ("Visibility builds trust." "Invisibility
/// creates ease.").
fn is_pair(a: &str, b: &str) -> bool {
    if a.ends_with('?') || b.ends_with('?') {
        return false;
    }
    let (wa, wb) = (words(a), words(b));
    let first = |s: &str| s.split_whitespace().next().unwrap_or("").to_lowercase();
    let one_other = matches!(first(a).as_str(), "one" | "some")
        && (b.starts_with("The other") || b.starts_with("Others") || b.starts_with("The rest"));
    let same_shape = (2..=6).contains(&wa) && wa == wb && !a.contains(',') && !b.contains(',');
    (one_other && wa <= 14 && wb <= 14) || same_shape
}

/// The sentence as an open question, when one of the claim rules fits.
pub(crate) fn rephrase(s: &str) -> Option<String> {
    let core = s.trim_end_matches(['.', '!', '…']).trim();
    // ASCII lower case keeps every byte offset: `find` below indexes `core`
    let lower = core.to_ascii_lowercase();
    let has = |w: &str| {
        lower
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
            .any(|x| x == w)
    };
    for key in [
        "wonder whether ",
        "wonder if ",
        "question is whether ",
        "not sure whether ",
        "not sure if ",
        "not sure that ",
        "not sure ",
    ] {
        if let Some(at) = lower.find(key) {
            let rest = &core[at + key.len()..];
            return Some(format!("Do you think {}?", rest.trim()));
        }
    }
    for hedge in ["Maybe ", "Perhaps ", "Possibly "] {
        if let Some(rest) = core.strip_prefix(hedge) {
            return Some(format!("Could it be that {}?", lowered(rest)));
        }
    }
    let contrast = lower.contains(" rather than ")
        || lower.contains(" instead of ")
        || ((has("isn't") || has("not") || has("isn’t")) && (has("but") || lower.contains("—it")))
        || (has("less") && has("than"))
        || (has("stop") && has("start"));
    if contrast {
        return Some(format!(
            "Do you agree that {}? Why, or why not?",
            lowered(unjoined(core))
        ));
    }
    if has("tension") || has("paradox") || has("dilemma") || has("trade-off") {
        return Some(format!(
            "{core}. Where do you feel it yourself, and which way do you lean?"
        ));
    }
    let first_person = matches!(
        core.split_whitespace().next(),
        Some("I" | "I'm" | "I'd" | "I've" | "I'll" | "I’m" | "I’d" | "I’ve" | "I’ll")
    );
    if first_person {
        return None;
    }
    if ["always", "never", "rarely", "seldom", "everyone", "nobody"]
        .iter()
        .any(|w| has(w))
    {
        return Some(format!("Is it true that {}?", lowered(unjoined(core))));
    }
    if has("feels") || has("seems") || has("seem") {
        return Some(format!("Do you agree that {}?", lowered(unjoined(core))));
    }
    None
}

/// Without a leading "But", "And", "So" or "Yet".
fn unjoined(s: &str) -> &str {
    for w in ["But ", "And ", "So ", "Yet "] {
        if let Some(rest) = s.strip_prefix(w) {
            return rest;
        }
    }
    s
}

/// The first letter in lower case, unless the first word is "I" or a name
/// ("OpenGradient", "AI": another capital in it).
fn lowered(s: &str) -> String {
    let first = s.split_whitespace().next().unwrap_or("");
    let keep = first == "I"
        || first.starts_with("I'")
        || first.starts_with("I’")
        || first.chars().skip(1).any(char::is_uppercase);
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if !keep => c.to_lowercase().chain(chars).collect(),
        _ => s.to_string(),
    }
}
