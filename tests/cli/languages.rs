//! Reports in the workshop's language: the words, dates and numbers of
//! each shipped language, glyphs for every script, right-to-left layout.

use std::path::Path;

use typst::layout::{Frame, FrameItem, Point, Transform};
use workshop_report::{Pipeline, Settings, typeset};

use crate::support::{Pdf, Scratch, build, run_in};

/// Participants' names in the scripts the fonts must draw.
const NAMES: [&str; 6] =
    ["Élise Moreau", "محمد عبد الله", "王小明", "Анна Петрова", "דוד כהן", "Γιώργος Παπαδόπουλος"];

/// A shipped language, and what a report in it prints.
struct Case {
    tag: &'static str,
    /// The chapter's title and text, in the language.
    chapter: (&'static str, &'static str),
    /// The first label of the satisfaction scale, which answers use.
    satisfied: &'static str,
    /// CLDR's range for 15 and 16 March 2022.
    dates: &'static str,
    /// Words of the tool that the report must print.
    words: &'static [&'static str],
}

const CASES: [Case; 6] = [
    Case {
        tag: "en",
        chapter: ("Background", "The workshop met for two days."),
        satisfied: "Very satisfied",
        dates: "March 15\u{2009}–\u{2009}16, 2022",
        words: &[
            "Contents",
            "Annex I",
            "Table 1",
            "Figure 1",
            "Agenda",
            "List of Participants",
            "Responses",
            "Response rate",
            "Mean",
            "Median",
            "Top two",
            "Time",
            "Session",
            "2.25",
            "5.00",
        ],
    },
    Case {
        tag: "fr",
        chapter: ("Contexte", "L’atelier s’est réuni pendant deux jours."),
        satisfied: "Très satisfait",
        dates: "15–16 mars 2022",
        words: &[
            "Table des matières",
            "Annexe I",
            "Tableau 1",
            "Figure 1",
            "Ordre du jour",
            "Liste des participants",
            "Réponses",
            "Taux de réponse",
            "Moyenne",
            "Médiane",
            "Heure",
            "Séance",
            "2,25",
            "5,00",
        ],
    },
    Case {
        tag: "es",
        chapter: ("Antecedentes", "El taller se reunió durante dos días."),
        satisfied: "Muy satisfecho",
        dates: "15–16 de marzo de 2022",
        words: &[
            "Índice",
            "Anexo I",
            "Cuadro 1",
            "Figura 1",
            "Programa",
            "Lista de participantes",
            "Respuestas",
            "Tasa de respuesta",
            "Media",
            "Mediana",
            "Hora",
            "Sesión",
            "2,25",
            "5,00",
        ],
    },
    Case {
        tag: "ru",
        chapter: ("Общие сведения", "Семинар проходил два дня."),
        satisfied: "Очень доволен",
        dates: "15–16 марта 2022\u{202f}г.",
        words: &[
            "Содержание",
            "Приложение I",
            "Таблица 1",
            "Рисунок 1",
            "Повестка дня",
            "Список участников",
            "Ответы",
            "Доля ответивших",
            "Среднее",
            "Медиана",
            "Время",
            "Заседание",
            "2,25",
            "5,00",
        ],
    },
    Case {
        tag: "ar",
        chapter: ("الخلفية", "انعقدت ورشة العمل على مدى يومين."),
        satisfied: "راض جدا",
        dates: "15–16 مارس 2022",
        words: &[
            "المحتويات",
            "المرفق الأول",
            "الجدول 1",
            "الشكل 1",
            "جدول الأعمال",
            "قائمة المشاركين",
            "الردود",
            "معدل الاستجابة",
            "المتوسط",
            "الوسيط",
            "الوقت",
            "الجلسة",
        ],
    },
    Case {
        tag: "zh",
        chapter: ("背景", "讲习班为期两天。"),
        satisfied: "非常满意",
        dates: "2022年3月15日至16日",
        words: &[
            "目录",
            "附件一",
            "表1",
            "图1",
            "议程",
            "与会者名单",
            "答复",
            "答复率",
            "平均值",
            "中位数",
            "时间",
            "会议",
        ],
    },
];

/// The English words of the tool, none of which a report in another
/// language prints (unless the language writes the word the same way).
const ENGLISH: [&str; 13] = [
    "Contents",
    "Annex I",
    "Table 1",
    "Figure 1",
    "Agenda",
    "List of Participants",
    "Responses",
    "Response rate",
    "Mean",
    "Median",
    "Top two",
    "Very satisfied",
    "Session",
];

