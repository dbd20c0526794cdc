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
                self.error_at_tag(tag, d);
                return None;
            }
        };
        let chain = language::lookup_chain(&locale);
        let mut gathered = Terms::default();
        let found = self.chain_terms(&chain, &mut gathered);
        self.layer_terms(layers, &mut gathered);
        let code = chain.first().cloned().unwrap_or_default();
        if !found.base
            && gathered.missing().len() == terms::catalogue().filter(|t| t.required).count()
        {
            self.error_at_tag(tag, no_terms(written, &code));
            return None;
        }
        // A built-in language lacking a term prints it in English; a
        // terms file of the user's own language must give every term.
        if found.built_in_base {
            gathered.fall_back_to_english();
        }
        let missing = gathered.missing();
        if !missing.is_empty() {
            let d = missing_terms(written, &missing);
            match found.user_files.last().cloned() {
                Some(file) => self.error(d.in_file(file)),
                None => self.error_at_tag(tag, d),
            }
            return None;
        }
        match Language::new(&locale, gathered) {
            Ok(language) => Some(language),
            Err(mut d) => {
                d.message = format!("the language `{written}` cannot be used: {}", d.message);
                self.error_at_tag(tag, d);
                None
            }
        }
    }

    /// Reports `d` at the record's language tag, or at no place when the
    /// record has none.
    fn error_at_tag(&mut self, tag: Option<&Spanned<String>>, d: Diagnostic) {
        match tag {
            Some(t) => self.error_at(t, d),
            None => self.error(d),
        }
    }

    /// Gathers the terms of each step of the lookup `chain`, the built-in
    /// file's and then the `--templates` folder's, onto `gathered`; what
    /// was found of them.
    fn chain_terms(&mut self, chain: &[String], gathered: &mut Terms) -> Found {
        let mut found = Found::default();
        for (i, step) in chain.iter().enumerate() {
            if let Some(values) = built_in(step) {
                found.base |= i == 0;
                found.built_in_base |= i == 0;
                let origin = format!("templates/terms/{step}.yaml");
                for (key, raw) in &values {
                    if let Some(term) = terms::term(key)
                        && let Ok(value) = term.value(raw)
                    {
                        gathered.set(term, value, &origin);
                    }
                }
            }
            if let Some(name) = self.user_terms(step, gathered) {
                found.base |= i == 0;
                found.user_files.push(name);
            }
        }
        found
    }

    /// Sets the terms of `layers` onto `gathered`, each over the one
    /// before; a value of the wrong kind is reported.
    fn layer_terms(&mut self, layers: &[(&record::Terms, String)], gathered: &mut Terms) {
        for (layer, file) in layers {
            for (key, raw) in &layer.0 {
                // Unknown keys were reported by the schema.
                let Some(term) = terms::term(key) else { continue };
                match term.value(&raw.value) {
                    Ok(value) => gathered.set(term, value, file),
                    Err(d) => {
                        let d = self.sink.at_in(file, raw, d);
                        self.error(d);
                    }
                }
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
        self.sink.sources.insert(&name, text.as_str());
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
                    let d = self.sink.at_in(&name, raw, d);
                    self.error(d);
                }
            }
        }
        Some(name)
    }
}

/// What the terms files of a language's lookup chain gave.
#[derive(Default)]
struct Found {
    /// Whether a file of the language itself (the chain's first step) was
    /// found, built in or the user's.
    base: bool,
    /// Whether that file is built in.
    built_in_base: bool,
    /// The user's terms files read, in the chain's order.
    user_files: Vec<String>,
}

/// The refusal of a language with no terms files, `code` the name its
/// file would have.
fn no_terms(written: &str, code: &str) -> Diagnostic {
    Diagnostic::error(Code::MissingTerm, format!("there are no terms for the language `{written}`"))
        .hint(format!(
            "the built-in languages are {}; for another, put a file `{TERMS_FOLDER}/{code}.yaml` in a `--templates` folder with every key of templates/terms/en.yaml translated",
            BUILT_IN.iter().map(|(t, _)| format!("`{t}`")).collect::<Vec<_>>().join(", ")
        ))
}

/// The refusal of a language whose terms lack those of `missing`.
fn missing_terms(written: &str, missing: &[&terms::Term]) -> Diagnostic {
    let names: Vec<String> = missing.iter().map(|t| format!("`{}`", t.key)).collect();
    let shown = if names.len() > 8 {
        format!("{} and {} more", names[..8].join(", "), names.len() - 8)
    } else {
        names.join(", ")
    };
    Diagnostic::error(Code::MissingTerm, format!("the terms for `{written}` lack {shown}")).hint(
        format!(
            "add {} to the terms file; templates/terms/en.yaml has every key with its English text (e.g. `{}: {}`)",
            if missing.len() == 1 { "it" } else { "them" },
            missing[0].key,
            english(missing[0].key)
        ),
    )
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
