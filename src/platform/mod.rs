//! Platform adapters: each implements the engine's [`Chat`](crate::engine::Chat) port.

pub mod console;
#[cfg(feature = "matrix")]
pub mod matrix;
pub mod memory;
