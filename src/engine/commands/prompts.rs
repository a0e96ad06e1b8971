//! `prompts list [PACK]` (for admins): what a channel draws from, so an
//! admin can see what is left in the rotation and pick a prompt for `now`.
//!
//! Without a pack: one line per pack of the channel's pool (its packs, then
//! the approved suggestions), with how many of its prompts the current cycle
//! has posted. With a pack: its prompts, id and title, each marked when this
//! cycle posted it, at most [`MAX_LISTED`] of them (a pack can hold
//! thousands; the rest are counted, not listed).

use std::fmt::Write as _;
use std::sync::Arc;

use super::{Answer, refuse};
use crate::db::ChannelRow;
use crate::domain::prompt::{Pack, Prompt, PromptSet};
use crate::engine::Engine;
use crate::engine::own_packs::community_of;
use crate::engine::suggestions::SUGGESTIONS_PACK;
use crate::i18n::Lang;
use crate::tr;

/// The most prompts one answer lists.
pub const MAX_LISTED: usize = 40;

impl Engine {
    pub(super) async fn prompts_list(
        &self,
        channel: &ChannelRow,
        pack: Option<&str>,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let pool = self.pool_of(channel).await?;
        let pool_lang = self.lang_of(channel).code();
        let own = self.own_packs(&community_of(channel)).await?;
        let (_, used) = self.db.rotation(channel.id).await?;
        let posted = |p: &Prompt| used.contains(&p.id);
        // the pool's packs, in the order they first appear
        let mut packs: Vec<&str> = Vec::new();
        for p in &pool {
            if !packs.contains(&p.pack.as_str()) {
                packs.push(&p.pack);
            }
        }
        let in_pack =
            |name: &str| -> Vec<&Arc<Prompt>> { pool.iter().filter(|p| p.pack == name).collect() };
        let mut out = String::new();
        match pack {
            None => {
                let done = pool.iter().filter(|p| posted(p)).count();
                let line = tr!(
                    lang,
                    "prompts-pool",
                    packs = packs.len(),
                    prompts = pool.len(),
                    done = done
                );
                let _ = writeln!(out, "{line}");
                for name in &packs {
                    let prompts = in_pack(name);
                    let done = prompts.iter().filter(|p| posted(p)).count();
                    let line = tr!(
                        lang,
                        "prompts-pool-pack",
                        pack = *name,
                        title = pack_title(&self.prompts(), &own, name, pool_lang, lang),
                        prompts = prompts.len(),
                        done = done
                    );
                    let _ = writeln!(out, "{line}");
                }
                out.push_str(&tr!(lang, "prompts-name-a-pack"));
            }
            Some(name) => {
                let prompts = in_pack(name);
                if prompts.is_empty() {
                    let here = if packs.is_empty() {
                        tr!(lang, "packs-none")
                    } else {
                        packs.join(", ")
                    };
                    return refuse(tr!(lang, "prompts-no-such-pack", pack = name, packs = here));
                }
                let head = tr!(
                    lang,
                    "prompts-pack",
                    pack = name,
                    title = pack_title(&self.prompts(), &own, name, pool_lang, lang),
                    prompts = prompts.len()
                );
                let _ = writeln!(out, "{head}");
                for p in prompts.iter().take(MAX_LISTED) {
                    let (id, title) = (p.id.as_str(), p.thread_name());
                    let line = if posted(p) {
                        tr!(lang, "prompts-line-posted", id = id, title = title)
                    } else {
                        tr!(lang, "prompts-line", id = id, title = title)
                    };
                    let _ = writeln!(out, "{line}");
                }
                if prompts.len() > MAX_LISTED {
                    let more = tr!(lang, "prompts-more", count = prompts.len() - MAX_LISTED);
                    let _ = writeln!(out, "{more}");
                }
            }
        }
        Ok(Answer::text(out.trim_end()))
    }
}

/// `, "Title"` for a pack of the prompt files or of the community's own,
/// the title of its translation into `pool_lang` (the language its prompts
/// are drawn in here) where there is one; approved suggestions have none.
fn pack_title(
    shipped: &PromptSet,
    own: &PromptSet,
    name: &str,
    pool_lang: &str,
    lang: Lang,
) -> String {
    if name == SUGGESTIONS_PACK {
        return tr!(lang, "pack-title-suggestions");
    }
    let packs = || {
        [shipped, own]
            .into_iter()
            .flat_map(|s| s.packs.iter().chain(s.translations.iter()))
    };
    let names = |p: &&Pack| p.id == name || p.translation_of.as_deref() == Some(name);
    packs()
        .filter(names)
        .find(|p| p.lang == pool_lang)
        .or_else(|| packs().find(|p| p.id == name))
        .map(|p| tr!(lang, "pack-title", title = p.title.as_str()))
        .unwrap_or_default()
}
