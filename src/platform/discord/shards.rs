//! The gateway's shards, as operators see them: how many, which are
//! connected, how many guilds each holds (`status`, `/healthz`, `/metrics`).
//!
//! `[discord] shards = "auto"` (the default) starts the count Discord
//! recommends in `GET /gateway/bot` (one connection holds at most 2,500
//! guilds; Discord closes one holding more with 4011, "sharding
//! required"); a number starts that many. serenity's shard manager starts
//! them one after another. A guild belongs to shard `(guild_id >> 22) %
//! total`, so each shard's new session reads only its guilds' threads whole.
//!
//! Several processes may share one bot, each running a range of the shards
//! (`shards = "0-3 of 8"`, serenity's `start_shard_range`): each serves only
//! the guilds of its shards (posts, closes, reads threads), and a channel
//! whose guild it has not learned yet (from a GUILD_CREATE or a slash
//! command there) waits until it is known to be its own. Only its shards
//! show in `status`, `/healthz` and `/metrics`.

use std::collections::BTreeMap;

use poise::serenity_prelude::{ConnectionStage, ShardId};

use super::DiscordChat;
use crate::engine::port::Connection;

/// The shards' states, as the gateway's events report them.
#[derive(Debug, Default)]
pub(crate) struct ShardBoard {
    /// The shard count, once the gateway is started.
    total: Option<u32>,
    /// The shards this process runs (`first..=last`), once started.
    run: Option<(u32, u32)>,
    shards: BTreeMap<u32, Shard>,
    /// What is wrong with the count, for `status` (a fixed count too small).
    note: Option<String>,
}

/// The most guilds one connection may hold; Discord closes one holding more
/// with 4011 ("sharding required").
const MAX_GUILDS_PER_SHARD: u64 = 2500;
/// Guilds per shard Discord's recommendation counts (about 1,000).
const GUILDS_PER_RECOMMENDED_SHARD: u64 = 1000;

#[derive(Debug, Default, Clone, Copy)]
struct Shard {
    up: bool,
    guilds: usize,
    latency_ms: Option<u64>,
    resumes: u32,
}

/// How often the shards' stages and latencies are read from serenity's
/// shard manager.
const POLL: std::time::Duration = std::time::Duration::from_secs(5);

/// The shard a guild's events come on.
pub(crate) fn shard_of(guild: u64, total: u32) -> u32 {
    if total <= 1 {
        0
    } else {
        ((guild >> 22) % u64::from(total)) as u32
    }
}

impl DiscordChat {
    /// The gateway starts shards `first..=last` of `total`, none connected yet.
    pub(crate) fn expect_shards(&self, first: u32, last: u32, total: u32) {
        let mut board = self.shards.lock().unwrap();
        board.total = Some(total.max(1));
        board.run = Some((first, last.max(first)));
    }

    /// The shards this process runs, when it runs a range of them.
    pub(crate) fn shard_range(&self) -> Option<crate::config::ShardRange> {
        self.range
    }

    /// Whether this process serves a channel of `guild` (see
    /// [`crate::engine::Chat::serves`]): with a range, only its shards'
    /// guilds, and not a guild not known yet.
    pub(crate) fn serves_guild(&self, guild: Option<&str>) -> bool {
        serves(self.range, guild)
    }

    /// The shard count (1 before the gateway is started).
    pub(crate) fn shard_count(&self) -> u32 {
        self.shards.lock().unwrap().total.unwrap_or(1)
    }

    /// A fixed count set beside the one Discord recommends: when its
    /// connections would hold more than 2,500 guilds each, said at ERROR
    /// (Discord refuses them with 4011) and kept for `status`; merely fewer
    /// than recommended, said at INFO.
    pub(crate) fn check_shard_count(&self, configured: u32, recommended: u32) {
        if recommended <= configured {
            return;
        }
        let guilds = u64::from(recommended) * GUILDS_PER_RECOMMENDED_SHARD;
        if guilds > MAX_GUILDS_PER_SHARD * u64::from(configured) {
            let note = format!(
                "Discord recommends {recommended} shards for this bot's servers; with {configured}, a connection holds more than 2,500 servers and Discord refuses it (close code 4011, sharding required): set [discord] shards = \"auto\""
            );
            tracing::error!(configured, recommended, "{note}");
            self.shards.lock().unwrap().note = Some(note);
        } else {
            tracing::info!(
                configured,
                recommended,
                "fewer shards than Discord recommends; each holds at most 2,500 servers, so they connect"
            );
        }
    }

