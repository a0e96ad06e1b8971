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

use super::PackError;
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
        let error = |line, field: String, message| PackError {
            file: path.clone(),
            line,
            field,
            message,
        };
        let of = t.pack.translation_of.clone().unwrap_or_default();
        let Some(original) = packs.iter().find(|p| p.id == of) else {
            let msg = match translated.get(of.as_str()) {
                Some(first) => format!(
                    "`{of}` is itself a translation (of `{first}`): translate the original `{first}`"
                ),
                None => format!(
                    "no pack `{of}` found (name the pack whose prompts this one translates)"
                ),
            };
            errors.push(error(t.line, "translation_of".into(), msg));
            continue;
        };
        if original.lang == t.pack.lang {
            let msg = format!(
                "`{of}` is in `{}` too: a translation is in another language (set `lang`)",
                original.lang
            );
            errors.push(error(t.line, "lang".into(), msg));
            continue;
        }
        let key = (of.clone(), t.pack.lang.clone());
        if let Some(first) = seen.get(&key) {
            let first = sources[*first].0.display();
            let msg = format!(
                "`{of}` already has a `{}` translation in {first}",
                t.pack.lang
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
                let msg = format!("duplicate prompt id `{id}` (first used at line {first})");
                errors.push(error(*line, format!("prompt[{index}].id"), msg));
                continue;
            }
            own.insert(id, *line);
            let Some(p) = by_id.get(id.as_str()) else {
                let msg = format!(
                    "`{id}` is not a prompt of `{of}` (a translation uses the ids of the prompts it translates)"
                );
                errors.push(error(*line, format!("prompt[{index}].id"), msg));
                continue;
            };
            let mine = t.pack.prompts.iter().find(|q| q.id == *id);
            if let Some(q) = mine
                && q.weight != 1.0
                && q.weight != p.weight
            {
                let msg = format!(
                    "a translation takes its weight from the original prompt (`{id}` weighs {}): leave it out",
                    p.weight
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
