//! Report parsing and import: any text parses; an imported cassette survives
//! its own JSON round trip and replays through the engine and both renderers.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use review_replay::cassette::Cassette;
use review_replay::consolidate::engine::{ReplayOptions, replay};
use review_replay::consolidate::rules::Rules;
use review_replay::parse::report::{import_report_text, parse_report};
use review_replay::render;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = parse_report(&text, "fuzz-round");
    let last = text.lines().count().max(1) as u32;
    for d in &parsed.diagnostics {
        assert!(
            d.line >= 1 && d.line <= last,
            "diagnostic line {} of {last}",
            d.line
        );
    }
    let path = Path::new("fuzz-round.md");
    let Ok((cassette, _)) = import_report_text(path, &text) else {
        return;
    };
    let json = cassette.to_json();
    let back = Cassette::from_json(Path::new("fuzz-round.json"), &json)
        .expect("an imported cassette reads back");
    assert_eq!(back.to_json(), json, "cassette JSON round trip");
    let report = replay(&cassette, &Rules::default(), ReplayOptions::default());
    let _ = render::markdown::render(&report);
    let _ = render::json::render(&report);
});
