//! `[discord] shards`: `"auto"`, a count, or the range of shards this
//! process runs when several processes share a bot (`"0-3 of 8"`, `"2 of 8"`).

use std::fmt;

use super::{DiscordConfig, MAX_SHARDS, Shards};

/// The shards one process of several runs: `first..=last` of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    pub first: u32,
    pub last: u32,
    pub total: u32,
}

impl ShardRange {
    /// `a-b of n` (or `a of n`, one shard), with `a <= b < n <= MAX_SHARDS`.
    pub fn parse(text: &str) -> Result<ShardRange, String> {
        let hint = "write a range like \"0-3 of 8\" (shards 0 to 3 of 8) or \"2 of 8\" (one shard)";
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some((range, total)) = words.split_once(" of ") else {
            return Err(hint.to_string());
        };
        let number = |s: &str| {
            let s = s.trim();
            // digits only (`parse` would take a leading `+`)
            Some(s)
                .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|s| s.parse::<u32>().ok())
                .ok_or(())
                .map_err(|_| format!("`{s}` is not a number: {hint}"))
        };
        let (first, last) = match range.split_once('-') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => (number(range)?, number(range)?),
        };
        let total = number(total)?;
        if total == 0 || i64::from(total) > MAX_SHARDS {
            return Err(format!("the total must be from 1 to {MAX_SHARDS}"));
        }
        if first > last {
            return Err(format!("the range starts after it ends ({first} > {last})"));
        }
        if last >= total {
            return Err(format!(
                "shard {last} is not one of {total} (they are numbered 0 to {})",
                total - 1
            ));
        }
        Ok(ShardRange { first, last, total })
    }

    /// Every shard of the bot (`"0-7 of 8"`): the same as a count.
    pub fn is_all(&self) -> bool {
        self.first == 0 && self.last + 1 == self.total
    }

    pub fn contains(&self, shard: u32) -> bool {
        (self.first..=self.last).contains(&shard)
    }
}

impl fmt::Display for ShardRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{} of {}", self.first, self.total)
        } else {
            write!(f, "{}-{} of {}", self.first, self.last, self.total)
        }
    }
}

impl DiscordConfig {
    /// The range of shards this process runs, when `shards` names one.
    pub fn shard_range(&self) -> Option<ShardRange> {
        match self.shards.as_ref().map(toml::Spanned::get_ref) {
            Some(Shards::Word(w)) if w != "auto" => ShardRange::parse(w).ok(),
            _ => None,
        }
    }
}

/// What is wrong with a `shards` value, if anything.
pub(super) fn shards_problem(shards: &Shards) -> Option<String> {
    match shards {
        Shards::Word(w) if w == "auto" => None,
        Shards::Word(w) if w.contains("of") => ShardRange::parse(w)
            .err()
            .map(|e| format!("`{w}` is not a range of shards: {e}")),
        Shards::Count(n) if (1..=MAX_SHARDS).contains(n) => None,
        bad => {
            let bad = match bad {
                Shards::Word(w) => format!("`{w}`"),
                Shards::Count(n) => n.to_string(),
            };
            Some(format!(
                "{bad} is not \"auto\", a number of shards from 1 to {MAX_SHARDS}, or a range this process runs like \"0-3 of 8\""
            ))
        }
    }
}
