//! Checks a YAML tree against the record's JSON Schema (derived from the
//! types of [`crate::input::record`]), reporting every unknown field, missing
//! field and value of the wrong type of the whole record at once, each
//! saying in YAML terms what the field takes.
//!
//! Each problem also names the bytes to blank out (the entry or list item
//! that holds it) so that the rest of the record can still be read and
//! checked in the same run; see [`Checked::prune`].

use std::collections::HashMap;
use std::ops::Range;

use serde_json::Value as Json;

use crate::diag::{Code, Diagnostic, Span};
use crate::input::record::yaml::{self, Node, ScalarType, Tree, Value};

/// How many nodes a check visits at most, counting those reached through
/// aliases each time: an alias bomb is refused by the deserialiser's
/// budget; this keeps the check from expanding one first.
const MAX_VISITS: usize = 200_000;

/// The largest number a record holds (a count, a width, a scale value):
/// anything larger is a slip, and would overflow the figures computed.
const MAX_NUMBER: f64 = 1e9;

/// The outcome of a check.
#[derive(Debug, Default)]
pub struct Checked {
    pub problems: Vec<Diagnostic>,
    /// The bytes to blank out so that what is left reads without these
    /// problems.
    pub prune: Vec<Range<usize>>,
    /// Whether the problems reach the top of the record, so that nothing
    /// of it can be read.
    pub fatal: bool,
    /// The text values that print (all but file paths), with their bytes.
    pub printed: Vec<(Range<usize>, String)>,
    /// The problems past [`MAX_PROBLEMS`], counted.
    pub more: usize,
    /// The pieces of Markdown text (see [`crate::input::checks::text::markdown_volume`]).
    pub volume: usize,
}

/// The most problems a check places; the rest are counted.
pub const MAX_PROBLEMS: usize = 100;

/// Checks `tree` (the YAML of `text`) against `schema`, a JSON Schema
/// whose definitions are under `$defs`.
pub fn check(tree: &Tree, text: &str, schema: &Json) -> Checked {
    let empty = serde_json::Map::new();
    let defs = schema.get("$defs").and_then(Json::as_object).unwrap_or(&empty);
    let mut walker = Walker {
        defs,
        tree,
        text,
        out: Checked::default(),
        visits: 0,
        alias: None,
        required: false,
    };
    let ok = walker.node(&tree.root, schema, &Place::Root);
    walker.out.fatal = !ok;
    walker.out
}

/// Where a value sits, for messages: the field's name, and its schema
/// (which may carry a hint for a value of the wrong type, `x-hint`).
enum Place<'a> {
    Root,
    /// The value of field `key`.
    Field(&'a str, &'a Json),
    /// An item of the list in field `key`.
    Item(&'a str, &'a Json),
}

struct Walker<'a> {
    defs: &'a serde_json::Map<String, Json>,
    tree: &'a Tree,
    text: &'a str,
    out: Checked,
    visits: usize,
    /// While checking what an alias (`*name`) refers to: the alias, where
    /// problems are reported (the anchored value may be fine elsewhere).
    alias: Option<&'a Node>,
    /// Whether the value being checked is a required field's (or an item
    /// of one): its text may not be blank.
    required: bool,
}

/// The shape of a node, as a schema's `type` names it.
fn shape(node: &Node) -> &'static str {
    match &node.value {
        Value::Map(_) => "object",
        Value::Seq(_) => "array",
        Value::Scalar(s) => match s.kind() {
            ScalarType::Null => "null",
            ScalarType::Bool => "boolean",
            ScalarType::Int => "integer",
            ScalarType::Float => "number",
            ScalarType::Str => "string",
        },
        Value::Alias(_) => "alias",
    }
}

/// A node's kind in words: "text", "a list".
fn found(node: &Node) -> String {
    match &node.value {
        Value::Map(_) => "a mapping".to_owned(),
        Value::Seq(_) => "a list".to_owned(),
        Value::Scalar(s) => match s.kind() {
            ScalarType::Null => "empty".to_owned(),
            ScalarType::Bool => format!("`{}`", s.text),
            ScalarType::Int | ScalarType::Float => format!("the number `{}`", s.text),
            ScalarType::Str => "text".to_owned(),
        },
        Value::Alias(_) => "an alias".to_owned(),
    }
}

