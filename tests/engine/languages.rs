//! A channel's language: German answers to `next`, `status` and `reflect`,
//! a German digest, the `language` command, the member's own locale where
//! the channel sets none, and German answers from the pack, curation and
//! archive commands; through the engine with a real SQLite file.

use ponder::domain::command::{ArchiveNames, Attached, Command, parse};
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

#[tokio::test]
async fn a_german_channel_lists_and_chooses_its_packs_in_german() {
    let w = german_world("2026-11-30T12:00:00Z").await;
    let bot = w.boot().await;
    let list = say(&bot, &admin("general"), "!ponder prompts list").await;
    assert!(
        list.starts_with(
            "Dieser Kanal zieht aus 2 Paketen mit 20 Impulsen; \
             in dieser Runde der Rotation wurden 0 davon gepostet.\n"
        ),
        "{list}"
    );
    // the packs' German titles, as the channel draws them in German
    assert!(
        list.contains(
            "\n- essay-visibility, „Sichtbar und unsichtbar“: 10 Impulse, 0 in dieser Runde gepostet\n"
        ),
        "{list}"
    );
    assert!(
        list.ends_with("Nenn ein Paket, um seine Impulse zu sehen."),
        "{list}"
    );
    assert!(!list.contains("This channel draws from"), "{list}");

    say(&bot, &admin("general"), "!ponder now trust-or-ease").await;
    let pack = say(
        &bot,
        &admin("general"),
        "!ponder prompts list essay-visibility",
    )
    .await;
    assert!(
        pack.starts_with("essay-visibility, „Sichtbar und unsichtbar“: 10 Impulse.\n"),
        "{pack}"
    );
    assert!(
        pack.contains(
            "\n- trust-or-ease: Vertrauen oder Bequemlichkeit? (in dieser Runde gepostet)\n"
        ),
        "{pack}"
    );
    assert!(!pack.contains("posted this cycle"), "{pack}");
    assert_eq!(
        say(&bot, &admin("general"), "!ponder prompts list nope").await,
        "Dieser Kanal zieht aus keinem Paket `nope`. Seine Pakete: essay-progress, essay-visibility."
    );

    assert_eq!(
        say(&bot, &admin("general"), "!ponder packs use essay-progress").await,
        "Dieser Kanal zieht jetzt aus essay-progress: 10 Impulse."
    );
    assert_eq!(
        say(&bot, &admin("general"), "!ponder packs use all").await,
        "Dieser Kanal zieht jetzt aus allen Paketen: 20 Impulse."
    );
    let unknown = say(&bot, &admin("general"), "!ponder packs use nope").await;
    assert!(
        unknown.starts_with("Hier gibt es kein Paket `nope`. Die Pakete: "),
        "{unknown}"
    );
    assert!(!unknown.contains("No pack"), "{unknown}");
}

/// A pack file with a problem of the loader's in each of its parts: the
/// pack's fields, an unknown key, a prompt's number and a prompt's id.
const BROKEN_PACK: &str = "id = \"ours\"\ntitle = \"\"\ndescription = \"Eigene Fragen.\"\nfarbe = \"blau\"\n\n\
                           [[prompt]]\nid = \"Ours A\"\ntext = \"Was wächst hier?\"\nweight = 0\n";

