//! Coverage stage of review parsing: coverage-summary rows and bullets into paths and
//! statuses (finding ids, trivial, reviewed with no issues).

use super::*;

pub(super) fn coverage_path(cell: &str) -> Option<String> {
    // Most cells are one code span (`` `pkg/x.go` ``): read in one pass, its
    // one location made without a vector, and its path moved out rather
    // than copied.
    let first = span_then_prose_first_location(cell)
        .unwrap_or_else(|| extract_locations(cell).into_iter().next());
    if let Some(l) = first {
        return Some(l.path);
    }
    let c = cell.trim().trim_matches('`').trim();
    if c.is_empty() || c.contains(' ') && !c.contains('/') {
        return None;
    }
    Some(c.to_string())
}

/// `` `path`: status ``, `**path** — status`, `path - status`.
pub(super) fn split_coverage_bullet(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    let (path_part, status) = if let Some(r) = t.strip_prefix("**") {
        let end = r.find("**")?;
        (r[..end].to_string(), r[end + 2..].to_string())
    } else if let Some(r) = t.strip_prefix('`') {
        let end = r.find('`')?;
        (r[..end].to_string(), r[end + 1..].to_string())
    } else {
        let parts = split_dashes(t);
        if parts.len() >= 2 {
            (parts[0].to_string(), parts[1..].join(" — "))
        } else {
            let (a, b) = t.split_once(": ")?;
            (a.to_string(), b.to_string())
        }
    };
    let status = status
        .trim()
        .trim_start_matches([':', '—', '–', '-', ' '])
        .trim()
        .to_string();
    let path = coverage_path(&format!("`{}`", path_part.trim().trim_matches('`')))?;
    Some((path, status))
}

/// The first cell of a coverage table's header row: `File`, `Path`, `Files`
/// or `File …` in any ASCII case.
pub(super) fn is_coverage_header(first: &str) -> bool {
    ["file", "path", "files"]
        .iter()
        .any(|w| first.eq_ignore_ascii_case(w))
        || first
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("file "))
}

/// Reads a coverage status: finding ids, "trivial", "reviewed, no issues".
pub(super) fn coverage_status(status: &str) -> CoverageStatus {
    // `Reviewed, no issues`, the status most coverage rows give (the
    // synthetic rounds' every row, and most rows of the recorded corpus),
    // is told by one compare: reading it looked for ids, removed emphasis,
    // lowercased it and looked for each phrase (some 550 instructions a
    // row). Its reading says no issues (it holds `no issue`, and none of
    // `trivial`, `not reviewed`, `skipped` or a digit); any other status is
    // read as before.
    if status == "Reviewed, no issues" {
        return CoverageStatus::ReviewedNoIssues;
    }
    coverage_status_read(status)
}

/// [`coverage_status`] of any status, read (the tests hold the shortcut for
/// `Reviewed, no issues` to it).
pub(super) fn coverage_status_read(status: &str) -> CoverageStatus {
    let ids = finding_ids(status);
    if !ids.is_empty() {
        return CoverageStatus::Findings(ids);
    }
    // Through a lowercased copy: comparing each byte in any case where the
    // needles are looked for costs more than the copy. A status is short:
    // the copy is made on the stack (an allocation made and dropped for
    // each row otherwise), a longer one on the heap.
    // The copy is read as bytes: it is made a `str` (a UTF-8 check of some
    // 60 instructions) only for the rare status that may count findings.
    let stripped = strip_emphasis_cow(status);
    let (mut buf, mut copy) = ([0u8; 64], String::new());
    let l = ascii_lowercase_bytes_on_stack(&stripped, &mut buf, &mut copy);
    let said = status_phrases(l);
    if said.trivial {
        return CoverageStatus::Trivial;
    }
    if said.not_reviewed {
        return CoverageStatus::Other(strip_emphasis(status));
    }
    if said.no_issues || l.starts_with(b"reviewed") || l == b"ok" || l == b"clean" {
        return CoverageStatus::ReviewedNoIssues;
    }
    if !l.starts_with(b"finding") {
        return CoverageStatus::Other(strip_emphasis(status));
    }
    // Lowercasing ASCII bytes keeps UTF-8 valid: never the default.
    let l = std::str::from_utf8(l).unwrap_or_default();
    let l_trim = l.trim_end_matches('.');
    if let Some(rest) = l_trim
        .strip_prefix("finding")
        .or_else(|| l_trim.strip_prefix("findings"))
    {
        let nums: Vec<String> = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        if !nums.is_empty() {
            return CoverageStatus::Findings(nums);
        }
    }
    CoverageStatus::Other(strip_emphasis(status))
}

/// Which phrases a lowercased coverage status holds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct StatusPhrases {
    /// `trivial`.
    pub(super) trivial: bool,
    /// `not reviewed` or `skipped`.
    pub(super) not_reviewed: bool,
    /// `no issue` or `no finding`.
    pub(super) no_issues: bool,
}

/// The phrases [`coverage_status`] looks for in `l`, found in one pass over
/// its bytes: each phrase is compared only where its first byte (`t`, `n`
/// or `s`) is, where five searches, one a phrase and each over the whole
/// status, took most of the instructions of a coverage row's status.
pub(super) fn status_phrases(h: &[u8]) -> StatusPhrases {
    let mut said = StatusPhrases::default();
    for (i, &c) in h.iter().enumerate() {
        let at = |p: &[u8]| h[i..].starts_with(p);
        match c {
            b't' => said.trivial |= at(b"trivial"),
            b'n' => {
                said.not_reviewed |= at(b"not reviewed");
                said.no_issues |= at(b"no issue") || at(b"no finding");
            }
            b's' => said.not_reviewed |= at(b"skipped"),
            _ => {}
        }
    }
    said
}

/// Ids like `C1`, `I2`, `S10` as whole words, or spelled out (`Suggestion 1`,
/// `Critical 2`), in order, without repeats.
pub(super) fn finding_ids(s: &str) -> Vec<String> {
    // Both forms hold a digit (a word of digits, or digits after a letter):
    // most statuses hold none and are decided in one block test.
    if !any_byte(s, |b| b.is_ascii_digit()) {
        return Vec::new();
    }
    finding_ids_in_words(s)
}

/// [`finding_ids`], word by word.
pub(super) fn finding_ids_in_words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let words: Vec<&str> = s
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.windows(2) {
        let (Some(sev), Ok(n)) = (Severity::from_word(pair[0]), pair[1].parse::<u32>()) else {
            continue;
        };
        if pair[0].ends_with('s') || !pair[0].starts_with(|c: char| c.is_ascii_uppercase()) {
            continue;
        }
        let id = format!("{}{n}", sev.letter());
        if !out.contains(&id) {
            out.push(id);
        }
    }
    for w in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut cs = w.chars();
        let Some(first) = cs.next() else { continue };
        let rest = &w[first.len_utf8()..];
        if matches!(first, 'C' | 'I' | 'S')
            && !rest.is_empty()
            && rest.len() <= 3
            && rest.chars().all(|c| c.is_ascii_digit())
            && !out.iter().any(|x| x == w)
        {
            out.push(w.to_string());
        }
    }
    out
}
