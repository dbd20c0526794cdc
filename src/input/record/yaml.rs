//! The record as a tree of YAML nodes, each with the bytes it spans.
//!
//! serde stops at the first value that does not fit the record's types.
//! Reading the YAML into this tree first lets [`crate::input::record::schema`] check the
//! whole record against its schema and report every problem at once, and
//! says which bytes hold each value, so that a value with a problem can be
//! blanked out and the rest read on (see [`blank`]).

use std::collections::HashMap;
use std::ops::Range;

use granit_parser::{Event, Parser, ScalarStyle, StructureStyle};

/// The deepest nesting read; a real record nests about ten levels.
const MAX_DEPTH: usize = 48;
/// The most nodes read; a real record has a few thousand.
const MAX_NODES: usize = 500_000;

/// One value of the YAML document.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    /// The bytes of the source that hold the value.
    pub bytes: Range<usize>,
    /// Whether a collection is written in flow style (`[a, b]`, `{a: 1}`).
    pub flow: bool,
    /// Whether the node carries an explicit tag (`!!binary`, `!include`).
    pub tagged: bool,
}

/// What a node holds.
#[derive(Debug, Clone)]
pub enum Value {
    /// A mapping: its keys (as nodes, for their position) and values.
    Map(Vec<(Node, Node)>),
    Seq(Vec<Node>),
    Scalar(Scalar),
    /// A reference (`*name`) to the anchored node of this id.
    Alias(usize),
}

/// A scalar, as written and after escapes were processed.
#[derive(Debug, Clone)]
pub struct Scalar {
    pub text: String,
    /// Plain scalars may be numbers, booleans or null; quoted and block
    /// scalars are always text.
    pub plain: bool,
}

/// The type a scalar has under YAML 1.2's core schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    Null,
    Bool,
    Int,
    Float,
    Str,
}

impl Scalar {
    pub fn kind(&self) -> ScalarType {
        if !self.plain {
            return ScalarType::Str;
        }
        let t = self.text.as_str();
        match t {
            "" | "~" | "null" | "Null" | "NULL" => return ScalarType::Null,
            "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return ScalarType::Bool,
            ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf"
            | "-.INF" | ".nan" | ".NaN" | ".NAN" => return ScalarType::Float,
            _ => {}
        }
        let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return ScalarType::Int;
        }
        let radix = |p: &str, f: fn(&u8) -> bool| {
            t.strip_prefix(p).is_some_and(|r| !r.is_empty() && r.as_bytes().iter().all(f))
        };
        if radix("0x", u8::is_ascii_hexdigit) || radix("0o", |b| (b'0'..=b'7').contains(b)) {
            return ScalarType::Int;
        }
        let float = digits.chars().any(|c| c.is_ascii_digit())
            && digits
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
            && digits.parse::<f64>().is_ok();
        if float { ScalarType::Float } else { ScalarType::Str }
    }

    /// The number the scalar holds, if it is one (quoted numbers count).
    pub fn number(&self) -> Option<f64> {
        let t = self.text.trim();
        match t {
            ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Some(f64::INFINITY),
            "-.inf" | "-.Inf" | "-.INF" => Some(f64::NEG_INFINITY),
            ".nan" | ".NaN" | ".NAN" => Some(f64::NAN),
            _ if t.starts_with("0x") => i64::from_str_radix(&t[2..], 16).ok().map(|n| n as f64),
            _ if t.starts_with("0o") => i64::from_str_radix(&t[2..], 8).ok().map(|n| n as f64),
            _ if t
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+')) =>
            {
                t.parse().ok()
            }
            _ => None,
        }
    }
}

/// A YAML document read into nodes, with its anchors.
#[derive(Debug)]
pub struct Tree {
    pub root: Node,
    anchors: HashMap<usize, Node>,
}

impl Tree {
    /// The node an alias refers to.
    pub fn anchor(&self, id: usize) -> Option<&Node> {
        self.anchors.get(&id)
    }
}

/// Why a document could not be read into a tree.
#[derive(Debug)]
pub enum Error {
    /// YAML syntax; the deserialiser's message says it best.
    Syntax,
    /// Nested deeper, or holding more nodes, than a record can.
    TooLarge,
}

