//! Commands through the engine, as the console and Matrix deliver them.

use ponder::domain::command::{Command, ExportFormat, parse};
use ponder::engine::ingest::Change;
use ponder::prompt_files::PromptSource;

use crate::harness::*;

async fn run(bot: &ponder::engine::Engine, text: &str) -> String {
    say(bot, &admin("general"), text).await
}

#[tokio::test]
async fn now_posts_a_given_prompt_or_the_next_one() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    let answer = run(&bot, "!ponder now trust-or-ease").await;
    assert!(
        answer.starts_with("Posted essay-visibility/trust-or-ease"),
        "{answer}"
    );
    let answer = run(&bot, "!ponder now").await;
    assert!(answer.starts_with("Posted "), "{answer}");
    assert_eq!(w.chat.prompts().len(), 2);
    assert_eq!(w.chat.threads().len(), 2);
    let answer = run(&bot, "!ponder now no-such-prompt").await;
    assert_eq!(answer, "Could not post: no prompt called `no-such-prompt`");
}

#[tokio::test]
async fn members_are_refused_admin_commands_but_may_ask_what_is_next() {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    let refused = bot
        .handle(&member("general"), Command::Now { prompt: None })
        .await
        .text;
    assert_eq!(refused, "Only admins can do that here.");
    assert!(w.chat.prompts().is_empty());
    let next = bot.handle(&member("general"), Command::Next).await.text;
    assert!(next.contains("2026-11-24 09:00"), "{next}");
}

#[tokio::test]
async fn skip_skips_exactly_the_next_slot() {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    let answer = run(&bot, "!ponder skip").await;
    assert!(answer.contains("2026-11-24 09:00"), "{answer}");
    let next = run(&bot, "!ponder next").await;
    assert!(next.contains("2026-11-25 09:00"), "{next}");
    w.set_time("2026-11-24T09:00:00Z");
    bot.tick().await;
    assert!(w.chat.prompts().is_empty());
    w.set_time("2026-11-25T09:00:00Z");
    bot.tick().await;
    assert_eq!(w.chat.prompts().len(), 1);
}

#[tokio::test]
async fn pause_stops_posting_and_resume_does_not_catch_up() {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 * * * *", "UTC").await;
    let bot = w.boot().await;
    assert!(run(&bot, "!ponder pause").await.starts_with("Paused"));
    assert!(run(&bot, "!ponder next").await.contains("paused"));
    w.set_time("2026-11-24T09:00:00Z");
    bot.tick().await;
    w.set_time("2026-11-24T10:30:00Z");
    bot.tick().await;
    assert!(w.chat.prompts().is_empty());
    let resumed = run(&bot, "!ponder resume").await;
    assert!(resumed.contains("2026-11-24 11:00"), "{resumed}");
    bot.tick().await;
    assert!(
        w.chat.prompts().is_empty(),
        "no catch-up of slots that fell while paused"
    );
    w.set_time("2026-11-24T11:00:00Z");
    bot.tick().await;
    assert_eq!(w.chat.prompts().len(), 1);
}

#[tokio::test]
async fn schedules_can_be_added_listed_and_removed_in_chat() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    let added = run(&bot, "!ponder schedule add daily 10:00 Europe/Berlin").await;
    assert!(added.starts_with("Schedule #1 added: `daily 10:00` in Europe/Berlin. Next: Tue 2026-11-24 10:00 CET (09:00 UTC)"), "{added}");
    let list = run(&bot, "!ponder schedule list").await;
    assert!(
        list.starts_with("#1 `daily 10:00` Europe/Berlin (command) next: Tue 2026-11-24 10:00 CET"),
        "{list}"
    );
    w.set_time("2026-11-24T09:00:00Z");
    bot.tick().await;
    assert_eq!(w.chat.prompts().len(), 1);
    assert_eq!(
        run(&bot, "!ponder schedule remove 1").await,
        "Schedule #1 removed."
    );
    assert_eq!(
        run(&bot, "!ponder schedule remove 1").await,
        "There is no schedule #1 in this channel; `!ponder schedule list` shows them."
    );
    w.set_time("2026-11-25T09:00:00Z");
    bot.tick().await;
    assert_eq!(
        w.chat.prompts().len(),
        1,
        "a removed schedule posts no more"
    );
}

