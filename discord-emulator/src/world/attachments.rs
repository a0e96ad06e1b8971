//! Message attachments: uploaded files matched to the `attachments` of a message body, as
//! Discord does on create and edit, and served back like its CDN.

use std::sync::Arc;

use axum::body::Bytes;
use serde_json::Value;

use crate::error::DiscordError;
use crate::ids::Snowflake;
use crate::model::Attachment;
use crate::payloads;

use super::World;

/// Discord's default upload limit, per file (larger ones give 40005).
pub(crate) const MAX_FILE_SIZE: usize = 10 * 1024 * 1024;
/// Attachments one message can carry (more give 30015).
pub(crate) const MAX_ATTACHMENTS: usize = 10;

/// One file part of a multipart body.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct UploadedFile {
    /// `n` of a `files[n]` part name (the snowflake placeholder); `None` for other names.
    pub(crate) placeholder: Option<u64>,
    pub(crate) filename: String,
    pub(crate) content_type: Option<String>,
    pub(crate) bytes: Bytes,
}

/// The `attachments` of a body: `None` when absent or null.
pub(crate) fn specs(body: &Value) -> Option<Vec<Value>> {
    body.get("attachments").and_then(Value::as_array).cloned()
}

impl World {
    /// The attachments a message gets from a body's `attachments` (`specs`) and its uploaded
    /// `files`. `existing` is the message's current list on an edit, `None` on a create.
    ///
    /// As on Discord: an entry refers to a new file by its placeholder (`n` of `files[n]`)
    /// or, on an edit, to an attachment the message keeps by its id; on an edit, existing
    /// attachments not listed are removed and files not listed are not added; without
    /// `attachments`, a create attaches every file and an edit keeps what the message has
    /// and appends the files. `Ok(None)` means "unchanged" (an edit with neither).
    pub(crate) fn resolve_attachments(
        &mut self,
        channel: Snowflake,
        specs: Option<&[Value]>,
        files: &[UploadedFile],
        existing: Option<&[Attachment]>,
        field: &str,
    ) -> Result<Option<Vec<Attachment>>, DiscordError> {
        let mut out = Vec::new();
        match specs {
            None if files.is_empty() => return Ok(None),
            None => {
                out.extend(existing.unwrap_or_default().iter().cloned());
                for file in files {
                    out.push(self.new_attachment(channel, file, None, None));
                }
            }
            Some(specs) => {
                let mut used = vec![false; files.len()];
                for (index, spec) in specs.iter().enumerate() {
                    let id = spec.get("id").and_then(payloads::parse_id);
                    let description = spec
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    let kept = id.and_then(|id| {
                        existing
                            .unwrap_or_default()
                            .iter()
                            .find(|a| a.id == id && !out.iter().any(|o: &Attachment| o.id == id))
                    });
                    if let Some(kept) = kept {
                        let mut kept = kept.clone();
                        if description.is_some() {
                            kept.description = description;
                        }
                        out.push(kept);
                        continue;
                    }
                    let file = id.and_then(|id| {
                        files
                            .iter()
                            .enumerate()
                            .position(|(i, f)| !used[i] && f.placeholder == Some(id))
                    });
                    let Some(file) = file else {
                        return Err(DiscordError::invalid_form(
                            &format!("{field}attachments.{index}"),
                            "ATTACHMENT_NOT_FOUND",
                            "Attachment data not found",
                        ));
                    };
                    used[file] = true;
                    let filename = spec
                        .get("filename")
                        .and_then(Value::as_str)
                        .filter(|f| !f.is_empty());
                    let attachment =
                        self.new_attachment(channel, &files[file], filename, description);
                    out.push(attachment);
                }
                if existing.is_none() {
                    for (file, _) in files.iter().zip(&used).filter(|(_, used)| !**used) {
                        out.push(self.new_attachment(channel, file, None, None));
                    }
                }
            }
        }
        if out.len() > MAX_ATTACHMENTS {
            return Err(DiscordError::too_many_attachments());
        }
        Ok(Some(out))
    }

