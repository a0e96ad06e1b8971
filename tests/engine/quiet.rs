//! Quiet days: a slot whose day (in the channel's zone) is quiet is recorded
//! as skipped with why, never posted, and never caught up after a restart.
//! Judged by the local day, across the turn of a year and DST changes.

use chrono::{DateTime, Duration, Utc};
use ponder::engine::Engine;

use crate::harness::*;

fn key(schedule: i64, t: DateTime<Utc>) -> String {
    format!("pd-{schedule}-{}", t.timestamp())
}

/// Ticks the bot at every `step` from `from` to `to` (both included).
async fn run(w: &World, bot: &Engine, from: &str, to: &str, step: Duration) {
    let (mut t, end) = (utc(from), utc(to));
    while t <= end {
        w.clock.set(t);
        bot.tick().await;
        t += step;
    }
}

fn sent(w: &World) -> Vec<String> {
    w.sends_per_key().into_keys().collect()
}

/// The skipped slots of a schedule, oldest first, with why.
async fn skipped(bot: &Engine, schedule: i64) -> Vec<(DateTime<Utc>, String)> {
    let mut v: Vec<_> = bot
        .db()
        .skipped_slots(schedule, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|(t, why)| (DateTime::from_timestamp(t, 0).unwrap(), why))
        .collect();
    v.reverse();
    v
}

#[tokio::test]
async fn a_range_across_the_turn_of_the_year_skips_both_local_days_and_only_them() {
    let w = World::new("2026-12-29T12:00:00Z");
    // 00:30 in Berlin is 23:30 UTC the day before: the local day decides.
    let sid = w.schedule("general", "30 0 * * *", "Europe/Berlin").await;
    let qid = w.quiet("general", "2026-12-31..2027-01-01 new year").await;
    let bot = w.boot().await;
    run(
        &w,
        &bot,
        "2026-12-29T23:30:00Z",
        "2027-01-02T23:30:00Z",
        Duration::days(1),
    )
    .await;
    // Local 12-30 and 01-02, 01-03 post; local 12-31 (23:30Z on 12-30) and 01-01 do not.
    assert_eq!(
        sent(&w),
        [
            key(sid, utc("2026-12-29T23:30:00Z")),
            key(sid, utc("2027-01-01T23:30:00Z")),
            key(sid, utc("2027-01-02T23:30:00Z")),
        ]
    );
    assert_eq!(
        skipped(&bot, sid).await,
        [
            (
                utc("2026-12-30T23:30:00Z"),
                format!("quiet day 2026-12-31 (#{qid} 2026-12-31..2027-01-01: new year)")
            ),
            (
                utc("2026-12-31T23:30:00Z"),
                format!("quiet day 2027-01-01 (#{qid} 2026-12-31..2027-01-01: new year)")
            ),
        ]
    );
}

#[tokio::test]
async fn the_spring_forward_day_in_berlin_is_quiet_for_each_of_its_23_hours() {
    let w = World::new("2027-03-27T21:30:00Z");
    let sid = w.schedule("general", "0 * * * *", "Europe/Berlin").await;
    w.quiet("general", "2027-03-28").await;
    let bot = w.boot().await;
    run(
        &w,
        &bot,
        "2027-03-27T22:00:00Z",
        "2027-03-28T22:00:00Z",
        Duration::hours(1),
    )
    .await;
    // 23:00 CET on the 27th and 00:00 CEST on the 29th post; the 23 hours between do not.
    assert_eq!(
        sent(&w),
        [
            key(sid, utc("2027-03-27T22:00:00Z")),
            key(sid, utc("2027-03-28T22:00:00Z")),
        ]
    );
    let skips = skipped(&bot, sid).await;
    assert_eq!(skips.len(), 23);
    assert_eq!(skips[0].0, utc("2027-03-27T23:00:00Z"));
    assert_eq!(skips[22].0, utc("2027-03-28T21:00:00Z"));
    assert!(
        skips
            .iter()
            .all(|(_, why)| why.starts_with("quiet day 2027-03-28"))
    );
}