#[tokio::test]
async fn export_answers_with_a_file_of_a_post_a_date_range_or_the_channel() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    run(&bot, "!ponder now trust-or-ease").await;
    w.set_time("2026-11-26T08:00:00Z");
    run(&bot, "!ponder now").await;
    let export = |text: &'static str| {
        let bot = bot.clone();
        async move {
            let answer = bot
                .handle(&admin("general"), parse(text).unwrap().unwrap())
                .await;
            let (name, body) = answer.file.unwrap();
            assert!(name.ends_with(".json"));
            let posts: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
            posts
                .iter()
                .map(|p| p["post_id"].as_i64().unwrap())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(export("!ponder export json").await, [1, 2]);
    assert_eq!(export("!ponder export json post 2").await, [2]);
    assert_eq!(export("!ponder export json to 2026-11-24").await, [1]);
    assert_eq!(export("!ponder export json from 2026-11-25").await, [2]);
    assert_eq!(
        export("!ponder export json from 2026-11-27").await,
        Vec::<i64>::new()
    );
    let md = bot
        .handle(
            &admin("general"),
            Command::Export {
                format: ExportFormat::Markdown,
                post: None,
                from: None,
                to: None,
            },
        )
        .await;
    assert_eq!(md.text, "2 posts exported.");
    assert!(md.file.unwrap().1.starts_with("# Ponder archive"));
}

#[tokio::test]
async fn reload_refuses_a_broken_set_and_keeps_the_running_one() {
    let mut w = World::new("2026-11-24T08:00:00Z");
    let dir = w.dir.path().join("prompts");
    write_pack(
        &dir,
        "a.toml",
        "id = \"a\"\ntitle = \"A\"\ndescription = \"d\"\n[[prompt]]\nid = \"one\"\ntext = \"One?\"\n",
    );
    w.source = PromptSource::Dir(dir.clone());
    let bot = w.boot().await;
    write_pack(
        &dir,
        "a.toml",
        "id = \"a\"\ntitle = \"A\"\ndescription = \"d\"\n[[prompt]]\nid = \"one\"\ntext = \"\"\n",
    );
    let answer = run(&bot, "!ponder reload").await;
    assert!(
        answer.contains("Kept the running prompts")
            && answer.contains("a.toml:6: prompt[1].text: must not be empty"),
        "{answer}"
    );
    assert!(
        run(&bot, "!ponder now one")
            .await
            .starts_with("Posted a/one")
    );
    write_pack(
        &dir,
        "b.toml",
        "id = \"b\"\ntitle = \"B\"\ndescription = \"d\"\n[[prompt]]\nid = \"two\"\ntext = \"Two?\"\n",
    );
    write_pack(
        &dir,
        "a.toml",
        "id = \"a\"\ntitle = \"A\"\ndescription = \"d\"\n[[prompt]]\nid = \"one\"\ntext = \"One?\"\n",
    );
    assert_eq!(run(&bot, "!ponder reload").await, "Reloaded: 2 prompts.");
    assert!(
        run(&bot, "!ponder now two")
            .await
            .starts_with("Posted b/two")
    );
}

#[tokio::test]
async fn setup_makes_a_channel_post_on_its_schedule_in_its_time_zone() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    let answer = run(&bot, "!ponder setup weekdays 18:30 America/New_York").await;
    assert!(
        answer.starts_with("Set up: prompts post here `weekdays 18:30` (America/New_York)"),
        "{answer}"
    );
    assert!(
        answer.contains("Tue 2026-11-24 18:30 EST (23:30 UTC)"),
        "{answer}"
    );
    let again = run(&bot, "!ponder setup weekdays 18:30 America/New_York").await;
    assert!(
        again.contains("schedule #1"),
        "setting up twice keeps one schedule: {again}"
    );
    w.set_time("2026-11-24T23:30:00Z");
    bot.tick().await;
    assert_eq!(w.chat.prompts().len(), 1);
    let status = run(&bot, "!ponder status").await;
    assert!(status.contains("time zone America/New_York"), "{status}");
}