    fn new_attachment(
        &mut self,
        channel: Snowflake,
        file: &UploadedFile,
        filename: Option<&str>,
        description: Option<String>,
    ) -> Attachment {
        let id = self.ids.next();
        let filename = filename.unwrap_or(&file.filename).to_owned();
        Attachment {
            id,
            url: format!(
                "{}/attachments/{channel}/{id}/{}",
                self.http_origin(),
                percent_encode_segment(&filename)
            ),
            filename,
            content_type: file.content_type.clone(),
            description,
            bytes: Arc::from(&file.bytes[..]),
        }
    }

    /// `http://127.0.0.1:P`, from the gateway URL.
    fn http_origin(&self) -> String {
        self.gateway_url
            .trim_end_matches("/gateway")
            .replacen("ws://", "http://", 1)
    }

    /// An attachment by channel, id and filename, as `GET /attachments/...` serves it: on a
    /// message of the channel, or a file a member uploaded with a command there.
    pub(crate) fn find_attachment(
        &self,
        channel: Snowflake,
        id: Snowflake,
        filename: &str,
    ) -> Option<&Attachment> {
        let uploaded = self
            .command_files
            .get(&id)
            .filter(|(c, a)| *c == channel && a.filename == filename)
            .map(|(_, a)| a);
        uploaded.or_else(|| {
            self.messages
                .get(&channel)?
                .values()
                .flat_map(|m| &m.attachments)
                .find(|a| a.id == id && a.filename == filename)
        })
    }

    /// `GET /attachments/...`: `find_attachment`, counted in `downloads`.
    pub(crate) fn download_attachment(
        &mut self,
        channel: Snowflake,
        id: Snowflake,
        filename: &str,
    ) -> Option<Attachment> {
        let found = self.find_attachment(channel, id, filename).cloned();
        if found.is_some() {
            *self.downloads.entry(id).or_default() += 1;
        }
        found
    }

    /// How many times attachments named `filename` were downloaded.
    pub(crate) fn downloads_of(&self, filename: &str) -> u32 {
        let named = |id: &Snowflake| {
            self.command_files
                .get(id)
                .map(|(_, a)| a.filename == filename)
                .unwrap_or_else(|| {
                    self.messages
                        .values()
                        .flat_map(|m| m.values())
                        .flat_map(|m| &m.attachments)
                        .any(|a| a.id == *id && a.filename == filename)
                })
        };
        self.downloads
            .iter()
            .filter(|(id, _)| named(id))
            .map(|(_, n)| n)
            .sum()
    }

    /// The file a member uploads with a slash command (an ATTACHMENT option, type 11), from
    /// the test-friendly value `{"filename": "pack.toml", "content": "<UTF-8 text>"}` or
    /// `{"filename": "a.bin", "bytes": [0, 255, ...]}` (optional `"content_type"`, else
    /// guessed from the extension). Stored like Discord's CDN does and served at its `url`.
    pub(crate) fn command_upload(
        &mut self,
        channel: Snowflake,
        value: &Value,
        field: &str,
    ) -> Result<Attachment, DiscordError> {
        let bad = |message: &str| DiscordError::invalid_form(field, "ATTACHMENT_INVALID", message);
        let filename = value
            .get("filename")
            .and_then(Value::as_str)
            .filter(|f| !f.is_empty() && !f.contains('/'))
            .ok_or_else(|| bad("An attachment option needs a filename (without '/')"))?;
        let bytes: Vec<u8> = match (value.get("content"), value.get("bytes")) {
            (Some(Value::String(text)), None) => text.as_bytes().to_vec(),
            (None, Some(Value::Array(items))) => items
                .iter()
                .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                .collect::<Option<_>>()
                .ok_or_else(|| bad("`bytes` must be numbers 0-255"))?,
            _ => return Err(bad("An attachment option needs `content` or `bytes`")),
        };
        if bytes.len() > MAX_FILE_SIZE {
            return Err(DiscordError::too_large());
        }
        let content_type = value
            .get("content_type")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| guess_content_type(filename).map(str::to_owned));
        let file = UploadedFile {
            placeholder: None,
            filename: filename.to_owned(),
            content_type,
            bytes: Bytes::from(bytes),
        };
        let attachment = self.new_attachment(channel, &file, None, None);
        self.command_files
            .insert(attachment.id, (channel, attachment.clone()));
        Ok(attachment)
    }
}

