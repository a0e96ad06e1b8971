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
mod post;
mod themes;

use std::fmt::Write as _;

use chrono::Datelike as _;
use chrono_tz::Tz;

use crate::domain::prompt::PromptSet;
use crate::export::ArchivedPost;
use crate::i18n::Lang;
use crate::text::for_terminal;
use crate::tr;

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

    /// What the page says for an author called `name`; `hidden` names
    /// everyone when names are hidden (`a member`).
    fn show(self, name: &str, hidden: &str) -> String {
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
            Names::Hidden => hidden.to_string(),
        }
    }
}

/// A reply's text as the page shows it under `names`: with names kept from
/// the page, the member ids in mentions go too (a Discord `<@123>` or
/// `<@!123>`, a Matrix `@someone:server`), each shown as `mention`
/// (`@member`).
fn scrub<'t>(names: Names, text: &'t str, mention: &str) -> std::borrow::Cow<'t, str> {
    if names == Names::Shown || !text.contains('@') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        // a Discord mention: `<@` digits `>` or `<@!` digits `>`
        if before.ends_with('<') {
            let digits = from[1..].strip_prefix('!').unwrap_or(&from[1..]);
            let n = digits.bytes().take_while(u8::is_ascii_digit).count();
            if n > 0 && digits[n..].starts_with('>') {
                out.pop();
                out.push_str(mention);
                rest = &digits[n + 1..];
                continue;
            }
        }
        // a Matrix user id: `@` localpart `:` server name
        let local = from[1..]
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._=-/+".contains(b))
            .count();
        if local > 0 && from[1 + local..].starts_with(':') {
            let server = from[2 + local..]
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(b))
                .count();
            if server > 0 {
                out.push_str(mention);
                rest = &from[2 + local + server..];
                continue;
            }
        }
        out.push('@');
        rest = &from[1..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
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
    pub timezone: Tz,
    /// Its posts, any order: the page puts the newest first.
    pub posts: &'a [ArchivedPost],
    /// The prompt files, for follow-ups and sources.
    pub prompts: &'a PromptSet,
    pub names: Names,
    /// The language the page is written in: the channel's (see
    /// [`crate::db::ChannelRow::lang`]).
    pub lang: Lang,
}

/// The version of a post's prompt the page shows ([`Page::known`]).
struct Version {
    prompt: std::sync::Arc<crate::domain::prompt::Prompt>,
    /// Its language (`en`, `de`).
    lang: String,
    /// The language of its source.
    source_lang: String,
    /// Whether it is the version the post asked; else its follow-ups are
    /// not shown.
    asked: bool,
}

/// The page's words and date patterns that each reply repeats, rendered
/// once per page rather than once per reply (a page may hold 100,000).
pub(crate) struct Words {
    pub lang: Lang,
    /// `<i>anonymous</i>`.
    pub anonymous: String,
    /// `, edited`.
    pub edited: String,
    /// The author when names are hidden.
    pub a_member: String,
    /// A member mentioned in a reply when names are not shown.
    pub mention: String,
    /// A reply's time, the month filled in: one pattern per month.
    reply_time: [String; 12],
    /// A day (`3 Nov 2026`), one pattern per month.
    day: [String; 12],
    /// A day and time with the zone, one pattern per month.
    date_time: [String; 12],
    /// `Posted {time}`, with [`SLOT`] for the time (see [`fill`]).
    posted: String,
    /// `From the source: {source}`, with [`SLOT`] for the source.
    source: String,
}

/// What a message is rendered with in place of a value that is markup
/// already (a `<time>` element, a quote with its `lang`): the message is
/// escaped around it, then the markup goes in ([`fill`]). A private-use
/// character, which escaping leaves as it is and no message holds.
const SLOT: &str = "\u{e000}";

/// A message rendered with [`SLOT`] as a value: escaped, then `markup` in
/// the slot, so a `&` or `<` a translation writes is text and the markup
/// stays markup.
fn fill(message: &str, markup: &str) -> String {
    escape(message).replace(SLOT, markup)
}

impl Words {
    fn new(lang: Lang) -> Words {
        let by_month = |pattern: String| -> [String; 12] {
            std::array::from_fn(|m| {
                pattern.replace("%b", &crate::i18n::month_short(lang, m as u32 + 1))
            })
        };
        Words {
            lang,
            anonymous: format!("<i>{}</i>", escape(&tr!(lang, "archive-anonymous"))),
            edited: escape(&tr!(lang, "archive-edited")),
            a_member: tr!(lang, "archive-a-member"),
            mention: tr!(lang, "archive-mention"),
            reply_time: by_month(tr!(lang, "archive-reply-time-pattern")),
            day: by_month(tr!(lang, "archive-day-pattern")),
            date_time: by_month(tr!(lang, "archive-date-time-pattern")),
            posted: tr!(lang, "archive-page-posted", time = SLOT),
            source: tr!(lang, "archive-source", source = SLOT),
        }
    }

    /// `Posted <time …>…</time>`, escaped around the time's markup.
    pub fn posted(&self, time: &str) -> String {
        fill(&self.posted, time)
    }

