//! Tag stage of review parsing: tag groups such as `(critical, regression)` and how
//! they set a finding's severity, classification and tags.

use super::*;

/// Tag groups found in `s`: `(critical, regression)`, `` `(gap)` ``, `*(in-scope)*`.
/// A group counts only when at least one of its words is a known tag. The
/// parser applies the tags where they lie ([`apply_tag_groups`]); this list
/// is the reference that form is held to in the tests.
#[cfg(test)]
pub(super) fn parse_tag_groups(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for inner in groups(s) {
        // Items are read once, copied as they come, and dropped again when
        // their group does not count: where tags are asked for (a title's
        // tail, a line of locations and tags), most groups do.
        let from = out.len();
        if !push_tag_group(inner, &mut out) {
            out.truncate(from);
        }
    }
    out
}

/// Applies every tag of the groups of `s` that count, in order, as
/// [`apply_tag`] of each tag [`parse_tag_groups`] gives would, without copying
/// the tags first: a group of up to four plain words ([`plain_words`]) is
/// read in one pass over its bytes, its words classed through one `match`
/// and applied from the stack; any other group is tested
/// ([`is_tag_group`]), then its items are read again and applied. Returns
/// whether a group counted, that is whether `parse_tag_groups(s)` is not
/// empty (a group counts only with a non-empty item). A text that is one
/// group of plain words is read without a search.
pub(super) fn apply_tag_groups(
    s: &str,
    severity: &mut Option<Severity>,
    classification: &mut Option<String>,
    tags: &mut Vec<String>,
) -> bool {
    // The usual tail of a title, ` (critical, gap)`: one group of plain
    // words with white space around it, read without searching for groups.
    apply_lone_plain_group(s, severity, classification, tags)
        .unwrap_or_else(|| apply_found_tag_groups(s, severity, classification, tags))
}

/// [`apply_tag_groups`] of a text that is one group of plain words
/// ([`plain_words`]) with ASCII white space around it: `Some` of whether
/// the group counts. `None`, with nothing applied, for any other text. Such
/// a text is white space, parentheses, lowercase ASCII letters, `-` and the
/// separators `,`, `;`, `/`: it holds no backtick, `[` or `:`, so it cites
/// no location either.
pub(super) fn apply_lone_plain_group(
    s: &str,
    severity: &mut Option<Severity>,
    classification: &mut Option<String>,
    tags: &mut Vec<String>,
) -> Option<bool> {
    let inner = lone_group(s)?;
    // `(important, regression)`: a severity, then a classification, the
    // group most titles end with (the synthetic rounds' every title, and
    // most tagged titles of the recorded corpus). Told by its words'
    // bytes, its reading in words (some 300 instructions, a third of them
    // at mispredicted branches) is skipped, and the two words are applied
    // as that reading would apply them: both known, in order.
    if let Some((sev, sev_word, class_word)) = usual_group(inner) {
        apply_tag_word(
            severity,
            classification,
            tags,
            sev_word,
            WordKind::Severity(sev),
        );
        apply_tag_word(severity, classification, tags, class_word, WordKind::Class);
        return Some(true);
    }
    apply_lone_plain_words(inner, severity, classification, tags)
}

/// [`apply_lone_plain_group`] of the text inside a lone group, read in
/// words (the tests hold the shortcut for the usual group to it).
pub(super) fn apply_lone_plain_words(
    inner: &str,
    severity: &mut Option<Severity>,
    classification: &mut Option<String>,
    tags: &mut Vec<String>,
) -> Option<bool> {
    let mut words = [""; PLAIN_WORDS];
    let n = plain_words(inner, &mut words)?;
    Some(apply_plain_words(
        &words[..n],
        severity,
        classification,
        tags,
    ))
}

/// The severity and the two words of a group that is exactly `critical`,
/// `important` or `suggestion`, a comma and a space, then `regression`,
/// `gap` or `enhancement`; `None` for any other group. [`word_kind`] says
/// the first is that severity and the second a classification.
pub(super) fn usual_group(inner: &str) -> Option<(Severity, &str, &str)> {
    let (sev, sev_word, class_word) = if let Some(r) = inner.strip_prefix("important, ") {
        (Severity::Important, "important", r)
    } else if let Some(r) = inner.strip_prefix("suggestion, ") {
        (Severity::Suggestion, "suggestion", r)
    } else if let Some(r) = inner.strip_prefix("critical, ") {
        (Severity::Critical, "critical", r)
    } else {
        return None;
    };
    matches!(class_word, "regression" | "gap" | "enhancement")
        .then_some((sev, sev_word, class_word))
}

