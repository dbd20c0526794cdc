//! The annexes: agenda, participant lists, feedback, photos, contacts and
//! free text, numbered in the order the record gives.

use crate::diag::{Code, Diagnostic};
use crate::input::Context;
use crate::input::record;
use crate::model::kinds::{AnnexKind, alternatives};
use crate::model::{
    Annex, AnnexContent, Contact, ContactGroup, DateRange, ParticipantGroup, ParticipantList,
    Photo, Recommendation,
};

/// Whether the record's `annex` gives the field of `kind`.
fn given(annex: &record::Annex, kind: AnnexKind) -> bool {
    match kind {
        AnnexKind::Agenda => annex.agenda.is_some(),
        AnnexKind::Participants => annex.participants.is_some(),
        AnnexKind::Feedback => annex.feedback.is_some(),
        AnnexKind::Photos => annex.photos.is_some(),
        AnnexKind::Contacts => annex.contacts.is_some(),
        AnnexKind::Recommendations => annex.recommendations.is_some(),
        AnnexKind::Text => annex.text.is_some(),
    }
}

impl Context {
    pub(in crate::input) fn annexes(
        &mut self,
        annexes: &[crate::input::record::Spanned<record::Annex>],
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
        spanned: &crate::input::record::Spanned<record::Annex>,
        dates: Option<DateRange>,
    ) -> Option<(Option<&'static str>, AnnexContent)> {
        let annex = &spanned.value;
        let kinds: Vec<AnnexKind> =
            AnnexKind::ALL.into_iter().filter(|&k| given(annex, k)).collect();
        let [kind] = kinds[..] else {
            let all = alternatives(AnnexKind::ALL.map(AnnexKind::key));
            let hint = if kinds.is_empty() {
                let fields = AnnexKind::ALL.map(|k| format!("{}:", k.key()));
                format!("say what the annex holds: {}", alternatives(fields))
            } else {
                "split it into one annex per kind, each starting with `- `".to_owned()
            };
            self.error_at(
                spanned,
                Diagnostic::error(Code::AnnexKind, format!("an annex holds exactly one of {all}"))
                    .hint(hint),
            );
            return None;
        };
        let content = match kind {
            AnnexKind::Agenda => AnnexContent::Agenda(self.agenda(annex.agenda.as_ref()?, dates)?),
            AnnexKind::Participants => {
                let lists = annex.participants.as_ref()?;
                let lists: Vec<ParticipantList> =
                    lists.iter().filter_map(|l| self.participants(l)).collect();
                AnnexContent::Participants { lists }
            }
            AnnexKind::Feedback => {
                let feedback = annex.feedback.as_ref()?;
                let text = feedback.text.clone().filter(|t| !t.trim().is_empty());
                let survey = self.survey(feedback)?;
                AnnexContent::Feedback { text, survey }
            }
            AnnexKind::Photos => {
                let photos = annex.photos.as_ref()?.iter().filter_map(|p| self.photo(p)).collect();
                AnnexContent::Photos { photos }
            }
            AnnexKind::Contacts => {
                let groups = annex
                    .contacts
                    .as_ref()?
                    .iter()
                    .map(|g| ContactGroup {
                        organisation: g.organisation.clone(),
                        people: g
                            .people
                            .iter()
                            .map(|p| Contact {
                                name: p.name.clone(),
                                title: p.title.clone(),
                                unit: p.unit.clone(),
                                email: p
                                    .email
                                    .as_ref()
                                    .and_then(|e| self.link(e, crate::input::Link::Mail)),
                            })
                            .collect(),
                    })
                    .collect();
                AnnexContent::Contacts { groups }
            }
            AnnexKind::Recommendations => {
                let items = annex.recommendations.as_ref()?;
                AnnexContent::Recommendations { items: self.recommendations(items, dates)? }
            }
            AnnexKind::Text => AnnexContent::Text { text: annex.text.clone()? },
        };
        Some((kind.title_term(), content))
    }

    fn photo(&mut self, p: &record::Photo) -> Option<Photo> {
        if p.caption.is_none() {
            self.error_at(
                &p.file,
                Diagnostic::warning(Code::PhotoWithoutCaption, "the photo has no caption")
                    .hint("add `caption:`: who, what, when"),
            );
        }
        if let Some(long) =
            p.caption.as_ref().filter(|c| c.chars().count() > super::body::MAX_CAPTION)
        {
            self.error_at(&p.file, super::body::long_caption(long));
            return None;
        }
        let image = self.image(&p.file)?;
        Some(Photo {
            // In a column of 7.7 cm, at most 11 cm tall.
            width: image.fitted_width(100.0, 11.0 / 7.7),
            image,
            caption: p.caption.clone(),
            alt: p.alt.clone().or_else(|| p.caption.clone()),
        })
    }

