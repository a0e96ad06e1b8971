//! The operator's window: `/healthz` and `/metrics` on an optional listener.
//!
//! `/healthz` answers 200 when the database takes a write and every platform
//! is connected, else 503 with the reasons as JSON. `/metrics` is the
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
    if reasons.is_empty() {
        (StatusCode::OK, axum::Json(json!({ "status": "ok" }))).into_response()
    } else {
        crate::metrics::error("health");
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(json!({ "status": "unhealthy", "reasons": reasons })),
        )
            .into_response()
    }
}

async fn render_metrics(State(state): State<HttpState>) -> Response {
    for chat in &state.chats {
        crate::metrics::connected(chat.platform(), chat.is_connected());
        for c in chat.connections() {
            crate::metrics::shard(chat.platform(), &c);
        }
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}
