//! Ponder's own Discord REST path for posting: prompts, threads, forum posts,
//! thread history. serenity's client drops `retry_after` from 429 answers
//! (and behind a test server its rate limiter must be off), so the calls
//! that must never be lost or doubled go through here: 429 waits exactly
//! `retry_after`, and every failure is sorted into the engine's kinds with
//! the missing permission named.
//!
//! Retries never duplicate. A 429 (nothing was done) and a connection that
//! could not be made (nothing was sent) are always retried. A 5xx, a lost
//! connection or a lost answer may come *after* Discord acted, so they are
//! retried only for requests that are safe to repeat: reads, `PUT`,
//! `PATCH`, `DELETE`, and a `POST` that carries a `nonce` with
//! `enforce_nonce` (Discord answers a repeat within its nonce window with
//! the first message). Any other `POST` (a forum post, a thread, a DM, a
//! message without a key) returns the failure at once, and the engine,
//! which knows what it was sending, looks before it sends again.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::codes;
use crate::engine::ChatError;
use crate::secret::{ExposeSecret, SecretString};

pub const DISCORD_API: &str = "https://discord.com";

/// A failed call, before it is given a meaning.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: u16,
    pub code: i64,
    pub message: String,
}

pub struct Rest {
    http: reqwest::Client,
    base: String,
    token: SecretString,
}

impl std::fmt::Debug for Rest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rest")
            .field("base", &self.base)
            .field("token", &self.token)
            .finish()
    }
}

/// How many 429s one call waits out before giving up for now.
const MAX_RATE_LIMITED: u32 = 20;
/// How many 5xx answers one call retries.
const MAX_SERVER_ERRORS: u32 = 4;

impl Rest {
    pub fn new(base: Option<&str>, token: SecretString) -> Rest {
        let base = format!(
            "{}/api/v10",
            base.unwrap_or(DISCORD_API).trim_end_matches('/')
        );
        let http = reqwest::Client::builder()
            .user_agent(concat!(
                "DiscordBot (https://github.com/ponder, ",
                env!("CARGO_PKG_VERSION"),
                ")"
            ))
            .timeout(Duration::from_secs(30))
            .build()
            .expect("an HTTP client");
        Rest { http, base, token }
    }

    /// One call, with rate limits and server errors waited out.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, CallError> {
        let repeatable = method != Method::POST || body.is_some_and(keyed);
        self.send(method, path, body.map(Body::Json), repeatable)
            .await
    }

    /// A `POST` of a message with one file attached (`multipart/form-data`:
    /// the message as `payload_json`, the file as `files[0]`), with rate
    /// limits and server errors waited out as [`Rest::call`] does.
    pub async fn post_with_file(
        &self,
        path: &str,
        message: &Value,
        name: &str,
        bytes: &[u8],
    ) -> Result<Value, CallError> {
        let mut message = message.clone();
        message["attachments"] = serde_json::json!([{ "id": 0, "filename": name }]);
        let (content_type, body) = multipart(&message, name, bytes);
        let body = Body::Multipart(content_type, body);
        self.send(Method::POST, path, Some(body), keyed(&message))
            .await
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Body<'_>>,
        repeatable: bool,
    ) -> Result<Value, CallError> {
        let mut limited = 0;
        let mut failed = 0;
        loop {
            let mut req = self
                .http
                .request(method.clone(), format!("{}{path}", self.base))
                .header(
                    "Authorization",
                    format!("Bot {}", self.token.expose_secret()),
                );
            match &body {
                Some(Body::Json(b)) => req = req.json(b),
                Some(Body::Multipart(content_type, bytes)) => {
                    req = req
                        .header("Content-Type", content_type.as_str())
                        .body(bytes.clone());
                }
                None => {}
            }
            let res = match req.send().await {
                Ok(r) => r,
                Err(e) => {
                    failed += 1;
                    // A connection never made carried nothing; any other
                    // failure may have reached Discord.
                    if failed > MAX_SERVER_ERRORS || !(repeatable || e.is_connect()) {
                        return Err(CallError::Network(e.without_url().to_string()));
                    }
                    tokio::time::sleep(backoff(failed)).await;
                    continue;
                }
            };
            let status = res.status();
            let header_wait = res
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<f64>().ok());
            let text = match res.text().await {
                Ok(t) => t,
                // The answer was lost on its way: Discord may have acted.
                Err(e) if status.is_success() => {
                    failed += 1;
                    if failed > MAX_SERVER_ERRORS || !repeatable {
                        return Err(CallError::Network(e.without_url().to_string()));
                    }
                    tokio::time::sleep(backoff(failed)).await;
                    continue;
                }
                Err(_) => String::new(),
            };
            let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            if status.is_success() {
                return Ok(json);
            }
            if status == StatusCode::TOO_MANY_REQUESTS {
                limited += 1;
                let wait = json["retry_after"]
                    .as_f64()
                    .or(header_wait)
                    .unwrap_or(1.0)
                    .clamp(0.0, 300.0);
                tracing::debug!(path, wait, global = %json["global"], "rate limited; waiting retry_after");
                if limited > MAX_RATE_LIMITED {
                    return Err(CallError::RateLimited(wait));
                }
                tokio::time::sleep(Duration::from_secs_f64(wait)).await;
                continue;
            }
            if status.is_server_error() {
                failed += 1;
                if failed > MAX_SERVER_ERRORS || !repeatable {
                    return Err(CallError::Server(status.as_u16()));
                }
                tokio::time::sleep(backoff(failed)).await;
                continue;
            }
            return Err(CallError::Api(ApiError {
                status: status.as_u16(),
                code: json["code"].as_i64().unwrap_or_default(),
                message: json["message"].as_str().unwrap_or(&text).to_string(),
            }));
        }
    }
}