impl<'a> Walker<'a> {
    /// The schema `$ref` points to, and the definition's name.
    fn resolve(&self, schema: &'a Json) -> (&'a Json, Option<&'a str>) {
        match schema.get("$ref").and_then(Json::as_str) {
            Some(r) => {
                let name = r.rsplit('/').next().unwrap_or(r);
                (self.defs.get(name).unwrap_or(&Json::Null), Some(name))
            }
            None => (schema, None),
        }
    }

    /// The types a schema allows.
    fn types(&self, schema: &'a Json) -> Vec<&'a str> {
        let (schema, _) = self.resolve(schema);
        match schema.get("type") {
            Some(Json::String(t)) => vec![t.as_str()],
            Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
            _ => match schema.get("anyOf").and_then(Json::as_array) {
                Some(alternatives) => alternatives.iter().flat_map(|a| self.types(a)).collect(),
                None => vec![],
            },
        }
    }

    /// Whether a value of `shape` may be what `schema` describes.
    fn fits(&self, schema: &'a Json, shape: &str) -> bool {
        let types = self.types(schema);
        types.is_empty()
            || types.iter().any(|t| {
                *t == shape
                    || (*t == "number" && shape == "integer")
                    // Plain numbers are text where text is wanted: an
                    // edition `3`, a place `2022`.
                    || (*t == "string" && matches!(shape, "integer" | "number"))
            })
    }

    /// Checks `node` against `schema`; false if the problems found make
    /// the node unusable (its parent must then be dropped in its place).
    fn node(&mut self, node: &'a Node, schema: &'a Json, place: &Place) -> bool {
        self.visits += 1;
        if self.visits > MAX_VISITS {
            return true;
        }
        if let Value::Alias(id) = node.value {
            let Some(target) = self.tree.anchor(id) else { return true };
            let outer = self.alias.replace(self.alias.unwrap_or(node));
            let ok = self.node(target, schema, place);
            self.alias = outer;
            // Blanking an anchored value would break its other aliases.
            return ok;
        }
        if node.tagged {
            let d =
                Diagnostic::error(Code::Yaml, "YAML tags (`!!binary`, `!include`...) are not read")
                    .hint("write the value itself, as plain text, without a `!` tag");
            self.report(node, d);
            return false;
        }
        let (resolved, def) = self.resolve(schema);
        let shape = shape(node);
        if !self.fits(resolved, shape) {
            if shape == "null" {
                self.report(
                    node,
                    Diagnostic::error(Code::MissingField, format!("{} needs a value, but it is empty", subject(place)))
                        .hint("write a value after the colon, or remove the line if the field is optional"),
                );
            } else {
                let d = self.wrong_type(node, resolved, def, place);
                self.report(node, d);
            }
            return false;
        }
        if let Some(alternatives) = resolved.get("anyOf").and_then(Json::as_array) {
            return self.any_of(node, alternatives, place);
        }
        match &node.value {
            Value::Map(entries) => self.mapping(node, entries, resolved, def),
            Value::Seq(items) => self.sequence(node, items, resolved, place),
            Value::Scalar(scalar) => self.scalar(node, scalar, resolved, place),
            Value::Alias(_) => true,
        }
    }

    /// A node that may be one of several schemas: checked against the one
    /// that fits it best.
    fn any_of(&mut self, node: &'a Node, alternatives: &'a [Json], place: &Place) -> bool {
        let shape = shape(node);
        let fitting: Vec<&Json> = alternatives
            .iter()
            .filter(|a| self.fits(a, shape) && !self.types(a).is_empty())
            .collect();
        let mut best: Option<(Checked, bool)> = None;
        for alternative in fitting {
            let mut trial = Walker {
                defs: self.defs,
                tree: self.tree,
                text: self.text,
                out: Checked::default(),
                visits: self.visits,
                alias: self.alias,
                required: self.required,
            };
            let ok = trial.node(node, alternative, place);
            // The alternative the value is shaped like best: fewest values
            // of the wrong type or missing, then fewest problems of any kind.
            let rank = |c: &Checked| {
                let shape = c
                    .problems
                    .iter()
                    .filter(|d| {
                        matches!(d.code, Code::WrongType | Code::MissingField | Code::UnknownField)
                    })
                    .count();
                (shape, c.problems.len() + c.more)
            };
            let better = match &best {
                None => true,
                Some((b, _)) => rank(&trial.out) < rank(b),
            };
            if better {
                best = Some((trial.out, ok));
            }
        }
        match best {
            Some((checked, ok)) => {
                self.out.problems.extend(checked.problems);
                self.out.prune.extend(checked.prune);
                self.out.printed.extend(checked.printed);
                self.out.more += checked.more;
                self.out.volume += checked.volume;
                ok
            }
            None => true,
        }
    }

    fn mapping(
        &mut self,
        node: &'a Node,
        entries: &'a [(Node, Node)],
        schema: &'a Json,
        def: Option<&str>,
    ) -> bool {
        static EMPTY: std::sync::LazyLock<serde_json::Map<String, Json>> =
            std::sync::LazyLock::new(serde_json::Map::new);
        let properties = schema.get("properties").and_then(Json::as_object).unwrap_or(&EMPTY);
        let closed = schema.get("additionalProperties") == Some(&Json::Bool(false));
        let open = schema.get("additionalProperties").filter(|a| a.is_object());
        let patterns: Vec<(&regex::Regex, &Json)> = schema
            .get("patternProperties")
            .and_then(Json::as_object)
            .map(|p| p.iter().filter_map(|(k, v)| Some((pattern(k)?, v))).collect())
            .unwrap_or_default();
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Json::as_array)
            .map(|r| r.iter().filter_map(Json::as_str).collect())
            .unwrap_or_default();
        let mut ok = true;
        let mut seen: HashMap<&str, ()> = HashMap::new();
        let given: Vec<&str> = entries.iter().filter_map(|(k, _)| key_text(k)).collect();
        let lacking: Vec<&str> = required.iter().copied().filter(|r| !given.contains(r)).collect();
        for (key, value) in entries {
            let Some(name) = key_text(key) else {
                let d = Diagnostic::error(
                    Code::WrongType,
                    "a field's name is a word, not a list or mapping",
                )
                .hint("write `name: value`; YAML's `? [a, b]` keys are not fields");
                self.report(key, d);
                self.out.prune.push(yaml::entry(self.text, key, value, node.flow));
                continue;
            };
            seen.insert(name, ());
            let pattern = patterns.iter().find(|(p, _)| p.is_match(name)).map(|(_, s)| *s);
            let field = match (properties.get(name).or(pattern), open) {
                (Some(field), _) => field,
                (None, Some(open)) => open,
                (None, None) if closed => {
                    let candidates: Vec<&str> = properties.keys().map(String::as_str).collect();
                    let hint = match crate::input::closest(name, &candidates) {
                        Some(best) => format!("did you mean `{best}`?"),
                        // Likely the name of the field that is missing.
                        None if !lacking.is_empty() => format!(
                            "did you mean `{}`? {} needs it",
                            lacking[0],
                            def.map(|d| noun(self.defs, d))
                                .unwrap_or_else(|| "the record".to_owned())
                        ),
                        None if candidates.is_empty() => {
                            "the keys here are numbers, e.g. `1: Not useful`".to_owned()
                        }
                        None => format!("the fields here are: {}", candidates.join(", ")),
                    };
                    let d =
                        Diagnostic::error(Code::UnknownField, format!("unknown field `{name}`"))
                            .hint(hint);
                    self.report(key, d);
                    self.out.prune.push(yaml::entry(self.text, key, value, node.flow));
                    continue;
                }
                (None, None) => continue,
            };
            self.required = required.contains(&name);
            if !self.node(value, field, &Place::Field(name, field)) {
                if required.contains(&name) {
                    ok = false;
                } else {
                    self.out.prune.push(yaml::entry(self.text, key, value, node.flow));
                }
            }
        }
        for name in required {
            if seen.contains_key(name) {
                continue;
            }
            let what = def.map(|d| noun(self.defs, d)).unwrap_or_else(|| "the record".to_owned());
            let d = Diagnostic::error(Code::MissingField, format!("missing field `{name}`")).hint(format!(
                "{what} needs `{name}:`; add it at the same indentation as the fields around it \
                 (a field indented differently belongs to another part)"
            ));
            let at = entries.first().map_or(node, |(k, _)| k);
            self.report(at, d);
            ok = false;
        }
        ok
    }

