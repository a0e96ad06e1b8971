//! The archive's figures, as inline SVG, each with a title, a description
//! and a table holding the same figures (the chart's text alternative, and
//! what a screen reader or a printout reads):
//!
//! - replies and participants per prompt, oldest to newest;
//! - the prompts that drew the most replies;
//! - replies by weekday and by hour, in the channel's zone.
//!
//! Participants are the distinct authors of a prompt's replies; each
//! anonymous reflection counts as one, since nobody can tell whose it is.

use std::collections::HashSet;
use std::fmt::Write as _;

use chrono::{Datelike as _, Timelike as _};
use chrono_tz::Tz;

use super::{escape, local, when};
use crate::export::ArchivedPost;
use crate::i18n::Lang;
use crate::text::cut;
use crate::tr;

/// The most prompts the chart over time draws (the newest); its table
/// holds them all.
pub const MAX_BARS: usize = 60;
/// How many prompts "the most replies" shows.
pub const TOP: usize = 10;

const WIDTH: usize = 560;

/// What the figures are drawn with: the channel's zone, the page's
/// language and its pattern for a day in a table (`2026-11-24`).
struct Ctx {
    tz: Tz,
    lang: Lang,
    day: String,
}

/// One chart: an `<svg>` of bars, vertical or horizontal.
struct Chart<'a> {
    id: &'a str,
    title: String,
    desc: String,
    /// Each bar's label (drawn where `labelled` says) and its values, one
    /// per series.
    bars: Vec<(String, Vec<usize>)>,
    /// Each series' name and colour.
    series: &'a [(&'a str, &'a str)],
    /// Draw every n-th label (0: none, for bars too many to name).
    labelled: usize,
}

impl Chart<'_> {
    fn most(&self) -> usize {
        self.bars
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .max()
            .unwrap_or(0)
            .max(1)
    }

    fn open(&self, out: &mut String, height: usize) {
        let _ = write!(
            out,
            "<figure>\n<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {WIDTH} {height}\" \
             xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
            escape(&self.title),
            escape(&self.desc),
            id = self.id,
        );
    }

    /// The series' key, under the bars, when there is more than one.
    fn key(&self, out: &mut String, y: usize) {
        if self.series.len() < 2 {
            return;
        }
        for (i, (name, fill)) in self.series.iter().enumerate() {
            let x = 40 + i * 110;
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{fill}\"/><text x=\"{}\" y=\"{y}\">{}</text>",
                y - 11,
                x + 16,
                escape(name)
            );
        }
        out.push('\n');
    }

    /// Bars standing on a baseline, labels under them.
    fn vertical(&self, out: &mut String) {
        let (height, top, left) = (230usize, 18usize, 40usize);
        let bottom = if self.series.len() > 1 { 56 } else { 30 };
        let plot = (height - top - bottom) as f64;
        let most = self.most();
        let slot = (WIDTH - left - 8) as f64 / self.bars.len().max(1) as f64;
        let bar = (slot * 0.8 / self.series.len() as f64).clamp(1.0, 28.0);
        let y = |n: usize| top as f64 + plot * (1.0 - n as f64 / most as f64);
        let base = top + plot as usize;
        self.open(out, height);
        let _ = writeln!(
            out,
            "<line x1=\"{left}\" y1=\"{base}\" x2=\"{WIDTH}\" y2=\"{base}\" stroke=\"currentColor\" stroke-opacity=\".5\"/>\
             <text x=\"{0}\" y=\"{base}\" text-anchor=\"end\">0</text><text x=\"{0}\" y=\"{1}\" text-anchor=\"end\">{most}</text>",
            left - 4,
            top + 10,
        );
        for (i, (label, values)) in self.bars.iter().enumerate() {
            let x = left as f64 + slot * i as f64 + slot * 0.1;
            for (k, n) in values.iter().enumerate() {
                let _ = write!(
                    out,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
                    x + bar * k as f64,
                    y(*n),
                    base as f64 - y(*n),
                    self.series[k].1
                );
            }
            if self.labelled > 0 && i % self.labelled == 0 {
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                    x + bar * values.len() as f64 / 2.0,
                    base + 17,
                    escape(label)
                );
            }
            out.push('\n');
        }
        self.key(out, height - 6);
        out.push_str("</svg>\n</figure>\n");
    }

    /// Bars from a left margin holding their labels, the figure at each end.
    fn horizontal(&self, out: &mut String) {
        let (row, left) = (26usize, 230usize);
        let height = row * self.bars.len() + 8;
        let most = self.most();
        let room = (WIDTH - left - 40) as f64;
        self.open(out, height);
        for (i, (label, values)) in self.bars.iter().enumerate() {
            let n = values[0];
            let y = 4 + i * row;
            let w = (room * n as f64 / most as f64).max(1.0);
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
                 <rect x=\"{left}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"/>\
                 <text x=\"{:.1}\" y=\"{}\">{n}</text>",
                left - 6,
                y + 16,
                escape(&cut(label, 26)),
                row - 8,
                self.series[0].1,
                left as f64 + w + 4.0,
                y + 16,
            );
        }
        out.push_str("</svg>\n</figure>\n");
    }
}

