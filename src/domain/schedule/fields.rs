//! The checks of a cron expression's five fields, so a mistake is named by
//! its field (`hour must be 0–23, not 25`) before the cron parser sees it.

/// One field of a cron expression: its name, range and names for values.
pub(super) struct Field {
    name: &'static str,
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
        name: "minute",
        min: 0,
        max: 59,
        names: &[],
    },
    Field {
        name: "hour",
        min: 0,
        max: 23,
        names: &[],
    },
    Field {
        name: "day of month",
        min: 1,
        max: 31,
        names: &[],
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: &MONTHS,
    },
    // 7 is Sunday too, as in most crons.
    Field {
        name: "day of week",
        min: 0,
        max: 7,
        names: &WEEKDAYS,
    },
];

impl Field {
    /// Checks numbers and ranges, so a mistake is named by its field; the
    /// special forms (`L`, `W`, `#`) are left to the cron parser.
    pub(super) fn check(&self, text: &str) -> Result<(), String> {
        let Field { name, min, max, .. } = self;
        let range = format!("{min}–{max}");
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
                return Err(format!(
                    "the {name} step in `{part}` must be a whole number, at least 1"
                ));
            }
            if base == "*" || base == "?" {
                continue;
            }
            if base.is_empty() {
                return Err(format!("the {name} field `{text}` has an empty part"));
            }
            if base.contains(['L', 'W', '#', 'l', 'w']) && self.value(base).is_none() {
                continue;
            }
            let (a, b) = match base.split_once('-') {
                Some((a, b)) => (a, Some(b)),
                None => (base, None),
            };
            let value = |v: &str| match self.value(v) {
                Some(n) if (*min..=*max).contains(&n) => Ok(n),
                Some(_) => Err(format!("{name} must be {range}, not {v}")),
                None => Err(format!("`{v}` is not a {name} ({range}{})", self.hint())),
            };
            let first = value(a)?;
            if let Some(b) = b {
                let last = value(b)?;
                if last < first {
                    return Err(format!(
                        "the {name} range `{base}` runs backwards; write the smaller value first"
                    ));
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

    fn hint(&self) -> String {
        match self.names.len() {
            12 => " or jan–dec".into(),
            7 => " or sun–sat".into(),
            _ => String::new(),
        }
    }
}
