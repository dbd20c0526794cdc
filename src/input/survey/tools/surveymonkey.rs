//! SurveyMonkey ("all responses", CSV or `.xlsx`): two header rows. The
//! first: `Respondent ID, Collector ID, Start Date, End Date, IP Address,
//! Email Address, First Name, Last Name, Custom Data 1`, then the
//! questions, a blank cell continuing the question on its left. The
//! second: blank under the metadata; under each question `Response`,
//! `Open-Ended Response`, an option (a multiple choice has a column per
//! option, holding its text when chosen), a matrix row, or `Other (please
//! specify)`.

use super::{Layout, Tool, optional, required};
use crate::input::survey::columns::{Chosen, Columns, Plan};
use crate::model::survey::{Question, normalise};

register! { 3 => SurveyMonkey }

pub struct SurveyMonkey;

impl Tool for SurveyMonkey {
    fn key(&self) -> &'static str {
        "surveymonkey"
    }

    fn name(&self) -> &'static str {
        "SurveyMonkey"
    }

    fn layout(&self) -> Layout {
        const LAYOUT: Layout = Layout {
            lead: &[
                required(&["Respondent ID"]),
                required(&["Collector ID"]),
                required(&["Start Date"]),
                required(&["End Date"]),
                optional(&["IP Address"]),
                optional(&["Email Address"]),
                optional(&["First Name"]),
                optional(&["Last Name"]),
                optional(&["Custom Data 1"]),
            ],
            tail: &[],
            anywhere: &[],
        };
        LAYOUT
    }

    fn times(&self, columns: &Columns) -> (Option<usize>, Option<usize>) {
        (columns.find("Start Date"), columns.find("End Date"))
    }

    fn separator(&self) -> &'static str {
        ";"
    }

    fn second_header(&self) -> bool {
        true
    }

    /// `Other (please specify)` under the question, beside its `Response`.
    fn other_column(&self, columns: &Columns, column: usize) -> Option<usize> {
        columns
            .same_question(column)
            .into_iter()
            .find(|&i| i != column && columns.under(i).to_lowercase().starts_with("other"))
    }

    fn option_columns(&self, columns: &Columns, q: &Question) -> Option<Plan> {
        let all = columns.all(&q.source);
        if all.len() < 2 {
            return None;
        }
        let (mut options, mut other) = (Vec::new(), None);
        for (k, &i) in all.iter().enumerate() {
            let under = columns.under(i);
            if under.to_lowercase().starts_with("other") {
                other = Some(i);
            } else if let Some(o) = q.option_of(&normalise(under)) {
                options.push((i, o));
            } else if k == 0 && under.eq_ignore_ascii_case("Response") {
                return None;
            } else {
                options.push((i, usize::MAX));
            }
        }
        Some(Plan::Options { options, other, chosen: Chosen::NotEmpty })
    }
}
