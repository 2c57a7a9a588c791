//! Benchmark of the markdown parsers on large inputs: one agent review of about
//! 50 MB, and a deep-review report whose appendix repeats an agent heading
//! 20,000 times. Both must stay linear; a quadratic step shows here as minutes.
//!
//! Custom harness like `benches/check.rs`: `cargo bench --bench parse` prints a
//! markdown table; without `--bench` (as under `cargo test --benches`) it runs a
//! small smoke pass.

use std::time::Instant;

/// The binary's allocator (`src/main.rs`): the parsers are measured as users run them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use review_replay::parse::report::parse_report;
use review_replay::parse::review::parse_review;

#[path = "common/synth.rs"]
mod synth;

fn main() -> Result<(), String> {
    let full = std::env::args().any(|a| a == "--bench");
    if !full {
        synth::self_check()?;
    }
    let target_bytes = if full { 50 * 1024 * 1024 } else { 256 * 1024 };

    // A long review: synthetic agent reviews glued together.
    let mut review = String::with_capacity(target_bytes + 64 * 1024);
    let mut i = 0;
    while review.len() < target_bytes {
        let cassette = synth::cassette(i, 20);
        for interaction in &cassette.interactions {
            review.push_str(&interaction.response);
            review.push('\n');
        }
        i += 1;
    }
    // A report whose appendix is mostly agent headings.
    let headings = if full { 20_000 } else { 200 };
    let mut report = String::from("# Deep Review: bench\n\n## Appendix: Original Reviews\n\n");
    for _ in 0..headings {
        report.push_str("### [Claude]\n\nx\n\n");
    }

    println!("| input | MB | findings or sections | time | MB/s |");
    println!("|---|---:|---:|---:|---:|");
    let start = Instant::now();
    let out = parse_review(&review, 1);
    let took = start.elapsed();
    println!(
        "| agent review | {:.1} | {} findings | {:.3} s | {:.0} |",
        review.len() as f64 / 1e6,
        out.review.findings.len(),
        took.as_secs_f64(),
        review.len() as f64 / 1e6 / took.as_secs_f64().max(1e-9)
    );
    if out.review.findings.is_empty() {
        return Err("the synthetic review parsed to no findings".into());
    }
    let start = Instant::now();
    let parsed = parse_report(&report, "bench");
    let took = start.elapsed();
    println!(
        "| report, {headings} agent headings | {:.1} | {} sections | {:.3} s | {:.0} |",
        report.len() as f64 / 1e6,
        parsed.agents.len(),
        took.as_secs_f64(),
        report.len() as f64 / 1e6 / took.as_secs_f64().max(1e-9)
    );
    if parsed.agents.len() != headings {
        return Err(format!(
            "expected {headings} agent sections, got {}",
            parsed.agents.len()
        ));
    }
    Ok(())
}
