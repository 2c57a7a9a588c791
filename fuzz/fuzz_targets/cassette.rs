//! Cassette loading: any bytes are a cassette or a clear error; a cassette that
//! loads replays, renders, and its JSON report reads back as a golden file.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use review_replay::cassette::Cassette;
use review_replay::consolidate::engine::{ReplayOptions, replay};
use review_replay::consolidate::rules::Rules;
use review_replay::golden::file::parse_json;
use review_replay::render;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.json");
    let Ok(cassette) = Cassette::from_json(path, text) else {
        return;
    };
    for rules_only in [false, true] {
        let report = replay(&cassette, &Rules::default(), ReplayOptions { rules_only });
        let _ = render::markdown::render(&report);
        let json = render::json::render(&report);
        parse_json(path, &json).expect("a rendered report reads back");
    }
});