    /// What `status` says of the shard count, if anything is wrong with it.
    pub(crate) fn shard_note(&self) -> Option<String> {
        self.shards.lock().unwrap().note.clone()
    }

    /// A shard's READY: its session is up, with these guilds.
    pub(crate) fn shard_ready(&self, shard: u32, total: u32, guilds: usize) {
        let mut board = self.shards.lock().unwrap();
        board.total = Some(total.max(1));
        let s = board.shards.entry(shard).or_default();
        (s.up, s.guilds) = (true, guilds);
    }

    /// A shard connected (resumed) or lost its connection.
    pub(crate) fn shard_up(&self, shard: u32, up: bool) {
        let mut board = self.shards.lock().unwrap();
        board.shards.entry(shard).or_default().up = up;
    }

    /// A shard's session resumed.
    pub(crate) fn shard_resumed(&self, shard: u32) {
        let mut board = self.shards.lock().unwrap();
        let s = board.shards.entry(shard).or_default();
        (s.up, s.resumes) = (true, s.resumes + 1);
    }

    /// Every shard down (the gateway stopped).
    pub(crate) fn all_down(&self) {
        for s in self.shards.lock().unwrap().shards.values_mut() {
            s.up = false;
        }
    }

    /// Each shard's state; empty before the gateway is started.
    pub(crate) fn shard_states(&self) -> Vec<Connection> {
        let board = self.shards.lock().unwrap();
        let Some(total) = board.total else {
            return Vec::new();
        };
        let (first, last) = board.run.unwrap_or((0, total - 1));
        (first..=last)
            .map(|shard| {
                let s = board.shards.get(&shard).copied().unwrap_or_default();
                Connection {
                    shard,
                    total,
                    up: s.up,
                    guilds: s.guilds,
                    latency_ms: s.latency_ms,
                    resumes: s.resumes,
                }
            })
            .collect()
    }
}

/// Whether a process running `range` (every shard: `None`) serves a
/// channel of `guild`: its shards' guilds only, and none not known yet.
fn serves(range: Option<crate::config::ShardRange>, guild: Option<&str>) -> bool {
    // no range, or one of every shard: every server is this process's
    let Some(range) = range.filter(|r| !r.is_all()) else {
        return true;
    };
    guild
        .and_then(|g| g.parse::<u64>().ok())
        .is_some_and(|g| range.contains(shard_of(g, range.total)))
}

/// Reads each shard's heartbeat latency from serenity's shard manager
/// every [`POLL`], until shutdown.
pub(crate) async fn poll_latencies(
    chat: std::sync::Arc<DiscordChat>,
    manager: std::sync::Arc<poise::serenity_prelude::ShardManager>,
    mut shutdown: crate::shutdown::Shutdown,
) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = shutdown.recv() => return,
        }
        let runners = manager.runners.lock().await;
        let mut board = chat.shards.lock().unwrap();
        let Some((first, last)) = board.run else {
            continue;
        };
        // serenity tells poise nothing of a shard's connection dropping: its
        // runner's stage says it (no runner: the shard is down, restarting)
        for shard in first..=last {
            let info = runners.get(&ShardId(shard));
            let s = board.shards.entry(shard).or_default();
            s.up = info.is_some_and(|i| i.stage == ConnectionStage::Connected);
            s.latency_ms = info.and_then(|i| i.latency).map(|d| d.as_millis() as u64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guild_is_on_the_shard_its_creation_time_names() {
        // Discord's example: guild 197038439483310086 on shard 0 of 1, and
        // `(id >> 22) % n` in general
        assert_eq!(shard_of(197_038_439_483_310_086, 1), 0);
        let id = (5_u64 << 22) | 123;
        assert_eq!(shard_of(id, 3), 2);
        assert_eq!(shard_of(id, 5), 0);
    }

    #[test]
    fn a_range_serves_its_shards_guilds_only_and_no_guild_not_known_yet() {
        let range = crate::config::ShardRange::parse("2-3 of 8").ok();
        let on = |shard: u64| (((8 + shard) << 22) | 77).to_string();
        for shard in 0..8 {
            assert_eq!(
                serves(range, Some(&on(shard))),
                (2..=3).contains(&shard),
                "shard {shard}"
            );
            assert!(serves(None, Some(&on(shard))), "every shard in one process");
        }
        assert!(!serves(range, None), "a guild not known yet waits");
        assert!(!serves(range, Some("not a guild")));
        assert!(serves(None, None));
        // a range of every shard is no split: a guild not known yet is ours
        let all = crate::config::ShardRange::parse("0-7 of 8").ok();
        assert!(serves(all, None));
        assert!(serves(all, Some(&on(5))));
    }
}
