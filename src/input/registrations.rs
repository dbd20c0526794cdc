//! Registration exports of an event system, recognised by the shape of
//! their header as survey exports are: Indico's registration list as CSV
//! or `.xlsx` (`indico/modules/events/registration/util.py`,
//! `generate_spreadsheet_from_registrations`): `ID`, `Name`, then the
//! columns the manager displayed by their titles (`Email Address`,
//! `Affiliation`, `Country`...), then the list's own (`Registration
//! date`, `Registration state`, `Tags`...).
//!
//! Participants are the registrations whose state is `Completed`; the
//! withdrawn, pending, rejected and unpaid ones are left out. Only the
//! columns a list of participants prints by default (see [`SHOWN`]) are
//! printed unless the record's `columns:` names others: a registration
//! form holds e-mail addresses, phone numbers, addresses and whatever
//! else its organisers asked.

use crate::input::tables::Table;

/// The columns of a registration export printed when the record names
/// none, where the export has them: the person, their function and
/// organisation, their country.
pub const SHOWN: &[&str] = &["Name", "Position", "Affiliation", "Country"];

/// The state a registration that counts as a participant's has: Indico's
/// `RegistrationState.complete`, titled so in every export.
pub const COMPLETE: &str = "Completed";

/// The columns Indico writes for every registration list, first.
const LEAD: [&str; 2] = ["ID", "Name"];

/// The column of each registration's state.
const STATE: &str = "Registration state";

/// What a registration export's header says.
#[derive(Debug, Clone, PartialEq)]
pub struct Registrations {
    /// The column of each registration's state, if the export has it.
    pub state: Option<usize>,
    /// The columns printed unless the record names its columns.
    pub shown: Vec<usize>,
}

/// Whether `table` is laid out as Indico's registration export: `ID` and
/// `Name` first, a whole number under `ID` on every row, and one of the
/// columns only Indico's list writes (`Registration state`,
/// `Registration date`).
pub fn recognise(table: &Table) -> Option<Registrations> {
    let h = &table.headers;
    let is = |i: usize, name: &str| h.get(i).is_some_and(|x| x.trim().eq_ignore_ascii_case(name));
    if !is(0, LEAD[0]) || !is(1, LEAD[1]) {
        return None;
    }
    let find = |name: &str| h.iter().position(|x| x.trim().eq_ignore_ascii_case(name));
    if find(STATE).is_none() && find("Registration date").is_none() {
        return None;
    }
    if !table.rows.iter().all(|r| {
        r.first().is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
    }) {
        return None;
    }
    let shown = h
        .iter()
        .enumerate()
        .filter(|(_, x)| SHOWN.iter().any(|s| x.trim().eq_ignore_ascii_case(s)))
        .map(|(i, _)| i)
        .collect();
    Some(Registrations { state: find(STATE), shown })
}

/// Whether a registration in state `state` is a participant's.
pub fn counts(state: &str) -> bool {
    state.trim().eq_ignore_ascii_case(COMPLETE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(headers: &[&str], rows: &[&[&str]]) -> Table {
        Table::parse(
            &std::iter::once(headers.join(","))
                .chain(rows.iter().map(|r| r.join(",")))
                .collect::<Vec<_>>()
                .join("\n"),
            None,
        )
        .unwrap()
    }

    #[test]
    fn indico_registrations_recognised_by_shape() {
        let headers =
            ["ID", "Name", "Email Address", "Affiliation", "Country", "Registration state"];
        let t = table(&headers, &[&["3", "Jean Dupont", "j@d.fr", "IN2P3", "France", "Withdrawn"]]);
        let r = recognise(&t).unwrap();
        assert_eq!(r.state, Some(5));
        assert_eq!(r.shown, [1, 3, 4]);
        assert!(counts("Completed") && !counts("Withdrawn") && !counts("Pending"));
        // A list of people that happens to start with ID and Name is not one.
        assert!(recognise(&table(&["ID", "Name", "Country"], &[&["1", "A", "B"]])).is_none());
        // Nor one whose IDs are not Indico's numbers.
        let t =
            table(&headers, &[&["A-3", "Jean Dupont", "j@d.fr", "IN2P3", "France", "Completed"]]);
        assert!(recognise(&t).is_none());
    }
}