    fn sequence(
        &mut self,
        node: &'a Node,
        items: &'a [Node],
        schema: &'a Json,
        place: &Place,
    ) -> bool {
        let Some(item_schema) = schema.get("items") else { return true };
        let (list, field) = match place {
            Place::Field(name, field) | Place::Item(name, field) => (*name, *field),
            Place::Root => ("the record", schema),
        };
        let mut kept = 0;
        for item in items {
            if self.node(item, item_schema, &Place::Item(list, field)) {
                kept += 1;
            } else {
                self.out.prune.push(yaml::item(self.text, item, node.flow));
            }
        }
        // A list whose every item went leaves its field empty: drop the
        // field too.
        kept > 0 || items.is_empty()
    }

    fn scalar(
        &mut self,
        node: &'a Node,
        scalar: &yaml::Scalar,
        schema: &'a Json,
        place: &Place,
    ) -> bool {
        let types = self.types(schema);
        let kind = scalar.kind();
        if kind == ScalarType::Null {
            return true;
        }
        if types.contains(&"string") {
            return self.text(node, scalar, schema, place);
        }
        let Some(n) = scalar.number() else { return true };
        if !n.is_finite() {
            let d = Diagnostic::error(
                Code::OutOfRange,
                format!(
                    "{} is a number, but `{}` is not a finite one",
                    subject(place),
                    scalar.text
                ),
            )
            .hint("write an ordinary number, e.g. `2` or `0.5`");
            self.report(node, d);
            return false;
        }
        if n.abs() > MAX_NUMBER {
            let d = Diagnostic::error(
                Code::OutOfRange,
                format!(
                    "{} is `{}`, beyond the numbers a report takes (up to a billion)",
                    subject(place),
                    scalar.text
                ),
            )
            .hint("write the number itself, e.g. `25` or `0.5`");
            self.report(node, d);
            return false;
        }
        if types.contains(&"integer") && !types.contains(&"number") {
            let minimum = schema.get("minimum").and_then(Json::as_f64);
            if n.fract() != 0.0 || minimum.is_some_and(|m| n < m) {
                let d = Diagnostic::error(
                    Code::OutOfRange,
                    format!(
                        "{} is a count, but `{}` is not a whole number of 0 or more",
                        subject(place),
                        scalar.text
                    ),
                )
                .hint("write a whole number, e.g. `25`");
                self.report(node, d);
                return false;
            }
        }
        true
    }