    /// `From the source: <span …>…</span>`, escaped around the quote's markup.
    pub fn source(&self, quote: &str) -> String {
        fill(&self.source, quote)
    }

    fn format(&self, t: &chrono::DateTime<Tz>, patterns: &[String; 12]) -> String {
        t.format_localized(&patterns[t.month0() as usize], self.lang.chrono_locale())
            .to_string()
    }

    /// A reply's time, escaped for the page: `24 Nov, 09:05`.
    pub fn reply_time(&self, t: &chrono::DateTime<Tz>) -> String {
        escape(&self.format(t, &self.reply_time))
    }

    /// A day: `24 Nov 2026`.
    pub fn day(&self, t: &chrono::DateTime<Tz>) -> String {
        self.format(t, &self.day)
    }
}

/// The page's style. Each prompt, and the figures and themes above them,
/// is laid out only when it nears the screen (`content-visibility: auto`):
/// a page of 100,000 replies otherwise spends most of its opening time
/// laying out what nobody sees yet (19 s against 1.8 s for the prompts,
/// about 0.2 s more for the themes' thousands of links, measured);
/// find-in-page, screen readers and print still see it all.
const STYLE: &str = "\
:root{color-scheme:light dark;--fg:#1a1a1a;--bg:#fdfdfb;--muted:#555;--line:#d8d8d0;--bar:#2f5d8a;--bar2:#b5651d}\
@media (prefers-color-scheme:dark){:root{--fg:#eee;--bg:#161616;--muted:#b8b8b8;--line:#3a3a3a;--bar:#7fb0e0;--bar2:#e0a060}}\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);background:var(--bg);\
max-width:46rem;margin:0 auto;padding:1rem;line-height:1.5;overflow-wrap:anywhere}\
h1{font-size:1.6rem}h2{font-size:1.35rem;margin-top:2.5rem;border-top:2px solid var(--line);padding-top:1rem}\
h3{font-size:1.15rem;margin-top:2rem}h4{font-size:1rem;margin:1rem 0 .25rem}\
.post{border-top:1px solid var(--line);margin-top:2rem;content-visibility:auto;contain-intrinsic-size:auto 900px}\
#figures,#themes{content-visibility:auto;contain-intrinsic-size:auto 4000px}\
.meta,.source,footer,small{color:var(--muted);font-size:.9rem}\
.toc{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}\
.prompt-text{white-space:pre-wrap;unicode-bidi:isolate}\
.replies{list-style:none;padding:0}.replies li{border-left:3px solid var(--line);margin:.75rem 0;padding:.1rem .75rem;\
white-space:pre-wrap;unicode-bidi:plaintext}.replies li::first-line{color:var(--muted);font-size:.9rem}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid var(--line);padding:.2rem .4rem;text-align:left}\
td.n{text-align:right}figure{margin:1rem 0}svg{width:100%;height:auto}svg text{fill:var(--fg);font-size:15px}\
details{margin:.5rem 0}a{color:inherit}\
@media print{body{max-width:none}nav{display:none}.post,#figures,#themes{content-visibility:visible}h2,h3{break-after:avoid}.replies li{break-inside:avoid}figure{break-inside:avoid}}";