/// A table holding a chart's figures: `head` names the columns, the first
/// being the row's name.
fn table(out: &mut String, summary: &str, head: &[String], rows: &[Vec<String>]) {
    let _ = write!(
        out,
        "<details>\n<summary>{}</summary>\n<table>\n<thead><tr>",
        escape(summary)
    );
    for h in head {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            match i {
                0 => {
                    let _ = write!(out, "<th scope=\"row\" dir=\"auto\">{cell}</th>");
                }
                _ if cell.bytes().all(|b| b.is_ascii_digit()) => {
                    let _ = write!(out, "<td class=\"n\">{cell}</td>");
                }
                _ => {
                    let _ = write!(out, "<td>{cell}</td>");
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</details>\n");
}

/// The distinct people who replied to a post.
fn people(post: &ArchivedPost) -> usize {
    post.replies
        .iter()
        .map(|r| {
            if r.anonymous {
                r.message_id.as_str()
            } else {
                r.author_id.as_str()
            }
        })
        .collect::<HashSet<&str>>()
        .len()
}

/// The figures' section, for posts given newest first.
pub(super) fn figures(out: &mut String, newest_first: &[&ArchivedPost], tz: Tz, lang: Lang) {
    let _ = writeln!(
        out,
        "<section id=\"figures\" aria-labelledby=\"figures-heading\">\n<h2 id=\"figures-heading\">{}</h2>",
        escape(&tr!(lang, "archive-figures"))
    );
    let cx = Ctx {
        tz,
        lang,
        day: tr!(lang, "archive-table-day-pattern"),
    };
    over_time(out, newest_first, &cx);
    most_replied(out, newest_first, &cx);
    by_time(out, newest_first, &cx);
    out.push_str("</section>\n");
}

/// A post's day as the tables write it, formatted in the page's language
/// as the other patterns are (`%b` its month-short, weekdays its own).
fn day(post: &ArchivedPost, cx: &Ctx) -> String {
    local(when(post), cx.tz)
        .map(|t| crate::i18n::local_format(&t, &cx.day, cx.lang))
        .unwrap_or_default()
}

/// A table's column heads, from their message ids.
fn heads(lang: Lang, ids: &[&str]) -> Vec<String> {
    ids.iter()
        .map(|id| crate::i18n::render(lang, id, &[]))
        .collect()
}

fn over_time(out: &mut String, newest_first: &[&ArchivedPost], cx: &Ctx) {
    let lang = cx.lang;
    let (replies, series_people) = (
        tr!(lang, "archive-series-replies"),
        tr!(lang, "archive-series-people"),
    );
    let drawn = &newest_first[..newest_first.len().min(MAX_BARS)];
    let bars: Vec<(String, Vec<usize>)> = drawn
        .iter()
        .rev()
        .map(|p| (day(p, cx), vec![p.replies.len(), people(p)]))
        .collect();
    let most = bars.iter().map(|(_, v)| v[0]).max().unwrap_or(0);
    let chart = Chart {
        id: "over-time",
        title: tr!(lang, "archive-over-time-title"),
        desc: tr!(
            lang,
            "archive-over-time-desc",
            prompts = drawn.len(),
            most = most
        ),
        bars,
        series: &[
            (replies.as_str(), "var(--bar)"),
            (series_people.as_str(), "var(--bar2)"),
        ],
        labelled: 0,
    };
    let _ = writeln!(out, "<h3>{}</h3>", escape(&tr!(lang, "archive-over-time")));
    chart.vertical(out);
    let rows: Vec<Vec<String>> = newest_first
        .iter()
        .map(|p| {
            vec![
                format!(
                    "<a href=\"#post-{}\">{}</a>",
                    p.post_id,
                    escape(&p.prompt.title)
                ),
                escape(&day(p, cx)),
                p.replies.len().to_string(),
                people(p).to_string(),
            ]
        })
        .collect();
    table(
        out,
        &tr!(lang, "archive-over-time-table"),
        &heads(
            lang,
            &[
                "archive-col-prompt",
                "archive-col-posted",
                "archive-col-replies",
                "archive-col-people",
            ],
        ),
        &rows,
    );
}

fn most_replied(out: &mut String, newest_first: &[&ArchivedPost], cx: &Ctx) {
    let lang = cx.lang;
    let replies = tr!(lang, "archive-series-replies");
    let mut top: Vec<&ArchivedPost> = newest_first
        .iter()
        .copied()
        .filter(|p| !p.replies.is_empty())
        .collect();
    if top.is_empty() {
        return;
    }
    // most replies first; among equals the newest (the order given)
    top.sort_by_key(|p| std::cmp::Reverse(p.replies.len()));
    top.truncate(TOP);
    let chart = Chart {
        id: "most-replied",
        title: tr!(lang, "archive-most-title"),
        desc: tr!(
            lang,
            "archive-most-desc",
            prompts = top.len(),
            list = top
                .iter()
                .map(|p| format!("{} ({})", p.prompt.title, p.replies.len()))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        bars: top
            .iter()
            .map(|p| (p.prompt.title.clone(), vec![p.replies.len()]))
            .collect(),
        series: &[(replies.as_str(), "var(--bar)")],
        labelled: 1,
    };
    let _ = writeln!(out, "<h3>{}</h3>", escape(&tr!(lang, "archive-most")));
    chart.horizontal(out);
    let rows: Vec<Vec<String>> = top
        .iter()
        .map(|p| {
            vec![
                format!(
                    "<a href=\"#post-{}\">{}</a>",
                    p.post_id,
                    escape(&p.prompt.title)
                ),
                escape(&day(p, cx)),
                p.replies.len().to_string(),
            ]
        })
        .collect();
    table(
        out,
        &tr!(lang, "archive-most-table"),
        &heads(
            lang,
            &[
                "archive-col-prompt",
                "archive-col-posted",
                "archive-col-replies",
            ],
        ),
        &rows,
    );
}

fn by_time(out: &mut String, posts: &[&ArchivedPost], cx: &Ctx) {
    let (tz, lang) = (cx.tz, cx.lang);
    let mut weekdays = [0usize; 7];
    let mut hours = [0usize; 24];
    for r in posts.iter().flat_map(|p| &p.replies) {
        if let Some(t) = local(&r.at, tz) {
            weekdays[t.weekday().num_days_from_monday() as usize] += 1;
            hours[t.hour() as usize] += 1;
        }
    }
    if weekdays.iter().sum::<usize>() == 0 {
        return;
    }
    let zone = tz.name();
    let _ = writeln!(
        out,
        "<h3>{}</h3>\n<p>{}</p>",
        escape(&tr!(lang, "archive-when")),
        escape(&tr!(lang, "archive-when-note", zone = zone))
    );
    let busiest = |counts: &[usize]| {
        counts
            .iter()
            .enumerate()
            .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
            .map(|(i, _)| i)
            .unwrap_or(0)
    };
    // Monday (1) to Sunday (7): the bars' short names, the table's long ones
    let short: Vec<String> = (1..=7)
        .map(|d| tr!(lang, "archive-weekday-short", day = d))
        .collect();
    let long: Vec<String> = (1..=7)
        .map(|d| tr!(lang, "archive-weekday", day = d))
        .collect();
    let replies = tr!(lang, "archive-series-replies");
    let chart = Chart {
        id: "weekdays",
        title: tr!(lang, "archive-weekdays-title"),
        desc: tr!(
            lang,
            "archive-weekdays-desc",
            day = long[busiest(&weekdays)].as_str()
        ),
        bars: short
            .iter()
            .zip(weekdays)
            .map(|(d, n)| (d.clone(), vec![n]))
            .collect(),
        series: &[(replies.as_str(), "var(--bar)")],
        labelled: 1,
    };
    chart.vertical(out);
    let rows: Vec<Vec<String>> = long
        .iter()
        .zip(weekdays)
        .map(|(d, n)| vec![escape(d), n.to_string()])
        .collect();
    table(
        out,
        &tr!(lang, "archive-weekdays-table"),
        &heads(lang, &["archive-col-weekday", "archive-col-replies"]),
        &rows,
    );
    let chart = Chart {
        id: "hours",
        title: tr!(lang, "archive-hours-title"),
        desc: tr!(
            lang,
            "archive-hours-desc",
            zone = zone,
            hour = format!("{:02}:00", busiest(&hours))
        ),
        bars: (0..24).map(|h| (format!("{h}"), vec![hours[h]])).collect(),
        series: &[(replies.as_str(), "var(--bar)")],
        labelled: 3,
    };
    chart.vertical(out);
    let rows: Vec<Vec<String>> = (0..24)
        .map(|h| vec![format!("{h:02}:00"), hours[h].to_string()])
        .collect();
    table(
        out,
        &tr!(lang, "archive-hours-table"),
        &heads(lang, &["archive-col-hour", "archive-col-replies"]),
        &rows,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::ArchivedPrompt;

    #[test]
    fn a_table_day_is_written_in_the_page_s_language() {
        let post = ArchivedPost {
            post_id: 1,
            platform: "matrix".into(),
            channel: "!room:hs".into(),
            prompt: ArchivedPrompt {
                pack: "p".into(),
                id: "q".into(),
                title: "T".into(),
                text: "T".into(),
            },
            slot: None,
            posted_at: Some("2026-12-01T08:00:00Z".into()),
            closed_at: None,
            state: "closed".into(),
            message_id: None,
            thread_id: None,
            replies: vec![],
        };
        // a pattern with names: the language's month and weekday
        let cx = |lang| Ctx {
            tz: chrono_tz::Europe::Berlin,
            lang,
            day: "%a %-d %b %Y".into(),
        };
        assert_eq!(day(&post, &cx(Lang::De)), "Di 1 Dez. 2026");
        assert_eq!(day(&post, &cx(Lang::En)), "Tue 1 Dec 2026");
    }
}
