//! The workshop's language: its tag checked, and its terms gathered from
//! the built-in terms files, a `--templates` folder's `terms/`, and the
//! `terms:` of `branding.yaml` and of the record, each over the one before.

use crate::input::record::Spanned;

use crate::diag::{Code, Diagnostic};
use crate::input::Context;
use crate::input::record;
use crate::language::terms::{self, BUILT_IN, Raw as TermValue, Terms, built_in};
use crate::language::{self, Language};

/// The largest terms file read.
const MAX_TERMS_BYTES: u64 = 256 << 10;

/// The folder of a `--templates` folder that holds terms files.
pub const TERMS_FOLDER: &str = "terms";

impl Context {
    /// The workshop's language from the record's `language:` (English if
    /// none) and the terms of `layers` (branding.yaml's, then the
    /// record's), each with the file it is in. `None` if it cannot be made;
    /// the problems are reported.
    pub(crate) fn read_language(
        &mut self,
        tag: Option<&Spanned<String>>,
        layers: &[(&record::Terms, String)],
    ) -> Option<Language> {
        let written = tag.map_or("en", |t| t.value.trim());
        let locale = match language::parse_tag(written) {
            Ok(locale) => locale,
            Err(d) => {
                match tag {
                    Some(t) => self.error_at(t, d),
                    None => self.error(d),
                }
                return None;
            }
        };
        let chain = language::lookup_chain(&locale);
        let mut gathered = Terms::default();
        let mut base = false;
        let mut user_files: Vec<String> = Vec::new();
        let mut built_in_base = false;
        for (i, step) in chain.iter().enumerate() {
            if let Some(values) = built_in(step) {
                base |= i == 0;
                built_in_base |= i == 0;
                let origin = format!("templates/terms/{step}.yaml");
                for (key, raw) in &values {
                    if let Some(term) = terms::term(key)
                        && let Ok(value) = term.value(raw)
                    {
                        gathered.set(term, value, &origin);
                    }
                }
            }
            if let Some(name) = self.user_terms(step, &mut gathered) {
                base |= i == 0;
                user_files.push(name);
            }
        }
        for (layer, file) in layers {
            for (key, raw) in &layer.0 {
                // Unknown keys were reported by the schema.
                let Some(term) = terms::term(key) else { continue };
                match term.value(&raw.value) {
                    Ok(value) => gathered.set(term, value, file),
                    Err(d) => {
                        let d = self.at_in(file, raw, d);
                        self.error(d);
                    }
                }
            }
        }
        let code = chain.first().cloned().unwrap_or_default();
        if !base && gathered.missing().len() == terms::catalogue().filter(|t| t.required).count() {
            let d = Diagnostic::error(
                Code::MissingTerm,
                format!("there are no terms for the language `{written}`"),
            )
            .hint(format!(
                "the built-in languages are {}; for another, put a file `{TERMS_FOLDER}/{code}.yaml` in a `--templates` folder with every key of templates/terms/en.yaml translated",
                BUILT_IN.iter().map(|(t, _)| format!("`{t}`")).collect::<Vec<_>>().join(", ")
            ));
            match tag {
                Some(t) => self.error_at(t, d),
                None => self.error(d),
            }
            return None;
        }
        // A built-in language lacking a term prints it in English; a
        // terms file of the user's own language must give every term.
        if built_in_base {
            gathered.fall_back_to_english();
        }
        let missing = gathered.missing();
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|t| format!("`{}`", t.key)).collect();
            let shown = if names.len() > 8 {
                format!("{} and {} more", names[..8].join(", "), names.len() - 8)
            } else {
                names.join(", ")
            };
            let file = user_files.last().cloned();
            let d = Diagnostic::error(
                Code::MissingTerm,
                format!("the terms for `{written}` lack {shown}"),
            )
            .hint(format!(
                "add {} to the terms file; templates/terms/en.yaml has every key with its English text (e.g. `{}: {}`)",
                if missing.len() == 1 { "it" } else { "them" },
                missing[0].key,
                english(missing[0].key)
            ));
            match (file, tag) {
                (Some(file), _) => self.error(d.in_file(file)),
                (None, Some(t)) => self.error_at(t, d),
                (None, None) => self.error(d),
            }
            return None;
        }
        match Language::new(&locale, gathered) {
            Ok(language) => Some(language),
            Err(mut d) => {
                d.message = format!("the language `{written}` cannot be used: {}", d.message);
                match tag {
                    Some(t) => self.error_at(t, d),
                    None => self.error(d),
                }
                None
            }
        }
    }

    /// Reads `terms/<tag>.yaml` of the `--templates` folder, if there is
    /// one, onto `gathered`; its name if it was read.
    fn user_terms(&mut self, tag: &str, gathered: &mut Terms) -> Option<String> {
        let dir = self.options.terms.clone()?;
        let folder = self.folder.beside(&dir, "templates:", "templates folder");
        let relative = format!("{TERMS_FOLDER}/{tag}.yaml");
        if !folder.has(&relative) {
            return None;
        }
        let name = folder.display_name(&relative);
        let text = match folder.read_text(&relative, MAX_TERMS_BYTES) {
            Ok(text) => text,
            Err(d) => {
                let d = if d.file.is_some() { d } else { d.in_file(&name) };
                self.error(d);
                return Some(name);
            }
        };
        self.out.sources.insert(&name, text.as_str());
        if let Err(d) = crate::input::checks::text::check_text(&text) {
            self.error(d.in_file(&name));
            return Some(name);
        }
        let Some(values) = self.read_yaml::<record::Terms>(&text, &name, Some("Terms")) else {
            return Some(name);
        };
        for (key, raw) in &values.0 {
            let Some(term) = terms::term(key) else { continue };
            match term.value(&raw.value) {
                Ok(value) => gathered.set(term, value, &name),
                Err(d) => {
                    let d = self.at_in(&name, raw, d);
                    self.error(d);
                }
            }
        }
        Some(name)
    }
}

/// The English text of term `key`, for hints.
pub fn english(key: &str) -> String {
    match built_in("en").and_then(|values| values.get(key).cloned()) {
        Some(TermValue::Text(text)) => format!("\"{text}\""),
        Some(TermValue::List(list)) => format!("[{}]", list.join(", ")),
        Some(TermValue::Forms(forms)) => {
            forms.iter().map(|(k, v)| format!("{k}: \"{v}\"")).collect::<Vec<_>>().join(", ")
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every built-in terms file is valid YAML of known terms, with values
    /// of the right kind, and English has every term. The terms another
    /// language lacks (and prints in English) are listed: run with
    /// `--nocapture` to see them.
    #[test]
    fn built_in_terms_are_valid_and_english_complete() {
        for (tag, text) in BUILT_IN {
            let values: std::collections::BTreeMap<String, TermValue> =
                serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{tag}: {e}"));
            for (key, raw) in &values {
                let term = terms::term(key).unwrap_or_else(|| panic!("{tag}: unknown `{key}`"));
                term.value(raw).unwrap_or_else(|e| panic!("{tag}: {}", e.message));
            }
            // A regional file (en-GB) gives only what differs.
            if tag.contains('-') && *tag != "zh-Hant" {
                continue;
            }
            let gaps: Vec<&str> = terms::catalogue()
                .filter(|t| t.required && !values.contains_key(t.key))
                .map(|t| t.key)
                .collect();
            assert!(*tag != "en" || gaps.is_empty(), "English lacks {gaps:?}");
            if !gaps.is_empty() {
                eprintln!("{tag} prints in English: {}", gaps.join(", "));
            }
        }
    }
}