/// Reads `text` into a tree. Only the first document is read.
pub fn parse(text: &str) -> Result<Tree, Error> {
    let mut builder = Builder { anchors: HashMap::new(), nodes: 0 };
    let mut events = Parser::new_from_str(text);
    loop {
        let (event, span) = Builder::next(&mut events)?;
        match event {
            Event::StreamStart | Event::DocumentStart(..) => continue,
            Event::StreamEnd | Event::DocumentEnd => {
                // An empty document: an empty mapping's worth of nothing.
                let at = span.start.byte_offset().unwrap_or(0);
                let root = Node {
                    value: Value::Scalar(Scalar { text: String::new(), plain: true }),
                    bytes: at..at,
                    flow: false,
                    tagged: false,
                };
                return Ok(Tree { root, anchors: builder.anchors });
            }
            _ => {
                let root = builder.node(event, span, &mut events, 0)?;
                return Ok(Tree { root, anchors: builder.anchors });
            }
        }
    }
}

struct Builder {
    anchors: HashMap<usize, Node>,
    nodes: usize,
}

type Events<'a> = Parser<'a, granit_parser::StrInput<'a>>;

fn range(span: &granit_parser::Span) -> Range<usize> {
    let start = span.start.byte_offset().unwrap_or(0);
    start..span.end.byte_offset().unwrap_or(start).max(start)
}

impl Builder {
    fn next<'a>(events: &mut Events<'a>) -> Result<(Event<'a>, granit_parser::Span), Error> {
        loop {
            match events.next().ok_or(Error::Syntax)?.map_err(|_| Error::Syntax)? {
                // Comments say nothing of the values.
                (Event::Comment(..), _) => continue,
                event => return Ok(event),
            }
        }
    }

    fn node<'a>(
        &mut self,
        event: Event<'a>,
        span: granit_parser::Span,
        events: &mut Events<'a>,
        depth: usize,
    ) -> Result<Node, Error> {
        self.nodes += 1;
        if depth > MAX_DEPTH || self.nodes > MAX_NODES {
            return Err(Error::TooLarge);
        }
        let start = range(&span);
        let (node, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let plain = style == ScalarStyle::Plain;
                let scalar = Scalar { text: text.into_owned(), plain };
                let tagged = tag.is_some();
                (Node { value: Value::Scalar(scalar), bytes: start, flow: false, tagged }, anchor)
            }
            Event::Alias(id) => {
                (Node { value: Value::Alias(id), bytes: start, flow: false, tagged: false }, 0)
            }
            Event::SequenceStart(style, anchor, tag) => {
                let tagged = tag.is_some();
                let mut items = Vec::new();
                let end = loop {
                    let (event, span) = Self::next(events)?;
                    if let Event::SequenceEnd = event {
                        break span;
                    }
                    items.push(self.node(event, span, events, depth + 1)?);
                };
                let bytes = start.start..range(&end).end.max(start.end);
                let flow = style == StructureStyle::Flow;
                let bytes = extend(bytes, &items_end(&items));
                (Node { value: Value::Seq(items), bytes, flow, tagged }, anchor)
            }
            Event::MappingStart(style, anchor, tag) => {
                let tagged = tag.is_some();
                let mut entries = Vec::new();
                let end = loop {
                    let (event, span) = Self::next(events)?;
                    if let Event::MappingEnd = event {
                        break span;
                    }
                    let key = self.node(event, span, events, depth + 1)?;
                    let (event, span) = Self::next(events)?;
                    let value = self.node(event, span, events, depth + 1)?;
                    entries.push((key, value));
                };
                let bytes = start.start..range(&end).end.max(start.end);
                let last = entries.last().map(|(_, v)| v.bytes.end).unwrap_or(0);
                let flow = style == StructureStyle::Flow;
                let bytes = extend(bytes, &last);
                (Node { value: Value::Map(entries), bytes, flow, tagged }, anchor)
            }
            _ => return Err(Error::Syntax),
        };
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }
}

/// What was blanked out of a YAML file, for telling which later problems
/// only repeat one already reported: a check that runs on what is left
/// may miss a value that was there, and say so in other words.
#[derive(Debug, Default)]
pub struct Shadow {
    /// The collections that hold a blanked-out range.
    holders: Vec<Range<usize>>,
    /// The collections a blanked-out entry or item was directly part of.
    parents: Vec<Range<usize>>,
    /// Every collection, for finding the innermost one around a place.
    collections: Vec<Range<usize>>,
    /// The holders no other holder holds, in order.
    outer: Vec<Range<usize>>,
}

