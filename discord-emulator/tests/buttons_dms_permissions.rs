//! A real serenity 0.12.5 / poise 0.7.1 bot and message components (buttons, modals opened
//! from them), direct messages, and permission overwrites it can read.
//!
//! Every test ends with `Bot::finish`: serenity parsed every dispatch, every frame
//! deserializes with serenity's models and no unimplemented route was called.

mod support;

use discord_emulator::callback;
use poise::serenity_prelude as serenity;
use serde_json::json;
use serenity::{ChannelId, CreateActionRow, CreateButton, CreateMessage};
use support::{Bot, Seen, WAIT, discord_error, emulator};

fn buttons(ids: &[&str]) -> Vec<CreateActionRow> {
    vec![CreateActionRow::Buttons(
        ids.iter()
            .map(|id| CreateButton::new(*id).label(*id))
            .collect(),
    )]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_reaches_the_bots_handler_which_updates_or_later_edits_the_message() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();
    let channel = ChannelId::new(guild.text_channel);
    let posted = channel
        .send_message(
            &bot.http,
            CreateMessage::new()
                .content("Vote?")
                .components(buttons(&["vote-yes", "later"])),
        )
        .await
        .unwrap();
    assert_eq!(
        posted.components.len(),
        1,
        "serenity reads the buttons back"
    );
    let stored = emu.message(channel.get(), posted.id.get()).unwrap();
    assert_eq!(
        stored.components[0]["components"][1]["custom_id"],
        json!("later")
    );

    // UPDATE_MESSAGE (7): the clicked message is edited in place.
    let click = emu
        .click_button(guild.member, channel.get(), posted.id.get(), "vote-yes")
        .unwrap();
    assert_eq!(click.message_id(), Some(posted.id.get()));
    let answer = click.wait_response(WAIT).await.unwrap();
    assert_eq!(answer.kind, callback::UPDATE_MESSAGE);
    let updated = click.original_message().expect("the clicked message");
    assert_eq!(updated.id, posted.id.get());
    assert_eq!(updated.content, "voted yes by member");
    assert!(updated.components.is_empty());
    bot.wait_for("MESSAGE_UPDATE", |s| {
        (*s == Seen::MessageUpdate(posted.id.get())).then_some(())
    })
    .await;
    let gone = emu
        .click_button(guild.member, channel.get(), posted.id.get(), "later")
        .unwrap_err();
    assert!(gone.to_string().contains("no button"), "{gone}");

    // DEFERRED_UPDATE_MESSAGE (6), then PATCH @original edits the clicked message.
    let posted = channel
        .send_message(
            &bot.http,
            CreateMessage::new()
                .content("Decide")
                .components(buttons(&["later"])),
        )
        .await
        .unwrap();
    let click = emu
        .click_button(guild.admin, channel.get(), posted.id.get(), "later")
        .unwrap();
    let answer = click.wait_response(WAIT).await.unwrap();
    assert_eq!(answer.kind, callback::DEFERRED_UPDATE_MESSAGE);
    emu.wait_until(WAIT, |e| {
        e.message(channel.get(), posted.id.get())
            .filter(|m| m.content == "decided later")
    })
    .await
    .unwrap();
    assert_eq!(emu.messages(channel.get()).len(), 2, "no new message");
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buttons_on_ephemeral_replies_and_followups_can_be_clicked_by_whoever_sees_them() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();
    let run = emu
        .run_slash_command(guild.member, guild.text_channel, "choose", json!({}))
        .unwrap();
    run.wait_response(WAIT).await.unwrap();
    let private = run.original_message().unwrap();
    assert!(private.is_ephemeral());
    assert_eq!(private.components[0]["components"][0]["custom_id"], "reply");
    let public = emu
        .wait_until(WAIT, |_| run.followups().into_iter().next())
        .await
        .unwrap();
    assert_eq!(public.components[0]["components"][1]["custom_id"], "slow");

    // Only the member who ran the command sees the ephemeral reply, so only they can click.
    let refused = emu
        .click_button(guild.admin, guild.text_channel, private.id, "reply")
        .unwrap_err();
    assert!(refused.to_string().contains("ephemeral"), "{refused}");
    let click = emu
        .click_button(guild.member, guild.text_channel, private.id, "reply")
        .unwrap();
    let answer = click.wait_response(WAIT).await.unwrap();
    assert_eq!(answer.kind, callback::CHANNEL_MESSAGE);
    assert!(answer.is_ephemeral());
    assert_eq!(
        answer.content(),
        Some(format!("you clicked on {}", private.id).as_str())
    );

    // A deferred reply (5) to a click on the public followup, then its followup.
    let click = emu
        .click_button(guild.admin, guild.text_channel, public.id, "slow")
        .unwrap();
    let answer = click.wait_response(WAIT).await.unwrap();
    assert_eq!(answer.kind, callback::DEFERRED_CHANNEL_MESSAGE);
    let done = emu
        .wait_until(WAIT, |_| {
            click
                .original_message()
                .filter(|m| m.content == "slow done")
        })
        .await
        .unwrap();
    assert_ne!(done.id, public.id, "a new message, not the clicked one");
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_button_opens_a_modal_whose_submission_carries_its_custom_id_and_updates_the_message() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();
    let channel = ChannelId::new(guild.text_channel);
    let posted = channel
        .send_message(
            &bot.http,
            CreateMessage::new()
                .content("Got an idea?")
                .components(buttons(&["suggest"])),
        )
        .await
        .unwrap();
    let click = emu
        .click_button(guild.member, channel.get(), posted.id.get(), "suggest")
        .unwrap();
    let modal = click.wait_response(WAIT).await.unwrap();
    assert!(modal.is_modal());
    assert_eq!(modal.custom_id(), Some("suggest-modal"));
    let (submission, answer) = click
        .submit_modal_and_wait(&[("prompt", "What is rest?")], WAIT)
        .await
        .unwrap();
    assert_eq!(answer.kind, callback::UPDATE_MESSAGE);
    assert_eq!(submission.message_id(), Some(posted.id.get()));
    let updated = emu.message(channel.get(), posted.id.get()).unwrap();
    assert_eq!(
        updated.content,
        "suggested: What is rest? (from suggest-modal)"
    );
    assert!(updated.components.is_empty());
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn components_are_validated_like_discord() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let channel = ChannelId::new(emu.guild().text_channel);
    let six = ["a", "b", "c", "d", "e", "f"];
    let err = channel
        .send_message(
            &bot.http,
            CreateMessage::new().content("x").components(buttons(&six)),
        )
        .await
        .unwrap_err();
    assert_eq!(
        discord_error(&err),
        (400, 50035, "Invalid Form Body".into())
    );
    let long = "x".repeat(101);
    let err = channel
        .send_message(
            &bot.http,
            CreateMessage::new()
                .content("x")
                .components(buttons(&[&long])),
        )
        .await
        .unwrap_err();
    assert_eq!(discord_error(&err).1, 50035);
    assert!(emu.messages(channel.get()).is_empty());
    bot.finish().await;
}

