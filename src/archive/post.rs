//! One prompt on the page: its text, follow-ups and source, when it went
//! out, the link to its thread, and its replies as a list. The replies are
//! most of a big page's bytes, so their markup is lean: a list item with
//! the author, the time (the day and hour in the channel's zone: the year
//! is the prompt's) and the text, one element each: a page of 100,000
//! replies opened in 2.7 s with four elements per reply, and the parse of
//! elements is most of that (BENCHMARKS.md, "The archive page").

use std::fmt::Write as _;

use super::{Page, Words, escape, human, local};
use crate::export::ArchivedPost;
use crate::tr;

pub(super) fn render(out: &mut String, page: &Page<'_>, post: &ArchivedPost, words: &Words) {
    let lang = page.lang;
    let p = &post.prompt;
    let known = page.known(post);
    // a post asked in another language than the page's says which (for
    // screen readers): its title, text and follow-ups
    let foreign = known
        .as_ref()
        .filter(|k| k.asked && !k.lang.is_empty() && k.lang != lang.code())
        .map(|k| format!(" lang=\"{}\"", escape(&k.lang)))
        .unwrap_or_default();
    let _ = write!(
        out,
        "<article class=\"post\" id=\"post-{}\">\n<h3 dir=\"auto\"{foreign}>{}</h3>\n<p class=\"meta\">",
        post.post_id,
        escape(&p.title)
    );
    if let Some(at) = post.posted_at.as_deref().or(post.slot.as_deref()) {
        let time = format!(
            "<time datetime=\"{}\">{}</time>",
            escape(at),
            human(at, page.timezone, words)
        );
        let _ = write!(out, "{} · ", words.posted(&time));
    }
    let _ = write!(out, "{}/{}", escape(&p.pack), escape(&p.id));
    if let Some(link) = page.link(post) {
        let _ = write!(
            out,
            " · <a href=\"{}\" rel=\"nofollow noopener\">{}</a>",
            escape(&link),
            escape(&tr!(lang, "archive-thread-link"))
        );
    }
    let _ = write!(
        out,
        "</p>\n<p class=\"prompt-text\" dir=\"auto\"{foreign}>{}</p>\n",
        escape(&p.text)
    );
    if let Some(known) = known {
        // the posted text usually carries its follow-ups already
        let missing: Vec<&String> = known
            .prompt
            .follow_ups
            .iter()
            .filter(|f| known.asked && !p.text.contains(f.as_str()))
            .collect();
        if !missing.is_empty() {
            let _ = writeln!(out, "<ul class=\"follow-ups\"{foreign}>");
            for f in missing {
                let _ = writeln!(out, "<li dir=\"auto\">{}</li>", escape(f));
            }
            out.push_str("</ul>\n");
        }
        if let Some(source) = &known.prompt.source {
            // the source is quoted as written, often in the original's
            // language: marked as such where it is not the page's
            let quote = if known.source_lang == lang.code() || known.source_lang.is_empty() {
                escape(source)
            } else {
                format!(
                    "<span lang=\"{}\">{}</span>",
                    escape(&known.source_lang),
                    escape(source)
                )
            };
            let _ = writeln!(
                out,
                "<blockquote class=\"source\" dir=\"auto\">{}</blockquote>",
                words.source(&quote)
            );
        }
    }
    if post.replies.is_empty() {
        let _ = write!(
            out,
            "<h4>{}</h4>\n</article>\n",
            escape(&tr!(lang, "archive-no-replies"))
        );
        return;
    }
    let _ = writeln!(
        out,
        "<h4>{}</h4>\n<ol class=\"replies\">",
        escape(&tr!(lang, "archive-replies", replies = post.replies.len()))
    );
    for r in &post.replies {
        // An anonymous reply's byline is set apart (italic, no isolate): a
        // member named "anonymous" does not look like one.
        let who = if r.anonymous {
            words.anonymous.clone()
        } else {
            format!(
                "\u{2068}{}\u{2069}",
                escape(&name_on_one_line(
                    &page.names.show(&r.author_name, &words.a_member)
                ))
            )
        };
        let at = local(&r.at, page.timezone)
            .map(|t| words.reply_time(&t))
            .unwrap_or_default();
        let edited = if r.edited_at.is_some() {
            words.edited.as_str()
        } else {
            ""
        };
        // One element per reply: the byline is the first line (styled with
        // `::first-line`), the text the lines after it. The name is isolated
        // (FSI … PDI, on one line, its own direction controls removed) so it
        // cannot turn the byline around; each line of the text takes its own
        // direction (`unicode-bidi: plaintext`). The end tag is left out (the
        // next `<li>` or the list's end closes it): 100,000 fewer tags to
        // parse opened the benchmark's page about 0.13 s sooner.
        let _ = writeln!(
            out,
            "<li>{who} · {at}{edited}\n{}",
            escape(&super::scrub(page.names, &r.text, &words.mention))
        );
    }
    out.push_str("</ol>\n</article>\n");
}

/// A name on one line, without the characters that embed, override or
/// isolate text direction: inside its isolate it keeps its own direction,
/// and no line or paragraph break (which would end the isolate and, in the
/// page's `pre-wrap`, start a line of its own) can make it fake a byline.
fn name_on_one_line(name: &str) -> String {
    name.chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
            )
        })
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}
