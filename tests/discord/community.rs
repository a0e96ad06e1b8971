//! Suggestions with buttons, anonymous reflections, role pings and pins, and
//! the permission self-check, as members and admins use them on Discord.

use discord_emulator::EmulatorConfig;
use discord_emulator::callback;
use discord_emulator::ids::Snowflake;
use discord_emulator::model::Message;
use serde_json::json;

use crate::export::assert_export;
use crate::harness::{WAIT, World};

const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
const MANAGE_THREADS: u64 = 1 << 34;

/// The ephemeral message that answered a deferred slash command, with its buttons.
async fn answer_message(w: &World, user: Snowflake, channel: Snowflake, name: &str) -> Message {
    let run = w
        .emu
        .run_slash_command(user, channel, name, json!({}))
        .unwrap();
    w.emu
        .wait_until(WAIT, |_| {
            run.followups()
                .into_iter()
                .next()
                .or_else(|| run.original_message().filter(|m| !m.content.is_empty()))
        })
        .await
        .unwrap_or_else(|e| panic!("no answer to /{name}: {e}\n{}", w.bot.tail()))
}

fn button_id(message: &Message, label: &str) -> String {
    message
        .components
        .iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .find(|b| b["label"] == label)
        .and_then(|b| b["custom_id"].as_str().map(String::from))
        .unwrap_or_else(|| panic!("no button {label} in {:?}", message.components))
}

