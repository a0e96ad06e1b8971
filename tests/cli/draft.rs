//! `ponder prompts draft`: a pack proposed from the essay the first packs
//! came from, every source a sentence of it, and a pack `check` accepts once
//! an admin has removed the draft marks (and refuses before).

use std::process::Command;

use crate::{PONDER, text};

fn essay() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/essay.txt");
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e} (../shared beside the clone)"))
}

#[test]
fn the_essay_drafts_its_question_and_ten_candidates_that_check_accepts_once_unmarked() {
    let essay = essay();
    let out = Command::new(PONDER)
        .args([
            "prompts",
            "draft",
            "../shared/essay.txt",
            "--pack",
            "essay-draft",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let toml_text = text(&out.stdout);
    let pack: toml::Table = toml::from_str(&toml_text).unwrap();
    let prompts = pack["prompt"].as_array().unwrap();
    let (mut questions, mut candidates) = (0, 0);
    // The essay's one explicit question, as written.
    let question = essay
        .split_inclusive(['.', '?'])
        .map(str::trim)
        .find(|s| s.starts_with("If a decentralized network") && s.ends_with('?'))
        .unwrap();
    for p in prompts {
        let source = p["source"].as_str().unwrap();
        assert!(
            essay.contains(source),
            "not a sentence of the essay: {source:?}"
        );
        let text = p["text"].as_str().unwrap();
        assert!(text.ends_with('?'), "an open question: {text:?}");
        match p.get("draft") {
            Some(mark) => {
                assert_eq!(mark.as_bool(), Some(true));
                candidates += 1;
            }
            None => {
                assert_eq!(text, source, "a question stays as written");
                questions += 1;
            }
        }
    }
    assert!(
        prompts
            .iter()
            .any(|p| p["source"].as_str() == Some(question) && p.get("draft").is_none()),
        "the explicit question is a prompt:\n{toml_text}"
    );
    assert_eq!(questions, 1);
    assert!(candidates >= 10, "{candidates} candidates:\n{toml_text}");

    // `check` refuses the marks, each by line and field; then, unmarked, accepts it.
    let dir = tempfile::tempdir().unwrap();
    let prompts_dir = dir.path().join("prompts");
    std::fs::create_dir(&prompts_dir).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "prompts_dir = \"{}\"\n[console]\n[[channel]]\nplatform = \"console\"\nid = \"console\"\nschedules = [\"daily 09:00\"]\n",
            prompts_dir.display()
        ),
    )
    .unwrap();
    let check = || {
        Command::new(PONDER)
            .args(["check", "--config", config.to_str().unwrap()])
            .output()
            .unwrap()
    };
    std::fs::write(prompts_dir.join("essay-draft.toml"), &toml_text).unwrap();
    let marked = check();
    assert!(!marked.status.success());
    let err = format!("{}{}", text(&marked.stderr), text(&marked.stdout));
    assert_eq!(
        err.matches(".draft: a candidate from `ponder prompts draft`")
            .count(),
        candidates,
        "{err}"
    );
    let unmarked: String = toml_text
        .lines()
        .filter(|l| l.trim() != "draft = true")
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(prompts_dir.join("essay-draft.toml"), unmarked).unwrap();
    let ok = check();
    assert!(
        ok.status.success(),
        "{}{}",
        text(&ok.stdout),
        text(&ok.stderr)
    );
}

#[test]
fn a_text_with_nothing_to_draft_or_a_bad_pack_id_is_refused_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.md");
    std::fs::write(
        &file,
        "# Notes\n\nThe network hosts models. It runs fine.\n",
    )
    .unwrap();
    for (pack, want) in [
        (
            "notes",
            "no question, claim or contrast found in the text (2 sentences read)",
        ),
        ("Notes!", "`Notes!` is not a valid pack id"),
    ] {
        let out = Command::new(PONDER)
            .args(["prompts", "draft", file.to_str().unwrap(), "--pack", pack])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = text(&out.stderr);
        assert_eq!(err.matches(want).count(), 1, "{err}");
        assert!(out.stdout.is_empty(), "nothing printed as a pack");
    }
}

/// The console reads a file by path (its operator's own disk): the essay
/// drafted in the demo comes back printed, and a pack imported from a path
/// is drawn with `packs use`.
#[test]
fn the_console_drafts_from_a_path_and_imports_a_pack_from_a_path() {
    let mut demo = crate::demo::PipedDemo::start(|dir| {
        std::fs::write(dir.join("essay.txt"), essay()).unwrap();
        let pack = "id = \"ours\"\ntitle = \"Ours\"\ndescription = \"Our own.\"\n\n[[prompt]]\nid = \"ours-one\"\ntitle = \"Our one question\"\ntext = \"What would you keep if you could keep one thing?\"\n";
        std::fs::write(dir.join("ours.toml"), pack).unwrap();
    });
    demo.wait_for("type a line to reply");
    let drafted = demo.ask("!ponder prompts draft mine essay.txt", "end of mine.toml");
    assert!(
        drafted.contains("Drafted pack `mine` from `essay.txt`"),
        "{drafted}"
    );
    assert!(drafted.contains("--- mine.toml ---"), "{drafted}");
    let missing = demo.ask("!ponder prompts import nowhere.toml", "Cannot read");
    assert!(missing.contains("Cannot read nowhere.toml:"), "{missing}");
    let imported = demo.ask("!ponder prompts import ours.toml", "Imported");
    assert!(
        imported.contains("Imported pack `ours` (\"Ours\"): 1 prompt."),
        "{imported}"
    );
    demo.ask("!ponder packs use ours", "now draws from ours: 1 prompt");
    let posted = demo.ask("!ponder now", "Our one question");
    assert!(posted.contains("Our one question"), "{posted}");
    demo.stop();
}
