//! Similarity signals between two raw findings: the evidence a careful human uses to
//! decide that two agents wrote about the same issue.
//!
//! Signals, each an integer permille (0..=1000):
//! - `location`: same file (paths compared after normalisation; a bare file name
//!   matches a full path ending in it) and line proximity;
//! - `identifiers`: shared code identifiers (backticked symbols, CamelCase,
//!   snake_case, dotted and called names), overlap coefficient;
//! - `title`: Dice coefficient of normalised title words, stop words removed;
//! - `body`: Dice coefficient of normalised words of title, body and fix;
//! - `code`: overlap of normalised code-excerpt lines.
//!
//! Invariants: every function here is pure and depends only on the findings'
//! content (never on agent names or input order); shifting all lines by the same
//! amount leaves every signal unchanged, because only line *distances* are used.
//!
//! Token sets are sorted vectors of 64-bit FNV-1a hashes, not sets of strings: the
//! engine compares every cross-agent pair of findings, and intersecting integer
//! vectors is what keeps that cheap. The hash is fixed (not randomly seeded), so
//! scores are the same on every run and platform.

use crate::consolidate::rules::ClusterRules;
use crate::model::{Location, RawFinding};

/// Words that carry no meaning for similarity (sorted: looked up by binary search).
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "because",
    "been", "before", "being", "but", "by", "can", "could", "do", "does", "each", "even", "every",
    "for", "from", "has", "have", "if", "in", "into", "is", "it", "its", "may", "more", "must",
    "no", "not", "now", "of", "on", "one", "only", "or", "other", "same", "should", "so", "some",
    "still", "such", "than", "that", "the", "their", "them", "then", "there", "these", "this",
    "those", "through", "to", "too", "two", "under", "unless", "up", "use", "used", "uses",
    "using", "was", "were", "what", "when", "where", "whether", "which", "while", "will", "with",
    "without", "would", "you", "your",
];

/// Identifier-shaped tokens too common in code to tell two issues apart (sorted).
const COMMON_IDENTIFIERS: &[&str] = &[
    "and", "bool", "const", "ctx", "err", "error", "errorf", "false", "fmt", "for", "func", "get",
    "int", "let", "new", "nil", "none", "not", "null", "return", "self", "set", "string", "the",
    "this", "true", "var",
];

/// File extensions that mark a backticked span as a path, not a symbol (sorted).
const FILE_EXTENSIONS: &[&str] = &[
    "bats", "c", "cc", "cfg", "cpp", "css", "go", "h", "html", "ini", "java", "js", "json", "jsx",
    "kt", "lock", "md", "mod", "proto", "py", "rb", "rs", "sh", "sql", "sum", "toml", "ts", "tsx",
    "txt", "xml", "yaml", "yml",
];

/// A set of normalised tokens (words, identifiers, code lines), stored as the
/// sorted, deduplicated 64-bit FNV-1a hashes of the tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenSet(Vec<u64>);

impl TokenSet {
    /// Number of distinct tokens.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when `token` (already normalised) is in the set.
    pub fn contains(&self, token: &str) -> bool {
        self.0.binary_search(&fnv1a(token)).is_ok()
    }

    /// Number of tokens in both sets.
    pub fn common(&self, other: &TokenSet) -> usize {
        let (mut i, mut j, mut n) = (0, 0, 0);
        while let (Some(a), Some(b)) = (self.0.get(i), other.0.get(j)) {
            match a.cmp(b) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }

    /// True when no token is in both sets.
    pub fn is_disjoint(&self, other: &TokenSet) -> bool {
        self.common(other) == 0
    }

    /// Adds every token of `other`.
    pub fn extend(&mut self, other: &TokenSet) {
        self.0.extend_from_slice(&other.0);
        self.0.sort_unstable();
        self.0.dedup();
    }
}

impl TokenSet {
    fn from_hashes(mut hashes: Vec<u64>) -> TokenSet {
        hashes.sort_unstable();
        hashes.dedup();
        TokenSet(hashes)
    }
}

impl<S: AsRef<str>> FromIterator<S> for TokenSet {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> TokenSet {
        TokenSet::from_hashes(iter.into_iter().map(|t| fnv1a(t.as_ref())).collect())
    }
}

/// 64-bit FNV-1a: fixed, so token hashes never vary between runs.
fn fnv1a(token: &str) -> u64 {
    token.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A location with a normalised path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NormLocation {
    /// Lowercased path with `/` separators, no `./` prefix.
    pub path: String,
    /// First and last line, when known.
    pub lines: Option<(u32, u32)>,
}

/// Everything the signals need from one finding, computed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Features {
    /// Normalised locations.
    pub locations: Vec<NormLocation>,
    /// Code identifiers, lowercased.
    pub identifiers: TokenSet,
    /// The code identifiers of the title alone: what the finding is about.
    pub title_identifiers: TokenSet,
    /// Title words.
    pub title_words: TokenSet,
    /// Title, body and fix words.
    pub words: TokenSet,
    /// Normalised code lines.
    pub code_lines: TokenSet,
    /// Normalised title (words joined by spaces), for stable ordering.
    pub title_key: String,
}

/// The signals of one pair, permille.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Signals {
    /// Location signal; `None` when a side has no locations.
    pub location: Option<u32>,
    /// Identifier signal; `None` when a side has no identifiers.
    pub identifiers: Option<u32>,
    /// Title signal.
    pub title: u32,
    /// Body signal.
    pub body: u32,
    /// Code signal; `None` when a side quotes no code.
    pub code: Option<u32>,
    /// Every same-file pair of locations has line ranges on both sides and none of
    /// them overlap: the findings are near each other, not at the same place.
    pub ranges_apart: bool,
}