#[tokio::test]
async fn a_member_reflection_goes_into_the_open_thread_and_is_stored_as_theirs() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    let none = bot
        .handle(
            &member("general"),
            Command::Reflect {
                text: "early".into(),
                anonymous: false,
                post: None,
            },
        )
        .await
        .text;
    assert_eq!(none, "There is no open prompt here to answer yet.");
    run(&bot, "!ponder now trust-or-ease").await;
    let answer = bot
        .handle(
            &member("general"),
            parse("!ponder reflect Ease, mostly.").unwrap().unwrap(),
        )
        .await
        .text;
    assert_eq!(
        answer,
        "Your reflection is in the thread of \"Trust or ease?\"."
    );
    let sent = w.chat.bot_messages();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, w.chat.threads()[0]);
    assert_eq!(sent[0].2, "Mo reflects:\nEase, mostly.");
    let db = w.open_db().await;
    let archive = ponder::export::archive(&db, &Default::default())
        .await
        .unwrap();
    let r = &archive[0].replies[0];
    assert_eq!(
        (
            r.author_id.as_str(),
            r.author_name.as_str(),
            r.text.as_str()
        ),
        ("member", "Mo", "Ease, mostly.")
    );
}

#[tokio::test]
async fn stats_count_the_last_30_days_and_the_callers_streak() {
    let w = World::new("2026-11-24T08:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    // Four daily prompts; Mo answers the last three, Ann the first two.
    for day in 24..28 {
        w.set_time(&format!("2026-11-{day}T09:00:00Z"));
        bot.tick().await;
    }
    let threads = w.chat.threads();
    let at = utc("2026-11-27T10:00:00Z");
    let mo = |t: &str, text: &str| {
        let mut r = w.chat.write(t, "Mo", text, at);
        r.author_id = "member".into();
        r
    };
    for (i, t) in threads.iter().enumerate() {
        if i >= 1 {
            bot.write_reply(
                ponder::platform::memory::PLATFORM,
                Change::New(mo(t, "mine")),
            )
            .await
            .unwrap();
        }
        if i < 2 {
            bot.write_reply(
                ponder::platform::memory::PLATFORM,
                Change::New(w.chat.write(t, "Ann", "hers", at)),
            )
            .await
            .unwrap();
        }
    }
    let stats = bot.handle(&member("general"), Command::Stats).await.text;
    assert!(
        stats.starts_with(
            "Last 30 days here: 4 prompts, 5 replies from 2 people (1.2 replies per prompt)."
        ),
        "{stats}"
    );
    assert!(stats.contains("Most answered: "), "{stats}");
    assert!(
        stats.ends_with("Your streak: 3 prompts in a row."),
        "{stats}"
    );
    let admin_view = bot.handle(&admin("general"), Command::Stats).await.text;
    assert!(
        admin_view.ends_with("Your streak: 0 prompts in a row."),
        "{admin_view}"
    );
}

#[tokio::test]
async fn forget_me_asks_first_then_deletes_exactly_the_callers_replies_for_good() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    run(&bot, "!ponder now trust-or-ease").await;
    let thread = w.chat.threads()[0].clone();
    let at = utc("2026-11-24T08:05:00Z");
    let mut mine = w.chat.write(&thread, "Mo", "mine", at);
    mine.author_id = "member".into();
    let hers = w.chat.write(&thread, "Ann", "hers", at);
    bot.write_reply(
        ponder::platform::memory::PLATFORM,
        Change::New(mine.clone()),
    )
    .await
    .unwrap();
    bot.write_reply(
        ponder::platform::memory::PLATFORM,
        Change::New(hers.clone()),
    )
    .await
    .unwrap();

    let ask = bot
        .handle(
            &member("general"),
            parse("!ponder forget-me").unwrap().unwrap(),
        )
        .await
        .text;
    assert!(ask.starts_with("Ponder keeps 1 reply of yours"), "{ask}");
    let done = bot
        .handle(
            &member("general"),
            parse("!ponder forget-me confirm").unwrap().unwrap(),
        )
        .await
        .text;
    assert!(done.starts_with("Done: 1 reply deleted."), "{done}");

    let db = w.open_db().await;
    let archive = ponder::export::archive(&db, &Default::default())
        .await
        .unwrap();
    let left: Vec<&str> = archive[0]
        .replies
        .iter()
        .map(|r| r.author_name.as_str())
        .collect();
    assert_eq!(left, ["Ann"]);
    // A catch-up that sees the message again does not bring it back.
    assert!(
        !bot.write_reply(
            ponder::platform::memory::PLATFORM,
            Change::New(mine.clone())
        )
        .await
        .unwrap()
    );
    bot.collect_missed_replies().await.unwrap();
    let archive = ponder::export::archive(&db, &Default::default())
        .await
        .unwrap();
    assert_eq!(archive[0].replies.len(), 1);
    let about = bot.handle(&member("general"), Command::About).await.text;
    assert!(
        about.contains("What it keeps") && about.contains("Who can read it"),
        "{about}"
    );
}

