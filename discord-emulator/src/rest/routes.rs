//! REST routes, parsed from method and path into a typed value before anything is applied.

use crate::ids::Snowflake;

/// `@original` or a followup's id in webhook message routes.
pub(crate) type WebhookMessage = Option<Snowflake>;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Route {
    Gateway,
    GatewayBot,
    CurrentUser,
    User(Snowflake),
    CreateDm,
    CurrentApplication,
    Commands {
        app: Snowflake,
        guild: Option<Snowflake>,
    },
    PutCommands {
        app: Snowflake,
        guild: Option<Snowflake>,
    },
    CreateCommand {
        app: Snowflake,
        guild: Option<Snowflake>,
    },
    DeleteCommand {
        app: Snowflake,
        guild: Option<Snowflake>,
        command: Snowflake,
    },
    InteractionCallback {
        id: Snowflake,
        token: String,
    },
    ExecuteWebhook {
        app: Snowflake,
        token: String,
    },
    GetWebhookMessage {
        app: Snowflake,
        token: String,
        message: WebhookMessage,
    },
    EditWebhookMessage {
        app: Snowflake,
        token: String,
        message: WebhookMessage,
    },
    DeleteWebhookMessage {
        app: Snowflake,
        token: String,
        message: WebhookMessage,
    },
    GetChannel(Snowflake),
    EditChannel(Snowflake),
    DeleteChannel(Snowflake),
    ListMessages(Snowflake),
    CreateMessage(Snowflake),
    GetMessage(Snowflake, Snowflake),
    EditMessage(Snowflake, Snowflake),
    DeleteMessage(Snowflake, Snowflake),
    BulkDelete(Snowflake),
    ThreadFromMessage(Snowflake, Snowflake),
    CreateThread(Snowflake),
    ListPins(Snowflake),
    Pin(Snowflake, Snowflake),
    Unpin(Snowflake, Snowflake),
    Typing(Snowflake),
    Guild(Snowflake),
    GuildChannels(Snowflake),
    Member(Snowflake, Snowflake),
    Roles(Snowflake),
    ActiveThreads(Snowflake),
    ArchivedPublicThreads(Snowflake),
}

impl Route {
    /// The route for a method and a path relative to `/api/v10`; `None` if not emulated.
    pub(crate) fn parse(method: &str, path: &str) -> Option<Self> {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let id = |s: &str| s.parse::<Snowflake>().ok();
        let webhook_message = |s: &str| match s {
            "@original" => Some(None),
            other => id(other).map(Some),
        };
        use Route::*;
        let route = match (method, segments.as_slice()) {
            ("GET", ["gateway"]) => Gateway,
            ("GET", ["gateway", "bot"]) => GatewayBot,
            ("GET", ["users", "@me"]) => CurrentUser,
            ("POST", ["users", "@me", "channels"]) => CreateDm,
            ("GET", ["users", u]) => User(id(u)?),
            ("GET", ["oauth2", "applications", "@me"] | ["applications", "@me"]) => {
                CurrentApplication
            }
            (m, ["applications", app, "commands"]) => {
                let (app, guild) = (id(app)?, None);
                match m {
                    "GET" => Commands { app, guild },
                    "PUT" => PutCommands { app, guild },
                    "POST" => CreateCommand { app, guild },
                    _ => return None,
                }
            }
            ("DELETE", ["applications", app, "commands", c]) => DeleteCommand {
                app: id(app)?,
                guild: None,
                command: id(c)?,
            },
            (m, ["applications", app, "guilds", g, "commands"]) => {
                let (app, guild) = (id(app)?, Some(id(g)?));
                match m {
                    "GET" => Commands { app, guild },
                    "PUT" => PutCommands { app, guild },
                    "POST" => CreateCommand { app, guild },
                    _ => return None,
                }
            }
            ("DELETE", ["applications", app, "guilds", g, "commands", c]) => DeleteCommand {
                app: id(app)?,
                guild: Some(id(g)?),
                command: id(c)?,
            },
            ("POST", ["interactions", i, token, "callback"]) => InteractionCallback {
                id: id(i)?,
                token: token.to_string(),
            },
            ("POST", ["webhooks", app, token]) => ExecuteWebhook {
                app: id(app)?,
                token: token.to_string(),
            },
            (m, ["webhooks", app, token, "messages", msg]) => {
                let (app, token, message) = (id(app)?, token.to_string(), webhook_message(msg)?);
                match m {
                    "GET" => GetWebhookMessage {
                        app,
                        token,
                        message,
                    },
                    "PATCH" => EditWebhookMessage {
                        app,
                        token,
                        message,
                    },
                    "DELETE" => DeleteWebhookMessage {
                        app,
                        token,
                        message,
                    },
                    _ => return None,
                }
            }
            ("GET", ["channels", c]) => GetChannel(id(c)?),
            ("PATCH", ["channels", c]) => EditChannel(id(c)?),
            ("DELETE", ["channels", c]) => DeleteChannel(id(c)?),
            ("GET", ["channels", c, "messages"]) => ListMessages(id(c)?),
            ("POST", ["channels", c, "messages"]) => CreateMessage(id(c)?),
            ("POST", ["channels", c, "messages", "bulk-delete" | "bulk_delete"]) => {
                BulkDelete(id(c)?)
            }
            ("GET", ["channels", c, "messages", "pins"] | ["channels", c, "pins"]) => {
                ListPins(id(c)?)
            }
            ("PUT", ["channels", c, "messages", "pins", m] | ["channels", c, "pins", m]) => {
                Pin(id(c)?, id(m)?)
            }
            ("DELETE", ["channels", c, "messages", "pins", m] | ["channels", c, "pins", m]) => {
                Unpin(id(c)?, id(m)?)
            }
            ("GET", ["channels", c, "messages", m]) => GetMessage(id(c)?, id(m)?),
            ("PATCH", ["channels", c, "messages", m]) => EditMessage(id(c)?, id(m)?),
            ("DELETE", ["channels", c, "messages", m]) => DeleteMessage(id(c)?, id(m)?),
            ("POST", ["channels", c, "messages", m, "threads"]) => {
                ThreadFromMessage(id(c)?, id(m)?)
            }
            ("POST", ["channels", c, "threads"]) => CreateThread(id(c)?),
            ("POST", ["channels", c, "typing"]) => Typing(id(c)?),
            ("GET", ["guilds", g]) => Guild(id(g)?),
            ("GET", ["guilds", g, "channels"]) => GuildChannels(id(g)?),
            ("GET", ["guilds", g, "members", u]) => Member(id(g)?, id(u)?),
            ("GET", ["guilds", g, "roles"]) => Roles(id(g)?),
            ("GET", ["guilds", g, "threads", "active"]) => ActiveThreads(id(g)?),
            ("GET", ["channels", c, "threads", "archived", "public"]) => {
                ArchivedPublicThreads(id(c)?)
            }
            _ => return None,
        };
        Some(route)
    }

