//! Platform adapters: each implements the engine's [`Chat`](crate::engine::Chat) port.

pub mod console;
#[cfg(feature = "discord")]
pub mod discord;
#[cfg(feature = "matrix")]
pub mod matrix;
#[cfg(any(test, feature = "testing"))]
pub mod memory;