impl Page<'_> {
    /// The page's title: the platform and the channel.
    pub fn title(&self) -> String {
        tr!(
            self.lang,
            "archive-title",
            platform = self.platform,
            channel = self.channel
        )
    }

    /// The whole HTML document.
    pub fn render(&self) -> String {
        let mut posts: Vec<&ArchivedPost> = self.posts.iter().collect();
        posts.sort_by(|a, b| when(b).cmp(when(a)).then(b.post_id.cmp(&a.post_id)));
        let replies: usize = posts.iter().map(|p| p.replies.len()).sum();
        let text: usize = posts
            .iter()
            .flat_map(|p| &p.replies)
            .map(|r| r.text.len() + r.author_name.len())
            .sum();
        let mut out = String::with_capacity(8192 + posts.len() * 1200 + replies * 110 + text);
        let lang = self.lang;
        let words = Words::new(lang);
        let title = escape(&self.title());
        let summary = tr!(
            lang,
            "archive-summary",
            prompts = tr!(lang, "archive-prompts", prompts = posts.len()),
            replies = tr!(lang, "archive-replies", replies = replies),
            span = span(&posts, self.timezone, &words),
            zone = self.timezone.name(),
        );
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
             <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
             <header>\n<h1>{title}</h1>\n<p class=\"meta\">{}</p>\n</header>\n",
            lang.code(),
            escape(&summary),
        );
        if !posts.is_empty() {
            let _ = write!(
                out,
                "<nav aria-label=\"{}\">\n<ul class=\"toc\">\
                 <li><a href=\"#figures\">{}</a></li>\
                 <li><a href=\"#themes\">{}</a></li>\
                 <li><a href=\"#prompts\">{}</a></li></ul>\n</nav>\n",
                escape(&tr!(lang, "archive-nav")),
                escape(&tr!(lang, "archive-figures")),
                escape(&tr!(lang, "archive-themes")),
                escape(&tr!(lang, "archive-prompts-link")),
            );
        }
        out.push_str("<main>\n");
        if !posts.is_empty() {
            charts::figures(&mut out, &posts, self.timezone, lang);
            themes::section(&mut out, &posts, self.prompts, self.timezone, &words);
        }
        let _ = writeln!(
            out,
            "<section id=\"prompts\" aria-labelledby=\"prompts-heading\">\n<h2 id=\"prompts-heading\">{}</h2>",
            escape(&tr!(lang, "archive-prompts-heading"))
        );
        for post in &posts {
            post::render(&mut out, self, post, &words);
        }
        let _ = write!(
            out,
            "</section>\n</main>\n<footer>\n<p>{}</p>\n</footer>\n</body>\n</html>\n",
            escape(&tr!(lang, "archive-footer"))
        );
        out
    }

    /// The post's prompt as the prompt files hold it, in the version it was
    /// posted in (a German channel posts a translation under the original's
    /// id): the version whose thread title is the post's title, else the
    /// one whose text the post's text starts with (the posted message is
    /// the text, then the follow-ups).
    ///
    /// When neither matches (the prompt was edited since, or the version it
    /// was posted in is gone from the files), the original, marked not
    /// `asked`: its source still stands (every version quotes the same
    /// sentence), but its follow-ups are not shown, as they may be another
    /// language's or not the ones asked; the posted text holds the ones that
    /// were.
    fn known(&self, post: &ArchivedPost) -> Option<Version> {
        let versions = self
            .prompts
            .versions(&format!("{}/{}", post.prompt.pack, post.prompt.id));
        let original = versions.first()?.clone();
        let title = post.prompt.title.trim();
        let text = post.prompt.text.trim_start();
        let asked = versions
            .iter()
            .find(|(_, k)| k.thread_name() == title)
            .or_else(|| {
                versions.iter().find(|(_, k)| {
                    let t = k.text.trim();
                    !t.is_empty() && text.starts_with(t)
                })
            });
        let (lang, prompt) = asked.unwrap_or(&original).clone();
        // a translation quotes its original's source unless it has its own
        let source_lang = if prompt.source == original.1.source {
            original.0.clone()
        } else {
            lang.clone()
        };
        Some(Version {
            prompt,
            lang,
            source_lang,
            asked: asked.is_some(),
        })
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
                // The thread opens from its own link, in a text channel and
                // a forum alike; without one, the prompt's message.
                match (post.thread_id.as_deref(), post.message_id.as_deref()) {
                    (Some(thread), _) => {
                        Some(format!("https://discord.com/channels/{guild}/{thread}"))
                    }
                    (None, Some(message)) => Some(format!(
                        "https://discord.com/channels/{guild}/{}/{message}",
                        self.channel
                    )),
                    (None, None) => None,
                }
            }
            _ => None,
        }
    }
}

/// ", from 3 Nov 2026 to 24 Nov 2026" for posts given newest first.
fn span(newest_first: &[&ArchivedPost], tz: Tz, words: &Words) -> String {
    let day = |p: &ArchivedPost| local(when(p), tz).map(|t| words.day(&t));
    let lang = words.lang;
    match (
        newest_first.last().and_then(|p| day(p)),
        newest_first.first().and_then(|p| day(p)),
    ) {
        (Some(first), Some(last)) if first != last => {
            tr!(lang, "archive-span-range", first = first, last = last)
        }
        (Some(first), _) => tr!(lang, "archive-span-day", day = first),
        _ => String::new(),
    }
}

/// An RFC 3339 time in the channel's zone.
fn local(at: &str, tz: Tz) -> Option<chrono::DateTime<Tz>> {
    chrono::DateTime::parse_from_rfc3339(at)
        .ok()
        .map(|t| t.with_timezone(&tz))
}

/// An RFC 3339 time as people read it, in the channel's zone:
/// `24 Nov 2026, 09:05 CET`.
fn human(at: &str, tz: Tz, words: &Words) -> String {
    local(at, tz)
        .map(|t| escape(&words.format(&t, &words.date_time)))
        .unwrap_or_else(|| escape(at))
}

/// When a post went out (its slot for one never sent), for ordering.
fn when(post: &ArchivedPost) -> &str {
    post.posted_at
        .as_deref()
        .or(post.slot.as_deref())
        .unwrap_or("")
}

/// The page that lists several channels' pages: `(file name, title, prompts)`,
/// in `lang`.
pub fn index(pages: &[(String, String, usize)], lang: Lang) -> String {
    let title = escape(&tr!(lang, "archive-index-title"));
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{title}</title>\n",
        lang.code()
    );
    let _ = write!(
        out,
        "<style>{STYLE}</style>\n</head>\n<body>\n<header><h1>{title}</h1></header>\n<main>\n<ul>\n"
    );
    for (file, title, prompts) in pages {
        let _ = writeln!(
            out,
            "<li><a href=\"{}\">{}</a> ({})</li>",
            escape(file),
            escape(title),
            escape(&tr!(lang, "archive-prompts", prompts = *prompts))
        );
    }
    out.push_str("</ul>\n</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests;