/// What a call sends.
enum Body<'a> {
    Json(&'a Value),
    /// Its content type (with the boundary) and its bytes.
    Multipart(String, Vec<u8>),
}

/// A message Discord deduplicates by its `nonce` (so safe to send again).
fn keyed(message: &Value) -> bool {
    message["enforce_nonce"] == true && message["nonce"].is_string()
}

/// The `multipart/form-data` body of a message and one file, and its
/// content type; the boundary is random (128 bits), so no content holds it.
fn multipart(message: &Value, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let json = message.to_string();
    // A random 128-bit boundary: no member's text can be made to hold it
    // (a searched-for one could be made costly to find).
    let boundary = format!("ponder-part-{:032x}", rand::random::<u128>());
    let kind = match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("md") => "text/markdown; charset=utf-8",
        _ => "application/octet-stream",
    };
    let name: String = name
        .chars()
        .map(|c| if c == '"' || c.is_control() { '_' } else { c })
        .collect();
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n\
         Content-Type: application/json\r\n\r\n{json}\r\n--{boundary}\r\n\
         Content-Disposition: form-data; name=\"files[0]\"; filename=\"{name}\"\r\n\
         Content-Type: {kind}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(250 * 2u64.pow(attempt.min(6)))
}

#[derive(Debug, Clone)]
pub enum CallError {
    Network(String),
    Server(u16),
    RateLimited(f64),
    Api(ApiError),
}

impl CallError {
    /// The engine's view, naming the permission `needs` when Discord says one is missing.
    pub fn meaning(self, needs: &str, channel: &str) -> ChatError {
        match self {
            CallError::Network(e) => ChatError::Transient(format!("Discord unreachable: {e}")),
            CallError::Server(s) => ChatError::Transient(format!("Discord answered {s}")),
            CallError::RateLimited(w) => {
                ChatError::Transient(format!("still rate limited (retry after {w}s)"))
            }
            CallError::Api(e) => match (e.status, e.code) {
                (403, codes::MISSING_PERMISSIONS) => {
                    ChatError::Refused(format!("missing permission {needs} in channel {channel}"))
                }
                (403, codes::MISSING_ACCESS) => ChatError::Refused(format!(
                    "missing access (View Channel) to channel {channel}"
                )),
                // Only an unknown channel means the channel is gone; an
                // unknown message (a deleted prompt, say) is not.
                (404, codes::UNKNOWN_CHANNEL) => {
                    ChatError::Gone(format!("channel {channel} no longer exists"))
                }
                (404, codes::UNKNOWN_MESSAGE) => ChatError::Refused(format!(
                    "the message is gone (deleted?) in channel {channel}"
                )),
                (404, _) => ChatError::Refused(format!("{} (channel {channel})", e.message)),
                (401, _) => ChatError::Refused("Discord refused the bot token (401)".into()),
                _ => ChatError::Refused(format!(
                    "Discord said {} {}: {}",
                    e.status, e.code, e.message
                )),
            },
        }
    }

    pub fn code(&self) -> Option<i64> {
        match self {
            CallError::Api(e) => Some(e.code),
            _ => None,
        }
    }
}
