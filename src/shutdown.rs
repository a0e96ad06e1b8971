//! Shutdown as a value handed to every long-lived task (after mini-redis):
//! the app flips one watch channel; each task holds a [`Shutdown`] and
//! returns when it fires.

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

impl Trigger {
    /// Asks every task to stop, including tasks that subscribe later: a
    /// signal during start-up, before any task holds a [`Shutdown`], is kept
    /// (a plain `send` would drop it when nobody is subscribed yet).
    pub fn fire(&self) {
        self.0.send_replace(true);
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
