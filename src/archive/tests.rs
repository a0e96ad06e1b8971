use super::*;
use crate::export::{ArchivedPrompt, ArchivedReply};
use crate::i18n::Lang;

fn reply(id: &str, name: &str, text: &str) -> ArchivedReply {
    ArchivedReply {
        message_id: format!("m-{id}"),
        author_id: id.into(),
        author_name: name.into(),
        anonymous: false,
        text: text.into(),
        at: "2026-11-24T09:05:00Z".into(),
        edited_at: None,
    }
}

fn post(id: i64, day: u32, replies: Vec<ArchivedReply>) -> ArchivedPost {
    ArchivedPost {
        post_id: id,
        platform: "matrix".into(),
        channel: "!room:hs".into(),
        prompt: ArchivedPrompt {
            pack: "essay-visibility".into(),
            id: "trust-or-ease".into(),
            title: format!("Prompt {id}"),
            text: "Trust or ease?".into(),
        },
        slot: None,
        posted_at: Some(format!("2026-11-{day:02}T09:00:00Z")),
        closed_at: None,
        state: "closed".into(),
        message_id: Some(format!("$event{id}")),
        thread_id: None,
        replies,
    }
}

fn page(posts: &[ArchivedPost], names: Names) -> String {
    page_in("matrix", chrono_tz::UTC, posts, names)
}

fn page_in(
    platform: &str,
    timezone: chrono_tz::Tz,
    posts: &[ArchivedPost],
    names: Names,
) -> String {
    page_lang(platform, timezone, posts, names, Lang::En)
}

fn page_lang(
    platform: &str,
    timezone: chrono_tz::Tz,
    posts: &[ArchivedPost],
    names: Names,
    lang: Lang,
) -> String {
    let prompts = crate::prompt_files::PromptSource::Embedded.load().unwrap();
    Page {
        platform,
        channel: "!room:hs",
        guild: Some("81"),
        timezone,
        posts,
        prompts: &prompts,
        names,
        lang,
    }
    .render()
}

/// The rows of the table after `summary`, as `(first cell, last cell)`.
fn table_after<'a>(html: &'a str, summary: &str) -> Vec<(&'a str, &'a str)> {
    let start = html.find(&format!("<summary>{summary}</summary>")).unwrap();
    let body = &html[start..];
    let body = &body[body.find("<tbody>").unwrap()..body.find("</tbody>").unwrap()];
    body.lines()
        .filter(|l| l.starts_with("<tr>"))
        .map(|l| {
            let first = l
                .split("dir=\"auto\">")
                .nth(1)
                .unwrap()
                .split("</th>")
                .next()
                .unwrap();
            let last = l
                .rsplit("\">")
                .next()
                .unwrap()
                .trim_end_matches("</td></tr>");
            (first, last)
        })
        .collect()
}

#[test]
fn weekdays_and_hours_are_counted_in_the_channel_s_zone() {
    // Tuesday 23:30 UTC is Wednesday 00:30 in Berlin (CET, UTC+1)
    let mut late = reply("u1", "Ann", "Late.");
    late.at = "2026-11-24T23:30:00Z".into();
    // a summer reply: Berlin is UTC+2 then (CEST)
    let mut summer = reply("u2", "Bo", "Summer.");
    summer.at = "2026-07-07T21:15:00Z".into();
    let posts = [post(1, 24, vec![late, summer])];
    let berlin = page_in("matrix", chrono_tz::Europe::Berlin, &posts, Names::Shown);
    let days = table_after(&berlin, "Replies by weekday as a table");
    assert_eq!(days.len(), 7);
    assert_eq!(days[1], ("Tue", "1"), "{days:?}"); // 7 July 2026, 23:15 CEST
    assert_eq!(days[2], ("Wed", "1"), "{days:?}");
    let hours = table_after(&berlin, "Replies by hour as a table");
    assert_eq!(hours.len(), 24);
    assert_eq!(hours[0], ("00:00", "1"));
    assert_eq!(hours[23], ("23:00", "1"));
    assert!(berlin.contains("Times are Europe/Berlin."));
    assert!(berlin.contains("25 Nov, 00:30"), "reply times are local");
    let utc = page(&posts, Names::Shown);
    let days = table_after(&utc, "Replies by weekday as a table");
    assert_eq!(days[1], ("Tue", "2"), "{days:?}");
    assert_eq!(
        table_after(&utc, "Replies by hour as a table")[21],
        ("21:00", "1")
    );
}

