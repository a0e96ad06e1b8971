//! `ponder archive` pages opened in a real browser (headless Chromium, no
//! network): what a member sees is the archive as it stands (edits applied,
//! deletions and erasures absent, anonymous reflections without author), and
//! hostile reply text stays text: no script runs, nothing is fetched.

use std::path::Path;

use ponder::archive::{Names, Page};
use ponder::db::Db;
use ponder::engine::ingest::Change;
use ponder::platform::memory::PLATFORM;

use crate::browser::{axe, chromium, dom, probe};
use crate::harness::*;

const ERASED: &str = "ErasedByForgetMe-71d2";
const DELETED: &str = "DeletedByItsAuthor-5a0e";

#[tokio::test]
async fn an_archive_page_shows_the_archive_as_it_stands_and_hostile_text_stays_text() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    say(&bot, &admin("general"), "!ponder now trust-or-ease").await;
    say(&bot, &admin("general"), "!ponder anonymous on").await;
    let thread = w.chat.threads()[0].clone();
    let at = utc("2026-11-24T08:05:00Z");
    let store = |change| {
        let bot = bot.clone();
        async move { assert!(bot.write_reply(PLATFORM, change).await.unwrap()) }
    };
    let mut edited = w.chat.write(&thread, "Ann Example", "Trust, at first.", at);
    store(Change::New(edited.clone())).await;
    edited.text = "Trust, slowly earned.".into();
    store(Change::Edited(edited)).await;
    let deleted = w.chat.write(&thread, "Bo", DELETED, at);
    store(Change::New(deleted.clone())).await;
    store(Change::Deleted {
        thread_id: thread.clone(),
        message_id: deleted.message_id,
    })
    .await;
    let mut erased = w.chat.write(&thread, "Mo", ERASED, at);
    erased.author_id = "member".into();
    store(Change::New(erased)).await;
    let hostile = format!(
        "<script>document.body.dataset.pwned='script'</script>\
         <img src=x onerror=\"document.body.dataset.pwned='img'\">\
         <a href=\"javascript:alert(1)\">click</a> \u{1b}[2J\u{1b}]0;title\u{7} \
         \u{202e}desrever {}",
        "W".repeat(4000)
    );
    store(Change::New(w.chat.write(&thread, "Eve", &hostile, at))).await;
    // from another member than the one who erases all of theirs below
    let mut ann = member("dm-ann");
    ann.user_id = "ann".into();
    let anon = say(&bot, &ann, "!ponder anon I trust what I cannot see.").await;
    assert!(anon.starts_with("Your anonymous reflection"), "{anon}");
    let done = say(&bot, &member("general"), "!ponder forget-me confirm").await;
    assert!(done.starts_with("Done: 1 reply deleted."), "{done}");

    let db = Db::open_store_read_only(&w.store).await.unwrap();
    let posts = ponder::export::archive(&db, &Default::default())
        .await
        .unwrap();
    let prompts = w.source.load().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for names in [Names::Shown, Names::Initials] {
        let html = Page {
            platform: PLATFORM,
            channel: "general",
            guild: None,
            timezone: chrono_tz::UTC,
            posts: &posts,
            prompts: &prompts,
            names,
            lang: ponder::i18n::Lang::En,
        }
        .render();
        // nothing the page could fetch: no src, no link but the thread's
        for tag in [
            "<script", "<img", "<link", "<iframe", "<object", "<embed", "<source", "url(",
        ] {
            assert!(!html.contains(tag), "{tag} in the page");
        }
        assert!(
            !html.contains("href=\"http"),
            "a link on a platform without thread links"
        );
        let page = dir.path().join(format!("{names:?}.html"));
        std::fs::write(&page, &html).unwrap();
        let Some(browser) = chromium() else { return };
        let shot = dir.path().join(format!("{names:?}.png"));
        let dom = dom(browser, &page, &dir.path().join("profile"), Some(&shot));
        assert!(dom.contains("Trust or ease?"), "the prompt is shown");
        assert!(dom.contains("Trust, slowly earned.") && !dom.contains("Trust, at first."));
        assert!(dom.contains("edited"));
        assert!(!dom.contains(DELETED) && !dom.contains(ERASED));
        assert!(dom.contains("I trust what I cannot see."));
        assert!(
            dom.contains("<li><i>anonymous</i> · "),
            "the anonymous reflection has no author"
        );
        match names {
            Names::Shown => assert!(dom.contains("\u{2068}Ann Example\u{2069}")),
            _ => assert!(dom.contains("\u{2068}AE\u{2069}") && !dom.contains("Ann Example")),
        }
        // the hostile reply is text on the page, and none of it ran
        assert!(!dom.contains("data-pwned"), "a member's script ran");
        assert!(dom.contains("&lt;script&gt;document.body.dataset.pwned"));
        assert!(!dom.contains('\u{1b}') && !dom.contains('\u{7}'));
        assert!(
            std::fs::metadata(&shot).unwrap().len() > 1000,
            "a screenshot was taken"
        );
        // The same page with scripts allowed: the hostile markup still does
        // not run (it is text, not only blocked), the 4,000-character word
        // does not widen the page on a phone, and axe-core finds nothing
        // serious or critical.
        let axe = axe();
        let seen = probe(
            browser,
            &html,
            axe.as_deref(),
            dir.path(),
            &format!("{names:?}"),
        );
        assert_eq!(
            seen.pwned, None,
            "a member's markup ran once scripts were allowed"
        );
        assert!(
            seen.scroll_width <= seen.inner_width,
            "the page scrolls sideways: {} px wide in a {} px window",
            seen.scroll_width,
            seen.inner_width
        );
        let serious: Vec<_> = seen
            .violations
            .iter()
            .filter(|(_, impact, _)| impact == "serious" || impact == "critical")
            .collect();
        assert!(serious.is_empty(), "accessibility: {serious:#?}");
        if !seen.violations.is_empty() {
            eprintln!("axe-core, minor and moderate: {:#?}", seen.violations);
        }
    }
    // The German page (longer words, a German `lang`) passes the same audit
    // and fits a phone's width.
    let german = Page {
        platform: PLATFORM,
        channel: "general",
        guild: None,
        timezone: chrono_tz::UTC,
        posts: &posts,
        prompts: &prompts,
        names: Names::Shown,
        lang: ponder::i18n::Lang::De,
    }
    .render();
    assert!(german.contains("<html lang=\"de\">") && german.contains("<li><i>anonym</i> · "));
    if let Some(browser) = chromium() {
        let seen = probe(browser, &german, axe().as_deref(), dir.path(), "german");
        assert_eq!(seen.pwned, None);
        assert!(
            seen.scroll_width <= seen.inner_width,
            "the German page scrolls sideways: {} px in {} px",
            seen.scroll_width,
            seen.inner_width
        );
        let serious: Vec<_> = seen
            .violations
            .iter()
            .filter(|(_, impact, _)| impact == "serious" || impact == "critical")
            .collect();
        assert!(serious.is_empty(), "accessibility (de): {serious:#?}");
    }
    // The audit can fail: the same probe on a page with no language, an
    // image without a text alternative and a member's script finds all three.
    if let (Some(browser), Some(axe)) = (chromium(), axe()) {
        let bad = "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"x\">\
                   <title>t</title></head><body><main><img src=\"data:,\" onerror=\"document.body.dataset.pwned=1\">\
                   </main></body></html>";
        let seen = probe(browser, bad, Some(&axe), dir.path(), "bad");
        let rules: Vec<&str> = seen.violations.iter().map(|v| v.0.as_str()).collect();
        assert!(
            rules.contains(&"html-has-lang") && rules.contains(&"image-alt"),
            "{rules:?}"
        );
        assert_eq!(seen.pwned.as_deref(), Some("1"), "the probe runs scripts");
        // the index of several channels' pages passes the audit too
        let index = ponder::archive::index(
            &[
                (
                    "memory-general.html".into(),
                    "Ponder archive: memory general".into(),
                    3,
                ),
                (
                    "memory-other.html".into(),
                    "Ponder archive: memory <other>".into(),
                    1,
                ),
            ],
            ponder::i18n::Lang::En,
        );
        let seen = probe(browser, &index, Some(&axe), dir.path(), "index");
        assert!(seen.violations.is_empty(), "{:#?}", seen.violations);
    }
    let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("archive-shown.png");
    let _ = std::fs::copy(dir.path().join("Shown.png"), keep);
}
