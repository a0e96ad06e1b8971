use std::path::PathBuf;

use crate::domain::prompt::PromptSet;
use crate::prompt_files::{EMBEDDED, PackErrors, load_sources, load_sources_in_parts};

fn load(files: &[(&str, &str)]) -> Result<PromptSet, PackErrors> {
    load_sources(&sources(files))
}

fn sources(files: &[(&str, &str)]) -> Vec<(PathBuf, String)> {
    files
        .iter()
        .map(|(p, t)| (PathBuf::from(p), t.to_string()))
        .collect()
}

/// The problems, as `ponder check` prints them.
fn shown(files: &[(&str, &str)]) -> Vec<String> {
    load(files)
        .unwrap_err()
        .0
        .iter()
        .map(|e| e.to_string())
        .collect()
}

const ORIGINAL: &str = r#"id = "a"
title = "Pack A"
description = "Test pack"

[[prompt]]
id = "one"
title = "One"
text = "What is one thing?"
source = "One thing."
follow_ups = ["And another?"]
tags = ["t"]
weight = 2

[[prompt]]
id = "two"
text = "What is a second thing?"
"#;

const GERMAN: &str = r#"id = "a-de"
translation_of = "a"
lang = "de"
title = "Paket A"
description = "Testpaket"

[[prompt]]
id = "one"
title = "Eins"
text = "Was ist eine Sache?"
follow_ups = ["Und noch eine?"]
"#;

#[test]
fn a_pack_is_english_unless_it_says_and_a_bad_language_is_named_with_its_line() {
    let set = load(&[("a.toml", ORIGINAL)]).unwrap();
    assert_eq!(set.packs[0].lang, "en");
    let german = ORIGINAL.replace("id = \"a\"\n", "id = \"a\"\nlang = \"de\"\n");
    assert_eq!(load(&[("a.toml", &german)]).unwrap().packs[0].lang, "de");
    let odd = ORIGINAL.replace("id = \"a\"\n", "id = \"a\"\nlang = \"pt-br\"\n");
    assert_eq!(load(&[("a.toml", &odd)]).unwrap().packs[0].lang, "pt-br");
    for bad in ["DE", "deutsch", "d", "de_DE", ""] {
        let text = ORIGINAL.replace("id = \"a\"\n", &format!("id = \"a\"\nlang = \"{bad}\"\n"));
        let shown = shown(&[("a.toml", &text)]);
        assert_eq!(shown.len(), 1, "{shown:#?}");
        assert!(shown[0].starts_with("a.toml:2: lang: "), "{shown:#?}");
    }
    let shown = shown(&[(
        "a.toml",
        &ORIGINAL.replace("id = \"a\"\n", "id = \"a\"\nlang = 7\n"),
    )]);
    assert_eq!(shown, ["a.toml:2: lang: expected a string"]);
}

#[test]
fn a_translation_gives_its_prompts_in_its_language_under_the_original_ids() {
    let set = load(&[("a.de.toml", GERMAN), ("a.toml", ORIGINAL)]).unwrap();
    // the prompts are counted and found once, as the original's
    assert_eq!(
        (set.len(), set.packs.len(), set.translations.len()),
        (2, 1, 1)
    );
    assert_eq!(set.get("one").unwrap().text, "What is one thing?");
    let one = set.get_in("a/one", "de").unwrap();
    assert_eq!(one.text, "Was ist eine Sache?");
    assert_eq!(one.message_text(), "Was ist eine Sache?\n• Und noch eine?");
    assert_eq!(one.thread_name(), "Eins");
    // the id, the pack, the weight, the source and the tags are the original's
    assert_eq!(one.qualified_id(), "a/one");
    assert_eq!(one.weight, 2.0);
    assert_eq!(one.source.as_deref(), Some("One thing."));
    assert_eq!(one.tags, ["t"]);
    // a prompt the translation leaves out is drawn in its own language
    let pool: Vec<String> = set
        .pool_in(&["a".into()], "de")
        .iter()
        .map(|p| p.text.clone())
        .collect();
    assert_eq!(pool, ["Was ist eine Sache?", "What is a second thing?"]);
    // naming the translation draws the same prompts
    let by_translation: Vec<String> = set
        .pool_in(&["a-de".into()], "de")
        .iter()
        .map(|p| p.text.clone())
        .collect();
    assert_eq!(by_translation, pool);
    assert!(set.has_pack("a-de") && set.has_pack("a") && !set.has_pack("b"));
    // in English, or a language with no translation, the original
    for lang in ["en", "fr"] {
        let texts: Vec<String> = set
            .pool_in(&[], lang)
            .iter()
            .map(|p| p.text.clone())
            .collect();
        assert_eq!(texts, ["What is one thing?", "What is a second thing?"]);
    }
}

#[test]
fn a_translation_read_in_parts_loads_as_it_does_whole() {
    let mut big = GERMAN.to_string();
    big.push_str("\n[[prompt]]\nid = \"two\"\ntext = \"Was ist eine zweite Sache?\"\n");
    let files = sources(&[("a.toml", ORIGINAL), ("a.de.toml", &big)]);
    let whole = load_sources_in_parts(&files, 1).unwrap();
    let cut = load_sources_in_parts(&files, 2).unwrap();
    assert_eq!(whole.translations, cut.translations);
    assert_eq!(whole.translations[0].prompts.len(), 2);
    let bad = big.replace("id = \"two\"", "id = \"three\"");
    let files = sources(&[("a.toml", ORIGINAL), ("a.de.toml", &bad)]);
    let whole = load_sources_in_parts(&files, 1).unwrap_err();
    assert_eq!(whole, load_sources_in_parts(&files, 2).unwrap_err());
    assert_eq!(whole.0.len(), 1);
}

