//! Schedules: a recurrence (a 5-field cron expression, a friendly form that
//! compiles to one, or a fixed interval) in an IANA time zone.
//!
//! The cron crate only ever sees *civil* (wall-clock) times, so its own time
//! zone handling never runs; turning a civil time into an instant is done here,
//! by one rule that the tests pin down:
//!
//! * a civil time that does not exist (the hour skipped when clocks spring
//!   forward) fires once, at the first valid instant after it (the end of the
//!   gap);
//! * a civil time that exists twice (the hour repeated when clocks fall back)
//!   fires once, at its first occurrence.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};

use fields::FIELDS;

mod fields;

/// Why a schedule could not be understood. Every variant names what was
/// given. It is rendered in the channel's language (`schedule-*` and
/// `cron-*` messages, see `crate::i18n`); its `Display` is the English text,
/// for config.toml and the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleError {
    /// A cron expression (given, or compiled from a friendly form) and what is wrong with it.
    Cron { expr: String, reason: CronReason },
    /// A friendly form (`daily 09:00`, `every 2h`) and what is wrong with it.
    Friendly {
        spec: String,
        reason: FriendlyReason,
    },
    /// A name that is not an IANA time zone.
    TimeZone(String),
}

impl std::error::Error for ScheduleError {}

/// What is wrong with a friendly form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FriendlyReason {
    Empty,
    /// `every X` where X is not a duration.
    NotADuration(String),
    /// An interval under a second or with a fraction of one.
    IntervalNotWhole,
    /// An interval over [`MAX_INTERVAL_SECONDS`].
    IntervalTooLong,
    /// `every` with more than one word after it.
    IntervalOneWord,
    /// A valid zone written into the schedule where it must stand apart.
    ZoneApart(String),
    /// Not an HH:MM time.
    NotATime(String),
    /// Not `daily`, `weekdays`, `weekends` or a list of days.
    NotDays(String),
}

/// One of a cron expression's five fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CronField {
    Minute,
    Hour,
    DayOfMonth,
    Month,
    DayOfWeek,
}

impl CronField {
    /// The five, in the expression's order.
    pub const ALL: [CronField; 5] = [
        CronField::Minute,
        CronField::Hour,
        CronField::DayOfMonth,
        CronField::Month,
        CronField::DayOfWeek,
    ];

    /// The field's name in cron's own terms (`day-of-month`): grammar, not translated.
    pub fn term(self) -> &'static str {
        match self {
            CronField::Minute => "minute",
            CronField::Hour => "hour",
            CronField::DayOfMonth => "day-of-month",
            CronField::Month => "month",
            CronField::DayOfWeek => "day-of-week",
        }
    }
}

/// What is wrong with a cron expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CronReason {
    /// A valid zone written as a sixth field.
    ZoneApart(String),
    /// Not five fields; how many there are.
    FieldCount(usize),
    /// A list item with nothing in it (`1,`).
    EmptyItem { field: CronField, text: String },
    /// A step that is not a whole number of at least 1 (`*/0`).
    Step { field: CronField, part: String },
    /// A range or value part with nothing in it.
    EmptyPart { field: CronField, text: String },
    /// A number outside the field's range.
    OutOfRange {
        field: CronField,
        min: u32,
        max: u32,
        value: String,
    },
    /// Neither a number nor a name the field takes; `names` like `jan–dec`.
    NotAValue {
        field: CronField,
        min: u32,
        max: u32,
        names: Option<&'static str>,
        value: String,
    },
    /// A range whose end comes before its start.
    Backwards { field: CronField, range: String },
    /// The cron parser refused it otherwise.
    NotUnderstood,
    /// No date ever matches (`0 0 30 2 *`).
    NeverFires,
}

/// How a schedule repeats.
#[derive(Clone)]
pub enum Recurrence {
    /// A 5-field cron expression, evaluated in the schedule's time zone.
    Cron { expr: String, cron: Box<Cron> },
    /// Every N seconds, at multiples of N since the Unix epoch (used by
    /// `ponder demo`; time zones do not matter to it).
    Every { seconds: i64 },
}

impl fmt::Debug for Recurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recurrence::Cron { expr, .. } => write!(f, "Cron({expr:?})"),
            Recurrence::Every { seconds } => write!(f, "Every({seconds}s)"),
        }
    }
}

