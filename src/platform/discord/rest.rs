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
        let mut limited = 0;
        let mut failed = 0;
        let repeatable = method != Method::POST
            || body.is_some_and(|b| b["enforce_nonce"] == true && b["nonce"].is_string());
        loop {
            let mut req = self
                .http
                .request(method.clone(), format!("{}{path}", self.base))
                .header(
                    "Authorization",
                    format!("Bot {}", self.token.expose_secret()),
                );
            if let Some(b) = body {
                req = req.json(b);
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
