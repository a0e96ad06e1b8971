//! Dates and times in answers, as each language writes them: English keeps
//! `Tue 2026-12-01 09:00 CET`, German reads `Di., 1. Dez. 2026, 09:00 CET`.
//!
//! The pattern is the language's own message (`date-time-pattern`), filled
//! by chrono's localized formatting (`unstable-locales`, glibc's locale
//! data) for the weekday. glibc's German month abbreviations have no dots
//! and abbreviate where Duden does not (`Mär`, `Mai.` once a dot is added),
//! so `%b` is the language's `month-short` message instead (`März`, `Mai`,
//! `Dez.`).

use chrono::{DateTime, Datelike, TimeZone, Utc};
use chrono_tz::Tz;

use super::Lang;

/// The language's short name of a month (1 to 12): `Nov`, `Nov.`, `März`.
pub fn month_short(lang: Lang, month: u32) -> String {
    crate::tr!(lang, "month-short", month = month)
}

/// A time formatted by a chrono `pattern` in the language: `%b` is the
/// language's [`month_short`], weekday names are chrono's for its locale.
pub fn local_format<T: TimeZone>(t: &DateTime<T>, pattern: &str, lang: Lang) -> String
where
    T::Offset: std::fmt::Display,
{
    let pattern = pattern.replace("%b", &month_short(lang, t.month()));
    t.format_localized(&pattern, lang.chrono_locale())
        .to_string()
}

/// A time in a channel's zone, with the UTC time beside it unless the zone
/// is UTC itself; with seconds when `seconds` (a schedule firing more often
/// than whole minutes).
pub fn date_time(t: DateTime<Utc>, tz: &Tz, seconds: bool, lang: Lang) -> String {
    let clock = if seconds { "%H:%M:%S" } else { "%H:%M" };
    let local_t = t.with_timezone(tz);
    let pattern = crate::tr!(lang, "date-time-pattern", clock = clock);
    let local = local_format(&local_t, &pattern, lang);
    // The zone's own name says UTC (UTC, Etc/UTC, Zulu, ...): once is enough.
    if local_t.format("%Z").to_string() == "UTC" {
        local
    } else {
        let utc = t.format(clock).to_string();
        crate::tr!(lang, "date-time-with-utc", local = local, utc = utc)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn english_keeps_its_form_and_german_reads_as_germans_write() {
        let t = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(
            date_time(t, &berlin, false, Lang::En),
            "Tue 2026-12-01 09:00 CET (08:00 UTC)"
        );
        assert_eq!(
            date_time(t, &berlin, false, Lang::De),
            "Di., 1. Dez. 2026, 09:00 CET (08:00 UTC)"
        );
        assert_eq!(
            date_time(t, &Tz::UTC, true, Lang::De),
            "Di., 1. Dez. 2026, 08:00:00 UTC"
        );
        let may = Utc.with_ymd_and_hms(2027, 5, 3, 7, 30, 0).unwrap();
        assert_eq!(
            date_time(may, &berlin, false, Lang::De),
            "Mo., 3. Mai 2027, 09:30 CEST (07:30 UTC)"
        );
        let march = Utc.with_ymd_and_hms(2027, 3, 4, 7, 30, 0).unwrap();
        assert_eq!(
            date_time(march, &Tz::UTC, false, Lang::En),
            "Thu 2027-03-04 07:30 UTC"
        );
        assert!(date_time(march, &Tz::UTC, false, Lang::De).starts_with("Do., 4. März 2027"));
    }
}
