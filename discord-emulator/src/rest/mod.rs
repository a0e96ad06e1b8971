//! The REST API under `/api/v10`: record, authorise, inject faults, route, apply.
//!
//! Handlers are plain functions on `&mut World` that return JSON or a [`DiscordError`];
//! they run inside one short lock, so a request is atomic with the dispatches it causes.

pub(crate) mod app;
mod channels;
mod interactions;
mod messages;
mod multipart;
mod routes;
mod threads;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

pub(crate) use routes::Route;

use crate::error::DiscordError;
use crate::faults::RateLimited;
use crate::limits::Exceeded;
use crate::record::RecordedRequest;
use crate::server::AppState;
use crate::world::{MAX_ATTACHMENTS, MAX_FILE_SIZE, UploadedFile, World};

const API_PREFIX: &str = "/api/v10";
/// Room for the most a message can carry (10 files of 10 MiB) and its JSON.
const MAX_BODY: usize = MAX_ATTACHMENTS * MAX_FILE_SIZE + 1024 * 1024;

/// A successful answer.
pub(crate) enum Reply {
    Json(u16, Value),
    NoContent,
}

impl Reply {
    fn ok(value: Value) -> Self {
        Self::Json(200, value)
    }
}

type Outcome = Result<Reply, DiscordError>;

/// The parsed request a handler sees.
pub(crate) struct Call<'a> {
    pub(crate) body: &'a Value,
    pub(crate) query: &'a str,
    /// File parts of a multipart body, in order.
    pub(crate) files: &'a [UploadedFile],
}

impl Call<'_> {
    /// A query parameter's value (ids and numbers need no percent-decoding).
    pub(crate) fn query(&self, key: &str) -> Option<&str> {
        self.query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }
}

/// Every request that is not the gateway WebSocket lands here.
pub(crate) async fn handle(State(app): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return error_response(&DiscordError::new(413, 40005, "Request entity too large"));
        }
    };
    let method = parts.method.as_str().to_owned();
    let full_path = parts.uri.path().to_owned();
    let query = parts.uri.query().unwrap_or_default().to_owned();
    let response = {
        let mut world = app.world();
        process(
            &mut world,
            &method,
            &full_path,
            &query,
            &parts.headers,
            &bytes,
        )
    };
    app.changed.notify_waiters();
    response
}

fn process(
    world: &mut World,
    method: &str,
    full_path: &str,
    query: &str,
    headers: &HeaderMap,
    bytes: &Bytes,
) -> Response {
    let now = Instant::now();
    let path = full_path
        .strip_prefix(API_PREFIX)
        .unwrap_or(full_path)
        .to_owned();
    let body = parse_body(headers, bytes);
    let mut record = RecordedRequest {
        method: method.to_owned(),
        path: path.clone(),
        query: (!query.is_empty()).then(|| query.to_owned()),
        body: body.as_ref().map_or(Value::Null, |(json, _)| json.clone()),
        status: 0,
        at: now.duration_since(world.started),
    };
    let route = full_path
        .starts_with(API_PREFIX)
        .then(|| Route::parse(method, &path))
        .flatten();
    let response = match route {
        None => {
            tracing::warn!(
                method,
                path = full_path,
                "request to a route the emulator does not implement"
            );
            let error = DiscordError::not_found();
            record.status = error.status;
            world.unknown_routes.push(record.clone());
            error_response(&error)
        }
        Some(route) => {
            let auth = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok());
            let authorised = auth.is_some_and(|a| a.starts_with("Bot ") && world.token_matches(a));
            let exceeded = if world.config.discord_rate_limits {
                world.limits.check(method, &path, now)
            } else {
                None
            };
            if route.needs_bot_token() && !authorised {
                error_response(&DiscordError::unauthorized())
            } else if let Some(exceeded) = exceeded {
                discord_limit_response(&exceeded)
            } else if let Some(limited) = world.faults.take_rate_limit(method, &path, now) {
                rate_limited_response(&limited)
            } else if let Some(status) = world.faults.take_failure(method, &path) {
                error_response(&injected_failure(status))
            } else {
                match body {
                    Err(e) => error_response(&e),
                    Ok((body, files)) => {
                        let call = Call {
                            body: &body,
                            query,
                            files: &files,
                        };
                        match apply(world, route, &call) {
                            // Applied, but the answer never reaches the client.
                            Ok(_) if let Some(status) = world.faults.take_lost(method, &path) => {
                                error_response(&injected_failure(status))
                            }
                            Ok(reply) => reply_response(reply),
                            Err(e) => error_response(&e),
                        }
                    }
                }
            }
        }
    };
    record.status = response.status().as_u16();
    world.requests.push(record);
    response
}

