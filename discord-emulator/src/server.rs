//! The HTTP server: `/gateway` for WebSockets, everything else to the REST handler.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::config::EmulatorConfig;
use crate::world::World;

/// Shared by every request handler and connection task.
#[derive(Clone)]
pub(crate) struct AppState {
    world: Arc<Mutex<World>>,
    /// Woken after every request and gateway frame, for `Emulator::wait_until`.
    pub(crate) changed: Arc<Notify>,
    pub(crate) shutdown: watch::Receiver<bool>,
}

impl AppState {
    /// Locks the world. A panic elsewhere must not wedge every later test step, so a
    /// poisoned lock is taken over.
    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running server.
pub(crate) struct Running {
    pub(crate) app: AppState,
    pub(crate) addr: SocketAddr,
    pub(crate) shutdown: watch::Sender<bool>,
    pub(crate) task: JoinHandle<()>,
}

/// `GET /attachments/{channel}/{attachment}/{filename}`: an attachment's bytes, without
/// authorisation, like Discord's CDN. Unknown ones give 404 (outside the API, so not
/// recorded as unknown routes); `fail_next("GET /attachments/**", ..)` fails them too.
async fn attachment(
    State(app): State<AppState>,
    Path((channel, attachment, filename)): Path<(String, String, String)>,
) -> Response {
    let path = format!("/attachments/{channel}/{attachment}/{filename}");
    if let Some(status) = app.world().faults.take_failure("GET", &path) {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return (status, format!("{status}")).into_response();
    }
    let found = match (channel.parse(), attachment.parse()) {
        (Ok(channel), Ok(attachment)) => app
            .world()
            .download_attachment(channel, attachment, &filename)
            .map(|a| (a.content_type, a.bytes)),
        _ => None,
    };
    match found {
        Some((content_type, bytes)) => {
            let content_type = content_type.unwrap_or_else(|| "application/octet-stream".into());
            (
                [(header::CONTENT_TYPE, content_type)],
                Body::from(bytes.to_vec()),
            )
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "404: Not Found").into_response(),
    }
}

pub(crate) async fn start(config: EmulatorConfig) -> anyhow::Result<Running> {
    let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
    let addr = listener.local_addr()?;
    let world = World::new(config, format!("ws://{addr}/gateway"));
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let app = AppState {
        world: Arc::new(Mutex::new(world)),
        changed: Arc::new(Notify::new()),
        shutdown: shutdown_rx,
    };
    let router = Router::new()
        .route("/gateway", get(crate::gateway::upgrade))
        .route(
            "/attachments/{channel}/{attachment}/{filename}",
            get(attachment),
        )
        .fallback(crate::rest::handle)
        .with_state(app.clone());
    let mut stop = app.shutdown.clone();
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, router).with_graceful_shutdown(async move {
            let _ = stop.wait_for(|s| *s).await;
        });
        if let Err(e) = serve.await {
            tracing::error!(error = %e, "emulator server failed");
        }
    });
    Ok(Running {
        app,
        addr,
        shutdown: shutdown_tx,
        task,
    })
}
