use super::sql::q;
use super::{Context, Db, DbResult, ScheduleRow};
use crate::domain::channel::DigestMode;

mod quiet;
pub use quiet::QuietDay;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChannelRow {
    pub id: i64,
    pub platform: String,
    pub external_id: String,
    pub timezone: String,
    pub packs: String,
    pub paused: bool,
    pub paused_reason: Option<String>,
    pub created_at: i64,
    /// Where a closing thread's digest goes: `thread`, `channel` or `off`
    /// (text it does not know reads as `thread`).
    pub digest: DigestMode,
    /// Whether members may reflect anonymously here.
    pub anonymous: bool,
    /// Whether a digest may quote anonymous reflections.
    pub anonymous_excerpts: bool,
    /// What the last permission self-check found missing, comma-separated.
    pub missing_permissions: Option<String>,
    pub checked_at: Option<i64>,
    /// The Discord server the channel is in, once the adapter has seen it
    /// (for links to its messages); `None` elsewhere or not yet known. Absent
    /// from a database an older Ponder wrote (read as `None`).
    #[sqlx(default)]
    pub guild: Option<String>,
    /// Whether a closing thread's digest carries its archive page (the
    /// config's `digest_archive`).
    #[sqlx(default)]
    pub digest_archive: bool,
    /// The packs chosen in chat (`packs use`), comma-separated; they win
    /// over [`ChannelRow::packs`] (the config's). `None`: not chosen.
    #[sqlx(default)]
    pub chosen_packs: Option<String>,
    /// The language the channel speaks (its config's `language`, or
    /// `language` in chat), as written; `None`: not set (see
    /// `Engine::lang_of`).
    #[sqlx(default)]
    pub language: Option<String>,
}

impl ChannelRow {
    /// The pack ids this channel draws from (chosen in chat, else the
    /// config's); empty means every pack.
    pub fn pack_list(&self) -> Vec<String> {
        pack_ids(self.chosen_packs.as_deref().unwrap_or(&self.packs))
    }

    /// The pack ids the config gave this channel (empty: every pack).
    pub fn config_packs(&self) -> Vec<String> {
        pack_ids(&self.packs)
    }

    /// The language the channel speaks itself (its config's `language`, or
    /// `language` in chat), when set to one Ponder ships; where it has none,
    /// the caller's default speaks (`Engine::lang_of`; `ponder archive`).
    pub fn lang(&self) -> Option<crate::i18n::Lang> {
        self.language.as_deref().and_then(crate::i18n::Lang::parse)
    }
}

