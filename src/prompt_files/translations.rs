//! Checking the packs that translate another (`translation_of`) once every
//! file is read, and giving their prompts what they take from the original.
//!
//! A translation's prompts use the ids of the prompts they translate (a
//! translation may cover only some of them); their pack id becomes the
//! original's, their weight the original prompt's (the rotation is the same
//! in every language), and their `source` and `tags`, when left out, the
//! original prompt's.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::{PackError, Problem};
use crate::domain::prompt::{Pack, Prompt};

/// A translation pack as read, before the check.
pub(super) struct Read {
    /// The index of its file in the sources.
    pub source: usize,
    /// The line of its `translation_of`.
    pub line: usize,
    /// Every prompt id with its line and 1-based index.
    pub ids: Vec<(String, usize, usize)>,
    pub pack: Pack,
}

/// Checks each translation against the originals in `packs`, reporting
/// every problem once; returns the translations with their prompts filled in.
pub(super) fn check(
    sources: &[(PathBuf, String)],
    packs: &[Pack],
    read: Vec<Read>,
    errors: &mut Vec<PackError>,
) -> Vec<Pack> {
    let translated: HashMap<&str, &str> = read
        .iter()
        .filter_map(|t| Some((t.pack.id.as_str(), t.pack.translation_of.as_deref()?)))
        .collect();
    // (original, lang) -> the file of its first translation
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut out = Vec::new();
    for t in &read {
        let path = &sources[t.source].0;
        let error = |line, field: String, problem| PackError {
            file: path.clone(),
            line,
            field,
            problem,
        };
        let of = t.pack.translation_of.clone().unwrap_or_default();
        let Some(original) = packs.iter().find(|p| p.id == of) else {
            let msg = match translated.get(of.as_str()) {
                Some(first) => Problem::new(
                    "prompts-translation-of-translation",
                    [("pack", of.clone()), ("original", first.to_string())],
                ),
                None => Problem::new("prompts-translation-of-nothing", [("pack", of.clone())]),
            };
            errors.push(error(t.line, "translation_of".into(), msg));
            continue;
        };
        if original.lang == t.pack.lang {
            let msg = Problem::new(
                "prompts-translation-same-lang",
                [("pack", of.clone()), ("lang", original.lang.clone())],
            );
            errors.push(error(t.line, "lang".into(), msg));
            continue;
        }
        let key = (of.clone(), t.pack.lang.clone());
        if let Some(first) = seen.get(&key) {
            let msg = Problem::new(
                "prompts-translation-twice",
                [
                    ("pack", of.clone()),
                    ("lang", t.pack.lang.clone()),
                    ("first", sources[*first].0.display().to_string()),
                ],
            );
            errors.push(error(t.line, "translation_of".into(), msg));
            continue;
        }
        seen.insert(key, t.source);
        let by_id: HashMap<&str, &Arc<Prompt>> = original
            .prompts
            .iter()
            .map(|p| (p.id.as_str(), p))
            .collect();
        let mut own: HashMap<&str, usize> = HashMap::new();
        for (id, line, index) in &t.ids {
            if let Some(first) = own.get(id.as_str()) {
                let msg = Problem::new(
                    "prompts-translation-id-twice",
                    [("id", id.clone()), ("line", first.to_string())],
                );
                errors.push(error(*line, format!("prompt[{index}].id"), msg));
                continue;
            }
            own.insert(id, *line);
            let Some(p) = by_id.get(id.as_str()) else {
                let msg = Problem::new(
                    "prompts-translation-unknown-id",
                    [("id", id.clone()), ("pack", of.clone())],
                );
                errors.push(error(*line, format!("prompt[{index}].id"), msg));
                continue;
            };
            let mine = t.pack.prompts.iter().find(|q| q.id == *id);
            if let Some(q) = mine
                && q.weight != 1.0
                && q.weight != p.weight
            {
                let msg = Problem::new(
                    "prompts-translation-weight",
                    [("id", id.clone()), ("weight", p.weight.to_string())],
                );
                errors.push(error(*line, format!("prompt[{index}].weight"), msg));
            }
        }
        let mut pack = t.pack.clone();
        pack.prompts = pack
            .prompts
            .iter()
            .filter_map(|q| {
                let p = by_id.get(q.id.as_str())?;
                let mut q = Prompt::clone(q);
                q.pack.clone_from(&original.id);
                q.weight = p.weight;
                if q.source.is_none() {
                    q.source.clone_from(&p.source);
                }
                if q.tags.is_empty() {
                    q.tags.clone_from(&p.tags);
                }
                Some(Arc::new(q))
            })
            .collect();
        out.push(pack);
    }
    out
}

#[cfg(test)]
mod tests;
