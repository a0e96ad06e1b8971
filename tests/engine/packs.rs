//! A community's own packs, imported in chat: offered only in that
//! community, checked whole (every problem with its line, nothing applied
//! unless all is valid), exported byte for byte, within limits; disabled
//! prompts never drawn; `packs use` per channel, kept across a restart.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Duration;
use ponder::domain::command::{Attached, Command};
use ponder::engine::{Answer, Caller, Engine};
use ponder::platform::memory::PLATFORM;

use crate::harness::*;

const OURS: &str = r#"id = "ours"
title = "Our questions"
description = "Questions of our own."

[[prompt]]
id = "ours-garden"
title = "The garden"
text = "What grows in your garden that nobody planted?"

[[prompt]]
id = "ours-bridge"
text = "Which bridge do you cross every day without noticing it?"
"#;

fn file(name: &str, text: &str) -> Attached {
    Attached::File {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

async fn import(bot: &Engine, who: &Caller, name: &str, text: &str) -> Answer {
    bot.handle(
        who,
        Command::PackImport {
            file: file(name, text),
        },
    )
    .await
}

/// Channels `general` and `garden` in server `g1`, `elsewhere` in `g2`,
/// each with a daily schedule.
async fn two_servers() -> (World, Arc<Engine>) {
    let w = World::new("2026-12-01T08:00:00Z");
    for ch in ["general", "garden", "elsewhere"] {
        w.schedule(ch, "0 9 * * *", "UTC").await;
    }
    let bot = w.boot().await;
    for (ch, guild) in [("general", "g1"), ("garden", "g1"), ("elsewhere", "g2")] {
        bot.remember_guild(PLATFORM, ch, guild).await.unwrap();
    }
    (w, bot)
}

/// The prompt ids posted in a channel, oldest first.
async fn posted(bot: &Engine, channel: &str) -> Vec<String> {
    let ch = bot
        .db()
        .find_channel(PLATFORM, channel)
        .await
        .unwrap()
        .unwrap();
    let mut ids: Vec<String> = bot
        .db()
        .recent_posts(ch.id, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.prompt_id)
        .collect();
    ids.reverse();
    ids
}

#[tokio::test]
async fn an_imported_pack_is_drawn_in_its_server_and_offered_in_no_other() {
    let (_w, bot) = two_servers().await;
    let said = import(&bot, &admin("general"), "ours.toml", OURS)
        .await
        .text;
    assert!(said.starts_with("Imported pack `ours`"), "{said}");
    assert!(said.contains("this server's channels only"), "{said}");

    let said = say(&bot, &admin("general"), "!ponder packs use ours").await;
    assert_eq!(said, "This channel now draws from ours: 2 prompts.");
    for _ in 0..4 {
        say(&bot, &admin("general"), "!ponder now").await;
    }
    let ours: HashSet<&str> = ["ours-garden", "ours-bridge"].into();
    let drawn = posted(&bot, "general").await;
    assert_eq!(drawn.len(), 4);
    assert!(
        drawn.iter().all(|id| ours.contains(id.as_str())),
        "{drawn:?}"
    );

    // another channel of the same server may draw it, and lists it
    let list = say(&bot, &admin("garden"), "!ponder prompts list").await;
    assert!(
        list.contains("- ours, \"Our questions\": 2 prompts"),
        "{list}"
    );

    // another server: not offered, not shown, never drawn
    let said = say(&bot, &admin("elsewhere"), "!ponder packs use ours").await;
    assert!(said.starts_with("No pack `ours` here."), "{said}");
    let said = say(
        &bot,
        &admin("elsewhere"),
        "!ponder prompts show ours-garden",
    )
    .await;
    assert!(said.starts_with("No prompt `ours-garden` here."), "{said}");
    let said = say(
        &bot,
        &admin("elsewhere"),
        "!ponder prompts export-pack ours",
    )
    .await;
    assert!(
        said.starts_with("No pack `ours` was imported here."),
        "{said}"
    );
    let list = say(&bot, &admin("elsewhere"), "!ponder prompts list").await;
    assert!(!list.contains("ours"), "{list}");
    for _ in 0..30 {
        say(&bot, &admin("elsewhere"), "!ponder now").await;
    }
    let drawn = posted(&bot, "elsewhere").await;
    assert_eq!(drawn.len(), 30);
    assert!(
        !drawn.iter().any(|id| ours.contains(id.as_str())),
        "{drawn:?}"
    );
}

#[tokio::test]
async fn a_broken_pack_answers_every_problem_with_its_line_and_applies_nothing() {
    let (_w, bot) = two_servers().await;
    let broken = r#"id = "ours"
title = "Our questions"
description = "Questions of our own."
colour = "green"

[[prompt]]
id = "ours-garden"
text = "What grows in your garden that nobody planted?"

[[prompt]]
id = "ours-garden"
title = "No text"
"#;
    let said = import(&bot, &admin("general"), "ours.toml", broken)
        .await
        .text;
    assert!(
        said.starts_with("3 problems in `ours.toml`; nothing was imported:"),
        "{said}"
    );
    assert!(
        said.contains("ours.toml:4: colour: unknown field `colour`"),
        "{said}"
    );
    assert!(
        said.contains("ours.toml:10: prompt[2].id: duplicate prompt id `ours-garden`"),
        "{said}"
    );
    assert!(
        said.contains("ours.toml:10: prompt[2].text: missing (required)"),
        "{said}"
    );

    // both kinds at once: said in one answer
    let both = broken.replace("id = \"ours-garden\"\ntext", "id = \"trust-or-ease\"\ntext");
    let said = import(&bot, &admin("general"), "both.toml", &both)
        .await
        .text;
    assert!(said.starts_with("3 problems in `both.toml`"), "{said}");
    assert!(
        said.contains("both.toml:4: colour: unknown field"),
        "{said}"
    );
    assert!(
        said.contains("both.toml:10: prompt[2].text: missing (required)"),
        "{said}"
    );
    assert!(
        said.contains(
            "both.toml:7: prompt[1].id: `trust-or-ease` is already the id of a prompt Ponder ships"
        ),
        "{said}"
    );

    // valid TOML, but ids taken by what Ponder ships: each with its line
    let taken = OURS
        .replace("id = \"ours\"", "id = \"essay-visibility\"")
        .replace("ours-bridge", "trust-or-ease");
    let said = import(&bot, &admin("general"), "taken.toml", &taken)
        .await
        .text;
    assert!(said.starts_with("2 problems in `taken.toml`"), "{said}");
    assert!(
        said.contains("taken.toml:1: id: `essay-visibility` is the id of a pack Ponder ships"),
        "{said}"
    );
    assert!(
        said.contains("taken.toml:11: prompt[2].id: `trust-or-ease` is already the id of a prompt Ponder ships (in `essay-visibility`)"),
        "{said}"
    );

    // nothing applied
    let said = say(&bot, &admin("general"), "!ponder prompts export-pack ours").await;
    assert!(
        said.starts_with("No pack `ours` was imported here. Imported here: none."),
        "{said}"
    );
    let said = say(&bot, &admin("general"), "!ponder packs use ours").await;
    assert!(said.starts_with("No pack `ours` here."), "{said}");
}

#[tokio::test]
async fn a_disabled_prompt_is_never_drawn_in_200_slots_and_comes_back_when_enabled() {
    let w = World::new("2026-01-01T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    import(&bot, &admin("general"), "ours.toml", OURS).await;
    let said = say(
        &bot,
        &admin("general"),
        "!ponder prompts disable ours-garden",
    )
    .await;
    assert!(
        said.starts_with("Disabled ours/ours-garden in this room"),
        "{said}"
    );
    let said = say(
        &bot,
        &admin("general"),
        "!ponder prompts disable trust-or-ease",
    )
    .await;
    assert!(
        said.starts_with("Disabled essay-visibility/trust-or-ease"),
        "{said}"
    );
    let said = say(
        &bot,
        &admin("general"),
        "!ponder prompts show trust-or-ease",
    )
    .await;
    assert!(
        said.ends_with("Disabled here: never drawn (`prompts enable` brings it back)."),
        "{said}"
    );

    let mut t = crate::harness::utc("2026-01-01T09:00:00Z");
    for _ in 0..200 {
        w.clock.set(t);
        bot.tick().await;
        t += Duration::days(1);
    }
    let drawn = posted(&bot, "general").await;
    assert_eq!(drawn.len(), 200, "one post per slot");
    assert!(
        !drawn
            .iter()
            .any(|id| id == "ours-garden" || id == "trust-or-ease"),
        "{drawn:?}"
    );
    assert!(
        drawn.iter().any(|id| id == "ours-bridge"),
        "the pack's other prompt is drawn"
    );

    // a member cannot enable it; an admin can, and it is drawn again
    let said = say(
        &bot,
        &member("general"),
        "!ponder prompts enable ours-garden",
    )
    .await;
    assert_eq!(said, "Only admins can do that here.");
    let said = say(
        &bot,
        &admin("general"),
        "!ponder prompts enable ours-garden",
    )
    .await;
    assert!(said.starts_with("Enabled ours/ours-garden"), "{said}");
    let said = say(&bot, &admin("general"), "!ponder packs use ours").await;
    assert_eq!(said, "This channel now draws from ours: 2 prompts.");
    for _ in 0..4 {
        w.clock.set(t);
        bot.tick().await;
        t += Duration::days(1);
    }
    assert!(
        posted(&bot, "general").await[200..]
            .iter()
            .any(|id| id == "ours-garden")
    );
}

#[tokio::test]
async fn an_exported_pack_is_the_imported_file_byte_for_byte_and_imports_again_unchanged() {
    let (_w, bot) = two_servers().await;
    // comments, blank lines and key order are the admin's: kept as written
    let written = format!("# our own questions, v1\n\n{OURS}\n# the end\n");
    import(&bot, &admin("general"), "ours.toml", &written).await;
    let answer = bot
        .handle(
            &admin("garden"),
            Command::PackExport {
                pack: "ours".into(),
            },
        )
        .await;
    let (name, body) = answer.file.expect("a file");
    assert_eq!(name, "ours.toml");
    assert_eq!(body, written);
    let said = import(&bot, &admin("general"), &name, &body).await.text;
    assert!(
        said.starts_with("Replaced pack `ours` (\"Our questions\"): 2 prompts, was 2."),
        "{said}"
    );

    let said = say(&bot, &admin("general"), "!ponder prompts remove-pack ours").await;
    assert!(
        said.starts_with("Removed pack `ours` (2 prompts)."),
        "{said}"
    );
    let said = say(
        &bot,
        &admin("general"),
        "!ponder prompts remove-pack essay-visibility",
    )
    .await;
    assert!(
        said.starts_with("`essay-visibility` ships with Ponder"),
        "{said}"
    );
}

#[tokio::test]
async fn packs_prompts_and_bytes_are_limited_and_only_admins_import() {
    let (_w, bot) = two_servers().await;
    let said = import(&bot, &member("general"), "ours.toml", OURS)
        .await
        .text;
    assert_eq!(said, "Only admins can do that here.");
    let said = say(&bot, &admin("general"), "!ponder prompts export-pack ours").await;
    assert!(said.contains("Imported here: none."), "{said}");

    let big = format!("{OURS}\n#{}\n", "x".repeat(256 * 1024));
    let said = import(&bot, &admin("general"), "big.toml", &big).await.text;
    assert_eq!(
        said,
        "`big.toml` is 257 KB; a pack file may be at most 256 KB."
    );

    let answer = bot
        .handle(
            &admin("general"),
            Command::PackImport {
                file: Attached::File {
                    name: "bin\u{1b}[31m.toml".into(),
                    bytes: vec![0xff, 0xfe, 0x00],
                },
            },
        )
        .await;
    assert_eq!(
        answer.text,
        "`bin[31m.toml` is not UTF-8 text, so Ponder cannot read it."
    );

    for i in 0..20 {
        let pack = OURS.replace("ours", &format!("p{i}"));
        let said = import(&bot, &admin("general"), "p.toml", &pack).await.text;
        assert!(said.starts_with("Imported"), "{said}");
    }
    let said = import(&bot, &admin("garden"), "ours.toml", OURS).await.text;
    assert!(
        said.contains("this community has 20 packs, the most it may have"),
        "{said}"
    );
    // a pack of the same id replaces, so it is not one more
    let again = OURS.replace("ours", "p3");
    assert!(
        import(&bot, &admin("general"), "p.toml", &again)
            .await
            .text
            .starts_with("Replaced")
    );
    // another server has its own allowance
    assert!(
        import(&bot, &admin("elsewhere"), "ours.toml", OURS)
            .await
            .text
            .starts_with("Imported")
    );

    // 2,000 prompts in all
    let mut huge = String::from("id = \"huge\"\ntitle = \"Huge\"\ndescription = \"Many.\"\n");
    for i in 0..1999 {
        huge.push_str(&format!(
            "\n[[prompt]]\nid = \"h{i}\"\ntext = \"Question {i}?\"\n"
        ));
    }
    let said = import(&bot, &admin("elsewhere"), "huge.toml", &huge)
        .await
        .text;
    assert!(
        said.contains("with it this community's packs would hold 2001 prompts; they may hold 2000"),
        "{said}"
    );
}

#[tokio::test]
async fn a_channels_choice_of_packs_survives_a_restart_and_all_brings_every_pack_back() {
    let (w, bot) = two_servers().await;
    import(&bot, &admin("general"), "ours.toml", OURS).await;
    say(
        &bot,
        &admin("general"),
        "!ponder packs use ours,essay-progress",
    )
    .await;
    drop(bot);
    let bot = w.boot().await;
    let list = say(&bot, &admin("general"), "!ponder prompts list").await;
    assert!(
        list.starts_with("This channel draws from 2 packs"),
        "{list}"
    );
    assert!(list.contains("- essay-progress"), "{list}");
    assert!(list.contains("- ours"), "{list}");
    assert!(!list.contains("essay-visibility"), "{list}");
    let said = say(&bot, &admin("general"), "!ponder packs use all").await;
    assert!(
        said.starts_with("This channel now draws from every pack"),
        "{said}"
    );
    let list = say(&bot, &admin("general"), "!ponder prompts list").await;
    assert!(
        list.contains("- essay-visibility") && list.contains("- ours"),
        "{list}"
    );
}

#[tokio::test]
async fn a_pack_drafted_in_chat_comes_back_as_a_file_that_imports_once_its_marks_are_gone() {
    let (_w, bot) = two_servers().await;
    let essay =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/essay.txt"))
            .expect("../shared/essay.txt beside the repository");
    let answer = bot
        .handle(
            &admin("general"),
            Command::PackDraft {
                file: file("essay.txt", &essay),
                pack: "mine".into(),
                title: None,
            },
        )
        .await;
    assert!(
        answer
            .text
            .starts_with("Drafted pack `mine` from `essay.txt`: 1 question as written and"),
        "{}",
        answer.text
    );
    let (name, toml) = answer.file.expect("the draft as a file");
    assert_eq!(name, "mine.toml");
    let said = import(&bot, &admin("general"), &name, &toml).await.text;
    assert!(
        said.contains(".draft: a candidate from `ponder prompts draft`"),
        "{said}"
    );
    let clean: String = toml
        .lines()
        .filter(|l| l.trim() != "draft = true")
        .map(|l| format!("{l}\n"))
        .collect();
    let said = import(&bot, &admin("general"), &name, &clean).await.text;
    assert!(said.starts_with("Imported pack `mine`"), "{said}");

    let said = say(&bot, &admin("general"), "!ponder prompts draft mine").await;
    assert!(said.starts_with("Attach the text to draft from"), "{said}");
}

#[tokio::test]
async fn an_admin_can_still_post_a_prompt_by_name_that_is_disabled_or_outside_the_channels_packs() {
    let (_w, bot) = two_servers().await;
    import(&bot, &admin("general"), "ours.toml", OURS).await;
    say(&bot, &admin("garden"), "!ponder packs use essay-progress").await;
    say(
        &bot,
        &admin("garden"),
        "!ponder prompts disable trust-or-ease",
    )
    .await;
    let said = say(&bot, &admin("garden"), "!ponder now ours-garden").await;
    assert!(said.starts_with("Posted ours/ours-garden"), "{said}");
    let said = say(&bot, &admin("garden"), "!ponder now trust-or-ease").await;
    assert!(
        said.starts_with("Posted essay-visibility/trust-or-ease"),
        "{said}"
    );
    // but not another server's pack
    let said = say(&bot, &admin("elsewhere"), "!ponder now ours-garden").await;
    assert!(said.starts_with("Could not post"), "{said}");
}

#[tokio::test]
async fn a_pack_imported_again_is_drawn_as_its_new_version_at_once() {
    let (_w, bot) = two_servers().await;
    import(&bot, &admin("general"), "ours.toml", OURS).await;
    say(&bot, &admin("general"), "!ponder packs use ours").await;
    let list = say(&bot, &admin("general"), "!ponder prompts list ours").await;
    assert!(list.contains("- ours-garden: The garden"), "{list}");
    // v2: a prompt renamed, one added; the newest row is replaced
    let v2 = OURS.replace("The garden", "The wild garden")
        + "\n[[prompt]]\nid = \"ours-third\"\ntext = \"What did you stop noticing this year?\"\n";
    let said = import(&bot, &admin("general"), "ours.toml", &v2).await.text;
    assert!(said.contains("3 prompts, was 2"), "{said}");
    let list = say(&bot, &admin("general"), "!ponder prompts list ours").await;
    assert!(list.contains("- ours-garden: The wild garden"), "{list}");
    assert!(list.contains("- ours-third"), "{list}");
    // and its new id is taken: another pack of the server cannot have it
    let other = OURS
        .replace("id = \"ours\"", "id = \"other\"")
        .replace("ours-garden", "other-garden")
        .replace("ours-bridge", "ours-third");
    let said = import(&bot, &admin("garden"), "other.toml", &other)
        .await
        .text;
    assert!(
        said.contains("`ours-third` is already the id of a prompt of your pack `ours`"),
        "{said}"
    );
}

#[tokio::test]
async fn ids_ponder_keeps_an_empty_pack_and_an_empty_choice_are_refused_saying_why() {
    let (w, bot) = two_servers().await;
    let said = import(
        &bot,
        &admin("general"),
        "all.toml",
        &OURS.replace("id = \"ours\"", "id = \"all\""),
    )
    .await
    .text;
    assert!(
        said.contains("all.toml:1: id: `all` is a word Ponder keeps for itself"),
        "{said}"
    );
    let said = import(
        &bot,
        &admin("general"),
        "s.toml",
        &OURS.replace("ours-bridge", "suggestion-7"),
    )
    .await
    .text;
    assert!(
        said.contains(
            "s.toml:11: prompt[2].id: `suggestion-7` is already the id of an approved suggestion"
        ),
        "{said}"
    );
    let empty = "id = \"empty\"\ntitle = \"Empty\"\ndescription = \"Nothing yet.\"\n";
    let said = import(&bot, &admin("general"), "empty.toml", empty)
        .await
        .text;
    assert!(
        said.contains("empty.toml:1: prompt: the pack has no [[prompt]] entries"),
        "{said}"
    );
    // spaces in the table header do not hide a line
    let spaced = OURS
        .replace("[[prompt]]", "[[ prompt ]]")
        .replace("ours-bridge", "trust-or-ease");
    let said = import(&bot, &admin("general"), "spaced.toml", &spaced)
        .await
        .text;
    assert!(said.contains("spaced.toml:11: prompt[2].id"), "{said}");

    // a choice that leaves nothing to draw is refused, and the packs stay
    import(&bot, &admin("general"), "ours.toml", OURS).await;
    say(
        &bot,
        &admin("general"),
        "!ponder prompts disable ours-garden",
    )
    .await;
    say(
        &bot,
        &admin("general"),
        "!ponder prompts disable ours-bridge",
    )
    .await;
    let said = say(&bot, &admin("general"), "!ponder packs use ours").await;
    assert!(
        said.starts_with("ours holds no prompt this channel could draw"),
        "{said}"
    );
    let list = say(&bot, &admin("general"), "!ponder prompts list").await;
    assert!(list.contains("- essay-visibility"), "{list}");
    drop(w);
}

#[tokio::test]
async fn a_disabled_suggestion_can_be_shown_enabled_and_posted_by_name() {
    let (_w, bot, answer) =
        with_suggestion("What would you grow if the garden were yours alone?").await;
    assert!(answer.contains("#1"), "{answer}");
    say(&bot, &admin("general"), "!ponder approve 1").await;
    let said = say(
        &bot,
        &admin("general"),
        "!ponder prompts disable suggestion-1",
    )
    .await;
    assert!(
        said.starts_with("Disabled suggestions/suggestion-1"),
        "{said}"
    );
    let said = say(&bot, &admin("general"), "!ponder prompts show suggestion-1").await;
    assert!(
        said.ends_with("Disabled here: never drawn (`prompts enable` brings it back)."),
        "{said}"
    );
    let said = say(&bot, &admin("general"), "!ponder now suggestion-1").await;
    assert!(
        said.starts_with("Posted suggestions/suggestion-1"),
        "{said}"
    );
    let said = say(
        &bot,
        &admin("general"),
        "!ponder prompts enable suggestion-1",
    )
    .await;
    assert!(
        said.starts_with("Enabled suggestions/suggestion-1"),
        "{said}"
    );
}