/// `a, b` as `["a", "b"]`.
fn pack_ids(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

impl Db {
    /// The channel, created with `timezone` if it is new.
    pub async fn ensure_channel(
        &self,
        platform: &str,
        external_id: &str,
        timezone: &str,
        now: i64,
    ) -> DbResult<ChannelRow> {
        q(
            "INSERT INTO channels (platform, external_id, timezone, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (platform, external_id) DO NOTHING",
        )
        .bind(platform)
        .bind(external_id)
        .bind(timezone)
        .bind(now)
        .execute(&self.pool)
        .await
        .ctx("creating a channel")?;
        q("SELECT * FROM channels WHERE platform = ? AND external_id = ?")
            .bind(platform)
            .bind(external_id)
            .fetch_one(&self.pool)
            .await
            .ctx("reading a channel")
    }

    pub async fn find_channel(
        &self,
        platform: &str,
        external_id: &str,
    ) -> DbResult<Option<ChannelRow>> {
        q("SELECT * FROM channels WHERE platform = ? AND external_id = ?")
            .bind(platform)
            .bind(external_id)
            .fetch_optional(&self.pool)
            .await
            .ctx("reading a channel")
    }

    pub async fn channel(&self, id: i64) -> DbResult<ChannelRow> {
        q("SELECT * FROM channels WHERE id = ?")
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .ctx("reading a channel")
    }

    pub async fn channels(&self) -> DbResult<Vec<ChannelRow>> {
        q("SELECT * FROM channels ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .ctx("listing channels")
    }

    pub async fn configure_channel(
        &self,
        id: i64,
        timezone: &str,
        packs: &[String],
    ) -> DbResult<()> {
        q("UPDATE channels SET timezone = ?, packs = ? WHERE id = ?")
            .bind(timezone)
            .bind(packs.join(","))
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("configuring a channel")?;
        Ok(())
    }

    /// Sets the language the channel speaks (`None`: not set).
    pub async fn set_channel_language(&self, id: i64, language: Option<&str>) -> DbResult<()> {
        q("UPDATE channels SET language = ? WHERE id = ?")
            .bind(language)
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("setting a channel's language")?;
        Ok(())
    }

    pub async fn set_channel_paused(
        &self,
        id: i64,
        paused: bool,
        reason: Option<&str>,
    ) -> DbResult<()> {
        q("UPDATE channels SET paused = ?, paused_reason = ? WHERE id = ?")
            .bind(paused)
            .bind(reason)
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("pausing a channel")?;
        Ok(())
    }

    pub async fn set_channel_anonymous(
        &self,
        id: i64,
        allow: bool,
        excerpts: Option<bool>,
    ) -> DbResult<()> {
        q(
            "UPDATE channels SET anonymous = ?, anonymous_excerpts = COALESCE(?, anonymous_excerpts) WHERE id = ?",
        )
        .bind(allow)
        .bind(excerpts)
        .bind(id)
        .execute(&self.pool)
        .await
        .ctx("setting a channel's anonymity")?;
        Ok(())
    }

    /// Whether a closing thread's digest carries its archive page.
    pub async fn set_channel_digest_archive(&self, id: i64, on: bool) -> DbResult<()> {
        q("UPDATE channels SET digest_archive = ? WHERE id = ?")
            .bind(on)
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("setting a channel's digest archive")?;
        Ok(())
    }

    /// Turns `digest_archive` off on the given platforms' channels except
    /// `listed` ((platform, external id) pairs): the setting is the config's
    /// alone, so a channel the config no longer lists loses it. Only the
    /// platforms this process runs: several processes sharing a database
    /// list different platforms' channels (the Matrix room is in one
    /// process's config only), and one must not clear another's. Run after
    /// the listed channels were set, so none of them reads "off" meanwhile.
    pub async fn clear_digest_archives(
        &self,
        platforms: &[&str],
        listed: &std::collections::HashSet<(String, String)>,
    ) -> DbResult<()> {
        let on: Vec<ChannelRow> = q("SELECT * FROM channels WHERE digest_archive")
            .fetch_all(&self.pool)
            .await
            .ctx("clearing digest archives")?;
        for row in on {
            if platforms.contains(&row.platform.as_str())
                && !listed.contains(&(row.platform.clone(), row.external_id.clone()))
            {
                self.set_channel_digest_archive(row.id, false).await?;
            }
        }
        Ok(())
    }

    /// Records the server a known channel is in (nothing when the channel is
    /// not known, or already has it). Returns how many channels changed.
    pub async fn set_channel_guild(
        &self,
        platform: &str,
        external_id: &str,
        guild: &str,
    ) -> DbResult<u64> {
        let done = q(
            "UPDATE channels SET guild = ? WHERE platform = ? AND external_id = ? AND guild IS DISTINCT FROM ?",
        )
        .bind(guild)
        .bind(platform)
        .bind(external_id)
        .bind(guild)
        .execute(&self.pool)
        .await
        .ctx("recording a channel's server")?;
        Ok(done.rows_affected())
    }

    /// [`Db::set_channel_guild`] for `(channel, guild)` pairs, in one
    /// transaction; channels Ponder does not know are left alone. Returns
    /// how many channels changed.
    pub async fn set_channel_guilds(
        &self,
        platform: &str,
        places: &[(String, String)],
    ) -> DbResult<u64> {
        if places.is_empty() {
            return Ok(0);
        }
        let mut changed = 0;
        let mut tx = self
            .pool
            .begin_write()
            .await
            .ctx("recording channels' servers")?;
        for (channel, guild) in places {
            changed += q(
                "UPDATE channels SET guild = ? WHERE platform = ? AND external_id = ? AND guild IS DISTINCT FROM ?",
            )
            .bind(guild)
            .bind(platform)
            .bind(channel)
            .bind(guild)
            .execute(&mut tx)
            .await
            .ctx("recording a channel's server")?
            .rows_affected();
        }
        tx.commit().await.ctx("recording channels' servers")?;
        Ok(changed)
    }

    /// Records what a permission self-check found missing (empty: nothing).
    pub async fn set_missing_permissions(
        &self,
        id: i64,
        missing: &[String],
        now: i64,
    ) -> DbResult<()> {
        let missing = (!missing.is_empty()).then(|| missing.join(", "));
        q("UPDATE channels SET missing_permissions = ?, checked_at = ? WHERE id = ?")
            .bind(missing)
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("recording a permission check")?;
        Ok(())
    }

    /// A batch of permission checks in one transaction: for each channel of
    /// `platform` named in `ids` that Ponder knows (in the order of `ids`;
    /// unknown ones are skipped), `judge` gets its row and its schedules and
    /// says what is missing, which is recorded as
    /// [`Db::set_missing_permissions`] would. Two reads and one update per
    /// channel on one connection, instead of three pool round trips each.
    pub async fn record_permission_checks(
        &self,
        platform: &str,
        ids: &[String],
        now: i64,
        mut judge: impl FnMut(&ChannelRow, &[ScheduleRow]) -> Vec<String>,
    ) -> DbResult<Vec<(ChannelRow, Vec<String>)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // IMMEDIATE: take the write lock up front (see `claim_post`).
        let mut tx = self
            .pool
            .begin_write()
            .await
            .ctx("recording permission checks")?;
        // The ids as one JSON array: one statement whatever the batch's size.
        let wanted = serde_json::to_string(ids).unwrap_or_default();
        let mut rows: Vec<ChannelRow> = q("SELECT * FROM channels WHERE platform = ?
             AND external_id IN (SELECT value FROM json_each(?))")
        .pg("SELECT * FROM channels WHERE platform = $1
             AND external_id IN (SELECT json_array_elements_text($2::json))")
        .bind(platform)
        .bind(&wanted)
        .fetch_all(&mut tx)
        .await
        .ctx("reading channels")?;
        rows.sort_by_key(|r| ids.iter().position(|id| *id == r.external_id));
        let known: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let schedules: Vec<ScheduleRow> = q("SELECT * FROM schedules WHERE removed_at IS NULL
             AND channel_id IN (SELECT value FROM json_each(?)) ORDER BY id")
        .pg("SELECT * FROM schedules WHERE removed_at IS NULL
             AND channel_id IN (SELECT json_array_elements_text($1::json)::bigint) ORDER BY id")
        .bind(serde_json::to_string(&known).unwrap_or_default())
        .fetch_all(&mut tx)
        .await
        .ctx("listing schedules")?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let of: Vec<ScheduleRow> = schedules
                .iter()
                .filter(|s| s.channel_id == row.id)
                .cloned()
                .collect();
            let missing = judge(&row, &of);
            let text = (!missing.is_empty()).then(|| missing.join(", "));
            q("UPDATE channels SET missing_permissions = ?, checked_at = ? WHERE id = ?")
                .bind(text)
                .bind(now)
                .bind(row.id)
                .execute(&mut tx)
                .await
                .ctx("recording a permission check")?;
            out.push((row, missing));
        }
        tx.commit().await.ctx("recording permission checks")?;
        Ok(out)
    }

    pub async fn set_channel_digest(&self, id: i64, digest: DigestMode) -> DbResult<()> {
        q("UPDATE channels SET digest = ? WHERE id = ?")
            .bind(digest)
            .bind(id)
            .execute(&self.pool)
            .await
            .ctx("setting a channel's digest")?;
        Ok(())
    }
}
