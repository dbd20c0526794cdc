//! Branding: colours and fonts from the record, over those of the
//! organisation's `branding.yaml` beside the workshop folders.

use crate::diag::{Code, Diagnostic};
use crate::input::Context;
use crate::input::record;
use crate::model::Branding;

/// The organisation-level branding file, in the folder that holds the
/// workshop folders.
pub const BRANDING: &str = "branding.yaml";

/// The largest branding file read: it holds a colour and two font names.
const MAX_BRANDING_BYTES: u64 = 64 << 10;

impl Context {
    /// The branding of `shared` (the organisation's `branding.yaml`, read
    /// by [`Context::shared_branding`]) overridden by the record's `own`.
    pub(crate) fn branding(
        &mut self,
        shared: Option<&record::Branding>,
        own: Option<&record::Branding>,
    ) -> Branding {
        let mut branding = Branding::default();
        if let Some(shared) = shared {
            let name = self.shared_branding_name();
            self.apply(&mut branding, shared, &name);
        }
        if let Some(own) = own {
            let name = self.record_name();
            self.apply(&mut branding, own, &name);
        }
        branding
    }

    /// How messages name the organisation's `branding.yaml`.
    pub(crate) fn shared_branding_name(&self) -> String {
        let parent = self.folder.root().parent().unwrap_or(std::path::Path::new(""));
        parent.join(BRANDING).to_string_lossy().into_owned()
    }

    /// The organisation's branding file, if there is one. It is read under
    /// the rules of every file (see [`super::files`]), the folder that
    /// holds the workshop folders owning it.
    pub(crate) fn shared_branding(&mut self) -> Option<record::Branding> {
        let parent = std::fs::canonicalize(self.folder.root()).ok()?.parent()?.to_path_buf();
        let owner = self.folder.beside(&parent, "../", "folder that holds the workshop folders");
        if !owner.has(BRANDING) {
            return None;
        }
        let name = self.shared_branding_name();
        let text = match owner.read_text(BRANDING, MAX_BRANDING_BYTES) {
            Ok(text) => text,
            Err(d) => {
                let d = if d.file.is_some() { d } else { d.in_file(&name) };
                self.error(d);
                return None;
            }
        };
        self.sink.sources.insert(&name, text.as_str());
        if let Err(d) = crate::input::checks::text::check_text(&text) {
            self.error(d.in_file(&name));
            return None;
        }
        self.read_yaml::<record::Branding>(&text, &name, Some("Branding"))
    }

    /// Sets the fields `from` gives on `branding`, checking each.
    fn apply(&mut self, branding: &mut Branding, from: &record::Branding, file: &str) {
        if let Some(colour) = &from.colour {
            if is_hex_colour(&colour.value) {
                branding.colour = colour.value.trim().to_ascii_lowercase();
            } else {
                let d = Diagnostic::error(
                    Code::InvalidColour,
                    format!("`{}` is not a colour", colour.value),
                )
                .hint("write colours as \"#rrggbb\" in quotes, e.g. \"#1f4e79\"");
                let d = self.sink.at_in(file, colour, d);
                self.error(d);
            }
        }
        for (value, target) in
            [(&from.font, &mut branding.font), (&from.heading_font, &mut branding.heading_font)]
        {
            let Some(value) = value else { continue };
            let family = value.value.trim();
            match crate::fonts::families().into_iter().find(|f| f.eq_ignore_ascii_case(family)) {
                Some(f) => *target = (*f).to_owned(),
                None => {
                    let d =
                        Diagnostic::error(Code::UnknownFont, format!("no font family `{family}`"))
                            .hint(format!(
                                "the fonts available are: {}",
                                crate::fonts::families().join(", ")
                            ));
                    let d = self.sink.at_in(file, value, d);
                    self.error(d);
                }
            }
        }
        if let Some(attach) = &from.attach_sources {
            branding.attach_sources = attach.value;
        }
        if let Some(b) = &from.chapter_break {
            match b.value.trim() {
                "page" => branding.chapter_break = true,
                "none" => branding.chapter_break = false,
                other => {
                    let d = Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{other}` is not a chapter break"),
                    )
                    .hint("write `page` (each chapter on a new page) or `none` (chapters run on)");
                    let d = self.sink.at_in(file, b, d);
                    self.error(d);
                }
            }
        }
        if from.font.is_some() && from.heading_font.is_none() {
            branding.heading_font = branding.font.clone();
        }
    }
}

fn is_hex_colour(text: &str) -> bool {
    let text = text.trim();
    text.len() == 7 && text.starts_with('#') && text[1..].chars().all(|c| c.is_ascii_hexdigit())
}
