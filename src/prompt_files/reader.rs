//! The TOML walker behind the loader: reads one prompt file's tables by
//! hand, recording every problem with its line and field.
//!
//! A big file is read in parts on several threads: it is cut just before
//! lines that are exactly `[[prompt]]`, each part is parsed and walked on
//! its own thread, and the parts' prompts and problems are put back in file
//! order. The cut is only trusted when it cannot change the meaning: every
//! part must parse without a problem, and every part after the first must
//! hold nothing but its `[[prompt]]` tables, as many as it has such lines (a
//! cut inside a multi-line string, array or inline table leaves the part
//! before it unterminated, so it fails to parse). Otherwise the whole file
//! is read again in one piece, so what a file loads to and every problem
//! reported, with its line and field, never depend on the cut
//! (`load_sources_in_parts` lets the tests and the fuzzer check that).

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::PackError;
use crate::domain::prompt::{MAX_TEXT_CHARS, MAX_TITLE_CHARS, Pack, Prompt};

/// Files smaller than this are read in one piece: threads cost more than
/// they save (a shipped pack is a few kilobytes).
pub(super) const MIN_PART_BYTES: usize = 256 * 1024;

/// What one file holds: its pack (when its own fields are sound, with the
/// prompts that are), every prompt id found with its line and 1-based
/// index, and every problem.
pub(super) struct FileLoad {
    pub pack: Option<Pack>,
    pub ids: Vec<(String, usize, usize)>,
    pub errors: Vec<PackError>,
}

/// Reads one file, in up to `parts` parts of at least `min_part` bytes.
pub(super) fn read_file(path: &Path, text: &str, parts: usize, min_part: usize) -> FileLoad {
    let line_starts = line_starts(text);
    let cut = cut(text, parts, min_part);
    if cut.len() > 1
        && let Some(load) = read_in_parts(path, text, &line_starts, &cut)
    {
        return load;
    }
    let mut file = FileReader::new(path, text, &line_starts, 0..text.len());
    let Some(root) = file.parse() else {
        return file.into_load(None, Vec::new(), Vec::new());
    };
    let header = file.header(&root);
    let mut prompts = Vec::new();
    let mut ids = Vec::new();
    match header.prompts {
        None => file.error(1, "prompt", "the pack has no [[prompt]] entries"),
        Some(v) => file.prompts(v, 0, &mut prompts, &mut ids),
    }
    let pack = header.pack;
    file.into_load(pack, prompts, ids)
}

/// Whether `text` cut into up to `parts` parts is read in parts (rather
/// than again in one piece because the cut could not be trusted).
#[cfg(test)]
pub(super) fn reads_in_parts(text: &str, parts: usize) -> bool {
    let line_starts = line_starts(text);
    let cut = cut(text, parts, 0);
    cut.len() > 1 && read_in_parts(Path::new("t.toml"), text, &line_starts, &cut).is_some()
}

/// One part of a file and how many `[[prompt]]` lines it starts.
struct Part {
    range: Range<usize>,
    headers: usize,
}

/// Where to cut `text`: at most `parts` parts, each at least `min_part`
/// bytes, each after the first starting at a `[[prompt]]` line (never the
/// first such line, so the first part holds the pack's own fields and at
/// least one prompt).
fn cut(text: &str, parts: usize, min_part: usize) -> Vec<Part> {
    let headers = prompt_lines(text);
    let whole = vec![Part {
        range: 0..text.len(),
        headers: headers.len(),
    }];
    if parts < 2 || headers.len() < 2 || text.len() < min_part.saturating_mul(2) {
        return whole;
    }
    let parts = parts.min(text.len() / min_part.max(1)).max(1);
    let mut out = Vec::with_capacity(parts);
    let (mut start, mut first_header) = (0, 0);
    for k in 1..parts {
        let target = text.len() / parts * k;
        // the first header at or after `target`, never the file's first
        let i = headers
            .partition_point(|&h| h < target)
            .max(first_header + 1);
        if i >= headers.len() || headers[i] - start < min_part {
            continue;
        }
        out.push(Part {
            range: start..headers[i],
            headers: i - first_header,
        });
        (start, first_header) = (headers[i], i);
    }
    if out.is_empty() {
        return whole;
    }
    out.push(Part {
        range: start..text.len(),
        headers: headers.len() - first_header,
    });
    out
}

