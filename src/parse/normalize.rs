//! Input normalisation before parsing: what a text editor or another platform
//! adds without changing what a review says.
//!
//! Invariant: the parse of a review does not depend on CRLF line endings, a
//! leading byte-order mark or trailing spaces and tabs, and line numbers are kept
//! (only characters within lines are removed, never a line break).

use std::borrow::Cow;

/// Removes a leading byte-order mark and, from every line, trailing spaces,
/// tabs and carriage returns. Borrows when there is nothing to remove.
pub fn normalize(text: &str) -> Cow<'_, str> {
    let body = text.trim_start_matches('\u{feff}');
    if !has_padded_line(body) {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    for (i, line) in body.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line.trim_end_matches([' ', '\t', '\r']));
    }
    Cow::Owned(out)
}

/// Whether a line of `text` ends with a space, a tab or a carriage return: the
/// last byte of the text is one, or one comes right before a line break.
/// Reads a block of byte pairs at a time without an exit inside the block, so
/// the test compiles to vector instructions (it reads every byte of most reviews).
fn has_padded_line(text: &str) -> bool {
    let pad = |b: u8| matches!(b, b' ' | b'\t' | b'\r');
    let b = text.as_bytes();
    let Some(&last) = b.last() else {
        return false;
    };
    if pad(last) {
        return true;
    }
    let (ends, breaks) = (&b[..b.len() - 1], &b[1..]);
    ends.chunks(64).zip(breaks.chunks(64)).any(|(e, n)| {
        e.iter()
            .zip(n)
            .fold(false, |seen, (&e, &n)| seen | (pad(e) & (n == b'\n')))
    })
}

/// Removes a leading byte-order mark and the carriage return of every CRLF line
/// ending, nothing else: for whole reports, whose agent sections are kept as
/// recorded (blanks included) and normalised again when parsed as reviews.
pub fn normalize_line_endings(text: &str) -> Cow<'_, str> {
    let body = text.trim_start_matches('\u{feff}');
    if body.contains("\r\n") {
        Cow::Owned(body.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_crlf_and_trailing_blanks_go_lines_stay() {
        assert_eq!(normalize("\u{feff}# A \r\n\tb\t\r\n\r\nc"), "# A\n\tb\n\nc");
        assert!(matches!(normalize("# A\nb\n"), Cow::Borrowed(_)));
    }

    proptest::proptest! {
        #[test]
        fn padded_line_test_agrees_with_lines(s in "[a \t\r\né]{0,200}") {
            let by_lines = s.split('\n').any(|l| l.ends_with([' ', '\t', '\r']));
            proptest::prop_assert_eq!(has_padded_line(&s), by_lines);
        }
    }

    #[test]
    fn line_endings_only_keeps_blanks() {
        assert_eq!(normalize_line_endings("\u{feff}a \r\nb\r\n"), "a \nb\n");
        assert!(matches!(normalize_line_endings("a \nb"), Cow::Borrowed(_)));
    }
}
