//! A German channel on Discord, end to end: the real bot against the
//! emulator answers `/ponder next` in German, and the registered commands
//! carry German names and descriptions that obey Discord's rules.

use discord_emulator::EmulatorConfig;
use serde_json::{Value, json};

use crate::harness::{WAIT, World};

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

/// A German channel's prompt comes from the German pack, `/reflect` is
/// answered in German, and the thread's digest is German.
#[tokio::test(flavor = "multi_thread")]
async fn a_german_channel_gets_a_german_prompt_reflect_answer_and_digest() {
    let top = "thread_open = \"12s\"\n[[channel]]\nplatform = \"discord\"\nid = \"{text_channel}\"\n\
               language = \"de\"\nschedules = [\"daily 09:00\"]\n";
    let mut w = World::start_with("german-digest", EmulatorConfig::default(), top).await;
    let g = w.guild.clone();
    let ch = g.text_channel;

    let posted = w.admin(ch, "now", json!({"prompt": "trust-or-ease"})).await;
    assert!(posted.starts_with("Gepostet: "), "{posted}");
    let prompt = w.wait_prompts(ch, 1).await.remove(0);
    assert!(
        prompt
            .content
            .starts_with("**Vertrauen oder Bequemlichkeit?**"),
        "{}",
        prompt.content
    );
    let thread = prompt.id;
    w.emu
        .wait_until(WAIT, |e| e.channel(thread).map(|_| ()))
        .await
        .expect("a thread on the prompt");

    let r = w
        .slash(
            g.member,
            ch,
            "reflect",
            json!({"text": "Bequemlichkeit, für mich."}),
        )
        .await;
    assert!(r.ephemeral);
    assert_eq!(
        r.text,
        "Deine Reflexion steht im Thread zu „Vertrauen oder Bequemlichkeit?“."
    );
    let bot = w.emu.bot_user_id();
    let digest = w
        .emu
        .wait_until(WAIT, |e| {
            e.messages(thread)
                .into_iter()
                .find(|m| m.author_id == bot && m.content.contains("ist geschlossen:"))
        })
        .await
        .unwrap_or_else(|e| panic!("no digest: {e}\n{}", w.bot.tail()));
    assert!(
        digest
            .content
            .contains("„Vertrauen oder Bequemlichkeit?“ ist geschlossen: 1 Antwort von 1 Person."),
        "{}",
        digest.content
    );
    assert!(!digest.content.contains("is closed"), "{}", digest.content);
    w.bot.stop();
}
