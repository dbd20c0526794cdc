//! KoboToolbox (CSV with `;`, or `.xlsx`; headers by label or XML name):
//! the form's fields in form order (`start`, `end`, `today` among them when
//! the form has them), then `_id, _uuid, _submission_time,
//! _validation_status, _notes, _status, _submitted_by, __version__, _tags,
//! _index`. A multiple choice has a summary column and a
//! `<question>/<option>` column per option holding `1` or `0`; write-ins
//! are in `<question>_other`.

use super::{Layout, Tool, optional, required};
use crate::input::survey::columns::{Chosen, Columns, Plan, squash};
use crate::model::survey::Question;

register! { 4 => Kobo }

pub struct Kobo;

impl Tool for Kobo {
    fn key(&self) -> &'static str {
        "kobotoolbox"
    }

    fn name(&self) -> &'static str {
        "KoboToolbox"
    }

    /// The metadata that ends the header, read from its end.
    fn layout(&self) -> Layout {
        const LAYOUT: Layout = Layout {
            lead: &[],
            tail: &[
                optional(&["_index"]),
                optional(&["_tags"]),
                optional(&["__version__"]),
                optional(&["_submitted_by"]),
                optional(&["_status"]),
                optional(&["_notes"]),
                optional(&["_validation_status"]),
                optional(&["meta/rootUuid"]),
                required(&["_submission_time"]),
                required(&["_uuid"]),
                required(&["_id"]),
            ],
            anywhere: &[
                "start",
                "end",
                "today",
                "deviceid",
                "username",
                "phonenumber",
                "audit",
                "meta/instanceID",
                "meta/deprecatedID",
            ],
        };
        LAYOUT
    }

    fn times(&self, columns: &Columns) -> (Option<usize>, Option<usize>) {
        (columns.find("start"), columns.find("end"))
    }

    fn separator(&self) -> &'static str {
        " "
    }

    fn option_columns(&self, columns: &Columns, q: &Question) -> Option<Plan> {
        let mut options = Vec::new();
        for (i, option) in columns.prefixed(&format!("{}/", q.source)) {
            match q.option_of(&option) {
                Some(o) => options.push((i, o)),
                None if option == "other" => {}
                None => options.push((i, usize::MAX)),
            }
        }
        if options.is_empty() {
            return None;
        }
        // The write-ins: a column headed by the question's XML name and
        // `_other` (`Which_topics_were_most_useful_other`).
        let stem = squash(&q.source);
        let other = columns.headings.iter().position(|h| {
            let s = squash(h);
            !h.contains('/') && s.len() > stem.len() && s.starts_with(&stem) && s.ends_with("other")
        });
        Some(Plan::Options { options, other, chosen: Chosen::One })
    }
}
