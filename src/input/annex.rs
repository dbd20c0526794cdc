//! The annexes: agenda, participant lists, feedback, photos, contacts and
//! free text, numbered in the order the record gives.

use super::Context;
use super::record;
use crate::diag::Diagnostic;
use crate::model::{
    Annex, AnnexContent, Contact, ContactGroup, DateRange, ParticipantGroup, ParticipantList,
    Photo, roman,
};

impl Context {
    pub(super) fn annexes(
        &mut self,
        annexes: &[record::Annex],
        dates: Option<DateRange>,
    ) -> Vec<Annex> {
        let mut out = Vec::new();
        for (i, annex) in annexes.iter().enumerate() {
            let Some((default_title, content)) = self.annex(annex, dates) else { continue };
            let title = annex
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .or(default_title.map(str::to_owned));
            let Some(title) = title else {
                self.error(
                    Diagnostic::error(
                        "annex-title",
                        format!("annex {} has text but no title", i + 1),
                    )
                    .in_file(self.record_name())
                    .hint("give the annex a `title:`"),
                );
                continue;
            };
            out.push(Annex { number: roman(out.len() + 1), title, content });
        }
        response_rates(&mut out);
        out
    }

    /// The annex's default title and content.
    fn annex(
        &mut self,
        annex: &record::Annex,
        dates: Option<DateRange>,
    ) -> Option<(Option<&'static str>, AnnexContent)> {
        let kinds = [
            annex.agenda.is_some(),
            annex.participants.is_some(),
            annex.feedback.is_some(),
            annex.photos.is_some(),
            annex.contacts.is_some(),
            annex.text.is_some(),
        ];
        if kinds.iter().filter(|&&k| k).count() != 1 {
            let title = annex.title.as_deref().unwrap_or("(untitled)");
            self.error(
                Diagnostic::error(
                    "annex-kind",
                    format!(
                        "annex `{title}` must hold exactly one of `agenda`, `participants`, \
                         `feedback`, `photos`, `contacts` or `text`"
                    ),
                )
                .in_file(self.record_name())
                .hint("split it into one annex per kind, each starting with `- `"),
            );
            return None;
        }
        if let Some(agenda) = &annex.agenda {
            return Some((Some("Agenda"), AnnexContent::Agenda(self.agenda(agenda, dates)?)));
        }
        if let Some(lists) = &annex.participants {
            let lists: Vec<ParticipantList> =
                lists.iter().filter_map(|l| self.participants(l)).collect();
            return Some((Some("List of Participants"), AnnexContent::Participants { lists }));
        }
        if let Some(feedback) = &annex.feedback {
            let text = feedback.text.clone().filter(|t| !t.trim().is_empty());
            let survey = self.survey(feedback)?;
            return Some((Some("Participants' Feedback"), AnnexContent::Feedback { text, survey }));
        }
        if let Some(photos) = &annex.photos {
            let photos = photos
                .iter()
                .filter_map(|p| {
                    Some(Photo {
                        image: self.image(&p.file)?,
                        caption: p.caption.clone(),
                        alt: p.alt.clone().or_else(|| p.caption.clone()),
                    })
                })
                .collect();
            return Some((Some("Workshop Photos"), AnnexContent::Photos { photos }));
        }
        if let Some(groups) = &annex.contacts {
            let groups = groups
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
                            email: p.email.clone(),
                        })
                        .collect(),
                })
                .collect();
            return Some((Some("Contact Information"), AnnexContent::Contacts { groups }));
        }
        let text = annex.text.clone()?;
        Some((None, AnnexContent::Text { text }))
    }

    fn participants(&mut self, list: &record::ParticipantList) -> Option<ParticipantList> {
        let (name, table) = self.csv(&list.file)?;
        let group = match &list.group_by {
            Some(g) => Some(self.column(&name, &table, g)?),
            None => None,
        };
        let printed: Vec<usize> = match &list.columns {
            Some(columns) => {
                let found: Vec<_> = columns.iter().map(|c| self.column(&name, &table, c)).collect();
                found.into_iter().collect::<Option<_>>()?
            }
            None => (0..table.headers.len()).filter(|&i| Some(i) != group).collect(),
        };

        let mut groups: Vec<ParticipantGroup> = Vec::new();
        for row in &table.rows {
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
            columns: printed.iter().map(|&i| table.headers[i].clone()).collect(),
            groups,
        })
    }
}

/// Fills in each survey's response rate: respondents against those invited,
/// by default the people of the first list of the first participants annex
/// (the participants proper; lists of staff follow it).
fn response_rates(annexes: &mut [Annex]) {
    let participants = annexes.iter().find_map(|a| match &a.content {
        AnnexContent::Participants { lists } => lists.first().map(|l| l.len() as u64),
        _ => None,
    });
    for annex in annexes {
        if let AnnexContent::Feedback { survey: Some(survey), .. } = &mut annex.content {
            survey.invited = survey.invited.or(participants);
            if let (Some(respondents), Some(invited)) = (survey.respondents, survey.invited)
                && invited > 0
            {
                let rate = crate::model::survey::rounded_percent(respondents, invited);
                survey.response_rate = Some(format!("{rate}%"));
            }
        }
    }
}