/// A workshop in `case`'s language with every part that prints the tool's
/// own words: a captioned table and chart, an agenda, participants, a
/// survey on the satisfaction scale.
fn workshop(scratch: &Scratch, case: &Case) {
    let (title, text) = case.chapter;
    let record = format!(
        "title: \"{title} 2022\"\ndates: {{start: 2022-03-15, end: 2022-03-16}}\nlanguage: {tag}\n\
         chapters:\n  - title: \"{title}\"\n    text: \"{text}\"\n    body:\n\
         \x20     - table: {{file: t.csv}}\n        caption: \"{title}.\"\n\
         \x20     - chart: {{file: t.csv, label: A, values: [B]}}\n        caption: \"{title}.\"\n\
         annexes:\n  - agenda:\n      days:\n        - date: 2022-03-15\n          sessions:\n\
         \x20           - {{start: \"09:00\", end: \"10:30\", title: \"{title}\"}}\n\
         \x20 - participants:\n      - file: p.csv\n\
         \x20 - feedback:\n      responses: r.csv\n      invited: 4\n      questions:\n\
         \x20       - {{title: \"{title}?\", scale: satisfaction}}\n",
        tag = case.tag,
    );
    scratch.write("w/workshop.yaml", &record);
    scratch.write("w/t.csv", "A,B\nx,1.5\ny,2.25\n");
    let mut people = String::from("Name\n");
    for name in NAMES {
        people.push_str(name);
        people.push('\n');
    }
    scratch.write("w/p.csv", &people);
    let s = case.satisfied;
    scratch.write("w/r.csv", &format!("ID,{title}?\n1,{s}\n2,{s}\n"));
}

/// Every run of text laid out, with its page.
fn laid_out(dir: &Path) -> (workshop_report::Compiled, Vec<Run>) {
    let pipeline = Pipeline::new(Settings::default());
    let read = pipeline.load(dir);
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    let compiled = pipeline.compile(read.value.unwrap()).value.expect("it compiles");
    let mut runs = Vec::new();
    for (i, page) in compiled.typeset.document.pages().iter().enumerate() {
        walk(&page.frame, Transform::identity(), i + 1, &mut runs);
    }
    (compiled, runs)
}

/// A run of text as laid out: where it starts and ends on its page, and
/// whether its glyphs go in the order of its characters.
#[derive(Debug)]
struct Run {
    page: usize,
    text: String,
    left: f64,
    right: f64,
    in_order: bool,
}

fn walk(frame: &Frame, ts: Transform, page: usize, out: &mut Vec<Run>) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let inner =
                    ts.pre_concat(Transform::translate(pos.x, pos.y)).pre_concat(group.transform);
                walk(&group.frame, inner, page, out);
            }
            FrameItem::Text(text) => {
                let start = pos.transform(ts);
                let end = Point::new(pos.x + text.width(), pos.y).transform(ts);
                let ranges: Vec<usize> = text.glyphs.iter().map(|g| g.range().start).collect();
                out.push(Run {
                    page,
                    text: text.text.to_string(),
                    left: start.x.to_pt(),
                    right: end.x.to_pt(),
                    in_order: ranges.windows(2).all(|w| w[0] <= w[1]),
                });
            }
            _ => {}
        }
    }
}

#[test]
fn each_language_prints_its_own_words_dates_and_numbers() {
    for case in &CASES {
        let scratch = Scratch::new("w", "");
        workshop(&scratch, case);
        let dir = scratch.path_of("w");
        let check = run_in(scratch.dir.path(), &["check", "w", "--deny-warnings"]);
        assert_eq!(check.code(), 0, "{}: {}", case.tag, check.stderr());

        let (compiled, runs) = laid_out(&dir);
        let missing = typeset::unshaped(&compiled.typeset.document);
        assert!(missing.is_empty(), "{}: printed as empty boxes: {missing:?}", case.tag);
        // Runs split where the font or the direction changes, and
        // right-to-left words are laid out right to left: word by word.
        for word in NAMES.iter().flat_map(|n| n.split(' ')) {
            assert!(
                runs.iter().any(|r| r.text.contains(word)),
                "{}: {word} not laid out",
                case.tag
            );
        }

        // The PDF's text, as a reader's search or copy sees it (headings
        // print in capitals: compared without case). Right-to-left text
        // is drawn, and so read back, in visual order: an Arabic report's
        // words are looked for in the laid-out runs instead, piece by
        // piece, as the runs split at each change of direction.
        let rtl = case.tag == "ar";
        let text = if rtl {
            runs.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join(" ")
        } else {
            Pdf::load(&build(&dir)).text()
        };
        let text = text.to_lowercase().replace(['\u{2009}', '\u{202f}', '\u{a0}'], " ");
        let found = |phrase: &str| {
            let phrase = crate::support::fold(&phrase.replace(['\u{2009}', '\u{202f}'], " "));
            let phrase = phrase.to_lowercase();
            if rtl {
                phrase.split([' ', '–']).all(|piece| runs.iter().any(|r| r.text.contains(piece)))
            } else if case.tag == "zh" {
                // The PDF reader puts a space at each change of font (from
                // the Chinese font to the Latin one of the digits).
                let squeezed: String = text.split_whitespace().collect();
                squeezed.contains(&phrase.replace(' ', ""))
            } else {
                text.contains(&phrase)
            }
        };
        assert!(found(case.dates), "{}: no {:?} in\n{text}", case.tag, case.dates);
        for word in case.words {
            assert!(found(word), "{}: no {word:?} in\n{text}", case.tag);
        }
        for english in ENGLISH {
            if case.tag != "en" && !case.words.contains(&english) {
                let english = english.to_lowercase();
                assert!(!has_word(&text, &english), "{}: English {english:?} in\n{text}", case.tag);
            }
        }
    }
}

