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

/// The columns of a registration export printed when the record names
/// none, where the export has them: the person, their function and
/// organisation, their country.
pub const SHOWN: &[&str] = &["Name", "Position", "Affiliation", "Country"];

/// The state a registration that counts as a participant's has: Indico's
/// `RegistrationState.complete`, titled so in an export made in English.
pub const COMPLETE: &str = "Completed";

/// The titles of Indico's other registration states, in English.
pub const OTHERS: &[&str] = &["Pending", "Rejected", "Withdrawn", "Awaiting payment"];

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

/// Whether `headers` are laid out as Indico's registration export: `ID`
/// and `Name` first, and one of the columns only Indico's list writes
/// (`Registration state`, `Registration date`). Told by the header alone,
/// so that a row added by hand cannot make the file another's.
pub fn recognise(headers: &[String]) -> Option<Registrations> {
    let is =
        |i: usize, name: &str| headers.get(i).is_some_and(|x| x.trim().eq_ignore_ascii_case(name));
    if !is(0, LEAD[0]) || !is(1, LEAD[1]) {
        return None;
    }
    let find = |name: &str| headers.iter().position(|x| x.trim().eq_ignore_ascii_case(name));
    if find(STATE).is_none() && find("Registration date").is_none() {
        return None;
    }
    let shown = headers
        .iter()
        .enumerate()
        .filter(|(_, x)| SHOWN.iter().any(|s| x.trim().eq_ignore_ascii_case(s)))
        .map(|(i, _)| i)
        .collect();
    Some(Registrations { state: find(STATE), shown })
}

/// Whether a registration in state `state` is a participant's: with the
/// record's `states:` (for an export in another language), whether it is
/// one of them; else whether it is `Completed`, `None` for a state that is
/// none of Indico's English titles.
pub fn counts(state: &str, complete: Option<&[String]>) -> Option<bool> {
    let same = |s: &str| s.trim().eq_ignore_ascii_case(state.trim());
    match complete {
        Some(list) => Some(list.iter().any(|s| same(s))),
        None if same(COMPLETE) => Some(true),
        None if OTHERS.iter().any(|s| same(s)) => Some(false),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn indico_registrations_recognised_by_their_header() {
        let h = headers(&[
            "ID",
            "Name",
            "Email Address",
            "Affiliation",
            "Country",
            "Registration state",
        ]);
        let r = recognise(&h).unwrap();
        assert_eq!(r.state, Some(5));
        assert_eq!(r.shown, [1, 3, 4]);
        // A list of people that happens to start with ID and Name is not one.
        assert!(recognise(&headers(&["ID", "Name", "Country"])).is_none());
    }

    #[test]
    fn only_complete_registrations_count() {
        assert_eq!(counts("Completed", None), Some(true));
        assert_eq!(counts(" withdrawn ", None), Some(false));
        assert_eq!(counts("Awaiting payment", None), Some(false));
        assert_eq!(counts("Terminé", None), None);
        let fr = ["Terminé".to_owned()];
        assert_eq!(counts("Terminé", Some(&fr)), Some(true));
        assert_eq!(counts("Retiré", Some(&fr)), Some(false));
    }
}