#[tokio::test]
async fn a_german_channel_reads_the_problems_of_a_broken_pack_in_german_with_file_line_and_field_as_written()
 {
    let w = german_world("2026-11-30T12:00:00Z").await;
    w.schedule("english", "0 9 * * *", "Europe/Berlin").await;
    let bot = w.boot().await;
    let import = |name: &str, text: String| Command::PackImport {
        file: Attached::File {
            name: name.into(),
            bytes: text.into_bytes(),
        },
    };
    let german = bot
        .handle(&admin("general"), import("broken.toml", BROKEN_PACK.into()))
        .await;
    assert_eq!(
        german.text,
        "4 Probleme in `broken.toml`; es wurde nichts importiert:\n\
         - broken.toml:2: title: darf nicht leer sein\n\
         - broken.toml:4: farbe: unbekanntes Feld `farbe` (erlaubt sind: id, title, description, \
         source, lang, translation_of, prompt)\n\
         - broken.toml:9: prompt[1].weight: 0 liegt außerhalb des erlaubten Bereichs (ein Gewicht \
         ist > 0 und <= 1000)\n\
         - broken.toml:6: prompt[1].id: `Ours A` ist keine gültige ID (erlaubt sind 1-64 Zeichen \
         aus a-z, 0-9, '-', '_')"
    );
    // an English channel beside it reads the same lines in English
    let english = bot
        .handle(&admin("english"), import("broken.toml", BROKEN_PACK.into()))
        .await;
    assert_eq!(
        english.text,
        "4 problems in `broken.toml`; nothing was imported:\n\
         - broken.toml:2: title: must not be empty\n\
         - broken.toml:4: farbe: unknown field `farbe` (expected one of: id, title, description, \
         source, lang, translation_of, prompt)\n\
         - broken.toml:9: prompt[1].weight: 0 is out of range (a weight is > 0 and <= 1000)\n\
         - broken.toml:6: prompt[1].id: `Ours A` is not a valid id (use 1-64 of a-z, 0-9, '-', '_')"
    );
    // TOML that does not parse: the parser's own words stay as they came
    let syntax = bot
        .handle(&admin("general"), import("syntax.toml", "id = \n".into()))
        .await
        .text;
    assert!(
        syntax.contains("\n- syntax.toml:1: TOML-Syntaxfehler: "),
        "{syntax}"
    );
    // more problems than the answer lists: the attached file is German too
    let many: String = (1..=16)
        .map(|i| format!("\n[[prompt]]\nid = \"p{i}\"\n"))
        .collect();
    let header = "id = \"ours\"\ntitle = \"Unsere\"\ndescription = \"Eigene.\"\n";
    let answer = bot
        .handle(
            &admin("general"),
            import("many.toml", format!("{header}{many}")),
        )
        .await;
    let (name, all) = answer.file.clone().expect("the problems as a file");
    assert_eq!(name, "many.toml.problems.txt");
    assert_eq!(all.lines().count(), 16, "{all}");
    assert!(
        all.lines()
            .all(|l| l.starts_with("many.toml:") && l.ends_with(".text: fehlt (Pflichtfeld)")),
        "{all}"
    );
    assert!(
        all.contains("many.toml:5: prompt[1].text: fehlt (Pflichtfeld)\n"),
        "{all}"
    );
    assert!(
        answer
            .text
            .contains("… und 1 weitere, alle in der angehängten Datei."),
        "{answer:?}"
    );
}

