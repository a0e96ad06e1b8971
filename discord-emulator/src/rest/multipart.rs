//! `multipart/form-data` bodies (RFC 7578) as Discord reads them: a `payload_json` part with
//! the JSON body, and file parts named `files[n]` whose `n` is the placeholder id the
//! JSON's `attachments` refers to.
//!
//! Hand-written rather than axum's `multipart` feature: that pulls `multer` (and
//! `encoding_rs`), which are not in the workspace's dependency tree, and the parser needed
//! here is small: whole bodies already in memory, no streaming.

use axum::body::Bytes;
use serde_json::Value;

use crate::error::DiscordError;
use crate::world::{MAX_FILE_SIZE, UploadedFile};

/// A parsed multipart body: `payload_json` (`Null` if absent) and the file parts in order.
#[derive(Debug, Default)]
pub(crate) struct FormBody {
    pub(crate) json: Value,
    pub(crate) files: Vec<UploadedFile>,
}

/// The `boundary` parameter of a `multipart/form-data` content type.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.trim().split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// Splits a body into parts. Malformed bodies give 50109, as Discord answers an unreadable
/// body; a file over [`MAX_FILE_SIZE`] gives 40005.
pub(crate) fn parse(body: &Bytes, boundary: &str) -> Result<FormBody, DiscordError> {
    let malformed = DiscordError::invalid_json;
    let delimiter = format!("--{boundary}").into_bytes();
    // The first delimiter may follow a preamble; later ones follow a CRLF.
    let first = find(body, &delimiter).ok_or_else(malformed)?;
    let mut rest = body.slice(first + delimiter.len()..);
    let next_delimiter = [b"\r\n".as_slice(), &delimiter].concat();
    let mut form = FormBody {
        json: Value::Null,
        ..FormBody::default()
    };
    loop {
        if rest.starts_with(b"--") {
            return Ok(form);
        }
        // Transport padding, then the CRLF that ends the delimiter line.
        let line_end = find(&rest, b"\r\n").ok_or_else(malformed)?;
        if rest[..line_end].iter().any(|b| !matches!(b, b' ' | b'\t')) {
            return Err(malformed());
        }
        rest = rest.slice(line_end + 2..);
        let end = find(&rest, &next_delimiter).ok_or_else(malformed)?;
        let part = rest.slice(..end);
        rest = rest.slice(end + next_delimiter.len()..);
        let (headers, content) = match find(&part, b"\r\n\r\n") {
            Some(i) => (&part[..i], part.slice(i + 4..)),
            // A part with headers only and an empty body.
            None if part.ends_with(b"\r\n") => (&part[..part.len() - 2], Bytes::new()),
            None => return Err(malformed()),
        };
        let headers = std::str::from_utf8(headers).map_err(|_| malformed())?;
        let mut disposition = None;
        let mut content_type = None;
        for line in headers.split("\r\n") {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            if name.trim().eq_ignore_ascii_case("content-disposition") {
                disposition = Some(Disposition::parse(value));
            } else if name.trim().eq_ignore_ascii_case("content-type") {
                content_type = Some(value.trim().to_owned());
            }
        }
        let Some(disposition) = disposition else {
            return Err(malformed());
        };
        if disposition.name == "payload_json" && disposition.filename.is_none() {
            form.json = serde_json::from_slice(&content).map_err(|_| malformed())?;
            continue;
        }
        let placeholder = disposition
            .name
            .strip_prefix("files[")
            .and_then(|n| n.strip_suffix(']'))
            .and_then(|n| n.parse().ok());
        // Discord takes a part as a file by its filename; text fields other than
        // `payload_json` are not read.
        let Some(filename) = disposition.filename else {
            continue;
        };
        if content.len() > MAX_FILE_SIZE {
            return Err(DiscordError::too_large());
        }
        form.files.push(UploadedFile {
            placeholder,
            filename,
            content_type,
            bytes: content,
        });
    }
}

/// `Content-Disposition: form-data; name="files[0]"; filename="a.csv"`.
struct Disposition {
    name: String,
    filename: Option<String>,
}

impl Disposition {
    fn parse(value: &str) -> Self {
        let mut name = String::new();
        let mut filename = None;
        let mut rest = value;
        // Skip the disposition type ("form-data").
        if let Some(i) = rest.find(';') {
            rest = &rest[i + 1..];
        } else {
            rest = "";
        }
        while !rest.trim_start().is_empty() {
            rest = rest.trim_start();
            let Some(eq) = rest.find('=') else { break };
            let key = rest[..eq].trim().to_ascii_lowercase();
            rest = &rest[eq + 1..];
            let (value, after) = if let Some(quoted) = rest.strip_prefix('"') {
                unquote(quoted)
            } else {
                let end = rest.find(';').unwrap_or(rest.len());
                (rest[..end].trim().to_owned(), &rest[end..])
            };
            rest = after.trim_start().strip_prefix(';').unwrap_or(after);
            match key.as_str() {
                "name" => name = value,
                // RFC 5987 form (reqwest uses it for names that need percent-encoding).
                "name*" => name = ext_value(&value),
                "filename" => filename = Some(value),
                "filename*" => filename = Some(ext_value(&value)),
                _ => {}
            }
        }
        Self { name, filename }
    }
}

