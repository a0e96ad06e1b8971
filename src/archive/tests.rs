use super::*;
use crate::export::{ArchivedPrompt, ArchivedReply};

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
    let prompts = crate::prompt_files::PromptSource::Embedded.load().unwrap();
    Page {
        platform: "matrix",
        channel: "!room:hs",
        guild: None,
        timezone: chrono_tz::UTC,
        posts,
        prompts: &prompts,
        names,
    }
    .render()
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
fn names_are_shown_as_initials_or_hidden_and_anonymous_replies_carry_no_author() {
    let mut anon = reply("", "Secret Person", "Quietly: ease.");
    anon.anonymous = true;
    let posts = [post(
        1,
        24,
        vec![reply("u1", "ada lovelace", "Trust."), anon],
    )];
    let shown = page(&posts, Names::Shown);
    assert!(shown.contains(">ada lovelace<"));
    assert!(shown.contains(">anonymous<"));
    let initials = page(&posts, Names::Initials);
    assert!(initials.contains(">AL<") && !initials.contains("ada"));
    let hidden = page(&posts, Names::Hidden);
    assert!(hidden.contains(">a member<") && !hidden.contains("ada"));
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
