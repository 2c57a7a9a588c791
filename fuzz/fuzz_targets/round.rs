//! Raw round import: `round.json` and agent reviews, split on NUL bytes in the
//! input (round.json, claude.md, codex.md, gemini.md, prompt.md), become a
//! cassette or a clear error; a cassette that builds replays.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use review_replay::commands::import::raw_round_cassette;
use review_replay::consolidate::engine::{ReplayOptions, replay};
use review_replay::consolidate::rules::Rules;

const NAMES: &[&str] = &[
    "round.json",
    "claude.md",
    "codex.md",
    "gemini.md",
    "prompt.md",
];

fuzz_target!(|data: &[u8]| {
    let mut files: Vec<(String, String)> = data
        .split(|&b| b == 0)
        .zip(NAMES)
        .map(|(bytes, name)| {
            (
                name.to_string(),
                String::from_utf8_lossy(bytes).into_owned(),
            )
        })
        .collect();
    files.sort();
    let Ok(cassette) = raw_round_cassette(Path::new("fuzz-round"), "fuzz-round", &files) else {
        return;
    };
    let _ = replay(&cassette, &Rules::default(), ReplayOptions::default());
});
