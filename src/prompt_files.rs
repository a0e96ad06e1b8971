//! Loading prompt packs from `prompts/*.toml`.
//!
//! The loader walks the parsed TOML itself rather than deserializing into a
//! struct, so it can report *every* problem in every file (unknown keys, wrong
//! types, missing fields, limits, duplicate ids) with file, line and field,
//! instead of stopping at the first.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::domain::prompt::{MAX_TEXT_CHARS, MAX_TITLE_CHARS, Pack, Prompt, PromptSet};

/// One problem in one prompt file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackError {
    pub file: PathBuf,
    pub line: usize,
    /// The field, like `prompt[3].title`; empty for file-level problems.
    pub field: String,
    pub message: String,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file.display(), self.line)?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
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
            message: format!("cannot read the prompt directory: {e}"),
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
                message: format!("cannot read: {e}"),
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
                    message: "no prompts found (expected *.toml files with [[prompt]] entries)"
                        .into(),
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
pub fn load_sources(sources: &[(PathBuf, String)]) -> Result<PromptSet, PackErrors> {
    let mut errors = Vec::new();
    let mut packs = Vec::new();
    let mut seen: HashMap<String, (PathBuf, usize)> = HashMap::new();
    let mut seen_packs: HashMap<String, PathBuf> = HashMap::new();
    for (path, text) in sources {
        let mut file = FileReader {
            path,
            text,
            line_starts: line_starts(text),
            errors: &mut errors,
        };
        let (pack, ids) = file.pack();
        if let Some(pack) = &pack {
            if let Some(first) = seen_packs.get(&pack.id) {
                file.error(
                    1,
                    "id",
                    format!("pack id `{}` is also used by {}", pack.id, first.display()),
                );
            } else {
                seen_packs.insert(pack.id.clone(), path.clone());
            }
        }
        for (id, line, index) in ids {
            if let Some((other, other_line)) = seen.get(&id) {
                let msg = format!(
                    "duplicate prompt id `{id}` (first used at {}:{other_line})",
                    other.display()
                );
                file.error(line, &format!("prompt[{index}].id"), msg);
            } else {
                seen.insert(id, (path.clone(), line));
            }
        }
        packs.extend(pack);
    }
    if errors.is_empty() {
        Ok(PromptSet::new(packs))
    } else {
        Err(PackErrors(errors))
    }
}

struct FileReader<'a> {
    path: &'a Path,
    text: &'a str,
    /// The byte offset where each line starts, built once per file: finding a
    /// prompt's line is a binary search, so a file loads in linear time.
    line_starts: Vec<usize>,
    errors: &'a mut Vec<PackError>,
}

/// The byte offset of the start of every line: 0, then one past each newline.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect()
}

/// A pack (when its own fields are sound) and every prompt id found, with line and index.
type LoadedPack = (Option<Pack>, Vec<(String, usize, usize)>);

impl FileReader<'_> {
    /// The 1-based line of a span's start.
    fn line_of(&self, span: Range<usize>) -> usize {
        let at = span.start.min(self.text.len());
        self.line_starts.partition_point(|start| *start <= at)
    }

    fn error(&mut self, line: usize, field: &str, message: impl Into<String>) {
        self.errors.push(PackError {
            file: self.path.to_path_buf(),
            line,
            field: field.to_string(),
            message: message.into(),
        });
    }

    fn pack(&mut self) -> LoadedPack {
        let (root, syntax) = DeTable::parse_recoverable(self.text);
        for e in &syntax {
            let line = e.span().map(|s| self.line_of(s)).unwrap_or(0);
            self.error(line, "", format!("TOML syntax: {}", e.message()));
        }
        if !syntax.is_empty() {
            return (None, Vec::new());
        }
        let root = root.into_inner();
        let mut t = Table::new(self, &root, "", 1);
        let id = t.string("id", true, None);
        let title = t.string("title", true, Some(MAX_TITLE_CHARS));
        let description = t.string("description", true, None);
        let source = t.string("source", false, None);
        let prompts_value = t.take("prompt");
        t.finish(&["id", "title", "description", "source", "prompt"]);
        if let Some(id) = &id {
            check_id(self, id, "id", 1);
        }
        let mut prompts = Vec::new();
        let mut ids = Vec::new();
        match prompts_value {
            None => self.error(1, "prompt", "the pack has no [[prompt]] entries"),
            Some(v) => match v.get_ref() {
                DeValue::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let line = self.line_of(item.span());
                        let field = format!("prompt[{}]", i + 1);
                        let DeValue::Table(table) = item.get_ref() else {
                            self.error(line, &field, "expected a table ([[prompt]])");
                            continue;
                        };
                        let (prompt_id, prompt) =
                            self.prompt(table, &field, line, id.as_deref().unwrap_or(""));
                        if let Some(prompt_id) = prompt_id {
                            ids.push((prompt_id, line, i + 1));
                        }
                        prompts.extend(prompt.map(Arc::new));
                    }
                }
                _ => {
                    let line = self.line_of(v.span());
                    self.error(line, "prompt", "expected an array of tables ([[prompt]])");
                }
            },
        }
        let pack = match (id, title, description) {
            (Some(id), Some(title), Some(description)) => Some(Pack {
                id,
                title,
                description,
                source: source.unwrap_or_default(),
                prompts,
            }),
            _ => None,
        };
        (pack, ids)
    }

    /// The prompt's id (when readable, for duplicate checks) and the prompt (when sound).
    fn prompt(
        &mut self,
        table: &DeTable<'_>,
        field: &str,
        line: usize,
        pack: &str,
    ) -> (Option<String>, Option<Prompt>) {
        let mut t = Table::new(self, table, field, line);
        let id = t.string("id", true, None);
        let title = t.string("title", false, Some(MAX_TITLE_CHARS));
        let text = t.string("text", true, Some(MAX_TEXT_CHARS));
        let source = t.string("source", false, None);
        let follow_ups = t.strings("follow_ups");
        let tags = t.strings("tags");
        let weight = t.number("weight");
        let ok = t.finish(&[
            "id",
            "title",
            "text",
            "source",
            "follow_ups",
            "tags",
            "weight",
        ]);
        if let Some(id) = &id {
            check_id(self, id, &format!("{field}.id"), line);
        }
        let prompt = match (&id, text) {
            (Some(id), Some(text)) if ok => Some(Prompt {
                pack: pack.to_string(),
                id: id.clone(),
                title,
                text,
                source,
                follow_ups,
                tags,
                weight: weight.unwrap_or(1.0),
            }),
            _ => None,
        };
        (id, prompt)
    }
}

