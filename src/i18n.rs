//! Every sentence Ponder says in chat, in the language of the place it says
//! it: the messages live in Fluent files under `locales/<lang>/` (embedded in
//! the binary, so an installed Ponder needs no source tree), and code names a
//! message by its id with [`tr!`].
//!
//! Crate: `fluent-bundle` (Project Fluent's own Rust implementation, with
//! `unic-langid` for language tags) rather than `fluent-templates`: the
//! latter's `static_loader!` is a proc macro that walks the folder at build
//! time and brings its own dependencies (`ignore`, `walkdir`, a second
//! language-tag stack), while the few files here are as easily embedded with
//! `include_str!`, and the bundle's options (isolation marks off) are then
//! set in one visible place.
//!
//! Operator-facing text (logs, `ponder check`, the command line) stays
//! English and is not here, except the prompt-file loader's problems
//! (`prompts.ftl`): `ponder check` prints them in English, an import in chat
//! in the channel's language, from the one text of each.

use std::sync::OnceLock;

pub use fluent_bundle::FluentValue;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

mod dates;
mod refusals;
#[cfg(test)]
mod tests;

pub use dates::{date_time, local_format, month_short};

/// A language Ponder ships messages for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    De,
}

/// The message files of each language, in the order of [`Lang::ALL`].
const FILES: [(Lang, &[&str]); 2] = [
    (
        Lang::En,
        &[
            include_str!("../locales/en/ponder.ftl"),
            include_str!("../locales/en/packs.ftl"),
            include_str!("../locales/en/prompts.ftl"),
            include_str!("../locales/en/members.ftl"),
            include_str!("../locales/en/usage.ftl"),
            include_str!("../locales/en/archive.ftl"),
        ],
    ),
    (
        Lang::De,
        &[
            include_str!("../locales/de/ponder.ftl"),
            include_str!("../locales/de/packs.ftl"),
            include_str!("../locales/de/prompts.ftl"),
            include_str!("../locales/de/members.ftl"),
            include_str!("../locales/de/usage.ftl"),
            include_str!("../locales/de/archive.ftl"),
            include_str!("../locales/de/discord.ftl"),
        ],
    ),
];

impl Lang {
    /// Every shipped language, English (the default) first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// The language's tag as written in config and commands (`en`, `de`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// The language's own name for itself.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
        }
    }

    /// A shipped language from a tag as people and platforms write it:
    /// `de`, `DE`, `de-DE`, `de_AT`, `en-US`. Only the language part
    /// counts; `None` for one Ponder does not ship.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// `en, de`: the shipped set, for answers and config problems.
    pub fn choices() -> String {
        Lang::ALL.map(Lang::code).join(", ")
    }

    /// Discord's locale for this language (`en-US`, `de`).
    pub fn discord_locale(self) -> &'static str {
        match self {
            Lang::En => "en-US",
            Lang::De => "de",
        }
    }

    /// chrono's locale for dates in this language.
    pub fn chrono_locale(self) -> chrono::Locale {
        match self {
            Lang::En => chrono::Locale::en_US,
            Lang::De => chrono::Locale::de_DE,
        }
    }

    fn index(self) -> usize {
        Lang::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::parse(s).ok_or_else(|| format!("`{s}` is not one of {}", Lang::choices()))
    }
}

type Bundle = FluentBundle<FluentResource>;

/// One bundle per shipped language, built on first use.
fn bundles() -> &'static [Bundle] {
    static BUNDLES: OnceLock<Vec<Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        FILES
            .iter()
            .map(|(lang, files)| bundle(*lang, files))
            .collect()
    })
}

fn bundle(lang: Lang, files: &[&str]) -> Bundle {
    let tag = lang
        .code()
        .parse()
        .expect("a shipped language's tag parses");
    let mut bundle = Bundle::new_concurrent(vec![tag]);
    // Chat text must not carry invisible Unicode isolation marks.
    bundle.set_use_isolating(false);
    for text in files {
        // The files are checked by the tests (they parse, every id once).
        let resource = FluentResource::try_new((*text).to_string()).unwrap_or_else(|(r, _)| r);
        let _ = bundle.add_resource(resource);
    }
    bundle
}

/// A message's arguments: `(name, value)`; values are text or numbers (a
/// number selects plural forms).
pub type Arg<'a> = (&'a str, FluentValue<'a>);

/// The message `id` in `lang`, with its arguments. A message missing in
/// `lang` falls back to English; one missing everywhere (a bug the tests
/// catch) reads as its id.
pub fn render(lang: Lang, id: &str, args: &[Arg<'_>]) -> String {
    let fluent_args = (!args.is_empty()).then(|| {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(*k, v.clone());
        }
        a
    });
    for bundle in [&bundles()[lang.index()], &bundles()[0]] {
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, fluent_args.as_ref(), &mut errors);
            if !errors.is_empty() {
                tracing::error!(message = id, lang = %lang, ?errors, "a chat message did not render");
            }
            return text.into_owned();
        }
    }
    tracing::error!(message = id, lang = %lang, "a chat message is missing");
    id.to_string()
}

/// The message `id` of `lang` alone (no fallback), for texts that are
/// optional per language (Discord's command localizations).
pub fn lookup(lang: Lang, id: &str) -> Option<String> {
    let bundle = &bundles()[lang.index()];
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, None, &mut errors);
    errors.is_empty().then(|| text.into_owned())
}

/// A message in a language: `tr!(lang, "next-prompt", when = text)`. Argument
/// names are the Fluent variables (`$when`); values are anything a
/// `FluentValue` is made from (text, numbers).
#[macro_export]
macro_rules! tr {
    ($lang:expr, $id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::render(
            $lang,
            $id,
            &[$((stringify!($name), $crate::i18n::FluentValue::from($value))),*],
        )
    };
}