// ----- direct messages -----

/// The MESSAGE_CREATE frames written for message `id`, as JSON.
fn message_creates(emu: &discord_emulator::Emulator, id: u64) -> Vec<serde_json::Value> {
    emu.gateway_events_sent()
        .iter()
        .filter(|f| f.event.as_deref() == Some("MESSAGE_CREATE"))
        .map(|f| serde_json::from_str::<serde_json::Value>(&f.raw).unwrap()["d"].clone())
        .filter(|d| d["id"] == json!(id.to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_opens_one_dm_channel_per_user_and_its_dms_reach_direct_message_sessions() {
    let emu = emulator().await;
    let intents = support::default_intents() | serenity::GatewayIntents::DIRECT_MESSAGES;
    let bot = Bot::start_with(&emu, intents, &emu.token()).await;
    emu.wait_until(WAIT, |e| (e.connected_sessions() == 1).then_some(()))
        .await
        .unwrap();
    let guild = emu.guild();
    let member = serenity::UserId::new(guild.member);

    let dm = member.create_dm_channel(&bot.http).await.unwrap();
    assert_eq!(dm.kind, serenity::ChannelType::Private);
    assert_eq!(dm.recipient.id, member);
    let again = member.create_dm_channel(&bot.http).await.unwrap();
    assert_eq!(again.id, dm.id, "the same channel for the same recipient");
    assert_eq!(emu.dm_channel(guild.member), Some(dm.id.get()));
    assert_eq!(emu.dm_channel(guild.admin), None);

    let sent = dm
        .id
        .send_message(
            &bot.http,
            CreateMessage::new().content("Your prompt is ready"),
        )
        .await
        .unwrap();
    assert_eq!(sent.guild_id, None);
    bot.wait_for_message(sent.id.get()).await;
    let echoed = message_creates(&emu, sent.id.get());
    assert_eq!(echoed.len(), 1);
    assert!(echoed[0].get("guild_id").is_none(), "{}", echoed[0]);
    let stored = emu.messages(dm.id.get());
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].content, "Your prompt is ready");

    // GET /channels/{dm} and GET /channels/{dm}/messages.
    let fetched = bot.http.get_channel(dm.id).await.unwrap();
    let fetched = fetched.private().expect("a DM channel");
    assert_eq!(fetched.last_message_id, Some(sent.id));
    let listed = dm
        .id
        .messages(&bot.http, serenity::GetMessages::new())
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, sent.id);
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dms_skip_sessions_without_the_intent_and_users_who_cannot_be_messaged_give_50007() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await; // GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT
    let guild = emu.guild();
    let dm = serenity::UserId::new(guild.member)
        .create_dm_channel(&bot.http)
        .await
        .unwrap();
    let sent = dm.id.say(&bot.http, "psst").await.unwrap();
    // Dispatches keep their order, so once the bot sees a later guild message it would
    // have seen the DM.
    let later = ChannelId::new(guild.text_channel)
        .say(&bot.http, "in the open")
        .await
        .unwrap();
    bot.wait_for_message(later.id.get()).await;
    assert!(message_creates(&emu, sent.id.get()).is_empty());
    assert!(
        !bot.seen()
            .iter()
            .any(|s| matches!(s, Seen::Message { id, .. } if *id == sent.id.get()))
    );

    // A user who refuses DMs: the channel opens, posting fails with 403 50007.
    emu.block_dms(guild.admin);
    let blocked = serenity::UserId::new(guild.admin)
        .create_dm_channel(&bot.http)
        .await
        .unwrap();
    let err = blocked.id.say(&bot.http, "hello?").await.unwrap_err();
    assert_eq!(
        discord_error(&err),
        (403, 50007, "Cannot send messages to this user".into())
    );
    assert!(emu.messages(blocked.id.get()).is_empty());
    emu.unblock_dms(guild.admin);
    blocked.id.say(&bot.http, "hello again").await.unwrap();

    // A user id that does not exist.
    let err = serenity::UserId::new(12345)
        .create_dm_channel(&bot.http)
        .await
        .unwrap_err();
    assert_eq!(discord_error(&err).1, 50007);
    bot.finish().await;
}

