//! The `community_packs` and `disabled_prompts` tables: the packs a
//! community imported in chat, and the prompts it retired.

use super::sql::q;

use std::collections::HashSet;

use crate::db::{Context, Db, DbResult};

/// One imported pack, as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CommunityPack {
    pub id: i64,
    pub community: String,
    pub pack_id: String,
    pub title: String,
    pub file_name: String,
    /// The file as imported.
    pub source: String,
    pub prompts: i64,
    pub imported_at: i64,
}

/// A pack to store: `(pack id, title, file name, source, prompt count)`.
pub struct NewPack<'a> {
    pub pack_id: &'a str,
    pub title: &'a str,
    pub file_name: &'a str,
    pub source: &'a str,
    pub prompts: usize,
}

impl Db {
    /// A community's packs, in the order they were imported.
    pub async fn community_packs(&self, community: &str) -> DbResult<Vec<CommunityPack>> {
        q("SELECT * FROM community_packs WHERE community = ? ORDER BY id")
            .bind(community)
            .fetch_all(&self.pool)
            .await
            .ctx("reading a community's packs")
    }

    /// The row ids of a community's packs: they change whenever a pack is
    /// imported, replaced or removed, so a cache compares them.
    pub async fn community_pack_stamps(&self, community: &str) -> DbResult<Vec<i64>> {
        q("SELECT id FROM community_packs WHERE community = ? ORDER BY id")
            .bind(community)
            .scalars(&self.pool)
            .await
            .ctx("reading a community's packs")
    }

    /// Stores a pack, replacing the community's pack of the same id (one
    /// transaction); the replaced pack's prompt count, if there was one.
    pub async fn put_community_pack(
        &self,
        community: &str,
        pack: &NewPack<'_>,
        now: i64,
    ) -> DbResult<Option<i64>> {
        let mut tx = self.pool.begin_write().await.ctx("importing a pack")?;
        let replaced: Option<i64> =
            q("DELETE FROM community_packs WHERE community = ? AND pack_id = ? RETURNING prompts")
                .bind(community)
                .bind(pack.pack_id)
                .scalar_optional(&mut tx)
                .await
                .ctx("importing a pack")?;
        q("INSERT INTO community_packs
                (community, pack_id, title, file_name, source, prompts, imported_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(community)
        .bind(pack.pack_id)
        .bind(pack.title)
        .bind(pack.file_name)
        .bind(pack.source)
        .bind(pack.prompts as i64)
        .bind(now)
        .execute(&mut tx)
        .await
        .ctx("importing a pack")?;
        tx.commit().await.ctx("importing a pack")?;
        Ok(replaced)
    }

    /// Removes a community's pack; whether it had one by that id.
    pub async fn remove_community_pack(&self, community: &str, pack_id: &str) -> DbResult<bool> {
        let done = q("DELETE FROM community_packs WHERE community = ? AND pack_id = ?")
            .bind(community)
            .bind(pack_id)
            .execute(&self.pool)
            .await
            .ctx("removing a pack")?;
        Ok(done.rows_affected() > 0)
    }

    /// The ids of the prompts a community disabled.
    pub async fn disabled_prompts(&self, community: &str) -> DbResult<HashSet<String>> {
        let ids: Vec<String> = q("SELECT prompt_id FROM disabled_prompts WHERE community = ?")
            .bind(community)
            .scalars(&self.pool)
            .await
            .ctx("reading disabled prompts")?;
        Ok(ids.into_iter().collect())
    }

    /// Disables (`enabled: false`) or enables a prompt for a community;
    /// whether that changed anything.
    pub async fn set_prompt_enabled(
        &self,
        community: &str,
        prompt_id: &str,
        enabled: bool,
        now: i64,
    ) -> DbResult<bool> {
        let done = if enabled {
            q("DELETE FROM disabled_prompts WHERE community = ? AND prompt_id = ?")
                .bind(community)
                .bind(prompt_id)
                .execute(&self.pool)
                .await
        } else {
            q(
                "INSERT INTO disabled_prompts (community, prompt_id, disabled_at) VALUES (?, ?, ?)
                 ON CONFLICT DO NOTHING",
            )
            .bind(community)
            .bind(prompt_id)
            .bind(now)
            .execute(&self.pool)
            .await
        }
        .ctx("disabling a prompt")?;
        Ok(done.rows_affected() > 0)
    }

    /// The packs a channel draws from as chosen in chat (`None`: follow the config).
    pub async fn choose_packs(&self, channel_id: i64, packs: Option<&str>) -> DbResult<()> {
        q("UPDATE channels SET chosen_packs = ? WHERE id = ?")
            .bind(packs)
            .bind(channel_id)
            .execute(&self.pool)
            .await
            .ctx("choosing a channel's packs")?;
        Ok(())
    }
}