impl Shadow {
    /// The shadow of blanking `ranges` out of `tree`.
    pub fn new(tree: &Tree, ranges: &[Range<usize>]) -> Shadow {
        let mut starts: Vec<usize> = ranges.iter().map(|r| r.start).collect();
        starts.sort_unstable();
        // The blanked ranges that start within `from..to`.
        let within = |from: usize, to: usize| {
            starts.partition_point(|&s| s < to) - starts.partition_point(|&s| s < from)
        };
        fn walk(node: &Node, within: &dyn Fn(usize, usize) -> usize, out: &mut Shadow) {
            let children: Vec<&Node> = match &node.value {
                Value::Map(entries) => entries.iter().map(|(_, v)| v).collect(),
                Value::Seq(items) => items.iter().collect(),
                _ => return,
            };
            out.collections.push(node.bytes.clone());
            let held = within(node.bytes.start, node.bytes.end);
            if held == 0 {
                return;
            }
            out.holders.push(node.bytes.clone());
            // A range that starts inside a child collection (not at its
            // start, where the child itself is the entry) is the child's.
            let inner: usize = children
                .iter()
                .filter(|c| matches!(c.value, Value::Map(_) | Value::Seq(_)))
                .map(|c| within(c.bytes.start + 1, c.bytes.end))
                .sum();
            if held > inner {
                out.parents.push(node.bytes.clone());
            }
            for child in children {
                walk(child, within, out);
            }
        }
        let mut shadow = Shadow::default();
        walk(&tree.root, &within, &mut shadow);
        // Walked in document order: sorted by start already, parents first.
        for holder in &shadow.holders {
            if shadow.outer.last().is_none_or(|o| holder.start >= o.end) {
                shadow.outer.push(holder.clone());
            }
        }
        shadow
    }

    /// Whether a later error at byte `at` repeats a problem reported: it
    /// points at a collection that lost a value, or sits right beside a
    /// value that was blanked out.
    pub fn covers_error(&self, at: usize) -> bool {
        if self.holders.binary_search_by_key(&at, |h| h.start).is_ok() {
            return true;
        }
        // The innermost collection around `at`: the nearest that starts
        // before it and holds it (collections nest).
        let i = self.collections.partition_point(|c| c.start <= at);
        let innermost = self.collections[..i].iter().rev().take(64).find(|c| c.contains(&at));
        innermost.is_some_and(|c| self.parents.binary_search_by_key(&c.start, |p| p.start).is_ok())
    }

    /// Whether a later warning at byte `at` lies in a collection that lost
    /// a value (an empty section whose only block had a problem...).
    pub fn covers_warning(&self, at: usize) -> bool {
        // The outermost holders are disjoint; any holder is inside one.
        let i = self.outer.partition_point(|h| h.start <= at);
        i > 0 && self.outer[i - 1].contains(&at)
    }
}

fn items_end(items: &[Node]) -> usize {
    items.last().map_or(0, |n| n.bytes.end)
}

fn extend(bytes: Range<usize>, end: &usize) -> Range<usize> {
    bytes.start..bytes.end.max(*end)
}