#[tokio::test]
async fn a_german_channel_imports_and_curates_its_prompts_in_german() {
    let w = german_world("2026-11-30T12:00:00Z").await;
    let bot = w.boot().await;
    let pack = "id = \"ours\"\ntitle = \"Unsere Fragen\"\ndescription = \"Eigene Fragen.\"\nlang = \"de\"\n\n\
                [[prompt]]\nid = \"ours-garden\"\ntext = \"Was wächst in deinem Garten, das niemand gepflanzt hat?\"\n";
    let import = |name: &str, text: &str| Command::PackImport {
        file: Attached::File {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        },
    };
    let imported = bot
        .handle(&admin("general"), import("ours.toml", pack))
        .await
        .text;
    assert_eq!(
        imported,
        "Paket `ours` („Unsere Fragen“) importiert: 1 Impuls. \
         Es steht nur in diesem Raum zur Verfügung. Dieser Kanal zieht daraus."
    );
    let broken = bot
        .handle(
            &admin("general"),
            import("theirs.toml", "id = \"essay-progress\"\ntitle = \"x\"\n"),
        )
        .await
        .text;
    assert!(
        broken.contains("in `theirs.toml`; es wurde nichts importiert:\n"),
        "{broken}"
    );
    assert!(
        broken.contains("`essay-progress` ist die ID eines Pakets, das Ponder mitbringt"),
        "{broken}"
    );
    assert!(!broken.contains("nothing was imported"), "{broken}");

    let disabled = say(
        &bot,
        &admin("general"),
        "!ponder prompts disable trust-or-ease",
    )
    .await;
    assert_eq!(
        disabled,
        "essay-visibility/trust-or-ease ist in diesem Raum deaktiviert: Er wird nicht mehr \
         gezogen, bis `prompts enable trust-or-ease` ihn zurückholt. Dieser Kanal zieht jetzt \
         aus 20 Impulsen."
    );
    let shown = say(
        &bot,
        &admin("general"),
        "!ponder prompts show trust-or-ease",
    )
    .await;
    assert!(
        shown.starts_with("essay-visibility/trust-or-ease: Vertrauen oder Bequemlichkeit?\n"),
        "{shown}"
    );
    assert!(
        shown.contains("\nQuelle: „Visibility builds trust. Invisibility creates ease.“\n"),
        "{shown}"
    );
    assert!(
        shown.ends_with("Hier deaktiviert: wird nie gezogen (`prompts enable` holt ihn zurück)."),
        "{shown}"
    );
    assert!(
        !shown.contains("Source:") && !shown.contains("Disabled"),
        "{shown}"
    );
    assert_eq!(
        say(
            &bot,
            &admin("general"),
            "!ponder prompts enable trust-or-ease"
        )
        .await,
        "essay-visibility/trust-or-ease ist in diesem Raum wieder aktiviert: Er kann wieder \
         gezogen werden."
    );
    assert_eq!(
        say(
            &bot,
            &admin("general"),
            "!ponder prompts remove-pack essay-progress"
        )
        .await,
        "`essay-progress` gehört zu den Paketen, die Ponder mitbringt: Seine Datei verwaltet, \
         wer Ponder betreibt. Damit hier nicht mehr daraus gezogen wird: `packs use` mit den \
         Paketen, die du willst."
    );
    assert_eq!(
        say(&bot, &admin("general"), "!ponder prompts remove-pack ours").await,
        "Paket `ours` (1 Impuls) entfernt. Schon gepostete Impulse daraus bleiben im Archiv."
    );

    let draft = |pack: &str| Command::PackDraft {
        file: Attached::File {
            name: "notizen.md".into(),
            bytes: "Why do we keep tools we never open? Nobody knows.\n".into(),
        },
        pack: pack.into(),
        title: None,
    };
    let drafted = bot.handle(&admin("general"), draft("mine")).await;
    assert!(
        drafted
            .text
            .starts_with("Paket `mine` aus `notizen.md` entworfen: 1 Frage wie geschrieben und "),
        "{}",
        drafted.text
    );
    assert!(drafted.file.is_some());
    assert_eq!(
        bot.handle(&admin("general"), draft("Mine!")).await.text,
        "`Mine!` ist keine gültige Paket-ID (erlaubt sind 1–64 Zeichen aus a-z, 0-9, '-', '_')."
    );
}

#[tokio::test]
async fn a_german_channel_archives_in_german_and_posts_in_its_own_language() {
    let w = german_world("2026-11-30T12:00:00Z").await;
    w.schedule("english", "0 9 * * *", "UTC").await;
    let bot = w.boot().await;
    assert_eq!(
        say(&bot, &admin("general"), "!ponder archive").await,
        "Hier gab es noch keine Impulse: Es gibt nichts zu archivieren."
    );
    say(&bot, &admin("general"), "!ponder now").await;
    let answer = bot
        .handle(
            &admin("general"),
            parse("!ponder archive").unwrap().unwrap(),
        )
        .await;
    assert_eq!(
        answer.text,
        "Das Archiv von hier: 1 Impuls, zum Öffnen im Browser."
    );
    // the page itself is German, with German dates
    let (name, page) = answer.file.expect("the page");
    assert_eq!(name, format!("ponder-{PLATFORM}-1.html"));
    for want in [
        "<html lang=\"de\">",
        "<title>Ponder-Archiv: memory general</title>",
        "<nav aria-label=\"Auf dieser Seite\">",
        "<h4>Keine Antworten</h4>",
        "Alle Zeiten in Europe/Berlin.",
        "Gepostet am <time datetime=",
        "am 30. Nov. 2026.",
    ] {
        assert!(page.contains(want), "{want:?} not in:\n{page}");
    }
    assert!(!page.contains("No replies") && !page.contains("The prompts"));
    assert_eq!(
        say(
            &bot,
            &admin("general"),
            "!ponder archive from 2026-12-02 to 2026-12-01"
        )
        .await,
        "`from 2026-12-02` liegt nach `to 2026-12-01`: Dazwischen ist nichts."
    );

    // posted for everyone: in the channel's language; the answer: in the
    // member's (an English channel, an admin whose Discord speaks German)
    let posted = say(&bot, &admin("english"), "!ponder now").await;
    assert!(posted.starts_with("Posted "), "{posted}");
    let public = Command::Archive {
        from: None,
        to: None,
        names: ArchiveNames::Hidden,
        public: true,
    };
    let german_admin = ponder::engine::Caller {
        locale: Some("de".into()),
        ..admin("english")
    };
    let answer = bot.handle(&german_admin, public.clone()).await;
    assert_eq!(answer.text, "Das Archiv ist im Kanal gepostet.");
    let answer = bot.handle(&admin("general"), public).await;
    assert_eq!(answer.text, "Das Archiv ist im Kanal gepostet.");
    let posted: Vec<_> = w
        .chat
        .files()
        .into_iter()
        .map(|f| (f.place, f.text))
        .collect();
    assert_eq!(
        posted,
        [
            (
                "english".to_string(),
                "The archive of this channel: 1 prompt, to open in a browser.".to_string()
            ),
            (
                "general".to_string(),
                "Das Archiv dieses Kanals: 1 Impuls, zum Öffnen im Browser.".to_string()
            ),
        ]
    );
    // and each page in its channel's language, whoever asked for it
    let pages: Vec<(String, bool)> = w
        .chat
        .files()
        .into_iter()
        .map(|f| {
            let body = String::from_utf8(f.body).unwrap();
            (f.place, body.contains("<html lang=\"de\">"))
        })
        .collect();
    assert_eq!(
        pages,
        [
            ("english".to_string(), false),
            ("general".to_string(), true)
        ]
    );
}

