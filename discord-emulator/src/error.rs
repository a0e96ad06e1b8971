//! Errors in Discord's shape: an HTTP status, a JSON error code and a message.

use serde_json::{Value, json};

/// An error the emulated API answers with, e.g. 403 `{"message":"Missing Permissions","code":50013}`.
///
/// Member actions driven by tests return it inside `anyhow::Error`; downcast to inspect it.
#[derive(Clone, Debug, PartialEq)]
pub struct DiscordError {
    pub status: u16,
    pub code: u32,
    pub message: String,
    /// Field errors for code 50035 "Invalid Form Body".
    pub errors: Option<Value>,
}

impl DiscordError {
    pub fn new(status: u16, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            errors: None,
        }
    }

    /// The JSON body Discord sends.
    pub fn body(&self) -> Value {
        let mut body = json!({"message": self.message, "code": self.code});
        if let Some(errors) = &self.errors {
            body["errors"] = errors.clone();
        }
        body
    }

    pub(crate) fn unauthorized() -> Self {
        Self::new(401, 0, "401: Unauthorized")
    }

    pub(crate) fn not_found() -> Self {
        Self::new(404, 0, "404: Not Found")
    }

    pub(crate) fn unknown_channel() -> Self {
        Self::new(404, 10003, "Unknown Channel")
    }

    pub(crate) fn unknown_guild() -> Self {
        Self::new(404, 10004, "Unknown Guild")
    }

    pub(crate) fn unknown_member() -> Self {
        Self::new(404, 10007, "Unknown Member")
    }

    pub(crate) fn unknown_message() -> Self {
        Self::new(404, 10008, "Unknown Message")
    }

    pub(crate) fn unknown_user() -> Self {
        Self::new(404, 10013, "Unknown User")
    }

    pub(crate) fn unknown_webhook() -> Self {
        Self::new(404, 10015, "Unknown Webhook")
    }

    pub(crate) fn unknown_interaction() -> Self {
        Self::new(404, 10062, "Unknown interaction")
    }

    pub(crate) fn unknown_application() -> Self {
        Self::new(404, 10002, "Unknown Application")
    }

    pub(crate) fn unknown_command() -> Self {
        Self::new(404, 10063, "Unknown application command")
    }

    pub(crate) fn missing_access() -> Self {
        Self::new(403, 50001, "Missing Access")
    }

    pub(crate) fn missing_permissions() -> Self {
        Self::new(403, 50013, "Missing Permissions")
    }

    pub(crate) fn not_author() -> Self {
        Self::new(403, 50005, "Cannot edit a message authored by another user")
    }

    pub(crate) fn empty_message() -> Self {
        Self::new(400, 50006, "Cannot send an empty message")
    }

    pub(crate) fn archived_thread() -> Self {
        Self::new(
            400,
            50083,
            "Operation cannot be performed on an archived thread",
        )
    }

    pub(crate) fn already_acknowledged() -> Self {
        Self::new(400, 40060, "Interaction has already been acknowledged.")
    }

    pub(crate) fn thread_exists() -> Self {
        Self::new(
            400,
            160004,
            "A thread has already been created for this message",
        )
    }

    pub(crate) fn tag_required() -> Self {
        Self::new(
            400,
            40067,
            "A tag is required to create a forum post in this channel",
        )
    }

    /// 40005: a body or an uploaded file over the limit (10 MiB per file by default).
    pub(crate) fn too_large() -> Self {
        Self::new(413, 40005, "Request entity too large")
    }

    /// 30015: more than 10 attachments on one message.
    pub(crate) fn too_many_attachments() -> Self {
        Self::new(
            400,
            30015,
            "Maximum number of attachments in a message reached (10)",
        )
    }

    pub(crate) fn invalid_json() -> Self {
        Self::new(400, 50109, "The request body contains invalid JSON.")
    }

    /// 50035 "Invalid Form Body" with one field error, like Discord's nested `errors` object.
    pub(crate) fn invalid_form(field: &str, code: &str, message: &str) -> Self {
        let mut errors = json!({"_errors": [{"code": code, "message": message}]});
        for part in field.rsplit('.') {
            errors = json!({ part: errors });
        }
        Self {
            errors: Some(errors),
            ..Self::new(400, 50035, "Invalid Form Body")
        }
    }
}

impl std::fmt::Display for DiscordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} (code {})", self.status, self.message, self.code)
    }
}

impl std::error::Error for DiscordError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_errors_nest_by_field_path() {
        let e = DiscordError::invalid_form("message.content", "BASE_TYPE_MAX_LENGTH", "too long");
        assert_eq!(
            e.body()["errors"]["message"]["content"]["_errors"][0]["code"],
            "BASE_TYPE_MAX_LENGTH"
        );
    }
}
