#![recursion_limit = "256"]
//! Matrix end to end: the real `ponder` binary and a real Synapse on
//! loopback; the humans are matrix-sdk clients of their own.
//!
//! Synapse comes from PyPI into a venv under the target directory (installed
//! on first use, about 30 s) and is started once per test run by
//! `synapse.py`. If it cannot be had, these tests fail: they never skip.

mod bot;
#[path = "../support/export.rs"]
mod export;
mod homeserver;
mod human;
#[path = "../../benches/support/machine.rs"]
mod machine;
#[path = "../support/ponder.rs"]
mod ponder;
#[path = "../support/postgres.rs"]
mod postgres;
#[path = "../support/slots.rs"]
mod slots;

mod archive;
mod bench;
mod community;
mod crash;
mod encrypted;
mod languages;
mod packs;
mod promises;
mod rooms;