#[tokio::test]
async fn a_german_channel_answers_malformed_commands_in_german_and_an_english_one_as_before() {
    let w = german_world("2026-11-24T08:00:00Z").await;
    w.schedule("english", "0 9 * * *", "Europe/Berlin").await;
    let bot = w.boot().await;
    let long = format!("!ponder reflect {}", "x".repeat(1801));
    let cases = [
        (
            "!ponder now a b",
            "Aufruf: !ponder now [prompt-id]",
            "usage: !ponder now [prompt-id]",
        ),
        (
            "!ponder frobnicate",
            "Den Befehl `frobnicate` gibt es nicht; `!ponder help` zeigt alle Befehle.",
            "unknown command `frobnicate`; `!ponder help` lists the commands",
        ),
        (
            "!ponder quiet remove x",
            "Aufruf: !ponder quiet remove ID (eine Nummer aus `quiet list`)",
            "usage: !ponder quiet remove ID (a number from `quiet list`)",
        ),
        (
            long.as_str(),
            "Eine Reflexion darf höchstens 1800 Zeichen lang sein; deine hat 1801.",
            "a reflection holds at most 1800 characters; this one has 1801",
        ),
        (
            "!ponder quiet add 2026-12-26..2026-12-24",
            "2026-12-26 liegt nach 2026-12-24: Schreib den früheren Tag zuerst, also 2026-12-24..2026-12-26.",
            "2026-12-26 comes after 2026-12-24: write the earlier day first, like 2026-12-24..2026-12-26",
        ),
        (
            "!ponder quiet weekly someday",
            "`someday` ist keine Liste von Wochentagen; schreib sie wie `sat,sun` oder `fri-sun`.",
            "`someday` is not a list of days of the week; write them like `sat,sun` or `fri-sun`",
        ),
        (
            "!ponder schedule add daily 9am",
            "Ungültiger Zeitplan `daily 9am`: `9am` ist keine Uhrzeit; schreib sie als HH:MM, z. B. 09:00",
            "bad schedule `daily 9am`: `9am` is not a time of day; write it as HH:MM, for example 09:00",
        ),
        (
            "!ponder schedule add 0 24 * * *",
            "Ungültiger Cron-Ausdruck `0 24 * * *`: Der Wert im Feld „Stunde“ muss zwischen 0 und 23 liegen, nicht 24",
            "bad cron expression `0 24 * * *`: hour must be 0–23, not 24",
        ),
        (
            "!ponder setup daily 09:00 Mars/Olympus",
            "Unbekannte Zeitzone `Mars/Olympus` (nimm einen IANA-Namen wie Europe/Berlin oder America/New_York)",
            "unknown time zone `Mars/Olympus` (use an IANA name such as Europe/Berlin or America/New_York)",
        ),
        (
            "!ponder schedule add daily 09:00 ping",
            "Nach `ping` fehlt, wer gepingt werden soll: auf Discord eine Rolle, auf Matrix Nutzer-IDs.",
            "`ping` needs whom to ping: a role on Discord, user ids on Matrix",
        ),
    ];
    for (line, german, english) in cases {
        assert_eq!(answer_line(&bot, &admin("general"), line).await, german);
        assert_eq!(answer_line(&bot, &admin("english"), line).await, english);
    }
    // where the channel sets no language, the member's own locale speaks
    assert_eq!(
        answer_line(&bot, &member_in("english", "de-DE"), "!ponder now a b").await,
        "Aufruf: !ponder now [prompt-id]"
    );
    assert_eq!(
        answer_line(&bot, &member_in("nowhere", "de"), "!ponder suggest short").await,
        "Ein Vorschlag braucht mindestens 10 Zeichen: Schreib die Frage so, wie die Mitglieder sie lesen sollen."
    );
}

