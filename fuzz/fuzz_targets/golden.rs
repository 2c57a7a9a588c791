//! Golden file loading: any text is a golden file or a clear error; a markdown
//! golden that reads is given back unchanged by its writer.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use review_replay::golden::file::{parse_json, parse_markdown, stamped_markdown};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(golden) = parse_markdown(Path::new("fuzz.md"), text) {
        if text.contains('\n') {
            assert_eq!(stamped_markdown(&golden.stamp, &golden.body), text);
        }
    }
    let _ = parse_json(Path::new("fuzz.json"), text);
});
