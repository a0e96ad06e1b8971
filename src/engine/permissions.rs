//! The permission self-check: what the bot lacks in a channel (to post,
//! open threads, pin, ping), recorded for `status` and logged, at start and
//! when `setup` or `schedule add` asks for more.

use super::Engine;
use super::port::Needs;
use crate::db::ChannelRow;

impl Engine {
    /// Checks what the bot lacks in a channel and records it. `None` when
    /// the channel's platform is not running.
    pub async fn check_permissions(
        &self,
        channel: &ChannelRow,
    ) -> anyhow::Result<Option<Vec<String>>> {
        let Some(chat) = self.chat(&channel.platform).cloned() else {
            return Ok(None);
        };
        let needs = self.needs_of(channel).await?;
        let missing = match chat.missing_permissions(&channel.external_id, &needs).await {
            Ok(m) => m,
            Err(e) => vec![format!("the check itself failed: {e}")],
        };
        self.record_missing(channel, &missing).await?;
        Ok(Some(missing))
    }

    /// What a channel's schedules need beyond posting prompts and threads.
    pub async fn needs_of(&self, channel: &ChannelRow) -> anyhow::Result<Needs> {
        let mut needs = Needs::default();
        for s in self.db.schedules_of(channel.id).await? {
            needs.pin |= s.pin;
            if let Some(p) = s.ping
                && !needs.ping.contains(&p)
            {
                needs.ping.push(p);
            }
        }
        Ok(needs)
    }

    /// Records what a check found missing (shown by `status`), and logs it.
    pub async fn record_missing(
        &self,
        channel: &ChannelRow,
        missing: &[String],
    ) -> anyhow::Result<()> {
        if !missing.is_empty() {
            tracing::warn!(
                platform = %channel.platform,
                channel = %channel.external_id,
                missing = %missing.join(", "),
                "Ponder lacks permissions in a channel; its posts there will fail until an admin grants them"
            );
        }
        self.db
            .set_missing_permissions(channel.id, missing, self.clock.now().timestamp())
            .await?;
        Ok(())
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
    pub(super) fn permissions_sentence(missing: &[String]) -> String {
        if missing.is_empty() {
            "Permissions checked: nothing is missing.".into()
        } else {
            format!(
                "Ponder is missing here: {}. Grant {} to Ponder (its role, or this channel's permissions), or its posts will fail.",
                missing.join(", "),
                if missing.len() == 1 { "it" } else { "them" }
            )
        }
    }
}
