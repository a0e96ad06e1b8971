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
use sqlx::sqlite::{Sqlite, SqliteTypeInfo, SqliteValueRef};

use crate::domain::channel::DigestMode;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "TEXT", rename_all = "lowercase")]
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

// `DigestMode` belongs to the domain, which knows no sqlx: its storage is
// written here, by hand, to keep the lenient reading of `DigestMode::parse`.
impl sqlx::Type<Sqlite> for DigestMode {
    fn type_info() -> SqliteTypeInfo {
        <str as sqlx::Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <&str as sqlx::Type<Sqlite>>::compatible(ty)
    }
}

impl sqlx::Encode<'_, Sqlite> for DigestMode {
    fn encode_by_ref(
        &self,
        buf: &mut <Sqlite as sqlx::Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        <&str as sqlx::Encode<Sqlite>>::encode_by_ref(&self.as_str(), buf)
    }
}

impl<'r> sqlx::Decode<'r, Sqlite> for DigestMode {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as sqlx::Decode<Sqlite>>::decode(value)?;
        Ok(DigestMode::parse(text).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    /// Stores each value and reads back the text, then reads the text back
    /// as the value.
    async fn round_trip<T>(db: &Db, value: T, text: &str)
    where
        T: for<'q> sqlx::Encode<'q, Sqlite>
            + for<'r> sqlx::Decode<'r, Sqlite>
            + sqlx::Type<Sqlite>
            + PartialEq
            + std::fmt::Debug
            + Copy
            + Send
            + Unpin,
    {
        let stored: String = sqlx::query_scalar("SELECT ?")
            .bind(value)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(stored, text);
        let read: T = sqlx::query_scalar("SELECT ?")
            .bind(text)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(read, value);
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
            let read: DigestMode = sqlx::query_scalar("SELECT ?")
                .bind(text)
                .fetch_one(&db.pool)
                .await
                .unwrap();
            assert_eq!(read, mode, "{text}");
        }
    }

    #[tokio::test]
    async fn text_that_is_no_state_does_not_read_as_one() {
        let db = Db::memory().await.unwrap();
        let read: Result<PostState, _> = sqlx::query_scalar("SELECT 'Open'")
            .fetch_one(&db.pool)
            .await;
        assert!(read.is_err(), "{read:?}");
    }
}