/// The `content_type` Discord gives common text files.
fn guess_content_type(filename: &str) -> Option<&'static str> {
    let extension = filename.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "toml" => "application/toml",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        _ => return None,
    })
}

/// Percent-encodes a filename for a URL path segment (unreserved characters stay).
fn percent_encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::config::EmulatorConfig;

    fn file(n: u64, name: &str, bytes: &'static [u8]) -> UploadedFile {
        UploadedFile {
            placeholder: Some(n),
            filename: name.into(),
            content_type: Some("text/plain".into()),
            bytes: Bytes::from_static(bytes),
        }
    }

    fn world() -> World {
        World::new(EmulatorConfig::default(), "ws://127.0.0.1:9/gateway".into())
    }

    #[test]
    fn creates_match_placeholders_and_attach_every_file() {
        let mut w = world();
        let files = [file(0, "a.txt", b"A"), file(1, "b.txt", b"B")];
        let specs = [json!({"id": 1, "filename": "renamed.txt", "description": "bee"})];
        let got = w
            .resolve_attachments(5, Some(&specs), &files, None, "")
            .unwrap()
            .unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].filename, "renamed.txt");
        assert_eq!(got[0].description.as_deref(), Some("bee"));
        assert_eq!(&got[0].bytes[..], b"B");
        assert_eq!(got[1].filename, "a.txt");
        assert_eq!(
            got[1].url,
            format!("http://127.0.0.1:9/attachments/5/{}/a.txt", got[1].id)
        );
        assert_eq!(w.resolve_attachments(5, None, &[], None, "").unwrap(), None);
    }

    #[test]
    fn edits_keep_listed_ids_and_drop_the_rest() {
        let mut w = world();
        let files = [file(0, "a.txt", b"A"), file(1, "b.txt", b"B")];
        let old = w
            .resolve_attachments(5, None, &files, None, "")
            .unwrap()
            .unwrap();
        // No `attachments`, no files: unchanged.
        assert_eq!(
            w.resolve_attachments(5, None, &[], Some(&old), "").unwrap(),
            None
        );
        // `[]` removes them all.
        let none = w
            .resolve_attachments(5, Some(&[]), &[], Some(&old), "")
            .unwrap();
        assert_eq!(none, Some(Vec::new()));
        // Keep the second by id (a string, as serenity sends it) and add a new file.
        let specs = [json!({"id": old[1].id.to_string()}), json!({"id": 0})];
        let new = [file(0, "c.txt", b"C"), file(1, "unlisted.txt", b"D")];
        let got = w
            .resolve_attachments(5, Some(&specs), &new, Some(&old), "")
            .unwrap()
            .unwrap();
        assert_eq!(
            got.iter().map(|a| a.filename.as_str()).collect::<Vec<_>>(),
            ["b.txt", "c.txt"]
        );
        assert_eq!(got[0].id, old[1].id);
        // Without `attachments`, files are appended to what the message has.
        let got = w
            .resolve_attachments(5, None, &new[..1], Some(&old), "")
            .unwrap()
            .unwrap();
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn unknown_references_and_more_than_ten_are_refused() {
        let mut w = world();
        let e = w
            .resolve_attachments(5, Some(&[json!({"id": 7})]), &[], None, "data.")
            .unwrap_err();
        assert_eq!(e.code, 50035);
        assert_eq!(
            e.body()["errors"]["data"]["attachments"]["0"]["_errors"][0]["code"],
            "ATTACHMENT_NOT_FOUND"
        );
        let eleven: Vec<UploadedFile> = (0..11).map(|n| file(n, "f", b"x")).collect();
        let e = w
            .resolve_attachments(5, None, &eleven, None, "")
            .unwrap_err();
        assert_eq!((e.status, e.code), (400, 30015));
        assert!(
            w.resolve_attachments(5, None, &eleven[..10], None, "")
                .is_ok()
        );
    }
}