#[tokio::test]
async fn a_slot_shifted_out_of_the_skipped_hour_is_judged_by_its_local_day() {
    // 02:30 does not exist on 2027-03-28 in Berlin: it fires at 03:00 CEST (01:00Z).
    let w = World::new("2027-03-26T12:00:00Z");
    let sid = w.schedule("general", "30 2 * * *", "Europe/Berlin").await;
    w.quiet("general", "2027-03-28").await;
    let bot = w.boot().await;
    for t in [
        "2027-03-27T01:30:00Z",
        "2027-03-28T01:00:00Z",
        "2027-03-29T00:30:00Z",
    ] {
        w.set_time(t);
        bot.tick().await;
    }
    assert_eq!(
        sent(&w),
        [
            key(sid, utc("2027-03-27T01:30:00Z")),
            key(sid, utc("2027-03-29T00:30:00Z")),
        ]
    );
    assert_eq!(skipped(&bot, sid).await[0].0, utc("2027-03-28T01:00:00Z"));
}

#[tokio::test]
async fn the_fall_back_day_in_berlin_is_quiet_for_each_of_its_25_hours() {
    let w = World::new("2026-10-24T20:30:00Z");
    let sid = w.schedule("general", "*/30 * * * *", "Europe/Berlin").await;
    w.quiet("general", "2026-10-25 clocks change").await;
    let bot = w.boot().await;
    run(
        &w,
        &bot,
        "2026-10-24T21:30:00Z",
        "2026-10-25T23:00:00Z",
        Duration::minutes(30),
    )
    .await;
    // 23:30 CEST on the 24th and 00:00 CET on the 26th post. The day has
    // 25 hours, but the repeated hour (02:00-02:59) fires once by
    // Ponder's DST rule: 24 hours of half-hour slots are skipped.
    assert_eq!(
        sent(&w),
        [
            key(sid, utc("2026-10-24T21:30:00Z")),
            key(sid, utc("2026-10-25T23:00:00Z")),
        ]
    );
    let skips = skipped(&bot, sid).await;
    assert_eq!(skips.len(), 48);
    assert_eq!(skips[0].0, utc("2026-10-24T22:00:00Z"));
    assert_eq!(skips[47].0, utc("2026-10-25T22:30:00Z"));
    assert!(skips[0].1.ends_with("2026-10-25: clocks change)"));
}

#[tokio::test]
async fn weekly_saturdays_and_sundays_are_quiet_for_a_daily_schedule() {
    // Monday 2026-12-07 to Monday 2026-12-14.
    let w = World::new("2026-12-07T08:00:00Z");
    let sid = w.schedule("general", "daily 09:00", "UTC").await;
    w.quiet("general", "sat,sun").await;
    let bot = w.boot().await;
    run(
        &w,
        &bot,
        "2026-12-07T09:00:00Z",
        "2026-12-14T09:00:00Z",
        Duration::days(1),
    )
    .await;
    let days: Vec<String> = w.chat.prompts().iter().map(|p| p.key.clone()).collect();
    assert_eq!(days.len(), 6, "Mon-Fri and the next Monday: {days:?}");
    assert!(!days.contains(&key(sid, utc("2026-12-12T09:00:00Z"))));
    assert!(!days.contains(&key(sid, utc("2026-12-13T09:00:00Z"))));
    let skips = skipped(&bot, sid).await;
    assert_eq!(
        skips.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
        [utc("2026-12-12T09:00:00Z"), utc("2026-12-13T09:00:00Z")]
    );
    assert!(skips[0].1.contains("weekly sat,sun"), "{}", skips[0].1);
}

#[tokio::test]
async fn a_quiet_slot_is_not_caught_up_after_a_restart() {
    let w = World::new("2026-12-24T07:00:00Z");
    let sid = w.schedule("general", "daily 09:00", "Europe/Berlin").await;
    w.quiet("general", "2026-12-24").await;
    // Up when the quiet slot comes (08:00Z), then restarted within the catch-up window.
    let bot = w.boot().await;
    w.set_time("2026-12-24T08:00:00Z");
    bot.tick().await;
    drop(bot);
    w.set_time("2026-12-24T08:30:00Z");
    let bot = w.boot().await;
    bot.tick().await;
    assert!(sent(&w).is_empty(), "{:?}", sent(&w));
    // The next day posts as usual.
    w.set_time("2026-12-25T08:00:00Z");
    bot.tick().await;
    assert_eq!(sent(&w), [key(sid, utc("2026-12-25T08:00:00Z"))]);
    assert_eq!(skipped(&bot, sid).await.len(), 1);
}

