//! The states rows are in, as enums that sqlx stores as their lowercase
//! names (the very text the migrations and the SQL literals in the queries
//! use: `'pending'`, `'open'`, …), so a row carries the enum and Rust code
//! matches on it. Each compares equal to its stored text and shows as it
//! (`post.state == "open"`, `format!("{state}")`).
//!
//! A channel's [`DigestMode`] is stored the same way, but read leniently:
//! text it does not know reads as the default (`thread`), as it always has.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Postgres, Sqlite};

use crate::domain::channel::DigestMode;

/// Stored as text on both backends: written as `as_str`, read by `$read`
/// (strict for the states, lenient for a digest mode).
macro_rules! stored_as_text_on {
    ($t:ty, $read:expr, $($db:ty),*) => {$(
        impl sqlx::Type<$db> for $t {
            fn type_info() -> <$db as sqlx::Database>::TypeInfo {
                <str as sqlx::Type<$db>>::type_info()
            }

            fn compatible(ty: &<$db as sqlx::Database>::TypeInfo) -> bool {
                <&str as sqlx::Type<$db>>::compatible(ty)
            }
        }

        impl sqlx::Encode<'_, $db> for $t {
            fn encode_by_ref(
                &self,
                buf: &mut <$db as sqlx::Database>::ArgumentBuffer,
            ) -> Result<IsNull, BoxDynError> {
                <&str as sqlx::Encode<$db>>::encode_by_ref(&self.as_str(), buf)
            }
        }

        impl<'r> sqlx::Decode<'r, $db> for $t {
            fn decode(value: <$db as sqlx::Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
                let text = <&str as sqlx::Decode<$db>>::decode(value)?;
                let read: fn(&str) -> Result<$t, BoxDynError> = $read;
                read(text)
            }
        }
    )*};
}

/// A state from its stored text; any other text is an error.
macro_rules! strict {
    ($t:ident: $($v:ident),*) => {
        |text: &str| -> Result<$t, BoxDynError> {
            $(if text == $t::$v.as_str() {
                return Ok($t::$v);
            })*
            Err(format!("`{text}` is not a {}", stringify!($t)).into())
        }
    };
}

stored_as_text_on!(
    PostState,
    strict!(PostState: Pending, Sent, Open, Closed, Failed),
    Sqlite,
    Postgres
);
stored_as_text_on!(
    DigestState,
    strict!(DigestState: Pending, Sent, Uncertain, Failed),
    Sqlite,
    Postgres
);
stored_as_text_on!(
    SuggestionState,
    strict!(SuggestionState: Pending, Approved, Rejected),
    Sqlite,
    Postgres
);
stored_as_text_on!(
    DigestMode,
    |text| Ok(DigestMode::parse(text).unwrap_or_default()),
    Sqlite,
    Postgres
);

impl From<PostState> for super::sql::Arg {
    fn from(s: PostState) -> Self {
        super::sql::Arg::Text(Some(s.as_str().into()))
    }
}

impl From<DigestState> for super::sql::Arg {
    fn from(s: DigestState) -> Self {
        super::sql::Arg::Text(Some(s.as_str().into()))
    }
}

impl From<Option<DigestState>> for super::sql::Arg {
    fn from(s: Option<DigestState>) -> Self {
        super::sql::Arg::Text(s.map(|s| s.as_str().into()))
    }
}

impl From<SuggestionState> for super::sql::Arg {
    fn from(s: SuggestionState) -> Self {
        super::sql::Arg::Text(Some(s.as_str().into()))
    }
}

impl From<DigestMode> for super::sql::Arg {
    fn from(m: DigestMode) -> Self {
        super::sql::Arg::Text(Some(m.as_str().into()))
    }
}

/// Display as, and equality with, the stored text (`as_str`).
macro_rules! stored_as_text {
    ($($state:ident),*) => {$(
        impl std::fmt::Display for $state {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $state {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    )*};
}

stored_as_text!(PostState, DigestState, SuggestionState);

/// Where a post stands (column `posts.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostState {
    /// The row is written; the message may or may not have been sent.
    Pending,
    /// The message is sent; its thread may not be open yet.
    Sent,
    Open,
    Closed,
    Failed,
}

impl PostState {
    pub fn as_str(self) -> &'static str {
        match self {
            PostState::Pending => "pending",
            PostState::Sent => "sent",
            PostState::Open => "open",
            PostState::Closed => "closed",
            PostState::Failed => "failed",
        }
    }
}

