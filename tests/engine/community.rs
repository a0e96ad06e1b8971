//! Suggestions, anonymous reflections, pings and pins, and the permission
//! self-check, through the engine with a real SQLite file.

use ponder::domain::command::Command;
use ponder::engine::ingest::Change;
use ponder::platform::memory::PLATFORM;

use crate::harness::*;

fn ann(channel: &str) -> ponder::engine::Caller {
    ponder::engine::Caller {
        user_id: "ann".into(),
        user_name: "Ann".into(),
        ..member(channel)
    }
}

#[tokio::test]
async fn an_approved_suggestion_joins_the_rotation_credited_and_its_author_is_told() {
    let (w, bot, answer) =
        with_suggestion("What would you keep if @everyone forgot the rest?").await;
    assert!(
        answer.starts_with("Thanks: suggestion #1 is waiting for an admin (it will name you"),
        "{answer}"
    );
    let refused = say(&bot, &member("general"), "!ponder approve 1").await;
    assert_eq!(refused, "Only admins can do that here.");

    let list = bot.handle(&admin("general"), Command::Suggestions).await;
    assert!(
        list.text.contains("#1 by Mo: What would you keep"),
        "{}",
        list.text
    );
    let labels: Vec<&str> = list.actions.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["Approve #1", "Reject #1"]);

    let done = say(&bot, &admin("general"), "!ponder approve 1").await;
    assert!(done.starts_with("Suggestion #1 approved"), "{done}");
    assert!(done.ends_with("The suggester was told."), "{done}");
    let told = w.chat.direct_messages();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].0, "member");
    assert!(
        told[0]
            .1
            .starts_with("Your suggestion #1 for general was approved"),
        "{}",
        told[0].1
    );
    let again = say(&bot, &admin("general"), "!ponder approve 1").await;
    assert_eq!(again, "Suggestion #1 was approved already.");

    let posted = say(&bot, &admin("general"), "!ponder now suggestion-1").await;
    assert!(
        posted.starts_with("Posted suggestions/suggestion-1"),
        "{posted}"
    );
    let prompt = w.chat.prompts().pop().unwrap();
    assert!(
        prompt
            .text
            .starts_with("What would you keep if @\u{200b}everyone forgot the rest?"),
        "mentions in a suggestion are defused: {}",
        prompt.text
    );
    assert!(
        prompt.text.ends_with("— suggested by Mo"),
        "{}",
        prompt.text
    );
    assert_eq!(prompt.ping, None);

    // It is part of the scheduled rotation too: a full cycle posts it once.
    let pool = bot
        .pool_of(
            &bot.db()
                .find_channel(PLATFORM, "general")
                .await
                .unwrap()
                .unwrap(),
        )
        .await
        .unwrap();
    assert!(pool.iter().any(|p| p.id == "suggestion-1"));
}

#[tokio::test]
async fn a_rejection_is_told_to_the_suggester_with_the_reason_and_limits_are_clear() {
    let (w, bot, _) = with_suggestion("uncredited Is ease a kind of trust?").await;
    let done = say(
        &bot,
        &admin("general"),
        "!ponder reject 1 We asked this last week.",
    )
    .await;
    assert_eq!(done, "Suggestion #1 rejected. The suggester was told.");
    let (who, text) = w.chat.direct_messages().remove(0);
    assert_eq!(who, "member");
    assert!(
        text.starts_with("Your suggestion #1 for general was not taken. The admins said: We asked this last week."),
        "{text}"
    );
    let none = say(&bot, &admin("general"), "!ponder approve 7").await;
    assert_eq!(
        none,
        "There is no suggestion #7 here; `suggestions` lists them."
    );

    for i in 2..=4 {
        let a = say(
            &bot,
            &member("general"),
            &format!("!ponder suggest Question number {i}?"),
        )
        .await;
        assert!(a.starts_with(&format!("Thanks: suggestion #{i}")), "{a}");
    }
    let full = say(
        &bot,
        &member("general"),
        "!ponder suggest One question too many?",
    )
    .await;
    assert_eq!(
        full,
        "You have 3 suggestions waiting here already; an admin decides on those first."
    );
    for id in 2..=4 {
        say(&bot, &admin("general"), &format!("!ponder reject {id}")).await;
    }
    say(
        &bot,
        &member("general"),
        "!ponder suggest The fifth one today?",
    )
    .await;
    let daily = say(
        &bot,
        &member("general"),
        "!ponder suggest The sixth one today?",
    )
    .await;
    assert_eq!(
        daily,
        "You made 5 suggestions in the last 24 hours, the most Ponder takes; try again tomorrow."
    );
    let nowhere = say(
        &bot,
        &member("elsewhere"),
        "!ponder suggest A question for nowhere?",
    )
    .await;
    assert!(
        nowhere.starts_with("Ponder posts no prompts here"),
        "{nowhere}"
    );
}

