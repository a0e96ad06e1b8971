//! Floods: many member messages at once, for benchmarks. Each is dispatched as
//! MESSAGE_CREATE exactly like [`Emulator::send_message`] would, but not kept: a flood of a
//! million replies would otherwise hold a million messages in the emulator. So a flooded
//! message is not in `messages()` nor in the channel's history.

use crate::emulator::Emulator;
use crate::ids::Snowflake;
use crate::limits::RateLimitStats;
use crate::model::Message;
use crate::world::blank_message;

impl Emulator {
    /// `count` messages in `channel` (a thread, usually), written by `authors` in turn, with
    /// the text `"{text} {n}"` (`n` counting from `first_n`). Dispatched now, under one
    /// lock; returns their ids in order.
    pub fn flood_messages(
        &self,
        channel: Snowflake,
        authors: &[Snowflake],
        count: usize,
        text: &str,
        first_n: usize,
    ) -> anyhow::Result<Vec<Snowflake>> {
        anyhow::ensure!(!authors.is_empty(), "a flood needs authors");
        Ok(
            self.with_world(|w| -> Result<Vec<Snowflake>, crate::DiscordError> {
                let guild = w.channel(channel)?.guild_id;
                for a in authors {
                    w.member(guild, *a)?;
                }
                let mut ids = Vec::with_capacity(count);
                for n in 0..count {
                    let id = w.ids.next();
                    let message = Message {
                        content: format!("{text} {}", first_n + n),
                        ..blank_message(id, channel, Some(guild), authors[n % authors.len()])
                    };
                    if let Some(c) = w.channels.get_mut(&channel) {
                        c.last_message_id = Some(id);
                        c.message_count += 1;
                    }
                    w.dispatch_message("MESSAGE_CREATE", &message);
                    ids.push(id);
                }
                Ok(ids)
            })?,
        )
    }

    /// How long the emulator has been running: the clock of [`RecordedRequest::at`].
    ///
    /// [`RecordedRequest::at`]: crate::RecordedRequest::at
    pub fn uptime(&self) -> std::time::Duration {
        self.with_world(|w| w.started.elapsed())
    }

    /// What Discord's rate limits did so far (all zero unless `discord_rate_limits` is on).
    pub fn rate_limit_stats(&self) -> RateLimitStats {
        self.with_world(|w| w.limits.stats)
    }
}
