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

/// The language of a pack that does not say (`lang`).
pub const DEFAULT_LANG: &str = "en";

#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    pub id: String,
    pub title: String,
    pub description: String,
    pub source: String,
    /// The language its prompts are written in, like `en` or `de`.
    pub lang: String,
    /// The pack this one translates: its prompts carry the original's ids
    /// (and its pack id), so rotation, statistics and disabling follow the
    /// prompt whatever the language it is posted in.
    pub translation_of: Option<String>,
    pub prompts: Vec<Arc<Prompt>>,
}

/// Every loaded pack, with prompts findable by id.
#[derive(Debug, Clone, Default)]
pub struct PromptSet {
    /// The original packs; a prompt id is unique among their prompts.
    pub packs: Vec<Pack>,
    /// The packs that translate one of `packs` (`translation_of`).
    pub translations: Vec<Pack>,
    by_id: HashMap<String, Arc<Prompt>>,
    /// A prompt's text in another language than its pack's: by (id, lang).
    variants: HashMap<(String, String), Arc<Prompt>>,
    /// Each original pack's language, by pack id.
    pack_lang: HashMap<String, String>,
    /// Each translation's original, by the translation's pack id.
    original_of: HashMap<String, String>,
}

impl PromptSet {
    /// Builds the set from original packs and translations (the loader
    /// checks that ids are unique and every translation's original is here;
    /// a translation whose original is missing is left out).
    pub fn new(all: Vec<Pack>) -> Self {
        let (translations, packs): (Vec<Pack>, Vec<Pack>) =
            all.into_iter().partition(|p| p.translation_of.is_some());
        let by_id = packs
            .iter()
            .flat_map(|p| p.prompts.iter())
            .map(|p| (p.id.clone(), p.clone()))
            .collect();
        let pack_lang: HashMap<String, String> = packs
            .iter()
            .map(|p| (p.id.clone(), p.lang.clone()))
            .collect();
        let translations: Vec<Pack> = translations
            .into_iter()
            .filter(|t| {
                t.translation_of
                    .as_ref()
                    .is_some_and(|o| pack_lang.contains_key(o))
            })
            .collect();
        let mut variants = HashMap::new();
        let mut original_of = HashMap::new();
        for t in &translations {
            original_of.insert(t.id.clone(), t.translation_of.clone().unwrap_or_default());
            for p in &t.prompts {
                variants.insert((p.id.clone(), t.lang.clone()), p.clone());
            }
        }
        PromptSet {
            packs,
            translations,
            by_id,
            variants,
            pack_lang,
            original_of,
        }
    }

    /// Whether `id` names a pack of the set, original or translation.
    pub fn has_pack(&self, id: &str) -> bool {
        self.pack_lang.contains_key(id) || self.original_of.contains_key(id)
    }

    /// `prompt` as posted in a channel speaking `lang`: its translation
    /// into `lang` when there is one, else the prompt as written (a pack
    /// not translated into `lang`, or a prompt its translation leaves out,
    /// is posted in its own language).
    pub fn in_lang(&self, prompt: &Arc<Prompt>, lang: &str) -> Arc<Prompt> {
        if self.pack_lang.get(&prompt.pack).is_some_and(|l| l == lang) {
            return prompt.clone();
        }
        self.variants
            .get(&(prompt.id.clone(), lang.to_string()))
            .unwrap_or(prompt)
            .clone()
    }

    /// Finds a prompt by `id` or `pack/id`, in `lang` (see [`Self::in_lang`]).
    pub fn get_in(&self, id: &str, lang: &str) -> Option<Arc<Prompt>> {
        self.get(id).map(|p| self.in_lang(p, lang))
    }

    /// Every version of the prompt `id` (or `pack/id`) with its language:
    /// the original first (in its pack's language), then each translation.
    pub fn versions(&self, id: &str) -> Vec<(String, Arc<Prompt>)> {
        let Some(original) = self.get(id) else {
            return Vec::new();
        };
        let own = self
            .pack_lang
            .get(&original.pack)
            .cloned()
            .unwrap_or_default();
        let mut out = vec![(own, original.clone())];
        for t in &self.translations {
            if t.translation_of.as_deref() != Some(original.pack.as_str())
                || out.iter().any(|(l, _)| *l == t.lang)
            {
                continue;
            }
            if let Some(v) = self.variants.get(&(original.id.clone(), t.lang.clone())) {
                out.push((t.lang.clone(), v.clone()));
            }
        }
        out
    }

    /// The prompts of the named packs (all packs when `packs` is empty), in
    /// `lang` where a translation has them. A translation's pack id names
    /// its original: the prompts are the same, whichever is listed.
    pub fn pool_in(&self, packs: &[String], lang: &str) -> Vec<Arc<Prompt>> {
        let named: Vec<String> = packs
            .iter()
            .map(|p| self.original_of.get(p).unwrap_or(p).clone())
            .collect();
        self.pool(&named)
            .iter()
            .map(|p| self.in_lang(p, lang))
            .collect()
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
