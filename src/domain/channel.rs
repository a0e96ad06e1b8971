//! A channel's settings that commands change and the engine reads.

/// Where a digest goes when a prompt's thread closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DigestMode {
    #[default]
    Thread,
    Channel,
    Off,
}

impl DigestMode {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "thread" | "on" => Some(Self::Thread),
            "channel" => Some(Self::Channel),
            "off" | "none" => Some(Self::Off),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Thread => "thread",
            Self::Channel => "channel",
            Self::Off => "off",
        }
    }
}
