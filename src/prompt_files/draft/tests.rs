use super::*;

fn texts(s: &str) -> Vec<String> {
    sentences(s).into_iter().map(|s| s.text).collect()
}

#[test]
fn sentences_end_at_stops_but_not_at_abbreviations_or_initials() {
    assert_eq!(
        texts("We ask, e.g. about speed. Dr. Ada wrote it? Yes! J. R. Tolkien agreed… fine then."),
        [
            "We ask, e.g. about speed.",
            "Dr. Ada wrote it?",
            "J. R. Tolkien agreed… fine then."
        ],
        "\"Yes!\" has too few words to stand alone"
    );
    assert_eq!(
        texts("She said \"this is the end.\" Then she left the room."),
        ["She said \"this is the end.\"", "Then she left the room."]
    );
}

#[test]
fn markdown_is_read_as_text() {
    let md = "# Why we build\n\nSome *tools* are **loud**, others\nstay `quiet` for years.\n\n\
              - A list item stands alone here.\n- Read [the essay](https://example.org) before you answer.\n\n\
              ```\nlet code = \"never a sentence here.\";\n```\n\n> A quoted line says something true.\n\n\
              @handle #tag $TAG\n";
    assert_eq!(
        texts(md),
        [
            "Why we build",
            "Some tools are loud, others stay quiet for years.",
            "A list item stands alone here.",
            "Read the essay before you answer.",
            "A quoted line says something true.",
        ]
    );
    let blocks: Vec<usize> = sentences(md).iter().map(|s| s.block).collect();
    assert_eq!(
        blocks,
        [0, 1, 2, 3, 4],
        "a heading and each item is a block"
    );
    assert_eq!(
        texts("keep snake_case and _emphasis_ apart."),
        ["keep snake_case and emphasis apart."]
    );
}

#[test]
fn each_rule_rephrases_a_claim_as_an_open_question() {
    let cases = [
        (
            "That makes me wonder whether tools should explain themselves.",
            "Do you think tools should explain themselves?",
        ),
        (
            "And I'm not sure those two futures are pointing in the same direction.",
            "Do you think those two futures are pointing in the same direction?",
        ),
        (
            "Perhaps the best tool is the one you forget.",
            "Could it be that the best tool is the one you forget?",
        ),
        (
            "Their biggest achievement isn't capability—it's becoming forgettable.",
            "Do you agree that their biggest achievement isn't capability—it's becoming forgettable? Why, or why not?",
        ),
        (
            "In that sense, OpenGradient feels less interesting as a product than as a question.",
            "Do you agree that in that sense, OpenGradient feels less interesting as a product than as a question? Why, or why not?",
        ),
        (
            "There's a tension there that I can't quite resolve.",
            "There's a tension there that I can't quite resolve. Where do you feel it yourself, and which way do you lean?",
        ),
        (
            "The technologies that reshape life rarely ask us to admire them.",
            "Is it true that the technologies that reshape life rarely ask us to admire them?",
        ),
        (
            "But that way of looking at things feels incomplete.",
            "Do you agree that that way of looking at things feels incomplete?",
        ),
        (
            "AI seems to be everywhere now.",
            "Do you agree that AI seems to be everywhere now?",
        ),
    ];
    for (claim, want) in cases {
        assert_eq!(rephrase(claim).as_deref(), Some(want), "{claim}");
    }
    for plain in [
        "I'd been thinking about a habit we seem to have.",
        "They disappear into the background.",
        "The network hosts models.",
    ] {
        assert_eq!(rephrase(plain), None, "{plain}");
    }
}

#[test]
fn questions_stay_as_written_and_pairs_become_one_contrast() {
    let text = "Do we trust what we cannot see? Visibility builds trust. Invisibility creates ease.\n\n\
                One asks people to understand the machine. The other quietly removes the need.";
    let drafted = draft_prompts(text, "ours").unwrap();
    let got: Vec<(&str, Option<bool>, &str)> = drafted
        .iter()
        .map(|d| (d.text.as_str(), d.draft, d.source.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "Do we trust what we cannot see?",
                None,
                "Do we trust what we cannot see?"
            ),
            (
                "Visibility builds trust. Invisibility creates ease. Which of the two matters more to you, and why?",
                Some(true),
                "Visibility builds trust. Invisibility creates ease."
            ),
            (
                "One asks people to understand the machine. The other quietly removes the need. Which of the two matters more to you, and why?",
                Some(true),
                "One asks people to understand the machine. The other quietly removes the need."
            ),
        ]
    );
    let ids: Vec<&str> = drafted.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "ours-do-we-trust-what-we",
            "ours-visibility-builds-trust",
            "ours-one-asks-people-to-understand"
        ]
    );
}

#[test]
fn ids_stay_unique_and_titles_short() {
    let text = format!(
        "Why is it now and here, then? Why is it now and here, really? Why is it now and here, at all? {}?",
        "Is this a very long question ".repeat(10).trim_end()
    );
    let drafted = draft_prompts(&text, "ours").unwrap();
    let ids: Vec<&str> = drafted.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids[..3],
        [
            "ours-why-is-it-now-and",
            "ours-why-is-it-now-and-2",
            "ours-why-is-it-now-and-3"
        ]
    );
    assert!(drafted.iter().all(|d| d.title.chars().count() <= 60));
    assert!(drafted[3].title.ends_with('…'));
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    assert_eq!(
        draft_pack("Why?", "Bad Id", None, "x.txt"),
        Err(DraftError::BadId("Bad Id".into()))
    );
    assert_eq!(
        draft_prompts("The network hosts models. It runs fine.", "p"),
        Err(DraftError::Nothing(2))
    );
    assert!(matches!(
        draft_prompts(&"a".repeat(MAX_DRAFT_INPUT + 1), "p"),
        Err(DraftError::TooLong(_))
    ));
    // nothing a member could write makes it panic
    for odd in [
        "",
        "....",
        "?",
        "![](",
        "[x](y",
        "İİİ wonder whether İ. ",
        "\u{0}\u{202e}?!",
        "1) 2) 3)",
    ] {
        let _ = draft_prompts(odd, "p");
    }
}

#[test]
fn a_sentence_met_again_is_drafted_once_and_big_inputs_stay_linear() {
    let drafted = draft_prompts(&"What is it for? ".repeat(60_000), "p").unwrap();
    assert_eq!(drafted.len(), 1);
    // a line of brackets, a line of stars: read in linear time, no panic
    let _ = draft_prompts(&"[".repeat(500_000), "p");
    let _ = draft_prompts(&format!("Why {}?", "*".repeat(500_000)), "p");
}

#[test]
fn plain_text_keeps_its_stars_and_a_long_pair_is_not_drafted() {
    assert_eq!(texts("Is 5*3 really 15 here?"), ["Is 5*3 really 15 here?"]);
    let long = "x".repeat(1000);
    let text = format!("One option is a{long}. The other is b{long}.");
    assert!(
        draft_prompts(&text, "p").is_err(),
        "over the text limit once joined"
    );
}

#[test]
fn the_pack_header_is_safe_and_an_empty_title_takes_the_default() {
    let toml = draft_pack("Why is this so?", "p", Some(" "), "a\nid = \"x\".txt").unwrap();
    let parsed: toml::Table = toml::from_str(&toml).unwrap();
    assert_eq!(parsed["id"].as_str(), Some("p"));
    assert_eq!(
        parsed["title"].as_str(),
        Some("Drafted from a id = \"x\".txt")
    );
}