/// Where a post's digest stands (column `posts.digest_state`; NULL: no
/// digest yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestState {
    /// Recorded before the send: it may or may not have gone out.
    Pending,
    Sent,
    /// It was pending and the platform cannot tell whether it went out: not resent.
    Uncertain,
    /// The platform refused it; the thread closes without one.
    Failed,
}

impl DigestState {
    pub fn as_str(self) -> &'static str {
        match self {
            DigestState::Pending => "pending",
            DigestState::Sent => "sent",
            DigestState::Uncertain => "uncertain",
            DigestState::Failed => "failed",
        }
    }
}

/// Where a suggestion stands (column `suggestions.state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionState {
    /// Waiting for an admin.
    Pending,
    /// In the channel's rotation.
    Approved,
    Rejected,
}

impl SuggestionState {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionState::Pending => "pending",
            SuggestionState::Approved => "approved",
            SuggestionState::Rejected => "rejected",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use crate::db::sql::{Arg, Row, q};

    /// Stores each value and reads back the text, then reads the text back
    /// as the value.
    async fn round_trip<T>(db: &Db, value: T, text: &str)
    where
        T: Into<Arg> + PartialEq + std::fmt::Debug + Copy,
        (T,): Row,
    {
        let stored = q("SELECT ?")
            .bind(value)
            .scalar_optional::<String>(&db.pool)
            .await
            .unwrap();
        assert_eq!(stored.as_deref(), Some(text));
        let read = q("SELECT ?")
            .bind(text)
            .scalar_optional::<T>(&db.pool)
            .await
            .unwrap();
        assert_eq!(read, Some(value));
    }

    #[tokio::test]
    async fn states_are_stored_as_the_text_the_migrations_and_queries_use() {
        let db = Db::memory().await.unwrap();
        use PostState::*;
        for s in [Pending, Sent, Open, Closed, Failed] {
            round_trip(&db, s, s.as_str()).await;
            assert_eq!(s, s.as_str());
            assert_eq!(s.to_string(), s.as_str());
        }
        assert_eq!(Pending, "pending");
        assert_eq!(Failed.to_string(), "failed");
        use DigestState as D;
        for s in [D::Pending, D::Sent, D::Uncertain, D::Failed] {
            round_trip(&db, s, s.as_str()).await;
            assert_eq!(s, s.as_str());
        }
        assert_eq!(D::Uncertain, "uncertain");
        use SuggestionState as S;
        for s in [S::Pending, S::Approved, S::Rejected] {
            round_trip(&db, s, s.as_str()).await;
            assert_eq!(s.to_string(), s.as_str());
        }
        assert_eq!(S::Approved, "approved");
        for m in [DigestMode::Thread, DigestMode::Channel, DigestMode::Off] {
            round_trip(&db, m, m.as_str()).await;
        }
    }

    #[tokio::test]
    async fn a_digest_mode_is_read_as_leniently_as_it_is_parsed() {
        let db = Db::memory().await.unwrap();
        for (text, mode) in [
            ("OFF", DigestMode::Off),
            ("none", DigestMode::Off),
            ("on", DigestMode::Thread),
            ("nonsense", DigestMode::Thread),
        ] {
            let read: Option<DigestMode> = q("SELECT ?")
                .bind(text)
                .scalar_optional(&db.pool)
                .await
                .unwrap();
            assert_eq!(read, Some(mode), "{text}");
        }
    }

    #[tokio::test]
    async fn text_that_is_no_state_does_not_read_as_one() {
        let db = Db::memory().await.unwrap();
        let read: Result<Option<PostState>, _> = q("SELECT 'Open'").scalar_optional(&db.pool).await;
        assert!(read.is_err(), "{read:?}");
    }
}
