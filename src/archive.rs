//! `ponder archive`: a channel's archive as one HTML page a member opens in
//! any browser and wants to read, where `export` gives tools Markdown, JSON
//! or CSV.
//!
//! The page is self-contained: inline CSS and SVG, no script, no request to
//! anywhere (fonts are the system's), so it can be mailed, published or
//! opened offline. It holds the prompts newest first, each with its text,
//! follow-ups and source (from the prompt files, when the prompt is still in
//! them), when it was posted, a link back to its thread where the platform
//! has one (Matrix: `matrix.to`), and the replies as they stand: edits
//! applied and marked, deletions and `forget-me` erasures absent, anonymous
//! reflections shown as "anonymous" with no author. Charts of replies and
//! participants per prompt come with a table holding the same figures.
//!
//! Safety, for text from members and prompt files alike: every text is
//! HTML-escaped, control characters (terminal escapes) are shown as visible
//! stand-ins ([`crate::text::for_terminal`]), each reply is its own
//! direction-isolated block (`dir="auto"`), so a right-to-left override
//! cannot reorder anything outside it, and links stay text: nothing a
//! member writes becomes markup, a link or a script.

mod charts;

use std::fmt::Write as _;

use crate::domain::prompt::PromptSet;
use crate::export::ArchivedPost;
use crate::text::{for_terminal, plural};

/// How reply authors are named on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Names {
    /// Their display names (the default: the page is for the community).
    #[default]
    Shown,
    /// Initials only, for publishing outside the community.
    Initials,
    /// No names at all.
    Hidden,
}

impl Names {
    pub fn parse(s: &str) -> Option<Names> {
        match s {
            "shown" => Some(Names::Shown),
            "initials" => Some(Names::Initials),
            "hidden" => Some(Names::Hidden),
            _ => None,
        }
    }

    /// What the page says for an author called `name`.
    fn show(self, name: &str) -> String {
        match self {
            Names::Shown => name.to_string(),
            Names::Initials => {
                let initials: String = name
                    .split_whitespace()
                    .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
                    .flat_map(char::to_uppercase)
                    .collect();
                if initials.is_empty() {
                    "?".into()
                } else {
                    initials
                }
            }
            Names::Hidden => "a member".into(),
        }
    }
}