/// [`apply_tag_groups`] of any text, its groups searched for.
pub(super) fn apply_found_tag_groups(
    s: &str,
    severity: &mut Option<Severity>,
    classification: &mut Option<String>,
    tags: &mut Vec<String>,
) -> bool {
    let mut words = [""; PLAIN_WORDS];
    let mut counted = false;
    for inner in groups(s) {
        // Most groups are a few plain words: each is classed once, kept on
        // the stack while the group is tested, then applied.
        if let Some(n) = plain_words(inner, &mut words) {
            counted |= apply_plain_words(&words[..n], severity, classification, tags);
            continue;
        }
        if !is_tag_group(inner) {
            continue;
        }
        counted = true;
        for x in split_tag_items(inner) {
            match plain_tag_word(x) {
                Some("") => {}
                Some(w) => apply_tag_word(severity, classification, tags, w, word_kind(w)),
                None => {
                    let x = TagItem(strip_emphasis_cow(x));
                    let item = x.item();
                    if !item.is_empty() {
                        apply_tag(severity, classification, tags, item);
                    }
                }
            }
        }
    }
    counted
}

/// The text inside the parentheses of `s` when `s` is one `(...)` with ASCII
/// white space around it at most. When that text is plain words
/// ([`plain_words`]), it holds no parenthesis: it is the only group of `s`.
fn lone_group(s: &str) -> Option<&str> {
    // Most are ` (` and `)` around the group: told by those three bytes,
    // where trimming would stop at the parentheses.
    if let Some(inner) = s.strip_prefix(" (").and_then(|r| r.strip_suffix(')')) {
        return Some(inner);
    }
    s.trim_ascii().strip_prefix('(')?.strip_suffix(')')
}

/// Applies the plain words of one group when one is a known tag; returns
/// whether one is (whether the group counts). Each word is classed once, in
/// one pass: the words before the first known one are unknown tags, applied
/// once it is found, and the words from it on are applied as they are
/// classed (most groups open with a known word). Always inlined into its two
/// callers: the call cost as much as the pass saves.
#[inline(always)]
fn apply_plain_words(
    words: &[&str],
    severity: &mut Option<Severity>,
    classification: &mut Option<String>,
    tags: &mut Vec<String>,
) -> bool {
    let mut counts = false;
    for (i, &w) in words.iter().enumerate() {
        let kind = word_kind(w);
        if !counts {
            if kind == WordKind::Unknown {
                continue;
            }
            counts = true;
            for &unknown in &words[..i] {
                apply_tag_word(severity, classification, tags, unknown, WordKind::Unknown);
            }
        }
        apply_tag_word(severity, classification, tags, w, kind);
    }
    counts
}

/// How many plain words a group may have for [`plain_words`] to read it.
const PLAIN_WORDS: usize = 4;

/// The words of a group whose every item is a plain word or empty
/// ([`plain_tag_word`]), at most [`PLAIN_WORDS`] of them and none longer than
/// 40 bytes: written into `words`, their number returned. `None` for any
/// other group (a long word rules a group out, which [`is_tag_group`] then
/// says). One pass over the bytes: each item is spaces, a run of at least
/// two lowercase letters and `-` opening and closing with a letter, spaces,
/// then a separator or the end. A run is found by one search through a
/// table of its bytes.
pub(super) fn plain_words<'a>(inner: &'a str, words: &mut [&'a str; PLAIN_WORDS]) -> Option<usize> {
    let b = inner.as_bytes();
    let mut n = 0;
    let mut i = 0;
    loop {
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        let start = i;
        i += b[i..]
            .iter()
            .position(|&c| !TAG_WORD_BYTE[usize::from(c)])
            .unwrap_or(b.len() - i);
        let end = i;
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        if end > start {
            // A word of one letter is left to the item reading, as
            // `plain_tag_word` leaves it.
            let plain = end - start >= 2 && b[start] != b'-' && b[end - 1] != b'-';
            if !plain || end - start > 40 || n == PLAIN_WORDS {
                return None;
            }
            // The cuts are at ASCII bytes, so at char boundaries.
            words[n] = &inner[start..end];
            n += 1;
        }
        match b.get(i) {
            None => return Some(n),
            Some(b',' | b';' | b'/') => i += 1,
            Some(_) => return None,
        }
    }
}

