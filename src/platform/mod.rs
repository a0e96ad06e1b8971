//! Platform adapters: each implements the engine's [`Chat`](crate::engine::Chat) port.

pub mod console;
pub mod memory;
