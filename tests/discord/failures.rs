//! Restarts, dropped connections, rate limits and missing permissions.

use std::collections::HashSet;

use discord_emulator::EmulatorConfig;
use discord_emulator::perms::permission::SEND_MESSAGES;
use ponder::db::DigestState;
use serde_json::json;

use crate::harness::{WAIT, World};

/// Every post the archive knows reached the channel exactly once.
fn assert_each_post_once(w: &World, channel: u64) {
    let prompts = w.prompts(channel);
    let nonces: HashSet<String> = prompts
        .iter()
        .map(|m| m.nonce.clone().unwrap().to_string())
        .collect();
    assert_eq!(nonces.len(), prompts.len(), "a slot was posted twice");
    let archived: Vec<_> = w
        .bot
        .export()
        .into_iter()
        .filter(|p| p["channel"].as_str() == Some(channel.to_string().as_str()))
        .collect();
    assert_eq!(
        archived.len(),
        prompts.len(),
        "every archived post is in the channel once"
    );
    let ids: HashSet<String> = prompts.iter().map(|m| m.id.to_string()).collect();
    assert!(
        archived
            .iter()
            .all(|p| ids.contains(p["message_id"].as_str().unwrap()))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn replies_written_while_the_bot_is_stopped_are_collected_and_nothing_posts_twice() {
    let mut w = World::start("restart", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let prompt = w.first_prompt(g.text_channel).await;
    let thread = prompt.id;
    w.emu.send_message(thread, g.member, "before").unwrap();
    let (member, admin) = (g.member.to_string(), g.admin.to_string());
    w.bot
        .wait_replies(&thread.to_string(), &[(&member, "before")])
        .await;

    w.bot.stop();
    w.emu
        .send_message(thread, g.admin, "while stopped 1")
        .unwrap();
    w.emu
        .send_message(thread, g.member, "while stopped 2")
        .unwrap();
    w.bot.start();
    w.wait_ready().await;
    w.bot
        .wait_replies(
            &thread.to_string(),
            &[
                (&member, "before"),
                (&admin, "while stopped 1"),
                (&member, "while stopped 2"),
            ],
        )
        .await;
    assert_each_post_once(&w, g.text_channel);
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_gateway_is_resumed_without_losing_replies() {
    let mut w = World::start("resume", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let prompt = w.first_prompt(g.text_channel).await;
    let thread = prompt.id;
    w.emu.drop_gateway();
    w.emu
        .send_message(thread, g.member, "during the drop")
        .unwrap();
    w.emu.send_message(thread, g.admin, "right after").unwrap();
    let (member, admin) = (g.member.to_string(), g.admin.to_string());
    w.bot
        .wait_replies(
            &thread.to_string(),
            &[(&member, "during the drop"), (&admin, "right after")],
        )
        .await;
    w.emu
        .wait_until(WAIT, |e| {
            (e.resume_count() + e.identify_count() > 1).then_some(())
        })
        .await
        .unwrap();
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_storm_of_429s_delays_prompts_but_posts_each_slot_exactly_once() {
    let mut w = World::start("ratelimit", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    w.emu.rate_limit("POST /channels/*/messages", 12, 0.25);
    let answer = w
        .admin(g.text_channel, "setup", json!({"schedule": "every 2s"}))
        .await;
    assert!(answer.starts_with("Set up"), "{answer}");
    w.wait_prompts(g.text_channel, 3).await;
    w.admin(g.text_channel, "pause", json!({})).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_each_post_once(&w, g.text_channel);
    let archive = w.bot.export();
    assert!(
        archive.iter().all(|p| p["state"] == "open"),
        "no post failed or hangs: {archive:#?}"
    );
    let limited = w.emu.requests().iter().filter(|r| r.status == 429).count();
    assert!(
        limited >= 12,
        "the storm happened ({limited} answers were 429)"
    );
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_permission_fails_the_slot_visibly_and_the_next_slot_posts_when_it_is_back() {
    let mut w = World::start("permission", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;
    w.emu.deny_permission(ch, SEND_MESSAGES);
    w.admin(ch, "setup", json!({"schedule": "every 2s"})).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    let status = loop {
        let status = w.admin(ch, "status", json!({})).await;
        if status.contains("Failed: post") {
            break status;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no failure shown in /ponder status:\n{status}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    };
    assert!(
        status.contains(&format!("missing permission Send Messages in channel {ch}")),
        "{status}"
    );
    assert!(
        w.bot.logs().contains("missing permission Send Messages"),
        "the log names it too"
    );
    assert!(w.prompts(ch).is_empty());

    w.emu.allow_permission(ch, SEND_MESSAGES);
    w.wait_prompts(ch, 1).await;
    w.admin(ch, "pause", json!({})).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_each_post_once(&w, ch);
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_are_retried_and_the_prompt_posts_once() {
    let mut w = World::start("server-errors", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    w.emu.fail_next("POST /channels/*/messages", 502, 2);
    let answer = w
        .admin(g.text_channel, "now", json!({"prompt": "trust-or-ease"}))
        .await;
    assert!(answer.starts_with("Posted"), "{answer}");
    assert_eq!(w.wait_prompts(g.text_channel, 1).await.len(), 1);
    assert_each_post_once(&w, g.text_channel);
    w.bot.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_channel_pauses_its_schedule_with_the_reason() {
    let mut w = World::start("deleted", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;
    w.first_prompt(ch).await;
    w.admin(ch, "resume", json!({})).await;
    w.emu.delete_channel(ch).unwrap();
    // No channel is left to run /ponder status in; the log and the requests tell.
    let deadline = tokio::time::Instant::now() + WAIT;
    while !w
        .bot
        .logs()
        .contains("channel gone; its schedules are paused")
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the schedule was not paused\n{}",
            w.bot.tail()
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(
        w.bot
            .logs()
            .contains(&format!("channel {ch} no longer exists"))
    );
    let posts_tried = |w: &World| {
        w.emu
            .requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path.contains(&format!("/channels/{ch}/messages")))
            .count()
    };
    let before = posts_tried(&w);
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    assert_eq!(
        posts_tried(&w),
        before,
        "a paused schedule tries no more posts"
    );
    w.bot.stop();
}

/// Ponder's engine and Discord adapter in this process, against the
/// emulator over loopback, with a clock the test moves (kept near the real
/// time, since Discord's snowflakes carry it): for crashes at exact steps.
mod in_process {
    use std::sync::Arc;

    use chrono::Utc;
    use discord_emulator::{Emulator, EmulatorConfig};
    use ponder::db::{Db, NewPost, PostRow};
    use ponder::domain::rotation::Draw;
    use ponder::engine::{Chat, Engine, EngineParts, ManualClock, OutgoingPrompt, Settings};
    use ponder::platform::discord::DiscordChat;
    use ponder::prompt_files::PromptSource;

    pub struct Bot {
        pub emu: Emulator,
        pub guild: discord_emulator::model::ScriptedGuild,
        pub chat: Arc<DiscordChat>,
        pub db: Db,
        pub clock: Arc<ManualClock>,
        pub settings: Settings,
        _dir: tempfile::TempDir,
    }

    impl Bot {
        pub async fn new(config: EmulatorConfig) -> Bot {
            let emu = Emulator::start(config).await.unwrap();
            let guild = emu.guild();
            let dir = tempfile::tempdir().unwrap();
            let token = dir.path().join("token");
            std::fs::write(&token, emu.token()).unwrap();
            let toml = format!(
                "[discord]\napi_base = \"{}\"\nguilds = [\"{}\"]\ntoken_file = \"{}\"\n",
                emu.base_url(),
                guild.id,
                token.display()
            );
            let config =
                ponder::config::Config::parse(&dir.path().join("config.toml"), &toml).unwrap();
            let chat = Arc::new(DiscordChat::new(&config).unwrap());
            let db = Db::open(&dir.path().join("ponder.db")).await.unwrap();
            Bot {
                emu,
                guild,
                chat,
                db,
                clock: Arc::new(ManualClock::new(Utc::now())),
                settings: Settings::default(),
                _dir: dir,
            }
        }

        /// A "process" on the database: reconciles and rebuilds its agenda.
        pub async fn boot(&self) -> Arc<Engine> {
            self.clock.set(Utc::now());
            let engine = Engine::new(EngineParts {
                db: self.db.clone(),
                chats: vec![self.chat.clone()],
                prompts: PromptSource::Embedded.load().unwrap(),
                source: PromptSource::Embedded,
                settings: self.settings.clone(),
                clock: self.clock.clone(),
                seed: Some(7),
            });
            engine.start().await.unwrap();
            engine
        }

        /// Claims a post of `prompt` in `channel`, as a bot does before it
        /// sends (and then crashes).
        pub async fn claim(&self, channel: u64, prompt: &str, key: &str) -> PostRow {
            let prompts = PromptSource::Embedded.load().unwrap();
            let p = prompts.get(prompt).unwrap().clone();
            let now = Utc::now().timestamp();
            let ch = self
                .db
                .ensure_channel("discord", &channel.to_string(), "UTC", now)
                .await
                .unwrap();
            let new = NewPost {
                channel_id: ch.id,
                platform: "discord".into(),
                schedule_id: None,
                slot_at: None,
                idempotency_key: key.into(),
                now,
            };
            self.db
                .claim_post(&new, |_| {
                    Some(Draw {
                        prompt: p,
                        new_cycle: false,
                        left: 0,
                    })
                })
                .await
                .unwrap()
                .unwrap()
                .0
        }

        /// Sends a post's prompt as the adapter does (the step before a crash).
        pub async fn send(&self, channel: u64, post: &PostRow) -> String {
            self.chat
                .post_prompt(&channel.to_string(), &outgoing(post, &post.idempotency_key))
                .await
                .unwrap()
                .message_id
        }

        pub async fn post(&self, id: i64) -> PostRow {
            self.db.post(id).await.unwrap().unwrap()
        }

        /// The bot's messages in a channel or thread.
        pub fn bot_messages(&self, channel: u64) -> Vec<discord_emulator::model::Message> {
            let bot = self.emu.bot_user_id();
            self.emu
                .messages(channel)
                .into_iter()
                .filter(|m| m.author_id == bot)
                .collect()
        }
    }

    fn outgoing(post: &PostRow, key: &str) -> OutgoingPrompt {
        OutgoingPrompt {
            idempotency_key: key.into(),
            text: post.prompt_text.clone(),
            title: post.prompt_title.clone(),
            post_id: post.id,
            ping: None,
        }
    }
}

use std::time::Duration;

use in_process::Bot;
use ponder::engine::Chat;

const PROMPT: &str = "essay-visibility/trust-or-ease";

#[tokio::test(flavor = "multi_thread")]
async fn after_the_rotation_wraps_a_crash_before_the_send_posts_the_new_slot_once() {
    let b = Bot::new(EmulatorConfig::default()).await;
    let ch = b.guild.text_channel;
    // The previous cycle posted this very prompt (same text, another key).
    let post = b.claim(ch, PROMPT, "pd-1-1764000000").await;
    let old = b.send(ch, &post).await;
    b.db.mark_sent(post.id, &old, &old, 0).await.unwrap();
    // This cycle's slot draws it again, and the bot dies before sending.
    let new = b.claim(ch, PROMPT, "pd-1-1765000000").await;

    b.boot().await;
    let messages = b.bot_messages(ch);
    assert_eq!(messages.len(), 2, "the new slot is posted: {messages:#?}");
    let new = b.post(new.id).await;
    assert_eq!(new.state, "open", "{new:?}");
    assert_ne!(
        new.message_id.as_deref(),
        Some(old.as_str()),
        "the old post's message is not taken"
    );
    assert_eq!(
        new.message_id.as_deref(),
        Some(messages[1].id.to_string().as_str())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn beyond_the_nonce_window_and_fifty_newer_messages_a_sent_prompt_is_not_posted_twice() {
    let config = EmulatorConfig {
        nonce_window: Duration::from_millis(200),
        ..EmulatorConfig::default()
    };
    let b = Bot::new(config).await;
    let ch = b.guild.text_channel;
    let post = b.claim(ch, PROMPT, "pd-2-1764000000").await;
    let sent = b.send(ch, &post).await; // ... and the bot dies before recording it
    for i in 0..60 {
        b.emu
            .send_message(ch, b.guild.member, &format!("chatter {i}"))
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(400)).await;

    b.boot().await;
    assert_eq!(b.bot_messages(ch).len(), 1, "no second post");
    let post = b.post(post.id).await;
    assert_eq!(post.state, "open", "{post:?}");
    assert_eq!(post.message_id.as_deref(), Some(sent.as_str()));
}

#[tokio::test(flavor = "multi_thread")]
async fn in_a_forum_an_archived_post_is_found_and_not_posted_twice() {
    let b = Bot::new(EmulatorConfig::default()).await;
    let forum = b.guild.forum_channel;
    let post = b.claim(forum, PROMPT, "pd-3-1764000000").await;
    let thread = b.send(forum, &post).await;
    b.chat
        .close_thread(&forum.to_string(), &thread)
        .await
        .unwrap();

    b.boot().await;
    assert_eq!(b.emu.threads(forum).len(), 1, "one forum post");
    let post = b.post(post.id).await;
    assert_eq!(
        post.message_id.as_deref(),
        Some(thread.as_str()),
        "{post:?}"
    );
    assert_eq!(post.state, "open");
}

#[tokio::test(flavor = "multi_thread")]
async fn in_a_forum_an_older_post_of_the_same_prompt_is_not_taken() {
    let b = Bot::new(EmulatorConfig::default()).await;
    let forum = b.guild.forum_channel;
    let old = b.claim(forum, PROMPT, "pd-4-1764000000").await;
    let old_thread = b.send(forum, &old).await;
    let new = b.claim(forum, PROMPT, "pd-4-1765000000").await;

    b.boot().await;
    assert_eq!(b.emu.threads(forum).len(), 2, "the new slot is posted");
    let new = b.post(new.id).await;
    assert_ne!(new.message_id.as_deref(), Some(old_thread.as_str()));
    assert_eq!(new.state, "open");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_to_a_forum_post_leaves_exactly_one_post() {
    let b = Bot::new(EmulatorConfig::default()).await;
    let forum = b.guild.forum_channel;
    let bot = b.boot().await;
    b.emu
        .lose_response_next(&format!("POST /channels/{forum}/threads"), 1);
    bot.post_now("discord", &forum.to_string(), Some(PROMPT))
        .await
        .unwrap();
    assert_eq!(b.emu.threads(forum).len(), 1, "not re-sent blindly");
    // The engine looks before it sends again, at its retry.
    b.clock.set(bot.next_wake().unwrap());
    bot.tick().await;
    assert_eq!(b.emu.threads(forum).len(), 1);
    let post = b.post(1).await;
    assert_eq!(post.state, "open", "{post:?}");
    assert_eq!(
        post.message_id.unwrap(),
        b.emu.threads(forum)[0].id.to_string()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_to_a_direct_message_leaves_exactly_one() {
    let b = Bot::new(EmulatorConfig::default()).await;
    let member = b.guild.member;
    b.emu.lose_response_next("POST /channels/*/messages", 1);
    let sent = b
        .chat
        .send_direct(&member.to_string(), "Your suggestion was approved.")
        .await;
    assert!(sent.is_err(), "the bot cannot know it arrived: {sent:?}");
    let dm = b.emu.dm_channel(member).unwrap();
    assert_eq!(b.emu.messages(dm).len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_to_a_digest_leaves_exactly_one_digest() {
    let mut b = Bot::new(EmulatorConfig::default()).await;
    b.settings.thread_open = chrono::Duration::seconds(1);
    let ch = b.guild.text_channel;
    let bot = b.boot().await;
    let post = bot
        .post_now("discord", &ch.to_string(), Some(PROMPT))
        .await
        .unwrap();
    let thread: u64 = post.thread_id.unwrap().parse().unwrap();
    b.emu
        .lose_response_next(&format!("POST /channels/{thread}/messages"), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    b.clock.set(chrono::Utc::now());
    bot.tick().await;
    let digests: Vec<_> = b
        .bot_messages(thread)
        .into_iter()
        .filter(|m| m.content.contains("is closed:"))
        .collect();
    assert_eq!(digests.len(), 1, "{digests:#?}");
    let post = b.post(post.id).await;
    assert_eq!(post.state, "closed", "{post:?}");
    assert_eq!(post.digest_state, Some(DigestState::Sent));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_prompt_message_fails_its_post_but_does_not_pause_the_channel() {
    let b = Bot::new(EmulatorConfig::default()).await;
    let ch = b.guild.text_channel;
    let post = b.claim(ch, PROMPT, "pd-5-1764000000").await;
    let sent = b.send(ch, &post).await;
    b.db.mark_sent(post.id, &sent, &sent, 0).await.unwrap();
    // A moderator deletes the prompt before its thread was opened.
    b.emu.delete_message(ch, sent.parse().unwrap()).unwrap();

    b.boot().await;
    let post = b.post(post.id).await;
    assert_eq!(post.state, "failed", "{post:?}");
    let channel = b.db.channels().await.unwrap().remove(0);
    assert!(!channel.paused, "{:?}", channel.paused_reason);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_api_base_set_a_failing_gateway_answer_is_asked_again_and_no_other_server_is_used() {
    let emu = discord_emulator::Emulator::start(EmulatorConfig::default())
        .await
        .unwrap();
    emu.fail_next("GET /gateway", 503, 1);
    emu.fail_next("GET /gateway/bot", 503, 2);
    let guild = emu.guild();
    let toml = format!(
        "thread_open = \"24h\"\n[discord]\napi_base = \"{}\"\nguilds = [\"{}\"]\n",
        emu.base_url(),
        guild.id
    );
    let mut bot = crate::ponder::Ponder::new(
        "discord-gateway-retry",
        &toml,
        &[("DISCORD_TOKEN", &emu.token())],
    );
    bot.start();
    let mut w = World { emu, guild, bot };
    w.wait_ready().await;
    let asked = w
        .emu
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/gateway"))
        .count();
    assert!(
        asked >= 4,
        "the configured server was asked again ({asked})"
    );
    w.bot.stop();
    w.bot.assert_not_logged(&[&w.emu.token()]);
}