#[test]
fn the_most_replied_prompts_come_first_with_a_chart_and_a_table() {
    let replies = |n: usize| (0..n).map(|i| reply(&format!("u{i}"), "A", "x")).collect();
    let mut posts: Vec<ArchivedPost> = (1..=12)
        .map(|i| post(i, 1 + i as u32, replies(i as usize % 5)))
        .collect();
    posts[6].prompt.title = "Seven".into(); // 2 replies
    posts[8].prompt.title = "Nine".into(); // 4 replies, like post 4
    let html = page(&posts, Names::Shown);
    let top = table_after(&html, "The most replies as a table");
    assert_eq!(top.len(), super::charts::TOP);
    // 4 replies: posts 9 and 4, the newer first; then 3 replies: 8 and 3
    assert!(
        top[0].0.contains("post-9") && top[0].0.contains("Nine"),
        "{top:?}"
    );
    assert!(top[1].0.contains("post-4"), "{top:?}");
    assert!(
        top[2].0.contains("post-8") && top[3].0.contains("post-3"),
        "{top:?}"
    );
    assert!(
        top.iter().all(|(_, n)| *n != "0"),
        "no prompt without replies"
    );
    assert!(html.contains("<title id=\"most-replied-title\">"));
    assert!(
        html.contains("Nine (4)"),
        "the description names the figures"
    );
}

#[test]
fn themes_list_each_prompt_once_with_every_day_it_was_posted() {
    let mut again = post(5, 28, vec![reply("u1", "Ann", "Again.")]);
    again.prompt.title = "Prompt 1".into();
    let mut other = post(3, 26, vec![]);
    other.prompt.id = "some-other".into();
    let html = page(
        &[post(1, 20, vec![reply("u2", "Bo", "First.")]), other, again],
        Names::Shown,
    );
    let themes = &html[html.find("id=\"themes\"").unwrap()..html.find("id=\"prompts\"").unwrap()];
    let known = crate::prompt_files::PromptSource::Embedded.load().unwrap();
    let pack = known
        .packs
        .iter()
        .find(|p| p.id == "essay-visibility")
        .unwrap();
    assert!(
        themes.contains(&escape(&pack.title)),
        "the pack's title heads its group"
    );
    // each prompt under its title in the prompt files (the page's language)
    let line = themes
        .lines()
        .find(|l| l.contains("Trust or ease?"))
        .unwrap();
    assert!(
        line.contains(
            "<a href=\"#post-1\">20 Nov 2026</a>, <a href=\"#post-5\">28 Nov 2026</a> (2 replies)"
        ),
        "{line}"
    );
    assert_eq!(
        themes.matches("#post-1\"").count(),
        1 + known
            .get("essay-visibility/trust-or-ease")
            .unwrap()
            .tags
            .len()
    );
    assert!(themes.contains("#post-3"));
}

#[test]
fn a_discord_prompt_links_to_its_message_when_the_guild_is_known() {
    let mut p = post(7, 24, vec![]);
    p.message_id = Some("1234".into());
    let html = page_in("discord", chrono_tz::UTC, &[p.clone()], Names::Shown);
    assert!(html.contains("href=\"https://discord.com/channels/81/!room:hs/1234\""));
    // with its thread known, the link opens the thread (a forum post's too)
    p.thread_id = Some("5678".into());
    let html = page_in("discord", chrono_tz::UTC, &[p], Names::Shown);
    assert!(html.contains("href=\"https://discord.com/channels/81/5678\""));
}

#[test]
fn with_names_kept_from_the_page_mentions_lose_their_member_ids() {
    let text = "thanks <@123456789012345678> and <@!42>, also @ann.example:matrix.org \
                and @bo:[::1]:8448; mail me@home, <@&77> is a role, <@x> and @ stay";
    let posts = [post(1, 24, vec![reply("u1", "Ann", text)])];
    for names in [Names::Initials, Names::Hidden] {
        let html = page(&posts, names);
        for id in ["123456789012345678", "@!42", "ann.example", "@bo:"] {
            assert!(!html.contains(id), "{id} kept with {names:?}");
        }
        assert!(html.contains(
            "thanks @member and @member, also @member and @member; mail me@home, \
             &lt;@&amp;77&gt; is a role, &lt;@x&gt; and @ stay"
        ));
    }
    assert!(page(&posts, Names::Shown).contains("&lt;@123456789012345678&gt;"));
}

