//! The checks of a cron expression's five fields, so a mistake is named by
//! its field (`hour must be 0–23, not 25`) before the cron parser sees it.

use super::{CronField, CronReason};

/// One field of a cron expression: which it is, its range and names for values.
pub(super) struct Field {
    field: CronField,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

pub(super) const FIELDS: [Field; 5] = [
    Field {
        field: CronField::Minute,
        min: 0,
        max: 59,
        names: &[],
    },
    Field {
        field: CronField::Hour,
        min: 0,
        max: 23,
        names: &[],
    },
    Field {
        field: CronField::DayOfMonth,
        min: 1,
        max: 31,
        names: &[],
    },
    Field {
        field: CronField::Month,
        min: 1,
        max: 12,
        names: &MONTHS,
    },
    // 7 is Sunday too, as in most crons.
    Field {
        field: CronField::DayOfWeek,
        min: 0,
        max: 7,
        names: &WEEKDAYS,
    },
];

impl Field {
    /// Checks numbers and ranges, so a mistake is named by its field; the
    /// special forms (`L`, `W`, `#`) are left to the cron parser.
    pub(super) fn check(&self, text: &str) -> Result<(), CronReason> {
        let Field {
            field, min, max, ..
        } = *self;
        // A day of week may start with `+` (croner: both day fields must match).
        let text = if self.names == WEEKDAYS.as_slice() {
            text.strip_prefix('+').unwrap_or(text)
        } else {
            text
        };
        for part in text.split(',') {
            let (base, step) = match part.split_once('/') {
                Some((b, s)) => (b, Some(s)),
                None => (part, None),
            };
            if let Some(step) = step
                && !step.parse::<u32>().is_ok_and(|s| s >= 1)
            {
                return Err(CronReason::Step {
                    field,
                    part: part.to_string(),
                });
            }
            if base == "*" || base == "?" {
                continue;
            }
            if base.is_empty() {
                return Err(CronReason::EmptyPart {
                    field,
                    text: text.to_string(),
                });
            }
            if base.contains(['L', 'W', '#', 'l', 'w']) && self.value(base).is_none() {
                continue;
            }
            let (a, b) = match base.split_once('-') {
                Some((a, b)) => (a, Some(b)),
                None => (base, None),
            };
            let value = |v: &str| match self.value(v) {
                Some(n) if (min..=max).contains(&n) => Ok(n),
                Some(_) => Err(CronReason::OutOfRange {
                    field,
                    min,
                    max,
                    value: v.to_string(),
                }),
                None => Err(CronReason::NotAValue {
                    field,
                    min,
                    max,
                    names: self.hint(),
                    value: v.to_string(),
                }),
            };
            let first = value(a)?;
            if let Some(b) = b {
                let last = value(b)?;
                if last < first {
                    return Err(CronReason::Backwards {
                        field,
                        range: base.to_string(),
                    });
                }
            }
        }
        Ok(())
    }

    fn value(&self, v: &str) -> Option<u32> {
        if let Ok(n) = v.parse::<u32>() {
            return Some(n);
        }
        let v = v.to_ascii_lowercase();
        let at = self.names.iter().position(|n| *n == v)?;
        Some(at as u32 + if self.names.len() == 12 { 1 } else { 0 })
    }

    /// The names the field takes, as a span (`jan–dec`), if it takes names.
    fn hint(&self) -> Option<&'static str> {
        match self.names.len() {
            12 => Some("jan–dec"),
            7 => Some("sun–sat"),
            _ => None,
        }
    }
}
