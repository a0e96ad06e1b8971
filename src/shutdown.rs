//! Shutdown as a value handed to every long-lived task (after mini-redis):
//! the app flips one watch channel; each task holds a [`Shutdown`] and
//! returns when it fires.
//!
//! The signal is *latched*: [`Trigger::fire`] stores it whether or not
//! anyone listens yet, and [`on_signals`] installs the SIGINT and SIGTERM
//! handlers before the binary does anything else. A signal that arrives
//! during start-up (a Matrix login, reconcile, a rate-limit wait) is seen by
//! the first task that subscribes afterwards, and by the start-up itself.

use tokio::sync::watch;

/// The sending side, kept by the app.
#[derive(Debug, Clone)]
pub struct Trigger(watch::Sender<bool>);

#[derive(Debug, Clone)]
pub struct Shutdown(watch::Receiver<bool>);

pub fn channel() -> (Trigger, Shutdown) {
    let (tx, rx) = watch::channel(false);
    (Trigger(tx), Shutdown(rx))
}

/// A trigger fired by the first SIGINT (Ctrl-C) or SIGTERM (`docker stop`).
/// The handlers are in place when this returns (call it inside the runtime,
/// first thing).
pub fn on_signals() -> std::io::Result<Trigger> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let (trigger, _) = channel();
    let fire = trigger.clone();
    tokio::spawn(async move {
        tokio::select! {
            _ = term.recv() => tracing::debug!("SIGTERM"),
            _ = int.recv() => tracing::debug!("SIGINT"),
        }
        fire.fire();
    });
    Ok(trigger)
}

impl Trigger {
    /// Asks every task to stop. Kept even when nobody has subscribed yet.
    pub fn fire(&self) {
        self.0.send_replace(true);
    }

    pub fn is_fired(&self) -> bool {
        *self.0.borrow()
    }

    pub fn subscribe(&self) -> Shutdown {
        Shutdown(self.0.subscribe())
    }
}

impl Shutdown {
    pub fn is_shutdown(&self) -> bool {
        *self.0.borrow()
    }

    /// Waits until shutdown is asked (returns at once if it already was).
    pub async fn recv(&mut self) {
        let _ = self.0.wait_for(|s| *s).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_shutdown_fired_before_anyone_subscribed_is_not_lost() {
        let (trigger, first) = channel();
        drop(first);
        trigger.fire();
        let mut late = trigger.subscribe();
        assert!(late.is_shutdown());
        tokio::time::timeout(std::time::Duration::from_secs(1), late.recv())
            .await
            .expect("recv returns at once");
    }
}