impl Features {
    /// Computes the features of a finding.
    pub fn of(f: &RawFinding) -> Features {
        let locations = f.locations.iter().map(normalize_location).collect();
        let mut id_text = String::new();
        for part in [
            f.title.as_str(),
            f.body.as_str(),
            f.fix.as_deref().unwrap_or(""),
        ] {
            id_text.push_str(part);
            id_text.push('\n');
        }
        let title_words = words(&f.title);
        let mut all = title_words.clone();
        all.extend(&words(&f.body));
        if let Some(fix) = &f.fix {
            all.extend(&words(fix));
        }
        let code_lines = f
            .code_blocks
            .iter()
            .flat_map(|b| b.lines())
            .filter_map(code_line)
            .collect();
        let title_key = ordered_words(&f.title).join(" ");
        Features {
            locations,
            identifiers: identifiers(&id_text),
            title_identifiers: identifiers(&f.title),
            title_words,
            words: all,
            code_lines,
            title_key,
        }
    }
}

/// Normalises a repository path for comparison.
pub fn normalize_path(path: &str) -> String {
    let mut p = path
        .trim()
        .trim_matches('`')
        .replace('\\', "/")
        .to_lowercase();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.to_string();
    }
    p
}

fn normalize_location(l: &Location) -> NormLocation {
    let lines = match (l.start, l.end) {
        (Some(s), Some(e)) => Some((s.min(e), s.max(e))),
        (Some(s), None) | (None, Some(s)) => Some((s, s)),
        (None, None) => None,
    };
    NormLocation {
        path: normalize_path(&l.path),
        lines,
    }
}

/// True when two normalised paths name the same file: equal, or one is a
/// suffix of the other at a `/` boundary (a bare `app.go` against `pkg/app.go`).
pub fn same_file(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a == b || is_path_suffix(a, b) || is_path_suffix(b, a)
}

fn is_path_suffix(long: &str, short: &str) -> bool {
    long.len() > short.len()
        && long.ends_with(short)
        && long.as_bytes().get(long.len() - short.len() - 1) == Some(&b'/')
}

/// The file name of a path.
pub fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Lines between two ranges; 0 when they overlap.
pub fn line_gap(a: (u32, u32), b: (u32, u32)) -> u32 {
    if a.1 < b.0 {
        b.0 - a.1
    } else {
        a.0.saturating_sub(b.1)
    }
}

/// The location signal: the best pair of locations.
pub fn location_signal(a: &[NormLocation], b: &[NormLocation], rules: &ClusterRules) -> u32 {
    let window = rules.line_window.max(1);
    let mut best = 0;
    for x in a {
        for y in b {
            if !same_file(&x.path, &y.path) {
                continue;
            }
            let s = match (x.lines, y.lines) {
                (Some(r1), Some(r2)) => {
                    let d = line_gap(r1, r2);
                    if d == 0 {
                        1000
                    } else if d <= window {
                        // Linear from 1.0 next door down to 0.3 at the window edge.
                        (1000 - 700 * d / window).max(rules.far_score)
                    } else {
                        rules.far_score
                    }
                }
                _ => rules.file_only_score,
            };
            best = best.max(s);
        }
    }
    best
}

