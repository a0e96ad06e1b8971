use super::*;

fn load(files: &[(&str, &str)]) -> Result<PromptSet, PackErrors> {
    let sources: Vec<_> = files
        .iter()
        .map(|(p, t)| (PathBuf::from(p), t.to_string()))
        .collect();
    load_sources(&sources)
}

const GOOD: &str = r#"
id = "a"
title = "Pack A"
description = "Test pack"
source = "tests"

[[prompt]]
id = "one"
title = "One"
text = "What is one thing?"
follow_ups = ["And another?"]
tags = ["t"]
weight = 2

[[prompt]]
id = "two"
text = "What is a second thing?"
"#;

#[test]
fn a_good_pack_loads_with_defaults() {
    let set = load(&[("a.toml", GOOD)]).unwrap();
    assert_eq!(set.len(), 2);
    let one = set.get("a/one").unwrap();
    assert_eq!(one.weight, 2.0);
    assert_eq!(one.follow_ups, ["And another?"]);
    let two = set.get("two").unwrap();
    assert_eq!((two.weight, two.title.as_deref()), (1.0, None));
    assert!(set.get("b/two").is_none());
}

#[test]
fn three_distinct_errors_are_all_reported_with_file_line_and_field() {
    let bad = r#"id = "b"
title = "Pack B"
description = "broken"

[[prompt]]
id = "x"
text = ""

[[prompt]]
id = "y"
text = "fine"
colour = "blue"

[[prompt]]
id = "x"
text = "dup"
"#;
    let errs = load(&[("prompts/b.toml", bad)]).unwrap_err().0;
    let shown: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(shown.len(), 3, "{shown:#?}");
    assert_eq!(
        shown[0],
        "prompts/b.toml:7: prompt[1].text: must not be empty"
    );
    assert!(
        shown[1].starts_with("prompts/b.toml:12: prompt[2].colour: unknown field `colour`"),
        "{}",
        shown[1]
    );
    assert!(
        shown[2].starts_with("prompts/b.toml:14: prompt[3].id: duplicate prompt id `x`"),
        "{}",
        shown[2]
    );
}

#[test]
fn duplicate_ids_across_packs_are_refused() {
    let other = GOOD.replace("id = \"a\"", "id = \"c\"");
    let errs = load(&[("a.toml", GOOD), ("c.toml", &other)]).unwrap_err().0;
    assert_eq!(errs.len(), 2);
    assert!(
        errs.iter()
            .all(|e| e.file == Path::new("c.toml") && e.message().contains("duplicate prompt id"))
    );
}

#[test]
fn limits_on_text_and_title_are_enforced() {
    let long = format!(
        "id = \"d\"\ntitle = \"D\"\ndescription = \"d\"\n[[prompt]]\nid = \"p\"\ntitle = \"{}\"\ntext = \"{}\"\n",
        "t".repeat(101),
        "x".repeat(2001)
    );
    let errs = load(&[("d.toml", &long)]).unwrap_err().0;
    let shown: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        shown,
        [
            "d.toml:6: prompt[1].title: is 101 characters long; the limit is 100",
            "d.toml:7: prompt[1].text: is 2001 characters long; the limit is 2000"
        ]
    );
}

#[test]
fn wrong_types_missing_fields_and_syntax_errors_are_named() {
    let errs = load(&[
        ("e.toml", "id = 3\ntitle = \"E\"\n[[prompt]]\nid = \"q\"\ntext = \"t\"\nweight = \"heavy\"\ntags = \"x\"\n"),
        ("f.toml", "id = \"f\"\ntitle = \n"),
    ])
    .unwrap_err()
    .0;
    let shown: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert!(
        shown.contains(&"e.toml:1: id: expected a string".to_string()),
        "{shown:#?}"
    );
    assert!(
        shown.contains(&"e.toml:1: description: missing (required)".to_string()),
        "{shown:#?}"
    );
    assert!(
        shown.contains(&"e.toml:6: prompt[1].weight: expected a number".to_string()),
        "{shown:#?}"
    );
    assert!(
        shown.contains(&"e.toml:7: prompt[1].tags: expected an array of strings".to_string()),
        "{shown:#?}"
    );
    assert!(
        shown.iter().any(|s| s.starts_with("f.toml:2: TOML syntax")),
        "{shown:#?}"
    );
}

#[test]
fn thread_names_come_from_titles_or_shortened_text() {
    let set = load(&[("a.toml", GOOD)]).unwrap();
    assert_eq!(set.get("one").unwrap().thread_name(), "One");
    assert_eq!(
        set.get("two").unwrap().thread_name(),
        "What is a second thing?"
    );
    let mut p = (**set.get("two").unwrap()).clone();
    p.text = "word ".repeat(60);
    let name = p.thread_name();
    assert!(name.chars().count() <= 100 && name.ends_with('…'), "{name}");
}

/// What a load gave, comparable: the packs, or every problem in order.
fn outcome(
    r: Result<PromptSet, PackErrors>,
) -> Result<Vec<crate::domain::prompt::Pack>, Vec<PackError>> {
    r.map(|set| set.packs).map_err(|e| e.0)
}