#[test]
fn a_translation_of_no_pack_or_of_a_translation_is_refused_at_its_line() {
    let shown1 = shown(&[("a.de.toml", GERMAN)]);
    assert_eq!(
        shown1,
        [
            "a.de.toml:2: translation_of: no pack `a` found (name the pack whose prompts this one translates)"
        ]
    );
    let of_translation = GERMAN
        .replace("id = \"a-de\"", "id = \"a-fr\"")
        .replace("translation_of = \"a\"", "translation_of = \"a-de\"")
        .replace("lang = \"de\"", "lang = \"fr\"");
    let shown2 = shown(&[
        ("a.toml", ORIGINAL),
        ("a.de.toml", GERMAN),
        ("a.fr.toml", &of_translation),
    ]);
    assert_eq!(
        shown2,
        [
            "a.fr.toml:2: translation_of: `a-de` is itself a translation (of `a`): translate the original `a`"
        ]
    );
    let bad_id = GERMAN.replace("translation_of = \"a\"", "translation_of = \"A!\"");
    let shown3 = shown(&[("a.toml", ORIGINAL), ("a.de.toml", &bad_id)]);
    assert_eq!(shown3.len(), 1, "{shown3:#?}");
    assert!(
        shown3[0].starts_with("a.de.toml:2: translation_of: `A!` is not a valid id"),
        "{shown3:#?}"
    );
}

#[test]
fn a_translation_in_the_original_language_or_a_second_one_in_a_language_is_refused() {
    let english = GERMAN.replace("lang = \"de\"\n", "");
    assert_eq!(
        shown(&[("a.toml", ORIGINAL), ("a.de.toml", &english)]),
        [
            "a.de.toml:2: lang: `a` is in `en` too: a translation is in another language (set `lang`)"
        ]
    );
    let second = GERMAN.replace("id = \"a-de\"", "id = \"a-de2\"");
    assert_eq!(
        shown(&[
            ("a.toml", ORIGINAL),
            ("a.de.toml", GERMAN),
            ("a.de2.toml", &second)
        ]),
        ["a.de2.toml:2: translation_of: `a` already has a `de` translation in a.de.toml"]
    );
}

#[test]
fn a_translated_id_the_original_lacks_a_repeated_id_or_another_weight_is_refused_at_its_line() {
    let mut bad = GERMAN.to_string();
    bad.push_str("\n[[prompt]]\nid = \"three\"\ntext = \"Drei?\"\n");
    bad.push_str("\n[[prompt]]\nid = \"one\"\ntext = \"Nochmal eins?\"\n");
    bad.push_str("\n[[prompt]]\nid = \"two\"\ntext = \"Zwei?\"\nweight = 3\n");
    assert_eq!(
        shown(&[("a.toml", ORIGINAL), ("a.de.toml", &bad)]),
        [
            "a.de.toml:13: prompt[2].id: `three` is not a prompt of `a` (a translation uses the ids of the prompts it translates)",
            "a.de.toml:17: prompt[3].id: duplicate prompt id `one` (first used at line 7)",
            "a.de.toml:21: prompt[4].weight: a translation takes its weight from the original prompt (`two` weighs 1): leave it out",
        ]
    );
    // the original's weight repeated is fine
    let same = GERMAN.replace("follow_ups", "weight = 2.0\nfollow_ups");
    assert!(load(&[("a.toml", ORIGINAL), ("a.de.toml", &same)]).is_ok());
}

#[test]
fn the_shipped_german_packs_translate_every_prompt_of_their_originals() {
    let set = load_sources(&sources(EMBEDDED)).unwrap();
    for original in ["essay-visibility", "essay-progress"] {
        let pack = set.packs.iter().find(|p| p.id == original).unwrap();
        assert_eq!(pack.lang, "en");
        let german = set
            .translations
            .iter()
            .find(|t| t.translation_of.as_deref() == Some(original) && t.lang == "de")
            .unwrap_or_else(|| panic!("no German `{original}`"));
        assert_ne!(german.title, pack.title);
        assert_ne!(german.description, pack.description);
        let ids = |p: &crate::domain::prompt::Pack| {
            p.prompts.iter().map(|q| q.id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(ids(german), ids(pack), "{original}: every prompt, in order");
        let mut tags = std::collections::HashMap::new();
        for p in &pack.prompts {
            let de = set.get_in(&p.id, "de").unwrap();
            assert_eq!(
                de.source, p.source,
                "{}: the essay's English sentence",
                p.id
            );
            assert!(de.source.is_some(), "{}", p.id);
            assert_ne!(de.text, p.text, "{}", p.id);
            assert!(de.title.is_some() && de.title != p.title, "{}", p.id);
            assert_eq!(de.follow_ups.len(), p.follow_ups.len(), "{}", p.id);
            assert_eq!(de.weight, p.weight, "{}", p.id);
            // tags in German (the archive's themes group by them), each
            // English tag always the same German one, so the groups match
            assert_eq!(de.tags.len(), p.tags.len(), "{}", p.id);
            for (en, de) in p.tags.iter().zip(&de.tags) {
                assert_ne!(en, de, "{}: a German tag", p.id);
                let seen = tags.entry(en.clone()).or_insert_with(|| de.clone());
                assert_eq!(seen, de, "{}: `{en}` is always `{seen}`", p.id);
            }
            // written as German communities write: du, never Sie
            let words: Vec<&str> = de.text.split(|c: char| !c.is_alphabetic()).collect();
            let du = [
                "du", "dich", "dir", "dein", "deine", "deinem", "deinen", "deiner", "uns",
            ];
            assert!(words.iter().any(|w| du.contains(w)), "{}: du-form", p.id);
            assert!(!words.contains(&"Ihnen"), "{}: du-form", p.id);
        }
    }
}