impl Recurrence {
    /// Parses a schedule as people write it: a 5-field cron expression
    /// (`30 9 * * 1-5`), a friendly form (`daily 09:00`, `weekdays 18:30`,
    /// `weekends 10:00`, `mon,thu 12:00`) or an interval (`every 20s`, `every 2h`).
    pub fn parse(spec: &str) -> Result<Self, ScheduleError> {
        let spec = spec.trim();
        let words: Vec<&str> = spec.split_whitespace().collect();
        let friendly = |reason: FriendlyReason| ScheduleError::Friendly {
            spec: spec.to_string(),
            reason,
        };
        match words.as_slice() {
            [] => Err(friendly(FriendlyReason::Empty)),
            ["every", amount] => {
                let expected = || friendly(FriendlyReason::NotADuration(amount.to_string()));
                let d = humantime::parse_duration(amount).map_err(|_| expected())?;
                if d.subsec_nanos() != 0 || d.as_secs() < 1 {
                    return Err(friendly(FriendlyReason::IntervalNotWhole));
                }
                if d.as_secs() > MAX_INTERVAL_SECONDS as u64 {
                    return Err(friendly(FriendlyReason::IntervalTooLong));
                }
                Ok(Recurrence::Every {
                    seconds: d.as_secs() as i64,
                })
            }
            ["every", ..] => Err(friendly(FriendlyReason::IntervalOneWord)),
            [days, _time, zone] if !starts_like_cron(days) => Err(match parse_tz(zone) {
                // A zone that parses reached here because the caller keeps the zone apart
                // (config.toml's `timezone`).
                Ok(_) => friendly(FriendlyReason::ZoneApart(zone.to_string())),
                Err(e) => e,
            }),
            [days, time] if !starts_like_cron(days) => {
                let (hour, minute) = parse_clock(time)
                    .ok_or_else(|| friendly(FriendlyReason::NotATime(time.to_string())))?;
                let dow = match days.to_ascii_lowercase().as_str() {
                    "daily" | "everyday" => "*".to_string(),
                    "weekdays" => "1-5".to_string(),
                    "weekends" => "0,6".to_string(),
                    list => parse_day_list(list)
                        .ok_or_else(|| friendly(FriendlyReason::NotDays(days.to_string())))?,
                };
                Self::cron(&format!("{minute} {hour} * * {dow}"))
            }
            _ => Self::cron(spec),
        }
    }

    fn cron(expr: &str) -> Result<Self, ScheduleError> {
        let words: Vec<&str> = expr.split_whitespace().collect();
        let err = |reason: CronReason| ScheduleError::Cron {
            expr: expr.to_string(),
            reason,
        };
        if words.len() == 6 && looks_like_zone_name(words[5]) {
            return Err(parse_tz(words[5])
                .err()
                .unwrap_or_else(|| err(CronReason::ZoneApart(words[5].to_string()))));
        }
        if words.len() != 5 {
            return Err(err(CronReason::FieldCount(words.len())));
        }
        // The cron crate skips empty list items (and a day-of-week `+` with
        // nothing after it), so such a field matches nothing and every search
        // for a fire runs to the year 5000 (seconds of CPU, found by
        // fuzzing): refuse empty items here.
        if let Some((field, text)) = CronField::ALL
            .into_iter()
            .zip(expr.split_whitespace())
            .find(|(_, f)| {
                f.split(',')
                    .any(|item| item.trim_start_matches('+').is_empty())
            })
        {
            return Err(err(CronReason::EmptyItem {
                field,
                text: text.to_string(),
            }));
        }
        for (word, field) in words.iter().zip(&FIELDS) {
            field.check(word).map_err(&err)?;
        }
        let parser = CronParser::builder()
            .seconds(Seconds::Disallowed)
            .year(Year::Disallowed)
            .build();
        let cron = parser
            .parse(expr)
            .map_err(|_| err(CronReason::NotUnderstood))?;
        // Any date a cron expression can name comes back within 28 years (leap days on
        // a given weekday), so one that does not match from now on never matches.
        if cron
            .find_next_occurrence(&Utc::now().naive_utc(), false)
            .is_err()
        {
            return Err(err(CronReason::NeverFires));
        }
        Ok(Recurrence::Cron {
            expr: words.join(" "),
            cron: Box::new(cron),
        })
    }
}

/// The longest interval `every` accepts: a year (leap or not).
pub const MAX_INTERVAL_SECONDS: i64 = 366 * 24 * 3600;

/// Whether a first word starts a cron expression rather than a friendly form.
fn starts_like_cron(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '*' || c == '?')
}

/// `Area/Location`: what a person writes for a zone, valid or not.
fn looks_like_zone_name(word: &str) -> bool {
    word.contains('/') && word.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
}

fn parse_clock(text: &str) -> Option<(u32, u32)> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && text.len() <= 5).then_some((h, m))
}

/// `mon,thu` or `mon-fri` or `sat,sun` → cron day-of-week field.
fn parse_day_list(list: &str) -> Option<String> {
    const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let day = |d: &str| {
        DAYS.iter()
            .position(|n| d.starts_with(n) && n.len() <= d.len())
            .map(|i| i.to_string())
    };
    let mut out = Vec::new();
    for part in list.split(',') {
        match part.split_once('-') {
            Some((a, b)) => out.push(format!("{}-{}", day(a)?, day(b)?)),
            None => out.push(day(part)?),
        }
    }
    Some(out.join(","))
}

