//! Rules loading: any text is rules or a clear error; rules that load replay an
//! authored round without panicking.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use review_replay::cassette::Cassette;
use review_replay::consolidate::engine::{ReplayOptions, replay};
use review_replay::consolidate::rules::Rules;

/// Rounds whose decisions depend on most rules: consensus, lone critical,
/// prior rounds, adjudications.
const ROUNDS: &[&str] = &[
    include_str!("../../cassettes/harbor-pr-41-r1-consensus.json"),
    include_str!("../../cassettes/harbor-pr-52-r1-lone-critical.json"),
    include_str!("../../cassettes/harbor-pr-66-r2-prior-declined-reraised.json"),
    include_str!("../../cassettes/harbor-pr-63-r1-adjudications.json"),
];

fn rounds() -> &'static [Cassette] {
    static CELL: OnceLock<Vec<Cassette>> = OnceLock::new();
    CELL.get_or_init(|| {
        ROUNDS
            .iter()
            .filter_map(|t| Cassette::from_json(Path::new("round.json"), t).ok())
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rules) = Rules::from_toml(Path::new("fuzz.toml"), text) else {
        return;
    };
    for cassette in rounds() {
        let _ = replay(cassette, &rules, ReplayOptions::default());
    }
});