#[tokio::test]
async fn a_quiet_slot_missed_while_down_is_skipped_not_posted_late() {
    let w = World::new("2026-12-24T07:00:00Z");
    let sid = w.schedule("general", "daily 09:00", "Europe/Berlin").await;
    w.quiet("general", "2026-12-24..2026-12-26 holidays").await;
    let bot = w.boot().await;
    bot.tick().await;
    drop(bot);
    // Down over the 08:00Z slot; back 2 h later, well within the 6 h window.
    w.set_time("2026-12-24T10:00:00Z");
    let bot = w.boot().await;
    bot.tick().await;
    drop(bot);
    w.set_time("2026-12-24T11:00:00Z");
    let bot = w.boot().await;
    bot.tick().await;
    assert!(sent(&w).is_empty(), "{:?}", sent(&w));
    let skips = skipped(&bot, sid).await;
    assert_eq!(skips.len(), 1);
    assert_eq!(skips[0].0, utc("2026-12-24T08:00:00Z"));
    assert!(skips[0].1.contains("holidays"));
}

#[tokio::test]
async fn quiet_commands_add_list_and_remove_privately_and_next_names_the_skip() {
    // Wednesday 2026-12-23, 10:00 in Berlin; the channel posts daily at 09:00.
    let w = World::new("2026-12-23T09:00:00Z");
    w.schedule("general", "daily 09:00", "Europe/Berlin").await;
    let bot = w.boot().await;
    let admin = admin("general");
    let added = say(
        &bot,
        &admin,
        "!ponder quiet add 2026-12-24..2026-12-26 holidays",
    )
    .await;
    assert!(
        added.starts_with(
            "Quiet #1 added: 2026-12-24..2026-12-26 (holidays), days in Europe/Berlin."
        ),
        "{added}"
    );
    // `next` names the quiet slot and the one that posts instead.
    let next = say(&bot, &member("general"), "!ponder next").await;
    assert_eq!(
        next,
        "The slot Thu 2026-12-24 09:00 CET (08:00 UTC) is skipped: quiet day 2026-12-24 \
         (#1 2026-12-24..2026-12-26: holidays). Next prompt: Sun 2026-12-27 09:00 CET (08:00 UTC)."
    );
    let weekly = say(&bot, &admin, "!ponder quiet weekly sat,sun").await;
    assert!(
        weekly.starts_with("Quiet #2: weekly sat,sun, days in Europe/Berlin."),
        "{weekly}"
    );
    assert!(
        weekly.ends_with("Next prompt: Mon 2026-12-28 09:00 CET (08:00 UTC)."),
        "{weekly}"
    );
    assert_eq!(
        say(&bot, &admin, "!ponder quiet list").await,
        "Quiet days here (days in Europe/Berlin):\n\
         #1 2026-12-24..2026-12-26: holidays\n\
         #2 weekly sat,sun"
    );
    // Members may not change or list them.
    assert_eq!(
        say(&bot, &member("general"), "!ponder quiet add 2026-12-28").await,
        "Only admins can do that here."
    );
    // `skip` skips the next slot that would post, not a quiet one.
    let skipped = say(&bot, &admin, "!ponder skip").await;
    assert!(skipped.contains("Mon 2026-12-28 09:00"), "{skipped}");
    let off = say(&bot, &admin, "!ponder quiet weekly off").await;
    assert!(off.starts_with("Weekly quiet days removed."), "{off}");
    let removed = say(&bot, &admin, "!ponder quiet remove 1").await;
    assert!(
        removed.starts_with("Quiet #1 (2026-12-24..2026-12-26) removed."),
        "{removed}"
    );
    assert_eq!(
        say(&bot, &admin, "!ponder quiet remove 1").await,
        "There is no quiet #1 in this channel; `quiet list` shows them."
    );
    assert!(
        say(&bot, &admin, "!ponder quiet list")
            .await
            .starts_with("No quiet days here.")
    );
}