    /// Checks a text value: it must print as typed, and Markdown must not
    /// nest too deeply.
    fn text(
        &mut self,
        node: &'a Node,
        scalar: &yaml::Scalar,
        schema: &'a Json,
        place: &Place,
    ) -> bool {
        let flag = |key: &str| schema.get(key).and_then(Json::as_bool).unwrap_or(false);
        if let Some((_, c)) = crate::input::checks::text::unprintable(&scalar.text) {
            let d = crate::input::checks::text::unprintable_error(c);
            // Point at the character, or at the escape that wrote it.
            let source = &self.text[node.bytes.clone()];
            let found = source
                .find(c)
                .map(|i| (i, c.len_utf8()))
                .or_else(|| crate::input::checks::text::escape_of(source, c));
            match found {
                Some((i, len))
                    if self.alias.is_none() && self.out.problems.len() < MAX_PROBLEMS =>
                {
                    let at = node.bytes.start + i;
                    self.out.problems.push(d.at(Span::from_offset(self.text, at, len)));
                }
                _ => self.report(node, d),
            }
            return false;
        }
        if let Some((i, len, d)) = crate::input::checks::text::overloaded(&scalar.text) {
            // Point at the character where the file writes it as it is.
            let source = &self.text[node.bytes.clone()];
            let cluster = &scalar.text[i..i + len];
            match source.find(cluster) {
                Some(at) if self.alias.is_none() && self.out.problems.len() < MAX_PROBLEMS => {
                    let at = node.bytes.start + at;
                    self.out.problems.push(d.at(Span::from_offset(self.text, at, len)));
                }
                _ => self.report(node, d),
            }
            return false;
        }
        if self.required && scalar.text.trim().is_empty() {
            let d = Diagnostic::error(Code::MissingField, format!("{} is empty", subject(place)))
                .hint("write it after the colon, or remove the line if the field is optional");
            self.report(node, d);
            return false;
        }
        if flag("x-markdown")
            && let Some((d, offset)) = crate::input::checks::text::markdown_problem(&scalar.text)
        {
            // A block scalar keeps the text's lines: point at the line
            // where the nesting goes too deep.
            let source = &self.text[node.bytes.clone()];
            let line_start = scalar.text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let line = scalar.text[line_start..].lines().next().unwrap_or("").trim();
            let at = Some(line)
                .filter(|l| !l.is_empty())
                .and_then(|l| source.find(l))
                .map_or(node.bytes.start, |i| node.bytes.start + i);
            match self.alias {
                None if self.out.problems.len() < MAX_PROBLEMS => {
                    self.out.problems.push(d.at(Span::from_offset(self.text, at, 1)))
                }
                _ => self.report(node, d),
            }
            return false;
        }
        let chars = scalar.text.chars().count();
        if !flag("x-markdown") && chars > crate::input::checks::text::MAX_PARAGRAPH {
            self.report(node, crate::input::checks::text::too_long(chars));
            return false;
        }
        if flag("x-markdown") {
            self.out.volume += crate::input::checks::text::markdown_volume(&scalar.text);
        }
        if !flag("x-file") {
            self.out.printed.push((node.bytes.clone(), scalar.text.clone()));
        }
        true
    }