#[tokio::test]
async fn setup_run_again_replaces_its_schedule_and_schedule_add_adds_one() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    let first = run(&bot, "!ponder setup daily 09:00 UTC").await;
    assert!(first.contains("schedule #1."), "{first}");
    let again = run(&bot, "!ponder setup daily 10:00 Europe/Berlin").await;
    assert!(
        again.contains("schedule #2, replacing schedule #1 `daily 09:00` (UTC)."),
        "setup says it replaced the old one: {again}"
    );
    let added = run(&bot, "!ponder schedule add daily 18:00 UTC").await;
    assert!(added.starts_with("Schedule #3 added"), "{added}");
    let list = run(&bot, "!ponder schedule list").await;
    assert!(
        !list.contains("#1 "),
        "the old setup schedule is gone: {list}"
    );
    assert!(list.contains("#2 `daily 10:00` Europe/Berlin"), "{list}");
    assert!(list.contains("#3 `daily 18:00` UTC"), "{list}");
    // The old 09:00 UTC slot no longer fires; the new one (09:00 UTC = 10:00 Berlin) does once.
    w.set_time("2026-11-24T09:00:00Z");
    bot.tick().await;
    assert_eq!(
        w.chat.prompts().len(),
        1,
        "one prompt, from the new schedule"
    );
    let again = run(&bot, "!ponder setup daily 11:00 UTC").await;
    assert!(again.contains("replacing schedule #2"), "{again}");
    let list = run(&bot, "!ponder schedule list").await;
    assert!(
        list.contains("#3 `daily 18:00` UTC"),
        "schedule add's stays: {list}"
    );
}

#[tokio::test]
async fn a_schedule_made_in_chat_may_not_fire_more_often_than_the_minimum_interval() {
    let w = World::new("2026-11-24T08:00:00Z");
    let bot = w.boot().await;
    for text in [
        "!ponder setup every 1s",
        "!ponder schedule add */5 * * * * UTC",
        "!ponder schedule add every 9m",
    ] {
        let refused = run(&bot, text).await;
        assert!(
            refused.contains("prompts here may come at most once every 10m"),
            "{text}: {refused}"
        );
    }
    let list = run(&bot, "!ponder schedule list").await;
    assert!(list.starts_with("No schedules here."), "{list}");
    let ok = run(&bot, "!ponder schedule add every 10m").await;
    assert!(ok.starts_with("Schedule #1 added"), "{ok}");
}
