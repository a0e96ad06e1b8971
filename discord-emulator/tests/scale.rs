//! What the benchmarks need from the emulator: mid-size guilds that serenity parses,
//! Discord's own rate limits when turned on, and reply floods that reach the bot.

mod support;

use discord_emulator::{Emulator, EmulatorConfig, GuildShape};
use poise::serenity_prelude as serenity;
use serenity::ChannelId;
use support::{Bot, Seen, discord_error, init_logs, raw_request};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mid_size_guilds_carry_dozens_of_channels_and_roles_a_page_of_members_and_emojis() {
    init_logs();
    let emu = Emulator::start(EmulatorConfig {
        guilds: 3,
        guild_shape: GuildShape::MidSize,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let bot = Bot::start(&emu).await;
    for g in emu.guilds() {
        bot.wait_for("GUILD_CREATE", |s| {
            (*s == Seen::GuildCreate(g.id)).then_some(())
        })
        .await;
    }
    let frame = emu
        .gateway_events_sent()
        .into_iter()
        .find(|f| f.event.as_deref() == Some("GUILD_CREATE"))
        .unwrap();
    let guild: serenity::Guild = serde_json::from_value(frame.data()).unwrap();
    assert_eq!(guild.channels.len(), 36);
    assert_eq!(guild.roles.len(), 24);
    assert_eq!(guild.members.len(), 100);
    assert_eq!(guild.emojis.len(), 20);
    // `finish` also checks that every frame parses with serenity's models.
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_discord_limits_on_the_sixth_message_in_a_channel_and_the_fifty_first_request_get_429()
{
    init_logs();
    let emu = Emulator::start(EmulatorConfig {
        discord_rate_limits: true,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let bot = Bot::start(&emu).await;
    let channel = ChannelId::new(emu.guild().text_channel);
    // The bot's start-up requests may share this second; wait for a fresh one.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    for i in 0..5 {
        channel
            .say(&bot.http, format!("message {i}"))
            .await
            .unwrap();
    }
    let err = channel.say(&bot.http, "sixth").await.unwrap_err();
    assert_eq!(discord_error(&err).0, 429);
    assert_eq!(emu.rate_limit_stats().route_429s, 1);

    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let auth = format!("Bot {}", emu.token());
    let mut statuses = Vec::new();
    let mut global = None;
    for _ in 0..51 {
        let (status, headers, body) =
            raw_request(&emu, "GET", "/api/v10/gateway", Some(&auth), None).await;
        if status == 429 {
            global = Some((headers, body));
        }
        statuses.push(status);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        50,
        "{statuses:?}"
    );
    let (headers, body) = global.expect("the 51st request in a second is refused");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["global"], true);
    let retry_after = body["retry_after"].as_f64().unwrap();
    assert!(retry_after > 0.0 && retry_after <= 1.0, "{retry_after}");
    assert!(
        headers
            .iter()
            .any(|(k, v)| k == "x-ratelimit-global" && v == "true")
    );
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_member_messages_reaches_the_bot_in_order_without_being_kept() {
    let emu = support::emulator().await;
    let bot = Bot::start(&emu).await;
    let g = emu.guild();
    let ids = emu
        .flood_messages(g.text_channel, &[g.member, g.admin], 50, "reply", 0)
        .unwrap();
    assert_eq!(ids.len(), 50);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    let last = *ids.last().unwrap();
    bot.wait_for_message(last).await;
    let seen = bot
        .seen()
        .iter()
        .filter(|s| matches!(s, Seen::Message { .. }))
        .count();
    assert_eq!(seen, 50);
    assert!(emu.messages(g.text_channel).is_empty());
    bot.finish().await;
}
