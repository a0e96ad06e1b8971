//! The archive's chart: replies and participants per prompt, oldest to
//! newest, as inline SVG with a title, a description and a table holding
//! the same figures (the chart's text alternative, and what a screen reader
//! or a printout reads).
//!
//! Participants are the distinct authors of a prompt's replies; each
//! anonymous reflection counts as one, since nobody can tell whose it is.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::escape;
use crate::export::ArchivedPost;

/// The most prompts the chart draws (the newest); the table holds them all.
pub const MAX_BARS: usize = 60;

/// One prompt's figures.
struct Row<'a> {
    title: &'a str,
    when: &'a str,
    replies: usize,
    people: usize,
}

fn row(post: &ArchivedPost) -> Row<'_> {
    let people: HashSet<&str> = post
        .replies
        .iter()
        .map(|r| {
            if r.anonymous {
                r.message_id.as_str()
            } else {
                r.author_id.as_str()
            }
        })
        .collect();
    Row {
        title: &post.prompt.title,
        when: post.posted_at.as_deref().unwrap_or(""),
        replies: post.replies.len(),
        people: people.len(),
    }
}

/// The chart's section, for posts given newest first.
pub(super) fn section(newest_first: &[&ArchivedPost]) -> String {
    let rows: Vec<Row<'_>> = newest_first.iter().rev().map(|p| row(p)).collect();
    let drawn = &rows[rows.len().saturating_sub(MAX_BARS)..];
    let most = drawn.iter().map(|r| r.replies).max().unwrap_or(0).max(1);
    let (width, height, top, bottom, left) = (640usize, 220usize, 16usize, 40usize, 36usize);
    let plot_h = height - top - bottom;
    let slot = (width - left - 8) as f64 / drawn.len().max(1) as f64;
    let bar = (slot * 0.4).clamp(1.0, 24.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg role=\"img\" aria-labelledby=\"chart-title chart-desc\" viewBox=\"0 0 {width} {height}\" \
         xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"chart-title\">Replies and participants per prompt</title>\n\
         <desc id=\"chart-desc\">{} prompts, oldest on the left; for each, a bar of its replies and a bar of \
         the people who wrote them. The most replies to one prompt: {}. The table below holds the same figures.</desc>\n",
        drawn.len(),
        most
    );
    let y = |n: usize| top as f64 + plot_h as f64 * (1.0 - n as f64 / most as f64);
    let _ = writeln!(
        svg,
        "<line x1=\"{left}\" y1=\"{0}\" x2=\"{width}\" y2=\"{0}\" stroke=\"currentColor\" stroke-opacity=\".4\"/>\
         <text x=\"{1}\" y=\"{0}\" text-anchor=\"end\">0</text>\
         <text x=\"{1}\" y=\"{2}\" text-anchor=\"end\">{most}</text>",
        top + plot_h,
        left - 4,
        top + 8,
    );
    for (i, r) in drawn.iter().enumerate() {
        let x = left as f64 + slot * i as f64 + slot * 0.1;
        for (k, (n, fill)) in [(r.replies, "var(--bar)"), (r.people, "var(--bar2)")]
            .into_iter()
            .enumerate()
        {
            let _ = writeln!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"{fill}\"/>",
                x + bar * k as f64,
                y(n),
                (top + plot_h) as f64 - y(n),
            );
        }
    }
    let _ = writeln!(
        svg,
        "<rect x=\"{left}\" y=\"{0}\" width=\"10\" height=\"10\" fill=\"var(--bar)\"/>\
         <text x=\"{1}\" y=\"{2}\">replies</text>\
         <rect x=\"{3}\" y=\"{0}\" width=\"10\" height=\"10\" fill=\"var(--bar2)\"/>\
         <text x=\"{4}\" y=\"{2}\">people</text>\n</svg>",
        height - 18,
        left + 14,
        height - 9,
        left + 80,
        left + 94,
    );
    let mut out = String::from(
        "<section aria-labelledby=\"chart-heading\">\n<h2 id=\"chart-heading\">Replies over time</h2>\n<figure>\n",
    );
    out.push_str(&svg);
    out.push_str("<figcaption>Replies and participants per prompt.</figcaption>\n</figure>\n");
    out.push_str(
        "<details>\n<summary>The same figures as a table</summary>\n<table>\n\
         <thead><tr><th scope=\"col\">Prompt</th><th scope=\"col\">Posted</th>\
         <th scope=\"col\">Replies</th><th scope=\"col\">People</th></tr></thead>\n<tbody>\n",
    );
    for r in rows.iter().rev() {
        let _ = writeln!(
            out,
            "<tr><td dir=\"auto\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(r.title),
            escape(r.when),
            r.replies,
            r.people
        );
    }
    out.push_str("</tbody>\n</table>\n</details>\n</section>\n");
    out
}
