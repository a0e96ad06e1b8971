//! What admins and members do on Discord.

use discord_emulator::EmulatorConfig;
use serde_json::json;

use crate::harness::{WAIT, World};

#[tokio::test(flavor = "multi_thread")]
async fn a_scheduled_prompt_opens_a_thread_and_keeps_replies_with_edits_and_deletions() {
    let mut w = World::start("flow", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let prompt = w.first_prompt(g.text_channel).await;
    assert!(prompt.nonce.is_some(), "the slot's key is the nonce");
    assert_eq!(
        prompt.allowed_mentions,
        Some(json!({"parse": []})),
        "a prompt can never ping"
    );
    let thread = prompt.id;
    w.emu
        .wait_until(WAIT, |e| e.channel(thread).map(|_| ()))
        .await
        .expect("a thread with the prompt's id");

    let a = w
        .emu
        .send_message(thread, g.member, "Trust, if I can look.")
        .unwrap();
    let b = w
        .emu
        .send_message(thread, g.admin, "Ease, always.")
        .unwrap();
    let c = w.emu.send_message(thread, g.admin, "(off topic)").unwrap();
    let (member, admin) = (g.member.to_string(), g.admin.to_string());
    w.bot
        .wait_replies(
            &thread.to_string(),
            &[
                (&member, "Trust, if I can look."),
                (&admin, "Ease, always."),
                (&admin, "(off topic)"),
            ],
        )
        .await;
    w.emu.edit_message(thread, a.id, "Trust, mostly.").unwrap();
    w.emu.delete_message(thread, b.id).unwrap();
    w.emu.bulk_delete(thread, &[c.id]).unwrap();
    w.bot
        .wait_replies(&thread.to_string(), &[(&member, "Trust, mostly.")])
        .await;

    w.bot.stop();
    w.bot.assert_not_logged(&[&w.emu.token()]);
    assert!(
        w.emu.unknown_routes().is_empty(),
        "routes the emulator does not know: {:?}",
        w.emu.unknown_routes()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn prompts_list_answers_admins_privately_through_the_nested_slash_command() {
    let mut w = World::start("prompts-list", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;
    let all = w.admin(ch, "prompts list", json!({})).await;
    assert!(all.starts_with("This channel draws from 2 packs"), "{all}");
    assert!(all.contains("- essay-visibility, \""), "{all}");
    let one = w
        .admin(ch, "prompts list", json!({"pack": "essay-visibility"}))
        .await;
    assert!(one.contains("\n- trust-or-ease: "), "{one}");
    let refused = w
        .slash(g.member, ch, "ponder prompts list", json!({}))
        .await;
    assert!(refused.text.starts_with("Only admins"), "{refused:?}");
    assert!(refused.ephemeral);
    assert!(w.prompts(ch).is_empty(), "listing posts nothing");
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn now_next_and_reflect_work_and_members_cannot_post_prompts() {
    let mut w = World::start("commands", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;

    let refused = w.slash(g.member, ch, "ponder now", json!({})).await;
    assert!(refused.text.starts_with("Only admins"), "{refused:?}");
    assert!(refused.ephemeral);
    assert!(w.prompts(ch).is_empty());

    let answer = w.admin(ch, "now", json!({"prompt": "trust-or-ease"})).await;
    assert!(
        answer.starts_with("Posted essay-visibility/trust-or-ease"),
        "{answer}"
    );
    let prompt = w.wait_prompts(ch, 1).await.remove(0);
    assert!(
        prompt.content.starts_with("**Trust or ease?**"),
        "{}",
        prompt.content
    );
    assert_eq!(
        w.admin(ch, "next", json!({})).await,
        "No prompt is scheduled here."
    );

    let r = w
        .slash(g.member, ch, "reflect", json!({"text": "Ease, for me."}))
        .await;
    assert!(r.ephemeral);
    assert_eq!(
        r.text,
        "Your reflection is in the thread of \"Trust or ease?\"."
    );

    let run = w
        .emu
        .run_slash_command(g.member, ch, "reflect", json!({}))
        .unwrap();
    let modal = run.wait_response(WAIT).await.unwrap();
    assert!(modal.is_modal(), "/reflect without text opens a modal");
    run.submit_modal_and_wait(&[("text", "A longer answer,\nover two lines.")], WAIT)
        .await
        .unwrap();

    let member = g.member.to_string();
    w.bot
        .wait_replies(
            &prompt.id.to_string(),
            &[
                (&member, "Ease, for me."),
                (&member, "A longer answer,\nover two lines."),
            ],
        )
        .await;
    let posted: Vec<_> = w
        .emu
        .messages(prompt.id)
        .into_iter()
        .filter(|m| m.author_id == w.emu.bot_user_id())
        .collect();
    assert_eq!(posted.len(), 2, "both reflections are in the thread");
    assert!(
        posted
            .iter()
            .all(|m| m.mentions.is_empty() && !m.mention_everyone)
    );
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn in_a_forum_the_prompt_is_the_post_and_a_required_tag_is_applied() {
    let config = EmulatorConfig {
        forum_requires_tag: true,
        ..EmulatorConfig::default()
    };
    let mut w = World::start("forum", config).await;
    let g = w.guild.clone();
    // A forum has no message box: the admin names it from a text channel.
    let answer = w
        .admin(
            g.text_channel,
            "now",
            json!({"prompt": "trust-or-ease", "channel": g.forum_channel.to_string()}),
        )
        .await;
    assert!(answer.starts_with("Posted"), "{answer}");
    let thread = w
        .emu
        .wait_until(WAIT, |e| e.threads(g.forum_channel).into_iter().next())
        .await
        .unwrap();
    assert_eq!(thread.name, "Trust or ease?");
    assert!(!thread.applied_tags.is_empty(), "the forum requires a tag");
    assert!(thread.applied_tags.iter().all(|t| g.forum_tags.contains(t)));
    let starter = w
        .emu
        .message(thread.id, thread.id)
        .expect("the starter message shares the thread's id");
    assert!(starter.content.contains("Trust or ease?"));

    let reply = w
        .emu
        .send_message(thread.id, g.member, "Posting in the forum thread")
        .unwrap();
    let member = g.member.to_string();
    w.bot
        .wait_replies(
            &thread.id.to_string(),
            &[(&member, "Posting in the forum thread")],
        )
        .await;
    let _ = reply;
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn time_zones_and_prompt_ids_autocomplete() {
    let mut w = World::start("autocomplete", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let run = w
        .emu
        .run_autocomplete(
            g.admin,
            g.text_channel,
            "ponder setup",
            json!({"schedule": "daily 09:00", "timezone": "berl"}),
            "timezone",
        )
        .unwrap();
    let choices = run.wait_response(WAIT).await.unwrap().choices();
    assert!(
        choices.iter().any(|c| c["value"] == "Europe/Berlin"),
        "{choices:?}"
    );
    let run = w
        .emu
        .run_autocomplete(
            g.admin,
            g.text_channel,
            "ponder now",
            json!({"prompt": "trust"}),
            "prompt",
        )
        .unwrap();
    let choices = run.wait_response(WAIT).await.unwrap().choices();
    assert!(
        choices
            .iter()
            .any(|c| c["value"] == "essay-visibility/trust-or-ease"),
        "{choices:?}"
    );
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn members_see_stats_and_can_erase_what_ponder_keeps_about_them() {
    let mut w = World::start("members", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let prompt = w.first_prompt(g.text_channel).await;
    let thread = prompt.id;
    w.emu.send_message(thread, g.member, "mine").unwrap();
    w.emu.send_message(thread, g.admin, "the admin's").unwrap();
    let (member, admin) = (g.member.to_string(), g.admin.to_string());
    w.bot
        .wait_replies(
            &thread.to_string(),
            &[(&member, "mine"), (&admin, "the admin's")],
        )
        .await;

    let stats = w.slash(g.member, g.text_channel, "stats", json!({})).await;
    assert!(stats.ephemeral);
    assert!(
        stats.text.contains("2 replies from 2 people"),
        "{}",
        stats.text
    );
    assert!(
        stats.text.ends_with("Your streak: 1 prompt in a row."),
        "{}",
        stats.text
    );
    let about = w.slash(g.member, g.text_channel, "about", json!({})).await;
    assert!(about.text.contains("What it keeps"), "{}", about.text);

    let ask = w
        .slash(g.member, g.text_channel, "forget-me", json!({}))
        .await;
    assert!(
        ask.text.starts_with("Ponder keeps 1 reply of yours"),
        "{}",
        ask.text
    );
    let done = w
        .slash(
            g.member,
            g.text_channel,
            "forget-me",
            json!({"confirm": true}),
        )
        .await;
    assert!(
        done.ephemeral && done.text.starts_with("Done: 1 reply deleted."),
        "{done:?}"
    );
    assert_eq!(
        w.bot.replies(&thread.to_string()),
        [(admin.clone(), "the admin's".to_string())]
    );

    // Restarted, the bot reads the thread again and still keeps nothing of theirs.
    w.bot.stop();
    w.bot.start();
    w.wait_ready().await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(
        w.bot.replies(&thread.to_string()),
        [(admin, "the admin's".to_string())]
    );
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closing_thread_gets_its_digest_and_is_archived() {
    let mut w = World::start_with(
        "digest",
        EmulatorConfig::default(),
        "thread_open = \"4s\"\n",
    )
    .await;
    let g = w.guild.clone();
    let prompt = w.first_prompt(g.text_channel).await;
    let thread = prompt.id;
    w.emu
        .send_message(thread, g.member, "A reply worth a digest")
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
    assert!(
        digest.content.contains("is closed: 1 reply from 1 person."),
        "{}",
        digest.content
    );
    assert!(
        digest.content.contains("\"A reply worth a digest\""),
        "{}",
        digest.content
    );
    assert!(
        digest.mentions.is_empty() && !digest.mention_everyone,
        "the digest pings nobody"
    );
    w.emu
        .wait_until(WAIT, |e| {
            e.channel(thread)
                .and_then(|c| c.thread)
                .filter(|t| t.archived)
                .map(|_| ())
        })
        .await
        .expect("the thread is archived after its digest");
    w.bot.stop();
}