/// The text of the direct messages the bot sent a user.
fn direct_messages(w: &World, user: Snowflake) -> Vec<String> {
    match w.emu.dm_channel(user) {
        Some(dm) => w.emu.messages(dm).into_iter().map(|m| m.content).collect(),
        None => Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_suggestion_approved_with_a_button_is_posted_credited_and_its_author_told() {
    let mut w = World::start("suggest", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;
    w.admin(
        ch,
        "setup",
        json!({"schedule": "daily 09:00", "timezone": "UTC"}),
    )
    .await;
    let thanks = w
        .slash(
            g.member,
            ch,
            "suggest",
            json!({"text": "What do you trust @everyone to notice?"}),
        )
        .await;
    assert!(thanks.ephemeral);
    assert!(
        thanks.text.starts_with("Thanks: suggestion #1 is waiting"),
        "{}",
        thanks.text
    );

    let list = answer_message(&w, g.admin, ch, "ponder suggestions").await;
    assert!(list.is_ephemeral(), "the queue is shown to the admin only");
    assert!(list.content.contains("#1 by "), "{}", list.content);
    let approve = button_id(&list, "Approve #1");
    let click = w.emu.click_button(g.admin, ch, list.id, &approve).unwrap();
    let done = click.wait_response(WAIT).await.unwrap();
    assert_eq!(done.kind, callback::CHANNEL_MESSAGE);
    assert!(done.is_ephemeral());
    assert!(
        done.content()
            .unwrap_or_default()
            .starts_with("Suggestion #1 approved"),
        "{:?}",
        done.content()
    );
    let told = w
        .emu
        .wait_until(WAIT, |_| direct_messages(&w, g.member).into_iter().next())
        .await
        .unwrap_or_else(|e| panic!("the suggester was not told: {e}\n{}", w.bot.tail()));
    assert!(
        told.starts_with(&format!("Your suggestion #1 for <#{ch}> was approved")),
        "{told}"
    );

    let posted = w.admin(ch, "now", json!({"prompt": "suggestion-1"})).await;
    assert!(
        posted.starts_with("Posted suggestions/suggestion-1"),
        "{posted}"
    );
    let prompt = w.wait_prompts(ch, 1).await.remove(0);
    assert!(
        prompt
            .content
            .contains("What do you trust @\u{200b}everyone to notice?"),
        "{}",
        prompt.content
    );
    assert!(
        prompt.content.contains("— suggested by "),
        "{}",
        prompt.content
    );
    assert!(!prompt.mention_everyone && prompt.mention_roles.is_empty());
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejection_with_a_reason_from_the_button_modal_is_told_to_the_suggester() {
    let mut w = World::start("reject", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;
    w.admin(
        ch,
        "setup",
        json!({"schedule": "daily 09:00", "timezone": "UTC"}),
    )
    .await;
    w.slash(
        g.member,
        ch,
        "suggest",
        json!({"text": "Is invisibility a virtue?", "credit": false}),
    )
    .await;
    let list = answer_message(&w, g.admin, ch, "ponder suggestions").await;
    let reject = button_id(&list, "Reject #1");
    let click = w.emu.click_button(g.admin, ch, list.id, &reject).unwrap();
    let modal = click.wait_response(WAIT).await.unwrap();
    assert!(modal.is_modal(), "reject asks for a reason first");
    let (_, answer) = click
        .submit_modal_and_wait(&[("reason", "We asked this one last week.")], WAIT)
        .await
        .unwrap();
    assert_eq!(
        answer.content(),
        Some("Suggestion #1 rejected. The suggester was told.")
    );
    let told = w
        .emu
        .wait_until(WAIT, |_| direct_messages(&w, g.member).into_iter().next())
        .await
        .unwrap();
    assert!(
        told.contains("was not taken. The admins said: We asked this one last week."),
        "{told}"
    );
    // A member cannot decide, even with the button's id in hand.
    let denied = w.emu.click_button(g.member, ch, list.id, &reject);
    assert!(
        denied.is_err(),
        "only the admin who saw the ephemeral list can click it"
    );
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_anonymous_reflection_reaches_the_thread_and_ponder_stores_no_author() {
    let mut w = World::start("anonymous", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;
    let prompt = w.first_prompt(ch).await;
    let refused = w
        .slash(
            g.member,
            ch,
            "reflect",
            json!({"text": "Secret.", "anonymous": true}),
        )
        .await;
    assert!(
        refused
            .text
            .starts_with("Anonymous reflections are not allowed there"),
        "{}",
        refused.text
    );
    w.admin(ch, "anonymous", json!({"allow": true})).await;
    let r = w
        .slash(
            g.member,
            ch,
            "reflect",
            json!({"text": "I would rather not be seen.", "anonymous": true}),
        )
        .await;
    assert!(r.ephemeral);
    assert!(
        r.text
            .starts_with("Your anonymous reflection is in the thread"),
        "{}",
        r.text
    );
    let bot = w.emu.bot_user_id();
    let posted = w
        .emu
        .wait_until(WAIT, |e| {
            e.messages(prompt.id)
                .into_iter()
                .find(|m| m.author_id == bot && m.content.starts_with("An anonymous reflection"))
        })
        .await
        .unwrap();
    assert_eq!(
        posted.content,
        "An anonymous reflection:\nI would rather not be seen."
    );
    assert!(posted.mentions.is_empty());

    let export = w.bot.export();
    let replies = export[0]["replies"].as_array().unwrap();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0]["anonymous"], true);
    assert_eq!(replies[0]["author_id"], "");
    // Neither the database nor its write-ahead log holds the member's id.
    let bytes = match w.bot.store() {
        ponder::db::Store::Postgres(url) => crate::postgres::dump(&url),
        ponder::db::Store::Sqlite(db) => {
            let mut bytes = std::fs::read(&db).unwrap();
            bytes.extend(std::fs::read(db.with_extension("db-wal")).unwrap_or_default());
            bytes
        }
    };
    let member = g.member.to_string();
    assert!(
        !bytes
            .windows(member.len())
            .any(|win| win == member.as_bytes()),
        "the member's id appears nowhere in the database"
    );
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_schedule_pings_its_role_and_keeps_only_the_newest_prompt_pinned() {
    let mut w = World::start("pings", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;
    let role = w.emu.add_role(g.id, "Thinkers", true);
    let answer = w
        .admin(
            ch,
            "setup",
            json!({"schedule": "every 2s", "timezone": "UTC", "ping": role.to_string(), "pin": true}),
        )
        .await;
    assert!(
        answer.contains(&format!("(pings {role}, pins its prompt)")),
        "{answer}"
    );
    assert!(
        answer.ends_with("Permissions checked: nothing is missing."),
        "{answer}"
    );
    w.wait_prompts(ch, 2).await;
    w.admin(ch, "pause", json!({})).await;
    let prompts = w.prompts(ch);
    for p in &prompts {
        assert_eq!(
            p.mention_roles,
            [role],
            "the configured role is pinged: {}",
            p.content
        );
        assert!(!p.mention_everyone);
    }
    let newest = prompts.last().unwrap().id;
    let pinned = w
        .emu
        .wait_until(WAIT, |e| {
            let pinned: Vec<_> = e
                .messages(ch)
                .into_iter()
                .filter(|m| m.pinned)
                .map(|m| m.id)
                .collect();
            (pinned == [newest]).then_some(pinned)
        })
        .await
        .unwrap_or_else(|e| {
            panic!(
                "pins never settled on the newest prompt: {e}\n{}",
                w.bot.tail()
            )
        });
    assert_eq!(pinned.len(), 1, "only the newest prompt stays pinned");
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn setup_names_the_permissions_the_bot_lacks_in_the_channel() {
    let mut w = World::start("selfcheck", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;
    w.emu
        .deny_permission(ch, SEND_MESSAGES_IN_THREADS | MANAGE_THREADS);
    let answer = w
        .admin(
            ch,
            "setup",
            json!({"schedule": "daily 09:00", "timezone": "UTC"}),
        )
        .await;
    assert!(
        answer.ends_with(
            "Ponder is missing here: Send Messages in Threads, Manage Threads. \
             Grant them to Ponder (its role, or this channel's permissions), or its posts will fail."
        ),
        "{answer}"
    );
    let status = w.admin(ch, "status", json!({})).await;
    assert!(
        status.contains("Missing permissions: Send Messages in Threads, Manage Threads."),
        "{status}"
    );
    // Granted again, and the bot restarted: the check at start clears it.
    w.emu
        .allow_permission(ch, SEND_MESSAGES_IN_THREADS | MANAGE_THREADS);
    w.bot.stop();
    w.bot.start();
    w.wait_ready().await;
    let mut status = String::new();
    for _ in 0..40 {
        status = w.admin(ch, "status", json!({})).await;
        if !status.contains("Missing permissions") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(!status.contains("Missing permissions"), "{status}");
    assert!(
        w.emu.unknown_routes().is_empty(),
        "{:?}",
        w.emu.unknown_routes()
    );
    w.bot.stop();
}

/// The value Discord sends for a choice of a registered option, by the choice's name.
fn choice(w: &World, path: &[&str], option: &str, name: &str) -> serde_json::Value {
    let commands = w.emu.commands(Some(w.guild.id));
    let mut node = commands
        .iter()
        .find(|c| c["name"] == path[0])
        .cloned()
        .unwrap();
    for part in &path[1..] {
        node = node["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == *part)
            .cloned()
            .unwrap();
    }
    let opt = node["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == option)
        .cloned()
        .unwrap();
    opt["choices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .map(|c| c["value"].clone())
        .unwrap_or_else(|| panic!("no choice {name} in {opt}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn export_attaches_each_format_holding_exactly_the_surviving_replies() {
    let mut w = World::start("export", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;
    let prompt = w.first_prompt(ch).await;
    let thread = prompt.id;
    let kept = w
        .emu
        .send_message(thread, g.member, "Trust first.")
        .unwrap();
    w.emu
        .send_message(thread, g.admin, "Ease, always.")
        .unwrap();
    let gone = w.emu.send_message(thread, g.member, "(typo)").unwrap();
    w.emu.delete_message(thread, gone.id).unwrap();
    w.emu
        .edit_message(thread, kept.id, "Trust, first and last.")
        .unwrap();
    let (member, admin) = (g.member.to_string(), g.admin.to_string());
    w.bot
        .wait_replies(
            &thread.to_string(),
            &[
                (&member, "Trust, first and last."),
                (&admin, "Ease, always."),
            ],
        )
        .await;

    for (name, ext) in [("Markdown", "md"), ("Json", "json"), ("Csv", "csv")] {
        let format = choice(&w, &["ponder", "export"], "format", name);
        let run = w
            .emu
            .run_slash_command(g.admin, ch, "ponder export", json!({"format": format}))
            .unwrap();
        let file = format!("ponder-discord-1.{ext}");
        let message = w
            .emu
            .wait_until(WAIT, |_| {
                run.original_message()
                    .into_iter()
                    .chain(run.followups())
                    .find(|m| m.attachment(&file).is_some())
            })
            .await
            .unwrap_or_else(|e| panic!("no {file} attached: {e}\n{}", w.bot.tail()));
        assert!(message.is_ephemeral(), "the archive goes to the admin only");
        assert_eq!(message.content, "1 post exported.");
        let text = message
            .attachment(&file)
            .unwrap()
            .text()
            .unwrap()
            .to_string();
        assert_export(
            ext,
            &text,
            &[
                (member.as_str(), "Trust, first and last."),
                (admin.as_str(), "Ease, always."),
            ],
            &["(typo)", "Trust first."],
        );
    }
    w.bot.stop();
}