/// Parses an IANA time zone name.
pub fn parse_tz(name: &str) -> Result<Tz, ScheduleError> {
    Tz::from_str(name.trim()).map_err(|_| ScheduleError::TimeZone(name.trim().to_string()))
}

/// How a schedule's prompts are announced: who is pinged, and whether the
/// newest prompt is pinned (and the previous one unpinned).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Announce {
    /// A Discord role id (`<@&id>` or the bare id), or Matrix user ids separated by commas.
    pub ping: Option<String>,
    pub pin: bool,
}

/// A recurrence in a time zone: the thing that has next fire times.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub spec: String,
    pub recurrence: Recurrence,
    pub tz: Tz,
}

/// How a civil time was turned into an instant, for previews and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Exact,
    /// The civil time fell in a gap (clocks sprang forward); fired at the end of it.
    ShiftedOutOfGap,
    /// The civil time exists twice (clocks fell back); fired at the first.
    FirstOfTwo,
}

/// One upcoming fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fire {
    pub at: DateTime<Utc>,
    /// The civil time the expression asked for.
    pub wanted: NaiveDateTime,
    pub resolution: Resolution,
}

const MAX_CANDIDATES: usize = 10_000;

impl Schedule {
    pub fn new(spec: &str, tz: &str) -> Result<Self, ScheduleError> {
        Ok(Schedule {
            spec: spec.trim().to_string(),
            recurrence: Recurrence::parse(spec)?,
            tz: parse_tz(tz)?,
        })
    }

    /// The first fire strictly after `after`, or `None` if the expression
    /// never matches again (for example `0 0 30 2 *`).
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.next_fire_after(after).map(|f| f.at)
    }

    /// Like [`Schedule::next_after`], with how the civil time was resolved.
    pub fn next_fire_after(&self, after: DateTime<Utc>) -> Option<Fire> {
        match &self.recurrence {
            Recurrence::Every { seconds } => {
                let t = after.timestamp().div_euclid(*seconds) * seconds + seconds;
                let at = Utc.timestamp_opt(t, 0).single()?;
                Some(Fire {
                    at,
                    wanted: at.with_timezone(&self.tz).naive_local(),
                    resolution: Resolution::Exact,
                })
            }
            Recurrence::Cron { cron, .. } => {
                let mut cursor = after.with_timezone(&self.tz).naive_local();
                for _ in 0..MAX_CANDIDATES {
                    let wanted = cron.find_next_occurrence(&cursor, false).ok()?;
                    let (at, resolution) = resolve(&self.tz, wanted)?;
                    if at > after {
                        return Some(Fire {
                            at,
                            wanted,
                            resolution,
                        });
                    }
                    cursor = wanted;
                }
                None
            }
        }
    }

    /// The fires in `(after, until]`, oldest first, at most `limit` of them.
    pub fn fires_between(
        &self,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Vec<DateTime<Utc>> {
        let mut out = Vec::new();
        let mut cursor = after;
        while out.len() < limit {
            match self.next_after(cursor) {
                Some(t) if t <= until => {
                    out.push(t);
                    cursor = t;
                }
                _ => break,
            }
        }
        out
    }

    /// The latest fire in `(after, until]`, if any.
    pub fn latest_fire_in(
        &self,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let mut cursor = after;
        let mut latest = None;
        while let Some(t) = self.next_after(cursor).filter(|t| *t <= until) {
            latest = Some(t);
            cursor = t;
        }
        latest
    }
}

/// Civil time → instant, by Ponder's DST rule (see the module docs).
pub fn resolve(tz: &Tz, civil: NaiveDateTime) -> Option<(DateTime<Utc>, Resolution)> {
    match tz.from_local_datetime(&civil) {
        LocalResult::Single(t) => Some((t.with_timezone(&Utc), Resolution::Exact)),
        LocalResult::Ambiguous(first, _) => {
            Some((first.with_timezone(&Utc), Resolution::FirstOfTwo))
        }
        LocalResult::None => {
            // Walk forward to the first civil minute that exists: the end of the gap.
            // Gaps are at most a day long (Samoa skipped 2011-12-30).
            let start = civil - Duration::seconds(civil.and_utc().timestamp().rem_euclid(60));
            (1..=24 * 60 + 1).find_map(|m| {
                match tz.from_local_datetime(&(start + Duration::minutes(m))) {
                    LocalResult::Single(t) => {
                        Some((t.with_timezone(&Utc), Resolution::ShiftedOutOfGap))
                    }
                    LocalResult::Ambiguous(t, _) => {
                        Some((t.with_timezone(&Utc), Resolution::ShiftedOutOfGap))
                    }
                    LocalResult::None => None,
                }
            })
        }
    }
}

#[cfg(test)]
mod tests;
