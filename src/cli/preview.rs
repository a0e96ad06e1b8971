//! `ponder schedule preview`: a schedule's next fire times, with the DST notes.

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use crate::domain::schedule::{Resolution, Schedule};

/// The most fire times `schedule preview` prints.
pub const MAX_PREVIEW: i64 = 1000;

/// Where `schedule preview --from` starts.
#[derive(Clone, Copy, Debug)]
pub enum Start {
    /// A day: from its first second in the preview's zone (a fire then counts).
    Day(chrono::NaiveDate),
    /// An instant: fires strictly after it.
    Instant(DateTime<Utc>),
}

pub fn parse_start(text: &str) -> Result<Start, String> {
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(Start::Day(day));
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| Start::Instant(t.with_timezone(&Utc)))
        .map_err(|_| {
            "expected a day (2026-03-28) or an instant in RFC 3339 (2026-03-28T09:00:00Z)".into()
        })
}

/// The lines `schedule preview` prints: up to `count` fire times from
/// `from` (default: now), each in UTC and in the schedule's zone.
pub fn preview(
    expr: &str,
    tz: &str,
    from: Option<Start>,
    count: u16,
) -> anyhow::Result<Vec<String>> {
    let schedule = Schedule::new(expr, tz)?;
    let mut t = match from {
        None => Utc::now(),
        Some(Start::Instant(t)) => t,
        Some(Start::Day(day)) => {
            let midnight = day.and_hms_opt(0, 0, 0).context("a day")?;
            let (first, _) = crate::domain::schedule::resolve(&schedule.tz, midnight)
                .context("that day does not exist in the zone")?;
            first - chrono::Duration::seconds(1)
        }
    };
    let mut lines = Vec::new();
    for _ in 0..count {
        let Some(fire) = schedule.next_fire_after(t) else {
            lines.push("(no further fire times)".to_string());
            break;
        };
        let local = fire.at.with_timezone(&schedule.tz);
        let note = match fire.resolution {
            Resolution::Exact => String::new(),
            Resolution::ShiftedOutOfGap => format!(
                "  ({} does not exist that day: clocks jump forward; fires at the end of the gap)",
                fire.wanted.format("%H:%M")
            ),
            Resolution::FirstOfTwo => {
                format!(
                    "  ({} happens twice that day: clocks fall back; fires the first time)",
                    fire.wanted.format("%H:%M")
                )
            }
        };
        lines.push(format!(
            "{}  {}{note}",
            fire.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            local.format("%Y-%m-%d %H:%M %Z (%:z)")
        ));
        t = fire.at;
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_from_accepts_a_plain_day_and_an_instant() {
        assert!(matches!(parse_start("2026-03-28"), Ok(Start::Day(_))));
        assert!(matches!(
            parse_start("2026-03-28T09:00:00Z"),
            Ok(Start::Instant(_))
        ));
        let err = parse_start("28/03/2026").unwrap_err();
        assert!(err.contains("2026-03-28"), "{err}");
    }
}