/// `n` prompts after the pack's fields, each `[[prompt]]` followed by `body(i)`.
fn many(n: usize, body: impl Fn(usize) -> String) -> String {
    let mut text = String::from("id = \"m\"\ntitle = \"Many\"\ndescription = \"d\"\n");
    for i in 0..n {
        text.push_str(&format!("\n[[prompt]]\n{}\n", body(i)));
    }
    text
}

#[test]
fn a_file_read_in_parts_loads_exactly_as_in_one_piece() {
    let plain = |i: usize| format!("id = \"p{i}\"\ntext = \"Question {i}?\"");
    let files: Vec<(&str, String)> = vec![
        ("good", GOOD.to_string()),
        ("plain", many(40, plain)),
        // a line `[[prompt]]` inside a multi-line string is text, not a cut
        (
            "in-string",
            many(12, |i| {
                format!("id = \"p{i}\"\ntext = \"\"\"\nWhy?\n[[prompt]]\nid = \"x{i}\"\n\"\"\"")
            }),
        ),
        (
            "in-literal",
            many(12, |i| {
                format!("id = \"p{i}\"\ntext = '''\n[[prompt]]\n'''")
            }),
        ),
        // and inside an array that spans lines, where it is a syntax error
        (
            "in-array",
            many(12, |i| {
                format!("id = \"p{i}\"\ntext = \"t\"\ntags = [\n[[prompt]]\n]")
            }),
        ),
        // a sub-table of a prompt, a table after the prompts, a dotted key
        (
            "sub-table",
            many(12, |i| {
                format!("id = \"p{i}\"\ntext = \"t\"\n[prompt.extra]\nx = 1")
            }),
        ),
        (
            "table-after",
            many(12, plain) + "\n[other]\nid = \"late\"\n",
        ),
        (
            "dotted",
            many(12, |i| format!("id = \"p{i}\"\ntext = \"t\"\nprompt.x = 1")),
        ),
        // problems in several parts: each with its own line and index
        (
            "problems",
            many(30, |i| match i % 7 {
                0 => format!("id = \"p{i}\"\ntext = \"\""),
                3 => format!("id = \"P {i}\"\ntext = \"t\"\ncolour = 1"),
                5 => "id = \"p1\"\ntext = \"duplicate\"".into(),
                _ => format!("id = \"p{i}\"\ntext = \"t\"\nweight = -1"),
            }),
        ),
        // a syntax error late in the file
        ("syntax", many(20, plain) + "\n[[prompt]]\nid = \n"),
        // Windows line ends and a header followed by blanks
        (
            "crlf",
            many(15, plain)
                .replace('\n', "\r\n")
                .replace("[[prompt]]", "[[prompt]]  "),
        ),
        // an inline `prompt` array before the tables
        (
            "inline",
            format!(
                "prompt = [{{ id = \"a\", text = \"t\" }}]\n{}",
                many(5, plain)
            ),
        ),
        // a header that is not exactly `[[prompt]]`
        (
            "spaced",
            many(15, plain).replacen("[[prompt]]", "[[ prompt ]]", 3),
        ),
    ];
    for (name, text) in &files {
        let trusted = ["good", "plain", "sub-table", "dotted", "problems", "crlf"];
        let untrusted = ["in-array", "table-after", "syntax", "inline", "spaced"];
        if trusted.contains(name) {
            assert!(file::reads_in_parts(text, 3), "{name} is read in parts");
        } else if untrusted.contains(name) {
            assert!(
                !file::reads_in_parts(text, 3),
                "{name} is read in one piece"
            );
        }
        let sources = vec![(PathBuf::from(format!("{name}.toml")), text.clone())];
        let whole = outcome(load_sources_in_parts(&sources, 1));
        for parts in 2..=6 {
            let cut = outcome(load_sources_in_parts(&sources, parts));
            assert_eq!(cut, whole, "{name} in {parts} parts");
        }
    }
}

#[test]
fn a_big_file_is_read_in_parts_with_every_line_right() {
    // big enough for several parts of `MIN_PART_BYTES`
    let n = 12_000;
    let mut text = many(n, |i| {
        format!(
            "id = \"p{i}\"\ntitle = \"Prompt {i}\"\ntext = \"What would you change about thing {i}?\""
        )
    });
    assert!(text.len() > 3 * file::MIN_PART_BYTES);
    text.push_str("\n[[prompt]]\nid = \"last\"\ntext = \"\"\n");
    let sources = vec![(PathBuf::from("big.toml"), text.clone())];
    let err = load_sources(&sources).unwrap_err().0;
    let line = text.lines().count();
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(
        (err[0].line, err[0].field.as_str()),
        (line, format!("prompt[{}].text", n + 1).as_str())
    );
    text.truncate(text.rfind("\n[[prompt]]").unwrap());
    let set = load_sources(&[(PathBuf::from("big.toml"), text)]).unwrap();
    assert_eq!(set.len(), n);
    assert!(set.prompts().all(|p| p.pack == "m"));
    assert_eq!(
        set.get("m/p11999").unwrap().title.as_deref(),
        Some("Prompt 11999")
    );
}