#[test]
fn hostile_reply_text_stays_text() {
    let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> \
                   <a href=\"javascript:alert(3)\">x</a> \u{1b}[2J \u{202e}evil";
    let html = page(
        &[post(1, 24, vec![reply("u1", "<b>Eve</b>", hostile)])],
        Names::Shown,
    );
    for bad in [
        "<script>",
        "<img",
        "<a href=\"javascript",
        "<b>Eve",
        "\u{1b}",
    ] {
        assert!(!html.contains(bad), "{bad:?} survived:\n{html}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;b&gt;Eve&lt;/b&gt;"));
    // the only script-free page: no <script> element at all, and a CSP that forbids one
    assert!(!html.contains("<script"));
    assert!(html.contains("default-src 'none'"));
}

#[test]
fn a_name_cannot_turn_its_byline_around() {
    // Direction controls in a name (an override, a stray isolate end) are
    // dropped: inside its isolate the name cannot reach the time after it.
    let html = page(
        &[post(
            1,
            24,
            vec![reply("u1", "\u{202e}eve\u{2069}\u{2067}x", "Hi.")],
        )],
        Names::Shown,
    );
    assert!(html.contains("<li>\u{2068}evex\u{2069} · "), "{html}");
    // nor can a line break in a name start a line that reads as a byline
    let html = page(
        &[post(
            1,
            24,
            vec![reply(
                "u1",
                "Eve · 1 Dec, 09:00\nI retract\u{2029}it",
                "Hi.",
            )],
        )],
        Names::Shown,
    );
    assert!(
        html.contains("<li>\u{2068}Eve · 1 Dec, 09:00 I retract it\u{2069} · "),
        "{html}"
    );
    // and a member named "anonymous" is not an anonymous reply
    let html = page(
        &[post(1, 24, vec![reply("u1", "anonymous", "Hi.")])],
        Names::Shown,
    );
    assert!(
        html.contains("<li>\u{2068}anonymous\u{2069} · ") && !html.contains("<i>anonymous</i>")
    );
    // a direction control in the text stays in its own line of the text
    assert!(html.contains("\nHi.\n</ol>"));
}

#[test]
fn names_are_shown_as_initials_or_hidden_and_anonymous_replies_carry_no_author() {
    let mut anon = reply("", "Secret Person", "Quietly: ease.");
    anon.anonymous = true;
    let posts = [post(
        1,
        24,
        vec![reply("u1", "ada lovelace", "Trust."), anon],
    )];
    let shown = page(&posts, Names::Shown);
    // each name is isolated at the start of its reply's byline
    assert!(shown.contains("<li>\u{2068}ada lovelace\u{2069} · "));
    assert!(shown.contains("<li><i>anonymous</i> · "));
    let initials = page(&posts, Names::Initials);
    assert!(initials.contains("<li>\u{2068}AL\u{2069} · ") && !initials.contains("ada"));
    let hidden = page(&posts, Names::Hidden);
    assert!(hidden.contains("<li>\u{2068}a member\u{2069} · ") && !hidden.contains("ada"));
    for html in [shown, initials, hidden] {
        assert!(
            !html.contains("Secret Person"),
            "an anonymous author leaked"
        );
    }
}

#[test]
fn prompts_are_newest_first_with_follow_ups_source_and_thread_link() {
    let html = page(
        &[
            post(1, 20, vec![]),
            post(2, 27, vec![]),
            post(3, 24, vec![]),
        ],
        Names::Shown,
    );
    let at = |s: &str| html.find(s).unwrap();
    assert!(at("id=\"post-2\"") < at("id=\"post-3\"") && at("id=\"post-3\"") < at("id=\"post-1\""));
    let known = crate::prompt_files::PromptSource::Embedded.load().unwrap();
    let p = known.get("essay-visibility/trust-or-ease").unwrap();
    if let Some(source) = &p.source {
        assert!(
            html.contains(&escape(source)),
            "the source sentence is shown"
        );
    }
    assert!(html.contains("https://matrix.to/#/!room:hs/$event2"));
    assert!(html.contains("rel=\"nofollow noopener\""));
}

