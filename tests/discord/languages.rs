//! A German channel on Discord, end to end: the real bot against the
//! emulator answers `/ponder next` in German, and the registered commands
//! carry German names and descriptions that obey Discord's rules.

use discord_emulator::EmulatorConfig;
use serde_json::{Value, json};

use crate::harness::World;

/// What Discord accepts as a command or option name in any language.
fn valid_name(name: &str) -> bool {
    let n = name.chars().count();
    (1..=32).contains(&n)
        && name
            .chars()
            .all(|c| c == '-' || c == '_' || c.is_alphanumeric())
        && name.to_lowercase() == name
}

/// Every command and option below `node` without a valid German name and
/// description, by path.
fn unlocalized(node: &Value, path: &str, out: &mut Vec<String>) {
    let name = node["name_localizations"]["de"]
        .as_str()
        .unwrap_or_default();
    if !valid_name(name) {
        out.push(format!("{path}: name {name:?}"));
    }
    let desc = node["description_localizations"]["de"]
        .as_str()
        .unwrap_or_default();
    if !(1..=100).contains(&desc.chars().count()) {
        out.push(format!("{path}: description {desc:?}"));
    }
    for choice in node["choices"].as_array().into_iter().flatten() {
        if choice["name_localizations"]["de"]
            .as_str()
            .is_none_or(str::is_empty)
        {
            out.push(format!("{path}: choice {}", choice["name"]));
        }
    }
    for o in node["options"].as_array().into_iter().flatten() {
        unlocalized(o, &format!("{path} {}", o["name"].as_str().unwrap()), out);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_german_channel_answers_next_in_german_and_the_commands_carry_valid_german_names() {
    let top = "[[channel]]\nplatform = \"discord\"\nid = \"{text_channel}\"\n\
               language = \"de\"\nschedules = [\"daily 09:00\"]\n";
    let mut w = World::start_with("german", EmulatorConfig::default(), top).await;
    let g = w.guild.clone();

    let next = w.admin(g.text_channel, "next", json!({})).await;
    assert!(next.starts_with("Nächster Impuls: "), "{next}");
    assert!(next.ends_with(" UTC."), "{next}");
    let status = w.admin(g.text_channel, "status", json!({})).await;
    assert!(status.starts_with("Kanal "), "{status}");

    let commands = w.emu.commands(Some(g.id));
    let mut problems = Vec::new();
    for c in &commands {
        unlocalized(c, c["name"].as_str().unwrap(), &mut problems);
    }
    assert!(problems.is_empty(), "{problems:#?}");
    let ponder = commands.iter().find(|c| c["name"] == "ponder").unwrap();
    let language = ponder["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "language")
        .expect("/ponder language is registered");
    assert_eq!(language["name_localizations"]["de"], "sprache");

    // The language command: private, in the new language, kept.
    let en = w
        .admin(g.text_channel, "language", json!({"code": "en"}))
        .await;
    assert_eq!(en, "Ponder now speaks English here (`en`).");
    let next = w.admin(g.text_channel, "next", json!({})).await;
    assert!(next.starts_with("Next prompt: "), "{next}");
    w.bot.stop();
}