fn check_id(file: &mut FileReader<'_>, id: &str, field: &str, line: usize) {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !ok {
        file.error(
            line,
            field,
            format!("`{id}` is not a valid id (use 1-64 of a-z, 0-9, '-', '_')"),
        );
    }
}

/// Reads the keys of one table, recording what it finds wrong.
struct Table<'r, 't, 'a, 'i> {
    file: &'r mut FileReader<'a>,
    table: &'t DeTable<'i>,
    prefix: String,
    line: usize,
    bad: bool,
}

impl<'r, 't, 'a, 'i> Table<'r, 't, 'a, 'i> {
    fn new(
        file: &'r mut FileReader<'a>,
        table: &'t DeTable<'i>,
        prefix: &str,
        line: usize,
    ) -> Self {
        Table {
            file,
            table,
            prefix: prefix.to_string(),
            line,
            bad: false,
        }
    }

    fn field(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    fn take(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    }

    fn fail(&mut self, span: Option<Range<usize>>, key: &str, message: String) {
        let line = span.map(|s| self.file.line_of(s)).unwrap_or(self.line);
        let field = self.field(key);
        self.file.error(line, &field, message);
        self.bad = true;
    }

    fn string(&mut self, key: &str, required: bool, max_chars: Option<usize>) -> Option<String> {
        let Some(v) = self.take(key) else {
            if required {
                self.fail(None, key, "missing (required)".into());
            }
            return None;
        };
        let Some(s) = v.get_ref().as_str() else {
            self.fail(Some(v.span()), key, "expected a string".into());
            return None;
        };
        if required && s.trim().is_empty() {
            self.fail(Some(v.span()), key, "must not be empty".into());
            return None;
        }
        if let Some(max) = max_chars {
            let n = s.trim().chars().count();
            if n > max {
                self.fail(
                    Some(v.span()),
                    key,
                    format!("is {n} characters long; the limit is {max}"),
                );
                return None;
            }
        }
        Some(s.trim().to_string())
    }

    fn strings(&mut self, key: &str) -> Vec<String> {
        let Some(v) = self.take(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.fail(Some(v.span()), key, "expected an array of strings".into());
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref().as_str() {
                Some(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                Some(_) => self.fail(
                    Some(item.span()),
                    &format!("{key}[{}]", i + 1),
                    "must not be empty".into(),
                ),
                None => self.fail(
                    Some(item.span()),
                    &format!("{key}[{}]", i + 1),
                    "expected a string".into(),
                ),
            }
        }
        out
    }

    fn number(&mut self, key: &str) -> Option<f64> {
        let v = self.take(key)?;
        let n = match v.get_ref() {
            DeValue::Integer(i) => i.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            _ => None,
        };
        match n {
            Some(n) if n.is_finite() && n > 0.0 && n <= 1000.0 => Some(n),
            Some(n) => {
                self.fail(
                    Some(v.span()),
                    key,
                    format!("{n} is out of range (a weight is > 0 and <= 1000)"),
                );
                None
            }
            None => {
                self.fail(Some(v.span()), key, "expected a number".into());
                None
            }
        }
    }

    /// Reports keys that are not in `known`.
    fn finish(mut self, known: &[&str]) -> bool {
        let unknown: Vec<_> = self
            .table
            .iter()
            .filter(|(k, _)| !known.contains(&k.get_ref().as_ref()))
            .map(|(k, _)| (k.get_ref().to_string(), k.span()))
            .collect();
        for (key, span) in unknown {
            let msg = format!(
                "unknown field `{key}` (expected one of: {})",
                known.join(", ")
            );
            self.fail(Some(span), &key, msg);
        }
        !self.bad
    }
}

#[cfg(test)]
mod tests;

/// The prompt packs shipped with Ponder, compiled into the binary so that
/// `ponder demo` works from any directory.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "prompts/essay-progress.toml",
        include_str!("../prompts/essay-progress.toml"),
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
