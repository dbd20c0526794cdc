//! The encoding of a text file that is not the tool's own (a CSV file, a
//! survey export): each file's on its own, as a browser finds a page's.
//!
//! In order: the encoding the record names for the file (`encoding:`);
//! else its byte-order mark (UTF-8, UTF-16); else the encoding of the
//! command line (`--encoding`), for every file without a mark; else UTF-8
//! if the bytes are UTF-8; else the encoding its bytes look like, as
//! chardetng (Firefox's detector) guesses it, with a warning that names
//! the file and the encoding assumed. A file is decoded strictly: bytes
//! its encoding cannot read are an error, never a replacement character.

use crate::diag::{Code, Diagnostic, Span};

/// A text encoding, by the names of the WHATWG Encoding Standard
/// (`utf-8`, `windows-1252`, `utf-16le`, `iso-8859-2`, `shift_jis`, ...).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Encoding(&'static encoding_rs::Encoding);

impl std::fmt::Debug for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Encoding {
    /// UTF-8.
    pub const UTF_8: Encoding = Encoding(encoding_rs::UTF_8);
    /// Windows-1252 (Western European), which spreadsheets in Western
    /// Europe and the Americas save "CSV" in.
    pub const WINDOWS_1252: Encoding = Encoding(encoding_rs::WINDOWS_1252);
    /// UTF-16, little-endian unless a byte-order mark says otherwise.
    pub const UTF_16: Encoding = Encoding(encoding_rs::UTF_16LE);

    /// The encoding a label names (`latin1`, `cp1252`, `utf-16`, ...), as
    /// browsers read labels.
    pub fn for_label(label: &str) -> Option<Encoding> {
        encoding_rs::Encoding::for_label(label.trim().as_bytes()).map(Encoding)
    }

    /// Its name: `windows-1252`.
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The `encoding_rs` codec.
    pub fn codec(self) -> &'static encoding_rs::Encoding {
        self.0
    }
}

/// How a file's encoding was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// The record names it.
    Named,
    /// A byte-order mark says it.
    Mark,
    /// The command line says it for files without a mark.
    Default,
    /// The bytes are UTF-8.
    Utf8,
    /// Guessed from the bytes: said in a warning.
    Guessed,
}

/// A file's encoding and how it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// The encoding.
    pub encoding: Encoding,
    /// How it was found.
    pub found: Found,
    /// The length of its byte-order mark, to skip.
    pub mark: usize,
}

impl Detected {
    /// The warning a guessed encoding gives, about the file `name`.
    pub fn warning(&self, name: &str) -> Option<Diagnostic> {
        (self.found == Found::Guessed).then(|| {
            Diagnostic::warning(
                Code::EncodingGuessed,
                format!("`{name}` is not UTF-8: it was read as {}, which its bytes look like", self.encoding.name()),
            )
            .in_file(name)
            .hint(format!(
                "check its accented letters in the report; save it as UTF-8 (in a spreadsheet: CSV UTF-8), or name its encoding in the record: `encoding: {}`",
                self.encoding.name()
            ))
        })
    }
}

/// Finds the encoding of a file as its bytes are fed to it, a piece at a
/// time (a survey export is never held whole).
pub struct Sniffer {
    detector: chardetng::EncodingDetector,
    /// The first bytes, for the byte-order mark and UTF-16 without one.
    head: Vec<u8>,
    /// Whether every byte so far is UTF-8, and the start of a character
    /// cut at the end of the last piece.
    utf8: bool,
    pending: Vec<u8>,
}

/// How many first bytes are kept to recognise UTF-16 without a mark.
const HEAD: usize = 64 << 10;

impl Default for Sniffer {
    fn default() -> Self {
        Sniffer {
            detector: chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny),
            head: Vec::new(),
            utf8: true,
            pending: Vec::new(),
        }
    }
}