/// A quoted string after its opening quote, backslash escapes undone: (value, rest).
fn unquote(s: &str) -> (String, &str) {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    out.push(escaped);
                }
            }
            '"' => return (out, &s[i + 1..]),
            c => out.push(c),
        }
    }
    (out, "")
}

/// `utf-8''percent%20encoded` → `percent encoded`.
fn ext_value(value: &str) -> String {
    let encoded = value.splitn(3, '\'').nth(2).unwrap_or(value);
    percent_decode(encoded)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut start = 0;
    while let Some(offset) = haystack[start..=haystack.len() - needle.len()]
        .iter()
        .position(|b| *b == first)
    {
        let at = start + offset;
        if &haystack[at..at + needle.len()] == needle {
            return Some(at);
        }
        start = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, filename, content type, content)
    type Part<'a> = (&'a str, Option<&'a str>, Option<&'a str>, &'a [u8]);

    fn body(parts: &[Part<'_>]) -> Bytes {
        let mut out = Vec::new();
        for (name, filename, content_type, content) in parts {
            out.extend_from_slice(b"--XyZ\r\nContent-Disposition: form-data; ");
            out.extend_from_slice(format!("name=\"{name}\"").as_bytes());
            if let Some(f) = filename {
                out.extend_from_slice(format!("; filename=\"{f}\"").as_bytes());
            }
            if let Some(t) = content_type {
                out.extend_from_slice(format!("\r\nContent-Type: {t}").as_bytes());
            }
            out.extend_from_slice(b"\r\n\r\n");
            out.extend_from_slice(content);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--XyZ--\r\n");
        Bytes::from(out)
    }

    #[test]
    fn boundaries_are_read_quoted_or_not() {
        assert_eq!(
            boundary("multipart/form-data; boundary=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(
            boundary("multipart/form-data; charset=x; boundary=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(boundary("multipart/form-data"), None);
    }

    #[test]
    fn files_and_payload_json_are_read() {
        let b = body(&[
            (
                "files[0]",
                Some("x.csv"),
                Some("text/csv"),
                b"a,b\r\n1,2\r\n--not-the-boundary",
            ),
            ("files[3]", Some("q\\\"uote.bin"), None, b""),
            (
                "payload_json",
                None,
                None,
                br#"{"content":"hi","attachments":[{"id":0}]}"#,
            ),
        ]);
        let form = parse(&b, "XyZ").unwrap();
        assert_eq!(form.json["content"], "hi");
        assert_eq!(form.files.len(), 2);
        assert_eq!(form.files[0].placeholder, Some(0));
        assert_eq!(form.files[0].filename, "x.csv");
        assert_eq!(form.files[0].content_type.as_deref(), Some("text/csv"));
        assert_eq!(
            &form.files[0].bytes[..],
            b"a,b\r\n1,2\r\n--not-the-boundary"
        );
        assert_eq!(form.files[1].placeholder, Some(3));
        assert_eq!(form.files[1].filename, "q\"uote.bin");
        assert!(form.files[1].bytes.is_empty());
    }

    #[test]
    fn a_body_without_payload_json_has_null_json() {
        let form = parse(&body(&[("files[0]", Some("a"), None, b"x")]), "XyZ").unwrap();
        assert_eq!(form.json, Value::Null);
        assert_eq!(form.files.len(), 1);
    }

    #[test]
    fn extended_names_are_percent_decoded() {
        let b = Bytes::from_static(
            b"--B\r\nContent-Disposition: form-data; name*=utf-8''files%5B1%5D; filename=\"r\xc3\xa9sum\xc3\xa9.txt\"\r\n\r\nok\r\n--B--",
        );
        let form = parse(&b, "B").unwrap();
        assert_eq!(form.files[0].placeholder, Some(1));
        assert_eq!(form.files[0].filename, "résumé.txt");
    }

    #[test]
    fn malformed_bodies_and_large_files_are_refused() {
        assert_eq!(
            parse(&Bytes::from_static(b"no delimiter"), "B")
                .unwrap_err()
                .code,
            50109
        );
        assert_eq!(
            parse(
                &Bytes::from_static(b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx"),
                "B"
            )
            .unwrap_err()
            .code,
            50109
        );
        let big = vec![b'x'; MAX_FILE_SIZE + 1];
        let e = parse(&body(&[("files[0]", Some("big"), None, &big)]), "XyZ").unwrap_err();
        assert_eq!((e.status, e.code), (413, 40005));
        let ok = vec![b'x'; MAX_FILE_SIZE];
        assert!(parse(&body(&[("files[0]", Some("ok"), None, &ok)]), "XyZ").is_ok());
    }
}
