//! Loading prompt packs from `prompts/*.toml`.
//!
//! The loader walks the parsed TOML itself rather than deserializing into a
//! struct, so it can report *every* problem in every file (unknown keys, wrong
//! types, missing fields, limits, duplicate ids) with file, line and field,
//! instead of stopping at the first.

pub mod draft;
mod file;
mod reader;
mod translations;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::domain::prompt::PromptSet;
use crate::i18n::{FluentValue, Lang};
use file::read_file;

/// One problem in one prompt file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackError {
    pub file: PathBuf,
    pub line: usize,
    /// The field, like `prompt[3].title`; empty for file-level problems.
    pub field: String,
    pub problem: Problem,
}

/// What is wrong, as a message of `locales/*/prompts.ftl` (or, for the
/// problems only an import in chat finds, `packs.ftl`) with its arguments:
/// rendered in English for operators (`ponder check`, `ponder run`, the
/// `Display` of [`PackError`]) and in the channel's language in chat, from
/// the one text per language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub id: &'static str,
    /// The message's variables, as text (ids, paths, numbers, the TOML
    /// parser's own words); none of these messages selects on a number.
    pub args: Vec<(&'static str, String)>,
}

impl Problem {
    pub fn new<const N: usize>(id: &'static str, args: [(&'static str, String); N]) -> Self {
        Problem {
            id,
            args: args.into(),
        }
    }

    /// The problem's text in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let args: Vec<_> = self
            .args
            .iter()
            .map(|(k, v)| (*k, FluentValue::from(v.as_str())))
            .collect();
        crate::i18n::render(lang, self.id, &args)
    }
}

impl PackError {
    /// The problem's text alone, in English (what operators read).
    pub fn message(&self) -> String {
        self.problem.text(Lang::En)
    }

    /// `file:line: field: problem`, the problem in `lang` (file, line and
    /// field as written in the file, in every language).
    pub fn render(&self, lang: Lang) -> String {
        // line 0: the whole file
        let mut out = format!("{}:", self.file.display());
        if self.line > 0 {
            out.push_str(&format!("{}:", self.line));
        }
        out.push(' ');
        if !self.field.is_empty() {
            out.push_str(&format!("{}: ", self.field));
        }
        out.push_str(&self.problem.text(lang));
        out
    }
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// Every problem found in a prompt directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PackErrors(pub Vec<PackError>);

impl fmt::Display for PackErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "{n} problem{} in the prompt files:",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

/// Loads every `*.toml` in `dir` (sorted by name) into one set.
pub fn load_dir(dir: &Path) -> Result<PromptSet, PackErrors> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| {
        PackErrors(vec![PackError {
            file: dir.to_path_buf(),
            line: 0,
            field: String::new(),
            problem: Problem::new("prompts-dir-unreadable", [("error", e.to_string())]),
        }])
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
    files.sort();
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in files {
        match std::fs::read_to_string(&path) {
            Ok(text) => sources.push((path, text)),
            Err(e) => errors.push(PackError {
                file: path,
                line: 0,
                field: String::new(),
                problem: Problem::new("prompts-file-unreadable", [("error", e.to_string())]),
            }),
        }
    }
    match load_sources(&sources) {
        Ok(set) if errors.is_empty() => {
            if set.is_empty() {
                errors.push(PackError {
                    file: dir.to_path_buf(),
                    line: 0,
                    field: String::new(),
                    problem: Problem::new("prompts-none-found", []),
                });
                return Err(PackErrors(errors));
            }
            Ok(set)
        }
        Ok(_) => Err(PackErrors(errors)),
        Err(PackErrors(more)) => {
            errors.extend(more);
            Err(PackErrors(errors))
        }
    }
}

/// Loads packs from `(path, contents)` pairs; the paths are only used in errors.
/// A big file is read in parts on as many threads as the machine has (see
/// `reader`); a pack of a few kilobytes is read in one piece.
pub fn load_sources(sources: &[(PathBuf, String)]) -> Result<PromptSet, PackErrors> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    load(sources, threads, file::MIN_PART_BYTES)
}

/// `load_sources` with every file cut into up to `parts` parts whatever its
/// size, for the tests and the fuzzer: the result must not depend on the cut.
pub fn load_sources_in_parts(
    sources: &[(PathBuf, String)],
    parts: usize,
) -> Result<PromptSet, PackErrors> {
    load(sources, parts, 0)
}