fn apply(world: &mut World, route: Route, call: &Call<'_>) -> Outcome {
    use Route::*;
    match route {
        Gateway | GatewayBot => app::gateway(world, matches!(route, GatewayBot)),
        CurrentUser => app::current_user(world),
        User(id) => app::user(world, id),
        CreateDm => channels::open_dm(world, call),
        CurrentApplication => app::application(world),
        Commands { app, guild } => app::list_commands(world, app, guild),
        PutCommands { app, guild } => app::put_commands(world, app, guild, call),
        CreateCommand { app, guild } => app::create_command(world, app, guild, call),
        DeleteCommand {
            app,
            guild,
            command,
        } => app::delete_command(world, app, guild, command),
        InteractionCallback { id, token } => interactions::callback(world, id, &token, call),
        ExecuteWebhook { app, token } => interactions::followup(world, app, &token, call),
        GetWebhookMessage {
            app,
            token,
            message,
        } => interactions::get_message(world, app, &token, message),
        EditWebhookMessage {
            app,
            token,
            message,
        } => interactions::edit_message(world, app, &token, message, call),
        DeleteWebhookMessage {
            app,
            token,
            message,
        } => interactions::delete_message(world, app, &token, message),
        GetChannel(c) => channels::get(world, c),
        EditChannel(c) => channels::edit(world, c, call),
        DeleteChannel(c) => channels::delete(world, c),
        Guild(g) => channels::guild(world, g),
        GuildChannels(g) => channels::guild_channels(world, g),
        Member(g, u) => channels::member(world, g, u),
        Roles(g) => channels::roles(world, g),
        ActiveThreads(g) => channels::active_threads(world, g),
        ArchivedPublicThreads(c) => channels::archived_public_threads(world, c, call),
        Typing(c) => channels::typing(world, c),
        ListMessages(c) => messages::list(world, c, call),
        CreateMessage(c) => messages::create(world, c, call),
        GetMessage(c, m) => messages::get(world, c, m),
        EditMessage(c, m) => messages::edit(world, c, m, call),
        DeleteMessage(c, m) => messages::delete(world, c, m),
        BulkDelete(c) => messages::bulk_delete(world, c, call),
        ListPins(c) => messages::pins(world, c),
        Pin(c, m) => messages::pin(world, c, m, true),
        Unpin(c, m) => messages::pin(world, c, m, false),
        ThreadFromMessage(c, m) => threads::from_message(world, c, m, call),
        CreateThread(c) => threads::create(world, c, call),
    }
}

/// JSON, or `payload_json` and the files of a multipart body; `Null` when empty.
fn parse_body(
    headers: &HeaderMap,
    bytes: &Bytes,
) -> Result<(Value, Vec<UploadedFile>), DiscordError> {
    if bytes.is_empty() {
        return Ok((Value::Null, Vec::new()));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type.starts_with("multipart/form-data") {
        let boundary = multipart::boundary(content_type).ok_or_else(DiscordError::invalid_json)?;
        let form = multipart::parse(bytes, &boundary)?;
        return Ok((form.json, form.files));
    }
    let json = serde_json::from_slice(bytes).map_err(|_| DiscordError::invalid_json())?;
    Ok((json, Vec::new()))
}

fn injected_failure(status: u16) -> DiscordError {
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    DiscordError::new(status, 0, format!("{status}: {reason}"))
}

fn json_response(status: u16, value: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

fn reply_response(reply: Reply) -> Response {
    match reply {
        Reply::Json(status, value) => json_response(status, &value),
        Reply::NoContent => (StatusCode::NO_CONTENT, Body::empty()).into_response(),
    }
}

fn error_response(error: &DiscordError) -> Response {
    json_response(error.status, &error.body())
}

/// 429 with Discord's body and headers, for an injected rate limit.
fn rate_limited_response(limited: &RateLimited) -> Response {
    too_many(limited.retry_after, false, &limited.bucket, 5)
}

/// 429 for one of Discord's own limits (see `limits.rs`).
fn discord_limit_response(exceeded: &Exceeded) -> Response {
    too_many(
        exceeded.retry_after,
        exceeded.global,
        &exceeded.bucket,
        exceeded.limit,
    )
}

fn too_many(retry_after: Duration, global: bool, bucket: &str, limit: u32) -> Response {
    let secs = retry_after.as_secs_f64();
    let body = serde_json::json!({
        "message": "You are being rate limited.",
        "retry_after": (secs * 1000.0).ceil() / 1000.0,
        "global": global,
    });
    let mut response = json_response(429, &body);
    let reset = SystemTime::now()
        .checked_add(retry_after)
        .unwrap_or_else(SystemTime::now)
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs_f64();
    let headers = response.headers_mut();
    let mut put = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    };
    put("retry-after", format!("{}", secs.ceil() as u64));
    put("x-ratelimit-limit", limit.to_string());
    put("x-ratelimit-remaining", "0".into());
    put("x-ratelimit-reset", format!("{reset:.3}"));
    put("x-ratelimit-reset-after", format!("{secs:.3}"));
    put("x-ratelimit-bucket", bucket.to_owned());
    // Discord's 429s come through its load balancer; discord.py takes a 429 without
    // `Via` for a Cloudflare ban and gives up instead of waiting `retry_after`.
    put("via", "1.1 google".into());
    if global {
        put("x-ratelimit-global", "true".into());
        put("x-ratelimit-scope", "global".into());
    } else {
        put("x-ratelimit-scope", "user".into());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_bodies_yield_payload_json_and_files() {
        let body = Bytes::from_static(b"--b\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"a\"\r\n\r\nxx\r\n--b\r\nContent-Disposition: form-data; name=\"payload_json\"\r\nContent-Type: application/json\r\n\r\n{\"content\":\"hi\"}\r\n--b--\r\n");
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("multipart/form-data; boundary=b"),
        );
        let (json, files) = parse_body(&headers, &body).unwrap();
        assert_eq!(json, serde_json::json!({"content": "hi"}));
        assert_eq!(files.len(), 1);
        assert_eq!(&files[0].bytes[..], b"xx");
    }

    #[test]
    fn query_parameters_are_found_by_name() {
        let body = Value::Null;
        let call = Call {
            body: &body,
            query: "limit=5&after=42",
            files: &[],
        };
        assert_eq!(call.query("after"), Some("42"));
        assert_eq!(call.query("before"), None);
    }
}