#[tokio::test]
async fn quiet_commands_refuse_what_cannot_be_kept_saying_why() {
    let w = World::new("2026-12-23T09:00:00Z");
    w.schedule("general", "daily 09:00", "Europe/Berlin").await;
    let bot = w.boot().await;
    let admin = admin("general");
    let over = say(&bot, &admin, "!ponder quiet add 2026-12-01..2026-12-22").await;
    assert_eq!(
        over,
        "2026-12-01..2026-12-22 is already over here (today is 2026-12-23 in Europe/Berlin); \
         nothing to keep quiet."
    );
    let bad = ponder::domain::command::parse("!ponder quiet add 2026-12-26..2026-12-24");
    assert!(bad.unwrap_err().to_string().contains("comes after"));
    assert_eq!(
        say(&bot, &admin, "!ponder quiet weekly off").await,
        "There are no weekly quiet days here."
    );
    assert!(
        say(&bot, &admin, "!ponder quiet list")
            .await
            .starts_with("No quiet days here.")
    );
}

#[tokio::test]
async fn the_configs_quiet_days_are_kept_in_step_beside_those_added_in_chat() {
    use ponder::platform::memory::PLATFORM;
    let w = World::new("2026-12-23T12:00:00Z");
    let config = |quiet: &str| {
        let text = format!(
            "[[channel]]\nplatform = \"{PLATFORM}\"\nid = \"general\"\ntimezone = \"Europe/Berlin\"\n\
             schedules = [\"daily 09:00\"]\nquiet = [{quiet}]\n"
        );
        ponder::config::Config::parse(std::path::Path::new("c.toml"), &text).unwrap()
    };
    let db = w.open_db().await;
    ponder::app::sync_channels(&db, &config("\"2026-12-24 holidays\", \"sat,sun\""))
        .await
        .unwrap();
    db.close().await;
    let bot = w.boot().await;
    let admin = admin("general");
    say(&bot, &admin, "!ponder quiet add 2026-12-28").await;
    assert_eq!(
        say(&bot, &admin, "!ponder quiet list").await,
        "Quiet days here (days in Europe/Berlin):\n\
         #1 2026-12-24: holidays (from the config)\n\
         #2 weekly sat,sun (from the config)\n\
         #3 2026-12-28"
    );
    // Thu 24 (config), Sat 26 and Sun 27 (weekly) and Mon 28 (chat) stay quiet.
    run(
        &w,
        &bot,
        "2026-12-24T08:00:00Z",
        "2026-12-29T08:00:00Z",
        Duration::days(1),
    )
    .await;
    let sent: Vec<String> = sent(&w);
    assert_eq!(sent.len(), 2, "{sent:?}"); // Fri 25 and Tue 29
    drop(bot);
    // The config drops the weekly rule: a restart removes it, the rest stays.
    let db = w.open_db().await;
    ponder::app::sync_channels(&db, &config("\"2026-12-24 holidays\""))
        .await
        .unwrap();
    db.close().await;
    let bot = w.boot().await;
    assert_eq!(
        say(&bot, &admin, "!ponder quiet list").await,
        "Quiet days here (days in Europe/Berlin):\n\
         #1 2026-12-24: holidays (over, from the config)\n\
         #3 2026-12-28 (over)"
    );
}

#[tokio::test]
async fn an_admin_of_another_channel_cannot_remove_or_see_its_quiet_days() {
    let w = World::new("2026-12-23T09:00:00Z");
    w.schedule("general", "daily 09:00", "Europe/Berlin").await;
    w.schedule("other", "daily 09:00", "Europe/Berlin").await;
    let bot = w.boot().await;
    let added = say(
        &bot,
        &admin("general"),
        "!ponder quiet add 2026-12-24..2026-12-26 holidays",
    )
    .await;
    assert!(added.starts_with("Quiet #1 added"), "{added}");
    // The other channel's admin names the same number: nothing happens here.
    assert_eq!(
        say(&bot, &admin("other"), "!ponder quiet remove 1").await,
        "There is no quiet #1 in this channel; `quiet list` shows them."
    );
    assert!(
        say(&bot, &admin("other"), "!ponder quiet list")
            .await
            .starts_with("No quiet days here.")
    );
    let list = say(&bot, &admin("general"), "!ponder quiet list").await;
    assert!(list.contains("2026-12-24..2026-12-26"), "{list}");
}
