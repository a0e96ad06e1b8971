//! A channel's language: German answers to `next`, `status` and `reflect`,
//! a German digest, the `language` command, and the member's own locale
//! where the channel sets none; through the engine with a real SQLite file.

use ponder::engine::ingest::Change;
use ponder::platform::memory::PLATFORM;

use crate::harness::*;

/// A member whose platform says their language (Discord's locale).
fn member_in(channel: &str, locale: &str) -> ponder::engine::Caller {
    ponder::engine::Caller {
        locale: Some(locale.into()),
        ..member(channel)
    }
}

/// `general`, daily at 09:00 Berlin time, speaking German.
async fn german_world(start: &str) -> World {
    let w = World::new(start);
    w.schedule("general", "0 9 * * *", "Europe/Berlin").await;
    let db = w.open_db().await;
    let ch = db.find_channel(PLATFORM, "general").await.unwrap().unwrap();
    db.set_channel_language(ch.id, Some("de")).await.unwrap();
    db.close().await;
    w
}

#[tokio::test]
async fn a_german_channel_says_next_and_status_in_german_with_german_dates() {
    let w = german_world("2026-11-30T12:00:00Z").await;
    let bot = w.boot().await;
    let next = say(&bot, &member("general"), "!ponder next").await;
    assert_eq!(
        next,
        "Nächster Impuls: Di., 1. Dez. 2026, 09:00 CET (08:00 UTC)."
    );
    let status = say(&bot, &admin("general"), "!ponder status").await;
    assert!(
        status.starts_with(
            "Kanal general auf memory: aktiv, Zeitzone Europe/Berlin.\n\
             Nächster Impuls: Di., 1. Dez. 2026, 09:00 CET (08:00 UTC).\n\
             Zeitpläne: #1 `0 9 * * *` Europe/Berlin\n\
             Rotation: noch "
        ),
        "{status}"
    );
    assert!(status.contains(" Impulsen in dieser Runde."), "{status}");
    assert!(!status.contains("Next prompt"), "{status}");
    // an English channel beside it is unchanged
    w.schedule("english", "0 9 * * *", "Europe/Berlin").await;
    let bot = w.boot().await;
    assert_eq!(
        say(&bot, &member("english"), "!ponder next").await,
        "Next prompt: Tue 2026-12-01 09:00 CET (08:00 UTC)."
    );
}

#[tokio::test]
async fn a_german_channel_answers_a_reflection_and_digests_its_thread_in_german() {
    let mut w = german_world("2026-11-24T08:00:00Z").await;
    w.settings.thread_open = chrono::Duration::hours(1);
    let bot = w.boot().await;
    say(&bot, &admin("general"), "!ponder now trust-or-ease").await;
    let thread = w.chat.threads()[0].clone();
    let answer = say(
        &bot,
        &member("general"),
        "!ponder reflect Vertrauen zuerst.",
    )
    .await;
    assert!(
        answer.starts_with("Deine Reflexion steht im Thread zu „"),
        "{answer}"
    );
    let posted = w.chat.bot_messages();
    assert!(
        posted
            .iter()
            .any(|(_, _, t)| t == "Mo denkt nach:\nVertrauen zuerst."),
        "{posted:?}"
    );
    bot.write_reply(
        PLATFORM,
        Change::New(w.chat.write(
            &thread,
            "Ann",
            "Eine offene Antwort.",
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
        .find(|(_, _, t)| t.contains("ist geschlossen:"))
        .expect("a German digest")
        .2;
    assert!(
        digest.contains("ist geschlossen: 2 Antworten von 2 Personen."),
        "{digest}"
    );
    assert!(digest.contains("• Ann: „Eine offene Antwort.“"), "{digest}");
}

#[tokio::test]
async fn language_is_for_admins_answered_privately_in_the_new_language_and_kept_across_restarts() {
    let w = World::new("2026-11-30T12:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    assert_eq!(
        say(&bot, &member("general"), "!ponder language de").await,
        "Only admins can do that here."
    );
    let unset = say(&bot, &admin("general"), "!ponder language").await;
    assert!(
        unset.starts_with("No language is set here: Ponder answers in English (`en`)"),
        "{unset}"
    );
    assert!(unset.contains("It ships en, de;"), "{unset}");
    assert_eq!(
        say(&bot, &admin("general"), "!ponder language fr").await,
        "Ponder does not speak `fr`; it ships en, de."
    );
    assert_eq!(
        say(&bot, &admin("general"), "!ponder language de-DE").await,
        "Ponder spricht hier jetzt Deutsch (`de`)."
    );
    // nothing was said in the channel
    assert!(w.chat.bot_messages().is_empty());
    assert_eq!(
        say(&bot, &member("general"), "!ponder language en").await,
        "Das dürfen hier nur Admins."
    );

    let bot = w.boot().await; // a restart
    assert_eq!(
        say(&bot, &member("general"), "!ponder next").await,
        "Nächster Impuls: Di., 1. Dez. 2026, 09:00 UTC."
    );
    let current = say(&bot, &admin("general"), "!ponder language").await;
    assert!(
        current.starts_with("Ponder spricht hier Deutsch (`de`)."),
        "{current}"
    );
    assert_eq!(
        say(&bot, &admin("general"), "!ponder language en").await,
        "Ponder now speaks English here (`en`)."
    );
}

#[tokio::test]
async fn without_a_channel_language_a_member_is_answered_in_their_own_locale() {
    let w = World::new("2026-11-30T12:00:00Z");
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    assert_eq!(
        say(&bot, &member_in("general", "de"), "!ponder next").await,
        "Nächster Impuls: Di., 1. Dez. 2026, 09:00 UTC."
    );
    // a locale Ponder does not ship: the default
    assert_eq!(
        say(&bot, &member_in("general", "fr"), "!ponder next").await,
        "Next prompt: Tue 2026-12-01 09:00 UTC."
    );
    // where Ponder serves nothing, too (no channel row is made)
    assert_eq!(
        say(&bot, &member_in("elsewhere", "de-AT"), "!ponder next").await,
        "Hier ist kein Impuls geplant."
    );
    // a channel's own language wins over the member's
    say(&bot, &admin("general"), "!ponder language en").await;
    assert_eq!(
        say(&bot, &member_in("general", "de"), "!ponder next").await,
        "Next prompt: Tue 2026-12-01 09:00 UTC."
    );
}

#[tokio::test]
async fn the_configured_default_language_speaks_where_nothing_else_is_set() {
    let mut w = World::new("2026-11-30T12:00:00Z");
    w.settings.language = ponder::i18n::Lang::De;
    w.schedule("general", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    assert_eq!(
        say(&bot, &member("general"), "!ponder next").await,
        "Nächster Impuls: Di., 1. Dez. 2026, 09:00 UTC."
    );
    let help = say(&bot, &member("general"), "!ponder help").await;
    assert!(
        help.starts_with("!ponder help                       diese Liste\n"),
        "{help}"
    );
}