/// The bytes of a plain word: lowercase ASCII letters and `-`.
static TAG_WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = b'a';
    while c <= b'z' {
        t[c as usize] = true;
        c += 1;
    }
    t[b'-' as usize] = true;
    t
};

/// What a plain tag word is to [`is_known_tag`] and [`apply_tag`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WordKind {
    /// A severity word.
    Severity(Severity),
    /// `regression`, `gap`, `enhancement`.
    Class,
    /// Another known tag.
    Known,
    /// A word no list holds.
    Unknown,
}

/// The item `x` of a group when it is a plain word: lowercase ASCII letters
/// and `-`, opening and closing with a letter, with spaces around it at most
/// (`""` when it is only spaces). Its emphasis, backticks and white space
/// are none, so the word is the item [`TagItem::item`] reads, and
/// [`word_kind`] says what [`is_known_tag`] and [`apply_tag`] make of it.
/// `None` for any other item.
pub(super) fn plain_tag_word(x: &str) -> Option<&str> {
    if !x
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b' ')
    {
        return None;
    }
    let w = trim_ws(x);
    match w.as_bytes() {
        [] => Some(w),
        // A word of a few bytes: read by a loop rather than a vectorised search.
        [first, .., last]
            if first.is_ascii_lowercase()
                && last.is_ascii_lowercase()
                && !w.bytes().any(|b| b == b' ') =>
        {
            Some(w)
        }
        _ => None,
    }
}

/// What a plain word ([`plain_tag_word`]) is: lowercase, with letters at both
/// ends, it is its own severity word and its own lowercased copy.
pub(super) fn word_kind(w: &str) -> WordKind {
    match w.as_bytes() {
        b"critical" | b"blocker" | b"blocking" => WordKind::Severity(Severity::Critical),
        b"important" | b"major" | b"high" => WordKind::Severity(Severity::Important),
        b"suggestion" | b"suggestions" | b"minor" | b"nit" | b"low" | b"medium" | b"moderate" => {
            WordKind::Severity(Severity::Suggestion)
        }
        b"regression" | b"gap" | b"enhancement" => WordKind::Class,
        b"pre-existing" | b"preexisting" | b"in-scope" | b"future" | b"out-of-scope" => {
            WordKind::Known
        }
        _ => WordKind::Unknown,
    }
}

/// [`apply_tag`] of a plain word whose kind is known. Always inlined: most
/// of its calls set a severity, a store that costs less than the call (the
/// compiler left it out of line).
#[inline(always)]
pub(super) fn apply_tag_word(
    severity: &mut Option<Severity>,
    classification: &mut Option<String>,
    tags: &mut Vec<String>,
    w: &str,
    kind: WordKind,
) {
    match kind {
        WordKind::Severity(s) => {
            severity.get_or_insert(s);
        }
        WordKind::Class if classification.is_none() => *classification = Some(w.to_string()),
        _ => {
            if !tags.iter().any(|x| x == w) {
                tags.push(w.to_string());
            }
        }
    }
}

/// Pushes the non-empty items of a group onto `out`; returns whether the group
/// counts ([`is_tag_group`]), stopping at an item that rules it out.
#[cfg(test)]
fn push_tag_group(inner: &str, out: &mut Vec<String>) -> bool {
    let mut known = false;
    for x in tag_items(inner) {
        let x = x.item();
        if x.is_empty() {
            continue;
        }
        // A text has at most as many characters as bytes.
        if x.len() > 40 && x.chars().count() > 40 {
            return false;
        }
        known = known || is_known_tag(x);
        out.push(x.to_string());
    }
    known
}

/// `!parse_tag_groups(s).is_empty()`, without copying a word.
pub(super) fn has_tag_group(s: &str) -> bool {
    groups(s).any(is_tag_group)
}