    /// Recommendations or action points, numbered; a due date must be a
    /// date of the calendar (a date before the workshop is a warning).
    fn recommendations(
        &mut self,
        items: &[record::Recommendation],
        dates: Option<DateRange>,
    ) -> Option<Vec<Recommendation>> {
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let due = match &item.due {
                Some(due) => match self.date(due) {
                    Some(date) => {
                        if dates.is_some_and(|d| date < d.start) {
                            self.error_at(
                                due,
                                Diagnostic::warning(
                                    Code::InvalidDate,
                                    format!(
                                        "the action is due on {date}, before the workshop began"
                                    ),
                                )
                                .hint("check the year; a due date comes after the workshop"),
                            );
                        }
                        Some(date)
                    }
                    None => {
                        ok = false;
                        None
                    }
                },
                None => None,
            };
            out.push(Recommendation {
                number: i + 1,
                text: item.text.clone(),
                owner: item.owner.clone(),
                due_text: due.and_then(|d| self.language.as_ref().map(|l| l.long_date(d))),
                due,
            });
        }
        ok.then_some(out)
    }

    fn participants(&mut self, list: &record::ParticipantList) -> Option<ParticipantList> {
        let (name, table) = self.table_file(crate::input::TableRef {
            file: &list.file,
            sheet: list.sheet.as_ref(),
            header_row: list.header_row.as_ref(),
            encoding: list.encoding.as_ref(),
        })?;
        let group = match &list.group_by {
            Some(g) => Some(self.column(&name, &table, g)?),
            None => None,
        };
        // The columns printed, each with the heading it prints under.
        let mut headings = Vec::new();
        let printed: Vec<usize> = match &list.columns {
            Some(columns) => {
                let mut found = Vec::new();
                for pick in columns {
                    let (source, heading) = match &pick.value {
                        record::Column::Same(c) => (c.clone(), c.trim().to_owned()),
                        record::Column::Renamed(map) if map.len() == 1 => {
                            let (from, to) = map.iter().next().expect("one entry");
                            (from.clone(), to.trim().to_owned())
                        }
                        record::Column::Renamed(_) => {
                            self.error_at(
                                pick,
                                Diagnostic::error(
                                    Code::UnknownColumn,
                                    "a renamed column is one entry, `{column in the file: heading printed}`",
                                )
                                .hint("write `- {Full name: Name}`, one column per line"),
                            );
                            found.push(None);
                            continue;
                        }
                    };
                    let wanted = crate::input::record::Spanned::at(source, pick);
                    found.push(self.column(&name, &table, &wanted));
                    headings.push(heading);
                }
                found.into_iter().collect::<Option<_>>()?
            }
            None => {
                let all: Vec<usize> =
                    (0..table.headers.len()).filter(|&i| Some(i) != group).collect();
                headings = all.iter().map(|&i| table.headers[i].clone()).collect();
                all
            }
        };
        if printed.len() > super::body::WIDE_TABLE {
            self.error_at(&list.file, super::body::wide_table(printed.len()));
        }

        let allowed: Option<Vec<String>> = list
            .groups
            .as_ref()
            .map(|g| g.iter().map(|n| super::agenda::normalise_name(n)).collect());
        let mut groups: Vec<ParticipantGroup> = Vec::new();
        for (row, &line) in table.rows.iter().zip(&table.lines) {
            if let Some(g) = group {
                let value = &row[g];
                let place = table.place(line, Some(g));
                if value.is_empty() {
                    let d = Diagnostic::warning(
                        Code::ParticipantWithoutGroup,
                        format!("the participant on {place} has no `{}`", table.headers[g]),
                    )
                    .hint("fill in the cell; the row prints under no group");
                    let d = self.at_row(d, &name, &table, line);
                    self.error(d);
                } else if let Some(allowed) = &allowed
                    && !allowed.contains(&super::agenda::normalise_name(value))
                {
                    let listed: Vec<&str> =
                        list.groups.iter().flatten().map(String::as_str).collect();
                    let hint = match crate::input::closest(value, &listed) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("the groups are: {}", listed.join(", ")),
                    };
                    let d = Diagnostic::error(
                        Code::UnknownGroup,
                        format!("`{value}` on {place} is not one of the list's `groups`"),
                    )
                    .hint(hint);
                    let d = self.at_row(d, &name, &table, line);
                    self.error(d);
                }
            }
            let key = group.map(|g| row[g].clone());
            let cells = printed.iter().map(|&i| row[i].clone()).collect();
            match groups.iter_mut().find(|g| g.name == key) {
                Some(g) => g.rows.push(cells),
                None => groups.push(ParticipantGroup { name: key, rows: vec![cells] }),
            }
        }
        Some(ParticipantList {
            title: list.title.clone(),
            group_by: group.map(|g| table.headers[g].clone()),
            columns: headings,
            groups,
        })
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
        AnnexContent::Participants { lists } => lists.first().map(|l| l.len() as u64),
        _ => None,
    });
    for annex in annexes {
        if let AnnexContent::Feedback { survey: Some(survey), .. } = &mut annex.content {
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