/// Posts in December in Berlin with every kind of reply: named, anonymous,
/// edited, one mentioning a member; one post without replies, and one
/// prompt posted twice (for the themes).
fn december() -> Vec<ArchivedPost> {
    let at = |r: &mut ArchivedReply, t: &str| r.at = t.into();
    let mut named = reply("u1", "Ann Lee", "Trust, mostly. Thanks <@42>.");
    at(&mut named, "2026-12-01T08:05:00Z"); // a Tuesday, 09:05 CET
    let mut anon = reply("", "Someone", "Ease.");
    anon.anonymous = true;
    at(&mut anon, "2026-12-01T10:00:00Z");
    let mut edited = reply("u2", "Bo", "Both, on reflection.");
    edited.edited_at = Some("2026-12-03T10:00:00Z".into());
    at(&mut edited, "2026-12-03T09:00:00Z");
    let day = |p: &mut ArchivedPost, d: u32| {
        p.posted_at = Some(format!("2026-12-{d:02}T08:00:00Z"));
    };
    let mut first = post(1, 1, vec![named, anon]);
    day(&mut first, 1);
    let mut again = post(2, 1, vec![edited]);
    day(&mut again, 3);
    again.prompt.title = first.prompt.title.clone();
    let mut quiet = post(3, 1, vec![]);
    day(&mut quiet, 8);
    quiet.prompt.title = "Quiet".into();
    quiet.prompt.id = "some-other".into();
    vec![first, again, quiet]
}

#[test]
fn a_german_channel_s_page_is_german_with_german_dates_and_weekdays() {
    let berlin = chrono_tz::Europe::Berlin;
    let html = page_lang("matrix", berlin, &december(), Names::Shown, Lang::De);
    for want in [
        "<html lang=\"de\">",
        "<title>Ponder-Archiv: matrix !room:hs</title>",
        "<p class=\"meta\">3 Impulse und 3 Antworten, vom 1. Dez. 2026 bis zum 8. Dez. 2026. Alle Zeiten in Europe/Berlin.</p>",
        "<nav aria-label=\"Auf dieser Seite\">",
        "<a href=\"#figures\">In Zahlen</a>",
        "<h2 id=\"prompts-heading\">Die Impulse, die neuesten zuerst</h2>",
        "<title id=\"weekdays-title\">Antworten nach Wochentag</title>",
        "Antworten an jedem Wochentag, von Montag bis Sonntag; die meisten am Dienstag.",
        "<summary>Antworten nach Wochentag als Tabelle</summary>",
        "<th scope=\"col\">Wochentag</th><th scope=\"col\">Antworten</th>",
        "<th scope=\"col\">Impuls</th><th scope=\"col\">Gepostet</th>",
        ">Mo</text>",
        "<td>01.12.2026</td>",
        "Gepostet am <time datetime=\"2026-12-01T08:00:00Z\">1. Dez. 2026 um 09:00 Uhr CET</time>",
        "<a href=\"#post-1\">1. Dez. 2026</a>, <a href=\"#post-2\">3. Dez. 2026</a> (3 Antworten)",
        "<h4>2 Antworten</h4>",
        "<h4>1 Antwort</h4>",
        "<h4>Keine Antworten</h4>",
        "<li><i>anonym</i> · 1. Dez., 11:00\n",
        "<li>\u{2068}Bo\u{2069} · 3. Dez., 10:00, bearbeitet\n",
        ">zum Thread</a>",
        "Aus der Quelle: ",
        "<h3>Nach Paket</h3>",
        "Geschrieben von Ponder.",
    ] {
        assert!(html.contains(want), "{want:?} not in:\n{html}");
    }
    let days = table_after(&html, "Antworten nach Wochentag als Tabelle");
    let names: Vec<&str> = days.iter().map(|d| d.0).collect();
    assert_eq!(
        names,
        [
            "Montag",
            "Dienstag",
            "Mittwoch",
            "Donnerstag",
            "Freitag",
            "Samstag",
            "Sonntag"
        ]
    );
    assert_eq!(days[1].1, "2");
    let hidden = page_lang("matrix", berlin, &december(), Names::Hidden, Lang::De);
    assert!(hidden.contains(
        "<li>\u{2068}ein Mitglied\u{2069} · 1. Dez., 09:05\nTrust, mostly. Thanks @mitglied."
    ));
    let index = index(
        &[
            ("a.html".into(), "A".into(), 1),
            ("b.html".into(), "B".into(), 3),
        ],
        Lang::De,
    );
    assert!(index.contains("<html lang=\"de\">") && index.contains("<h1>Ponder-Archiv</h1>"));
    assert!(index.contains("(1 Impuls)") && index.contains("(3 Impulse)"));
}

