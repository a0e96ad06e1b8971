//! `/ponder archive` against the emulator: the page attached to the admin's
//! ephemeral answer (with links to the thread, which need the server), or
//! posted in the channel with `public:True`; a member refused; a page over
//! the upload limit refused with a clear note, never cut.

use discord_emulator::EmulatorConfig;
use discord_emulator::model::Message;
use serde_json::json;

use crate::harness::{WAIT, World};

/// The message carrying `file` among a slash command's answers.
async fn answer_with(w: &World, run: &discord_emulator::InteractionHandle, file: &str) -> Message {
    w.emu
        .wait_until(WAIT, |_| {
            run.original_message()
                .into_iter()
                .chain(run.followups())
                .find(|m| m.attachment(file).is_some())
        })
        .await
        .unwrap_or_else(|e| panic!("no {file} attached: {e}\n{}", w.bot.tail()))
}

#[tokio::test(flavor = "multi_thread")]
async fn archive_attaches_the_page_for_the_admin_or_posts_it_in_the_channel() {
    let mut w = World::start("archive", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;
    let prompt = w.first_prompt(ch).await;
    w.emu
        .send_message(prompt.id, g.member, "Trust first.")
        .unwrap();
    let member = g.member.to_string();
    w.bot
        .wait_replies(&prompt.id.to_string(), &[(&member, "Trust first.")])
        .await;

    let refused = w.slash(g.member, ch, "ponder archive", json!({})).await;
    assert!(refused.text.starts_with("Only admins"), "{refused:?}");
    assert!(refused.ephemeral);

    let file = "ponder-discord-1.html";
    let run = w
        .emu
        .run_slash_command(g.admin, ch, "ponder archive", json!({}))
        .unwrap();
    let message = answer_with(&w, &run, file).await;
    assert!(message.is_ephemeral(), "the archive goes to the admin only");
    assert!(
        message.content.starts_with("The archive of here: "),
        "{}",
        message.content
    );
    let page = message
        .attachment(file)
        .unwrap()
        .text()
        .unwrap()
        .to_string();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("Trust first."), "the reply is on the page");
    assert!(
        page.contains(&format!(
            "href=\"https://discord.com/channels/{}/{}\"",
            g.id, prompt.id
        )),
        "a link to the prompt's thread (its id is the message's), with its server"
    );
    let bot = w.emu.bot_user_id();
    let in_channel = |w: &World| {
        w.emu
            .messages(ch)
            .into_iter()
            .filter(|m| m.author_id == bot && m.attachment(file).is_some())
            .collect::<Vec<_>>()
    };
    assert!(in_channel(&w).is_empty(), "nothing in the channel yet");

    // a member asking for it in public is refused too, and nothing lands
    let refused = w
        .slash(g.member, ch, "ponder archive", json!({"public": true}))
        .await;
    assert!(refused.text.starts_with("Only admins"), "{refused:?}");
    assert!(refused.ephemeral);
    assert!(
        in_channel(&w).is_empty(),
        "a member's public archive posted nothing"
    );

    let said = w.admin(ch, "archive", json!({"public": true})).await;
    assert_eq!(said, "Posted the archive in the channel.");
    let posted = in_channel(&w);
    assert_eq!(posted.len(), 1, "the page, once, in the channel");
    assert!(!posted[0].is_ephemeral());
    assert!(
        posted[0]
            .content
            .starts_with("The archive of this channel: ")
    );
    let page = posted[0].attachment(file).unwrap().text().unwrap();
    assert!(page.contains("Trust first."));
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_archive_over_the_upload_limit_is_refused_with_a_note_never_cut() {
    let mut w = World::start_discord(
        "archive-limit",
        EmulatorConfig::default(),
        "upload_limit = 2000\n",
    )
    .await;
    let g = w.guild.clone();
    let ch = g.text_channel;
    let prompt = w.first_prompt(ch).await;
    w.emu
        .send_message(prompt.id, g.member, "Trust first.")
        .unwrap();
    let member = g.member.to_string();
    w.bot
        .wait_replies(&prompt.id.to_string(), &[(&member, "Trust first.")])
        .await;
    let said = w.admin(ch, "archive", json!({})).await;
    assert!(
        said.starts_with(
            "Even the newest day's prompts make a page larger than Discord's upload limit (2 KB)"
        ),
        "{said}"
    );
    let run = w
        .emu
        .run_slash_command(g.admin, ch, "ponder export", json!({}))
        .unwrap();
    let export = answer_with(&w, &run, "ponder-discord-1.md").await;
    assert!(
        export.content.ends_with("exported."),
        "a small export still fits"
    );
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn with_digest_archive_the_digest_message_carries_the_page() {
    let top = "thread_open = \"4s\"\n[[channel]]\nplatform = \"discord\"\nid = \"{text_channel}\"\n\
               digest_archive = true\n";
    let mut w = World::start_with("digest-archive", EmulatorConfig::default(), top).await;
    let g = w.guild.clone();
    let prompt = w.first_prompt(g.text_channel).await;
    let thread = prompt.id;
    w.emu
        .send_message(thread, g.member, "A reply worth a magazine")
        .unwrap();
    let bot = w.emu.bot_user_id();
    let digest = w
        .emu
        .wait_until(WAIT, |e| {
            e.messages(thread)
                .into_iter()
                .find(|m| m.author_id == bot && m.content.contains("is closed:"))
        })
        .await
        .unwrap_or_else(|e| panic!("no digest: {e}\n{}", w.bot.tail()));
    let file = "ponder-discord-1-post-1.html";
    let page = digest
        .attachment(file)
        .unwrap_or_else(|| panic!("the digest carries no {file}: {digest:?}"))
        .text()
        .unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("A reply worth a magazine"));
    assert!(
        page.contains(&format!(
            "href=\"https://discord.com/channels/{}/{thread}\"",
            g.id
        )),
        "links back to the prompt"
    );
    let digests = w
        .emu
        .messages(thread)
        .into_iter()
        .filter(|m| m.author_id == bot && m.content.contains("is closed:"))
        .count();
    assert_eq!(digests, 1, "one digest, with its page");
    w.bot.stop();
}
