//! A community's own packs (imported in chat, see `commands::packs`) and
//! its disabled prompts, as they join a channel's pool.
//!
//! The community is the Discord server (guild) of a channel, else the
//! channel (a Matrix room, the console) itself. Its packs are read from the
//! database and parsed once, then kept while their row ids stay the same
//! (each import, replacement or removal changes them); so a second process
//! on the same database sees a new pack on its next draw.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::Engine;
use crate::db::ChannelRow;
use crate::db::SuggestionState;
use crate::domain::prompt::{Prompt, PromptSet};
use crate::engine::suggestions::suggestion_prompt;
use crate::i18n::Lang;
use crate::prompt_files::load_sources;

/// The community a channel belongs to: its Discord server, else itself.
pub fn community_of(channel: &ChannelRow) -> String {
    match &channel.guild {
        Some(guild) => format!("{}:guild:{guild}", channel.platform),
        None => format!("{}:{}", channel.platform, channel.external_id),
    }
}

/// The most communities whose packs are kept parsed (up to 20 packs and
/// 2,000 prompts each).
const MAX_CACHED: usize = 256;

/// A community's packs parsed, with the row ids they came from.
type Parsed = (Vec<i64>, Arc<PromptSet>);

/// Parsed community packs, by community, with the row ids they came from;
/// and the lock imports take, so two at once cannot both pass the limits.
#[derive(Debug, Default)]
pub(super) struct OwnPacks {
    cache: Mutex<HashMap<String, Parsed>>,
    pub(super) imports: tokio::sync::Mutex<()>,
}

impl Engine {
    /// The packs a community imported, parsed (empty when it has none).
    pub(super) async fn own_packs(&self, community: &str) -> anyhow::Result<Arc<PromptSet>> {
        let stamps = self.db.community_pack_stamps(community).await?;
        if stamps.is_empty() {
            return Ok(Arc::default());
        }
        if let Some((seen, set)) = self.own_packs.cache.lock().unwrap().get(community)
            && *seen == stamps
        {
            return Ok(set.clone());
        }
        let rows = self.db.community_packs(community).await?;
        let stamps = rows.iter().map(|r| r.id).collect();
        let who = community.to_string();
        // up to 20 files of 256 KB: parsed off the async workers
        let set = tokio::task::spawn_blocking(move || {
            let mut packs = Vec::new();
            for row in rows {
                // each was checked on import; one that no longer reads (a
                // stricter Ponder) is left out, and said so
                match load_sources(&[(PathBuf::from(&row.file_name), row.source)]) {
                    Ok(set) => packs.extend(set.packs.into_iter().chain(set.translations)),
                    // the problems quote the community's file: counted, not logged
                    Err(e) => tracing::error!(
                        community = who,
                        pack = row.pack_id,
                        problems = e.0.len(),
                        "an imported pack no longer reads and is left out; importing it again says why"
                    ),
                }
            }
            Arc::new(PromptSet::new(packs))
        })
        .await?;
        let mut cache = self.own_packs.cache.lock().unwrap();
        if cache.len() >= MAX_CACHED && !cache.contains_key(community) {
            // one out (read again on its next use): memory stays bounded
            let out = cache.keys().next().cloned();
            if let Some(out) = out {
                cache.remove(&out);
            }
        }
        cache.insert(community.to_string(), (stamps, set.clone()));
        Ok(set)
    }

    /// The `pack/id`s of the packs a known channel's community imported
    /// (none for a channel Ponder does not know), for autocompletion.
    pub async fn own_prompt_ids(
        &self,
        platform: &str,
        channel: &str,
    ) -> anyhow::Result<Vec<String>> {
        let Some(channel) = self.db.find_channel(platform, channel).await? else {
            return Ok(Vec::new());
        };
        let own = self.own_packs(&community_of(&channel)).await?;
        Ok(own.prompts().map(|p| p.qualified_id()).collect())
    }

    /// A prompt a channel's community has by `id` (or `pack/id`), whether
    /// or not the channel draws from it or it is disabled: shipped, the
    /// community's own, or one of the channel's approved suggestions; in
    /// the channel's language where it has a translation.
    pub async fn community_prompt(
        &self,
        channel: &ChannelRow,
        id: &str,
    ) -> anyhow::Result<Option<Arc<Prompt>>> {
        self.community_prompt_in(channel, id, self.lang_of(channel).code())
            .await
    }

    /// [`Self::community_prompt`] in `lang`.
    pub async fn community_prompt_in(
        &self,
        channel: &ChannelRow,
        id: &str,
        lang: &str,
    ) -> anyhow::Result<Option<Arc<Prompt>>> {
        if let Some(p) = self.prompts().get_in(id, lang) {
            return Ok(Some(p));
        }
        let own = self.own_packs(&community_of(channel)).await?;
        if let Some(p) = own.get_in(id, lang) {
            return Ok(Some(p));
        }
        let bare = id.strip_prefix("suggestions/").unwrap_or(id);
        Ok(self
            .db
            .suggestions_in(channel.id, SuggestionState::Approved)
            .await?
            .iter()
            .find(|s| s.prompt_id() == bare)
            .map(|s| Arc::new(suggestion_prompt(s, Lang::parse(lang).unwrap_or_default()))))
    }

    /// The prompts a channel draws from: its packs (shipped, then its
    /// community's own), less the prompts its community disabled, and its
    /// approved suggestions. A community prompt whose id a shipped prompt
    /// took since (the operator added it later) is left out: ids are unique.
    /// Each prompt is in the channel's language where a translation has it.
    pub async fn pool_of(&self, channel: &ChannelRow) -> anyhow::Result<Vec<Arc<Prompt>>> {
        self.pool_in(channel, self.lang_of(channel).code()).await
    }

    /// [`Self::pool_of`] with the prompts in `lang` where a translation
    /// has them, else in their own language.
    pub async fn pool_in(
        &self,
        channel: &ChannelRow,
        lang: &str,
    ) -> anyhow::Result<Vec<Arc<Prompt>>> {
        let community = community_of(channel);
        let packs = channel.pack_list();
        let shipped = self.prompts();
        let mut pool = shipped.pool_in(&packs, lang);
        let credit_lang = Lang::parse(lang).unwrap_or_default();
        let own = self.own_packs(&community).await?;
        pool.extend(
            own.pool_in(&packs, lang)
                .into_iter()
                .filter(|p| shipped.get(&p.id).is_none()),
        );
        for s in self
            .db
            .suggestions_in(channel.id, SuggestionState::Approved)
            .await?
        {
            pool.push(Arc::new(suggestion_prompt(&s, credit_lang)));
        }
        let disabled = self.db.disabled_prompts(&community).await?;
        if !disabled.is_empty() {
            pool.retain(|p| !disabled.contains(&p.id));
        }
        Ok(pool)
    }
}