#[test]
fn an_english_page_keeps_its_words_and_dates() {
    let berlin = chrono_tz::Europe::Berlin;
    let html = page_lang("matrix", berlin, &december(), Names::Shown, Lang::En);
    for want in [
        "<html lang=\"en\">",
        "<title>Ponder archive: matrix !room:hs</title>",
        "<p class=\"meta\">3 prompts and 3 replies, from 1 Dec 2026 to 8 Dec 2026. Times are Europe/Berlin.</p>",
        "<nav aria-label=\"On this page\">",
        "Replies written on each weekday, Monday to Sunday; the most on Tue.",
        "<td>2026-12-01</td>",
        "Posted <time datetime=\"2026-12-01T08:00:00Z\">1 Dec 2026, 09:00 CET</time> · ",
        "<a href=\"#post-1\">1 Dec 2026</a>, <a href=\"#post-2\">3 Dec 2026</a> (3 replies)",
        "<li><i>anonymous</i> · 1 Dec, 11:00\n",
        "<li>\u{2068}Bo\u{2069} · 3 Dec, 10:00, edited\n",
        "<h4>No replies</h4>",
        ">the thread</a>",
        "<blockquote class=\"source\" dir=\"auto\">From the source: ",
        "Written by Ponder. Deleted replies and replies their authors erased are not here; \
         anonymous reflections carry no author.",
    ] {
        assert!(html.contains(want), "{want:?} not in:\n{html}");
    }
    let index = index(&[("a.html".into(), "A".into(), 1)], Lang::En);
    assert!(index.contains("<html lang=\"en\">") && index.contains("(1 prompt)"));
}

