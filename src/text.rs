//! Text from people, made safe for the places Ponder shows it. Stored text is
//! kept exactly as it was written; these functions shape a copy on the way
//! out (and cap a reply's length on the way in).
//!
//! - [`for_terminal`]: the one helper every path that writes to a terminal or
//!   into a Markdown or CSV export uses (console output of prompts, replies,
//!   digests and answers; chat `export`; `ponder export --format md|csv`). A
//!   terminal obeys control characters: `ESC[2J` clears the operator's
//!   screen, OSC 0 sets the window title, a lone CR overwrites a line. Each
//!   control character becomes a visible stand-in instead: C0 characters
//!   (U+0000–U+001F, except newline and tab) and DEL as their Unicode
//!   "control picture" (ESC → `␛`, BEL → `␇`, CR → `␍`, DEL → `␡`), and C1
//!   characters (U+0080–U+009F, which have no picture) as `\u{9b}`. A CR
//!   directly before a newline (Windows line ends) is dropped.
//!   JSON exports keep the exact text: JSON escapes C0 characters itself and
//!   its readers are programs.
//! - [`csv_cell`]: [`for_terminal`] plus the spreadsheet rule: a cell that
//!   starts with `=`, `+`, `-`, `@`, tab or CR is a formula to Excel,
//!   LibreOffice and Google Sheets, so it gets a leading `'` (OWASP's advice;
//!   a reply that starts with "- " reads `'- ` in the CSV).
//! - [`cap_reply`]: the one reply length cap of every platform.
//! - [`cut`]: text shortened to a length, with `…` where it was cut (a
//!   Discord message's 2000 characters, a digest's excerpt).
//! - [`plural`]: `1 reply`, `2 replies`.
//! - [`visible`]: a member's words without control or invisible characters
//!   (bidi overrides and isolates, zero-width ones), for a name shown back;
//!   [`echo`]: that, cut to [`MAX_ECHO_CHARS`], for words a refusal repeats
//!   (a 40 KB word would make a Matrix notice exceed its event limit).

use std::borrow::Cow;

/// The most characters of a reply Ponder keeps, on every platform. Discord
/// allows 4000 (with Nitro), Matrix about 64 KiB per event, the console has
/// no limit: one cap for all means one archive of one shape. A longer reply
/// is kept up to the cap, followed by [`TRUNCATED`].
pub const MAX_REPLY_CHARS: usize = 4000;

/// What follows a reply cut at [`MAX_REPLY_CHARS`].
pub const TRUNCATED: &str = " […]";

fn is_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || c == '\u{7f}'
}

/// The text with every control character but newline and tab replaced by a
/// visible stand-in (see the module docs). Borrows when nothing changes.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\u{7f}' => out.push('\u{2421}'),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'))
            }
            c if ('\u{80}'..='\u{9f}').contains(&c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A CSV cell: [`for_terminal`], and a leading `'` where a spreadsheet would
/// read the cell as a formula.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let safe = for_terminal(text);
    if formula {
        Cow::Owned(format!("'{safe}"))
    } else {
        safe
    }
}

/// The reply as Ponder keeps it: at most [`MAX_REPLY_CHARS`] characters,
/// then [`TRUNCATED`]. Borrows when the reply fits.
pub fn cap_reply(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(MAX_REPLY_CHARS) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!("{}{TRUNCATED}", &text[..cut])),
    }
}

/// A reply's text as Ponder keeps it, on every road in (live, edited, read
/// back after a restart): capped ([`cap_reply`]), and a NUL character
/// (which PostgreSQL cannot store in text) as U+FFFD, on both backends, so
/// a text read back compares equal to what was stored and an export reads
/// the same from either. Borrows when nothing changes.
pub fn kept_reply(text: &str) -> Cow<'_, str> {
    match cap_reply(text) {
        Cow::Borrowed(t) if !t.contains('\0') => Cow::Borrowed(t),
        t => Cow::Owned(t.replace('\0', "\u{fffd}")),
    }
}

/// The text in at most `max` characters: when longer, its first `max - 1`
/// characters and `…`. Borrows when the text fits.
pub fn cut(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let keep = text
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(text.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &text[..keep]))
        }
    }
}

/// A character a reader cannot see but that changes what is shown: a
/// control character, a bidi override or isolate, a zero-width or other
/// invisible format character.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{061c}' | '\u{00ad}' | '\u{180e}')
}

/// The text without [`is_invisible`] characters. Borrows when nothing changes.
pub fn visible(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_invisible) {
        Cow::Owned(text.chars().filter(|c| !is_invisible(*c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// The most characters of a member's words a refusal repeats.
pub const MAX_ECHO_CHARS: usize = 80;

/// A member's words as a refusal repeats them: [`visible`], then [`cut`] to
/// [`MAX_ECHO_CHARS`] (ending in `…` where cut).
pub fn echo(text: &str) -> String {
    cut(&visible(text), MAX_ECHO_CHARS).into_owned()
}

/// A count and its noun: `plural(1, "reply", "replies")` is `1 reply`,
/// `plural(2, ..)` is `2 replies`.
pub fn plural(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible_and_plain_text_is_untouched() {
        assert!(matches!(
            for_terminal("plain, with\ttab\nand é ✓"),
            Cow::Borrowed(_)
        ));
        assert_eq!(for_terminal("a\u{1b}[2Jb"), "a␛[2Jb");
        assert_eq!(for_terminal("\u{1b}]0;pwned\u{7}"), "␛]0;pwned␇");
        assert_eq!(for_terminal("x\u{9b}2Jy\u{7f}"), "x\\u{9b}2Jy␡");
        assert_eq!(for_terminal("line\r\nnext\rover"), "line\nnext␍over");
        assert_eq!(for_terminal("\0"), "␀");
        let all: String = (0u32..0xa0).filter_map(char::from_u32).collect();
        let safe = for_terminal(&all);
        assert!(
            !safe.chars().any(is_control),
            "no control character survives: {safe:?}"
        );
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            let cell = csv_cell(bad);
            assert!(cell.starts_with('\''), "{bad:?} -> {cell:?}");
        }
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("fine = good"), "fine = good");
        assert_eq!(csv_cell("a\u{1b}[2J"), "a␛[2J");
    }

    #[test]
    fn text_longer_than_its_room_is_cut_to_fit_with_an_ellipsis() {
        assert!(matches!(
            cut("é".repeat(2000).as_str(), 2000),
            Cow::Borrowed(_)
        ));
        let long = "é".repeat(2001);
        let short = cut(&long, 2000);
        assert_eq!(short.chars().count(), 2000);
        assert!(short.ends_with("é…"));
        assert_eq!(cut("abc", 1), "…");
    }

    #[test]
    fn counts_name_their_noun_in_the_singular_only_for_one() {
        assert_eq!(plural(0, "reply", "replies"), "0 replies");
        assert_eq!(plural(1, "reply", "replies"), "1 reply");
        assert_eq!(plural(2u32, "person", "people"), "2 people");
    }

    #[test]
    fn a_reply_longer_than_the_cap_is_cut_with_a_marker() {
        let fits = "é".repeat(MAX_REPLY_CHARS);
        assert!(matches!(cap_reply(&fits), Cow::Borrowed(_)));
        let long = "é".repeat(MAX_REPLY_CHARS + 1);
        let capped = cap_reply(&long);
        assert_eq!(
            capped.chars().count(),
            MAX_REPLY_CHARS + TRUNCATED.chars().count()
        );
        assert!(capped.ends_with(TRUNCATED));
    }
}
