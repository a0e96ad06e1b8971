//! Discord's own rate limits, enforced when [`EmulatorConfig::discord_rate_limits`] is on.
//!
//! - Global: 50 requests per second per bot ("All bots can make up to 50 requests per
//!   second to our API", Discord's rate-limit docs). Interaction callbacks and interaction
//!   webhooks are not counted, as on Discord.
//! - Per channel and route: 5 requests per 5 s for creating messages, and the same for
//!   creating threads (Discord does not publish per-route numbers; these are what its
//!   `X-RateLimit-Limit` / `X-RateLimit-Reset-After` headers show for those routes).
//!
//! Windows are fixed: a window opens with the first request after the previous one closed.
//! A request over a limit gets 429 with `retry_after` (seconds to the window's end) and
//! `global`; it does not count against the window.
//!
//! [`EmulatorConfig::discord_rate_limits`]: crate::EmulatorConfig::discord_rate_limits

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::ids::Snowflake;

/// Requests per second, for the whole bot.
pub const GLOBAL_PER_SECOND: u32 = 50;
/// Requests per window, per channel, for each limited route.
pub const CHANNEL_ROUTE_LIMIT: u32 = 5;
/// The per-channel window.
pub const CHANNEL_ROUTE_WINDOW: Duration = Duration::from_secs(5);

/// A request refused for a rate limit.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Exceeded {
    pub(crate) retry_after: Duration,
    pub(crate) global: bool,
    pub(crate) bucket: String,
    pub(crate) limit: u32,
}

#[derive(Clone, Copy, Debug)]
struct Window {
    opened: Instant,
    used: u32,
}

impl Window {
    /// Counts a request if the window has room; else how long until it closes.
    fn take(
        slot: &mut Option<Window>,
        now: Instant,
        limit: u32,
        length: Duration,
    ) -> Result<(), Duration> {
        match slot {
            Some(w) if now < w.opened + length => {
                if w.used < limit {
                    w.used += 1;
                    Ok(())
                } else {
                    Err(w.opened + length - now)
                }
            }
            _ => {
                *slot = Some(Window {
                    opened: now,
                    used: 1,
                });
                Ok(())
            }
        }
    }

    fn has_room(
        slot: &Option<Window>,
        now: Instant,
        limit: u32,
        length: Duration,
    ) -> Result<(), Duration> {
        match slot {
            Some(w) if now < w.opened + length && w.used >= limit => Err(w.opened + length - now),
            _ => Ok(()),
        }
    }
}

/// What the limits have done, for benchmarks and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimitStats {
    /// Requests counted against the global limit.
    pub counted: u64,
    /// 429s for the global limit.
    pub global_429s: u64,
    /// 429s for a per-channel route limit.
    pub route_429s: u64,
}

/// The state of Discord's limits.
#[derive(Debug, Default)]
pub(crate) struct DiscordLimits {
    global: Option<Window>,
    routes: HashMap<(&'static str, Snowflake), Option<Window>>,
    pub(crate) stats: RateLimitStats,
}

impl DiscordLimits {
    /// Counts a request, or says which limit it exceeds.
    pub(crate) fn check(&mut self, method: &str, path: &str, now: Instant) -> Option<Exceeded> {
        if !counts_globally(path) {
            return None;
        }
        let route = channel_route(method, path);
        // Check both before counting, so a refused request uses up neither.
        if let Err(wait) =
            Window::has_room(&self.global, now, GLOBAL_PER_SECOND, Duration::from_secs(1))
        {
            self.stats.global_429s += 1;
            return Some(Exceeded {
                retry_after: wait,
                global: true,
                bucket: "global".into(),
                limit: GLOBAL_PER_SECOND,
            });
        }
        if let Some(key) = route {
            let slot = self.routes.entry(key).or_default();
            if let Err(wait) = Window::take(slot, now, CHANNEL_ROUTE_LIMIT, CHANNEL_ROUTE_WINDOW) {
                self.stats.route_429s += 1;
                return Some(Exceeded {
                    retry_after: wait,
                    global: false,
                    bucket: format!("{}-{}", key.0, key.1),
                    limit: CHANNEL_ROUTE_LIMIT,
                });
            }
        }
        let _ = Window::take(
            &mut self.global,
            now,
            GLOBAL_PER_SECOND,
            Duration::from_secs(1),
        );
        self.stats.counted += 1;
        if self.routes.len() > 100_000 {
            let length = CHANNEL_ROUTE_WINDOW;
            self.routes
                .retain(|_, w| w.is_some_and(|w| now < w.opened + length));
        }
        None
    }
}

/// Interaction callbacks and interaction webhooks are outside the global limit.
fn counts_globally(path: &str) -> bool {
    !(path.starts_with("/interactions/") || path.starts_with("/webhooks/"))
}

/// The per-channel route a request falls in: creating messages, or creating threads.
fn channel_route(method: &str, path: &str) -> Option<(&'static str, Snowflake)> {
    if !method.eq_ignore_ascii_case("POST") {
        return None;
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let channel = match segments.as_slice() {
        ["channels", c, ..] => c.parse::<Snowflake>().ok()?,
        _ => return None,
    };
    match segments.as_slice() {
        [_, _, "messages"] => Some(("messages", channel)),
        [_, _, "messages", _, "threads"] | [_, _, "threads"] => Some(("threads", channel)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifty_first_request_in_a_second_is_refused_globally_until_the_second_ends() {
        let mut limits = DiscordLimits::default();
        let t0 = Instant::now();
        for i in 0..50 {
            assert_eq!(limits.check("GET", &format!("/channels/{i}"), t0), None);
        }
        let refused = limits
            .check("GET", "/channels/99", t0 + Duration::from_millis(400))
            .unwrap();
        assert!(refused.global);
        assert_eq!(refused.retry_after, Duration::from_millis(600));
        assert_eq!(
            limits.check("GET", "/channels/99", t0 + Duration::from_secs(1)),
            None
        );
        assert_eq!(limits.stats.global_429s, 1);
        assert_eq!(limits.stats.counted, 51);
    }

    #[test]
    fn a_channel_takes_five_messages_per_five_seconds_and_other_channels_are_apart() {
        let mut limits = DiscordLimits::default();
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        for i in 0..5 {
            assert_eq!(
                limits.check("POST", "/channels/7/messages", at(i * 300)),
                None
            );
        }
        let refused = limits
            .check("POST", "/channels/7/messages", at(1600))
            .unwrap();
        assert!(!refused.global);
        assert_eq!(refused.retry_after, Duration::from_millis(3400));
        assert_eq!(limits.check("POST", "/channels/8/messages", at(1700)), None);
        assert_eq!(
            limits.check("POST", "/channels/7/messages/1/threads", at(1800)),
            None
        );
        assert_eq!(limits.check("POST", "/channels/7/messages", at(5000)), None);
        assert_eq!(limits.stats.route_429s, 1);
    }

    #[test]
    fn interaction_callbacks_are_outside_the_global_limit() {
        let mut limits = DiscordLimits::default();
        let t0 = Instant::now();
        for _ in 0..50 {
            assert_eq!(limits.check("GET", "/gateway", t0), None);
        }
        assert_eq!(
            limits.check("POST", "/interactions/1/tok/callback", t0),
            None
        );
        assert_eq!(limits.check("POST", "/webhooks/1/tok", t0), None);
        assert!(limits.check("GET", "/gateway", t0).is_some());
    }
}
