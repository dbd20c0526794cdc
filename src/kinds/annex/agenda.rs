//! An agenda annex: the programme, day by day, in one or more time zones.
//! The record's `agenda` is checked in `input/sections/agenda.rs` (times,
//! zones, speakers), and compared session by session in `diff/agenda.rs`.

use super::{Kind, Picture};
use crate::diff::{Area, Changes};
use crate::input::Context;
use crate::language::terms::Term;
use crate::model::DateRange;

register! {
    1 => agenda: crate::input::record::Agenda
}

/// The programme, day by day, in one or more time zones.
pub struct Agenda;

impl Kind for Agenda {
    type Record = Record;
    type Content = crate::model::Agenda;
    const TITLE: Option<&'static str> = Some("agenda_title");
    const TERMS: &'static [Term] = &[];
    const AREA: Area = Area::Agenda;

    fn check(agenda: &Record, cx: &mut Context, dates: Option<DateRange>) -> Option<Self::Content> {
        cx.agenda(agenda, dates)
    }

    fn compare(out: &mut Changes, place: &[String], old: &Self::Content, new: &Self::Content) {
        crate::diff::agenda::compare(out, place, old, new);
    }

    fn volume(agenda: &Self::Content) -> Option<(&'static str, usize)> {
        Some(("agenda entries", crate::input::volume::agenda(agenda)))
    }

    fn pictures(_: &Self::Content) -> Vec<Picture<'_>> {
        Vec::new()
    }
}