// ----- permissions visible over REST -----

/// Discord's documented algorithm: base permissions from @everyone and the member's roles
/// (owner and ADMINISTRATOR get everything), then the channel's @everyone overwrite, its
/// role overwrites together, and last the member's own overwrite.
fn compute_permissions(
    guild: &serenity::PartialGuild,
    member: &serenity::Member,
    channel: &serenity::GuildChannel,
) -> u64 {
    use serenity::PermissionOverwriteType::{Member, Role};
    let all = serenity::Permissions::all().bits();
    if guild.owner_id == member.user.id {
        return all;
    }
    let everyone = serenity::RoleId::new(guild.id.get());
    let mut perms = guild.roles[&everyone].permissions.bits();
    for role in &member.roles {
        perms |= guild.roles[role].permissions.bits();
    }
    if perms & serenity::Permissions::ADMINISTRATOR.bits() != 0 {
        return all;
    }
    let overwrites = &channel.permission_overwrites;
    for o in overwrites.iter().filter(|o| o.kind == Role(everyone)) {
        perms = (perms & !o.deny.bits()) | o.allow.bits();
    }
    let (mut allow, mut deny) = (0, 0);
    for o in overwrites {
        if let Role(id) = o.kind
            && member.roles.contains(&id)
        {
            allow |= o.allow.bits();
            deny |= o.deny.bits();
        }
    }
    perms = (perms & !deny) | allow;
    for o in overwrites
        .iter()
        .filter(|o| o.kind == Member(member.user.id))
    {
        perms = (perms & !o.deny.bits()) | o.allow.bits();
    }
    perms
}

