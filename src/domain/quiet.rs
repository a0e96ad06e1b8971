//! Quiet days: days in a channel's own time zone on which none of its slots
//! post. A rule is an inclusive range of days (`2026-12-24..2026-12-26`, or
//! one day) or a weekly set of weekdays (`sat,sun`). A slot is judged by the
//! day it falls on in the channel's zone, so a DST change moves nothing and a
//! range may span the turn of a year.
//!
//! The same words are read from chat (`quiet add`, `quiet weekly`) and from
//! config.toml (`quiet = ["2026-12-24..2026-12-26 holidays", "sat,sun"]`).

use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};

/// The longest range accepted, in days (inclusive): a leap year.
pub const MAX_RANGE_DAYS: i64 = 366;

/// The longest reason kept with a quiet range.
pub const MAX_QUIET_REASON_CHARS: usize = 200;

/// What makes a day quiet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuietRule {
    /// Every day from `first` to `last`, both included.
    Days { first: NaiveDate, last: NaiveDate },
    /// Every week on these days (Monday first, no repeats).
    Weekly(Vec<Weekday>),
}

/// Why quiet-day words could not be read, with what was given. It is
/// rendered in the channel's language (`quiet-*` messages, see
/// `crate::i18n`); its `Display` is the English text, for config.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuietError {
    /// A word that is not a YYYY-MM-DD day.
    NotADate(String),
    /// The first day after the last.
    Backwards { first: NaiveDate, last: NaiveDate },
    /// A range longer than [`MAX_RANGE_DAYS`].
    TooLong {
        first: NaiveDate,
        last: NaiveDate,
        days: i64,
    },
    /// Words that are not days of the week.
    NotWeekdays(String),
    /// Every day of the week.
    EveryDay,
    /// An empty config entry.
    Empty,
    /// A reason longer than [`MAX_QUIET_REASON_CHARS`], with its length.
    ReasonTooLong(usize),
}

impl std::error::Error for QuietError {}

const DAY_NAMES: [(&str, Weekday); 7] = [
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
];

fn day_name(d: Weekday) -> &'static str {
    DAY_NAMES
        .iter()
        .find(|(_, w)| *w == d)
        .map_or("?", |(n, _)| n)
}

fn date(word: &str) -> Result<NaiveDate, QuietError> {
    NaiveDate::parse_from_str(word, "%Y-%m-%d").map_err(|_| QuietError::NotADate(word.into()))
}

/// `FROM..TO` or one day `DAY`, both in YYYY-MM-DD, FROM not after TO, at
/// most [`MAX_RANGE_DAYS`] days.
pub fn parse_range(word: &str) -> Result<QuietRule, QuietError> {
    let (first, last) = match word.split_once("..") {
        Some((a, b)) => (date(a)?, date(b)?),
        None => {
            let d = date(word)?;
            (d, d)
        }
    };
    if first > last {
        return Err(QuietError::Backwards { first, last });
    }
    let days = (last - first).num_days() + 1;
    if days > MAX_RANGE_DAYS {
        return Err(QuietError::TooLong { first, last, days });
    }
    Ok(QuietRule::Days { first, last })
}

/// `sat,sun`, `fri-sun` or `mon,wed-fri` (three-letter names or longer).
pub fn parse_weekdays(list: &str) -> Result<QuietRule, QuietError> {
    let bad = || QuietError::NotWeekdays(list.into());
    let day = |w: &str| {
        let w = w.trim().to_ascii_lowercase();
        DAY_NAMES
            .iter()
            .find(|(n, _)| w.len() >= 3 && w.starts_with(n))
            .map(|(_, d)| *d)
    };
    let mut days = Vec::new();
    for part in list.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (mut d, b) = (day(a).ok_or_else(bad)?, day(b).ok_or_else(bad)?);
                days.push(d);
                while d != b {
                    d = d.succ();
                    days.push(d);
                }
            }
            None => days.push(day(part).ok_or_else(bad)?),
        }
    }
    if days.len() >= 7 && DAY_NAMES.iter().all(|(_, d)| days.contains(d)) {
        return Err(QuietError::EveryDay);
    }
    days.sort_by_key(|d| d.num_days_from_monday());
    days.dedup();
    Ok(QuietRule::Weekly(days))
}

