//! Injected failures: 5xx answers, 429 rate limits, answers lost after the request was
//! applied, and denied permissions.
//!
//! Routes are chosen with a [`RoutePattern`] such as `"POST /channels/*/messages"`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::ids::Snowflake;

/// Matches REST requests by method and path.
///
/// Written `"[METHOD ]/path"`; the path is relative to `/api/v10` (a leading `/api/v10` is
/// accepted and ignored). A `*` segment matches any one segment, a final `**` matches the rest.
/// Without a method every method matches.
///
/// ```
/// use discord_emulator::RoutePattern;
/// let p = RoutePattern::parse("POST /channels/*/messages");
/// assert!(p.matches("POST", "/channels/42/messages"));
/// assert!(!p.matches("GET", "/channels/42/messages"));
/// assert!(!p.matches("POST", "/channels/42/messages/7"));
/// assert!(RoutePattern::parse("/channels/**").matches("PATCH", "/channels/1/messages/2"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutePattern {
    method: Option<String>,
    segments: Vec<String>,
}

impl RoutePattern {
    /// Parses `"[METHOD ]/path"`.
    pub fn parse(pattern: &str) -> Self {
        let pattern = pattern.trim();
        let (method, path) = match pattern.split_once(' ') {
            Some((m, p)) if !m.starts_with('/') => (Some(m.to_ascii_uppercase()), p.trim()),
            _ => (None, pattern),
        };
        let path = path.strip_prefix("/api/v10").unwrap_or(path);
        Self {
            method: method.filter(|m| m != "*"),
            segments: split_path(path).map(str::to_owned).collect(),
        }
    }

    /// Whether a request with this method and path (without `/api/v10`) matches.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        if let Some(m) = &self.method
            && !m.eq_ignore_ascii_case(method)
        {
            return false;
        }
        let mut actual = split_path(path);
        for (i, want) in self.segments.iter().enumerate() {
            if want == "**" && i + 1 == self.segments.len() {
                return true;
            }
            match actual.next() {
                Some(seg) if want == "*" || want == seg => {}
                _ => return false,
            }
        }
        actual.next().is_none()
    }
}

impl From<&str> for RoutePattern {
    fn from(pattern: &str) -> Self {
        Self::parse(pattern)
    }
}

fn split_path(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

/// A 429 to hand out.
#[derive(Clone, Debug)]
pub(crate) struct RateLimited {
    pub(crate) retry_after: Duration,
    pub(crate) bucket: String,
}

#[derive(Debug)]
struct RateLimitRule {
    pattern: RoutePattern,
    remaining: u32,
    retry_after: Duration,
    blocked_until: Option<Instant>,
    bucket: String,
}

#[derive(Debug)]
struct FailRule {
    pattern: RoutePattern,
    remaining: u32,
    status: u16,
}

/// The injected faults currently armed.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    fails: Vec<FailRule>,
    /// Requests that are applied and then answered 502, as a proxy does that lost the answer.
    lost: Vec<FailRule>,
    rate_limits: Vec<RateLimitRule>,
    /// Requests that arrived while their rate limit window was still open.
    pub(crate) early_retries: u32,
    /// Permission bits denied to the bot, per channel (threads inherit their parent's).
    pub(crate) denied: HashMap<Snowflake, u64>,
}

impl Faults {
    pub(crate) fn fail_next(&mut self, pattern: RoutePattern, status: u16, count: u32) {
        self.fails.push(FailRule {
            pattern,
            remaining: count,
            status,
        });
    }

    pub(crate) fn lose_next(&mut self, pattern: RoutePattern, count: u32) {
        self.lost.push(FailRule {
            pattern,
            remaining: count,
            status: 502,
        });
    }

    /// Whether the answer to this (applied) request is lost, if a lose rule matches.
    pub(crate) fn take_lost(&mut self, method: &str, path: &str) -> Option<u16> {
        let rule = self
            .lost
            .iter_mut()
            .find(|r| r.remaining > 0 && r.pattern.matches(method, path))?;
        rule.remaining -= 1;
        let status = rule.status;
        self.lost.retain(|r| r.remaining > 0);
        Some(status)
    }

    pub(crate) fn rate_limit(&mut self, pattern: RoutePattern, count: u32, retry_after: Duration) {
        let bucket = format!("emu{:08x}", self.rate_limits.len() + 1);
        self.rate_limits.push(RateLimitRule {
            pattern,
            remaining: count,
            retry_after,
            blocked_until: None,
            bucket,
        });
    }

