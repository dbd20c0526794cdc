//! iCalendar files (RFC 5545).

use super::exported::Export;
use crate::input::Context;
use crate::input::record::Spanned;
use crate::model::DateRange;

impl Context {
    /// The agenda of the iCalendar file at `path`.
    pub(super) fn icalendar(
        &mut self,
        path: &Spanned<String>,
        _dates: Option<DateRange>,
        _zone: Option<&jiff::tz::TimeZone>,
    ) -> Option<Export> {
        let (_name, _text) = self.export_text(path, "the calendar exported")?;
        None
    }
}
