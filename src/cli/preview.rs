//! `ponder schedule preview`: a schedule's next fire times, with the DST
//! notes, and the fires a channel's quiet days skip. Preview knows no
//! channel (it reads no config and no database): the quiet days come as
//! `--quiet` options, written as in a `[[channel]]`'s `quiet` list, and are
//! judged in `--tz` (a channel's schedules run in its zone).

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use crate::domain::quiet::parse_entry;
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
/// `from` (default: now), each in UTC and in the schedule's zone; a fire on
/// a day one of `quiet` covers is marked skipped.
pub fn preview(
    expr: &str,
    tz: &str,
    from: Option<Start>,
    count: u16,
    quiet: &[String],
) -> anyhow::Result<Vec<String>> {
    let schedule = Schedule::new(expr, tz)?;
    let quiet = quiet
        .iter()
        .map(|q| parse_entry(q).map_err(|e| anyhow::anyhow!("--quiet `{q}`: {e}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
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
        let day = local.date_naive();
        let skip = match quiet.iter().find(|(rule, _)| rule.covers(day)) {
            Some((rule, why)) => format!(
                "  SKIPPED: quiet day ({rule}{})",
                why.as_deref().map_or(String::new(), |w| format!(": {w}"))
            ),
            None => String::new(),
        };
        lines.push(format!(
            "{}  {}{note}{skip}",
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

    #[test]
    fn quiet_days_mark_the_fires_they_skip_by_the_local_day() {
        // 00:30 in Berlin is 23:30 UTC the day before.
        let quiet = ["2027-01-01 new year".to_string(), "sat,sun".to_string()];
        let lines = preview(
            "30 0 * * *",
            "Europe/Berlin",
            Some(Start::Day(
                chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            )),
            4,
            &quiet,
        )
        .unwrap();
        assert!(!lines[0].contains("SKIPPED"), "{lines:?}"); // Thu 12-31
        assert!(lines[1].starts_with("2026-12-31T23:30:00Z"), "{lines:?}");
        assert!(
            lines[1].ends_with("SKIPPED: quiet day (2027-01-01: new year)"),
            "{lines:?}"
        );
        assert!(lines[2].ends_with("SKIPPED: quiet day (weekly sat,sun)"));
        assert!(lines[3].ends_with("SKIPPED: quiet day (weekly sat,sun)"));
        let err = preview(
            "daily 09:00",
            "UTC",
            None,
            1,
            &["2026-12-26..2026-12-24".into()],
        );
        assert!(
            err.unwrap_err()
                .to_string()
                .contains("--quiet `2026-12-26..2026-12-24`: 2026-12-26 comes after")
        );
    }
}
