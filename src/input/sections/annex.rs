//! The annexes, numbered in the order the record gives, each checked by
//! its kind (`kinds/annex/<key>.rs`); the survey's response rate, which
//! needs the participant lists, filled in after.

use crate::diag::{Code, Diagnostic};
use crate::input::Context;
use crate::input::record::{self, Spanned};
use crate::kinds::AnnexKind;
use crate::model::{Annex, AnnexContent, DateRange};

impl Context {
    pub(crate) fn annexes(
        &mut self,
        annexes: &[Spanned<record::Annex>],
        dates: Option<DateRange>,
    ) -> Vec<Annex> {
        let mut out = Vec::new();
        for spanned in annexes {
            let annex = &spanned.value;
            let Some((default_title, content)) = self.annex(spanned, dates) else { continue };
            let default_title = default_title
                .and_then(|key| self.language.as_ref().map(|l| l.terms().text(key).to_owned()));
            let title = annex.title.clone().filter(|t| !t.trim().is_empty()).or(default_title);
            let Some(title) = title else {
                self.error_at(
                    spanned,
                    Diagnostic::error(Code::AnnexTitle, "this text annex has no title")
                        .hint("give the annex a `title:`; it prints as \"Annex I: <title>\""),
                );
                continue;
            };
            let index = out.len();
            let (number, label, heading) = match &self.language {
                Some(language) => {
                    let label = language.annex_label(index);
                    let heading =
                        language.say("annex_heading", &[("label", &label), ("title", &title)]);
                    (language.annex_number(index), label, heading)
                }
                None => (String::new(), String::new(), title.clone()),
            };
            out.push(Annex { number, label, heading, title, content });
        }
        for warning in response_rates(&mut out, self.language.as_ref()) {
            let d = warning.in_file(self.record_name());
            self.error(d);
        }
        out
    }

    /// The annex's default title and content.
    fn annex(
        &mut self,
        spanned: &Spanned<record::Annex>,
        dates: Option<DateRange>,
    ) -> Option<(Option<&'static str>, AnnexContent)> {
        let annex = &spanned.value;
        let kinds: Vec<AnnexKind> =
            AnnexKind::ALL.iter().copied().filter(|k| k.given(annex)).collect();
        let [kind] = kinds[..] else {
            self.error_at(spanned, crate::kinds::annex::not_one_kind(kinds.len()));
            return None;
        };
        let content = kind.check(annex, self, dates)?;
        Some((kind.title_term(), content))
    }
}

/// Fills in each survey's response rate: respondents against those invited,
/// by default the people of the first list of the first participants annex
/// (the participants proper; lists of staff follow it).
/// Where the participants are fewer than the respondents, no rate is
/// printed, and a warning says why.
fn response_rates(
    annexes: &mut [Annex],
    language: Option<&crate::language::Language>,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let participants = annexes.iter().find_map(|a| match &a.content {
        AnnexContent::Participants(p) => p.lists.first().map(|l| l.len() as u64),
        _ => None,
    });
    for annex in annexes {
        if let AnnexContent::Feedback(crate::kinds::annex::feedback::Content {
            survey: Some(survey),
            ..
        }) = &mut annex.content
        {
            if survey.invited.is_none()
                && let (Some(respondents), Some(people)) = (survey.respondents, participants)
                && people < respondents
            {
                warnings.push(
                    Diagnostic::warning(
                        Code::OutOfRange,
                        format!(
                            "the survey has {respondents} respondents, more than the {people} people of the participant list; no response rate is printed"
                        ),
                    )
                    .hint("give the number of people asked to answer with `invited:`"),
                );
                continue;
            }
            survey.invited = survey.invited.or(participants);
            if let (Some(respondents), Some(invited), Some(language)) =
                (survey.respondents, survey.invited, language)
                && invited > 0
            {
                let rate = crate::model::survey::rounded_percent(respondents, invited);
                survey.response_rate = Some(language.percent(rate));
                survey.response_rate_text = Some(language.say(
                    "response_rate_of",
                    &[
                        ("part", &language.integer(respondents)),
                        ("whole", &language.integer(invited)),
                    ],
                ));
            }
        }
    }
    warnings
}