/// The byte offsets of the lines that are exactly `[[prompt]]` (blanks or
/// a carriage return after it allowed).
fn prompt_lines(text: &str) -> Vec<usize> {
    const HEADER: &[u8] = b"[[prompt]]";
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let end = bytes[at..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |n| at + n);
        let line = &bytes[at..end];
        if line.starts_with(HEADER)
            && line[HEADER.len()..]
                .iter()
                .all(|b| matches!(b, b' ' | b'\t' | b'\r'))
        {
            out.push(at);
        }
        at = end + 1;
    }
    out
}

/// Reads the parts on threads; `None` when the cut cannot be trusted.
fn read_in_parts(path: &Path, text: &str, line_starts: &[usize], cut: &[Part]) -> Option<FileLoad> {
    let mut before = 0;
    let firsts: Vec<usize> = cut
        .iter()
        .map(|p| {
            let first = before;
            before += p.headers;
            first
        })
        .collect();
    let results: Vec<Option<PartLoad>> = std::thread::scope(|s| {
        let handles: Vec<_> = cut
            .iter()
            .zip(&firsts)
            .enumerate()
            .map(|(n, (part, first))| {
                s.spawn(move || read_part(path, text, line_starts, part, *first, n == 0))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut results = results.into_iter().collect::<Option<Vec<_>>>()?.into_iter();
    let first = results.next()?;
    let (mut pack, mut ids, mut errors) = (first.pack, first.ids, first.errors);
    let mut prompts = first.prompts;
    for part in results {
        prompts.extend(part.prompts);
        ids.extend(part.ids);
        errors.extend(part.errors);
    }
    if let Some(pack) = &mut pack {
        pack.prompts = finish_prompts(&pack.id, prompts);
    }
    Some(FileLoad { pack, ids, errors })
}

/// One part's reading, before its prompts join the pack.
struct PartLoad {
    /// Only the first part's; its `prompts` are empty until the parts are joined.
    pack: Option<Pack>,
    prompts: Vec<Prompt>,
    ids: Vec<(String, usize, usize)>,
    errors: Vec<PackError>,
}

/// Parses and walks one part; `None` when it does not parse cleanly or holds
/// anything a part may not hold.
fn read_part(
    path: &Path,
    text: &str,
    line_starts: &[usize],
    part: &Part,
    first: usize,
    is_first: bool,
) -> Option<PartLoad> {
    let mut file = FileReader::new(path, text, line_starts, part.range.clone());
    let root = file.parse()?;
    let array_len = |v: &Spanned<DeValue<'_>>| match v.get_ref() {
        DeValue::Array(items) => Some(items.len()),
        _ => None,
    };
    let mut prompts = Vec::new();
    let mut ids = Vec::new();
    let pack = if is_first {
        let header = file.header(&root);
        let v = header.prompts?;
        (array_len(v)? == part.headers).then_some(())?;
        file.prompts(v, first, &mut prompts, &mut ids);
        header.pack
    } else {
        let mut keys = root.iter();
        let (key, v) = keys.next()?;
        let only_prompts = key.get_ref() == "prompt" && keys.next().is_none();
        (only_prompts && array_len(v)? == part.headers).then_some(())?;
        file.prompts(v, first, &mut prompts, &mut ids);
        None
    };
    Some(PartLoad {
        pack,
        prompts,
        ids,
        errors: file.errors,
    })
}

/// The prompts of a pack, each knowing its pack.
fn finish_prompts(pack: &str, prompts: Vec<Prompt>) -> Vec<Arc<Prompt>> {
    prompts
        .into_iter()
        .map(|mut p| {
            pack.clone_into(&mut p.pack);
            Arc::new(p)
        })
        .collect()
}

struct FileReader<'a> {
    path: &'a Path,
    /// The whole file.
    text: &'a str,
    /// The byte offset where each line of the whole file starts, built once
    /// per file: finding a prompt's line is a binary search, so a file loads
    /// in linear time.
    line_starts: &'a [usize],
    /// The part of `text` this reader parses; its spans start at `part.start`.
    part: Range<usize>,
    errors: Vec<PackError>,
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

/// The pack's own fields, and its `prompt` value when it has one.
struct Header<'t, 'i> {
    /// The pack when its fields are sound; its prompts are added later.
    pack: Option<Pack>,
    prompts: Option<&'t Spanned<DeValue<'i>>>,
}

impl<'a> FileReader<'a> {
    fn new(path: &'a Path, text: &'a str, line_starts: &'a [usize], part: Range<usize>) -> Self {
        FileReader {
            path,
            text,
            line_starts,
            part,
            errors: Vec::new(),
        }
    }

    /// The 1-based line of a span's start (a span within the part).
    fn line_of(&self, span: Range<usize>) -> usize {
        let at = (self.part.start + span.start).min(self.text.len());
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

    fn into_load(
        self,
        mut pack: Option<Pack>,
        prompts: Vec<Prompt>,
        ids: Vec<(String, usize, usize)>,
    ) -> FileLoad {
        if let Some(pack) = &mut pack {
            pack.prompts = finish_prompts(&pack.id, prompts);
        }
        FileLoad {
            pack,
            ids,
            errors: self.errors,
        }
    }

    /// The part's root table, or `None` (each syntax problem recorded).
    fn parse(&mut self) -> Option<DeTable<'a>> {
        let (root, syntax) = DeTable::parse_recoverable(&self.text[self.part.clone()]);
        for e in &syntax {
            let line = e.span().map(|s| self.line_of(s)).unwrap_or(0);
            self.error(line, "", format!("TOML syntax: {}", e.message()));
        }
        syntax.is_empty().then(|| root.into_inner())
    }

    /// Reads the pack's own fields from the root table.
    fn header<'t>(&mut self, root: &'t DeTable<'a>) -> Header<'t, 'a> {
        let mut t = Table::new(self, root, "", 1);
        let id = t.string("id", true, None);
        let title = t.string("title", true, Some(MAX_TITLE_CHARS));
        let description = t.string("description", true, None);
        let source = t.string("source", false, None);
        let prompts = t.take("prompt");
        t.finish(&["id", "title", "description", "source", "prompt"]);
        if let Some(id) = &id {
            check_id(self, id, || "id".into(), 1);
        }
        let pack = match (id, title, description) {
            (Some(id), Some(title), Some(description)) => Some(Pack {
                id,
                title,
                description,
                source: source.unwrap_or_default(),
                prompts: Vec::new(),
            }),
            _ => None,
        };
        Header { pack, prompts }
    }

    /// Reads the `[[prompt]]` tables of `value`, numbering them after `before`.
    fn prompts(
        &mut self,
        value: &Spanned<DeValue<'a>>,
        before: usize,
        prompts: &mut Vec<Prompt>,
        ids: &mut Vec<(String, usize, usize)>,
    ) {
        let DeValue::Array(items) = value.get_ref() else {
            let line = self.line_of(value.span());
            self.error(line, "prompt", "expected an array of tables ([[prompt]])");
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let index = before + i + 1;
            let line = self.line_of(item.span());
            let DeValue::Table(table) = item.get_ref() else {
                let field = format!("prompt[{index}]");
                self.error(line, &field, "expected a table ([[prompt]])");
                continue;
            };
            let (prompt_id, prompt) = self.prompt(table, index, line);
            if let Some(prompt_id) = prompt_id {
                ids.push((prompt_id, line, index));
            }
            prompts.extend(prompt);
        }
    }

    /// The prompt's id (when readable, for duplicate checks) and the prompt (when sound).
    /// The prompt's pack is filled in when the pack's prompts are joined.
    fn prompt(
        &mut self,
        table: &DeTable<'_>,
        index: usize,
        line: usize,
    ) -> (Option<String>, Option<Prompt>) {
        let field = format!("prompt[{index}]");
        let mut t = Table::new(self, table, &field, line);
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
            check_id(self, id, || format!("{field}.id"), line);
        }
        let prompt = match (&id, text) {
            (Some(id), Some(text)) if ok => Some(Prompt {
                pack: String::new(),
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

fn check_id(file: &mut FileReader<'_>, id: &str, field: impl FnOnce() -> String, line: usize) {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !ok {
        file.error(
            line,
            &field(),
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