/// `text` with each of `ranges` overwritten by spaces, line breaks kept:
/// every other value keeps its line, column and byte offset. The ranges
/// are mapping entries or sequence items (see [`entry`] and [`item`]).
pub fn blank(text: &str, ranges: &[Range<usize>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for range in ranges {
        let range = range.start.min(bytes.len())..range.end.min(bytes.len());
        for b in &mut bytes[range] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Multi-byte characters are overwritten whole or not at all: the
    // ranges start and end on character boundaries.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The bytes of the mapping entry `key: value` in a mapping written in
/// `flow` style or not: from the key to the end of the value, with the
/// comma after it in flow style.
pub fn entry(text: &str, key: &Node, value: &Node, flow: bool) -> Range<usize> {
    let end = value.bytes.end.max(key.bytes.end);
    key.bytes.start..if flow { past_comma(text, end) } else { end }
}

/// The bytes of a sequence item: with its `- ` in block style, with the
/// comma after it in flow style.
pub fn item(text: &str, node: &Node, flow: bool) -> Range<usize> {
    if flow {
        return node.bytes.start..past_comma(text, node.bytes.end);
    }
    let before = &text[..node.bytes.start.min(text.len())];
    let dash = before.trim_end().strip_suffix('-').map(str::len);
    dash.unwrap_or(node.bytes.start)..node.bytes.end
}

fn past_comma(text: &str, end: usize) -> usize {
    let rest = &text[end.min(text.len())..];
    let trimmed = rest.trim_start_matches([' ', '\t', '\n', '\r']);
    match trimmed.strip_prefix(',') {
        Some(_) => end + (rest.len() - trimmed.len()) + 1,
        None => end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(node: &Node) -> Vec<&str> {
        match &node.value {
            Value::Map(entries) => entries
                .iter()
                .map(|(k, _)| match &k.value {
                    Value::Scalar(s) => s.text.as_str(),
                    _ => "?",
                })
                .collect(),
            _ => vec![],
        }
    }

    #[test]
    fn nodes_know_their_bytes() {
        let text = "title: T\norganisers:\n  - name: A\n    logoo: x.png\n";
        let tree = parse(text).unwrap();
        assert_eq!(keys(&tree.root), ["title", "organisers"]);
        let Value::Map(entries) = &tree.root.value else { panic!() };
        let Value::Seq(items) = &entries[1].1.value else { panic!() };
        let Value::Map(fields) = &items[0].value else { panic!() };
        let (k, v) = &fields[1];
        assert_eq!(&text[k.bytes.clone()], "logoo");
        assert_eq!(&text[v.bytes.clone()], "x.png");
        let blanked = blank(text, &[entry(text, k, v, false)]);
        assert_eq!(blanked, "title: T\norganisers:\n  - name: A\n                \n");
        let blanked = blank(text, &[item(text, &items[0], false)]);
        assert!(blanked.starts_with("title: T\norganisers:\n    "), "{blanked:?}");
    }

    #[test]
    fn comments_are_read_past() {
        // A record commented anywhere is still checked against the schema.
        let text = "# the record\ntitle: T # inline\n# between\norganisers:\n  - name: A # end\n";
        let tree = parse(text).unwrap();
        assert_eq!(keys(&tree.root), ["title", "organisers"]);
    }

    #[test]
    fn flow_entries_take_their_comma() {
        let text = "o: {bad: 1, name: A}\n";
        let tree = parse(text).unwrap();
        let Value::Map(entries) = &tree.root.value else { panic!() };
        let inner = &entries[0].1;
        assert!(inner.flow);
        let Value::Map(fields) = &inner.value else { panic!() };
        let r = entry(text, &fields[0].0, &fields[0].1, true);
        assert_eq!(blank(text, &[r]), "o: {        name: A}\n");
    }

    #[test]
    fn scalars_are_typed_as_yaml_does() {
        let kind = |t: &str| Scalar { text: t.into(), plain: true }.kind();
        assert_eq!(kind("2022"), ScalarType::Int);
        assert_eq!(kind("1.5"), ScalarType::Float);
        assert_eq!(kind(".inf"), ScalarType::Float);
        assert_eq!(kind("true"), ScalarType::Bool);
        assert_eq!(kind("~"), ScalarType::Null);
        assert_eq!(kind("2022-03-15"), ScalarType::Str);
        assert_eq!(kind("1e5"), ScalarType::Float);
        assert_eq!(kind("e"), ScalarType::Str);
        assert_eq!(Scalar { text: "true".into(), plain: false }.kind(), ScalarType::Str);
    }

    #[test]
    fn tags_are_noticed() {
        let tree = parse("a: !!binary aGVsbG8=\nb: plain\nc: !include x.md\n").unwrap();
        let Value::Map(entries) = &tree.root.value else { panic!() };
        let tagged: Vec<bool> = entries.iter().map(|(_, v)| v.tagged).collect();
        assert_eq!(tagged, [true, false, true]);
    }

    #[test]
    fn runaway_nesting_is_refused() {
        let text = "a: ".to_owned() + &"[".repeat(100) + &"]".repeat(100);
        assert!(matches!(parse(&text), Err(Error::TooLarge)));
    }
}