    fn wrong_type(
        &self,
        node: &Node,
        schema: &'a Json,
        def: Option<&str>,
        place: &Place,
    ) -> Diagnostic {
        let expected = self.expected(schema, def);
        let message = match place {
            Place::Root => format!(
                "a workshop record is a mapping of fields (`title:`, `dates:`...), but this is {}",
                found(node)
            ),
            Place::Field(name, _) => {
                format!("`{name}` is {expected}, but here it is {}", found(node))
            }
            Place::Item(name, _) => {
                format!("each item of `{name}` is {expected}, but this one is {}", found(node))
            }
        };
        let (field, property) = match place {
            Place::Field(name, schema) | Place::Item(name, schema) => (*name, Some(*schema)),
            Place::Root => ("", None),
        };
        let shape = shape(node);
        let (resolved, own) = self.resolve(schema);
        let def = def.or(own);
        let mut hint = match self.types(resolved).first().copied() {
            Some("object") if matches!(place, Place::Root) => {
                "a record starts with its fields, each at the start of a line: `title: ...`, `dates: ...`".to_owned()
            }
            Some("object") => {
                let fields = def.or_else(|| self.single_def(resolved)).map(|d| self.fields(d));
                let lead = match fields {
                    Some(fields) => format!("{} is a mapping with {fields}", self.expected(schema, def)),
                    None => "it is a mapping".to_owned(),
                };
                format!("{lead}: write each field on its own line, indented under `{field}:`")
            }
            Some("array") if matches!(place, Place::Item(..)) => {
                "write the item's values as a list: `[a, b]`".to_owned()
            }
            Some("array") => "write one item per line, each starting with `- `, or `[a, b]`".to_owned(),
            Some("string") if shape == "boolean" => {
                format!("write the text itself; quote it (`\"{}\"`) if you mean the word", text_of(node))
            }
            Some("string") => "write the text after the colon; quote it if it starts with `[`, `{`, `*` or `&`, or holds `: `".to_owned(),
            Some("integer") => "write a whole number, e.g. `25`".to_owned(),
            Some("number") => "write a number, e.g. `2` or `0.5`".to_owned(),
            _ => "see docs/input-format.md for what this field takes".to_owned(),
        };
        // The field's own hint, said before the general one or instead.
        let extra = property.and_then(|s| s.get("x-hint")).and_then(Json::as_str);
        let alone = property.and_then(|s| s.get("x-hint-alone")) == Some(&Json::Bool(true));
        match extra {
            Some(extra) if alone => hint = extra.to_owned(),
            Some(extra) => hint = format!("{extra}. {}", capital(&hint)),
            None => {}
        }
        Diagnostic::error(Code::WrongType, message).hint(hint)
    }

