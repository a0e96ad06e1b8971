//! Discord emulator.
