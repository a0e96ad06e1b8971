//! A server's own packs through the real serenity/poise stack: the pack is
//! an ATTACHMENT option, fetched by the bot from the emulator's CDN, checked
//! whole, stored for that server only, curated and exported back.

use discord_emulator::EmulatorConfig;
use discord_emulator::ids::Snowflake;
use discord_emulator::model::Message;
use serde_json::{Value, json};

use crate::harness::{WAIT, World};

const PACK: &str = r#"id = "our-own"
title = "Our own questions"
description = "Three questions of this server's own."

[[prompt]]
id = "our-first"
title = "The first of ours"
text = "What did you learn this week that surprised you?"

[[prompt]]
id = "our-second"
title = "The second of ours"
text = "Which habit would you like to drop?"

[[prompt]]
id = "our-third"
title = "The third of ours"
text = "Who taught you something without meaning to?"
"#;

/// Line 8 is an unknown key, the prompt at line 10 lacks its text, and the
/// prompt at line 13 repeats the first one's id.
const BROKEN: &str = r#"id = "broken-pack"
title = "Broken"
description = "Three problems."

[[prompt]]
id = "b-one"
text = "Fine?"
colour = "blue"

[[prompt]]
id = "b-two"

[[prompt]]
id = "b-one"
text = "Again?"
"#;

/// `user` runs `/ponder {sub}`; returns the message that answers (with its files).
async fn answer(w: &World, user: Snowflake, ch: Snowflake, sub: &str, options: Value) -> Message {
    let run = w
        .emu
        .run_slash_command(user, ch, &format!("ponder {sub}"), options)
        .unwrap();
    run.wait_response(WAIT)
        .await
        .unwrap_or_else(|e| panic!("no answer to /ponder {sub}: {e}\n{}", w.bot.tail()));
    let message = w.followup(&run, &format!("ponder {sub}")).await;
    assert!(message.is_ephemeral(), "{}", message.content);
    message
}

/// A healthy run: no WARN or ERROR line, whatever members sent (but the
/// engine's own warning that a small rotation is about to repeat).
fn assert_quiet(w: &World) {
    let logs = w.bot.logs();
    let loud: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
        .filter(|l| !l.contains("one prompt left before the rotation wraps"))
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
}

fn file(name: &str, content: &str) -> Value {
    json!({"filename": name, "content": content})
}