/// The text inside each `(...)` of `s`, left to right (a group ends at the first
/// `)`; a `(` without one ends the search). The parentheses are ASCII, found
/// by vectorised searches of their byte.
fn groups(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let open = memchr::memchr(b'(', rest.as_bytes())?;
        let after = &rest[open + 1..];
        let close = memchr::memchr(b')', after.as_bytes())?;
        rest = &after[close + 1..];
        Some(&after[..close])
    })
}

/// One item of a group, its emphasis removed (borrowed when there is none).
pub(super) struct TagItem<'a>(pub(super) std::borrow::Cow<'a, str>);

impl TagItem<'_> {
    /// The item trimmed of spaces and backticks, as a tag reads it.
    pub(super) fn item(&self) -> &str {
        trim_ws(trim_ws(&self.0).trim_matches('`'))
    }
}

/// The items of a group, empty ones included.
#[cfg(test)]
fn tag_items(inner: &str) -> impl Iterator<Item = TagItem<'_>> {
    split_tag_items(inner).map(|x| TagItem(strip_emphasis_cow(x)))
}

/// `inner.split([',', ';', '/'])`, a byte at a time (the separators are ASCII,
/// so the cuts are char boundaries).
pub(super) fn split_tag_items(inner: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(inner);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| matches!(b, b',' | b';' | b'/')) {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// A group counts when one of its non-empty items is a known tag and none is
/// longer than 40 characters.
fn is_tag_group(inner: &str) -> bool {
    let mut known = false;
    for x in split_tag_items(inner) {
        let is_known = match plain_tag_word(x) {
            Some("") => continue,
            // ASCII: as many characters as bytes.
            Some(w) if w.len() > 40 => return false,
            Some(w) => word_kind(w) != WordKind::Unknown,
            None => {
                let x = TagItem(strip_emphasis_cow(x));
                let x = x.item();
                if x.is_empty() {
                    continue;
                }
                // A text has at most as many characters as bytes.
                if x.len() > 40 && x.chars().count() > 40 {
                    return false;
                }
                known || is_known_tag(x)
            }
        };
        known = known || is_known;
    }
    known
}

/// A severity word, or one of the classification and scope words in any
/// ASCII case, read through one lowercased copy on the stack and a `match`
/// (the list it was searched in before is kept in the tests, which hold the
/// two to each other).
pub(super) fn is_known_tag(x: &str) -> bool {
    if Severity::from_word(x).is_some() {
        return true;
    }
    // The longest word, `out-of-scope`, has 12 bytes.
    let mut lower = [0u8; 12];
    let Some(lower) = lower.get_mut(..x.len()) else {
        return false;
    };
    for (l, b) in lower.iter_mut().zip(x.as_bytes()) {
        *l = b.to_ascii_lowercase();
    }
    matches!(
        &*lower,
        b"regression"
            | b"gap"
            | b"enhancement"
            | b"pre-existing"
            | b"preexisting"
            | b"in-scope"
            | b"future"
            | b"out-of-scope"
    )
}

/// [`is_known_tag`] as it was: the words searched in a list.
#[cfg(test)]
pub(super) fn is_known_tag_by_list(x: &str) -> bool {
    // The words are compared without a lowercased copy.
    Severity::from_word(x).is_some()
        || [
            "regression",
            "gap",
            "enhancement",
            "pre-existing",
            "preexisting",
            "in-scope",
            "future",
            "out-of-scope",
        ]
        .iter()
        .any(|w| x.eq_ignore_ascii_case(w))
}

pub(super) fn apply_tags(f: &mut FindingBuilder, text: &str) {
    // `regression (introduced by abc123)`: the parenthetical is explanation.
    let head = text.split('(').next().unwrap_or("");
    for item in head.split([',', ';', '/']) {
        let item = strip_emphasis_cow(item);
        let item = item.trim().trim_end_matches('.');
        if item.is_empty() {
            continue;
        }
        apply_tag(
            &mut f.tag_severity,
            &mut f.classification,
            &mut f.tags,
            item,
        );
    }
}

pub(super) fn apply_tag(
    severity: &mut Option<Severity>,
    classification: &mut Option<String>,
    tags: &mut Vec<String>,
    tag: &str,
) {
    // Compared without a lowercased copy: only a classification keeps one.
    let t = tag.trim();
    if let Some(s) = Severity::from_word(t).filter(|_| !t.contains(' ')) {
        severity.get_or_insert(s);
        return;
    }
    let is_class = ["regression", "gap", "enhancement"]
        .iter()
        .any(|w| t.eq_ignore_ascii_case(w));
    if is_class && classification.is_none() {
        *classification = Some(t.to_ascii_lowercase());
    } else if !t.is_empty() && !tags.iter().any(|x| x == t) {
        tags.push(t.to_string());
    }
}

pub(super) fn first_severity_word(s: &str) -> Option<Severity> {
    // Alphanumeric words, so `P1` reads as a priority.
    s.split(|c: char| !c.is_alphanumeric())
        .find_map(Severity::from_word)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`plain_words`] as it was: each run read a byte at a time through
    /// `get`.
    fn plain_words_by_gets<'a>(
        inner: &'a str,
        words: &mut [&'a str; PLAIN_WORDS],
    ) -> Option<usize> {
        let b = inner.as_bytes();
        let mut n = 0;
        let mut i = 0;
        loop {
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
            let start = i;
            while b
                .get(i)
                .is_some_and(|c| c.is_ascii_lowercase() || *c == b'-')
            {
                i += 1;
            }
            let end = i;
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
            if !matches!(b.get(i), None | Some(b',' | b';' | b'/')) {
                return None;
            }
            if end > start {
                // A word of one letter is left to the item reading, as
                // `plain_tag_word` leaves it.
                let plain = match &b[start..end] {
                    [first, .., last] => first.is_ascii_lowercase() && last.is_ascii_lowercase(),
                    _ => false,
                };
                if !plain || end - start > 40 || n == PLAIN_WORDS {
                    return None;
                }
                // The cuts are at ASCII bytes, so at char boundaries.
                words[n] = &inner[start..end];
                n += 1;
            }
            if i >= b.len() {
                return Some(n);
            }
            i += 1;
        }
    }

    /// [`apply_plain_words`] as it was: every word classed first, then all
    /// applied when one is known.
    fn apply_plain_words_classed_first(
        words: &[&str],
        severity: &mut Option<Severity>,
        classification: &mut Option<String>,
        tags: &mut Vec<String>,
    ) -> bool {
        let mut kinds = [WordKind::Unknown; PLAIN_WORDS];
        let mut known = false;
        for (kind, w) in kinds.iter_mut().zip(words) {
            *kind = word_kind(w);
            known |= *kind != WordKind::Unknown;
        }
        if known {
            for (&w, &kind) in words.iter().zip(&kinds) {
                apply_tag_word(severity, classification, tags, w, kind);
            }
        }
        known
    }

    proptest::proptest! {
        /// Words applied as they are classed, from the first known one on,
        /// set what classing them all first set.
        #[test]
        fn plain_words_applied_in_one_pass_agree_with_classing_first(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "critical", "gap", "regression", "enhancement", "x-y", "foo", "nit", "high",
                    "in-scope", "future", "blocker", "minor", "low", "bar", "out-of-scope",
                ]),
                0..=PLAIN_WORDS,
            ),
            prior_class in proptest::option::of(proptest::sample::select(vec!["gap", "regression"])),
            prior_sev in proptest::option::of(proptest::sample::select(vec![Severity::Critical, Severity::Suggestion])),
            prior_tags in proptest::collection::vec(proptest::sample::select(vec!["foo", "future", "x"]), 0..2),
        ) {
            let start = || {
                let tags: Vec<String> = prior_tags.iter().map(|t| t.to_string()).collect();
                (prior_sev, prior_class.map(str::to_string), tags)
            };
            let (mut s1, mut c1, mut t1) = start();
            let (mut s2, mut c2, mut t2) = start();
            let a = apply_plain_words(&words, &mut s1, &mut c1, &mut t1);
            let b = apply_plain_words_classed_first(&words, &mut s2, &mut c2, &mut t2);
            proptest::prop_assert_eq!((a, s1, c1, t1), (b, s2, c2, t2), "{:?}", words);
        }
    }

    proptest::proptest! {
        /// The usual ` (...)` told by its three bytes is the group trimming
        /// finds.
        #[test]
        fn a_lone_group_told_by_its_bytes_agrees_with_the_trim(
            s in "[ \t\n()a,é]{0,8}",
        ) {
            let trimmed = s.trim_ascii().strip_prefix('(').and_then(|r| r.strip_suffix(')'));
            proptest::prop_assert_eq!(lone_group(&s), trimmed, "{:?}", s);
        }
    }

    proptest::proptest! {
        /// The usual group told by its bytes is applied as its words are,
        /// and groups near it are read in words.
        #[test]
        fn the_usual_group_is_applied_as_its_words(
            sev in proptest::sample::select(vec![
                "critical", "important", "suggestion", "Critical", "minor", "high", "critica",
                "importants", "", "suggestion,",
            ]),
            sep in proptest::sample::select(vec![", ", ",", " , ", ",  ", "; ", " ", ", ,"]),
            class in proptest::sample::select(vec![
                "regression", "gap", "enhancement", "gaps", "Gap", "future", "pre-existing",
                "", "gap ", "regression, gap", "enhancement (x)", "ga",
            ]),
            prior_class in proptest::option::of(proptest::sample::select(vec!["gap", "regression"])),
            prior_sev in proptest::option::of(proptest::sample::select(vec![Severity::Critical, Severity::Suggestion])),
            prior_tags in proptest::collection::vec(proptest::sample::select(vec!["gap", "future"]), 0..2),
        ) {
            let inner = format!("{sev}{sep}{class}");
            let s = format!(" ({inner})");
            let (mut s1, mut c1, mut t1) = (prior_sev, prior_class.map(String::from), prior_tags.iter().map(|t| t.to_string()).collect::<Vec<_>>());
            let (mut s2, mut c2, mut t2) = (s1, c1.clone(), t1.clone());
            let a = apply_lone_plain_group(&s, &mut s1, &mut c1, &mut t1);
            let b = apply_lone_plain_words(&inner, &mut s2, &mut c2, &mut t2);
            proptest::prop_assert_eq!((a, s1, c1, t1), (b, s2, c2, t2), "{}", s);
        }
    }

    proptest::proptest! {
        /// Runs found through the byte table are the runs read byte by byte.
        #[test]
        fn plain_words_by_table_agree_with_the_byte_reading(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    ",", ";", "/", " ", "  ", "critical", "gap", "-", "a-b", "-a", "a-", "x",
                    "é", "\t", "A", "in-scope", "abcdefghijklmnopqrstuvwxyzabcdefghijklmn", "(",
                    ")", "\u{a0}", "_", "`", "1", "{", "@", "z", "a",
                ]),
                0..12,
            )
        ) {
            let inner = parts.concat();
            let (mut a, mut b) = ([""; PLAIN_WORDS], [""; PLAIN_WORDS]);
            let read = plain_words(&inner, &mut a).map(|n| a[..n].to_vec());
            let by_gets = plain_words_by_gets(&inner, &mut b).map(|n| b[..n].to_vec());
            proptest::prop_assert_eq!(read, by_gets, "{}", inner);
        }
    }

    proptest::proptest! {
        /// A lone group of plain words read where it lies is what the
        /// search for groups reads.
        #[test]
        fn a_lone_group_agrees_with_the_group_search(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "(", ")", " ", "\t", "\n", "\u{a0}", ",", ";", "/", "critical", "gap",
                    "important", "in-scope", "x", "-", "a-", "Gap", "é", "*", "`", "high",
                    "nit", "regression", "future", "abcdefghijklmnopqrstuvwxyzabcdefghijklmno",
                ]),
                0..10,
            ),
            prior_class in proptest::option::of(proptest::sample::select(vec!["gap", "regression"])),
            prior_sev in proptest::option::of(proptest::sample::select(vec![Severity::Critical, Severity::Suggestion])),
            wrap in proptest::bool::ANY,
        ) {
            // Half the texts are given the shape of a lone group.
            let inner = parts.concat();
            let s = if wrap { format!(" ({inner}) ") } else { inner };
            let start = || (prior_sev, prior_class.map(str::to_string), vec!["x".to_string()]);
            let (mut s1, mut c1, mut t1) = start();
            let (mut s2, mut c2, mut t2) = start();
            let a = apply_tag_groups(&s, &mut s1, &mut c1, &mut t1);
            let b = apply_found_tag_groups(&s, &mut s2, &mut c2, &mut t2);
            proptest::prop_assert_eq!((a, s1, c1, t1), (b, s2, c2, t2), "{}", s);
        }
    }
}