/// The words a reader sees on a page: its text and its ARIA labels, not
/// its markup or style.
fn words_seen(html: &str) -> std::collections::BTreeSet<String> {
    let start = html.find("<style>").unwrap();
    let end = html.find("</style>").unwrap();
    let html = format!("{}{}", &html[..start], &html[end..]);
    let mut seen = String::new();
    for piece in html.split('<').skip(1) {
        let (tag, text) = piece.split_once('>').unwrap_or((piece, ""));
        seen.push_str(text);
        seen.push(' ');
        if let Some(label) = tag.split("aria-label=\"").nth(1) {
            seen.push_str(label.split('"').next().unwrap());
            seen.push(' ');
        }
    }
    let seen = seen
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    seen.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn no_english_word_of_the_page_is_left_on_a_german_page() {
    let posts = december();
    let berlin = chrono_tz::Europe::Berlin;
    // what the members and the prompt files wrote is in both, as written
    let prompts = crate::prompt_files::PromptSource::Embedded.load().unwrap();
    let mut data: Vec<String> = vec!["matrix room hs Europe Berlin CET".into()];
    for p in &posts {
        let prompt = &p.prompt;
        data.extend([&prompt.title, &prompt.text, &prompt.pack, &prompt.id].map(String::clone));
        for r in &p.replies {
            data.extend([r.author_name.clone(), r.text.clone()]);
        }
        if let Some(known) = prompts.get(&format!("{}/{}", prompt.pack, prompt.id)) {
            data.extend(known.follow_ups.iter().chain(&known.tags).cloned());
            data.extend(known.source.clone());
        }
    }
    data.extend(prompts.packs.iter().map(|k| k.title.clone()));
    let data = data.join(" ");
    let data: std::collections::BTreeSet<&str> = data
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    for names in [Names::Shown, Names::Hidden] {
        let english = words_seen(&page_lang("matrix", berlin, &posts, names, Lang::En));
        let german = words_seen(&page_lang("matrix", berlin, &posts, names, Lang::De));
        assert!(english.contains("Replies") && german.contains("Antworten"));
        // the product's name is the same in both, and so is "in"
        let left: Vec<&String> = english
            .intersection(&german)
            .filter(|w| !data.contains(w.as_str()))
            .filter(|w| !["Ponder", "In", "in"].contains(&w.as_str()))
            .collect();
        assert!(
            left.is_empty(),
            "English on the German page ({names:?}): {left:?}"
        );
    }
}

#[test]
fn a_prompt_posted_in_german_shows_its_german_follow_ups_and_pack_title() {
    let prompts = crate::prompt_files::PromptSource::Embedded.load().unwrap();
    let german = prompts
        .get_in("essay-visibility/trust-or-ease", "de")
        .unwrap();
    let english = prompts.get("essay-visibility/trust-or-ease").unwrap();
    assert_ne!(german.text, english.text);
    let mut p = post(1, 24, vec![]);
    p.prompt.text = german.text.clone();
    let de = page_lang(
        "matrix",
        chrono_tz::UTC,
        &[p.clone()],
        Names::Shown,
        Lang::De,
    );
    assert!(de.contains(&escape(&german.follow_ups[0])), "{de}");
    assert!(!de.contains(&escape(&english.follow_ups[0])), "{de}");
    assert!(de.contains(
        "<h4 dir=\"auto\">Sichtbar und unsichtbar <small>(essay-visibility)</small></h4>"
    ));
    // an English page of a German post: the follow-ups it asked, in German
    let en = page_lang("matrix", chrono_tz::UTC, &[p], Names::Shown, Lang::En);
    assert!(
        en.contains(&escape(&german.follow_ups[0]))
            && !en.contains(&escape(&english.follow_ups[0]))
    );
}

/// `post` rendered alone on a page in `lang`, with `words`.
fn one_post(post: &ArchivedPost, lang: Lang, words: &Words) -> String {
    let prompts = crate::prompt_files::PromptSource::Embedded.load().unwrap();
    let page = Page {
        platform: "matrix",
        channel: "!room:hs",
        guild: None,
        timezone: chrono_tz::UTC,
        posts: std::slice::from_ref(post),
        prompts: &prompts,
        names: Names::Shown,
        lang,
    };
    let mut out = String::new();
    post::render(&mut out, &page, post, words);
    out
}

#[test]
fn a_prompt_edited_since_it_was_posted_keeps_the_follow_ups_of_its_posted_version() {
    let prompts = crate::prompt_files::PromptSource::Embedded.load().unwrap();
    let german = prompts
        .get_in("essay-visibility/trust-or-ease", "de")
        .unwrap();
    let english = prompts.get("essay-visibility/trust-or-ease").unwrap();
    // posted in German under its German title; the text has been edited
    // in the files since, so the posted text is not the files' any more
    let mut p = post(1, 24, vec![]);
    p.prompt.title = german.thread_name();
    p.prompt.text = "Vertrauen oder Bequemlichkeit: wie hältst du es?".into();
    for lang in Lang::ALL {
        let html = one_post(&p, lang, &Words::new(lang));
        assert!(html.contains(&escape(&german.follow_ups[0])), "{html}");
        assert!(!html.contains(&escape(&english.follow_ups[0])), "{html}");
    }
    // neither the title nor the text is any version's: no follow-ups (they
    // may be another language's), the source (every version's) still there
    p.prompt.title = "Eine ganz andere Frage".into();
    for lang in Lang::ALL {
        let html = one_post(&p, lang, &Words::new(lang));
        assert!(!html.contains("class=\"follow-ups\""), "{html}");
        assert!(!html.contains(&escape(&german.follow_ups[0])), "{html}");
        assert!(!html.contains(&escape(&english.follow_ups[0])), "{html}");
        assert!(
            html.contains(&escape(english.source.as_deref().unwrap())),
            "{html}"
        );
    }
}

#[test]
fn a_message_s_ampersand_or_angle_bracket_is_text_around_its_markup() {
    let mut words = Words::new(Lang::En);
    words.posted = format!("Posted <&> {SLOT}");
    words.source = format!("Source <q> & {SLOT}");
    words.reply_time = std::array::from_fn(|_| "<%H:%M> & co".to_string());
    let html = one_post(
        &post(1, 24, vec![reply("u1", "Ann", "Hi")]),
        Lang::En,
        &words,
    );
    for want in [
        "Posted &lt;&amp;&gt; <time datetime=\"2026-11-24T09:00:00Z\">24 Nov 2026, 09:00 UTC</time>",
        "Source &lt;q&gt; &amp; Visibility builds trust.",
        " · &lt;09:05&gt; &amp; co\nHi",
    ] {
        assert!(html.contains(want), "{want:?} not in:\n{html}");
    }
}

#[test]
fn text_in_another_language_than_the_page_s_says_which() {
    let prompts = crate::prompt_files::PromptSource::Embedded.load().unwrap();
    let german = prompts
        .get_in("essay-visibility/trust-or-ease", "de")
        .unwrap();
    let mut de_post = post(1, 24, vec![]);
    de_post.prompt.title = german.thread_name();
    de_post.prompt.text = german.message_text();
    // the German post on an English page: its title and text are German
    let html = one_post(&de_post, Lang::En, &Words::new(Lang::En));
    assert!(html.contains("<h3 dir=\"auto\" lang=\"de\">"), "{html}");
    assert!(html.contains("<p class=\"prompt-text\" dir=\"auto\" lang=\"de\">"));
    assert!(
        !html.contains("<span lang="),
        "the source is English: {html}"
    );
    // on a German page: the post is not marked, the English source is
    let html = one_post(&de_post, Lang::De, &Words::new(Lang::De));
    assert!(
        html.contains("<h3 dir=\"auto\">")
            && html.contains("<p class=\"prompt-text\" dir=\"auto\">")
    );
    assert!(
        html.contains(
            "<blockquote class=\"source\" dir=\"auto\">Aus der Quelle: \
             <span lang=\"en\">Visibility builds trust. Invisibility creates ease.</span></blockquote>"
        ),
        "{html}"
    );
    // an English post on an English page: nothing marked
    let mut en_post = post(2, 24, vec![]);
    let english = prompts.get("essay-visibility/trust-or-ease").unwrap();
    en_post.prompt.title = english.thread_name();
    en_post.prompt.text = english.message_text();
    let html = one_post(&en_post, Lang::En, &Words::new(Lang::En));
    assert!(!html.contains("lang="), "{html}");
}

#[test]
fn themes_name_prompts_and_tags_in_the_page_s_language() {
    let berlin = chrono_tz::Europe::Berlin;
    // asked in English first, in German later: the themes name it in the
    // page's language whichever came first
    let mut first = post(1, 2, vec![]);
    first.prompt.title = "Trust or ease?".into();
    let mut later = post(2, 9, vec![]);
    later.prompt.title = "Vertrauen oder Bequemlichkeit?".into();
    // a prompt no longer in the files: its newest title
    let mut old = post(3, 3, vec![]);
    old.prompt.id = "gone".into();
    old.prompt.title = "Old title".into();
    let mut new = post(4, 10, vec![]);
    new.prompt.id = "gone".into();
    new.prompt.title = "New title".into();
    let posts = [first, later, old, new];
    let themes = |lang| {
        let html = page_lang("matrix", berlin, &posts, Names::Shown, lang);
        html[html.find("id=\"themes\"").unwrap()..html.find("id=\"prompts\"").unwrap()].to_string()
    };
    let de = themes(Lang::De);
    assert!(de.contains("<li><span dir=\"auto\">Vertrauen oder Bequemlichkeit?</span>: "));
    assert!(!de.contains("Trust or ease?"), "{de}");
    assert!(de.contains("<li><span dir=\"auto\">New title</span>: ") && !de.contains("Old title"));
    // "Nach Schlagwort": the German pack's tags
    assert!(de.contains("<h4 dir=\"auto\">Vertrauen</h4>"), "{de}");
    assert!(de.contains("<h4 dir=\"auto\">Infrastruktur</h4>"), "{de}");
    assert!(!de.contains(">trust</h4>") && !de.contains(">infrastructure</h4>"));
    let en = themes(Lang::En);
    assert!(en.contains("<li><span dir=\"auto\">Trust or ease?</span>: "));
    assert!(!en.contains("Vertrauen"), "{en}");
    assert!(en.contains("<h4 dir=\"auto\">trust</h4>"), "{en}");
}
