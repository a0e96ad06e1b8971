//! Guild arrival, in order and bounded: the start-up permission check and
//! the channel facts Ponder keeps, from each GUILD_CREATE.
//!
//! A GUILD_CREATE carries everything the check needs (the guild's roles,
//! its channels' overwrites, the bot's own member), but at start-up a bot
//! in many small servers receives them faster than one check per guild can
//! reach the database. Handled in a task per event (serenity's way), the
//! waiting tasks and the guilds they hold pile up by the thousand and the
//! process keeps the peak. So the message collector (called inline by the
//! shard loop, in gateway order) reads each GUILD_CREATE into a few small
//! owned [`GuildFacts`] and queues them; one task takes them in batches and
//! records a batch's checks in one transaction. While the queue is full the
//! collector blocks the shard loop: the socket waits, not memory.
//!
//! A GUILD_CREATE that arrives before this session's collector is
//! registered (between READY and its handler) goes through the event
//! handler instead; [`GuildIntake::collected`] tells the handler which ones
//! the collector already took, so each is checked once.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use poise::serenity_prelude as serenity;
use serde_json::Value;
use tokio::sync::mpsc;

use super::permissions::{RoleInfo, names_missing};
use super::{DiscordChat, PLATFORM};
use crate::engine::Engine;
use crate::shutdown::Shutdown;

/// Guilds that may wait in the queue.
pub const QUEUED: usize = 64;
/// Guilds checked in one transaction.
pub const BATCH: usize = 64;
/// The most guild checks in flight: queued plus the batch in hand.
pub const IN_FLIGHT: usize = QUEUED + BATCH;

/// What the start-up check and the channel cache need of one GUILD_CREATE.
#[derive(Debug)]
pub struct GuildFacts {
    /// The guild's id, recorded for links to its messages (the archive's).
    guild: String,
    channels: Vec<ChannelFacts>,
    /// The guild's roles (only when a channel is to be checked).
    roles: Vec<RoleInfo>,
}

#[derive(Debug)]
struct ChannelFacts {
    id: String,
    /// The channel as [`DiscordChat::remember_channel`] keeps it.
    facts: Value,
    /// The bot's permissions there and whether it is a forum; `None` when
    /// the bot's member is not in the event.
    check: Option<(u64, bool)>,
}

/// The facts of a GUILD_CREATE, `None` when none of its channels is Ponder's.
pub fn facts_of(
    guild: &serenity::Guild,
    bot: Option<serenity::UserId>,
    ours: &HashSet<String>,
) -> Option<GuildFacts> {
    let member = bot.and_then(|b| guild.members.get(&b));
    let channels: Vec<ChannelFacts> = guild
        .channels
        .iter()
        .filter(|(id, _)| ours.contains(&id.to_string()))
        .map(|(id, ch)| ChannelFacts {
            id: id.to_string(),
            facts: channel_facts(ch),
            check: member.map(|m| {
                (
                    guild.user_permissions_in(ch, m).bits(),
                    ch.kind == serenity::ChannelType::Forum,
                )
            }),
        })
        .collect();
    if channels.is_empty() {
        return None;
    }
    let roles = if member.is_some() {
        guild
            .roles
            .values()
            .map(|r| RoleInfo {
                id: r.id.to_string(),
                name: r.name.clone(),
                mentionable: r.mentionable,
            })
            .collect()
    } else {
        Vec::new()
    };
    Some(GuildFacts {
        guild: guild.id.to_string(),
        channels,
        roles,
    })
}

/// What Ponder reads of a channel when it posts (its type, guild, flags and
/// forum tags), in the shape of Discord's channel JSON.
fn channel_facts(c: &serenity::GuildChannel) -> serde_json::Value {
    let tags: Vec<serde_json::Value> = c
        .available_tags
        .iter()
        .map(|t| serde_json::json!({"id": t.id.to_string(), "name": t.name, "moderated": t.moderated}))
        .collect();
    serde_json::json!({
        "id": c.id.to_string(),
        "type": u8::from(c.kind),
        "guild_id": c.guild_id.to_string(),
        "flags": c.flags.bits(),
        "available_tags": tags,
    })
}

/// The sending side, shared by the collector and the event handler.
#[derive(Debug)]
pub struct GuildIntake {
    tx: mpsc::Sender<GuildFacts>,
    /// Guilds in the batch being checked.
    in_hand: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
    /// GUILD_CREATEs the collector took, by guild, until the event handler
    /// has seen them too.
    collected: Mutex<HashMap<serenity::GuildId, u32>>,
}

impl GuildIntake {
    /// The intake and its one consumer, which runs until `shutdown` (or
    /// until every sender is gone).
    pub fn start(
        engine: Arc<Engine>,
        chat: Arc<DiscordChat>,
        shutdown: Shutdown,
    ) -> (Arc<GuildIntake>, tokio::task::JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(QUEUED);
        let intake = Arc::new(GuildIntake {
            tx,
            in_hand: Arc::default(),
            peak: Arc::default(),
            collected: Mutex::default(),
        });
        crate::metrics::guild_checks_limit(IN_FLIGHT);
        let consumer = Consumer {
            rx,
            engine,
            chat,
            in_hand: intake.in_hand.clone(),
            peak: intake.peak.clone(),
            tx: intake.tx.downgrade(),
        };
        (intake, tokio::spawn(consumer.run(shutdown)))
    }