/// `app_permissions` of the INTERACTION_CREATE the emulator sent for interaction `id`.
fn app_permissions(emu: &discord_emulator::Emulator, id: u64) -> u64 {
    emu.gateway_events_sent()
        .iter()
        .filter(|f| f.event.as_deref() == Some("INTERACTION_CREATE"))
        .map(|f| serde_json::from_str::<serde_json::Value>(&f.raw).unwrap()["d"].clone())
        .find(|d| d["id"] == json!(id.to_string()))
        .and_then(|d| d["app_permissions"].as_str()?.parse().ok())
        .expect("the interaction was dispatched with app_permissions")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denial_shows_as_a_bot_overwrite_so_permissions_computed_from_rest_match_app_permissions()
{
    use discord_emulator::perms::permission;
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();
    let channel = ChannelId::new(guild.text_channel);
    let prompt = channel.say(&bot.http, "prompt").await.unwrap();
    let thread = channel
        .create_thread_from_message(&bot.http, prompt.id, serenity::CreateThread::new("t"))
        .await
        .unwrap();
    let denied = permission::SEND_MESSAGES_IN_THREADS | permission::MANAGE_THREADS;
    emu.deny_permission(guild.text_channel, denied);

    let http = &bot.http;
    let gid = serenity::GuildId::new(guild.id);
    let bot_id = serenity::UserId::new(emu.bot_user_id());
    let partial = http.get_guild(gid).await.unwrap();
    let me = http.get_member(gid, bot_id).await.unwrap();
    assert_eq!(me.roles, [serenity::RoleId::new(guild.bot_role)]);
    let bot_role = &partial.roles[&serenity::RoleId::new(guild.bot_role)];
    assert!(bot_role.managed && bot_role.tags.bot_id == Some(bot_id));
    let in_channel = http.get_channel(channel).await.unwrap().guild().unwrap();
    let in_thread = http.get_channel(thread.id).await.unwrap().guild().unwrap();
    for payload in [&in_channel, &in_thread] {
        let overwrites = &payload.permission_overwrites;
        assert_eq!(overwrites.len(), 1, "{overwrites:?}");
        assert_eq!(
            overwrites[0].kind,
            serenity::PermissionOverwriteType::Member(bot_id)
        );
        assert_eq!(overwrites[0].deny.bits(), denied);
        assert!(overwrites[0].allow.is_empty());
    }

    for (place, payload) in [(channel.get(), &in_channel), (thread.id.get(), &in_thread)] {
        let run = emu
            .run_slash_command(guild.member, place, "ping", json!({}))
            .unwrap();
        run.wait_response(WAIT).await.unwrap();
        let app = app_permissions(&emu, run.id());
        assert_eq!(app & denied, 0, "the denial applies in {place}");
        assert_ne!(app & permission::SEND_MESSAGES, 0);
        assert_eq!(compute_permissions(&partial, &me, payload), app);
        // Discord computes a thread's permissions from its parent channel's overwrites.
        assert_eq!(compute_permissions(&partial, &me, &in_channel), app);
        assert_eq!(partial.user_permissions_in(payload, &me).bits(), app);
    }

    // The change was announced, and undoing it empties the overwrites again.
    let updates = |n: usize| {
        move |e: &discord_emulator::Emulator| {
            (e.dispatch_count("CHANNEL_UPDATE") == n).then_some(())
        }
    };
    emu.wait_until(WAIT, updates(1)).await.unwrap();
    emu.allow_permission(guild.text_channel, denied);
    let in_channel = http.get_channel(channel).await.unwrap().guild().unwrap();
    assert!(in_channel.permission_overwrites.is_empty());
    emu.wait_until(WAIT, updates(2)).await.unwrap();
    bot.finish().await;
}

// ----- role mentions -----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_added_role_reaches_the_bot_and_is_mentioned_only_as_allowed_mentions_permit() {
    let emu = emulator().await;
    let bot = Bot::start(&emu).await;
    let guild = emu.guild();
    let readers = emu.add_role(guild.id, "Readers", true);
    let staff = emu.add_role(guild.id, "Staff", false);
    emu.wait_until(WAIT, |e| {
        (e.dispatch_count("GUILD_ROLE_CREATE") == 2).then_some(())
    })
    .await
    .unwrap();
    let roles = bot
        .http
        .get_guild_roles(serenity::GuildId::new(guild.id))
        .await
        .unwrap();
    let readers_role = roles.iter().find(|r| r.id.get() == readers).unwrap();
    assert!(readers_role.mentionable && readers_role.permissions.is_empty());

    let channel = ChannelId::new(guild.text_channel);
    let content = format!("<@&{readers}> <@&{staff}>");
    // No allowed_mentions: everything parses; the bot has MENTION_EVERYONE, so even the
    // unmentionable role is pinged.
    let all = channel.say(&bot.http, &content).await.unwrap();
    let ids = |m: &serenity::Message| m.mention_roles.iter().map(|r| r.get()).collect::<Vec<_>>();
    assert_eq!(ids(&all), [readers, staff]);
    let only_staff = channel
        .send_message(
            &bot.http,
            CreateMessage::new().content(&content).allowed_mentions(
                serenity::CreateAllowedMentions::new().roles([serenity::RoleId::new(staff)]),
            ),
        )
        .await
        .unwrap();
    assert_eq!(ids(&only_staff), [staff]);
    let stored = emu.message(channel.get(), only_staff.id.get()).unwrap();
    assert_eq!(stored.mention_roles, [staff]);

    // A member without MENTION_EVERYONE pings only the mentionable role.
    let by_member = emu
        .send_message(guild.text_channel, guild.member, &content)
        .unwrap();
    assert_eq!(by_member.mention_roles, [readers]);
    bot.finish().await;
}