/// True when the two findings share a file, but every same-file pair of locations
/// has lines on both sides and the ranges do not overlap.
fn ranges_apart(a: &[NormLocation], b: &[NormLocation]) -> bool {
    let mut shared = false;
    for x in a {
        for y in b {
            if !same_file(&x.path, &y.path) {
                continue;
            }
            shared = true;
            match (x.lines, y.lines) {
                (Some(r1), Some(r2)) if line_gap(r1, r2) > 0 => {}
                _ => return false,
            }
        }
    }
    shared
}

/// Computes the signals of a pair.
pub fn signals(a: &Features, b: &Features, rules: &ClusterRules) -> Signals {
    let both_located = !a.locations.is_empty() && !b.locations.is_empty();
    // Both titles name the same code identifier: the findings are about the same
    // thing, wherever they cite it. One issue is often cited where it is caused in
    // one file and where it bites in another; then the files differ and the quoted
    // code cannot share lines, so location and code say nothing about the pair.
    let same_subject = !a.title_identifiers.is_disjoint(&b.title_identifiers);
    let cross_file = both_located
        && !a
            .locations
            .iter()
            .any(|x| b.locations.iter().any(|y| same_file(&x.path, &y.path)));
    let subject_across_files = same_subject && cross_file;
    let location = (both_located && !subject_across_files)
        .then(|| location_signal(&a.locations, &b.locations, rules));
    let identifiers = (!a.identifiers.is_empty() && !b.identifiers.is_empty()).then(|| {
        // The floor keeps one incidental shared identifier from counting as a full
        // match; an identifier both titles name is the subject, not incidental.
        let floor = if same_subject {
            1
        } else {
            rules.identifier_min_denominator
        };
        overlap(&a.identifiers, &b.identifiers, floor)
    });
    let code = (!a.code_lines.is_empty() && !b.code_lines.is_empty() && !subject_across_files)
        .then(|| overlap(&a.code_lines, &b.code_lines, 2));
    Signals {
        location,
        identifiers,
        title: dice(&a.title_words, &b.title_words),
        body: dice(&a.words, &b.words),
        code,
        ranges_apart: ranges_apart(&a.locations, &b.locations),
    }
}

impl Signals {
    /// The weighted score, permille: signals missing on a side do not count.
    pub fn score(&self, rules: &ClusterRules) -> u32 {
        let parts = self.parts(rules);
        let total: u64 = parts.iter().map(|(_, _, w)| u64::from(*w)).sum();
        if total == 0 {
            return 0;
        }
        let sum: u64 = parts
            .iter()
            .map(|(_, s, w)| u64::from(*s) * u64::from(*w))
            .sum();
        u32::try_from(sum / total).unwrap_or(1000)
    }

    /// The signals that count, as (name, value, weight).
    pub fn parts(&self, rules: &ClusterRules) -> Vec<(&'static str, u32, u32)> {
        let w = &rules.weights;
        let mut parts = Vec::new();
        if let Some(s) = self.location {
            parts.push(("location", s, w.location));
        }
        if let Some(s) = self.identifiers {
            parts.push(("identifiers", s, w.identifiers));
        }
        parts.push(("title", self.title, w.title));
        parts.push(("body", self.body, w.body));
        if let Some(s) = self.code {
            parts.push(("code", s, w.code));
        }
        parts
    }

    /// True when one anchor signal reaches its minimum. Nearby but non-overlapping
    /// ranges anchor only with a shared identifier or similar descriptions: two
    /// issues in adjacent functions are common, and a location next door is not the
    /// same place. A title alone does not
    /// anchor findings located in different files: generic titles ("missing error
    /// handling") recur across files, while one issue cited in two files shares
    /// identifiers.
    pub fn anchored(&self, rules: &ClusterRules) -> bool {
        self.location.is_some_and(|s| {
            s >= rules.anchor_location
                && (!self.ranges_apart
                    || self.identifiers.is_some_and(|i| i > 0)
                    || self.body >= rules.anchor_adjacent_body)
        }) || self
            .identifiers
            .is_some_and(|s| s >= rules.anchor_identifiers)
            || (self.title >= rules.anchor_title && self.location != Some(0))
    }

