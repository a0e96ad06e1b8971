//! Slash commands in every shipped language: each command's and option's
//! name and description, and each choice's name, from the `slash-*`
//! messages in `locales/<lang>/discord.ftl`, set on the built poise
//! commands as Discord's `name_localizations` and
//! `description_localizations`. English is the commands' own text.
//!
//! Message ids: a command is `slash-<path>` (`slash-ponder-schedule-add`),
//! its description `slash-<path>-desc`; an option's name is
//! `slash-opt-<name>`, its description `slash-<path>-<name>-desc` or, shared
//! by every command that has the option, `slash-opt-<name>-desc`; a choice
//! is `slash-choice-<name>` (spaces as `-`).

use super::{Data, Error};
use crate::i18n::{Lang, lookup};

/// Sets every shipped language's names and descriptions on the commands.
pub(super) fn localize(commands: &mut [poise::Command<Data, Error>]) {
    for c in commands {
        command(c, "");
    }
}

fn command(c: &mut poise::Command<Data, Error>, parent: &str) {
    let path = if parent.is_empty() {
        c.name.to_string()
    } else {
        format!("{parent}-{}", c.name)
    };
    let slug = path.replace(' ', "-").to_lowercase();
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
        let tag = lang.discord_locale();
        if let Some(name) = lookup(lang, &format!("slash-{slug}")) {
            c.name_localizations
                .to_mut()
                .push((tag.into(), name.into()));
        }
        if let Some(d) = lookup(lang, &format!("slash-{slug}-desc")) {
            c.description_localizations
                .to_mut()
                .push((tag.into(), d.into()));
        }
        for p in &mut c.parameters {
            if let Some(name) = lookup(lang, &format!("slash-opt-{}", p.name)) {
                p.name_localizations
                    .to_mut()
                    .push((tag.into(), name.into()));
            }
            let own = format!("slash-{slug}-{}-desc", p.name);
            let shared = format!("slash-opt-{}-desc", p.name);
            if let Some(d) = lookup(lang, &own).or_else(|| lookup(lang, &shared)) {
                p.description_localizations
                    .to_mut()
                    .push((tag.into(), d.into()));
            }
            for choice in p.choices.to_mut() {
                let id = format!("slash-choice-{}", choice.name.replace(' ', "-"));
                if let Some(name) = lookup(lang, &id) {
                    choice
                        .localizations
                        .to_mut()
                        .push((tag.into(), name.into()));
                }
            }
        }
    }
    for s in &mut c.subcommands {
        command(s, &path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Discord accepts as a command or option name in any language.
    fn valid_name(name: &str) -> bool {
        let n = name.chars().count();
        (1..=32).contains(&n)
            && name
                .chars()
                .all(|c| c == '-' || c == '_' || c.is_alphanumeric())
            && name.to_lowercase() == name
    }

    fn check(c: &poise::Command<Data, Error>, problems: &mut Vec<String>) {
        let menu = c.context_menu_action.is_some();
        for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
            let tag = lang.discord_locale();
            let find = |v: &[(
                std::borrow::Cow<'static, str>,
                std::borrow::Cow<'static, str>,
            )]| {
                v.iter().find(|(t, _)| t == tag).map(|(_, s)| s.to_string())
            };
            match find(&c.name_localizations) {
                // a context menu's name may have spaces and capitals
                Some(n) if menu || valid_name(&n) => {}
                other => problems.push(format!("{}: {tag} name {other:?}", c.qualified_name)),
            }
            if !menu {
                match find(&c.description_localizations) {
                    Some(d) if (1..=100).contains(&d.chars().count()) => {}
                    other => {
                        problems.push(format!("{}: {tag} description {other:?}", c.qualified_name))
                    }
                }
            }
            for p in &c.parameters {
                match find(&p.name_localizations) {
                    Some(n) if valid_name(&n) => {}
                    other => problems.push(format!(
                        "{} {}: {tag} name {other:?}",
                        c.qualified_name, p.name
                    )),
                }
                match find(&p.description_localizations) {
                    Some(d) if (1..=100).contains(&d.chars().count()) => {}
                    other => problems.push(format!(
                        "{} {}: {tag} description {other:?}",
                        c.qualified_name, p.name
                    )),
                }
                for choice in p.choices.iter() {
                    if !choice
                        .localizations
                        .iter()
                        .any(|(t, n)| t == tag && !n.is_empty())
                    {
                        problems.push(format!(
                            "{} {} {}: {tag} choice",
                            c.qualified_name, p.name, choice.name
                        ));
                    }
                }
            }
        }
        for s in &c.subcommands {
            check(s, problems);
        }
    }

    #[test]
    fn every_command_option_and_choice_has_a_valid_name_and_description_in_every_language() {
        let mut problems = Vec::new();
        for c in super::super::commands::all() {
            check(&c, &mut problems);
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
