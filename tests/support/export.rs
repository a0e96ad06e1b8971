//! The check both platform tests make of an export: the same scenario (one
//! post, a reply edited, a reply deleted) must read the same in every format.

#![allow(dead_code)]

/// Asserts that `text`, an export in format `ext` (`md`, `json` or `csv`)
/// of one post, holds exactly `replies` (`(author id, text)`, in order) in
/// their latest wording, none of the `gone` texts (deleted replies, earlier
/// wordings), and in Markdown the mark of an edit.
pub fn assert_export(ext: &str, text: &str, replies: &[(&str, &str)], gone: &[&str]) {
    assert!(
        replies.iter().all(|(_, reply)| text.contains(reply)),
        "{ext}: {text}"
    );
    assert!(!gone.iter().any(|g| text.contains(g)), "{ext}: {text}");
    match ext {
        "json" => {
            let posts: Vec<serde_json::Value> = serde_json::from_str(text).unwrap();
            let got: Vec<(&str, &str)> = posts[0]["replies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["author_id"].as_str().unwrap(),
                        r["text"].as_str().unwrap(),
                    )
                })
                .collect();
            assert_eq!(got, replies);
        }
        "csv" => assert_eq!(
            text.lines().count(),
            replies.len() + 1,
            "a header and {} replies: {text}",
            replies.len()
        ),
        _ => assert!(text.contains("(edited)"), "{text}"),
    }
}