impl Sniffer {
    /// Takes the next piece of the file.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.head.len() < HEAD {
            let take = (HEAD - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..take]);
        }
        self.detector.feed(bytes, false);
        if !self.utf8 {
            return;
        }
        let mut piece = std::mem::take(&mut self.pending);
        piece.extend_from_slice(bytes);
        match std::str::from_utf8(&piece) {
            Ok(_) => {}
            // A character cut at the end: its start waits for the rest.
            Err(e) if e.error_len().is_none() && piece.len() - e.valid_up_to() < 4 => {
                self.pending = piece[e.valid_up_to()..].to_vec();
            }
            Err(_) => self.utf8 = false,
        }
    }

    /// The file's encoding: the one the record names (`named`), else its
    /// mark, else `default` (`--encoding`), else UTF-8 if it is, else a
    /// guess.
    pub fn finish(
        mut self,
        named: Option<Encoding>,
        default: Option<Encoding>,
    ) -> Result<Detected, Diagnostic> {
        let marked = match self.head.as_slice() {
            [0xEF, 0xBB, 0xBF, ..] => Some((Encoding::UTF_8, 3)),
            [0xFF, 0xFE, ..] => Some((Encoding(encoding_rs::UTF_16LE), 2)),
            [0xFE, 0xFF, ..] => Some((Encoding(encoding_rs::UTF_16BE), 2)),
            _ => None,
        };
        let mark = marked.map_or(0, |(_, n)| n);
        match (named, marked) {
            (Some(encoding), Some((marked, _))) if !same(marked, encoding) => {
                return Err(Diagnostic::error(
                    Code::NotUtf8,
                    format!(
                        "the file starts with the byte-order mark of {}, but the record names its encoding as {}",
                        marked.name(),
                        encoding.name()
                    ),
                )
                .hint("remove `encoding:` (the mark says the file's encoding), or save the file again in the encoding named"));
            }
            (Some(encoding), _) => return Ok(Detected { encoding, found: Found::Named, mark }),
            (None, Some((encoding, mark))) => {
                return Ok(Detected { encoding, found: Found::Mark, mark });
            }
            (None, None) => {}
        }
        if let Some(encoding) = default {
            return Ok(Detected { encoding, found: Found::Default, mark });
        }
        // UTF-16 without a mark first: its zero bytes are UTF-8 too.
        if let Some(encoding) = utf16(&self.head) {
            return Ok(Detected { encoding, found: Found::Guessed, mark });
        }
        if self.utf8 && self.pending.is_empty() {
            return Ok(Detected { encoding: Encoding::UTF_8, found: Found::Utf8, mark });
        }
        self.detector.feed(&[], true);
        let encoding = Encoding(self.detector.guess(None, chardetng::Utf8Detection::Deny));
        Ok(Detected { encoding, found: Found::Guessed, mark })
    }
}

/// Whether two encodings are one, UTF-16's two byte orders alike.
fn same(a: Encoding, b: Encoding) -> bool {
    let utf16 = |e: Encoding| e.0 == encoding_rs::UTF_16LE || e.0 == encoding_rs::UTF_16BE;
    a == b || (utf16(a) && utf16(b))
}

/// UTF-16 without a mark, by its zero bytes: text of the Latin script in
/// UTF-16 has a zero every other byte.
fn utf16(head: &[u8]) -> Option<Encoding> {
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zeros = |i: usize| head.iter().skip(i).step_by(2).take(pairs).filter(|&&b| b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 >= pairs * 4 && even * 20 < pairs {
        Some(Encoding(encoding_rs::UTF_16LE))
    } else if even * 10 >= pairs * 4 && odd * 20 < pairs {
        Some(Encoding(encoding_rs::UTF_16BE))
    } else {
        None
    }
}

/// Decodes a whole file's `bytes` (see the module's documentation for the
/// order in which its encoding is found): its text, and how.
pub fn decode(
    bytes: &[u8],
    named: Option<Encoding>,
    default: Option<Encoding>,
) -> Result<(String, Detected), Diagnostic> {
    let mut sniffer = Sniffer::default();
    sniffer.feed(bytes);
    let detected = sniffer.finish(named, default)?;
    let rest = &bytes[detected.mark..];
    if detected.encoding == Encoding::UTF_8 {
        return match String::from_utf8(rest.to_vec()) {
            Ok(text) => Ok((text, detected)),
            Err(e) => Err(not_utf8(rest, e.utf8_error().valid_up_to(), detected)),
        };
    }
    match detected.encoding.0.decode_without_bom_handling_and_without_replacement(rest) {
        Some(text) => Ok((text.into_owned(), detected)),
        None => Err(not_in(detected)),
    }
}

/// A file of the tool's own (the record, Markdown, terms), which is
/// UTF-8 (a byte-order mark is dropped).
pub fn utf8(bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let (line, column) = place(bytes, e.utf8_error().valid_up_to());
        Diagnostic::error(
            Code::NotUtf8,
            format!("the file is not UTF-8 text (invalid byte on line {line}, column {column})"),
        )
        .at(Span { line, column, bytes: 0..0 })
        .hint("save it as UTF-8 text")
    })
}

