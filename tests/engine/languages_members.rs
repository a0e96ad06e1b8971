//! A German channel's answers from the member-facing modules: quiet days,
//! the reports (`stats`, `export`), `forget-me` and suggestions, each in
//! German and not in English; through the engine with a real SQLite file.

use ponder::platform::memory::PLATFORM;

use crate::harness::*;

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
async fn quiet_days_are_added_and_listed_in_german_and_next_says_why_in_german() {
    let w = german_world("2026-12-20T12:00:00Z").await;
    let bot = w.boot().await;
    let none = say(&bot, &admin("general"), "!ponder quiet list").await;
    assert!(none.starts_with("Hier gibt es keine Ruhetage."), "{none}");
    assert!(!none.contains("No quiet days"), "{none}");

    let added = say(
        &bot,
        &admin("general"),
        "!ponder quiet add 2026-12-24..2026-12-26 Feiertage",
    )
    .await;
    assert!(
        added.starts_with(
            "Ruhetag #1 hinzugefügt: 2026-12-24..2026-12-26 (Feiertage), Tage in Europe/Berlin. \
             Termine an diesen Tagen entfallen und werden nicht nachgeholt."
        ),
        "{added}"
    );
    assert!(
        added.ends_with("Nächster Impuls: Mo., 21. Dez. 2026, 09:00 CET (08:00 UTC)."),
        "{added}"
    );
    assert!(!added.contains("Slots on those days"), "{added}");

    let list = say(&bot, &admin("general"), "!ponder quiet list").await;
    assert_eq!(
        list,
        "Ruhetage hier (Tage in Europe/Berlin):\n#1 2026-12-24..2026-12-26: Feiertage"
    );
    let over = say(
        &bot,
        &admin("general"),
        "!ponder quiet add 2026-01-01 Neujahr",
    )
    .await;
    assert!(over.contains("ist hier schon vorbei"), "{over}");
    assert!(!over.contains("already over"), "{over}");

    w.set_time("2026-12-23T12:00:00Z");
    let next = say(&bot, &member("general"), "!ponder next").await;
    assert!(
        next.starts_with(
            "Der Termin Do., 24. Dez. 2026, 09:00 CET (08:00 UTC) entfällt: Ruhetag 2026-12-24 \
             (#1 2026-12-24..2026-12-26: Feiertage)."
        ),
        "{next}"
    );
    assert!(!next.contains("quiet day"), "{next}");
}

#[tokio::test]
async fn stats_and_export_answer_in_german() {
    let w = german_world("2026-11-24T08:00:00Z").await;
    let bot = w.boot().await;
    say(&bot, &admin("general"), "!ponder now trust-or-ease").await;
    say(
        &bot,
        &member("general"),
        "!ponder reflect Vertrauen zuerst.",
    )
    .await;
    let stats = say(&bot, &member("general"), "!ponder stats").await;
    assert!(
        stats.starts_with(
            "Die letzten 30 Tage hier: 1 Impuls, 1 Antwort von 1 Person (1,0 Antworten pro Impuls)."
        ),
        "{stats}"
    );
    assert!(stats.contains("\nAm meisten beantwortet: „"), "{stats}");
    assert!(
        stats.ends_with("Deine Serie: 1 Impuls in Folge."),
        "{stats}"
    );
    assert!(
        !stats.contains("Last 30 days") && !stats.contains("streak"),
        "{stats}"
    );

    let export = say(&bot, &admin("general"), "!ponder export json").await;
    assert_eq!(export, "1 Post exportiert.");
}

#[tokio::test]
async fn forget_me_asks_and_answers_in_german_in_a_german_channel_and_by_the_callers_locale() {
    let w = german_world("2026-11-24T08:00:00Z").await;
    let bot = w.boot().await;
    say(&bot, &admin("general"), "!ponder now trust-or-ease").await;
    say(
        &bot,
        &member("general"),
        "!ponder reflect Vertrauen zuerst.",
    )
    .await;
    say(&bot, &member("general"), "!ponder suggest Was trägt dich?").await;

    let ask = say(&bot, &member("general"), "!ponder forget-me").await;
    assert!(
        ask.starts_with("Ponder speichert 1 Antwort von dir und 1 Vorschlag auf memory."),
        "{ask}"
    );
    assert!(
        ask.contains("Zum Löschen gib `forget-me` noch einmal mit confirm ein."),
        "{ask}"
    );
    assert!(!ask.contains("Ponder keeps"), "{ask}");

    // in a direct chat Ponder does not serve, the member's own locale counts
    let dm = ponder::engine::Caller {
        locale: Some("de-DE".into()),
        ..member("dm-with-mo")
    };
    let done = say(&bot, &dm, "!ponder forget-me confirm").await;
    assert!(
        done.starts_with("Erledigt: 1 Antwort gelöscht. (1 Vorschlag"),
        "{done}"
    );
    assert!(
        done.contains("Ponder speichert jetzt nichts mehr von dir"),
        "{done}"
    );
    assert!(!done.contains("Done:"), "{done}");
}

#[tokio::test]
async fn suggestions_are_thanked_listed_decided_and_told_in_german() {
    let w = german_world("2026-11-24T08:00:00Z").await;
    let bot = w.boot().await;
    let thanks = say(
        &bot,
        &member("general"),
        "!ponder suggest uncredited Was lässt du los?",
    )
    .await;
    assert_eq!(
        thanks,
        "Danke: Vorschlag #1 wartet auf einen Admin (du wirst nicht genannt). \
         Du bekommst eine Direktnachricht, sobald er entschieden ist."
    );
    let list = bot
        .handle(
            &admin("general"),
            ponder::domain::command::Command::Suggestions,
        )
        .await;
    assert!(
        list.text
            .starts_with("1 Vorschlag wartet:\n#1 von Mo, ohne Namensnennung: Was lässt du los?\n"),
        "{}",
        list.text
    );
    assert!(!list.text.contains("waiting"), "{}", list.text);
    let labels: Vec<&str> = list.actions.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["#1 annehmen", "#1 ablehnen"]);

    let done = say(
        &bot,
        &admin("general"),
        "!ponder reject 1 Zu ähnlich wie #3",
    )
    .await;
    assert_eq!(
        done,
        "Vorschlag #1 abgelehnt. Wer ihn vorgeschlagen hat, ist benachrichtigt."
    );
    let told = w.chat.direct_messages();
    assert_eq!(
        told[0].1,
        "Dein Vorschlag #1 für general wurde nicht übernommen. Die Admins schreiben dazu: \
         Zu ähnlich wie #3\n> Was lässt du los?"
    );
    let again = say(&bot, &admin("general"), "!ponder reject 1").await;
    assert_eq!(again, "Vorschlag #1 wurde schon abgelehnt.");
    assert!(!again.contains("already"), "{again}");
}
