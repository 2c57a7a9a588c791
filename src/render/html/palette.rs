//! The colours of the HTML reports, and the WCAG contrast arithmetic that keeps
//! them readable.
//!
//! Invariant: every colour used for text or for a chart mark is listed in
//! [`PAIRS`] with the background it is drawn on, and every pair reaches the WCAG
//! 2.x AA ratio for normal text (4.5:1) — stricter than the 3:1 asked of
//! graphical objects, so a mark can always carry a label in its own colour. The
//! stylesheet and the charts read their colours from here, so the unit test below
//! checks what the page really uses. Colour is never the only carrier of meaning:
//! every coloured mark also has a shape, a pattern or a word.

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG relative luminance, 0 (black) to 1 (white).
    pub fn luminance(self) -> f64 {
        fn channel(c: u8) -> f64 {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }
}

/// WCAG contrast ratio of two colours, 1 to 21, whichever is lighter.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la >= lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Page background.
pub const PAPER: Rgb = Rgb(0xff, 0xff, 0xff);
/// Background of panels, table headers and code.
pub const PANEL: Rgb = Rgb(0xf3, 0xf4, 0xf6);
/// Body text.
pub const INK: Rgb = Rgb(0x1a, 0x1a, 0x1a);
/// Secondary text, axes, neutral marks.
pub const MUTED: Rgb = Rgb(0x52, 0x57, 0x5e);
/// Links.
pub const LINK: Rgb = Rgb(0x0b, 0x4f, 0x9c);
/// A change for the better (and "survived").
pub const BETTER: Rgb = Rgb(0x0b, 0x5c, 0xad);
/// A change for the worse.
pub const WORSE: Rgb = Rgb(0xa8, 0x32, 0x00);
/// `--fail-if` margins.
pub const GATE: Rgb = Rgb(0x6b, 0x3f, 0xa0);
/// Findings kept at their severity, agreement.
pub const KEPT: Rgb = Rgb(0x1b, 0x6e, 0x3a);
/// Findings re-rated.
pub const RERATED: Rgb = Rgb(0x80, 0x55, 0x00);
/// Findings dropped, disagreement.
pub const DROPPED: Rgb = Rgb(0xb0, 0x26, 0x1e);
/// Background of added diff lines.
pub const ADD_BG: Rgb = Rgb(0xe6, 0xf4, 0xea);
/// Background of removed diff lines.
pub const DEL_BG: Rgb = Rgb(0xfd, 0xec, 0xea);
/// Background of a failing-gate badge, and of incomplete rounds.
pub const WARN_BG: Rgb = Rgb(0xff, 0xf4, 0xe5);

/// Every foreground colour with the background it is drawn on.
pub const PAIRS: &[(&str, Rgb, Rgb)] = &[
    ("ink on paper", INK, PAPER),
    ("ink on panel", INK, PANEL),
    ("muted on paper", MUTED, PAPER),
    ("muted on panel", MUTED, PANEL),
    ("link on paper", LINK, PAPER),
    ("link on panel", LINK, PANEL),
    ("better on paper", BETTER, PAPER),
    ("worse on paper", WORSE, PAPER),
    ("worse on warning", WORSE, WARN_BG),
    ("gate on paper", GATE, PAPER),
    ("kept on paper", KEPT, PAPER),
    ("re-rated on paper", RERATED, PAPER),
    ("dropped on paper", DROPPED, PAPER),
    ("dropped on warning", DROPPED, WARN_BG),
    ("ink on added line", INK, ADD_BG),
    ("ink on removed line", INK, DEL_BG),
    ("kept on added line", KEPT, ADD_BG),
    ("dropped on removed line", DROPPED, DEL_BG),
    ("ink on warning", INK, WARN_BG),
];

/// The AA ratio for normal text.
pub const AA_TEXT: f64 = 4.5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_palette_pair_passes_wcag_aa_for_text() {
        let failing: Vec<String> = PAIRS
            .iter()
            .map(|(name, fg, bg)| (name, contrast(*fg, *bg)))
            .filter(|(_, ratio)| *ratio < AA_TEXT)
            .map(|(name, ratio)| format!("{name}: {ratio:.2}"))
            .collect();
        assert!(failing.is_empty(), "below {AA_TEXT}:1: {failing:?}");
    }

    #[test]
    fn contrast_matches_the_wcag_reference_values() {
        // Black on white is the maximum, 21:1; a colour against itself is 1:1.
        assert!((contrast(Rgb(0, 0, 0), PAPER) - 21.0).abs() < 1e-9);
        assert!((contrast(WORSE, WORSE) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic lightest AA grey: 4.54:1.
        let grey = contrast(Rgb(0x76, 0x76, 0x76), PAPER);
        assert!((grey - 4.54).abs() < 0.01, "{grey}");
        // The check can fail: #999 on white is only 2.85:1.
        assert!(contrast(Rgb(0x99, 0x99, 0x99), PAPER) < AA_TEXT);
    }

    #[test]
    fn hex_is_lowercase_six_digits() {
        assert_eq!(Rgb(0x0b, 0x5c, 0xad).hex(), "#0b5cad");
    }
}
