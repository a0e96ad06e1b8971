//! Message components: action rows of buttons (and select menus) on the bot's messages,
//! validated the way Discord validates them, and the button a member clicks.
//!
//! Discord's rules (legacy components, without the IS_COMPONENTS_V2 flag): at most 5 action
//! rows; a row holds 1-5 buttons or exactly one select menu; every component except a link
//! or premium button needs a `custom_id` of at most 100 characters, unique in the message; a
//! link button (style 5) needs a `url` and takes no `custom_id`; a label is at most 80
//! characters. Violations answer 50035 with the field path, e.g. `components.0.components.5`.

use serde_json::Value;

use crate::error::DiscordError;
use crate::ids::Snowflake;

use super::World;
use super::interactions::InteractionRequest;

pub(crate) const ACTION_ROW: u64 = 1;
pub(crate) const BUTTON: u64 = 2;
const TEXT_INPUT: u64 = 4;
/// String, user, role, mentionable and channel selects.
const SELECTS: [u64; 5] = [3, 5, 6, 7, 8];
const STYLE_LINK: u64 = 5;
const STYLE_PREMIUM: u64 = 6;
const MAX_ROWS: usize = 5;
const MAX_BUTTONS_PER_ROW: usize = 5;
const MAX_CUSTOM_ID: usize = 100;
const MAX_LABEL: usize = 80;

fn error(field: &str, code: &str, message: &str) -> DiscordError {
    DiscordError::invalid_form(field, code, message)
}

fn kind(component: &Value) -> Option<u64> {
    component.get("type").and_then(Value::as_u64)
}

fn text<'a>(component: &'a Value, key: &str) -> Option<&'a str> {
    component.get(key).and_then(Value::as_str)
}

