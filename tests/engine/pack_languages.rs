//! Prompt packs per language: a channel drawing in German posts a prompt's
//! German text, and the rotation follows the prompt id across languages.

use std::collections::HashSet;

use ponder::platform::memory::PLATFORM;

use crate::harness::*;

#[tokio::test]
async fn a_channel_drawing_in_german_posts_the_german_text_title_and_follow_ups() {
    let w = World::new("2026-11-24T08:59:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    let set = w.source.load().unwrap();

    let named = bot
        .post_now_in(PLATFORM, "general", Some("trust-or-ease"), "de")
        .await
        .unwrap();
    let drawn = bot
        .post_now_in(PLATFORM, "general", None, "de")
        .await
        .unwrap();
    let sent = w.chat.prompts();
    assert_eq!(sent.len(), 2);
    assert_eq!(named.prompt_id, "trust-or-ease");
    assert_eq!(named.prompt_pack, "essay-visibility");
    assert_eq!(named.prompt_title, "Vertrauen oder Bequemlichkeit?");
    assert!(
        sent[0].text.starts_with("Wenn du dich bei den Tools")
            && sent[0]
                .text
                .contains("\n• Ist ein Tool für dich schon mal von der einen"),
        "{}",
        sent[0].text
    );
    assert_eq!(named.prompt_text, sent[0].text);
    // a drawn prompt too: the German of the prompt the rotation picked
    let english = set.get(&drawn.prompt_id).unwrap();
    let german = set.get_in(&drawn.prompt_id, "de").unwrap();
    assert_ne!(german.text, english.text);
    assert_eq!(sent[1].text, german.message_text());
    assert_eq!(drawn.prompt_title, german.thread_name());
    // the source stays the essay's English sentence
    assert_eq!(german.source, english.source);
}

#[tokio::test]
async fn a_prompt_posted_in_english_is_not_drawn_again_in_german_within_the_cycle() {
    let w = World::new("2026-11-24T08:59:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    let set = w.source.load().unwrap();
    let pool = set.len();
    assert_eq!(
        pool, 20,
        "both essay packs, each prompt once whatever its languages"
    );

    // the channel's language changes after its first post
    let first = bot
        .post_now_in(PLATFORM, "general", None, "en")
        .await
        .unwrap();
    assert_eq!(
        first.prompt_text,
        set.get(&first.prompt_id).unwrap().message_text()
    );
    let mut ids = vec![first.prompt_id.clone()];
    for _ in 1..pool {
        let post = bot
            .post_now_in(PLATFORM, "general", None, "de")
            .await
            .unwrap();
        let german = set.get_in(&post.prompt_id, "de").unwrap();
        assert_eq!(post.prompt_text, german.message_text(), "posted in German");
        ids.push(post.prompt_id);
    }
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(
        distinct.len(),
        pool,
        "a prompt repeated within the cycle across the language change: {ids:?}"
    );
    let all: HashSet<&String> = set.prompts().map(|p| &p.id).collect();
    assert_eq!(distinct, all);
    // the cycle is over: a new one starts, in German
    let next = bot
        .post_now_in(PLATFORM, "general", None, "de")
        .await
        .unwrap();
    assert!(all.contains(&next.prompt_id));
    let status = say(&bot, &admin("general"), "!ponder status").await;
    assert!(
        status.contains(&format!("Rotation: {} of {pool} prompts left", pool - 1)),
        "{status}"
    );
}

/// The channel's language (`language de` in chat, or its config entry)
/// chooses the prompts' language at its scheduled slots and for `now`.
#[tokio::test]
async fn a_german_channel_gets_german_prompts_at_its_slots_and_from_now() {
    let w = World::new("2026-11-24T08:59:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let db = w.open_db().await;
    let ch = db.find_channel(PLATFORM, "general").await.unwrap().unwrap();
    db.set_channel_language(ch.id, Some("de")).await.unwrap();
    db.close().await;
    let bot = w.boot().await;
    let set = w.source.load().unwrap();
    w.set_time("2026-11-24T09:00:00Z");
    bot.tick().await;
    let now = bot.post_now(PLATFORM, "general", None).await.unwrap();
    let sent = w.chat.prompts();
    assert_eq!(sent.len(), 2, "the slot and `now`");
    for (i, prompt) in sent.iter().enumerate() {
        let text = &prompt.text;
        let german = set.pool(&[]).into_iter().find(|p| {
            let de = set.get_in(&p.id, "de").unwrap();
            de.message_text() == *text && p.message_text() != *text
        });
        assert!(german.is_some(), "prompt {i} is a German one: {text}");
    }
    assert_eq!(now.prompt_text, sent[1].text);
}
