//! Snowflake ids laid out like Discord's: milliseconds since the Discord epoch in the top
//! 42 bits, then worker, process and a 12-bit increment.
//!
//! The generator is monotonic, so a later object always has a larger id and "after"/"before"
//! pagination orders by creation time, as on Discord.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A Discord snowflake id. Plain `u64`, so it converts to serenity ids with `ChannelId::new(id)`.
pub type Snowflake = u64;

/// The Discord epoch (2015-01-01T00:00:00Z) in Unix milliseconds.
pub const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Unix milliseconds at which `id` was created.
pub fn timestamp_ms(id: Snowflake) -> u64 {
    (id >> 22) + DISCORD_EPOCH_MS
}

/// An RFC 3339 timestamp for Unix milliseconds, as Discord writes them.
pub fn iso8601(unix_ms: u64) -> String {
    let time = UNIX_EPOCH + Duration::from_millis(unix_ms);
    humantime::format_rfc3339_millis(time).to_string()
}

/// Current Unix time in milliseconds.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Hands out strictly increasing snowflakes stamped with the current time.
#[derive(Debug, Default)]
pub(crate) struct SnowflakeGen {
    last: u64,
}

impl SnowflakeGen {
    /// Worker 1, process 1: purely cosmetic, it makes ids look like Discord's.
    const WORKER_PROCESS: u64 = (1 << 17) | (1 << 12);

    pub(crate) fn next(&mut self) -> Snowflake {
        self.next_at(now_ms())
    }

    pub(crate) fn next_at(&mut self, unix_ms: u64) -> Snowflake {
        let candidate = (unix_ms.saturating_sub(DISCORD_EPOCH_MS) << 22) | Self::WORKER_PROCESS;
        self.last = if candidate > self.last {
            candidate
        } else {
            self.last + 1
        };
        self.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_increase_even_within_one_millisecond() {
        let mut ids = SnowflakeGen::default();
        let a = ids.next_at(DISCORD_EPOCH_MS + 5);
        let b = ids.next_at(DISCORD_EPOCH_MS + 5);
        let c = ids.next_at(DISCORD_EPOCH_MS + 4);
        assert!(a < b && b < c);
        assert_eq!(timestamp_ms(a), DISCORD_EPOCH_MS + 5);
    }

    #[test]
    fn ids_carry_the_creation_time() {
        let mut ids = SnowflakeGen::default();
        let before = now_ms();
        let id = ids.next();
        assert!(timestamp_ms(id) >= before && timestamp_ms(id) <= now_ms());
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(iso8601(DISCORD_EPOCH_MS), "2015-01-01T00:00:00.000Z");
    }
}