/// Checks a message's `components`; `field` is where they sit (`components`,
/// `data.components`).
pub(crate) fn validate(components: &[Value], field: &str) -> Result<(), DiscordError> {
    if components.len() > MAX_ROWS {
        return Err(error(
            field,
            "BASE_TYPE_MAX_LENGTH",
            "Must be 5 or fewer in length.",
        ));
    }
    let mut custom_ids: Vec<&str> = Vec::new();
    for (r, row) in components.iter().enumerate() {
        let at = format!("{field}.{r}");
        if kind(row) != Some(ACTION_ROW) {
            return Err(error(
                &format!("{at}.type"),
                "UNION_TYPE_CHOICES",
                "Value of field \"type\" must be one of (1,).",
            ));
        }
        let children = row
            .get("components")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if children.is_empty() || children.len() > MAX_BUTTONS_PER_ROW {
            return Err(error(
                &format!("{at}.components"),
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 5 in length.",
            ));
        }
        let selects = children
            .iter()
            .filter(|c| kind(c).is_some_and(|k| SELECTS.contains(&k)))
            .count();
        if selects > 0 && children.len() > 1 {
            return Err(error(
                &format!("{at}.components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            ));
        }
        for (c, child) in children.iter().enumerate() {
            let here = format!("{at}.components.{c}");
            let needs_custom_id = match kind(child) {
                Some(BUTTON) => validate_button(child, &here)?,
                Some(k) if SELECTS.contains(&k) => true,
                Some(ACTION_ROW | TEXT_INPUT) | Some(_) | None => {
                    return Err(error(
                        &format!("{here}.type"),
                        "UNION_TYPE_CHOICES",
                        "Value of field \"type\" must be one of (2, 3, 5, 6, 7, 8).",
                    ));
                }
            };
            match text(child, "custom_id") {
                Some(id) if needs_custom_id => {
                    if id.is_empty() || id.chars().count() > MAX_CUSTOM_ID {
                        return Err(error(
                            &format!("{here}.custom_id"),
                            "BASE_TYPE_BAD_LENGTH",
                            "Must be between 1 and 100 in length.",
                        ));
                    }
                    if custom_ids.contains(&id) {
                        return Err(error(
                            &format!("{here}.custom_id"),
                            "COMPONENT_CUSTOM_ID_DUPLICATED",
                            "Component custom id cannot be duplicated",
                        ));
                    }
                    custom_ids.push(id);
                }
                None if needs_custom_id => {
                    return Err(error(
                        &format!("{here}.custom_id"),
                        "BASE_TYPE_REQUIRED",
                        "This field is required",
                    ));
                }
                Some(_) => {
                    return Err(error(
                        &format!("{here}.custom_id"),
                        "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                        "A custom id cannot be specified on a link button",
                    ));
                }
                None => {}
            }
        }
    }
    Ok(())
}

/// Checks style, url and label; returns whether the button needs a `custom_id`.
fn validate_button(button: &Value, here: &str) -> Result<bool, DiscordError> {
    let style = button.get("style").and_then(Value::as_u64);
    let needs_custom_id = match style {
        Some(1..=4) => true,
        Some(STYLE_LINK) => {
            if text(button, "url").is_none_or(str::is_empty) {
                return Err(error(
                    &format!("{here}.url"),
                    "BASE_TYPE_REQUIRED",
                    "This field is required",
                ));
            }
            false
        }
        Some(STYLE_PREMIUM) => false,
        _ => {
            return Err(error(
                &format!("{here}.style"),
                "BASE_TYPE_CHOICES",
                "Value must be one of {1, 2, 3, 4, 5, 6}.",
            ));
        }
    };
    if text(button, "label").is_some_and(|l| l.chars().count() > MAX_LABEL) {
        return Err(error(
            &format!("{here}.label"),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 80 or fewer in length.",
        ));
    }
    Ok(needs_custom_id)
}

/// The button with `custom_id` among a message's components.
pub(crate) fn find_button<'a>(components: &'a [Value], custom_id: &str) -> Option<&'a Value> {
    components
        .iter()
        .filter_map(|row| row.get("components").and_then(Value::as_array))
        .flatten()
        .find(|c| kind(c) == Some(BUTTON) && text(c, "custom_id") == Some(custom_id))
}

impl World {
    /// `user` clicks the button `custom_id` on a message: INTERACTION_CREATE type 3 with the
    /// message. Fails (as the Discord client would not let it happen) if the message has no
    /// such enabled button, or is ephemeral and was shown to someone else.
    pub(crate) fn click_button(
        &mut self,
        user: Snowflake,
        channel: Snowflake,
        message: Snowflake,
        custom_id: &str,
    ) -> anyhow::Result<(Snowflake, String)> {
        let clicked = self
            .message(channel, message)
            .map_err(|_| anyhow::anyhow!("no message {message} in channel {channel}"))?;
        let Some(button) = find_button(&clicked.components, custom_id) else {
            let ids: Vec<&str> = clicked
                .components
                .iter()
                .filter_map(|row| row.get("components").and_then(Value::as_array))
                .flatten()
                .filter_map(|c| text(c, "custom_id"))
                .collect();
            anyhow::bail!("message {message} has no button {custom_id:?} (it has {ids:?})");
        };
        if button.get("disabled").and_then(Value::as_bool) == Some(true) {
            anyhow::bail!("button {custom_id:?} on message {message} is disabled");
        }
        if clicked.is_ephemeral() {
            let viewer = clicked
                .interaction_id
                .and_then(|i| self.interactions.get(&i))
                .map(|i| i.user_id);
            if viewer != Some(user) {
                anyhow::bail!(
                    "message {message} is ephemeral: only the user who ran its interaction sees it"
                );
            }
        }
        let request = InteractionRequest::Component { message, custom_id };
        Ok(self.start_interaction(user, channel, request)?)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn button(id: &str) -> Value {
        json!({"type": 2, "style": 1, "label": "Go", "custom_id": id})
    }

    fn row(buttons: Vec<Value>) -> Value {
        json!({"type": 1, "components": buttons})
    }

    fn field_error(components: &[Value]) -> (u32, Value) {
        let e = validate(components, "components").unwrap_err();
        (e.code, e.errors.unwrap())
    }

    #[test]
    fn rows_of_up_to_five_buttons_with_custom_ids_are_accepted() {
        let buttons = (0..5).map(|i| button(&format!("b{i}"))).collect();
        let link = json!({"type": 2, "style": 5, "label": "Docs", "url": "https://example.com"});
        assert!(validate(&[row(buttons), row(vec![link])], "components").is_ok());
    }

    #[test]
    fn a_sixth_button_in_a_row_is_refused_with_50035() {
        let buttons = (0..6).map(|i| button(&format!("b{i}"))).collect();
        let (code, errors) = field_error(&[row(buttons)]);
        assert_eq!(code, 50035);
        assert_eq!(
            errors["components"]["0"]["components"]["_errors"][0]["code"],
            "BASE_TYPE_BAD_LENGTH"
        );
    }

    #[test]
    fn a_sixth_row_is_refused() {
        let rows: Vec<Value> = (0..6)
            .map(|i| row(vec![button(&format!("b{i}"))]))
            .collect();
        let (_, errors) = field_error(&rows);
        assert_eq!(
            errors["components"]["_errors"][0]["code"],
            "BASE_TYPE_MAX_LENGTH"
        );
    }

    #[test]
    fn custom_ids_must_be_present_short_and_unique() {
        let (_, errors) = field_error(&[row(vec![button(&"x".repeat(101))])]);
        assert!(errors["components"]["0"]["components"]["0"]["custom_id"].is_object());
        let missing = json!({"type": 2, "style": 1, "label": "Go"});
        let (_, errors) = field_error(&[row(vec![missing])]);
        assert_eq!(
            errors["components"]["0"]["components"]["0"]["custom_id"]["_errors"][0]["code"],
            "BASE_TYPE_REQUIRED"
        );
        let (_, errors) = field_error(&[row(vec![button("a")]), row(vec![button("a")])]);
        assert_eq!(
            errors["components"]["1"]["components"]["0"]["custom_id"]["_errors"][0]["code"],
            "COMPONENT_CUSTOM_ID_DUPLICATED"
        );
    }

    #[test]
    fn a_button_outside_an_action_row_is_refused() {
        let (_, errors) = field_error(&[button("a")]);
        assert_eq!(
            errors["components"]["0"]["type"]["_errors"][0]["code"],
            "UNION_TYPE_CHOICES"
        );
    }

    #[test]
    fn link_buttons_need_a_url_and_take_no_custom_id() {
        let no_url = json!({"type": 2, "style": 5, "label": "Docs"});
        assert!(validate(&[row(vec![no_url])], "components").is_err());
        let with_id =
            json!({"type": 2, "style": 5, "label": "Docs", "url": "https://x.y", "custom_id": "a"});
        assert!(validate(&[row(vec![with_id])], "components").is_err());
    }

    #[test]
    fn buttons_are_found_by_custom_id() {
        let rows = [row(vec![button("a"), button("b")])];
        assert_eq!(find_button(&rows, "b"), Some(&button("b")));
        assert_eq!(find_button(&rows, "c"), None);
    }
}
