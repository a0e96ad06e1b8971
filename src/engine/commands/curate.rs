//! Curating what a channel draws from (admins): `prompts show ID`,
//! `prompts disable|enable ID` (per community), `prompts remove-pack` and
//! `prompts export-pack` (a community's own packs, see [`super::packs`]),
//! and `packs use` (per channel).

use std::fmt::Write as _;

use super::{Answer, refuse};
use crate::db::ChannelRow;
use crate::engine::Engine;
use crate::engine::own_packs::community_of;
use crate::text::plural;

impl Engine {
    /// `prompts show ID`.
    pub(super) async fn prompt_show(
        &self,
        channel: &ChannelRow,
        id: &str,
    ) -> anyhow::Result<Answer> {
        let Some(p) = self.community_prompt(channel, id).await? else {
            return refuse(format!(
                "No prompt `{id}` here. `prompts list PACK` lists a pack's prompts."
            ));
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
            let _ = write!(out, "\nSource: “{source}”");
        }
        out.push('\n');
        out.push_str(if disabled {
            "Disabled here: never drawn (`prompts enable` brings it back)."
        } else if in_pool {
            "In this channel's rotation."
        } else {
            "Not in this channel's rotation: its pack is not one this channel draws from (`packs use`)."
        });
        Ok(Answer::text(out))
    }

    /// `prompts disable|enable ID`: for the whole community.
    pub(super) async fn prompt_enable(
        &self,
        channel: &ChannelRow,
        id: &str,
        enable: bool,
    ) -> anyhow::Result<Answer> {
        let Some(p) = self.community_prompt(channel, id).await? else {
            return refuse(format!(
                "No prompt `{id}` here. `prompts list PACK` lists a pack's prompts."
            ));
        };
        let community = community_of(channel);
        let now = self.clock.now().timestamp();
        let changed = self
            .db
            .set_prompt_enabled(&community, &p.id, enable, now)
            .await?;
        let name = p.qualified_id();
        let place = if channel.guild.is_some() {
            "this server"
        } else {
            "this room"
        };
        let said = match (enable, changed) {
            (false, true) => {
                let left = self.pool_of(channel).await?.len();
                let mut said = format!(
                    "Disabled {name} in {place}: it is never drawn again until `prompts enable {}`. This channel draws from {}.",
                    p.id,
                    plural(left as i64, "prompt", "prompts")
                );
                if left == 0 {
                    said.push_str(
                        " With nothing left to draw, its slots post nothing: enable a prompt or `packs use` others.",
                    );
                }
                said
            }
            (false, false) => format!("{name} was already disabled in {place}."),
            (true, true) => format!("Enabled {name} in {place}: it can be drawn again."),
            (true, false) => format!("{name} was not disabled in {place}."),
        };
        Ok(Answer::text(said))
    }

    /// The community's own pack `pack`, or a refusal that says what it is.
    async fn own_pack_row(
        &self,
        channel: &ChannelRow,
        pack: &str,
    ) -> anyhow::Result<crate::db::CommunityPack> {
        let community = community_of(channel);
        let rows = self.db.community_packs(&community).await?;
        if let Some(row) = rows.iter().find(|r| r.pack_id == pack) {
            return Ok(row.clone());
        }
        if self.prompts().packs.iter().any(|p| p.id == pack) {
            return refuse(format!(
                "`{pack}` ships with Ponder: its file is the operator's. To stop drawing from it here: `packs use` with the packs you want."
            ));
        }
        let own: Vec<&str> = rows.iter().map(|r| r.pack_id.as_str()).collect();
        refuse(format!(
            "No pack `{pack}` was imported here. Imported here: {}.",
            if own.is_empty() {
                "none".to_string()
            } else {
                own.join(", ")
            }
        ))
    }

    /// `prompts remove-pack PACK`.
    pub(super) async fn pack_remove(
        &self,
        channel: &ChannelRow,
        pack: &str,
    ) -> anyhow::Result<Answer> {
        let row = self.own_pack_row(channel, pack).await?;
        self.db
            .remove_community_pack(&community_of(channel), &row.pack_id)
            .await?;
        Ok(Answer::text(format!(
            "Removed pack `{}` ({}). Prompts already posted from it stay in the archive.",
            row.pack_id,
            plural(row.prompts, "prompt", "prompts")
        )))
    }

    /// `prompts export-pack PACK`: the file as it was imported.
    pub(super) async fn pack_export(
        &self,
        channel: &ChannelRow,
        pack: &str,
    ) -> anyhow::Result<Answer> {
        let row = self.own_pack_row(channel, pack).await?;
        Ok(Answer {
            text: format!(
                "Pack `{}` ({}), as it was imported.",
                row.pack_id,
                plural(row.prompts, "prompt", "prompts")
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
            return refuse(format!(
                "No pack {} here. The packs: {}.",
                unknown
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                all.join(", ")
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
            return refuse(format!(
                "{} holds no prompt this channel could draw (all disabled?); it keeps its packs.",
                unique.join(", ")
            ));
        }
        self.db
            .choose_packs(channel.id, chosen.chosen_packs.as_deref())
            .await?;
        let which = if unique.is_empty() {
            "every pack".to_string()
        } else {
            unique.join(", ")
        };
        Ok(Answer::text(format!(
            "This channel now draws from {which}: {}.",
            plural(n as i64, "prompt", "prompts")
        )))
    }
}
