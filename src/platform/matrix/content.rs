//! What Ponder's Matrix messages carry: text and HTML that can never ping,
//! the links that ping the configured people, the thread relation.

use matrix_sdk::ruma::OwnedUserId;
use serde_json::{Value, json};

/// The content key that carries a prompt's idempotency key, so a prompt can
/// be found again after a crash.
pub(super) const KEY_FIELD: &str = "org.ponder.key";

/// The HTML that names the people a prompt pings: each a link to them, with
/// the user id escaped in the attribute and the text (user ids may hold
/// quotes and angle brackets).
pub(super) fn ping_links(pinged: &[OwnedUserId]) -> String {
    pinged
        .iter()
        .map(|u| {
            let href: String = u
                .as_str()
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'@' | b':' | b'.' | b'-' | b'_' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!(
                "<a href=\"https://matrix.to/#/{}\">{}</a>",
                html_escape(&href),
                html_escape(u.as_str())
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Text and HTML of a message that can never ping anyone.
pub(crate) fn quiet_content(msgtype: &str, text: &str, key: Option<&str>) -> Value {
    let body = text.replace("@room", "@\u{200b}room");
    let html = html_escape(&body).replace('\n', "<br>");
    let mut content = json!({
        "msgtype": msgtype,
        "body": body,
        "format": "org.matrix.custom.html",
        "formatted_body": html,
        "m.mentions": {},
    });
    if let Some(key) = key {
        content[KEY_FIELD] = json!(key);
    }
    content
}

/// A file's type from its name (an export's, an archive's).
pub(super) fn mime_of(name: &str) -> mime::Mime {
    match name.rsplit('.').next() {
        Some("json") => mime::APPLICATION_JSON,
        Some("csv") => mime::TEXT_CSV,
        Some("html") => mime::TEXT_HTML_UTF_8,
        _ => mime::TEXT_PLAIN_UTF_8,
    }
}

/// A file message (`m.file`) for an uploaded file: `text` as its caption
/// (the `body`, with the file's name in `filename`), never pinging.
pub(super) fn file_content(text: &str, name: &str, url: &str, mime: &str, size: usize) -> Value {
    let mut content = quiet_content("m.file", if text.is_empty() { name } else { text }, None);
    content["filename"] = json!(name);
    content["url"] = json!(url);
    content["info"] = json!({ "mimetype": mime, "size": size });
    content
}

pub(super) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The user ids a schedule pings (`@a:hs,@b:hs`); anything else is dropped.
pub(super) fn ping_list(ping: Option<&str>) -> Vec<OwnedUserId> {
    ping.unwrap_or_default()
        .split([',', ' '])
        .filter_map(|u| OwnedUserId::try_from(u.trim()).ok())
        .collect()
}

pub(super) fn thread_relation(root: &str) -> Value {
    json!({ "rel_type": "m.thread", "event_id": root, "is_falling_back": true, "m.in_reply_to": { "event_id": root } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ping_link_escapes_the_user_id_in_its_href_and_its_text() {
        let user =
            OwnedUserId::try_from("@x\"><img/src=y>:localhost").expect("a historical user id");
        let html = ping_links(&[user]);
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("\"><"), "{html}");
        assert_eq!(
            html,
            "<a href=\"https://matrix.to/#/@x%22%3E%3Cimg%2Fsrc%3Dy%3E:localhost\">@x&quot;&gt;&lt;img/src=y&gt;:localhost</a>"
        );
    }
}