#[tokio::test]
async fn an_anonymous_reflection_is_posted_without_its_author_and_stored_with_none() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    say(&bot, &admin("general"), "!ponder now trust-or-ease").await;
    let thread = w.chat.threads()[0].clone();
    let anon = |text: &str| format!("!ponder anon {text}");

    let off = say(&bot, &member("dm-mo"), &anon("Not yet allowed.")).await;
    assert!(
        off.starts_with("Anonymous reflections are not allowed there"),
        "{off}"
    );
    let on = say(&bot, &admin("general"), "!ponder anonymous on").await;
    assert!(
        on.starts_with("Members may now reflect anonymously here"),
        "{on}"
    );

    let public = ponder::engine::Caller {
        private: false,
        ..member("general")
    };
    let seen = say(&bot, &public, &anon("Everyone would see me.")).await;
    assert!(seen.starts_with("To answer anonymously, send"), "{seen}");

    // From a direct chat: the only open prompt the member can see.
    let ok = say(&bot, &member("dm-mo"), &anon("I trust what I cannot see.")).await;
    assert_eq!(
        ok,
        "Your anonymous reflection is in the thread of \"Trust or ease?\". Ponder keeps no record that it was you."
    );
    let posted = w.chat.bot_messages();
    let (in_thread, _, text) = posted.last().unwrap();
    assert_eq!(in_thread, &thread);
    assert_eq!(text, "An anonymous reflection:\nI trust what I cannot see.");
    assert!(!text.contains("Mo"));
    say(&bot, &member("dm-mo"), &anon("#1 A second thought.")).await;
    say(&bot, &member("dm-mo"), &anon("A third.")).await;
    let limit = say(&bot, &member("dm-mo"), &anon("A fourth.")).await;
    assert_eq!(
        limit,
        "You have given 3 anonymous reflections to this prompt, the most it takes."
    );
    w.chat.make_outsider("ann");
    let outsider = say(&bot, &ann("dm-ann"), &anon("#1 I am not in that channel.")).await;
    assert_eq!(outsider, "Prompt #1 is not open for replies.");

    // Nothing in the database or the export names the author.
    let db = w.open_db().await;
    let post = db.post(1).await.unwrap().unwrap();
    let rows = db.replies_of(post.id).await.unwrap();
    assert_eq!(rows.len(), 3);
    for r in &rows {
        assert!(r.anonymous && r.author_name == "anonymous");
        assert!(r.author_id.starts_with("anon:") && !r.author_id.contains("member"));
    }
    let archive = ponder::export::archive(&db, &Default::default())
        .await
        .unwrap();
    for format in [
        ponder::domain::command::ExportFormat::Json,
        ponder::domain::command::ExportFormat::Csv,
        ponder::domain::command::ExportFormat::Markdown,
    ] {
        let body = ponder::export::render(&archive, format).unwrap();
        assert!(body.contains("I trust what I cannot see."));
        assert!(
            !body.contains("anon:") && !body.contains("member") && !body.contains("Mo"),
            "{body}"
        );
    }

    // forget-me finds the anonymous replies by their hash, and removes the
    // messages Ponder posted for them.
    let ask = say(&bot, &member("general"), "!ponder forget-me").await;
    assert!(ask.starts_with("Ponder keeps 3 replies of yours"), "{ask}");
    let done = say(&bot, &member("general"), "!ponder forget-me confirm").await;
    assert!(
        done.starts_with(
            "Done: 3 replies deleted. (3 messages Ponder posted for you, removed from memory)"
        ),
        "{done}"
    );
    assert_eq!(w.chat.deleted().len(), 3);
    assert!(db.replies_of(post.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_digest_counts_anonymous_replies_but_quotes_them_only_where_allowed() {
    let mut w = World::new("2026-11-24T08:00:00Z");
    w.settings.thread_open = chrono::Duration::hours(1);
    let bot = w.boot().await;
    say(&bot, &admin("general"), "!ponder anonymous on").await;
    say(&bot, &admin("general"), "!ponder now trust-or-ease").await;
    let thread = w.chat.threads()[0].clone();
    say(&bot, &member("dm"), "!ponder anon A secret answer.").await;
    bot.write_reply(
        PLATFORM,
        Change::New(w.chat.write(
            &thread,
            "Ann",
            "An open answer.",
            utc("2026-11-24T08:10:00Z"),
        )),
    )
    .await
    .unwrap();
    w.set_time("2026-11-24T09:00:01Z");
    bot.tick().await;
    let digest = w
        .chat
        .bot_messages()
        .into_iter()
        .find(|(_, _, t)| t.contains("is closed:"))
        .expect("a digest")
        .2;
    assert!(
        digest.contains("is closed: 2 replies from 2 people."),
        "{digest}"
    );
    assert!(digest.contains("• Ann: \"An open answer.\""), "{digest}");
    assert!(!digest.contains("A secret answer."), "{digest}");
}

#[tokio::test]
async fn a_schedule_pings_only_when_configured_and_pins_its_newest_prompt() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    let added = say(
        &bot,
        &admin("general"),
        "!ponder schedule add 0 9 * * * UTC ping <@&77> pin",
    )
    .await;
    assert!(added.contains("(pings 77, pins its prompt)"), "{added}");
    assert!(
        added.ends_with("Permissions checked: nothing is missing."),
        "{added}"
    );
    say(&bot, &admin("quiet"), "!ponder schedule add 0 9 * * * UTC").await;
    for day in 24..27 {
        w.set_time(&format!("2026-11-{day}T09:00:00Z"));
        bot.tick().await;
    }
    let prompts = w.chat.prompts();
    let general: Vec<_> = prompts.iter().filter(|p| p.channel == "general").collect();
    let quiet: Vec<_> = prompts.iter().filter(|p| p.channel == "quiet").collect();
    assert_eq!(general.len(), 3);
    assert_eq!(quiet.len(), 3);
    assert!(general.iter().all(|p| p.ping.as_deref() == Some("77")));
    assert!(
        quiet.iter().all(|p| p.ping.is_none()),
        "no ping unless configured"
    );
    assert_eq!(
        w.chat.pinned(),
        [general[2].message_id.clone()],
        "only the newest prompt stays pinned"
    );
    let list = say(&bot, &admin("general"), "!ponder schedule list").await;
    assert!(list.contains("(pings 77, pins its prompt)"), "{list}");
}

#[tokio::test]
async fn setup_names_the_missing_permissions_and_status_keeps_showing_them() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    w.chat
        .set_missing(&["Send Messages in Threads", "Manage Threads"]);
    let answer = say(&bot, &admin("general"), "!ponder setup daily 09:00 UTC").await;
    assert!(
        answer.ends_with(
            "Ponder is missing here: Send Messages in Threads, Manage Threads. \
             Grant them to Ponder (its role, or this channel's permissions), or its posts will fail."
        ),
        "{answer}"
    );
    let status = say(&bot, &admin("general"), "!ponder status").await;
    assert!(
        status.contains("Missing permissions: Send Messages in Threads, Manage Threads."),
        "{status}"
    );
    // Fixed, and checked again at start: status says nothing more about it.
    w.chat.set_missing(&[]);
    bot.self_check().await.unwrap();
    let status = say(&bot, &admin("general"), "!ponder status").await;
    assert!(!status.contains("Missing permissions"), "{status}");
}