    /// A forced error status for this request, if a fail rule matches.
    pub(crate) fn take_failure(&mut self, method: &str, path: &str) -> Option<u16> {
        let rule = self
            .fails
            .iter_mut()
            .find(|r| r.remaining > 0 && r.pattern.matches(method, path))?;
        rule.remaining -= 1;
        let status = rule.status;
        self.fails.retain(|r| r.remaining > 0);
        Some(status)
    }

    /// A 429 for this request, if a rate limit rule matches. A request inside an open window
    /// gets another 429 (and counts as an early retry) without using up the rule.
    pub(crate) fn take_rate_limit(
        &mut self,
        method: &str,
        path: &str,
        now: Instant,
    ) -> Option<RateLimited> {
        for rule in &mut self.rate_limits {
            if !rule.pattern.matches(method, path) {
                continue;
            }
            if let Some(until) = rule.blocked_until.filter(|u| *u > now) {
                self.early_retries += 1;
                return Some(RateLimited {
                    retry_after: until - now,
                    bucket: rule.bucket.clone(),
                });
            }
            if rule.remaining > 0 {
                rule.remaining -= 1;
                rule.blocked_until = Some(now + rule.retry_after);
                return Some(RateLimited {
                    retry_after: rule.retry_after,
                    bucket: rule.bucket.clone(),
                });
            }
        }
        self.rate_limits
            .retain(|r| r.remaining > 0 || r.blocked_until.is_some_and(|u| u > now));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_method_and_segments() {
        let cases = [
            (
                "POST /channels/*/messages",
                "POST",
                "/channels/1/messages",
                true,
            ),
            (
                "POST /channels/*/messages",
                "post",
                "/channels/1/messages",
                true,
            ),
            (
                "POST /channels/*/messages",
                "GET",
                "/channels/1/messages",
                false,
            ),
            ("/channels/*/messages", "GET", "/channels/1/messages", true),
            (
                "* /channels/*/messages",
                "GET",
                "/channels/1/messages",
                true,
            ),
            (
                "/channels/*/messages",
                "GET",
                "/channels/1/messages/2",
                false,
            ),
            ("/channels/*", "GET", "/channels", false),
            ("/channels/**", "GET", "/channels/1/messages/2", true),
            ("/api/v10/channels/7", "GET", "/channels/7", true),
            ("/channels/7", "GET", "/channels/8", false),
        ];
        for (pattern, method, path, want) in cases {
            assert_eq!(
                RoutePattern::parse(pattern).matches(method, path),
                want,
                "{pattern} vs {method} {path}"
            );
        }
    }

    #[test]
    fn lose_rules_match_their_route_and_run_out() {
        let mut f = Faults::default();
        f.lose_next(RoutePattern::parse("POST /channels/*/threads"), 1);
        assert_eq!(f.take_lost("POST", "/channels/1/messages"), None);
        assert_eq!(f.take_lost("POST", "/channels/1/threads"), Some(502));
        assert_eq!(f.take_lost("POST", "/channels/1/threads"), None);
    }

    #[test]
    fn fail_rules_run_out() {
        let mut faults = Faults::default();
        faults.fail_next("GET /gateway".into(), 502, 2);
        assert_eq!(faults.take_failure("GET", "/gateway"), Some(502));
        assert_eq!(faults.take_failure("GET", "/users/@me"), None);
        assert_eq!(faults.take_failure("GET", "/gateway"), Some(502));
        assert_eq!(faults.take_failure("GET", "/gateway"), None);
    }

    #[test]
    fn retrying_inside_the_window_is_limited_again_and_counted() {
        let mut faults = Faults::default();
        faults.rate_limit("POST /x".into(), 1, Duration::from_secs(2));
        let t0 = Instant::now();
        let first = faults.take_rate_limit("POST", "/x", t0).unwrap();
        assert_eq!(first.retry_after, Duration::from_secs(2));
        let early = faults
            .take_rate_limit("POST", "/x", t0 + Duration::from_secs(1))
            .unwrap();
        assert_eq!(early.retry_after, Duration::from_secs(1));
        assert_eq!(faults.early_retries, 1);
        assert!(
            faults
                .take_rate_limit("POST", "/x", t0 + Duration::from_secs(3))
                .is_none()
        );
    }
}