/// Whether `text` holds `word` as a word of its own ("median", not the
/// start of "mediana").
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[test]
fn arabic_is_laid_out_right_to_left() {
    let scratch = Scratch::new("w", "");
    workshop(&scratch, &CASES[4]);
    // A one-line paragraph, a Latin name inside Arabic text, and a table
    // whose first column is `A`.
    let record = std::fs::read_to_string(scratch.path_of("w/workshop.yaml")).unwrap().replace(
        "    text: \"انعقدت ورشة العمل على مدى يومين.\"",
        "    text: \"افتتحت السيدة Élise Moreau الورشة.\\n\\nوتلتها فقرة ثانية.\"",
    );
    scratch.write("w/workshop.yaml", &record);
    scratch.write("w/t.csv", "البلد,النتيجة\nالأردن,1.5\nمصر,2.25\n");
    let record = std::fs::read_to_string(scratch.path_of("w/workshop.yaml")).unwrap();
    scratch.write(
        "w/workshop.yaml",
        &record.replace("label: A, values: [B]", "label: البلد, values: [النتيجة]"),
    );
    let (_, runs) = laid_out(&scratch.path_of("w"));

    let find = |text: &str| {
        runs.iter().find(|r| r.text.contains(text)).unwrap_or_else(|| panic!("{text} not laid out"))
    };
    // The first paragraph, one line (the next ones start indented, on
    // the right).
    let short = find("افتتحت");
    let page: Vec<&Run> = runs.iter().filter(|r| r.page == short.page).collect();
    let left_margin = page.iter().map(|r| r.left).fold(f64::INFINITY, f64::min);
    let right_margin = page.iter().map(|r| r.right).fold(0.0, f64::max);
    assert!(
        (short.right - right_margin).abs() < 1.0,
        "a paragraph's line ends at the right margin ({} vs {right_margin})",
        short.right
    );
    assert!(short.left > left_margin + 100.0, "and leaves the left side free");

    let latin = find("Moreau");
    assert!(latin.in_order, "a Latin name keeps its letter order: {latin:?}");
    let pdf = Pdf::load(&build(&scratch.path_of("w"))).text();
    assert!(pdf.contains("Élise Moreau"), "{pdf}");

    let first = find("البلد");
    let second = find("النتيجة");
    assert_eq!(first.page, second.page);
    assert!(first.left > second.right, "the first column is at the right");
}

#[test]
fn a_terms_file_lacking_a_term_is_named_with_its_file() {
    let scratch =
        Scratch::new("w", "title: T\ndates: {start: 2022-03-15, end: 2022-03-16}\nlanguage: de\n");
    let mut terms =
        std::fs::read_to_string(crate::support::root().join("templates/terms/en.yaml")).unwrap();
    terms = terms
        .replace("contents: Contents\n", "contents: Inhalt\n")
        .replace("annexes: Annexes\n", "");
    scratch.write("t/terms/de.yaml", &terms);
    let run = run_in(scratch.dir.path(), &["check", "w", "--templates", "t"]).status(1);
    let err = run.stderr();
    assert!(err.contains("error[missing-term]"), "{err}");
    assert!(err.contains("`annexes`"), "the term is named: {err}");
    assert!(err.contains("t/terms/de.yaml"), "the file is named: {err}");

    // With the term, the report is in the new language.
    scratch.write("t/terms/de.yaml", &(terms + "annexes: Anhänge\n"));
    run_in(scratch.dir.path(), &["check", "w", "--templates", "t"]).success();
}

#[test]
fn house_styles_replace_single_terms() {
    let scratch = Scratch::new(
        "w",
        "title: T\ndates: {start: 2022-03-15, end: 2022-03-16}\nlanguage: fr\n\
         branding:\n  terms:\n    contents: Sommaire\n    date_range_days: \"d 'et' d MMMM y\"\n\
         chapters:\n  - {title: C, text: Texte.}\n",
    );
    let text = Pdf::load(&build(&scratch.path_of("w"))).text();
    let lower = text.to_lowercase();
    assert!(lower.contains("sommaire") && !lower.contains("table des matières"), "{text}");
    assert!(text.contains("15 et 16 mars 2022"), "{text}");
}

#[test]
fn new_starts_a_workshop_in_the_language() {
    let scratch = Scratch::new("unused", "");
    run_in(scratch.dir.path(), &["new", "w", "--language", "fr"]).success();
    let record = std::fs::read_to_string(scratch.path_of("w/workshop.yaml")).unwrap();
    assert!(record.contains("language: fr"), "{record}");
    let text = Pdf::load(&build(&scratch.path_of("w"))).text().to_lowercase();
    for word in ["table des matières", "annexe i", "liste des participants", "contexte"] {
        assert!(text.contains(word), "{word:?} not in {text}");
    }
    run_in(scratch.dir.path(), &["new", "x", "--language", "xx-nope"]).status(2);
}
