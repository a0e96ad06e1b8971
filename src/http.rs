//! The operator's window: `/healthz` and `/metrics` on an optional listener.
//!
//! `/healthz` answers 200 when the database takes a write and every platform
//! is connected, else 503 with the reasons as JSON; a process running a
//! range of the bot's Discord shards adds which (`"shards"`). `/metrics` is the
//! Prometheus text format, rendered by `metrics-exporter-prometheus` from the
//! `metrics` the engine records (see [`crate::metrics`]).

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use tokio::net::TcpListener;

use crate::db::Db;
use crate::engine::Chat;
use crate::shutdown::Shutdown;

#[derive(Clone)]
pub struct HttpState {
    pub db: Db,
    pub chats: Vec<Arc<dyn Chat>>,
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
}

pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(render_metrics))
        .with_state(state)
}

/// Serves until shutdown.
pub async fn serve(
    listener: TcpListener,
    state: HttpState,
    mut shutdown: Shutdown,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async move { shutdown.recv().await })
        .await
}

async fn healthz(State(state): State<HttpState>) -> Response {
    let mut reasons = Vec::new();
    if let Err(e) = state.db.check_writable().await {
        reasons.push(format!("database not writable: {e}"));
    }
    for chat in &state.chats {
        let down: Vec<String> = chat
            .connections()
            .iter()
            .filter(|c| !c.up)
            .map(|c| {
                format!(
                    "{} shard {} of {} is not connected",
                    chat.platform(),
                    c.shard,
                    c.total
                )
            })
            .collect();
        if !down.is_empty() {
            reasons.extend(down);
        } else if !chat.is_connected() {
            reasons.push(format!("{} is not connected", chat.platform()));
        }
    }
    // a process running a range of the bot's shards says which
    let ranges: Vec<String> = state
        .chats
        .iter()
        .filter_map(|chat| {
            crate::engine::port::shard_range(&chat.connections())
                .map(|r| format!("{} {r}", chat.platform()))
        })
        .collect();
    let mut body = if reasons.is_empty() {
        json!({ "status": "ok" })
    } else {
        json!({ "status": "unhealthy", "reasons": reasons })
    };
    if !ranges.is_empty() {
        body["shards"] = json!(ranges.join(", "));
    }
    if reasons.is_empty() {
        (StatusCode::OK, axum::Json(body)).into_response()
    } else {
        crate::metrics::error("health");
        (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response()
    }
}

async fn render_metrics(State(state): State<HttpState>) -> Response {
    for chat in &state.chats {
        crate::metrics::connected(chat.platform(), chat.is_connected());
        let connections = chat.connections();
        for c in &connections {
            crate::metrics::shard(chat.platform(), c);
        }
        if let Some(range) = crate::engine::port::shard_range(&connections) {
            crate::metrics::shard_range(chat.platform(), range);
        }
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}
