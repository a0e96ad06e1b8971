//! `ponder archive` pages opened in a real browser (headless Chromium, no
//! network): what a member sees is the archive as it stands (edits applied,
//! deletions and erasures absent, anonymous reflections without author), and
//! hostile reply text stays text: no script runs, nothing is fetched.

use std::path::Path;
use std::process::Command;

use ponder::archive::{Names, Page};
use ponder::db::Db;
use ponder::engine::ingest::Change;
use ponder::platform::memory::PLATFORM;

use crate::harness::*;

const ERASED: &str = "ErasedByForgetMe-71d2";
const DELETED: &str = "DeletedByItsAuthor-5a0e";

/// Chromium's binary, or `None` (outside CI) after saying why the test does
/// nothing; under `CI=true` a missing browser fails the run.
fn chromium() -> Option<&'static str> {
    for bin in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new(bin)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(bin);
        }
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but no Chromium: .ci/run installs Debian's `chromium`"
    );
    eprintln!("NOTE: no Chromium here (apt install chromium); the browser checks did not run");
    None
}

/// The DOM after the page loaded (and any script it holds ran), with every
/// host unresolvable, so a request could not leave the machine.
fn dom(browser: &str, page: &Path, profile: &Path, screenshot: &Path) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=2000",
            "--window-size=420,900",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

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

    let db = Db::open_read_only(&w.db_path()).await.unwrap();
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
        let dom = dom(browser, &page, &dir.path().join("profile"), &shot);
        assert!(dom.contains("Trust or ease?"), "the prompt is shown");
        assert!(dom.contains("Trust, slowly earned.") && !dom.contains("Trust, at first."));
        assert!(dom.contains("edited"));
        assert!(!dom.contains(DELETED) && !dom.contains(ERASED));
        assert!(dom.contains("I trust what I cannot see."));
        assert!(
            dom.contains(">anonymous<"),
            "the anonymous reflection has no author"
        );
        match names {
            Names::Shown => assert!(dom.contains(">Ann Example<")),
            _ => assert!(dom.contains(">AE<") && !dom.contains("Ann Example")),
        }
        // the hostile reply is text on the page, and none of it ran
        assert!(!dom.contains("data-pwned"), "a member's script ran");
        assert!(dom.contains("&lt;script&gt;document.body.dataset.pwned"));
        assert!(!dom.contains('\u{1b}') && !dom.contains('\u{7}'));
        assert!(
            std::fs::metadata(&shot).unwrap().len() > 1000,
            "a screenshot was taken"
        );
    }
    let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("archive-shown.png");
    let _ = std::fs::copy(dir.path().join("Shown.png"), keep);
}
