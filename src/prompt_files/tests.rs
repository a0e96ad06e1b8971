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
            .all(|e| e.file == Path::new("c.toml") && e.message.contains("duplicate prompt id"))
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
