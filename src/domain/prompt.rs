//! Prompts and packs as the engine sees them, after a file was loaded and checked.

use std::collections::HashMap;
use std::sync::Arc;

/// Discord's limit for a thread name; Matrix has none, so we use Discord's.
pub const MAX_TITLE_CHARS: usize = 100;
/// Discord's limit for a message; a prompt must fit in one.
pub const MAX_TEXT_CHARS: usize = 2000;

#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub pack: String,
    /// Unique across every loaded pack.
    pub id: String,
    pub title: Option<String>,
    pub text: String,
    /// The sentence the prompt was drawn from, quoted.
    pub source: Option<String>,
    pub follow_ups: Vec<String>,
    pub tags: Vec<String>,
    /// Relative weight: heavier prompts tend to come earlier in a rotation cycle.
    pub weight: f64,
}

impl Prompt {
    /// `pack/id`, the name shown in listings and exports.
    pub fn qualified_id(&self) -> String {
        format!("{}/{}", self.pack, self.id)
    }

    /// The name of the thread opened for this prompt: its title, or the start
    /// of its text cut at a word boundary, never over [`MAX_TITLE_CHARS`].
    pub fn thread_name(&self) -> String {
        if let Some(t) = self.title.as_deref().filter(|t| !t.trim().is_empty()) {
            return t.trim().to_string();
        }
        let text = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.chars().count() <= MAX_TITLE_CHARS {
            return text;
        }
        let cut: String = text.chars().take(MAX_TITLE_CHARS - 1).collect();
        let cut = match cut.rfind(' ') {
            Some(i) if i > 40 => &cut[..i],
            _ => &cut[..],
        };
        format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
    }

    /// The message posted in the channel: the prompt, then its follow-ups.
    pub fn message_text(&self) -> String {
        let mut s = self.text.trim().to_string();
        for f in &self.follow_ups {
            s.push_str("\n• ");
            s.push_str(f.trim());
        }
        s
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    pub id: String,
    pub title: String,
    pub description: String,
    pub source: String,
    pub prompts: Vec<Arc<Prompt>>,
}

/// Every loaded pack, with prompts findable by id.
#[derive(Debug, Clone, Default)]
pub struct PromptSet {
    pub packs: Vec<Pack>,
    by_id: HashMap<String, Arc<Prompt>>,
}

impl PromptSet {
    /// Builds the set; ids must already be unique (the loader checks).
    pub fn new(packs: Vec<Pack>) -> Self {
        let by_id = packs
            .iter()
            .flat_map(|p| p.prompts.iter())
            .map(|p| (p.id.clone(), p.clone()))
            .collect();
        PromptSet { packs, by_id }
    }

    /// Finds a prompt by `id` or `pack/id`.
    pub fn get(&self, id: &str) -> Option<&Arc<Prompt>> {
        match id.split_once('/') {
            Some((pack, id)) => self.by_id.get(id).filter(|p| p.pack == pack),
            None => self.by_id.get(id),
        }
    }

    pub fn prompts(&self) -> impl Iterator<Item = &Arc<Prompt>> {
        self.packs.iter().flat_map(|p| p.prompts.iter())
    }

    /// The prompts of the named packs (all packs when `packs` is empty).
    pub fn pool(&self, packs: &[String]) -> Vec<Arc<Prompt>> {
        self.packs
            .iter()
            .filter(|p| packs.is_empty() || packs.contains(&p.id))
            .flat_map(|p| p.prompts.iter().cloned())
            .collect()
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}
