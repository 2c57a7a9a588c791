//! Agent review parsing: any text parses (never panics), every line number it
//! reports points into the text, and CRLF line endings, a byte-order mark or
//! trailing blanks change nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use review_replay::parse::review::parse_review;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let out = parse_review(&text, 1);
    let last = text.lines().count().max(1) as u32;
    for d in &out.diagnostics {
        assert!(
            d.line >= 1 && d.line <= last,
            "diagnostic line {} of {last}",
            d.line
        );
    }
    for f in &out.review.findings {
        assert!(
            f.line >= 1 && f.line <= last,
            "finding line {} of {last}",
            f.line
        );
    }
    let crlf = text.replace('\n', "\r\n");
    assert_eq!(parse_review(&crlf, 1), out, "CRLF changed the parse");
    let bom = format!("\u{feff}{text}");
    assert_eq!(parse_review(&bom, 1), out, "a BOM changed the parse");
    let padded: Vec<String> = text.split('\n').map(|l| format!("{l} \t")).collect();
    assert_eq!(
        parse_review(&padded.join("\n"), 1),
        out,
        "trailing blanks changed the parse"
    );
});
