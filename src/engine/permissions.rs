//! The permission self-check: what the bot lacks in a channel (to post,
//! open threads, pin, ping), recorded for `status` and logged, at start and
//! when `setup` or `schedule add` asks for more.

use super::Engine;
use super::missing::Missing;
use super::port::Needs;
use crate::db::{ChannelRow, ScheduleRow};

/// What a channel's schedules need beyond posting prompts and threads.
fn needs_from(schedules: &[ScheduleRow]) -> Needs {
    let mut needs = Needs::default();
    for s in schedules {
        needs.pin |= s.pin;
        if let Some(p) = &s.ping
            && !needs.ping.contains(p)
        {
            needs.ping.push(p.clone());
        }
    }
    needs
}

/// The warning a check that found something missing leaves in the log.
fn log_missing(channel: &ChannelRow, missing: &[Missing]) {
    if !missing.is_empty() {
        tracing::warn!(
            platform = %channel.platform,
            channel = %channel.external_id,
            missing = %Missing::list(missing, crate::i18n::Lang::En),
            "Ponder lacks permissions in a channel; its posts there will fail until an admin grants them"
        );
    }
}

impl Engine {
    /// Checks what the bot lacks in a channel and records it. `None` when
    /// the channel's platform is not running.
    pub async fn check_permissions(
        &self,
        channel: &ChannelRow,
    ) -> anyhow::Result<Option<Vec<Missing>>> {
        let Some(chat) = self.chat(&channel.platform).cloned() else {
            return Ok(None);
        };
        let needs = self.needs_of(channel).await?;
        let missing = match chat.missing_permissions(&channel.external_id, &needs).await {
            Ok(m) => m,
            Err(e) => vec![Missing::CheckFailed(e.to_string())],
        };
        self.record_missing(channel, &missing).await?;
        Ok(Some(missing))
    }

    /// What a channel's schedules need beyond posting prompts and threads.
    pub async fn needs_of(&self, channel: &ChannelRow) -> anyhow::Result<Needs> {
        Ok(needs_from(&self.db.schedules_of(channel.id).await?))
    }

    /// Records what a check found missing (shown by `status`), and logs it.
    pub async fn record_missing(
        &self,
        channel: &ChannelRow,
        missing: &[Missing],
    ) -> anyhow::Result<()> {
        log_missing(channel, missing);
        self.db
            .set_missing_permissions(
                channel.id,
                &Missing::store_all(missing),
                self.clock.now().timestamp(),
            )
            .await?;
        Ok(())
    }

    /// Many channels' checks at once (a platform's start-up check of a
    /// batch of servers), recorded in one transaction and logged like
    /// [`Engine::record_missing`]: for each channel of `platform` in
    /// `channels` that Ponder knows, `missing_of` gets its id and what its
    /// schedules need and names what the bot lacks. Returns how many
    /// channels were checked.
    pub async fn record_checks(
        &self,
        platform: &str,
        channels: &[String],
        mut missing_of: impl FnMut(&str, &Needs) -> Vec<Missing>,
    ) -> anyhow::Result<usize> {
        let now = self.clock.now().timestamp();
        let checked = self
            .db
            .record_permission_checks(platform, channels, now, |row, schedules| {
                Missing::store_all(&missing_of(&row.external_id, &needs_from(schedules)))
            })
            .await?;
        for (row, stored) in &checked {
            log_missing(row, &Missing::read_stored(&stored.join(", ")));
        }
        Ok(checked.len())
    }

    /// At start: every channel with a schedule is checked (except on
    /// platforms that check as they connect), and what is missing is
    /// logged and shown by `status`.
    pub async fn self_check(&self) -> anyhow::Result<()> {
        for channel in self.db.channels().await? {
            let checks_itself = self
                .chat(&channel.platform)
                .is_some_and(|c| c.checks_permissions_on_connect());
            if checks_itself || self.db.schedules_of(channel.id).await?.is_empty() {
                continue;
            }
            self.check_permissions(&channel).await?;
        }
        Ok(())
    }

    /// The sentence setup and status give about permissions.
    pub(super) fn permissions_sentence(missing: &[Missing], lang: crate::i18n::Lang) -> String {
        if missing.is_empty() {
            crate::tr!(lang, "permissions-ok")
        } else {
            crate::tr!(
                lang,
                "permissions-missing",
                missing = Missing::list(missing, lang),
                count = missing.len()
            )
        }
    }
}
