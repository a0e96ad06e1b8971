//! Ponder's own Discord REST path for posting: prompts, threads, forum posts,
//! thread history. serenity's client drops `retry_after` from 429 answers
//! (and behind a test server its rate limiter must be off), so the calls
//! that must never be lost or doubled go through here: 429 waits exactly
//! `retry_after`, 5xx retries with backoff, and every failure is sorted into
//! the engine's kinds with the missing permission named.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::Value;

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
                    if failed > MAX_SERVER_ERRORS {
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
            let text = res.text().await.unwrap_or_default();
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
                if failed > MAX_SERVER_ERRORS {
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
                (403, 50013) => {
                    ChatError::Refused(format!("missing permission {needs} in channel {channel}"))
                }
                (403, 50001) => ChatError::Refused(format!(
                    "missing access (View Channel) to channel {channel}"
                )),
                (404, 10003) => ChatError::Gone(format!("channel {channel} no longer exists")),
                (404, _) => ChatError::Gone(format!("{} (channel {channel})", e.message)),
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
