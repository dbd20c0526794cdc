//! Indico's questionnaire export (`survey.json`, from a survey's
//! management page: `surveys/controllers/management/questionnaire.py`):
//! `{"sections": [{"content": [{"type": "question", "field_type":
//! "single_choice", "title": ..., "field_data": {"options": [{"option":
//! ...}, ...]}}, ...]}, ...], "version": 1}`. Each question is found by
//! its export column (`Section: Question`) or its title; a single choice's
//! options, in the order the survey shows them, are its scale (first
//! best), a multiple choice's its options, where the record gives the
//! question no `scale` or `options` of its own.

use serde_json::Value;

use crate::diag::{Code, Diagnostic, Span};
use crate::input::Context;
use crate::input::checks::text;
use crate::input::record::Spanned;

/// The largest questionnaire read, in bytes.
const MAX_BYTES: u64 = 4 << 20;

/// The most questions a questionnaire holds, and options a question.
const MAX_ITEMS: usize = 2000;

/// The questions of a questionnaire.
#[derive(Debug, Default)]
pub struct Questionnaire {
    pub questions: Vec<Asked>,
}

/// A question of a questionnaire.
#[derive(Debug)]
pub struct Asked {
    /// Its section's title, where the survey shows it as a section.
    pub section: Option<String>,
    pub title: String,
    /// Indico's field type: `single_choice`, `multiselect`, `text`...
    pub kind: String,
    /// A choice's options, in the survey's order.
    pub options: Vec<String>,
}

impl Questionnaire {
    /// The question an export's column is (`Section: Question`, as Indico
    /// heads its results), else the one question titled `title`.
    pub fn find(&self, column: &str, title: &str) -> Option<&Asked> {
        let n = crate::model::survey::normalise;
        let by_column = self.questions.iter().find(|q| match &q.section {
            Some(section) => n(&format!("{section}: {}", q.title)) == n(column),
            None => n(&q.title) == n(column),
        });
        let mut titled = self.questions.iter().filter(|q| n(&q.title) == n(title));
        by_column.or_else(|| match (titled.next(), titled.next()) {
            (Some(q), None) => Some(q),
            _ => None,
        })
    }
}

impl Context {
    /// The questionnaire at `path`, read and checked.
    pub(crate) fn questionnaire(&mut self, path: &Spanned<String>) -> Option<Questionnaire> {
        let name = self.folder.display_name(&path.value);
        let source = match self.folder.read_text(&path.value, MAX_BYTES) {
            Ok(text) => text,
            Err(d) => {
                let d = if d.file.is_some() { d } else { self.sink.at(path, d) };
                self.error(d.hint(
                    "give the `survey.json` Indico exported from the survey's questionnaire",
                ));
                return None;
            }
        };
        self.sink.sources.insert(&name, source.as_str());
        let refuse = |message: String| Diagnostic::error(Code::ExportShape, message).in_file(&name);
        let value: Value = match serde_json::from_str(&source) {
            Ok(v) => v,
            Err(e) => {
                let d = refuse(format!("`{name}` is not JSON: {e}"))
                    .at(Span::from_line_column(&source, e.line(), e.column()))
                    .hint("export the questionnaire again");
                self.error(d);
                return None;
            }
        };
        match read(&value) {
            Ok(q) => Some(q),
            Err((at, message)) => {
                let d = text::placed(refuse(message), &at)
                    .hint("give the `survey.json` of Indico's questionnaire export, unchanged");
                self.error(d);
                None
            }
        }
    }
}

/// The single-choice questions of the export, or where and why it is not
/// one.
fn read(value: &Value) -> Result<Questionnaire, (String, String)> {
    let Some(sections) = value.get("sections").and_then(Value::as_array) else {
        return Err((
            "/".into(),
            "this is not Indico's questionnaire export (it has no `sections`)".into(),
        ));
    };
    let mut out = Questionnaire::default();
    let mut items = 0;
    for (s, section) in sections.iter().enumerate() {
        let shown = section.get("display_as_section").and_then(Value::as_bool).unwrap_or(true);
        let heading = section
            .get("title")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| shown && !t.is_empty());
        let content =
            section.get("content").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        for (i, item) in content.iter().enumerate() {
            items += 1;
            let at = format!("/sections/{s}/content/{i}");
            if items > MAX_ITEMS {
                return Err((at, format!("the questionnaire has more than {MAX_ITEMS} items")));
            }
            if item.get("type").and_then(Value::as_str) != Some("question") {
                continue;
            }
            let kind = item.get("field_type").and_then(Value::as_str).unwrap_or("").to_owned();
            let title = item.get("title").and_then(Value::as_str).unwrap_or("").trim().to_owned();
            let options: Vec<String> = item
                .pointer("/field_data/options")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .filter_map(|o| o.get("option").and_then(Value::as_str))
                .map(|o| o.trim().to_owned())
                .collect();
            let choice = kind == "single_choice" || kind == "multiselect";
            if choice && options.is_empty() || options.len() > MAX_ITEMS {
                return Err((
                    at,
                    format!("the single-choice question `{title}` has {} options", options.len()),
                ));
            }
            for text in std::iter::once(&title).chain(&options) {
                text::check_value(text).map_err(|d| (at.clone(), d.message))?;
            }
            out.questions.push(Asked { section: heading.map(str::to_owned), title, kind, options });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_choices_in_the_survey_order() {
        let json = r#"{"sections":[{"content":[{"type":"text","description":"x"},
            {"field_data":{"options":[{"option":"Excellent"},{"option":"Good"},{"option":"Poor"}]},
             "field_type":"single_choice","title":"Overall rating","type":"question"},
            {"field_data":{},"field_type":"bool","title":"Again?","type":"question"}],"type":"section"}],"version":1}"#;
        let q = read(&serde_json::from_str(json).unwrap()).unwrap();
        assert_eq!(q.find("x", "overall  rating").unwrap().options, ["Excellent", "Good", "Poor"]);
        assert_eq!(q.find("Again?", "y").unwrap().kind, "bool");
        assert!(q.find("x", "Nothing").is_none());
        assert!(read(&serde_json::json!({"results": []})).is_err());
    }
}