    /// What `schema` takes, in words: "text", "a list of persons".
    fn expected(&self, schema: &'a Json, def: Option<&str>) -> String {
        if let Some(def) = def {
            return noun(self.defs, def);
        }
        let (schema, def) = self.resolve(schema);
        if let Some(def) = def {
            return noun(self.defs, def);
        }
        if let Some(alternatives) = schema.get("anyOf").and_then(Json::as_array) {
            let words: Vec<String> = alternatives
                .iter()
                .filter(|a| self.types(a) != ["null"])
                .map(|a| self.expected(a, None))
                .collect();
            return words.join(" or ");
        }
        let types: Vec<&str> = self.types(schema).into_iter().filter(|t| *t != "null").collect();
        match types.first().copied() {
            Some("string") => "text".to_owned(),
            Some("number") => "a number".to_owned(),
            Some("integer") => "a whole number".to_owned(),
            Some("boolean") => "`true` or `false`".to_owned(),
            Some("array") => match schema.get("items") {
                Some(items) => {
                    let item = self.expected(items, None);
                    format!("a list of {}", plural(&item))
                }
                None => "a list".to_owned(),
            },
            Some("object") => "a mapping".to_owned(),
            _ => "a value".to_owned(),
        }
    }

    /// The definition an optional reference (`anyOf: [$ref, null]`) names.
    fn single_def(&self, schema: &'a Json) -> Option<&'a str> {
        schema
            .get("anyOf")?
            .as_array()?
            .iter()
            .find_map(|a| a.get("$ref").and_then(Json::as_str))
            .map(|r| r.rsplit('/').next().unwrap_or(r))
    }

    /// The fields of definition `def`: "`name`, and optionally `role`".
    fn fields(&self, def: &str) -> String {
        let Some(schema) = self.defs.get(def) else { return String::new() };
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Json::as_array)
            .map(|r| r.iter().filter_map(Json::as_str).collect())
            .unwrap_or_default();
        let optional: Vec<String> = schema
            .get("properties")
            .and_then(Json::as_object)
            .map(|p| {
                p.keys()
                    .filter(|k| !required.contains(&k.as_str()))
                    .map(|k| format!("`{k}`"))
                    .collect()
            })
            .unwrap_or_default();
        let required: Vec<String> = required.iter().map(|k| format!("`{k}`")).collect();
        match (required.is_empty(), optional.is_empty()) {
            (false, false) => {
                format!("{}, and optionally {}", required.join(", "), optional.join(", "))
            }
            (false, true) => required.join(", "),
            (true, _) => format!("any of {}", optional.join(", ")),
        }
    }

    fn report(&mut self, node: &Node, diagnostic: Diagnostic) {
        // Past a hundred problems, a file is likely not a record at all:
        // the rest are counted, not placed.
        if self.out.problems.len() >= MAX_PROBLEMS {
            self.out.more += 1;
            return;
        }
        let node = self.alias.unwrap_or(node);
        let len = match &node.value {
            Value::Scalar(_) | Value::Alias(_) => node.bytes.len(),
            // A collection: its first line.
            _ => self.text[node.bytes.start.min(self.text.len())..]
                .find('\n')
                .unwrap_or(node.bytes.len())
                .min(node.bytes.len()),
        };
        let span = Span::from_offset(self.text, node.bytes.start, len.max(1));
        self.out.problems.push(diagnostic.at(span));
    }
}

/// The regular expression of a `patternProperties` key of the schema,
/// compiled the first time it is needed and kept: the schema is the same
/// for every record.
fn pattern(key: &str) -> Option<&'static regex::Regex> {
    type Compiled = std::collections::HashMap<String, Option<&'static regex::Regex>>;
    static COMPILED: std::sync::LazyLock<std::sync::Mutex<Compiled>> =
        std::sync::LazyLock::new(Default::default);
    let mut compiled = COMPILED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    *compiled.entry(key.to_owned()).or_insert_with(|| {
        // A schema holds a handful of patterns: each is kept for the life
        // of the process.
        regex::Regex::new(key).ok().map(|r| &*Box::leak(Box::new(r)))
    })
}

/// The subject of a message about the value at `place`.
fn subject(place: &Place) -> String {
    match place {
        Place::Root => "the record".to_owned(),
        Place::Field(name, _) => format!("`{name}`"),
        Place::Item(name, _) => format!("an item of `{name}`"),
    }
}

fn key_text(key: &Node) -> Option<&str> {
    match &key.value {
        Value::Scalar(s) => Some(s.text.as_str()),
        _ => None,
    }
}

fn text_of(node: &Node) -> &str {
    match &node.value {
        Value::Scalar(s) => &s.text,
        _ => "",
    }
}