/// Text for HTML content or a quoted attribute: control characters as
/// visible stand-ins, and the five characters HTML gives meaning escaped.
pub fn escape(text: &str) -> String {
    let text = for_terminal(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One channel's page.
pub struct Page<'a> {
    pub platform: &'a str,
    /// The channel's id on its platform (a Discord channel id, a Matrix room id).
    pub channel: &'a str,
    /// The Discord guild the channel is in, for links to its threads
    /// (Discord's message links need it); `None` elsewhere or when unknown.
    pub guild: Option<&'a str>,
    /// The channel's zone: weekdays and hours are counted in it.
    pub timezone: chrono_tz::Tz,
    /// Its posts, any order: the page puts the newest first.
    pub posts: &'a [ArchivedPost],
    /// The prompt files, for follow-ups and sources.
    pub prompts: &'a PromptSet,
    pub names: Names,
}

const STYLE: &str = "\
:root{color-scheme:light dark;--fg:#1a1a1a;--bg:#fdfdfb;--muted:#555;--line:#d8d8d0;--bar:#2f5d8a;--bar2:#b5651d}\
@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#161616;--muted:#b8b8b8;--line:#3a3a3a;--bar:#7fb0e0;--bar2:#e0a060}}\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);background:var(--bg);\
max-width:46rem;margin:0 auto;padding:1rem;line-height:1.5}\
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.5rem;border-top:1px solid var(--line);padding-top:1rem}\
h3{font-size:1rem;margin-bottom:.25rem}\
.meta,.source,footer{color:var(--muted);font-size:.9rem}\
.prompt-text,.reply p{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:isolate}\
.reply{border-left:3px solid var(--line);margin:.75rem 0;padding:.1rem .75rem}\
.reply p{margin:.25rem 0}\
.who{font-weight:600}.anonymous .who{font-style:italic;font-weight:400}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid var(--line);padding:.2rem .4rem;text-align:left}\
td.n{text-align:right}svg{max-width:100%;height:auto}svg text{fill:var(--fg);font-size:11px}\
details{margin:.5rem 0}a{color:inherit}\
@media print{body{max-width:none}h2{break-before:auto;break-after:avoid}.reply{break-inside:avoid}details{display:block}}";

impl Page<'_> {
    /// The page's title: the platform and the channel.
    pub fn title(&self) -> String {
        format!("Ponder archive: {} {}", self.platform, self.channel)
    }

    /// The whole HTML document.
    pub fn render(&self) -> String {
        let mut posts: Vec<&ArchivedPost> = self.posts.iter().collect();
        posts.sort_by(|a, b| when(b).cmp(when(a)).then(b.post_id.cmp(&a.post_id)));
        let replies: usize = posts.iter().map(|p| p.replies.len()).sum();
        let mut out = String::with_capacity(4096 + replies * 300);
        let title = escape(&self.title());
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
             <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
             <header>\n<h1>{title}</h1>\n<p class=\"meta\">{} and {}.</p>\n</header>\n\
             <main>\n",
            plural(posts.len() as i64, "prompt", "prompts"),
            plural(replies as i64, "reply", "replies"),
        );
        if !posts.is_empty() {
            out.push_str(&charts::section(&posts));
        }
        for post in &posts {
            self.post(&mut out, post);
        }
        out.push_str(
            "</main>\n<footer>\n<p>Written by Ponder. Deleted replies and replies \
             their authors erased are not here; anonymous reflections carry no author.</p>\n\
             </footer>\n</body>\n</html>\n",
        );
        out
    }

    fn post(&self, out: &mut String, post: &ArchivedPost) {
        let p = &post.prompt;
        let _ = write!(
            out,
            "<article class=\"post\" id=\"post-{}\">\n<h2>{}</h2>\n<p class=\"meta\">",
            post.post_id,
            escape(&p.title)
        );
        if let Some(at) = post.posted_at.as_deref().or(post.slot.as_deref()) {
            let _ = write!(
                out,
                "Posted <time datetime=\"{}\">{}</time> · ",
                escape(at),
                human(at)
            );
        }
        let _ = write!(out, "{}/{}", escape(&p.pack), escape(&p.id));
        if let Some(link) = self.link(post) {
            let _ = write!(
                out,
                " · <a href=\"{}\" rel=\"nofollow noopener\">the thread</a>",
                escape(&link)
            );
        }
        let _ = write!(
            out,
            "</p>\n<p class=\"prompt-text\" dir=\"auto\">{}</p>\n",
            escape(&p.text)
        );
        let known = self.prompts.get(&format!("{}/{}", p.pack, p.id));
        if let Some(known) = known {
            // the posted text usually carries its follow-ups already
            let missing: Vec<&String> = known
                .follow_ups
                .iter()
                .filter(|f| !p.text.contains(f.as_str()))
                .collect();
            if !missing.is_empty() {
                out.push_str("<ul class=\"follow-ups\">\n");
                for f in missing {
                    let _ = writeln!(out, "<li dir=\"auto\">{}</li>", escape(f));
                }
                out.push_str("</ul>\n");
            }
            if let Some(source) = &known.source {
                let _ = writeln!(
                    out,
                    "<blockquote class=\"source\" dir=\"auto\">From the source: {}</blockquote>",
                    escape(source)
                );
            }
        }
        let _ = writeln!(
            out,
            "<h3>{}</h3>",
            plural(post.replies.len() as i64, "reply", "replies")
        );
        for r in &post.replies {
            let (class, who) = if r.anonymous {
                ("reply anonymous", "anonymous".to_string())
            } else {
                ("reply", self.names.show(&r.author_name))
            };
            let edited = if r.edited_at.is_some() {
                " · edited"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<section class=\"{class}\" aria-label=\"a reply\">\n\
                 <p class=\"meta\"><span class=\"who\">{who}</span> · <time datetime=\"{at}\">{shown}</time>{edited}</p>\n\
                 <p dir=\"auto\">{text}</p>\n</section>\n",
                who = escape(&who),
                at = escape(&r.at),
                shown = human(&r.at),
                text = escape(&r.text),
            );
        }
        out.push_str("</article>\n");
    }

    /// A link to the prompt's thread, where the platform has a stable one.
    fn link(&self, post: &ArchivedPost) -> Option<String> {
        match self.platform {
            "matrix" => {
                let event = post.message_id.as_deref()?;
                Some(format!("https://matrix.to/#/{}/{event}", self.channel))
            }
            "discord" => {
                let guild = self.guild?;
                let message = post.message_id.as_deref()?;
                Some(format!(
                    "https://discord.com/channels/{guild}/{}/{message}",
                    self.channel
                ))
            }
            _ => None,
        }
    }
}

/// An RFC 3339 time as people read it: `24 Nov 2026, 08:05 UTC`.
fn human(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.format("%-d %b %Y, %H:%M UTC").to_string())
        .unwrap_or_else(|_| escape(at))
}

/// When a post went out (its slot for one never sent), for ordering.
fn when(post: &ArchivedPost) -> &str {
    post.posted_at
        .as_deref()
        .or(post.slot.as_deref())
        .unwrap_or("")
}

/// The page that lists several channels' pages: `(file name, title, prompts)`.
pub fn index(pages: &[(String, String, usize)]) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>Ponder archive</title>\n",
    );
    let _ = write!(
        out,
        "<style>{STYLE}</style>\n</head>\n<body>\n<header><h1>Ponder archive</h1></header>\n<main>\n<ul>\n"
    );
    for (file, title, prompts) in pages {
        let _ = writeln!(
            out,
            "<li><a href=\"{}\">{}</a> ({})</li>",
            escape(file),
            escape(title),
            plural(*prompts as i64, "prompt", "prompts")
        );
    }
    out.push_str("</ul>\n</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests;