    /// Interaction callbacks and webhook routes are authorised by the token in the path, as
    /// on Discord; everything else needs `Authorization: Bot <token>`.
    pub(crate) fn needs_bot_token(&self) -> bool {
        !matches!(
            self,
            Route::InteractionCallback { .. }
                | Route::ExecuteWebhook { .. }
                | Route::GetWebhookMessage { .. }
                | Route::EditWebhookMessage { .. }
                | Route::DeleteWebhookMessage { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_parse_from_method_and_path() {
        let cases = [
            ("GET", "/gateway", Some(Route::Gateway)),
            ("POST", "/users/@me/channels", Some(Route::CreateDm)),
            (
                "GET",
                "/oauth2/applications/@me",
                Some(Route::CurrentApplication),
            ),
            (
                "PUT",
                "/applications/1/guilds/2/commands",
                Some(Route::PutCommands {
                    app: 1,
                    guild: Some(2),
                }),
            ),
            (
                "POST",
                "/interactions/5/tok/callback",
                Some(Route::InteractionCallback {
                    id: 5,
                    token: "tok".into(),
                }),
            ),
            (
                "PATCH",
                "/webhooks/1/tok/messages/@original",
                Some(Route::EditWebhookMessage {
                    app: 1,
                    token: "tok".into(),
                    message: None,
                }),
            ),
            (
                "GET",
                "/webhooks/1/tok/messages/9",
                Some(Route::GetWebhookMessage {
                    app: 1,
                    token: "tok".into(),
                    message: Some(9),
                }),
            ),
            (
                "POST",
                "/channels/3/messages",
                Some(Route::CreateMessage(3)),
            ),
            (
                "POST",
                "/channels/3/messages/bulk-delete",
                Some(Route::BulkDelete(3)),
            ),
            (
                "POST",
                "/channels/3/messages/4/threads",
                Some(Route::ThreadFromMessage(3, 4)),
            ),
            ("PUT", "/channels/3/pins/4", Some(Route::Pin(3, 4))),
            ("PUT", "/channels/3/messages/pins/4", Some(Route::Pin(3, 4))),
            (
                "GET",
                "/channels/3/messages/4",
                Some(Route::GetMessage(3, 4)),
            ),
            ("GET", "/channels/abc", None),
            ("POST", "/channels/3", None),
            ("GET", "/voice/regions", None),
        ];
        for (method, path, want) in cases {
            assert_eq!(Route::parse(method, path), want, "{method} {path}");
        }
    }
}