/// A definition's name as a noun with its article: `ParticipantList` is
/// "a participant list", unless the type names itself (`x-noun`).
fn noun(defs: &serde_json::Map<String, Json>, def: &str) -> String {
    if let Some(own) = defs.get(def).and_then(|d| d.get("x-noun")).and_then(Json::as_str) {
        return own.to_owned();
    }
    let mut words = String::new();
    for (i, c) in def.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    let article = if words.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {words}")
}

/// "a person" to "persons", "text" to "texts".
fn plural(noun: &str) -> String {
    let bare = noun.strip_prefix("an ").or_else(|| noun.strip_prefix("a ")).unwrap_or(noun);
    let bare = bare.split(':').next().unwrap_or(bare);
    if bare.ends_with('s') { bare.to_owned() } else { format!("{bare}s") }
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Checked {
        let schema: Json = serde_json::from_str(&crate::input::schema()).unwrap();
        let tree = yaml::parse(text).unwrap();
        check(&tree, text, &schema)
    }

    /// The record gives an annex its kind by a field of the kind's key, and
    /// a block by a field of the block kind's key.
    #[test]
    fn every_kind_is_a_field_of_the_record() {
        use crate::kinds::{AnnexKind, BlockKind};
        let schema: Json = serde_json::from_str(&crate::input::schema()).unwrap();
        let fields = |def: &str| -> Vec<String> {
            let properties = &schema["$defs"][def]["properties"];
            properties.as_object().unwrap().keys().cloned().collect()
        };
        let annex = fields("Annex");
        for kind in AnnexKind::ALL {
            assert!(
                annex.contains(&kind.key().to_owned()),
                "no field `{}` in {annex:?}",
                kind.key()
            );
        }
        let block = fields("Block");
        for kind in BlockKind::ALL {
            assert!(
                block.contains(&kind.key().to_owned()),
                "no field `{}` in {block:?}",
                kind.key()
            );
        }
    }

    #[test]
    fn every_slip_is_found_in_one_pass() {
        let text = "\
title: T
dates: {start: 2022-03-15, end: 2022-03-16}
organisers:
  - name: O
    logoo: o.png
chapters:
  - title: C
    colour: red
    presentations:
      - name: P
annexes:
  - agenda:
      days:
        - date: 2022-03-15
          sessions:
            - start: \"09:00\"
              title: S
              moderator: Ana
";
        let checked = problems(text);
        let messages: Vec<String> = checked.problems.iter().map(|d| d.message.clone()).collect();
        assert_eq!(
            messages,
            [
                "unknown field `logoo`",
                "unknown field `colour`",
                "unknown field `name`",
                "missing field `title`",
                "`moderator` is a person, but here it is text",
            ]
        );
        assert!(!checked.fatal);
        let hint = checked.problems[4].hint.as_deref().unwrap();
        assert!(hint.contains("a mapping with `name`, and optionally"), "{hint}");
        let blanked = yaml::blank(text, &checked.prune);
        let tree = yaml::parse(&blanked).unwrap();
        assert!(problems(&blanked).problems.is_empty(), "{blanked}");
        drop(tree);
    }

    #[test]
    fn messages_say_what_a_field_takes() {
        let checked = problems(
            "title: T\ndates: {start: 2022-03-15, end: 2022-03-16}\nchapters:\n  - title: C\n    body: Some text\n",
        );
        let d = &checked.problems[0];
        assert_eq!(d.message, "`body` is a list of blocks, but here it is text");
        assert!(d.hint.as_deref().unwrap().contains("write `text:`"));
        let checked = problems(
            "title: T\ndates: {start: 2022-03-15, end: 2022-03-16}\nannexes:\n  - agenda:\n      days:\n        - date: 2022-03-15\n          sessions:\n            - {start: \"10:00\", break: true}\n",
        );
        assert_eq!(checked.problems[0].message, "`break` is text, but here it is `true`");
        assert!(problems("title: [a, b]\ndates: {start: 2022-03-15, end: 2022-03-16}\n").fatal);
    }

    #[test]
    fn numbers_must_be_finite() {
        let text = "title: T\ndates: {start: 2022-03-15, end: 2022-03-16}\nchapters:\n  - title: C\n    body:\n      - table: {columns: [a, b], rows: [[x, y]], widths: [.inf, 1]}\n";
        let checked = problems(text);
        assert_eq!(checked.problems[0].code, Code::OutOfRange);
    }
}
