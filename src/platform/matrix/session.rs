//! Login and sync: the stored session restored (or a new login), the first
//! sync of a new login, and the sync loop that catches up after a gap.

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use matrix_sdk::Client;
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::SyncSettings;

use super::{MatrixChat, handlers};
use crate::config::MatrixConfig;
use crate::engine::Engine;
use crate::secret::{self, ExposeSecret};
use crate::shutdown::Shutdown;

impl MatrixChat {
    /// Logs in (or restores the stored session: same device, same keys) and
    /// runs one sync, so rooms are known and old events are not taken as new.
    pub async fn connect(config: &MatrixConfig) -> anyhow::Result<Arc<MatrixChat>> {
        std::fs::create_dir_all(&config.store_dir)
            .with_context(|| format!("creating the Matrix store {}", config.store_dir.display()))?;
        let homeserver = config.homeserver.get_ref();
        let client = Client::builder()
            .homeserver_url(homeserver)
            .sqlite_store(config.store_dir.join("sdk"), None)
            .build()
            .await
            .with_context(|| format!("connecting to the homeserver {homeserver}"))?;
        let session_file = config.store_dir.join("session.json");
        let restored = match std::fs::read_to_string(&session_file) {
            Ok(text) => {
                let session: MatrixSession =
                    serde_json::from_str(&text).context("reading the stored Matrix session")?;
                client
                    .restore_session(session)
                    .await
                    .context("restoring the Matrix session")?;
                true
            }
            Err(_) => false,
        };
        if !restored {
            let password = secret::load(
                "Matrix password",
                "MATRIX_PASSWORD",
                "password_file",
                config.password_file.as_deref(),
            )?;
            client
                .matrix_auth()
                .login_username(config.user.get_ref(), password.expose_secret())
                .initial_device_display_name(&config.device_name)
                .send()
                .await
                .with_context(|| format!("logging in as {}", config.user.get_ref()))?;
            let session = client
                .matrix_auth()
                .session()
                .context("no session after login")?;
            write_private(&session_file, &serde_json::to_string(&session)?)?;
        }
        let own_user = client
            .user_id()
            .context("no user id after login")?
            .to_owned();
        let token = client
            .state_store()
            .get_kv_data(matrix_sdk::store::StateStoreDataKey::SyncToken)
            .await
            .ok()
            .flatten();
        if token.is_none() {
            // A new login: the rooms' history is not news. An initial sync
            // (no token) answers at once.
            client
                .sync_once(SyncSettings::default())
                .await
                .context("the first Matrix sync")?;
        }
        tracing::info!(user = %own_user, device = ?client.device_id(), restored, "Matrix session ready");
        Ok(Arc::new(MatrixChat {
            client,
            config: config.clone(),
            own_user,
            connected: AtomicBool::new(true),
            admitted: Mutex::new(HashSet::new()),
        }))
    }

    /// Attaches the event handlers and syncs until shutdown. The first sync
    /// resumes from the stored token without waiting, through the handlers.
    pub async fn run(self: Arc<Self>, engine: Arc<Engine>, mut shutdown: Shutdown) {
        handlers::attach(&self, engine.clone());
        let mut backoff = Duration::from_secs(1);
        let mut first = true;
        loop {
            let wait = if first {
                Duration::ZERO
            } else {
                Duration::from_secs(10)
            };
            let settings = SyncSettings::default().timeout(wait);
            let synced = tokio::select! {
                r = self.client.sync_once(settings) => r,
                _ = shutdown.recv() => break,
            };
            match synced {
                Ok(response) => {
                    let was_down = !self.connected.swap(true, Ordering::Relaxed);
                    backoff = Duration::from_secs(1);
                    // At start, after an outage or a gap in a room's timeline,
                    // read the open threads back: replies, edits, redactions.
                    let gap = response.rooms.joined.values().any(|r| r.timeline.limited);
                    if first || was_down || gap {
                        tracing::debug!(first, was_down, gap, "catching up on open threads");
                        if let Err(e) = self.catch_up(&engine).await {
                            tracing::warn!(error = %format!("{e:#}"), "catching up on open threads");
                        }
                    }
                    first = false;
                }
                Err(e) => {
                    self.connected.store(false, Ordering::Relaxed);
                    tracing::warn!(error = %e, retry_in = ?backoff, "Matrix sync failed");
                    tokio::select! {
                        _ = tokio::time::sleep(backoff) => {}
                        _ = shutdown.recv() => break,
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(60));
                }
            }
        }
        tracing::debug!("Matrix sync stopped");
    }
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    Ok(())
}
