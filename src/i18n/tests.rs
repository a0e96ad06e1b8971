//! The message files: every id in every language with the same variables,
//! each message renders in each language, and no chat text is built outside
//! them.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

use super::*;

/// Each message id of a language and the variables it uses.
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for text in FILES[lang.index()].1 {
        let resource = fluent_syntax::parser::parse(*text)
            .unwrap_or_else(|(_, errors)| panic!("{lang}: the file does not parse: {errors:?}"));
        for entry in resource.body {
            if let Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    pattern_vars(p, &mut vars);
                }
                for a in &m.attributes {
                    pattern_vars(&a.value, &mut vars);
                }
                let id = m.id.name.to_string();
                assert!(out.insert(id.clone(), vars).is_none(), "{lang}: {id} twice");
            }
        }
    }
    out
}

fn pattern_vars(p: &Pattern<&str>, vars: &mut BTreeSet<String>) {
    for e in &p.elements {
        if let PatternElement::Placeable { expression } = e {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(e: &Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
        Expression::Inline(i) => inline_vars(i, vars),
    }
}

fn inline_vars(i: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, vars);
            }
            for a in &arguments.named {
                inline_vars(&a.value, vars);
            }
        }
        InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        _ => {}
    }
}

#[test]
fn every_message_exists_in_every_language_with_the_same_variables() {
    let english = messages(Lang::En);
    assert!(english.len() > 3);
    for lang in Lang::ALL {
        let other = messages(lang);
        let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        // Discord's command localizations (`slash-*`) have no English file:
        // English is the commands' own text (see platform/discord/localize.rs).
        let extra: Vec<_> = other
            .keys()
            .filter(|k| !english.contains_key(*k) && !k.starts_with("slash-"))
            .collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        assert!(extra.is_empty(), "{lang} has ids English lacks: {extra:?}");
        for (id, vars) in &english {
            assert_eq!(&other[id], vars, "{lang}: {id} uses other variables");
        }
        for (id, vars) in other.iter().filter(|(k, _)| k.starts_with("slash-")) {
            assert!(vars.is_empty(), "{lang}: {id} takes no variables");
        }
    }
}

#[test]
fn every_message_renders_in_every_language_without_errors_or_isolation_marks() {
    for lang in Lang::ALL {
        let bundle = &bundles()[lang.index()];
        for (id, vars) in messages(lang) {
            let message = bundle.get_message(&id).expect("in the bundle");
            let pattern = message.value().expect("every message has a value");
            // once with numbers (plural forms) and once with text
            for n in [1, 2] {
                for as_number in [true, false] {
                    let mut args = FluentArgs::new();
                    for v in &vars {
                        if as_number {
                            args.set(v.as_str(), n);
                        } else {
                            args.set(v.as_str(), format!("<{v}>"));
                        }
                    }
                    let mut errors = Vec::new();
                    let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                    assert!(errors.is_empty(), "{lang} {id}: {errors:?}");
                    assert!(!text.trim().is_empty(), "{lang} {id} is empty");
                    assert!(
                        !text.contains(['\u{2068}', '\u{2069}']),
                        "{lang} {id} has isolation marks"
                    );
                }
            }
        }
    }
}

#[test]
fn languages_parse_from_the_tags_people_and_platforms_write() {
    for (tag, lang) in [
        ("en", Some(Lang::En)),
        ("en-US", Some(Lang::En)),
        ("en-GB", Some(Lang::En)),
        ("de", Some(Lang::De)),
        ("DE", Some(Lang::De)),
        ("de-DE", Some(Lang::De)),
        ("de_AT", Some(Lang::De)),
        (" de ", Some(Lang::De)),
        ("fr", None),
        ("", None),
        ("deutsch", None),
    ] {
        assert_eq!(Lang::parse(tag), lang, "{tag:?}");
    }
    assert_eq!(Lang::choices(), "en, de");
}

#[test]
fn a_plural_follows_the_language_and_arguments_are_not_isolated() {
    assert_eq!(
        crate::tr!(Lang::De, "date-time-with-utc", local = "x", utc = "y"),
        "x (y UTC)"
    );
}

/// Files whose chat texts are not in the message files yet (English only);
/// each one converted leaves this list, and the scan below keeps it so.
const NOT_YET_CONVERTED: &[&str] = &[];