#[tokio::test]
async fn a_german_channel_hears_why_a_file_could_not_be_taken_in_german() {
    use ponder::domain::command::{FileKind, FileProblem, ReadFailure};
    let w = german_world("2026-11-24T08:00:00Z").await;
    w.schedule("english", "0 9 * * *", "Europe/Berlin").await;
    let bot = w.boot().await;
    let import = |why: FileProblem| Command::PackImport {
        file: Attached::Unusable(why),
    };
    let cases = [
        (
            FileProblem::CannotRead {
                path: "/nicht/da.toml".into(),
                why: ReadFailure::NotFound,
            },
            "/nicht/da.toml lässt sich nicht lesen: Diese Datei gibt es nicht.",
            "Cannot read /nicht/da.toml: there is no such file.",
        ),
        (
            FileProblem::CannotRead {
                path: "/etc/shadow".into(),
                why: ReadFailure::Denied,
            },
            "/etc/shadow lässt sich nicht lesen: Ponder darf sie nicht öffnen (keine Berechtigung).",
            "Cannot read /etc/shadow: Ponder may not open it (permission denied).",
        ),
        (
            FileProblem::CannotRead {
                path: "/tmp".into(),
                why: ReadFailure::NotAFile,
            },
            "/tmp lässt sich nicht lesen: Das ist keine gewöhnliche Datei (ein Ordner, eine Pipe oder ein Gerät?).",
            "Cannot read /tmp: it is not a regular file (a folder, a pipe or a device?).",
        ),
        (
            FileProblem::CannotRead {
                path: "/dev/sda".into(),
                why: ReadFailure::Other("Input/output error (os error 5)".into()),
            },
            "/dev/sda lässt sich nicht lesen: Input/output error (os error 5).",
            "Cannot read /dev/sda: Input/output error (os error 5).",
        ),
        (
            FileProblem::TooLarge {
                name: "big.toml".into(),
                size: 300 * 1024,
                limit: 256 * 1024,
                kind: Some(FileKind::Pack),
            },
            "`big.toml` ist 300 KB groß; eine Paketdatei darf höchstens 256 KB groß sein.",
            "`big.toml` is 300 KB; a pack file may be at most 256 KB.",
        ),
        (
            FileProblem::TooLarge {
                name: "big.toml".into(),
                size: 300 * 1024,
                limit: 256 * 1024,
                kind: None,
            },
            "`big.toml` ist 300 KB groß; dieser Befehl nimmt Dateien bis höchstens 256 KB.",
            "`big.toml` is 300 KB; this command takes files of at most 256 KB.",
        ),
        (
            FileProblem::PathRefused,
            "Schick auf Matrix zuerst die Datei in diesen Raum und dann den Befehl ohne Pfad.",
            "On Matrix, send the file in this room first, then the command without a path.",
        ),
        (
            FileProblem::NotFetched {
                name: "ours.toml".into(),
            },
            "Ponder konnte `ours.toml` nicht von Discord abholen; häng die Datei gleich noch einmal an.",
            "Ponder could not fetch `ours.toml` from Discord; attach it again in a moment.",
        ),
    ];
    for (why, german, english) in cases {
        let said = bot.handle(&admin("general"), import(why.clone())).await;
        assert_eq!(said.text, german);
        let said = bot.handle(&admin("english"), import(why)).await;
        assert_eq!(said.text, english);
    }
    let draft = Command::PackDraft {
        file: Attached::Unusable(FileProblem::TooLarge {
            name: "essay.md".into(),
            size: 2048 * 1024,
            limit: 1024 * 1024,
            kind: Some(FileKind::DraftText),
        }),
        pack: "mine".into(),
        title: None,
    };
    assert_eq!(
        bot.handle(&admin("general"), draft).await.text,
        "`essay.md` ist 2048 KB groß; ein Text für einen Entwurf darf höchstens 1024 KB groß sein."
    );
}

