//! No prompt repeats within a cycle, across restarts too.

use std::collections::HashSet;

use chrono::Duration;

use crate::harness::*;

#[tokio::test]
async fn every_prompt_posts_once_before_any_repeats_even_across_restarts() {
    let w = World::new("2026-11-24T08:59:00Z");
    w.schedule("general", "* * * * *", "UTC").await;
    let pool = w.source.load().unwrap().len();
    assert!(pool >= 15);
    let mut bot = w.boot().await;
    let start = utc("2026-11-24T09:00:00Z");
    for i in 0..pool as i64 + 3 {
        if i % 4 == 3 {
            drop(bot);
            bot = w.boot().await; // the rotation state lives in the database
        }
        w.clock.set(start + Duration::minutes(i));
        bot.tick().await;
    }
    let texts: Vec<String> = w.chat.prompts().into_iter().map(|p| p.text).collect();
    assert_eq!(texts.len(), pool + 3);
    let first_cycle: HashSet<&String> = texts[..pool].iter().collect();
    assert_eq!(
        first_cycle.len(),
        pool,
        "a prompt repeated within the first cycle"
    );
    let second: HashSet<&String> = texts[pool..].iter().collect();
    assert_eq!(
        second.len(),
        3,
        "the second cycle starts without repeats too"
    );
}

#[tokio::test]
async fn status_warns_when_one_prompt_is_left_before_the_cycle_wraps() {
    let w = World::new("2026-11-24T08:59:00Z");
    w.schedule("general", "* * * * *", "UTC").await;
    let pool = w.source.load().unwrap().len() as i64;
    let bot = w.boot().await;
    for i in 0..pool - 1 {
        w.clock
            .set(utc("2026-11-24T09:00:00Z") + Duration::minutes(i));
        bot.tick().await;
    }
    let status = bot
        .handle(&admin("general"), ponder::domain::command::Command::Status)
        .await
        .text;
    assert!(
        status.contains(&format!("Rotation: 1 of {pool} prompts left")),
        "{status}"
    );
    assert!(status.contains("the cycle wraps"), "{status}");
}

#[tokio::test]
async fn prompts_list_shows_each_pack_and_what_this_cycle_posted_to_admins_only() {
    let (w, bot, _) = with_suggestion("What would you keep if you had to start over?").await;
    let admin = admin("general");
    say(&bot, &admin, "!ponder approve 1").await;
    for at in ["2026-11-24T09:00:00Z", "2026-11-25T09:00:00Z"] {
        w.clock.set(utc(at));
        bot.tick().await;
    }
    let posted: Vec<String> = w.chat.prompts().into_iter().map(|p| p.text).collect();
    assert_eq!(posted.len(), 2);
    let pool = w.source.load().unwrap().len() + 1;

    let all = say(&bot, &admin, "!ponder prompts").await;
    assert!(
        all.starts_with(&format!(
            "This channel draws from 3 packs, {pool} prompts; this rotation cycle has posted 2."
        )),
        "{all}"
    );
    assert!(
        all.contains("- suggestions (approved suggestions): 1 prompt, "),
        "{all}"
    );
    // the packs' lines add up to what was posted
    let done: usize = all
        .lines()
        .filter_map(|l| l.strip_suffix(" posted this cycle"))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(done, 2, "{all}");

    let set = w.source.load().unwrap();
    let pack = set
        .packs
        .iter()
        .find(|p| p.id == "essay-visibility")
        .unwrap();
    let one = say(&bot, &admin, "!ponder prompts list essay-visibility").await;
    assert!(
        one.starts_with(&format!(
            "essay-visibility, \"{}\": {} prompts.",
            pack.title,
            pack.prompts.len()
        )),
        "{one}"
    );
    for p in &pack.prompts {
        let line = one
            .lines()
            .find(|l| l.starts_with(&format!("- {}: ", p.id)))
            .unwrap_or_else(|| panic!("{} not listed: {one}", p.id));
        let was_posted = posted.iter().any(|t| t.contains(p.text.trim()));
        assert_eq!(line.ends_with("(posted this cycle)"), was_posted, "{line}");
    }

    let unknown = say(&bot, &admin, "!ponder prompts list nope").await;
    assert!(
        unknown.starts_with("This channel does not draw from a pack `nope`. Its packs: "),
        "{unknown}"
    );
    let member = say(&bot, &member("general"), "!ponder prompts").await;
    assert!(member.starts_with("Only admins"), "{member}");
}
