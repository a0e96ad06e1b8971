//! A real serenity 0.12.5 / poise 0.7.1 bot against the emulator over loopback.
//!
//! Every test ends with `Bot::finish`, which also proves that serenity parsed every
//! dispatch (no Unknown events), that every frame deserializes with serenity's models and
//! that the bot called no route the emulator does not implement.

mod support;

use std::time::{Duration, Instant};

use discord_emulator::perms::permission;
use discord_emulator::{EmulatorConfig, NewMessage, callback};
use poise::serenity_prelude as serenity;
use serde_json::json;
use serenity::{
    ChannelId, CreateForumPost, CreateMessage, CreateThread, ForumTagId, MessageId, Nonce,
};
use support::{Bot, Seen, WAIT, discord_error, emulator, raw_request};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_connects_and_its_handlers_get_ready_and_guild_create() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();
    bot.wait_for("READY", |s| (*s == Seen::Ready).then_some(()))
        .await;
    bot.wait_for("GUILD_CREATE", |s| {
        (*s == Seen::GuildCreate(guild.id)).then_some(())
    })
    .await;
    assert_eq!(emu.identify_count(), 1);
    let paths: Vec<String> = emu
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(paths.contains(&"GET /gateway".to_owned()), "{paths:?}");
    let registered: Vec<String> = emu
        .commands(Some(guild.id))
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(registered.contains(&"ping".to_owned()), "{registered:?}");

    // The REST reads a bot makes parse with serenity's models.
    let http = &bot.http;
    let gid = serenity::GuildId::new(guild.id);
    assert_eq!(
        http.get_current_user().await.unwrap().id.get(),
        emu.bot_user_id()
    );
    let member = http
        .get_member(gid, serenity::UserId::new(guild.admin))
        .await
        .unwrap();
    assert_eq!(member.roles, [serenity::RoleId::new(guild.moderator_role)]);
    let roles = http.get_guild_roles(gid).await.unwrap();
    assert_eq!(roles.len(), 3);
    let channels = http.get_channels(gid).await.unwrap();
    assert_eq!(channels.len(), 2);
    let forum = http
        .get_channel(ChannelId::new(guild.forum_channel))
        .await
        .unwrap();
    let forum = forum.guild().unwrap();
    assert_eq!(forum.available_tags.len(), 2);
    let err = http
        .get_member(gid, serenity::UserId::new(1))
        .await
        .unwrap_err();
    assert_eq!(discord_error(&err).1, 10007);
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slash_command_gets_an_ephemeral_reply_the_test_can_read() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();

    let run = emu
        .run_slash_command(guild.member, guild.text_channel, "ping", json!({}))
        .unwrap();
    let reply = run.wait_response(WAIT).await.unwrap();
    assert_eq!(reply.kind, callback::CHANNEL_MESSAGE);
    assert_eq!(reply.content(), Some("pong"));
    assert!(reply.is_ephemeral());
    assert_eq!(reply.flags(), 64);
    let original = run.original_message().expect("the response is stored");
    assert!(original.is_ephemeral());
    assert!(
        emu.messages(guild.text_channel).is_empty(),
        "ephemeral replies are not in the channel"
    );

    // Options by name: types come from the registered command.
    let run = emu
        .run_slash_command(
            guild.admin,
            guild.text_channel,
            "echo",
            json!({"text": "hi", "times": 2}),
        )
        .unwrap();
    let reply = run.wait_response(WAIT).await.unwrap();
    assert_eq!(reply.content(), Some("hi hi"));
    assert!(!reply.is_ephemeral());
    let visible = emu.messages(guild.text_channel);
    assert_eq!(visible.len(), 1);
    assert_eq!(visible[0].content, "hi hi");
    assert_eq!(visible[0].kind, 20);
    bot.wait_for_message(visible[0].id).await;

    // Subcommands and resolved user options.
    let run = emu
        .run_slash_command(
            guild.admin,
            guild.text_channel,
            "ponder next",
            json!({"user": guild.member.to_string()}),
        )
        .unwrap();
    let reply = run.wait_response(WAIT).await.unwrap();
    assert_eq!(reply.content(), Some("next, asked by member"));
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deferred_replies_modals_and_autocomplete_round_trip() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();

    // Defer, then a followup: on Discord the followup replaces the "thinking" message.
    let run = emu
        .run_slash_command(guild.admin, guild.text_channel, "slow", json!({}))
        .unwrap();
    let reply = run.wait_response(WAIT).await.unwrap();
    assert_eq!(reply.kind, callback::DEFERRED_CHANNEL_MESSAGE);
    let done = emu
        .wait_until(WAIT, |_| {
            run.original_message().filter(|m| m.content == "done")
        })
        .await
        .unwrap();
    assert_eq!(done.flags & 128, 0, "no longer loading");
    assert!(run.followups().is_empty());

    // A modal: the bot answers type 9, the member submits, the bot thanks in a followup.
    let run = emu
        .run_slash_command(guild.member, guild.text_channel, "suggest", json!({}))
        .unwrap();
    let modal = run.wait_response(WAIT).await.unwrap();
    assert!(modal.is_modal());
    assert_eq!(modal.data["title"], "Suggest a prompt");
    let (_submission, ack) = run
        .submit_modal_and_wait(&[("prompt", "What is home?")], WAIT)
        .await
        .unwrap();
    assert_eq!(ack.kind, callback::DEFERRED_UPDATE_MESSAGE);
    let thanks = emu
        .wait_until(WAIT, |_| run.followups().into_iter().next())
        .await
        .unwrap();
    assert_eq!(thanks.content, "thanks for: What is home?");

    // Autocomplete (interaction type 4, callback type 8).
    let run = emu
        .run_autocomplete(
            guild.member,
            guild.text_channel,
            "topic",
            json!({"name": "te"}),
            "name",
        )
        .unwrap();
    let choices = run.wait_response(WAIT).await.unwrap();
    assert_eq!(choices.kind, callback::AUTOCOMPLETE_RESULT);
    let names: Vec<&str> = choices.data["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["tea", "teamwork"]);
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_sent_twice_with_the_same_enforced_nonce_exists_once() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let channel = ChannelId::new(emu.guild().text_channel);
    let send = || {
        CreateMessage::new()
            .content("Today's prompt: what did you learn?")
            .nonce(Nonce::String("slot-2024-01-01".into()))
            .enforce_nonce(true)
    };
    let first = channel.send_message(&bot.http, send()).await.unwrap();
    let second = channel.send_message(&bot.http, send()).await.unwrap();
    assert_eq!(first.id, second.id);
    assert_eq!(emu.messages(channel.get()).len(), 1);
    // Without enforce_nonce Discord does not de-duplicate.
    let third = channel
        .send_message(
            &bot.http,
            CreateMessage::new()
                .content("again")
                .nonce(Nonce::String("slot-2024-01-01".into())),
        )
        .await
        .unwrap();
    assert_ne!(third.id, first.id);
    // The bot sees its own message echoed, as on Discord.
    bot.wait_for_message(first.id.get()).await;
    let posted: Vec<_> = emu
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posted[0].body["enforce_nonce"], true);
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thread_started_on_a_message_has_its_id_and_member_replies_reach_the_bot() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();
    let channel = ChannelId::new(guild.text_channel);
    let prompt = channel.say(&bot.http, "Prompt of the day").await.unwrap();
    let thread = channel
        .create_thread_from_message(
            &bot.http,
            prompt.id,
            CreateThread::new("Discussion")
                .auto_archive_duration(serenity::AutoArchiveDuration::OneDay),
        )
        .await
        .unwrap();
    assert_eq!(thread.id.get(), prompt.id.get());
    assert_eq!(thread.parent_id, Some(channel));
    bot.wait_for("THREAD_CREATE", |s| {
        (*s == Seen::ThreadCreate(thread.id.get())).then_some(())
    })
    .await;

    let again = channel
        .create_thread_from_message(&bot.http, prompt.id, CreateThread::new("Twice"))
        .await
        .unwrap_err();
    assert_eq!(
        discord_error(&again),
        (
            400,
            160004,
            "A thread has already been created for this message".into()
        )
    );

    let reply = emu
        .send_message(thread.id.get(), guild.member, "I learned patience")
        .unwrap();
    assert_eq!(reply.channel_id, thread.id.get());
    let seen = bot.wait_for_message(reply.id).await;
    assert_eq!(
        seen,
        Seen::Message {
            id: reply.id,
            channel: thread.id.get(),
            author: guild.member,
            content: "I learned patience".into()
        }
    );
    let answer = emu
        .post_message(
            thread.id.get(),
            guild.admin,
            NewMessage::text("same").reply_to(reply.id),
        )
        .unwrap();
    assert_eq!(answer.kind, 19);
    bot.wait_for_message(answer.id).await;

    // A moderator archives and locks it; the bot may no longer post there.
    emu.update_thread(thread.id.get(), Some(true), Some(true))
        .unwrap();
    bot.wait_for("THREAD_UPDATE", |s| {
        matches!(
            s,
            Seen::ThreadUpdate {
                archived: true,
                locked: true,
                ..
            }
        )
        .then_some(())
    })
    .await;
    assert!(emu.channel(thread.id.get()).unwrap().thread.unwrap().locked);
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_gateway_is_resumed_and_missed_messages_are_replayed() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();
    emu.wait_until(WAIT, |e| (e.connected_sessions() == 1).then_some(()))
        .await
        .unwrap();

    emu.drop_gateway();
    let missed = emu
        .send_message(guild.text_channel, guild.member, "while you were away")
        .unwrap();
    bot.wait_for("RESUMED", |s| (*s == Seen::Resumed).then_some(()))
        .await;
    bot.wait_for_message(missed.id).await;
    assert_eq!(emu.resume_count(), 1);
    assert_eq!(emu.identify_count(), 1, "resumed, not re-identified");
    let after = emu
        .send_message(guild.text_channel, guild.member, "welcome back")
        .unwrap();
    bot.wait_for_message(after.id).await;

    // Op 7 RECONNECT is answered the same way.
    emu.request_reconnect();
    emu.wait_until(WAIT, |e| (e.resume_count() == 2).then_some(()))
        .await
        .unwrap();
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_answer_429_with_retry_after_and_discord_headers() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let channel = ChannelId::new(emu.guild().text_channel);
    emu.rate_limit("POST /channels/*/messages", 1, 0.3);

    let err = channel.say(&bot.http, "too fast").await.unwrap_err();
    assert_eq!(discord_error(&err).0, 429);
    let path = format!("/api/v10/channels/{}/messages", channel.get());
    let auth = format!("Bot {}", emu.token());
    let (status, headers, body) =
        raw_request(&emu, "POST", &path, Some(&auth), Some(r#"{"content":"x"}"#)).await;
    assert_eq!(status, 429, "inside the window the route is still limited");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["message"], "You are being rate limited.");
    assert_eq!(body["global"], false);
    let retry_after = body["retry_after"].as_f64().unwrap();
    assert!(retry_after > 0.0 && retry_after <= 0.3, "{retry_after}");
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(header("retry-after").as_deref(), Some("1"));
    assert_eq!(header("x-ratelimit-remaining").as_deref(), Some("0"));
    assert!(header("x-ratelimit-reset-after").is_some() && header("x-ratelimit-bucket").is_some());
    assert_eq!(emu.early_retries(), 1);

    tokio::time::sleep(Duration::from_secs_f64(retry_after)).await;
    channel.say(&bot.http, "patient").await.unwrap();

    // Injected 5xx.
    emu.fail_next("POST /channels/*/messages", 502, 1);
    let err = channel.say(&bot.http, "boom").await.unwrap_err();
    assert_eq!(discord_error(&err).0, 502);
    channel.say(&bot.http, "fine again").await.unwrap();
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_permission_gives_50013_and_a_deleted_channel_10003() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();
    let channel = ChannelId::new(guild.text_channel);
    let prompt = channel.say(&bot.http, "before").await.unwrap();

    emu.deny_permission(
        guild.text_channel,
        permission::SEND_MESSAGES | permission::CREATE_PUBLIC_THREADS,
    );
    let err = channel.say(&bot.http, "denied").await.unwrap_err();
    assert_eq!(
        discord_error(&err),
        (403, 50013, "Missing Permissions".into())
    );
    let err = channel
        .create_thread_from_message(&bot.http, prompt.id, CreateThread::new("t"))
        .await
        .unwrap_err();
    assert_eq!(discord_error(&err).1, 50013);
    emu.allow_permission(guild.text_channel, permission::SEND_MESSAGES);
    channel.say(&bot.http, "allowed again").await.unwrap();

    emu.delete_channel(guild.text_channel).unwrap();
    bot.wait_for("CHANNEL_DELETE", |s| {
        (*s == Seen::ChannelDelete(guild.text_channel)).then_some(())
    })
    .await;
    let err = channel.say(&bot.http, "gone").await.unwrap_err();
    assert_eq!(discord_error(&err), (404, 10003, "Unknown Channel".into()));
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forum_post_needs_a_tag_and_its_starter_message_shares_the_thread_id() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();
    let forum = ChannelId::new(guild.forum_channel);

    let err = forum
        .create_forum_post(
            &bot.http,
            CreateForumPost::new("Untagged", CreateMessage::new().content("body")),
        )
        .await
        .unwrap_err();
    assert_eq!(
        discord_error(&err),
        (
            400,
            40067,
            "A tag is required to create a forum post in this channel".into()
        )
    );

    let post = forum
        .create_forum_post(
            &bot.http,
            CreateForumPost::new("Tagged", CreateMessage::new().content("What is courage?"))
                .add_applied_tag(ForumTagId::new(guild.forum_tags[0])),
        )
        .await
        .unwrap();
    assert_eq!(post.parent_id, Some(forum));
    assert_eq!(
        post.applied_tags,
        vec![ForumTagId::new(guild.forum_tags[0])]
    );
    let starter = emu.messages(post.id.get());
    assert_eq!(starter.len(), 1);
    assert_eq!(starter[0].id, post.id.get());
    assert_eq!(starter[0].content, "What is courage?");
    bot.wait_for_message(post.id.get()).await;
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_are_listed_newest_first_and_after_pages_forward() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();
    let ids: Vec<u64> = (0..5)
        .map(|i| {
            emu.send_message(guild.text_channel, guild.member, &format!("m{i}"))
                .unwrap()
                .id
        })
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase");
    let channel = ChannelId::new(guild.text_channel);
    let page = channel
        .messages(
            &bot.http,
            serenity::GetMessages::new()
                .after(MessageId::new(ids[0]))
                .limit(2),
        )
        .await
        .unwrap();
    let got: Vec<u64> = page.iter().map(|m| m.id.get()).collect();
    assert_eq!(got, [ids[2], ids[1]]);
    let newest = channel
        .messages(&bot.http, serenity::GetMessages::new().limit(3))
        .await
        .unwrap();
    assert_eq!(
        newest.iter().map(|m| m.id.get()).collect::<Vec<_>>(),
        [ids[4], ids[3], ids[2]]
    );
    let one = channel
        .message(&bot.http, MessageId::new(ids[3]))
        .await
        .unwrap();
    assert_eq!(one.content, "m3");
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_dispatch_parses_with_serenity_models() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();
    let channel = ChannelId::new(guild.text_channel);

    let m = emu
        .send_message(guild.text_channel, guild.member, "hello <@1> @everyone")
        .unwrap();
    emu.edit_message(guild.text_channel, m.id, "edited")
        .unwrap();
    bot.wait_for("MESSAGE_UPDATE", |s| {
        (*s == Seen::MessageUpdate(m.id)).then_some(())
    })
    .await;
    emu.delete_message(guild.text_channel, m.id).unwrap();
    bot.wait_for("MESSAGE_DELETE", |s| {
        (*s == Seen::MessageDelete(m.id)).then_some(())
    })
    .await;
    let a = emu
        .send_message(guild.text_channel, guild.member, "a")
        .unwrap();
    let b = emu
        .send_message(guild.text_channel, guild.admin, "b")
        .unwrap();
    emu.bulk_delete(guild.text_channel, &[a.id, b.id]).unwrap();
    bot.wait_for("MESSAGE_DELETE_BULK", |s| {
        matches!(s, Seen::MessageDeleteBulk(ids) if ids.len() == 2).then_some(())
    })
    .await;

    let prompt = channel.say(&bot.http, "prompt").await.unwrap();
    prompt.pin(&bot.http).await.unwrap();
    let thread = channel
        .create_thread_from_message(&bot.http, prompt.id, CreateThread::new("t"))
        .await
        .unwrap();
    thread
        .id
        .edit_thread(&bot.http, serenity::EditThread::new().archived(true))
        .await
        .unwrap();
    bot.wait_for("THREAD_UPDATE", |s| {
        matches!(s, Seen::ThreadUpdate { archived: true, .. }).then_some(())
    })
    .await;
    // A member posting in an archived (unlocked) thread unarchives it.
    emu.send_message(thread.id.get(), guild.member, "revive")
        .unwrap();
    assert!(
        !emu.channel(thread.id.get())
            .unwrap()
            .thread
            .unwrap()
            .archived
    );
    thread.id.delete(&bot.http).await.unwrap();
    bot.wait_for("THREAD_DELETE", |s| {
        (*s == Seen::ThreadDelete(thread.id.get())).then_some(())
    })
    .await;

    let run = emu
        .run_slash_command(guild.member, guild.text_channel, "ping", json!({}))
        .unwrap();
    run.wait_response(WAIT).await.unwrap();

    let names = emu.dispatch_names();
    for expected in [
        "READY",
        "GUILD_CREATE",
        "MESSAGE_CREATE",
        "MESSAGE_UPDATE",
        "MESSAGE_DELETE",
        "MESSAGE_DELETE_BULK",
        "CHANNEL_PINS_UPDATE",
        "THREAD_CREATE",
        "THREAD_UPDATE",
        "THREAD_DELETE",
        "INTERACTION_CREATE",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} was never sent: {names:?}"
        );
    }
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_message_content_intent_member_messages_arrive_blank() {
    let emu = emulator().await;
    let intents = serenity::GatewayIntents::GUILDS | serenity::GatewayIntents::GUILD_MESSAGES;
    let bot = Bot::start_with(&emu, intents, &emu.token()).await;
    let guild = emu.guild();
    emu.wait_until(WAIT, |e| (e.connected_sessions() == 1).then_some(()))
        .await
        .unwrap();
    let plain = emu
        .send_message(guild.text_channel, guild.member, "secret")
        .unwrap();
    let mention = emu
        .send_message(
            guild.text_channel,
            guild.member,
            &format!("<@{}> hi", emu.bot_user_id()),
        )
        .unwrap();
    let seen = bot.wait_for_message(plain.id).await;
    assert!(
        matches!(seen, Seen::Message { ref content, .. } if content.is_empty()),
        "{seen:?}"
    );
    let seen = bot.wait_for_message(mention.id).await;
    assert!(
        matches!(seen, Seen::Message { ref content, .. } if content.ends_with("hi")),
        "{seen:?}"
    );
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_token_is_refused_over_rest_and_the_gateway() {
    let emu = emulator().await;
    let (status, _, body) =
        raw_request(&emu, "GET", "/api/v10/users/@me", Some("Bot wrong"), None).await;
    assert_eq!(
        (status, body.as_str()),
        (401, r#"{"code":0,"message":"401: Unauthorized"}"#)
    );

    // With a bad token GET /gateway fails and serenity would fall back to discord.com, so
    // point the client at the emulator's gateway directly: IDENTIFY is refused with 4004.
    let started = Instant::now();
    let client = serenity::ClientBuilder::new_with_http(
        support::http_for(&emu, "wrong"),
        support::default_intents(),
    )
    .await
    .unwrap();
    let mut client = client;
    *client.ws_url.lock().await = emu.gateway_url();
    let result = tokio::time::timeout(WAIT, client.start())
        .await
        .expect("start returns");
    assert!(result.is_err(), "a bad token must not connect");
    assert!(started.elapsed() < WAIT);
    assert_eq!(emu.identify_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_routes_get_404_and_are_recorded() {
    let emu = emulator().await;
    let auth = format!("Bot {}", emu.token());
    let (status, _, _) =
        raw_request(&emu, "GET", "/api/v10/voice/regions", Some(&auth), None).await;
    assert_eq!(status, 404);
    let unknown = emu.unknown_routes();
    assert_eq!(unknown.len(), 1);
    assert_eq!(
        (unknown[0].method.as_str(), unknown[0].path.as_str()),
        ("GET", "/voice/regions")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_guilds_each_get_a_guild_create_on_one_connection() {
    let emu = discord_emulator::Emulator::start(EmulatorConfig {
        guilds: 300,
        ..Default::default()
    })
    .await
    .unwrap();
    let bot = Bot::start(&emu).await;
    let guilds = emu.guilds();
    assert_eq!(guilds.len(), 300);
    bot.wait_for("300 GUILD_CREATEs", |_| {
        let n = bot
            .seen()
            .iter()
            .filter(|s| matches!(s, Seen::GuildCreate(_)))
            .count();
        (n == 300).then_some(())
    })
    .await;
    assert_ne!(guilds[0].text_channel, guilds[1].text_channel);
    assert_eq!(
        emu.identify_count(),
        1,
        "the READY burst must not trip serenity's heartbeat check"
    );
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interaction_callbacks_are_answered_once_and_before_the_deadline() {
    let emu = discord_emulator::Emulator::start(EmulatorConfig {
        interaction_deadline: Some(Duration::from_millis(200)),
        ..Default::default()
    })
    .await
    .unwrap();
    let guild = emu.guild();
    let auth = format!("Bot {}", emu.token());
    let commands = format!(
        "/api/v10/applications/{}/guilds/{}/commands",
        emu.application_id(),
        guild.id
    );
    let body = r#"[{"name":"ping","description":"Ping"}]"#;
    let (status, _, _) = raw_request(&emu, "PUT", &commands, Some(&auth), Some(body)).await;
    assert_eq!(status, 200);
    let (status, _, body) = raw_request(
        &emu,
        "PUT",
        &commands,
        Some(&auth),
        Some(r#"[{"name":"Bad Name","description":"x"}]"#),
    )
    .await;
    assert_eq!(status, 400, "{body}");

    let answer = r#"{"type":4,"data":{"content":"pong"}}"#;
    let run = emu
        .run_slash_command(guild.member, guild.text_channel, "ping", json!({}))
        .unwrap();
    let callback = format!(
        "/api/v10/interactions/{}/{}/callback",
        run.id(),
        run.token()
    );
    let (status, _, _) = raw_request(&emu, "POST", &callback, None, Some(answer)).await;
    assert_eq!(status, 204);
    let (status, _, body) = raw_request(&emu, "POST", &callback, None, Some(answer)).await;
    assert_eq!((status, body.contains("40060")), (400, true));

    let late = emu
        .run_slash_command(guild.member, guild.text_channel, "ping", json!({}))
        .unwrap();
    tokio::time::sleep(Duration::from_millis(250)).await;
    let callback = format!(
        "/api/v10/interactions/{}/{}/callback",
        late.id(),
        late.token()
    );
    let (status, _, body) = raw_request(&emu, "POST", &callback, None, Some(answer)).await;
    assert_eq!((status, body.contains("10062")), (404, true), "{body}");
    assert!(late.response().is_none());

    assert!(
        emu.run_slash_command(guild.member, guild.text_channel, "nope", json!({}))
            .is_err()
    );
}
