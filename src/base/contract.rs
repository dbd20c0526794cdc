//! The ground floor: what the stages agree on, used by any of them and
//! using none.
//!
//! The stages are input < model < render < typeset < output, and each uses
//! only those before it. What more than one of them needs lives here (or
//! in [`crate::diag`], the problems, [`crate::fonts`], the fonts, and
//! [`crate::files`], the one way to read a file): the path under which
//! pictures are served to the typesetter, and the hashing of what a report
//! is made from.

/// The folder under which the typesetter serves the pictures of a report:
/// the templates name a picture `ASSET_ROOT/<its key>`.
pub const ASSET_ROOT: &str = "/assets";

/// `bytes` as lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// The SHA-256 of `bytes`, in hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// Where the typesetter finds the bytes of the report's `index`th
/// attachment (`build --attach-sources`).
pub fn attached(index: usize) -> String {
    format!("/.attached/{index}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_print_as_hexadecimal() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
