//! The TOML walker behind the loader: reads one prompt file's tables by
//! hand, recording every problem with its line and field. It reads the
//! whole file or one part of it (see `file.rs`); its spans are the part's.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

mod table;

use super::{PackError, Problem};
use crate::domain::prompt::{DEFAULT_LANG, MAX_TEXT_CHARS, MAX_TITLE_CHARS, Pack, Prompt};
use table::Table;

/// What one file holds: its pack (when its own fields are sound, with the
/// prompts that are), every prompt id found with its line and 1-based
/// index, and every problem.
pub(super) struct FileLoad {
    pub pack: Option<Pack>,
    /// The line of the pack's `translation_of` (0 when it has none).
    pub translation_line: usize,
    pub ids: Vec<(String, usize, usize)>,
    pub errors: Vec<PackError>,
}

/// The prompts of a pack, each knowing its pack.
pub(super) fn finish_prompts(pack: &str, prompts: Vec<Prompt>) -> Vec<Arc<Prompt>> {
    prompts
        .into_iter()
        .map(|mut p| {
            pack.clone_into(&mut p.pack);
            Arc::new(p)
        })
        .collect()
}

pub(super) struct FileReader<'a> {
    path: &'a Path,
    /// The whole file.
    text: &'a str,
    /// The byte offset where each line of the whole file starts, built once
    /// per file: finding a prompt's line is a binary search, so a file loads
    /// in linear time.
    line_starts: &'a [usize],
    /// The part of `text` this reader parses; its spans start at `part.start`.
    part: Range<usize>,
    pub errors: Vec<PackError>,
}

/// The byte offset of the start of every line: 0, then one past each newline.
pub(super) fn line_starts(text: &str) -> Vec<usize> {
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
pub(super) struct Header<'t, 'i> {
    /// The pack when its fields are sound; its prompts are added later.
    pub pack: Option<Pack>,
    /// The line of `translation_of` (0 when the pack has none).
    pub translation_line: usize,
    pub prompts: Option<&'t Spanned<DeValue<'i>>>,
}

impl<'a> FileReader<'a> {
    pub(super) fn new(
        path: &'a Path,
        text: &'a str,
        line_starts: &'a [usize],
        part: Range<usize>,
    ) -> Self {
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

    pub(super) fn error(&mut self, line: usize, field: &str, problem: Problem) {
        self.errors.push(PackError {
            file: self.path.to_path_buf(),
            line,
            field: field.to_string(),
            problem,
        });
    }

    pub(super) fn into_load(
        self,
        mut pack: Option<Pack>,
        translation_line: usize,
        prompts: Vec<Prompt>,
        ids: Vec<(String, usize, usize)>,
    ) -> FileLoad {
        if let Some(pack) = &mut pack {
            pack.prompts = finish_prompts(&pack.id, prompts);
        }
        FileLoad {
            pack,
            translation_line,
            ids,
            errors: self.errors,
        }
    }

    /// The part's root table, or `None` (each syntax problem recorded).
    pub(super) fn parse(&mut self) -> Option<DeTable<'a>> {
        let (root, syntax) = DeTable::parse_recoverable(&self.text[self.part.clone()]);
        for e in &syntax {
            let line = e.span().map(|s| self.line_of(s)).unwrap_or(0);
            let problem = Problem::new("prompts-toml-syntax", [("error", e.message().to_string())]);
            self.error(line, "", problem);
        }
        syntax.is_empty().then(|| root.into_inner())
    }

    /// Reads the pack's own fields from the root table.
    pub(super) fn header<'t>(&mut self, root: &'t DeTable<'a>) -> Header<'t, 'a> {
        let mut t = Table::new(self, root, "", 1);
        let id = t.string("id", true, None);
        let title = t.string("title", true, Some(MAX_TITLE_CHARS));
        let description = t.string("description", true, None);
        let source = t.string("source", false, None);
        let lang = t.lang("lang");
        let translation_line = t.take("translation_of").map_or(0, |v| t.line_of(v));
        let mut translation_of = t.string("translation_of", false, None);
        let prompts = t.take("prompt");
        let known = [
            "id",
            "title",
            "description",
            "source",
            "lang",
            "translation_of",
            "prompt",
        ];
        t.finish(&known);
        if let Some(id) = &id {
            check_id(self, id, || "id".into(), 1);
        }
        if let Some(of) = &translation_of
            && !check_id(self, of, || "translation_of".into(), translation_line)
        {
            // said once: not looked up among the packs too
            translation_of = None;
        }
        let pack = match (id, title, description) {
            (Some(id), Some(title), Some(description)) => Some(Pack {
                id,
                title,
                description,
                source: source.unwrap_or_default(),
                lang: lang.unwrap_or_else(|| DEFAULT_LANG.to_string()),
                translation_of,
                prompts: Vec::new(),
            }),
            _ => None,
        };
        Header {
            pack,
            translation_line,
            prompts,
        }
    }

    /// Reads the `[[prompt]]` tables of `value`, numbering them after `before`.
    pub(super) fn prompts(
        &mut self,
        value: &Spanned<DeValue<'a>>,
        before: usize,
        prompts: &mut Vec<Prompt>,
        ids: &mut Vec<(String, usize, usize)>,
    ) {
        let DeValue::Array(items) = value.get_ref() else {
            let line = self.line_of(value.span());
            self.error(line, "prompt", Problem::new("prompts-not-an-array", []));
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let index = before + i + 1;
            let line = self.line_of(item.span());
            let DeValue::Table(table) = item.get_ref() else {
                let field = format!("prompt[{index}]");
                self.error(line, &field, Problem::new("prompts-not-a-table", []));
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
        if let Some(mark) = t.take("draft") {
            t.fail(
                Some(mark.span()),
                "draft",
                Problem::new("prompts-draft-mark", []),
            );
        }
        let ok = t.finish(&[
            "id",
            "title",
            "text",
            "source",
            "follow_ups",
            "tags",
            "weight",
            "draft",
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

/// Whether `id` is a valid id; when not, says so.
fn check_id(
    file: &mut FileReader<'_>,
    id: &str,
    field: impl FnOnce() -> String,
    line: usize,
) -> bool {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !ok {
        file.error(
            line,
            &field(),
            Problem::new("prompts-bad-id", [("id", id.to_string())]),
        );
    }
    ok
}