/// The prompts posted in `ch` so far, by their first line.
fn posted(w: &World, ch: Snowflake) -> Vec<String> {
    w.prompts(ch)
        .iter()
        .map(|m| m.content.lines().next().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_imported_pack_is_drawn_in_its_server_only_and_exports_byte_for_byte() {
    let config = EmulatorConfig {
        guilds: 2,
        ..EmulatorConfig::default()
    };
    let mut w = World::start_env("packs", config, "thread_open = \"24h\"\n", &[]).await;
    let guilds = w.emu.guilds();
    let (ours, theirs) = (guilds[0].clone(), guilds[1].clone());
    w.emu
        .wait_until(WAIT, |e| {
            (!e.commands(Some(theirs.id)).is_empty()).then_some(())
        })
        .await
        .expect("commands registered in the second server");
    let (ch, other) = (ours.text_channel, theirs.text_channel);
    // The import is the first command Ponder sees in the channel: the pack is
    // the server's from the start, not the channel's.
    let imported = answer(
        &w,
        ours.admin,
        ch,
        "prompts import",
        json!({"file": file("our-own.toml", PACK)}),
    )
    .await;
    assert_eq!(
        imported.content,
        "Imported pack `our-own` (\"Our own questions\"): 3 prompts. \
         It is offered in this server's channels only. This channel draws from it."
    );
    assert_eq!(w.emu.attachment_downloads("our-own.toml"), 1);
    let used = answer(&w, ours.admin, ch, "packs use", json!({"packs": "our-own"})).await;
    assert_eq!(
        used.content,
        "This channel now draws from our-own: 3 prompts."
    );

    let now = answer(&w, ours.admin, ch, "now", json!({})).await;
    assert!(
        now.content.starts_with("Posted our-own/"),
        "{}",
        now.content
    );
    let first = w.wait_prompts(ch, 1).await.remove(0);
    assert!(
        first.content.starts_with("**The ") && first.content.contains(" of ours**"),
        "{}",
        first.content
    );

    // The other server: neither its packs, its pool nor its exports know the pack.
    let refused = answer(
        &w,
        theirs.admin,
        other,
        "packs use",
        json!({"packs": "our-own"}),
    )
    .await;
    assert!(
        refused.content.starts_with("No pack `our-own` here."),
        "{}",
        refused.content
    );
    let theirs_now = answer(&w, theirs.admin, other, "now", json!({})).await;
    assert!(
        theirs_now.content.starts_with("Posted essay-"),
        "{}",
        theirs_now.content
    );
    let none = answer(
        &w,
        theirs.admin,
        other,
        "prompts export-pack",
        json!({"pack": "our-own"}),
    )
    .await;
    assert!(
        none.content.contains("No pack `our-own` was imported here"),
        "{}",
        none.content
    );
    let shown = answer(
        &w,
        theirs.admin,
        other,
        "prompts show",
        json!({"id": "our-first"}),
    )
    .await;
    assert!(
        shown.content.starts_with("No prompt `our-first` here."),
        "{}",
        shown.content
    );

    // Autocompletion offers the server's own prompts there, and not elsewhere.
    let typed = |guild: &discord_emulator::model::ScriptedGuild, channel| {
        w.emu
            .run_autocomplete(
                guild.admin,
                channel,
                "ponder prompts disable",
                json!({"id": "our"}),
                "id",
            )
            .unwrap()
    };
    let here = typed(&ours, ch)
        .wait_response(WAIT)
        .await
        .unwrap()
        .choices();
    assert!(
        here.iter().any(|c| c["value"] == "our-own/our-second"),
        "{here:?}"
    );
    let there = typed(&theirs, other)
        .wait_response(WAIT)
        .await
        .unwrap()
        .choices();
    assert!(
        !there
            .iter()
            .any(|c| c["value"].as_str().unwrap_or("").starts_with("our-own/")),
        "{there:?}"
    );

    // Exported: the very bytes imported; imported again: replaced, same count.
    let exported = answer(
        &w,
        ours.admin,
        ch,
        "prompts export-pack",
        json!({"pack": "our-own"}),
    )
    .await;
    assert!(
        exported.content.starts_with("Pack `our-own` (3 prompts)"),
        "{}",
        exported.content
    );
    let back = exported
        .attachment("our-own.toml")
        .expect("the pack as a file");
    assert_eq!(&back.bytes[..], PACK.as_bytes());
    let again = answer(
        &w,
        ours.admin,
        ch,
        "prompts import",
        json!({"file": file("our-own.toml", back.text().unwrap())}),
    )
    .await;
    assert!(
        again
            .content
            .starts_with("Replaced pack `our-own` (\"Our own questions\"): 3 prompts"),
        "{}",
        again.content
    );

    // Disabled: never drawn again, however often the channel posts.
    let disabled = answer(
        &w,
        ours.admin,
        ch,
        "prompts disable",
        json!({"id": "our-first"}),
    )
    .await;
    assert!(
        disabled
            .content
            .starts_with("Disabled our-own/our-first in this server")
            && disabled
                .content
                .ends_with("This channel draws from 2 prompts."),
        "{}",
        disabled.content
    );
    let shown = answer(
        &w,
        ours.admin,
        ch,
        "prompts show",
        json!({"id": "our-first"}),
    )
    .await;
    assert!(shown.content.contains("Disabled here"), "{}", shown.content);
    let before = w.prompts(ch).len();
    for _ in 0..6 {
        let now = answer(&w, ours.admin, ch, "now", json!({})).await;
        assert!(
            now.content.starts_with("Posted our-own/our-"),
            "{}",
            now.content
        );
        assert!(!now.content.contains("our-first"), "{}", now.content);
    }
    let all = w.wait_prompts(ch, before + 6).await;
    for p in &all[before..] {
        assert!(!p.content.contains("The first of ours"), "{}", p.content);
        assert!(p.content.contains(" of ours**"), "{}", p.content);
    }
    let enabled = answer(
        &w,
        ours.admin,
        ch,
        "prompts enable",
        json!({"id": "our-first"}),
    )
    .await;
    assert!(
        enabled.content.starts_with("Enabled our-own/our-first"),
        "{}",
        enabled.content
    );
    assert!(
        posted(&w, other).iter().all(|p| !p.contains(" of ours")),
        "{:?}",
        posted(&w, other)
    );

    let removed = answer(
        &w,
        ours.admin,
        ch,
        "prompts remove-pack",
        json!({"pack": "our-own"}),
    )
    .await;
    assert!(
        removed
            .content
            .starts_with("Removed pack `our-own` (3 prompts).")
    );
    w.bot.stop();
    assert_quiet(&w);
    assert!(
        w.emu.unknown_routes().is_empty(),
        "{:?}",
        w.emu.unknown_routes()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn broken_oversized_and_unauthorised_packs_are_refused_and_nothing_is_stored() {
    let mut w = World::start("packs-refused", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;

    // Every problem, each with its line; nothing applied.
    let broken = answer(
        &w,
        g.admin,
        ch,
        "prompts import",
        json!({"file": file("broken.toml", BROKEN)}),
    )
    .await;
    assert_eq!(
        broken.content,
        "3 problems in `broken.toml`; nothing was imported:\n\
         - broken.toml:8: prompt[1].colour: unknown field `colour` (expected one of: id, title, text, source, follow_ups, tags, weight, draft)\n\
         - broken.toml:10: prompt[2].text: missing (required)\n\
         - broken.toml:13: prompt[3].id: duplicate prompt id `b-one` (first used at broken.toml:5)"
    );
    let none = answer(
        &w,
        g.admin,
        ch,
        "prompts export-pack",
        json!({"pack": "broken-pack"}),
    )
    .await;
    assert!(
        none.content.contains("Imported here: none."),
        "{}",
        none.content
    );
    let list = answer(&w, g.admin, ch, "prompts list", json!({})).await;
    assert!(!list.content.contains("broken-pack"), "{}", list.content);

    // A member may not import: refused before the bot fetches anything.
    let r = w
        .slash(
            g.member,
            ch,
            "ponder prompts import",
            json!({"file": file("member.toml", PACK)}),
        )
        .await;
    assert!(r.ephemeral);
    assert!(r.text.starts_with("Only admins"), "{}", r.text);
    assert_eq!(w.emu.attachment_downloads("member.toml"), 0);
    let none = answer(
        &w,
        g.admin,
        ch,
        "prompts export-pack",
        json!({"pack": "our-own"}),
    )
    .await;
    assert!(
        none.content.contains("Imported here: none."),
        "{}",
        none.content
    );

    // Over 256 KB: refused by its declared size, never fetched.
    let big = format!("{PACK}\n{}", "# padding\n".repeat(30_000));
    let refused = answer(
        &w,
        g.admin,
        ch,
        "prompts import",
        json!({"file": file("big.toml", &big)}),
    )
    .await;
    assert_eq!(
        refused.content,
        format!(
            "`big.toml` is {} KB; a pack file may be at most 256 KB.",
            big.len().div_ceil(1024)
        )
    );
    assert_eq!(w.emu.attachment_downloads("big.toml"), 0);

    // Discord's CDN fails: the admin is told to attach it again; nothing stored.
    w.emu.fail_next("GET /attachments/**", 503, 1);
    let failed = answer(
        &w,
        g.admin,
        ch,
        "prompts import",
        json!({"file": file("flaky.toml", PACK)}),
    )
    .await;
    assert_eq!(
        failed.content,
        "Ponder could not fetch `flaky.toml` from Discord; attach it again in a moment."
    );
    let none = answer(
        &w,
        g.admin,
        ch,
        "prompts export-pack",
        json!({"pack": "our-own"}),
    )
    .await;
    assert!(
        none.content.contains("Imported here: none."),
        "{}",
        none.content
    );

    // A draft from a text comes back as a pack file (a text may be larger than a pack).
    let essay = format!(
        "{}\nWhat makes a tool worth trusting? Visibility builds trust. Invisibility creates ease.\n",
        "Some words of an essay.\n".repeat(12_000)
    );
    assert!(essay.len() > 256 * 1024);
    let drafted = answer(
        &w,
        g.admin,
        ch,
        "prompts draft",
        json!({"file": file("essay.md", &essay), "pack": "our-essay"}),
    )
    .await;
    assert!(
        drafted
            .content
            .starts_with("Drafted pack `our-essay` from `essay.md`: 1 question"),
        "{}",
        drafted.content
    );
    let toml = drafted
        .attachment("our-essay.toml")
        .expect("the draft as a file");
    let toml = toml.text().unwrap();
    assert!(toml.contains("\nid = \"our-essay\"\n"), "{toml}");
    assert!(toml.contains("What makes a tool worth trusting?"), "{toml}");

    w.bot.stop();
    assert_quiet(&w);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pack_commands_are_registered_as_discord_accepts_them() {
    let mut w = World::start("packs-registered", EmulatorConfig::default()).await;
    let commands = w.emu.commands(Some(w.guild.id));
    let ponder = commands.iter().find(|c| c["name"] == "ponder").unwrap();
    let sub = |node: &Value, name: &str| -> Value {
        node["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {name} in {node}"))
    };
    let prompts = sub(ponder, "prompts");
    for name in [
        "list",
        "show",
        "disable",
        "enable",
        "import",
        "remove-pack",
        "export-pack",
        "draft",
    ] {
        assert_eq!(sub(&prompts, name)["type"], 1, "{name}");
    }
    for name in ["import", "draft"] {
        let file = sub(&sub(&prompts, name), "file");
        assert_eq!(file["type"], 11, "{name}: an ATTACHMENT option");
        assert_eq!(file["required"], true, "{name}");
    }
    let packs_use = sub(&sub(ponder, "packs"), "use");
    assert_eq!(sub(&packs_use, "packs")["type"], 3);
    // Discord refuses a command whose names, descriptions and choices exceed 8000 characters.
    fn chars(v: &Value) -> usize {
        let own: usize = ["name", "description", "value"]
            .iter()
            .filter_map(|k| v[*k].as_str())
            .map(|s| s.chars().count())
            .sum();
        let nested: usize = ["options", "choices"]
            .iter()
            .filter_map(|k| v[*k].as_array())
            .flatten()
            .map(chars)
            .sum();
        own + nested
    }
    assert!(chars(ponder) <= 8000, "{} characters", chars(ponder));
    w.bot.stop();
}
