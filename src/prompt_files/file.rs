//! Reading one prompt file, whole or in parts.
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

use toml::Spanned;
use toml::de::DeValue;

use super::reader::{FileLoad, FileReader, finish_prompts, line_starts};
use super::{PackError, Problem};
use crate::domain::prompt::{Pack, Prompt};

/// Files smaller than this are read in one piece: threads cost more than
/// they save (a shipped pack is a few kilobytes).
pub(super) const MIN_PART_BYTES: usize = 256 * 1024;

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
        return file.into_load(None, 0, Vec::new(), Vec::new());
    };
    let header = file.header(&root);
    let mut prompts = Vec::new();
    let mut ids = Vec::new();
    match header.prompts {
        None => file.error(1, "prompt", Problem::new("prompts-no-prompts", [])),
        Some(v) => file.prompts(v, 0, &mut prompts, &mut ids),
    }
    let pack = header.pack;
    file.into_load(pack, header.translation_line, prompts, ids)
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
    let translation_line = first.translation_line;
    let mut prompts = first.prompts;
    for part in results {
        prompts.extend(part.prompts);
        ids.extend(part.ids);
        errors.extend(part.errors);
    }
    if let Some(pack) = &mut pack {
        pack.prompts = finish_prompts(&pack.id, prompts);
    }
    Some(FileLoad {
        pack,
        translation_line,
        ids,
        errors,
    })
}

/// One part's reading, before its prompts join the pack.
struct PartLoad {
    /// Only the first part's; its `prompts` are empty until the parts are joined.
    pack: Option<Pack>,
    translation_line: usize,
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
    let mut translation_line = 0;
    let pack = if is_first {
        let header = file.header(&root);
        let v = header.prompts?;
        (array_len(v)? == part.headers).then_some(())?;
        file.prompts(v, first, &mut prompts, &mut ids);
        translation_line = header.translation_line;
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
        translation_line,
        prompts,
        ids,
        errors: file.errors,
    })
}
