//! Reading the keys of one TOML table of a prompt file, each problem
//! recorded with its line and field.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::FileReader;
use crate::prompt_files::Problem;

/// Reads the keys of one table, recording what it finds wrong.
pub(super) struct Table<'r, 't, 'a, 'i> {
    file: &'r mut FileReader<'a>,
    table: &'t DeTable<'i>,
    prefix: String,
    line: usize,
    bad: bool,
}

impl<'r, 't, 'a, 'i> Table<'r, 't, 'a, 'i> {
    pub(super) fn new(
        file: &'r mut FileReader<'a>,
        table: &'t DeTable<'i>,
        prefix: &str,
        line: usize,
    ) -> Self {
        Table {
            file,
            table,
            prefix: prefix.to_string(),
            line,
            bad: false,
        }
    }

    fn field(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    pub(super) fn take(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    }

    pub(super) fn fail(&mut self, span: Option<Range<usize>>, key: &str, problem: Problem) {
        let line = span.map(|s| self.file.line_of(s)).unwrap_or(self.line);
        let field = self.field(key);
        self.file.error(line, &field, problem);
        self.bad = true;
    }

    pub(super) fn string(
        &mut self,
        key: &str,
        required: bool,
        max_chars: Option<usize>,
    ) -> Option<String> {
        let Some(v) = self.take(key) else {
            if required {
                self.fail(None, key, Problem::new("prompts-missing", []));
            }
            return None;
        };
        let Some(s) = v.get_ref().as_str() else {
            self.fail(
                Some(v.span()),
                key,
                Problem::new("prompts-not-a-string", []),
            );
            return None;
        };
        if required && s.trim().is_empty() {
            self.fail(Some(v.span()), key, Problem::new("prompts-empty", []));
            return None;
        }
        if let Some(max) = max_chars {
            let n = s.trim().chars().count();
            if n > max {
                self.fail(
                    Some(v.span()),
                    key,
                    Problem::new(
                        "prompts-too-long",
                        [("length", n.to_string()), ("max", max.to_string())],
                    ),
                );
                return None;
            }
        }
        Some(s.trim().to_string())
    }

    /// The line a value starts on.
    pub(super) fn line_of(&self, v: &Spanned<DeValue<'i>>) -> usize {
        self.file.line_of(v.span())
    }

    /// A language code (`en`, `de`, `pt-br`): 2-3 lowercase letters, then
    /// optionally `-` and a lowercase region or script of 2-8 letters or digits.
    pub(super) fn lang(&mut self, key: &str) -> Option<String> {
        let v = self.take(key)?;
        let s = self.string(key, true, None)?;
        let mut parts = s.splitn(2, '-');
        let base = parts.next().unwrap_or_default();
        let base_ok = (2..=3).contains(&base.len()) && base.bytes().all(|b| b.is_ascii_lowercase());
        let rest_ok = parts.next().is_none_or(|r| {
            (2..=8).contains(&r.len())
                && r.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
        if base_ok && rest_ok {
            return Some(s);
        }
        let msg = Problem::new("prompts-bad-lang", [("lang", s)]);
        self.fail(Some(v.span()), key, msg);
        None
    }

    pub(super) fn strings(&mut self, key: &str) -> Vec<String> {
        let Some(v) = self.take(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.fail(Some(v.span()), key, Problem::new("prompts-not-strings", []));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref().as_str() {
                Some(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                Some(_) => self.fail(
                    Some(item.span()),
                    &format!("{key}[{}]", i + 1),
                    Problem::new("prompts-empty", []),
                ),
                None => self.fail(
                    Some(item.span()),
                    &format!("{key}[{}]", i + 1),
                    Problem::new("prompts-not-a-string", []),
                ),
            }
        }
        out
    }

    pub(super) fn number(&mut self, key: &str) -> Option<f64> {
        let v = self.take(key)?;
        let n = match v.get_ref() {
            DeValue::Integer(i) => i.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            _ => None,
        };
        match n {
            Some(n) if n.is_finite() && n > 0.0 && n <= 1000.0 => Some(n),
            Some(n) => {
                self.fail(
                    Some(v.span()),
                    key,
                    Problem::new("prompts-weight-out-of-range", [("weight", n.to_string())]),
                );
                None
            }
            None => {
                self.fail(
                    Some(v.span()),
                    key,
                    Problem::new("prompts-not-a-number", []),
                );
                None
            }
        }
    }

    /// Reports keys that are not in `known`.
    pub(super) fn finish(mut self, known: &[&str]) -> bool {
        let unknown: Vec<_> = self
            .table
            .iter()
            .filter(|(k, _)| !known.contains(&k.get_ref().as_ref()))
            .map(|(k, _)| (k.get_ref().to_string(), k.span()))
            .collect();
        for (key, span) in unknown {
            let msg = Problem::new(
                "prompts-unknown-field",
                [("field", key.clone()), ("known", known.join(", "))],
            );
            self.fail(Some(span), &key, msg);
        }
        !self.bad
    }
}
