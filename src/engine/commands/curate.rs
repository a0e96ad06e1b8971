//! Curating what a channel draws from (admins): `prompts show ID`,
//! `prompts disable|enable ID` (per community), `prompts remove-pack` and
//! `prompts export-pack` (a community's own packs, see [`super::packs`]),
//! and `packs use` (per channel).

use std::fmt::Write as _;

use super::{Answer, refuse};
use crate::db::ChannelRow;
use crate::engine::Engine;
use crate::engine::own_packs::community_of;
use crate::i18n::Lang;
use crate::tr;

/// `server` or `room`: where a disabled prompt is retired (the messages
/// select on it).
fn place_of(channel: &ChannelRow) -> &'static str {
    if channel.guild.is_some() {
        "server"
    } else {
        "room"
    }
}

impl Engine {
    /// `prompts show ID`.
    pub(super) async fn prompt_show(
        &self,
        channel: &ChannelRow,
        id: &str,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let Some(p) = self.community_prompt(channel, id).await? else {
            return refuse(tr!(lang, "prompt-unknown", id = id));
        };
        let disabled = self
            .db
            .disabled_prompts(&community_of(channel))
            .await?
            .contains(&p.id);
        let in_pool = self.pool_of(channel).await?.iter().any(|q| q.id == p.id);
        let mut out = format!(
            "{}: {}\n{}",
            p.qualified_id(),
            p.thread_name(),
            p.message_text()
        );
        if let Some(source) = &p.source {
            let source = tr!(lang, "prompt-source", source = source.as_str());
            let _ = write!(out, "\n{source}");
        }
        out.push('\n');
        out.push_str(&if disabled {
            tr!(lang, "prompt-disabled-here")
        } else if in_pool {
            tr!(lang, "prompt-in-rotation")
        } else {
            tr!(lang, "prompt-not-in-rotation")
        });
        Ok(Answer::text(out))
    }

    /// `prompts disable|enable ID`: for the whole community.
    pub(super) async fn prompt_enable(
        &self,
        channel: &ChannelRow,
        id: &str,
        enable: bool,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let Some(p) = self.community_prompt(channel, id).await? else {
            return refuse(tr!(lang, "prompt-unknown", id = id));
        };
        let community = community_of(channel);
        let now = self.clock.now().timestamp();
        let changed = self
            .db
            .set_prompt_enabled(&community, &p.id, enable, now)
            .await?;
        let name = p.qualified_id();
        let place = place_of(channel);
        let said = match (enable, changed) {
            (false, true) => {
                let left = self.pool_of(channel).await?.len();
                let mut said = tr!(
                    lang,
                    "prompt-disabled",
                    name = name,
                    place = place,
                    id = p.id.as_str(),
                    left = left
                );
                if left == 0 {
                    said.push(' ');
                    said.push_str(&tr!(lang, "prompt-disabled-nothing-left"));
                }
                said
            }
            (false, false) => tr!(lang, "prompt-already-disabled", name = name, place = place),
            (true, true) => tr!(lang, "prompt-enabled", name = name, place = place),
            (true, false) => tr!(lang, "prompt-not-disabled", name = name, place = place),
        };
        Ok(Answer::text(said))
    }

    /// The community's own pack `pack`, or a refusal that says what it is.
    async fn own_pack_row(
        &self,
        channel: &ChannelRow,
        pack: &str,
        lang: Lang,
    ) -> anyhow::Result<crate::db::CommunityPack> {
        let community = community_of(channel);
        let rows = self.db.community_packs(&community).await?;
        if let Some(row) = rows.iter().find(|r| r.pack_id == pack) {
            return Ok(row.clone());
        }
        if self.prompts().packs.iter().any(|p| p.id == pack) {
            return refuse(tr!(lang, "pack-shipped", pack = pack));
        }
        let own: Vec<&str> = rows.iter().map(|r| r.pack_id.as_str()).collect();
        let packs = if own.is_empty() {
            tr!(lang, "packs-none")
        } else {
            own.join(", ")
        };
        refuse(tr!(lang, "pack-not-imported", pack = pack, packs = packs))
    }

    /// `prompts remove-pack PACK`.
    pub(super) async fn pack_remove(
        &self,
        channel: &ChannelRow,
        pack: &str,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let row = self.own_pack_row(channel, pack, lang).await?;
        self.db
            .remove_community_pack(&community_of(channel), &row.pack_id)
            .await?;
        Ok(Answer::text(tr!(
            lang,
            "pack-removed",
            pack = row.pack_id.as_str(),
            prompts = row.prompts
        )))
    }

    /// `prompts export-pack PACK`: the file as it was imported.
    pub(super) async fn pack_export(
        &self,
        channel: &ChannelRow,
        pack: &str,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let row = self.own_pack_row(channel, pack, lang).await?;
        Ok(Answer {
            text: tr!(
                lang,
                "pack-exported",
                pack = row.pack_id.as_str(),
                prompts = row.prompts
            ),
            file: Some((format!("{}.toml", row.pack_id), row.source)),
            ..Answer::default()
        })
    }

    /// `packs use a,b` (empty: every pack).
    pub(super) async fn packs_use(
        &self,
        channel: &ChannelRow,
        packs: Vec<String>,
        lang: Lang,
    ) -> anyhow::Result<Answer> {
        let own = self.own_packs(&community_of(channel)).await?;
        let shipped = self.prompts();
        let known = |id: &str| {
            shipped
                .packs
                .iter()
                .chain(own.packs.iter())
                .any(|p| p.id == id)
        };
        let unknown: Vec<&str> = packs
            .iter()
            .map(String::as_str)
            .filter(|p| !known(p))
            .collect();
        if !unknown.is_empty() {
            let all: Vec<&str> = shipped
                .packs
                .iter()
                .chain(own.packs.iter())
                .map(|p| p.id.as_str())
                .collect();
            let unknown = unknown
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ");
            return refuse(tr!(
                lang,
                "packs-unknown",
                packs = unknown,
                all = all.join(", ")
            ));
        }
        let mut unique: Vec<String> = Vec::new();
        for p in packs {
            if !unique.contains(&p) {
                unique.push(p);
            }
        }
        let mut chosen = channel.clone();
        chosen.chosen_packs = Some(unique.join(","));
        let n = self.pool_of(&chosen).await?.len();
        if n == 0 {
            return refuse(tr!(lang, "packs-use-empty", packs = unique.join(", ")));
        }
        self.db
            .choose_packs(channel.id, chosen.chosen_packs.as_deref())
            .await?;
        Ok(Answer::text(if unique.is_empty() {
            tr!(lang, "packs-use-all", prompts = n)
        } else {
            tr!(
                lang,
                "packs-use-these",
                packs = unique.join(", "),
                prompts = n
            )
        }))
    }
}
