//! Plain text or Markdown into sentences.

/// One sentence of the text, as it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Line breaks inside it joined with a space, Markdown markup removed.
    pub text: String,
    /// Which paragraph (or heading, or list item) it is in.
    pub block: usize,
}

/// Words whose full stop does not end a sentence.
const ABBREVIATIONS: [&str; 12] = [
    "e.g.", "i.e.", "etc.", "vs.", "cf.", "mr.", "mrs.", "ms.", "dr.", "st.", "no.", "p.",
];

/// The sentences of `text`: paragraphs are split at blank lines (and each
/// heading, list item and quote line stands alone), fenced code is left out,
/// and a sentence ends at `.`, `?`, `!` or `…` (with any closing quote or
/// bracket) before a space and a word not in lower case, except after an
/// abbreviation or an initial. A "sentence" with fewer than three words made of letters (a line
/// of hashtags, a signature) is left out.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (block, para) in blocks(text).iter().enumerate() {
        for s in split(para) {
            let letters = s
                .split_whitespace()
                .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
                .count();
            if letters >= 3 {
                out.push(Sentence { text: s, block });
            }
        }
    }
    out
}

/// Paragraphs with their lines joined and Markdown removed.
fn blocks(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut fenced = false;
    let flush = |current: &mut String, out: &mut Vec<String>| {
        if !current.trim().is_empty() {
            out.push(std::mem::take(current).trim().to_string());
        }
        current.clear();
    };
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            flush(&mut current, &mut out);
            continue;
        }
        if fenced {
            continue;
        }
        if t.is_empty() || t.chars().all(|c| matches!(c, '-' | '*' | '_' | '=' | ' ')) {
            flush(&mut current, &mut out);
            continue;
        }
        let (alone, rest) = strip_line_marker(t);
        if alone {
            flush(&mut current, &mut out);
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&inline(rest));
        if alone && t.starts_with('#') {
            flush(&mut current, &mut out);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// A heading, list or quote marker removed; `true` when the line starts a
/// block of its own.
fn strip_line_marker(t: &str) -> (bool, &str) {
    let heading = t.trim_start_matches('#');
    if heading.len() < t.len() && heading.starts_with(' ') {
        return (true, heading.trim());
    }
    for marker in ["> ", "- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(marker) {
            return (true, rest.trim());
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = t[digits..]
            .strip_prefix(". ")
            .or_else(|| t[digits..].strip_prefix(") "))
    {
        return (true, rest.trim());
    }
    (false, t)
}

/// Inline Markdown removed: emphasis marks, code ticks, links and images
/// (their text kept, the address dropped).
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        // [text](address) and ![alt](address): the text
        if (c == '[' || rest.starts_with("!["))
            && let Some(end) = link_end(rest)
        {
            let open = rest.find('[').unwrap_or(0);
            let close = rest[open..].find("](").map(|i| open + i).unwrap_or(open);
            out.push_str(&rest[open + 1..close]);
            rest = &rest[end..];
            continue;
        }
        match c {
            '`' => {}
            // `*` and `_` mark emphasis only at a word's edge (5*3 and
            // snake_case stay)
            '*' | '_'
                if !out.ends_with(|p: char| p.is_alphanumeric())
                    || !rest[1..].starts_with(|n: char| n.is_alphanumeric()) => {}
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Where a link starting at `s` (`[text](address)` or `![alt](address)`) ends.
/// A link's text and address are looked for within a window, so a line of
/// brackets costs linear time.
fn link_end(s: &str) -> Option<usize> {
    let open = s.find('[')?;
    if open > 1 {
        return None;
    }
    let mut window = (open + 1024).min(s.len());
    while !s.is_char_boundary(window) {
        window -= 1;
    }
    let s = &s[..window];
    let close = s[open..].find("](")? + open;
    if s[open + 1..close].contains('[') {
        return None;
    }
    let paren = s[close + 2..].find(')')? + close + 2;
    Some(paren + 1)
}

/// A paragraph into sentences.
fn split(para: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = para.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if matches!(c, '.' | '?' | '!' | '…') {
            // closing quotes and brackets belong to the sentence
            let mut j = i + 1;
            while j < chars.len()
                && matches!(
                    chars[j].1,
                    '"' | '\'' | '”' | '’' | ')' | ']' | '.' | '?' | '!'
                )
            {
                j += 1;
            }
            let end = chars.get(j).map_or(para.len(), |&(b, _)| b);
            let at_space = chars.get(j).is_none_or(|&(_, n)| n.is_whitespace());
            // the next word starts a sentence unless it starts in lower case
            let next_lower = chars[j..]
                .iter()
                .map(|&(_, n)| n)
                .find(|n| !n.is_whitespace())
                .is_some_and(char::is_lowercase);
            if at_space && !next_lower && !(c == '.' && no_stop(&para[start..at + 1])) {
                let s = para[start..end].trim();
                if !s.is_empty() {
                    out.push(s.to_string());
                }
                start = end;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    let tail = para[start..].trim();
    if !tail.is_empty() {
        out.push(tail.to_string());
    }
    out
}

/// Whether the full stop ending `upto` belongs to a word (an abbreviation,
/// an initial) rather than ending the sentence.
fn no_stop(upto: &str) -> bool {
    let word = upto.split_whitespace().last().unwrap_or("");
    let lower = word.to_lowercase();
    let bare = word.trim_end_matches('.');
    ABBREVIATIONS.contains(&lower.trim_start_matches(['(', '"', '“']))
        || (bare.chars().count() == 1 && bare.chars().all(char::is_uppercase))
}