/// A config entry: `FROM..TO [reason]`, `DAY [reason]` or weekdays
/// (`sat,sun`), with an optional reason after the first word.
pub fn parse_entry(text: &str) -> Result<(QuietRule, Option<String>), QuietError> {
    let text = text.trim();
    let (first, rest) = text
        .split_once(char::is_whitespace)
        .map_or((text, ""), |(a, b)| (a, b.trim()));
    if first.is_empty() {
        return Err(QuietError::Empty);
    }
    let rule = if first.starts_with(|c: char| c.is_ascii_digit()) {
        parse_range(first)?
    } else {
        parse_weekdays(first)?
    };
    Ok((rule, reason(rest)?))
}

/// A reason as given: `None` when empty; refused when too long.
pub fn reason(text: &str) -> Result<Option<String>, QuietError> {
    let text = text.trim();
    let n = text.chars().count();
    if n > MAX_QUIET_REASON_CHARS {
        return Err(QuietError::ReasonTooLong(n));
    }
    Ok((!text.is_empty()).then(|| text.to_string()))
}

impl QuietRule {
    /// Whether `day` (a day in the channel's zone) is quiet by this rule.
    pub fn covers(&self, day: NaiveDate) -> bool {
        match self {
            QuietRule::Days { first, last } => *first <= day && day <= *last,
            QuietRule::Weekly(days) => days.contains(&day.weekday()),
        }
    }

    /// The weekdays as stored and written: `sat,sun`.
    pub fn weekday_words(days: &[Weekday]) -> String {
        days.iter()
            .map(|d| day_name(*d))
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl fmt::Display for QuietRule {
    /// The rule as people write it back: `2026-12-24..2026-12-26`,
    /// `2026-12-31`, `weekly sat,sun`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuietRule::Days { first, last } if first == last => write!(f, "{first}"),
            QuietRule::Days { first, last } => write!(f, "{first}..{last}"),
            QuietRule::Weekly(days) => write!(f, "weekly {}", Self::weekday_words(days)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_range_across_the_turn_of_the_year_covers_both_ends_and_nothing_around() {
        let r = parse_range("2026-12-31..2027-01-01").unwrap();
        assert!(!r.covers(d("2026-12-30")));
        assert!(r.covers(d("2026-12-31")));
        assert!(r.covers(d("2027-01-01")));
        assert!(!r.covers(d("2027-01-02")));
        assert_eq!(r.to_string(), "2026-12-31..2027-01-01");
    }

    #[test]
    fn one_day_is_a_range_of_one() {
        let r = parse_range("2026-12-24").unwrap();
        assert!(r.covers(d("2026-12-24")) && !r.covers(d("2026-12-25")));
        assert_eq!(r.to_string(), "2026-12-24");
    }

    #[test]
    fn bad_ranges_are_refused_saying_why() {
        let e = |w: &str| parse_range(w).unwrap_err().to_string();
        assert!(e("2026-12-26..2026-12-24").contains("comes after"));
        assert!(e("christmas").contains("not a date"));
        assert!(e("2026-02-30").contains("not a date"));
        assert!(e("2026-12-24..").contains("not a date"));
        assert!(e("2026-01-01..2027-01-02").contains("at most a year"));
        // A leap year whole is fine.
        assert!(parse_range("2028-01-01..2028-12-31").is_ok());
    }

    #[test]
    fn weekdays_read_as_lists_and_spans_in_week_order() {
        assert_eq!(
            parse_weekdays("sun,sat").unwrap(),
            QuietRule::Weekly(vec![Weekday::Sat, Weekday::Sun])
        );
        assert_eq!(
            parse_weekdays("Fri-Sun").unwrap().to_string(),
            "weekly fri,sat,sun"
        );
        assert!(parse_weekdays("sa").is_err());
        assert!(parse_weekdays("sat,").is_err());
        assert!(
            parse_weekdays("mon-sun")
                .unwrap_err()
                .to_string()
                .contains("pause")
        );
        let sat_sun = parse_weekdays("sat,sun").unwrap();
        assert!(sat_sun.covers(d("2026-12-26")) && !sat_sun.covers(d("2026-12-28")));
    }

    #[test]
    fn config_entries_take_a_reason_after_the_first_word() {
        assert_eq!(
            parse_entry("2026-12-24..2026-12-26 winter holidays").unwrap(),
            (
                parse_range("2026-12-24..2026-12-26").unwrap(),
                Some("winter holidays".into())
            )
        );
        assert_eq!(
            parse_entry("sat,sun").unwrap(),
            (parse_weekdays("sat,sun").unwrap(), None)
        );
        assert!(parse_entry("").is_err());
        assert!(parse_entry("2026-13-01").is_err());
    }
}
