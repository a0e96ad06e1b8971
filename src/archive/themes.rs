//! Themes: the prompts grouped by pack and by tag (tags from the prompt
//! files), each prompt once with every day it was posted, so a reader can
//! follow one question across months.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono_tz::Tz;

use super::{Words, escape, local, when};
use crate::domain::prompt::PromptSet;
use crate::export::ArchivedPost;
use crate::tr;

/// One prompt and its posts, oldest first.
struct Asked<'a> {
    /// Its title in the page's language where the prompt files have it,
    /// else the newest post's.
    title: String,
    posts: Vec<&'a ArchivedPost>,
}

impl Asked<'_> {
    fn item(&self, out: &mut String, tz: Tz, words: &Words) {
        let replies: usize = self.posts.iter().map(|p| p.replies.len()).sum();
        let _ = write!(
            out,
            "<li><span dir=\"auto\">{}</span>: ",
            escape(&self.title)
        );
        for (i, p) in self.posts.iter().enumerate() {
            let day = local(when(p), tz)
                .map(|t| escape(&words.day(&t)))
                .unwrap_or_else(|| escape(&tr!(words.lang, "archive-not-posted")));
            let sep = if i == 0 { "" } else { ", " };
            let _ = write!(out, "{sep}<a href=\"#post-{}\">{day}</a>", p.post_id);
        }
        let _ = writeln!(
            out,
            " ({})</li>",
            escape(&tr!(words.lang, "archive-replies", replies = replies))
        );
    }
}

pub(super) fn section(
    out: &mut String,
    newest_first: &[&ArchivedPost],
    prompts: &PromptSet,
    tz: Tz,
    words: &Words,
) {
    let lang = words.lang;
    // pack -> prompt id -> its posts; BTreeMaps keep the order stable
    let mut packs: BTreeMap<&str, BTreeMap<&str, Asked<'_>>> = BTreeMap::new();
    for p in newest_first.iter().rev() {
        packs
            .entry(&p.prompt.pack)
            .or_default()
            .entry(&p.prompt.id)
            .or_insert_with(|| Asked {
                title: String::new(),
                posts: Vec::new(),
            })
            .posts
            .push(p);
    }
    // pack/id -> the prompt in the page's language, for titles and tags
    let mut known = BTreeMap::new();
    for (pack, asked) in &mut packs {
        for (id, a) in asked.iter_mut() {
            let version = prompts.get_in(&format!("{pack}/{id}"), lang.code());
            a.title = match &version {
                Some(k) => k.thread_name(),
                None => a
                    .posts
                    .last()
                    .map(|p| p.prompt.title.clone())
                    .unwrap_or_default(),
            };
            if let Some(k) = version {
                known.insert((*pack, *id), k);
            }
        }
    }
    let _ = write!(
        out,
        "<section id=\"themes\" aria-labelledby=\"themes-heading\">\n<h2 id=\"themes-heading\">{}</h2>\n\
         <p>{}</p>\n<h3>{}</h3>\n",
        escape(&tr!(lang, "archive-themes")),
        escape(&tr!(lang, "archive-themes-note")),
        escape(&tr!(lang, "archive-by-pack")),
    );
    let mut tags: BTreeMap<&str, Vec<&Asked<'_>>> = BTreeMap::new();
    for (pack, asked) in &packs {
        // the pack's title in the page's language where a translation has one
        let translated = prompts
            .translations
            .iter()
            .find(|k| k.translation_of.as_deref() == Some(pack) && k.lang == lang.code())
            .map(|k| k.title.as_str())
            .filter(|t| !t.is_empty());
        let title = translated.or_else(|| {
            prompts
                .packs
                .iter()
                .find(|k| k.id == *pack)
                .map(|k| k.title.as_str())
                .filter(|t| !t.is_empty())
        });
        let _ = write!(out, "<h4 dir=\"auto\">{}", escape(title.unwrap_or(pack)));
        if title.is_some() {
            let _ = write!(out, " <small>({})</small>", escape(pack));
        }
        out.push_str("</h4>\n<ul>\n");
        for (id, a) in asked {
            a.item(out, tz, words);
            // tags as the version in the page's language writes them (a
            // translation that names none has its original's)
            if let Some(known) = known.get(&(*pack, *id)) {
                for tag in &known.tags {
                    tags.entry(tag).or_default().push(a);
                }
            }
        }
        out.push_str("</ul>\n");
    }
    if !tags.is_empty() {
        let _ = writeln!(out, "<h3>{}</h3>", escape(&tr!(lang, "archive-by-tag")));
        for (tag, asked) in &tags {
            let _ = writeln!(out, "<h4 dir=\"auto\">{}</h4>\n<ul>", escape(tag));
            for a in asked {
                a.item(out, tz, words);
            }
            out.push_str("</ul>\n");
        }
    }
    out.push_str("</section>\n");
}