    /// `location 0.940×0.30 + title 0.400×0.25 ...`, for the explain trail.
    pub fn breakdown(&self, rules: &ClusterRules) -> String {
        self.parts(rules)
            .iter()
            .map(|(name, s, w)| format!("{name} {}×{}", permille(*s), permille(*w)))
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// Formats a permille value as a decimal fraction (`0.452`).
pub fn permille(v: u32) -> String {
    format!("{}.{:03}", v / 1000, v % 1000)
}

/// Dice coefficient, permille; 0 when both are empty.
pub fn dice(a: &TokenSet, b: &TokenSet) -> u32 {
    let total = a.len() + b.len();
    if total == 0 {
        return 0;
    }
    let common = a.common(b);
    u32::try_from(2000 * common / total).unwrap_or(1000)
}

/// Overlap coefficient with a floor on the denominator, permille.
pub fn overlap(a: &TokenSet, b: &TokenSet, min_denominator: u32) -> u32 {
    let denominator = a.len().min(b.len()).max(min_denominator.max(1) as usize);
    let common = a.common(b);
    u32::try_from((1000 * common / denominator).min(1000)).unwrap_or(1000)
}

/// Calls `f` with each normalised word of a text, in order: lowercased, stop
/// words and numbers removed, lightly stemmed. One buffer serves every word: this
/// runs over every finding's whole text.
fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut lower = String::new();
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        if raw.is_empty() || raw.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        lower.clear();
        if raw.is_ascii() {
            lower.push_str(raw);
            lower.make_ascii_lowercase();
        } else {
            lower.push_str(&raw.to_lowercase());
        }
        if STOP_WORDS.binary_search(&lower.as_str()).is_ok() {
            continue;
        }
        f(stem(&lower));
    }
}

/// Normalised words of a text, in order, stop words removed, lightly stemmed.
pub fn ordered_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// The set of normalised words of a text.
pub fn words(text: &str) -> TokenSet {
    let mut hashes = Vec::new();
    for_each_word(text, |w| hashes.push(fnv1a(w)));
    TokenSet::from_hashes(hashes)
}

/// A light suffix stripper: enough to match `leaks`/`leak`, `deleting`/`delete`.
fn stem(w: &str) -> &str {
    let n = w.chars().count();
    for (suffix, min) in [("ing", 6), ("ed", 5), ("es", 5), ("s", 4)] {
        if n >= min && w.ends_with(suffix) && !w.ends_with("ss") {
            let cut = &w[..w.len() - suffix.len()];
            // `deleting` → `delet`, `deleted` → `delet`, `deletes` → `delet`.
            return cut.trim_end_matches('e');
        }
    }
    w.trim_end_matches('e')
}

/// Code identifiers in prose: backticked spans (except paths), and bare words
/// shaped like code (CamelCase, snake_case, dotted, called).
pub fn identifiers(text: &str) -> TokenSet {
    let mut out = Vec::new();
    let mut rest = text;
    let mut prose = String::new();
    // Backticked spans on one line.
    while let Some(open) = rest.find('`') {
        prose.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('`') {
            Some(close) if !after[..close].contains('\n') => {
                let span = &after[..close];
                if !looks_like_path(span) {
                    out.extend(code_tokens(span));
                }
                rest = &after[close + 1..];
            }
            _ => {
                rest = after;
            }
        }
    }
    prose.push_str(rest);
    for raw in prose.split(|c: char| c.is_whitespace() || ",;:!?\"'[]{}<>".contains(c)) {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '_' && c != '(');
        let called = word.ends_with("()") || word.ends_with('(');
        let word = word.trim_end_matches(['(', ')']);
        if word.is_empty() || looks_like_path(word) {
            continue;
        }
        if called || is_code_shaped(word) {
            out.extend(code_tokens(word));
        }
    }
    out.into_iter().collect()
}

fn is_code_shaped(word: &str) -> bool {
    let has_inner = |c: char| {
        word.trim_matches(c).contains(c) && word.chars().any(|ch| ch.is_ascii_alphabetic())
    };
    if has_inner('_') || has_inner('.') {
        return true;
    }
    let chars: Vec<char> = word.chars().collect();
    // camelCase: a lowercase letter followed by an uppercase one.
    let camel = chars
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
    // PascalCase words of two parts or more (`ConfigMap`), not SHOUTING.
    camel && chars.iter().any(|c| c.is_ascii_lowercase())
}

fn code_tokens(span: &str) -> Vec<String> {
    span.split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|t| t.chars().count() >= 3)
        .filter(|t| !t.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .filter(|t| COMMON_IDENTIFIERS.binary_search(&t.as_str()).is_err())
        .collect()
}