/// Every kind of missing permission a platform reports.
fn all_missing() -> Vec<ponder::engine::Missing> {
    use ponder::engine::{Missing, PowerAction};
    vec![
        Missing::Permission("Manage Threads".into()),
        Missing::PinPermission("Manage Messages".into()),
        Missing::RoleGone("77".into()),
        Missing::RoleUnmentionable {
            role: "Leser".into(),
            permission: "Mention @everyone, @here, and All Roles".into(),
        },
        Missing::PowerLevel {
            action: PowerAction::Send,
            level: 50,
            mine: Some(0),
        },
        Missing::PowerLevel {
            action: PowerAction::Pin,
            level: 100,
            mine: None,
        },
        Missing::NotInRoom("@ann:example.org".into()),
    ]
}

#[tokio::test]
async fn a_german_channel_lists_missing_permissions_in_german_with_discord_s_names() {
    let w = german_world("2026-11-30T12:00:00Z").await;
    let bot = w.boot().await;
    w.chat.set_missing_values(all_missing());
    let german = "Manage Threads, Manage Messages (um Impulse anzupinnen), \
         die Rolle 77 zum Anpingen (es gibt sie nicht), \
         Mention @everyone, @here, and All Roles (die Rolle Leser lässt sich nicht erwähnen), \
         Nachrichten senden (Power-Level 50; Ponder hat 0), \
         Nachrichten anpinnen (m.room.pinned_events) (Power-Level 100; Ponder hat das höchste), \
         @ann:example.org zum Anpingen ist nicht in diesem Raum";
    let answer = say(&bot, &admin("general"), "!ponder setup daily 09:00 UTC").await;
    assert!(
        answer.contains(&format!(
            "Ponder fehlt hier: {german}. Gib Ponder diese Berechtigungen"
        )),
        "{answer}"
    );
    // status renders what the check stored, in the channel's language
    let status = say(&bot, &admin("general"), "!ponder status").await;
    assert!(
        status.contains(&format!("Fehlende Berechtigungen: {german}.")),
        "{status}"
    );
    // the stored column is the same whatever the language: plain names as
    // they were, the rest in a neutral form
    let db = w.open_db().await;
    let row = db.find_channel(PLATFORM, "general").await.unwrap().unwrap();
    let stored = row.missing_permissions.unwrap();
    assert!(
        stored.starts_with("Manage Threads, ponder:pin:"),
        "{stored}"
    );
    assert!(!stored.contains("Rolle"), "{stored}");

    // An English channel lists the same in English, as before.
    w.schedule("english", "0 9 * * *", "Europe/Berlin").await;
    let answer = say(&bot, &admin("english"), "!ponder setup daily 09:00 UTC").await;
    assert!(
        answer.contains(
            "Ponder is missing here: Manage Threads, Manage Messages (to pin prompts), \
             the role 77 to ping (it does not exist), \
             Mention @everyone, @here, and All Roles (the role Leser is not mentionable), \
             send messages (power level 50; Ponder has 0), \
             pin messages (m.room.pinned_events) (power level 100; Ponder has the highest), \
             @ann:example.org to ping is not in this room. Grant them"
        ),
        "{answer}"
    );

    // A row an older Ponder wrote in English still reads as it was.
    let old = "Manage Threads, the check itself failed: timed out";
    db.set_missing_permissions(row.id, &[old.to_string()], 0)
        .await
        .unwrap();
    db.close().await;
    let status = say(&bot, &admin("general"), "!ponder status").await;
    assert!(
        status.contains(&format!("Fehlende Berechtigungen: {old}.")),
        "{status}"
    );
}