/// Rust source files under `dir`, as paths relative to the crate.
fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn answers_and_refusals_are_made_from_message_ids_not_literal_text() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    let mut found = Vec::new();
    for path in files {
        let name = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // this file names the patterns it looks for
        if NOT_YET_CONVERTED.contains(&name.as_str()) || name == "src/i18n/tests.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // code only: comments may show the pattern they forbid
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join(" ");
        let squeezed: String = code.split_whitespace().collect::<Vec<_>>().join("");
        // A refusal, a usage answer or a file's problem is a value rendered
        // by a message id (`Usage::Syntax` carries grammar only).
        for call in [
            "refuse(",
            "Answer::text(",
            "Refusal(",
            "Unusable(",
            "Usage(",
        ] {
            for literal in ["\"", "format!(", "String::from(\""] {
                let bad = format!("{call}{literal}");
                if squeezed.contains(&bad) {
                    found.push(format!("{name}: {bad}…"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "chat text built outside locales/ (use tr!): {found:#?}"
    );
}

/// Calls whose text reaches a chat: a file's caption, a line added to an
/// answer, a missing permission shown by `status`.
const CHAT_TEXT_CALLS: &[&str] = &[
    "caption =",
    "send_file(",
    "out.push(",
    "missing.push(",
    "text.push_str(",
    "vec![format!(",
];

/// Texts with words in those calls that are not for people to read in a
/// language, each with why.
const CHAT_TEXT_ALLOWED: &[(&str, &str)] = &[
    // the in-memory test platform's own needs: tests read them, no member does
    (
        "pin messages",
        "src/platform/memory.rs is the tests' platform",
    ),
];

/// The text of a call from where it starts to its closing parenthesis (or
/// the end of its statement).
fn call_text(code: &str) -> &str {
    let mut depth = 0i32;
    for (i, c) in code.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth <= 0 && i > 0 {
                    return &code[..=i];
                }
            }
            ';' if depth <= 0 => return &code[..i],
            _ => {}
        }
    }
    code
}

/// Sentences written into a chat text in code (`out.push(format!("the role
/// {role} to ping"))`), outside src/i18n: each is a leak past the message
/// files unless the allow-list names it.
fn chat_text_leaks(name: &str, code: &str) -> Vec<String> {
    let code = code.split("#[cfg(test)]").next().unwrap();
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    for call in CHAT_TEXT_CALLS {
        for (at, _) in code.match_indices(call) {
            let text = call_text(&code[at + call.len()..]);
            for literal in string_literals(text) {
                let allowed = CHAT_TEXT_ALLOWED.iter().any(|(a, _)| literal.contains(a));
                if has_words(&literal) && !allowed {
                    found.push(format!("{name}: {call} {literal:?}"));
                }
            }
        }
    }
    found
}

#[test]
fn no_sentence_is_written_into_a_chat_text_outside_the_message_files() {
    // the scan finds what it looks for, and passes a message id
    assert_eq!(
        chat_text_leaks(
            "x.rs",
            "missing.push(format!(\"the role {role} to ping\"));\nout.push(tr!(lang, \"permissions-role-gone\", role = r));"
        ),
        ["x.rs: missing.push( \"the role {role} to ping\""]
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src/platform"), &mut files);
    sources(&root.join("src/engine"), &mut files);
    let mut found = Vec::new();
    for path in files {
        let name = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if name.ends_with("/tests.rs") {
            continue;
        }
        found.extend(chat_text_leaks(
            &name,
            &std::fs::read_to_string(&path).unwrap(),
        ));
    }
    assert!(
        found.is_empty(),
        "chat text built outside locales/ (use tr!): {found:#?}"
    );
}

#[test]
fn a_language_ponder_does_not_ship_is_a_problem_with_line_and_field() {
    let text = r#"language = "fr"
[console]
[[channel]]
platform = "console"
id = "console"
language = "klingon"
[[channel]]
platform = "console"
id = "other"
language = "de-DE"
"#;
    let config = crate::config::Config::parse(std::path::Path::new("c.toml"), text).unwrap();
    let problems = config.problems();
    let languages: Vec<_> = problems.iter().filter(|p| p.contains("language")).collect();
    assert_eq!(
        languages,
        [
            "line 1: language: `fr` is not one of en, de",
            "line 6: channel[1].language: `klingon` is not one of en, de",
        ],
        "{problems:#?}"
    );
    let ok = crate::config::Config::parse(
        std::path::Path::new("c.toml"),
        "language = \"de_AT\"\n[console]\n",
    )
    .unwrap();
    assert!(
        !ok.problems().iter().any(|p| p.contains("language")),
        "{:?}",
        ok.problems()
    );
    assert_eq!(ok.default_language(), crate::i18n::Lang::De);
}

#[test]
fn a_form_s_title_and_label_fit_discord_s_45_characters_in_every_language() {
    for lang in Lang::ALL {
        for text in [
            crate::tr!(lang, "reject-reason-label"),
            crate::tr!(lang, "reject-title", id = 999_999),
        ] {
            assert!(text.chars().count() <= 45, "{lang}: {text:?} is too long");
        }
    }
}

/// The string literals of Rust code, comment lines left out (a naive
/// reader: enough for the files it is given, which hold no raw strings).
fn string_literals(code: &str) -> Vec<String> {
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("'\"'", "' '")
        .replace("'\\''", "' '");
    let mut out = Vec::new();
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut literal = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                    literal.push(' ');
                }
                '"' => break,
                c => literal.push(c),
            }
        }
        out.push(literal);
    }
    out
}

