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
use crate::domain::prompt::{Prompt, PromptSet};
use crate::engine::Engine;
use crate::engine::own_packs::community_of;
use crate::engine::suggestions::SUGGESTIONS_PACK;
use crate::text::plural;

/// The most prompts one answer lists.
pub const MAX_LISTED: usize = 40;

impl Engine {
    pub(super) async fn prompts_list(
        &self,
        channel: &ChannelRow,
        pack: Option<&str>,
    ) -> anyhow::Result<Answer> {
        let pool = self.pool_of(channel).await?;
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
                let _ = writeln!(
                    out,
                    "This channel draws from {}, {}; this rotation cycle has posted {done}.",
                    plural(packs.len() as i64, "pack", "packs"),
                    plural(pool.len() as i64, "prompt", "prompts"),
                );
                for name in &packs {
                    let prompts = in_pack(name);
                    let done = prompts.iter().filter(|p| posted(p)).count();
                    let _ = writeln!(
                        out,
                        "- {name}{}: {}, {done} posted this cycle",
                        pack_title(&self.prompts(), &own, name),
                        plural(prompts.len() as i64, "prompt", "prompts"),
                    );
                }
                out.push_str("Name a pack to see its prompts.");
            }
            Some(name) => {
                let prompts = in_pack(name);
                if prompts.is_empty() {
                    let here = if packs.is_empty() {
                        "none".to_string()
                    } else {
                        packs.join(", ")
                    };
                    return refuse(format!(
                        "This channel does not draw from a pack `{name}`. Its packs: {here}."
                    ));
                }
                let _ = writeln!(
                    out,
                    "{name}{}: {}.",
                    pack_title(&self.prompts(), &own, name),
                    plural(prompts.len() as i64, "prompt", "prompts")
                );
                for p in prompts.iter().take(MAX_LISTED) {
                    let mark = if posted(p) {
                        " (posted this cycle)"
                    } else {
                        ""
                    };
                    let _ = writeln!(out, "- {}: {}{mark}", p.id, p.thread_name());
                }
                if prompts.len() > MAX_LISTED {
                    let _ = writeln!(out, "… and {} more.", prompts.len() - MAX_LISTED);
                }
            }
        }
        Ok(Answer::text(out.trim_end()))
    }
}

/// `, "Title"` for a pack of the prompt files or of the community's own;
/// approved suggestions have none.
fn pack_title(shipped: &PromptSet, own: &PromptSet, name: &str) -> String {
    if name == SUGGESTIONS_PACK {
        return " (approved suggestions)".into();
    }
    shipped
        .packs
        .iter()
        .chain(own.packs.iter())
        .find(|p| p.id == name)
        .map(|p| format!(", \"{}\"", p.title))
        .unwrap_or_default()
}