    /// From the collector, inline in the shard loop: queues a guild's facts,
    /// blocking the shard loop while the queue is full. `false` once the
    /// consumer has stopped (shutting down).
    pub fn push_blocking(&self, guild: serenity::GuildId, facts: GuildFacts) -> bool {
        *self.collected.lock().unwrap().entry(guild).or_default() += 1;
        let facts = match self.tx.try_send(facts) {
            Ok(()) => return self.note(),
            Err(mpsc::error::TrySendError::Closed(_)) => return false,
            Err(mpsc::error::TrySendError::Full(facts)) => facts,
        };
        let multi_thread = tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        if multi_thread {
            // The other tasks of this worker move to another thread meanwhile.
            if tokio::task::block_in_place(|| self.tx.blocking_send(facts)).is_err() {
                return false;
            }
        } else {
            // No thread to block (a single-threaded runtime): wait in a task.
            let tx = self.tx.clone();
            tokio::spawn(async move {
                let _ = tx.send(facts).await;
            });
        }
        self.note()
    }

    /// Whether the collector already took this GUILD_CREATE (asked once per
    /// event by the event handler, which runs after the collector saw it).
    pub fn collected(&self, guild: serenity::GuildId) -> bool {
        let mut collected = self.collected.lock().unwrap();
        match collected.get_mut(&guild) {
            Some(n) if *n > 1 => {
                *n -= 1;
                true
            }
            Some(_) => {
                collected.remove(&guild);
                true
            }
            None => false,
        }
    }

    /// From the event handler, for a GUILD_CREATE the collector missed.
    pub async fn push(&self, facts: GuildFacts) {
        if self.tx.send(facts).await.is_ok() {
            self.note();
        }
    }

    fn note(&self) -> bool {
        pending(&self.tx, &self.in_hand, &self.peak);
        true
    }
}

/// Guilds queued or being checked, recorded as the gauge and its peak.
fn pending(tx: &mpsc::Sender<GuildFacts>, in_hand: &AtomicUsize, peak: &AtomicUsize) {
    let now = tx.max_capacity() - tx.capacity() + in_hand.load(Ordering::SeqCst);
    let high = peak.fetch_max(now, Ordering::SeqCst).max(now);
    crate::metrics::guild_checks_pending(now, high);
}

struct Consumer {
    rx: mpsc::Receiver<GuildFacts>,
    engine: Arc<Engine>,
    chat: Arc<DiscordChat>,
    in_hand: Arc<AtomicUsize>,
    peak: Arc<AtomicUsize>,
    tx: mpsc::WeakSender<GuildFacts>,
}

impl Consumer {
    async fn run(mut self, mut shutdown: Shutdown) {
        let mut batch = Vec::with_capacity(BATCH);
        loop {
            let n = tokio::select! {
                n = self.rx.recv_many(&mut batch, BATCH) => n,
                _ = shutdown.recv() => break,
            };
            if n == 0 {
                break;
            }
            self.in_hand.store(n, Ordering::SeqCst);
            self.note();
            if let Err(e) = self.check(&mut batch).await {
                tracing::error!(error = %format!("{e:#}"), guilds = n, "recording the start-up permission check of a batch of Discord servers");
            }
            crate::metrics::guild_checks_done(n);
            batch.clear();
            self.in_hand.store(0, Ordering::SeqCst);
            self.note();
            if self.rx.is_empty() {
                // none waiting: what the GUILD_CREATEs took is freed now
                // (the trimmer runs at most once a second)
                crate::memory::trim_soon();
            }
        }
        // Senders blocked on a full queue see it closed and stand down.
        self.rx.close();
    }

    fn note(&self) {
        if let Some(tx) = self.tx.upgrade() {
            pending(&tx, &self.in_hand, &self.peak);
        }
    }

    /// Keeps the channels' facts and records the batch's checks in one
    /// transaction. Only the channels Ponder knew at start are checked; one
    /// set up later was checked by its `setup`.
    async fn check(&self, batch: &mut [GuildFacts]) -> anyhow::Result<()> {
        let mut ids = Vec::new();
        let mut facts: HashMap<&str, (u64, bool, &[RoleInfo])> = HashMap::new();
        let places: Vec<(String, String)> = batch
            .iter()
            .flat_map(|g| g.channels.iter().map(|c| (c.id.clone(), g.guild.clone())))
            .collect();
        self.engine.remember_guilds(PLATFORM, &places).await?;
        for guild in batch.iter_mut() {
            for c in &mut guild.channels {
                self.chat
                    .remember_channel(c.id.clone(), std::mem::take(&mut c.facts));
            }
        }
        for guild in batch.iter() {
            for c in &guild.channels {
                if let Some((have, forum)) = c.check {
                    ids.push(c.id.clone());
                    facts.insert(&c.id, (have, forum, &guild.roles));
                }
            }
        }
        self.engine
            .record_checks(PLATFORM, &ids, |id, needs| match facts.get(id) {
                Some((have, forum, roles)) => names_missing(*have, *forum, needs, roles),
                None => Vec::new(),
            })
            .await?;
        Ok(())
    }
}