/// The line and column of byte `offset` of `bytes`.
fn place(bytes: &[u8], offset: usize) -> (usize, usize) {
    let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = bytes[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&bytes[line_start..offset]).chars().count() + 1;
    (line, column)
}

/// The refusal of bytes that are not UTF-8, at `offset` of `bytes`.
fn not_utf8(bytes: &[u8], offset: usize, detected: Detected) -> Diagnostic {
    let (line, column) = place(bytes, offset);
    let mut guess = Sniffer::default();
    guess.feed(bytes);
    let seems = guess.finish(None, None).map_or("UTF-8", |d| d.encoding.name());
    let how = match detected.found {
        Found::Named => "the record names its encoding as UTF-8",
        Found::Default => "`--encoding utf-8` reads files as UTF-8",
        _ => "it is read as UTF-8",
    };
    Diagnostic::error(
        Code::NotUtf8,
        format!("the file is not UTF-8 text (invalid byte on line {line}, column {column}), and {how}"),
    )
    .at(Span { line, column, bytes: 0..0 })
    .hint(format!(
        "its bytes look like {seems}: save it as UTF-8 (in a spreadsheet: CSV UTF-8), or name its encoding in the record: `encoding: {seems}`"
    ))
}

/// The refusal of bytes the encoding found cannot read.
pub fn not_in(detected: Detected) -> Diagnostic {
    let why = match detected.found {
        Found::Named => "the encoding the record names",
        Found::Mark => "the encoding its byte-order mark says",
        Found::Default => "the encoding `--encoding` names",
        Found::Utf8 | Found::Guessed => "the encoding its bytes look like",
    };
    Diagnostic::error(
        Code::NotUtf8,
        format!("the file holds bytes that are not {} text, {why}", detected.encoding.name()),
    )
    .hint("check the encoding the file was saved in, and name it in the record (`encoding: windows-1252`), or save the file as UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_is_read_in_its_own_encoding() {
        let latin1 = b"Name\nRen\xe9 M\xfcller,T\xfcrkiye\n";
        let (text, detected) = decode(latin1, None, None).unwrap();
        assert_eq!(text, "Name\nRené Müller,Türkiye\n");
        assert_eq!((detected.encoding, detected.found), (Encoding::WINDOWS_1252, Found::Guessed));
        assert!(detected.warning("p.csv").unwrap().message.contains("read as windows-1252"));
        let (text, detected) = decode("Name\nRené\n".as_bytes(), None, None).unwrap();
        assert_eq!((text.as_str(), detected.found), ("Name\nRené\n", Found::Utf8));
        // UTF-16 with and without its mark.
        let utf16: Vec<u8> = "Name\nAé\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let marked: Vec<u8> = [0xFF, 0xFE].into_iter().chain(utf16.clone()).collect();
        assert_eq!(decode(&marked, None, None).unwrap().0, "Name\nAé\n");
        assert_eq!(decode(&utf16, None, None).unwrap().0, "Name\nAé\n");
        let be: Vec<u8> =
            "Name,Land\nAé,Perú\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&be, None, None).unwrap().0, "Name,Land\nAé,Perú\n");
        // The record's word wins; a mark of another encoding is refused.
        assert!(
            decode(latin1, Some(Encoding::UTF_8), None)
                .unwrap_err()
                .hint
                .unwrap()
                .contains("encoding: windows-1252")
        );
        let err = decode(&marked, Some(Encoding::WINDOWS_1252), None).unwrap_err();
        assert!(err.message.contains("byte-order mark of UTF-16LE"), "{}", err.message);
        // `--encoding` for files without a mark only.
        assert_eq!(
            decode(latin1, None, Some(Encoding::WINDOWS_1252)).unwrap().1.found,
            Found::Default
        );
        assert_eq!(
            decode(&marked, None, Some(Encoding::WINDOWS_1252)).unwrap().1.found,
            Found::Mark
        );
        assert_eq!(Encoding::for_label("latin1"), Some(Encoding::WINDOWS_1252));
    }

    #[test]
    fn utf8_cut_between_pieces_is_still_utf8() {
        let text = "Ünye, Çorum, İzmir\n".repeat(100);
        let mut sniffer = Sniffer::default();
        for piece in text.as_bytes().chunks(7) {
            sniffer.feed(piece);
        }
        assert_eq!(sniffer.finish(None, None).unwrap().found, Found::Utf8);
    }
}