fn looks_like_path(span: &str) -> bool {
    let s = span.trim();
    if s.contains(' ') {
        return false;
    }
    let head = s.split(':').next().unwrap_or(s);
    if head.contains('/') && !head.contains('(') {
        return true;
    }
    match head.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && FILE_EXTENSIONS
                    .binary_search(&ext.to_ascii_lowercase().as_str())
                    .is_ok()
        }
        None => false,
    }
}

fn code_line(line: &str) -> Option<String> {
    let l = line.trim().trim_start_matches(['+', '-']).trim();
    let collapsed = l.split_whitespace().collect::<Vec<_>>().join(" ");
    (collapsed.chars().count() >= 12).then_some(collapsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_skip_paths_and_common_words() {
        let ids = identifiers(
            "The `sanitizeName` in `pkg/a/b.go:12` calls w.k8s.Apply and MyType; err is fine",
        );
        for id in ["apply", "k8s", "mytype", "sanitizename"] {
            assert!(ids.contains(id), "{id} missing");
        }
        assert_eq!(ids.len(), 4);
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [STOP_WORDS, COMMON_IDENTIFIERS, FILE_EXTENSIONS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }

    #[test]
    fn suffix_paths_are_the_same_file() {
        assert!(same_file("pkg/app/app_controller.go", "app_controller.go"));
        assert!(!same_file(
            "pkg/app/xapp_controller.go",
            "app_controller.go"
        ));
        assert!(!same_file("pkg/a.go", "pkg/b.go"));
    }

    #[test]
    fn stem_merges_inflections() {
        assert_eq!(words("deleting deleted deletes delete"), words("delete"));
    }

    fn finding(title: &str, body: &str, path: &str, start: u32, end: u32) -> Features {
        Features::of(&RawFinding {
            ordinal: 1,
            raised_id: None,
            severity: crate::model::Severity::Important,
            classification: None,
            tags: Vec::new(),
            title: title.into(),
            locations: vec![Location {
                path: path.into(),
                start: Some(start),
                end: Some(end),
            }],
            body: body.into(),
            fix: None,
            code_blocks: vec!["let limit = config.max_concurrency_value();".into()],
            line: 1,
        })
    }

    #[test]
    fn one_subject_cited_in_two_files_ignores_location_and_code() {
        let rules = crate::consolidate::rules::Rules::default().cluster;
        let a = finding(
            "`MaxConcurrency` of 0 is accepted",
            "`Validate` skips `MaxConcurrency` and `Interval`.",
            "internal/config.go",
            10,
            20,
        );
        let mut b = finding(
            "Semaphore sized by `MaxConcurrency` blocks",
            "A zero `MaxConcurrency` makes an unbuffered channel.",
            "pkg/scheduler.go",
            50,
            60,
        );
        b.code_lines = ["s.slots <- struct{}{}"].into_iter().collect();
        let s = signals(&a, &b, &rules);
        assert_eq!(s.location, None);
        assert_eq!(s.code, None);
        assert_eq!(s.identifiers, Some(1000));
        assert!(
            s.anchored(&rules) && s.score(&rules) >= rules.threshold,
            "{s:?}"
        );
        // Without the shared subject, different files still count against a merge.
        let c = finding(
            "Semaphore blocks",
            "A zero limit makes an unbuffered channel.",
            "pkg/scheduler.go",
            50,
            60,
        );
        assert_eq!(signals(&a, &c, &rules).location, Some(0));
    }

    #[test]
    fn adjacent_ranges_anchor_only_with_shared_evidence() {
        let rules = crate::consolidate::rules::Rules::default().cluster;
        let a = finding(
            "Sessions not bound",
            "Looked up by id only.",
            "api.go",
            40,
            58,
        );
        let b = finding(
            "No quota on uploads",
            "Clients fill the disk.",
            "api.go",
            60,
            75,
        );
        let s = signals(&a, &b, &rules);
        assert!(s.ranges_apart);
        assert!(s.location.is_some_and(|l| l >= rules.anchor_location));
        assert!(!s.anchored(&rules), "{s:?}");
        // Overlapping ranges anchor on location alone.
        let c = finding(
            "No quota on uploads",
            "Clients fill the disk.",
            "api.go",
            50,
            75,
        );
        let s = signals(&a, &c, &rules);
        assert!(!s.ranges_apart && s.anchored(&rules), "{s:?}");
    }

    #[test]
    fn gap_is_zero_on_overlap() {
        assert_eq!(line_gap((10, 20), (15, 30)), 0);
        assert_eq!(line_gap((10, 20), (25, 30)), 5);
        assert_eq!(line_gap((25, 30), (10, 20)), 5);
    }
}