#[tokio::test]
async fn an_anonymous_reflection_leaves_no_row_for_the_direct_chat_it_came_from() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    say(&bot, &admin("general"), "!ponder now trust-or-ease").await;
    say(&bot, &admin("general"), "!ponder anonymous on").await;
    let ok = say(&bot, &member("dm-mo"), "!ponder anon Seen by nobody.").await;
    assert!(
        ok.starts_with("Your anonymous reflection is in the thread"),
        "{ok}"
    );
    for personal in [
        "!ponder about",
        "!ponder forget-me",
        "!ponder help",
        "!ponder stats",
    ] {
        say(&bot, &member("dm-mo"), personal).await;
    }
    let db = w.open_db().await;
    assert_eq!(
        db.find_channel(PLATFORM, "dm-mo").await.unwrap(),
        None,
        "nothing is stored about the place a reflection was sent from"
    );
    let channels: Vec<String> = db
        .channels()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.external_id)
        .collect();
    assert_eq!(channels, ["general"]);
}

#[tokio::test]
async fn a_reflection_written_in_another_channel_never_lands_under_this_channels_prompt() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    say(&bot, &admin("general"), "!ponder now trust-or-ease").await;
    say(&bot, &admin("general"), "!ponder anonymous on").await;
    say(&bot, &admin("other"), "!ponder pause").await;
    let db = w.open_db().await;
    let thread = db.post(1).await.unwrap().unwrap().thread_id.unwrap();
    let sent = w.chat.bot_messages().len();

    // Named, as a reply in another channel to this channel's prompt.
    let elsewhere = ponder::engine::Caller {
        thread: Some(thread.clone()),
        ..member("other")
    };
    let named = say(&bot, &elsewhere, "!ponder reflect From next door.").await;
    assert_eq!(named, "There is no open prompt here to answer yet.");
    // Anonymous, from a direct chat of someone who is not in the channel,
    // as a reply naming the prompt.
    w.chat.make_outsider("ann");
    let outsider = ponder::engine::Caller {
        thread: Some(thread.clone()),
        ..ann("dm-ann")
    };
    let anon = say(&bot, &outsider, "!ponder anon I am not in that channel.").await;
    assert_eq!(
        anon,
        "There is no open prompt you can answer anonymously right now."
    );
    assert_eq!(w.chat.bot_messages().len(), sent, "nothing was posted");
    assert!(db.replies_of(1).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_edit_applies_only_from_the_replys_author_in_its_own_channel() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    say(&bot, &admin("general"), "!ponder now trust-or-ease").await;
    let db = w.open_db().await;
    let thread = db.post(1).await.unwrap().unwrap().thread_id.unwrap();
    let reply = ponder::engine::IncomingReply {
        thread_id: thread,
        message_id: "reply-1".into(),
        author_id: "member".into(),
        author_name: "Mo".into(),
        text: "As written.".into(),
        at: bot.now(),
    };
    assert!(
        bot.write_reply(PLATFORM, Change::New(reply.clone()))
            .await
            .unwrap()
    );
    let edit = |channel: &str, editor: &str, text: &str| Change::EditedBy {
        channel: channel.into(),
        editor: editor.into(),
        message_id: "reply-1".into(),
        text: text.into(),
    };
    let by_other = bot
        .write_reply(PLATFORM, edit("general", "ann", "Rewritten by Ann."))
        .await
        .unwrap();
    let from_elsewhere = bot
        .write_reply(PLATFORM, edit("other", "member", "From another room."))
        .await
        .unwrap();
    assert!(!by_other && !from_elsewhere);
    let deleted_elsewhere = bot
        .write_reply(
            PLATFORM,
            Change::DeletedFrom {
                channel: "other".into(),
                message_id: "reply-1".into(),
            },
        )
        .await
        .unwrap();
    assert!(!deleted_elsewhere);
    let body = |rows: Vec<ponder::db::ReplyRow>| rows[0].body.clone();
    assert_eq!(
        body(db.replies_of(1).await.unwrap()).as_deref(),
        Some("As written.")
    );
    assert!(
        bot.write_reply(PLATFORM, edit("general", "member", "Edited by Mo."))
            .await
            .unwrap()
    );
    assert_eq!(
        body(db.replies_of(1).await.unwrap()).as_deref(),
        Some("Edited by Mo.")
    );
}