/// Two words in a row, outside markup and format placeholders: the start
/// of a sentence for people (`Replies by weekday`).
fn has_words(literal: &str) -> bool {
    let mut text = String::new();
    let mut depth = 0i32;
    for c in literal.chars() {
        match c {
            // a word right before markup or a brace is a selector or a
            // tag's neighbour, not a sentence's (`svg text{fill:…}`)
            '<' | '{' => {
                if depth <= 0 {
                    text.push('\u{1}');
                }
                depth += 1;
            }
            '>' | '}' => {
                depth -= 1;
                text.push(' ');
            }
            c if depth <= 0 => text.push(c),
            _ => {}
        }
    }
    let word = |w: &str| {
        let w = w.trim_end_matches(['.', ',', ';', ':', '!', '?']);
        w.chars().count() >= 2 && w.chars().all(char::is_alphabetic)
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).any(|p| word(p[0]) && word(p[1]))
}

#[test]
fn the_archive_page_builds_no_sentence_outside_the_message_files() {
    assert!(has_words("Replies by weekday") && has_words("<h3>The most replies</h3>"));
    assert!(!has_words("<li><a href=\"#figures\">{}</a></li>") && !has_words("%-d %b %Y"));
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    // the page's files; their tests hold English on purpose
    for name in [
        "src/archive.rs",
        "src/archive/charts.rs",
        "src/archive/post.rs",
        "src/archive/themes.rs",
    ] {
        let code = std::fs::read_to_string(root.join(name)).unwrap();
        let code = code.split("#[cfg(test)]").next().unwrap();
        for literal in string_literals(code) {
            if has_words(&literal) {
                found.push(format!("{name}: {literal:?}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "archive text built outside locales/ (use tr!): {found:#?}"
    );
}

#[test]
fn the_prompt_file_loader_builds_no_sentence_outside_the_message_files() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // operator-only text, with why
    let allowed = [
        // `PromptSource`'s name in `ponder check` and the log, never in chat
        "the packs built into ponder",
        // `PackErrors`' headline in `ponder check`; chat says `pack-problems`
        "{n} problem{} in the prompt files:",
    ];
    let mut found = Vec::new();
    // the loader's files; its tests (in files of their own) hold English on purpose
    for name in [
        "src/prompt_files.rs",
        "src/prompt_files/file.rs",
        "src/prompt_files/reader.rs",
        "src/prompt_files/reader/table.rs",
        "src/prompt_files/translations.rs",
    ] {
        let code = std::fs::read_to_string(root.join(name)).unwrap();
        for literal in string_literals(&code) {
            if has_words(&literal) && !allowed.contains(&literal.as_str()) {
                found.push(format!("{name}: {literal:?}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "a prompt file's problem written outside locales/*/prompts.ftl (use Problem::new): {found:#?}"
    );
}

#[test]
fn a_prompt_file_s_problem_reads_in_english_for_operators_and_in_the_channel_s_language() {
    use crate::prompt_files::{PackError, Problem};
    let e = PackError {
        file: "a.toml".into(),
        line: 3,
        field: "prompt[1].text".into(),
        problem: Problem::new("prompts-empty", []),
    };
    assert_eq!(e.to_string(), "a.toml:3: prompt[1].text: must not be empty");
    assert_eq!(e.message(), "must not be empty");
    assert_eq!(
        e.render(Lang::De),
        "a.toml:3: prompt[1].text: darf nicht leer sein"
    );
    let whole = PackError {
        line: 0,
        field: String::new(),
        ..e
    };
    assert_eq!(whole.render(Lang::En), "a.toml: must not be empty");
}

#[test]
fn the_german_demo_banner_names_the_built_in_packs_in_german() {
    let banner = crate::cli::demo_banner(
        20,
        &crate::prompt_files::PromptSource::Embedded,
        std::path::Path::new("ponder-demo.db"),
        Lang::De,
    );
    assert!(
        banner.contains("aus den in Ponder eingebauten Paketen."),
        "{banner}"
    );
    let english = crate::cli::demo_banner(
        20,
        &crate::prompt_files::PromptSource::Embedded,
        std::path::Path::new("ponder-demo.db"),
        Lang::En,
    );
    assert!(
        english.contains("from the packs built into ponder."),
        "{english}"
    );
}