fn load(
    sources: &[(PathBuf, String)],
    parts: usize,
    min_part: usize,
) -> Result<PromptSet, PackErrors> {
    let mut errors = Vec::new();
    let mut packs = Vec::new();
    // where each prompt id and pack id was first seen: (source index, line)
    let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
    let mut seen_packs: HashMap<String, usize> = HashMap::new();
    let mut translated = Vec::new();
    for (n, (path, text)) in sources.iter().enumerate() {
        let file = read_file(path, text, parts, min_part);
        errors.extend(file.errors);
        let error = |line, field: String, problem| PackError {
            file: path.clone(),
            line,
            field,
            problem,
        };
        if let Some(pack) = &file.pack {
            if let Some(first) = seen_packs.get(&pack.id) {
                let first = sources[*first].0.display().to_string();
                let msg = Problem::new(
                    "prompts-pack-id-twice",
                    [("id", pack.id.clone()), ("first", first)],
                );
                errors.push(error(1, "id".into(), msg));
            } else {
                seen_packs.insert(pack.id.clone(), n);
            }
        }
        // a translation's ids are those of its original: checked once
        // every file is read (its original may come later)
        if file.translation_line > 0 {
            if let Some(pack) = file.pack.filter(|p| p.translation_of.is_some()) {
                translated.push(translations::Read {
                    source: n,
                    line: file.translation_line,
                    ids: file.ids,
                    pack,
                });
            }
            continue;
        }
        for (id, line, index) in file.ids {
            if let Some((other, other_line)) = seen.get(&id) {
                let first = format!("{}:{other_line}", sources[*other].0.display());
                let msg = Problem::new(
                    "prompts-prompt-id-twice",
                    [("id", id.clone()), ("first", first)],
                );
                errors.push(error(line, format!("prompt[{index}].id"), msg));
            } else {
                seen.insert(id, (n, line));
            }
        }
        packs.extend(file.pack);
    }
    let translated = translations::check(sources, &packs, translated, &mut errors);
    packs.extend(translated);
    if errors.is_empty() {
        Ok(PromptSet::new(packs))
    } else {
        Err(PackErrors(errors))
    }
}

#[cfg(test)]
mod tests;

/// The prompt packs shipped with Ponder, compiled into the binary so that
/// `ponder demo` works from any directory. A translation sits next to its
/// original as `<pack>.<lang>.toml`: the directory stays flat, so the
/// loader reads it as it reads any pack.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "prompts/essay-progress.de.toml",
        include_str!("../prompts/essay-progress.de.toml"),
    ),
    (
        "prompts/essay-progress.toml",
        include_str!("../prompts/essay-progress.toml"),
    ),
    (
        "prompts/essay-visibility.de.toml",
        include_str!("../prompts/essay-visibility.de.toml"),
    ),
    (
        "prompts/essay-visibility.toml",
        include_str!("../prompts/essay-visibility.toml"),
    ),
];

/// Where prompts come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptSource {
    Dir(PathBuf),
    Embedded,
}

impl fmt::Display for PromptSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PromptSource::Dir(d) => write!(f, "{}", d.display()),
            PromptSource::Embedded => f.write_str("the packs built into ponder"),
        }
    }
}

impl PromptSource {
    pub fn load(&self) -> Result<PromptSet, PackErrors> {
        match self {
            PromptSource::Dir(dir) => load_dir(dir),
            PromptSource::Embedded => {
                let sources: Vec<_> = EMBEDDED
                    .iter()
                    .map(|(p, t)| (PathBuf::from(p), t.to_string()))
                    .collect();
                load_sources(&sources)
            }
        }
    }

    /// A cheap fingerprint of the files (names, sizes, modification times),
    /// to notice changes without reading them.
    pub fn fingerprint(&self) -> Option<Vec<(PathBuf, u64, std::time::SystemTime)>> {
        let PromptSource::Dir(dir) = self else {
            return None;
        };
        let mut out: Vec<_> = std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
            .filter_map(|e| {
                let m = e.metadata().ok()?;
                Some((e.path(), m.len(), m.modified().ok()?))
            })
            .collect();
        out.sort();
        Some(out)
    }
}
