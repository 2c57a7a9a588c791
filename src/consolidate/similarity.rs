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
//! Token sets are sorted vectors of 64-bit token keys, not sets of strings: the
//! engine compares every cross-agent pair of findings, and intersecting integer
//! vectors is what keeps that cheap. The hash is fixed (not randomly seeded), so
//! scores are the same on every run and platform. Features are extracted in one
//! pass per text part (its words and identifiers together, for ASCII text
//! without backticks) without a `String` per word, and clustering asks
//! [`signals_reaching`], which refuses a pair as soon as an exact upper bound
//! shows it can neither reach the threshold nor be anchored: first from its
//! file names, identifiers and title sizes (`may_anchor`), then with every
//! signal but the body exact and every body word shared; only the pairs left
//! get the body signal.

use std::fmt::Display;

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
/// sorted, deduplicated 64-bit keys of the tokens (fixed keys: a short token
/// packed into the integer, a longer one hashed).
#[derive(Debug, Clone, Default)]
pub struct TokenSet {
    keys: Vec<u64>,
    /// One bit per key ([`signature_bit`]), set for every key: two sets whose
    /// signatures share no bit share no token, which most pairs show without
    /// walking their keys. A finding's words have every bit set instead
    /// ([`TokenSet::from_hashes_unsigned`]): some 25 keys set most of the 64
    /// bits, so their signature would almost never tell two sets apart.
    /// Only ever more bits than its keys', so it never hides a shared token;
    /// it is not compared by `==`.
    signature: u64,
}

/// Sets are equal when their keys are: the signature follows from them, or
/// has every bit set (`TokenSet::from_hashes_unsigned`), and either way
/// tells the same pairs apart.
impl PartialEq for TokenSet {
    fn eq(&self, other: &TokenSet) -> bool {
        self.keys == other.keys
    }
}

impl Eq for TokenSet {}

/// The bit of a key in a [`TokenSet`]'s signature (its top six bits after a
/// multiplication, so that packed words differing in any byte spread).
fn signature_bit(key: u64) -> u64 {
    1 << (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58)
}

impl TokenSet {
    /// Number of distinct tokens.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// True when `token` (already normalised) is in the set.
    pub fn contains(&self, token: &str) -> bool {
        self.keys.binary_search(&token_key(token)).is_ok()
    }

    /// Number of tokens in both sets.
    pub fn common(&self, other: &TokenSet) -> usize {
        if self.signature & other.signature == 0 {
            return 0;
        }
        // A branch-free merge: which side advances is data, not a jump, so the
        // loop does not stall on mispredictions (it runs for every pair).
        let (a, b) = (&self.keys[..], &other.keys[..]);
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            let (x, y) = (a[i], b[j]);
            n += usize::from(x == y);
            i += usize::from(x <= y);
            j += usize::from(y <= x);
        }
        n
    }

    /// The sorted keys, for sets of keys of the caller's own (the
    /// clustering's per-round bit sets).
    pub(crate) fn keys(&self) -> &[u64] {
        &self.keys
    }

    /// True when no token is in both sets.
    pub fn is_disjoint(&self, other: &TokenSet) -> bool {
        self.common(other) == 0
    }

    /// Adds every token of `other`.
    pub fn extend(&mut self, other: &TokenSet) {
        self.keys.extend_from_slice(&other.keys);
        self.keys.sort_unstable();
        self.keys.dedup();
        self.signature |= other.signature;
    }
}

impl TokenSet {
    /// The set of `hashes` (any order, repeats allowed). Inline, so that the
    /// empty lists (most findings name no identifier and quote no code: three
    /// of a finding's five sets) are sets as they are, without the call that
    /// sorts.
    #[inline]
    fn from_hashes(hashes: Vec<u64>) -> TokenSet {
        if hashes.is_empty() {
            return TokenSet {
                keys: hashes,
                signature: 0,
            };
        }
        TokenSet::from_unsorted::<true>(hashes)
    }

    /// [`TokenSet::from_hashes`] with every bit of the signature set (none
    /// when empty), for a finding's words: the signature of some 25 keys
    /// would have most of its 64 bits set and refuse almost no pair, and
    /// folding it cost about five instructions a key (over 300,000 keys in
    /// the synthetic rounds).
    #[inline]
    fn from_hashes_unsigned(hashes: Vec<u64>) -> TokenSet {
        if hashes.is_empty() {
            return TokenSet {
                keys: hashes,
                signature: 0,
            };
        }
        TokenSet::from_unsorted::<false>(hashes)
    }

    /// [`TokenSet::from_hashes`] of a list that is not empty; its signature
    /// folded from its keys when `SIGNED`, every bit otherwise.
    fn from_unsorted<const SIGNED: bool>(mut hashes: Vec<u64>) -> TokenSet {
        hashes.sort_unstable();
        let signature = dedup_sorted::<SIGNED>(&mut hashes);
        TokenSet {
            keys: hashes,
            signature,
        }
    }
}

/// `Vec::dedup` of a sorted list without a branch on the data, and the
/// [`TokenSet`] signature of its keys, in one pass: each value is written to
/// the next slot, which advances only past a new value (a set of words has as
/// many repeats as not, and every finding builds five; measured: `check` took
/// 2–3% less time than with `Vec::dedup`). A value is new when it differs from
/// the one read before it, held in a register, not read back from the list.
/// Without `SIGNED` the signature is every bit, and no key's bit is taken.
fn dedup_sorted<const SIGNED: bool>(v: &mut Vec<u64>) -> u64 {
    let Some(&first) = v.first() else {
        return 0;
    };
    let (mut kept, mut previous, mut signature) = (1, first, signature_bit(first));
    for i in 1..v.len() {
        let x = v[i];
        // Never out of bounds (`kept <= i`): indexed, its test is a compare
        // and a jump never taken, where `get_mut` made the store a branch
        // of its own, jumped over and back (a jump more for each key).
        v[kept] = x;
        kept += usize::from(x != previous);
        previous = x;
        if SIGNED {
            signature |= signature_bit(x);
        }
    }
    v.truncate(kept);
    if SIGNED { signature } else { u64::MAX }
}

impl<S: AsRef<str>> FromIterator<S> for TokenSet {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> TokenSet {
        TokenSet::from_hashes(iter.into_iter().map(|t| token_key(t.as_ref())).collect())
    }
}

/// The 64-bit key of a token: fixed, so keys never vary between runs or machines.
///
/// A token of at most 8 ASCII bytes, none of them zero, is its own key, packed
/// into the integer (top bit of every byte clear): most words are that short,
/// and two of them get equal keys only when they are equal. A longer or
/// non-ASCII token is hashed 8 bytes at a time and gets the top bit set, so it
/// never takes the key of a short one. (Byte-at-a-time FNV-1a was a serial
/// multiply per byte: the largest cost of computing a finding's features.)
fn token_key(token: &str) -> u64 {
    let b = token.as_bytes();
    if b.len() <= 8 && b.iter().all(|&c| c != 0 && c < 0x80) {
        return pack(b);
    }
    hashed_key(b, b.len(), 0)
}

/// The hashed [`token_key`] of the first `len` bytes of `b` (at most its
/// length), each 8-byte chunk (the last zero-padded) ORed with `or` first: 0
/// for the bytes as they are, `0x2020_2020_2020_2020` to lowercase ASCII
/// letters and digits.
///
/// The whole chunks are read as they are, with no mask; a last chunk of one
/// to seven bytes is the eight bytes that end the `len` bytes shifted down
/// (when there are eight), not a copy of a variable length. A loop that
/// measured, read at its bounds and masked every chunk took about 25
/// instructions a chunk (a long word's key has two or three).
#[inline]
fn hashed_key(b: &[u8], len: usize, or: u64) -> u64 {
    let mut h: u64 = 0x243f_6a88_85a3_08d3 ^ len as u64;
    let b = b.get(..len).unwrap_or(b);
    let mut chunks = b.chunks_exact(8);
    for chunk in chunks.by_ref() {
        if let Some(c) = chunk.first_chunk::<8>() {
            h = mix(h ^ (u64::from_le_bytes(*c) | or));
        }
    }
    let rest = chunks.remainder().len();
    if rest > 0 {
        let last = match b.last_chunk::<8>() {
            Some(end) => u64::from_le_bytes(*end) >> (8 * (8 - rest)),
            None => load(b),
        };
        h = mix(h ^ (last | (or & low_bytes(rest))));
    }
    h | 1 << 63
}

/// [`hashed_key`] as it was before [`chunk_at`]: each chunk read by
/// [`load_at`]. The reference its test checks.
#[cfg(test)]
fn hashed_key_by_load(b: &[u8], len: usize, or: u64) -> u64 {
    let mut h: u64 = 0x243f_6a88_85a3_08d3 ^ len as u64;
    let mut at = 0;
    while at < len {
        let n = (len - at).min(8);
        h = mix(h ^ (load_at(b, at, n) | (or & low_bytes(n))));
        at += 8;
    }
    h | 1 << 63
}

/// The [`token_key`] of the [`stem`] of a word of ASCII letters and digits
/// longer than eight bytes, lowercased, and the stem's length: read from the
/// word's bytes, not from a lowercased copy. Setting bit 5 of a letter or
/// digit lowercases it (and makes no other byte of such a word an `e`).
///
/// The suffix and the `e`s before it are read from the word's last eight
/// bytes as one integer, as [`stem_packed`] reads a short word: where the
/// form it replaced ([`long_word_key_by_bytes`], kept in the tests) compared
/// each suffix's bytes one by one and stripped the `e`s in a loop (about 110
/// instructions a word, for the 36,000 long words of the synthetic rounds).
/// Only a word whose eight bytes left after the suffix are all `e`s walks
/// on, byte by byte.
fn long_word_key(w: &[u8]) -> (u64, usize) {
    const LOWER: u64 = 0x2020_2020_2020_2020;
    let n = w.len();
    // The last eight bytes, lowercased, the last at the top of the integer (a
    // word shorter than eight, which the scan never has here, is shifted up:
    // the bytes below it are spaces once lowercased, which are in no suffix
    // and are no `e`).
    let top = match w.last_chunk::<8>() {
        Some(last) => u64::from_le_bytes(*last),
        None => load(w).checked_shl(8 * (8 - n as u32)).unwrap_or(0),
    } | LOWER;
    let (t2, t3) = (top >> 48, top >> 40);
    let cut = if t2 == pack(b"ss") {
        0
    } else if n >= 6 && t3 == pack(b"ing") {
        3
    } else if n >= 5 && (t2 == pack(b"ed") || t2 == pack(b"es")) {
        2
    } else {
        usize::from(n >= 4 && (top >> 56) as u8 == b's')
    };
    // The `e`s that end what is left, within the eight bytes read.
    let es = ((top << (8 * cut)) ^ pack(b"eeeeeeee")).leading_zeros() as usize / 8;
    let mut m = n - cut - es;
    if es == 8 - cut {
        // Every byte read after the suffix is an `e`: the ones before them too?
        while m > 0 && w[m - 1] | 0x20 == b'e' {
            m -= 1;
        }
    }
    let key = if m <= 8 {
        load_at(w, 0, m) | (LOWER & low_bytes(m))
    } else {
        hashed_key(w, m, LOWER)
    };
    (key, m)
}

/// The [`token_key`] of the [`basename`] of `path`. A name of at most eight
/// bytes is read as the path's last eight bytes shifted ([`chunk_at`]),
/// tested for a byte that is zero or not ASCII in one step, and is its own
/// key: no walk of its bytes to test them and to pack them
/// (`NormLocation::new` took 158 instructions a location, now 131).
fn file_name_key(path: &str) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let b = path.as_bytes();
    let n = basename(path).len();
    if n == 0 {
        return token_key("");
    }
    let name = &b[b.len() - n..];
    if n > 8 {
        return hashed_key(name, n, 0);
    }
    // The name's bytes, zero above them (none past the end of the path).
    let v = chunk_at(b, b.len() - n);
    // The lowest byte flagged is the lowest zero byte, exactly (a borrow
    // only flags bytes above a zero one): a zero byte of the name is one
    // flagged below its length.
    let zero = v.wrapping_sub(ONES) & !v & HIGH;
    if v & HIGH == 0 && (zero.trailing_zeros() / 8) as usize >= n {
        return v;
    }
    hashed_key(name, n, 0)
}

/// One multiply–xorshift round (the finaliser of MurmurHash3 / SplitMix64).
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A location with a normalised path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NormLocation {
    /// Lowercased path with `/` separators, no `./` prefix.
    pub path: String,
    /// First and last line, when known.
    pub lines: Option<(u32, u32)>,
    /// The key of the path's file name: two paths can only be the same file
    /// ([`same_file`]) when these are equal, and comparing them first spares
    /// comparing the paths of most location pairs. Last, so that it never
    /// changes the order (it follows from `path`).
    base: u64,
}

impl NormLocation {
    /// A location with an already normalised path.
    pub fn new(path: String, lines: Option<(u32, u32)>) -> NormLocation {
        let base = file_name_key(&path);
        NormLocation { path, lines, base }
    }

    /// The key of the path's file name: paths of different keys are never
    /// the same file ([`same_file`]), which the clustering's per-round table
    /// of files uses to compare only paths of one file name.
    pub(crate) fn name_key(&self) -> u64 {
        self.base
    }
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
    /// The [`signature_bit`] of each location's file-name key, together: two
    /// findings whose file names share no bit share no file name, which most
    /// pairs show without walking their locations. It follows from
    /// `locations`, so it never makes two features unequal.
    file_names: u64,
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
    ///
    /// One pass per text part: the identifiers of `title + body + fix` are the
    /// union of each part's (a backticked span never crosses a line), and so are
    /// the words; the title's pass also yields the title key.
    pub fn of(f: &RawFinding) -> Features {
        let locations: Vec<NormLocation> = f.locations.iter().map(normalize_location).collect();
        let file_names = locations.iter().fold(0, |s, l| s | signature_bit(l.base));
        // Only for what the one-pass scan does not read (code lines, code
        // words, text with a backtick or not ASCII): most findings need none.
        let mut scratch = String::new();
        // Bytes of whole words of a `str` and spaces: UTF-8, checked once.
        let mut title_key = Vec::with_capacity(f.title.len());
        // About one word in six bytes of prose: one allocation, not a doubling series.
        let text_len = f.title.len() + f.body.len() + f.fix.as_ref().map_or(0, String::len);
        let mut word_hashes = Vec::with_capacity(text_len / 6 + 4);
        let mut id_hashes = Vec::new();
        let mut keys = TextKeys {
            words: &mut word_hashes,
            identifiers: &mut id_hashes,
            scratch: &mut scratch,
        };
        keys.add(&f.title, &mut title_key);
        let title_words = TokenSet::from_hashes(keys.words.clone());
        let title_identifiers = TokenSet::from_hashes(keys.identifiers.clone());
        keys.add(&f.body, &mut ());
        if let Some(fix) = &f.fix {
            keys.add(fix, &mut ());
        }
        let mut code_hashes = Vec::new();
        // A loop per block, not one over the blocks' lines flattened: most
        // findings quote no code, and setting up the flattened iterator
        // (its front and back line iterators) cost about 40 instructions.
        for block in &f.code_blocks {
            for line in block.lines() {
                if code_line_into(line, &mut scratch) {
                    code_hashes.push(token_key(&scratch));
                }
            }
        }
        Features {
            locations,
            identifiers: TokenSet::from_hashes(id_hashes),
            title_identifiers,
            title_words,
            words: TokenSet::from_hashes_unsigned(word_hashes),
            code_lines: TokenSet::from_hashes(code_hashes),
            title_key: String::from_utf8(title_key).unwrap_or_default(),
            file_names,
        }
    }
}

/// Normalises a repository path for comparison.
pub fn normalize_path(path: &str) -> String {
    if is_normal_path(path) {
        return path.to_string();
    }
    normalize_path_copied(path)
}

/// True when [`normalize_path`] leaves `path` as it is, decided in one pass
/// over its bytes (most paths are: no white space or backtick at either end,
/// no `./` prefix, no backslash, no capital, ASCII). Any byte up to a space
/// counts as white space at an end: such a path takes the long way, which
/// trims what it must. Public for the retro, which borrows a normal path.
pub fn is_normal_path(path: &str) -> bool {
    let b = path.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return true;
    };
    first > b' '
        && first != b'`'
        && first != b'.'
        && last > b' '
        && last != b'`'
        && !has_abnormal_byte(b)
}

/// True when a byte of `b` is not ASCII, or is a backslash or a capital:
/// eight bytes at a time ([`is_normal_path`] tested them one by one).
fn has_abnormal_byte(b: &[u8]) -> bool {
    let mut chunks = b.chunks_exact(8);
    if chunks.by_ref().any(|c| {
        c.first_chunk::<8>()
            .is_some_and(|c| abnormal_bytes(u64::from_le_bytes(*c)))
    }) {
        return true;
    }
    let rest = chunks.remainder();
    // The last eight bytes, some of them tested again, when the path has them.
    !rest.is_empty()
        && match b.last_chunk::<8>() {
            Some(last) => abnormal_bytes(u64::from_le_bytes(*last)),
            None => abnormal_bytes(load(rest)),
        }
}

/// True when one of the eight bytes of `x` is not ASCII, a backslash or a
/// capital (a zero byte is none of these).
fn abnormal_bytes(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if x & HIGH != 0 {
        return true;
    }
    // ASCII bytes from here: adding never carries into the next byte, and
    // the lowest byte flagged as zero is always a zero byte.
    let zero = |y: u64| y.wrapping_sub(ONES) & !y & HIGH;
    let capital = x.wrapping_add(ONES * 0x3f) & !x.wrapping_add(ONES * 0x25) & HIGH;
    capital | zero(x ^ (ONES * u64::from(b'\\'))) != 0
}

/// [`normalize_path`] of a path that [`is_normal_path`] does not pass (and, in
/// the tests, of any path: the form it had before that test).
fn normalize_path_copied(path: &str) -> String {
    let trimmed = path.trim().trim_matches('`');
    if !trimmed.is_ascii() {
        return normalize_path_by_chars(trimmed);
    }
    // An ASCII path: the `./` prefixes (either slash) are skipped before the one
    // copy, which is lowercased in place.
    let mut rest = trimmed;
    while let Some(r) = rest.strip_prefix("./").or_else(|| rest.strip_prefix(".\\")) {
        rest = r;
    }
    let mut p = if rest.contains('\\') {
        rest.replace('\\', "/")
    } else {
        rest.to_string()
    };
    p.make_ascii_lowercase();
    p
}

/// [`normalize_path`] of any text, character by character.
fn normalize_path_by_chars(path: &str) -> String {
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
    NormLocation::new(normalize_path(&l.path), lines)
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
    // The last `/` found from the end in one search, not a splitting iterator.
    match last_slash(path.as_bytes()) {
        Some(slash) => path.get(slash + 1..).unwrap_or_default(),
        None => path,
    }
}

/// The position of the last `/` of `b`: its last eight bytes tested at
/// once, then the eight before them, and so on; the first bytes left over
/// (all of a path shorter than eight) one by one. A file name is about ten
/// bytes, and a search a byte at a time took about seven instructions a
/// byte (every finding's location asks for its file name).
fn last_slash(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut end = b.len();
    while let Some(chunk) = b.get(..end).and_then(<[u8]>::last_chunk::<8>) {
        let y = u64::from_le_bytes(*chunk) ^ (ONES * u64::from(b'/'));
        // Bit 7 of each byte of `y` that is zero, exactly: each byte is
        // tested on its own (no borrow from one byte into the next), so the
        // highest bit set is the last slash.
        let slashes = !(((y & LOW7) + LOW7) | y | LOW7);
        if slashes != 0 {
            return Some(end - 8 + (63 - slashes.leading_zeros() as usize) / 8);
        }
        end -= 8;
    }
    b.get(..end)?.iter().rposition(|&c| c == b'/')
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
    location_facts(a, b, rules).best
}

/// What the locations of a pair say, from one pass over the same-file pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LocationFacts {
    /// Some location of one finding is in a file of the other.
    shared: bool,
    /// The location signal ([`location_signal`]).
    best: u32,
    /// [`ranges_apart`].
    apart: bool,
}

fn location_facts(a: &[NormLocation], b: &[NormLocation], rules: &ClusterRules) -> LocationFacts {
    let mut facts = LocationFacts {
        shared: false,
        best: 0,
        apart: true,
    };
    for x in a {
        for y in b {
            if x.base != y.base || !same_file(&x.path, &y.path) {
                continue;
            }
            facts.shared = true;
            let (s, apart) = same_file_score(x, y, rules);
            facts.apart &= apart;
            facts.best = facts.best.max(s);
        }
    }
    facts.apart &= facts.shared;
    facts
}

/// [`location_facts`], with the pair of one location each (most findings
/// cite one) read where it is called: the call and the walk's setup cost
/// more than the pair's own test and score. Forced inline: once
/// [`Frame::named`] was inlined into `signals_of_anchorable`, the compiler
/// made this a call of its own again (about 30 instructions a pair).
#[inline(always)]
fn location_facts_of(
    a: &[NormLocation],
    b: &[NormLocation],
    rules: &ClusterRules,
) -> LocationFacts {
    match (a, b) {
        ([x], [y]) => {
            if x.base != y.base || !same_file(&x.path, &y.path) {
                return LocationFacts {
                    shared: false,
                    best: 0,
                    apart: false,
                };
            }
            let (best, apart) = same_file_score(x, y, rules);
            LocationFacts {
                shared: true,
                best,
                apart,
            }
        }
        _ => location_facts(a, b, rules),
    }
}

/// The location score of two locations in one file, and whether their
/// ranges are apart (lines on both sides that do not overlap).
#[inline]
fn same_file_score(x: &NormLocation, y: &NormLocation, rules: &ClusterRules) -> (u32, bool) {
    match (x.lines, y.lines) {
        (Some(r1), Some(r2)) => {
            let window = rules.line_window.max(1);
            let d = line_gap(r1, r2);
            if d == 0 {
                (1000, false)
            } else if d <= window {
                // Linear from 1.0 next door down to 0.3 at the window edge.
                ((1000 - 700 * d / window).max(rules.far_score), true)
            } else {
                (rules.far_score, true)
            }
        }
        _ => (rules.file_only_score, false),
    }
}

/// True when the two findings share a file, but every same-file pair of locations
/// has lines on both sides and the ranges do not overlap. (The engine takes it
/// from [`location_facts`]; this plain walk is the reference its test checks.)
#[cfg(test)]
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
    let mut s = signals_but_body(a, b, rules, a.title_words.common(&b.title_words));
    s.body = dice(&a.words, &b.words);
    s
}

/// The signals of a pair when it can pass `threshold` and be anchored, `None` when
/// it cannot. Cheapest first: `may_anchor`; then which signals the pair has
/// (`Frame`: the shared title identifier and the location facts) and every
/// signal but the body, whose upper bound (every word of the smaller set
/// shared) must still lift the pair over the threshold and anchor it; the
/// body last (the costliest, the largest sets). Given which signals are present,
/// score and anchor both grow with each signal, so a pair refused at any step
/// fails them with the true values.
///
/// A bound on every signal from the sizes of the sets alone came between
/// the frame and the exact signals (`Frame::may_reach`) while every pair that
/// shared a file name or a title word got here; behind the clustering's
/// sieve it refused none of the 17,186 pairs of the synthetic rounds that
/// get here, and cost a hundred instructions each.
///
/// The pair's title words are merged; the clustering keeps them as bit sets
/// of its round instead ([`signals_reaching_named`]).
pub fn signals_reaching(
    a: &Features,
    b: &Features,
    rules: &ClusterRules,
    threshold: u32,
) -> Option<Signals> {
    let named = shares_file_name(a, b);
    signals_reaching_named(a, b, rules, threshold, named, &TitleRows::default(), (0, 0))
}

/// [`signals_reaching`], told by the caller whether the pair may share a
/// file: `named` is false only when no location of one finding is in a file
/// of the other ([`same_file`]). `shares_file_name` is such a test, and so
/// are the clustering's bits of a round's paths (exact) and, past 64 paths,
/// of its file names (`cluster::Sieve`). With the exact one, a
/// pair whose file names agree but whose files differ (`cmd/config.go` and
/// `pkg/config.go`: two thirds of the pairs sharing a file name in the
/// synthetic rounds) must pass `may_anchor` on its identifiers or title,
/// and costs no walk of its locations. A location signal of 0 never anchors
/// and such a pair's facts are those of no shared file, so the result is the
/// same whichever test the caller takes.
///
/// `title_rows` are the title words of the round's findings as bit sets,
/// when the caller keeps them (the clustering does), or none
/// ([`TitleRows::default`]); `at` are the rows of `a` and `b`. The rows are
/// the round's, taken by reference, and the pair's rows two numbers: a
/// pair's own rows, a copy of four words made for every pair of the loop,
/// cost six instructions a pair.
///
/// Inlined where it is called, so that the pairs refused by `may_anchor`
/// (most of those the clustering's sieve lets through) cost no call of the
/// larger rest, `signals_of_anchorable`.
#[inline]
pub fn signals_reaching_named(
    a: &Features,
    b: &Features,
    rules: &ClusterRules,
    threshold: u32,
    named: bool,
    title_rows: &TitleRows<'_>,
    at: (usize, usize),
) -> Option<Signals> {
    if !may_anchor(a, b, rules, named, title_rows, at) {
        return None;
    }
    signals_of_anchorable(a, b, rules, threshold, named, title_rows, at)
}

/// The title words of a round's findings as bit sets over the round's
/// distinct title words (bit `k`: its `k`-th word), so that the words a pair
/// shares are counted with an AND of a word or two instead of a merge of
/// their sorted keys (the title-word merge of every cross-agent pair was a
/// fifth of clustering). `bits` holds each finding's row of `words` words,
/// one after the other. No bits (the default, `words` 0) stand for none
/// kept: the keys are merged.
#[derive(Debug, Clone, Copy, Default)]
pub struct TitleRows<'r> {
    /// The rows of a round.
    pub bits: &'r [u64],
    /// Words of one row.
    pub words: usize,
}

impl TitleRows<'_> {
    /// The title words shared by rows `a` and `b`: [`TokenSet::common`] of
    /// `x` and `y`, the title words the rows stand for. Rows are taken only
    /// here, so that a pair that never counts its title words costs no
    /// slicing.
    #[inline]
    pub fn common(&self, (a, b): (usize, usize), x: &TokenSet, y: &TokenSet) -> usize {
        let w = self.words;
        if w == 1 {
            if let (Some(p), Some(q)) = (self.bits.get(a), self.bits.get(b)) {
                return ones(p & q);
            }
        } else if let (Some(p), Some(q)) = (
            self.bits.get(a * w..(a + 1) * w),
            self.bits.get(b * w..(b + 1) * w),
        ) {
            if w > 0 {
                return p.iter().zip(q).map(|(u, v)| ones(u & v)).sum();
            }
        }
        merged(x, y)
    }
}

/// [`TokenSet::common`] out of line: the merge, rare where bits are kept,
/// would keep [`TitleRows::common`] from being inlined into the pair loop.
#[inline(never)]
fn merged(x: &TokenSet, y: &TokenSet) -> usize {
    x.common(y)
}

/// The set bits of `x`, one step each: two titles share few words, and
/// without the `popcnt` instruction (not in the baseline x86-64 target)
/// `count_ones` is a dozen steps whatever the count.
fn ones(mut x: u64) -> usize {
    let mut n = 0;
    while x != 0 {
        x &= x - 1;
        n += 1;
    }
    n
}

/// [`signals_reaching`] of a pair that [`may_anchor`] passes; `named` is
/// false only when the pair shares no file ([`signals_reaching_named`]).
#[inline(never)]
fn signals_of_anchorable(
    a: &Features,
    b: &Features,
    rules: &ClusterRules,
    threshold: u32,
    named: bool,
    title_rows: &TitleRows<'_>,
    at: (usize, usize),
) -> Option<Signals> {
    let frame = Frame::named(a, b, rules, named);
    let title_common = title_rows.common(at, &a.title_words, &b.title_words);
    let mut s = frame.signals_but_body(a, b, rules, title_common);
    s.body = dice_bound(&a.words, &b.words);
    if !s.reaches(rules, threshold) || !s.anchored(rules) {
        return None;
    }
    s.body = dice(&a.words, &b.words);
    Some(s)
}

/// False when the pair cannot be [`Signals::anchored`], from what costs least
/// to test; true when it may be. Most pairs of a round fail it: they share no
/// file name (no location signal above 0), no identifier (an identifier signal
/// of 0), and too few title words for the title anchor. A rule that lets a
/// signal of 0 anchor turns the test off.
/// `named` is false only when the pair shares no file
/// ([`signals_reaching_named`]); the title words shared are counted from
/// `title_rows` at rows `at` (only when the sizes let the title anchor).
#[inline]
fn may_anchor(
    a: &Features,
    b: &Features,
    rules: &ClusterRules,
    named: bool,
    title_rows: &TitleRows<'_>,
    at: (usize, usize),
) -> bool {
    if rules.anchor_location == 0 || rules.anchor_identifiers == 0 {
        return true;
    }
    named
        || !a.identifiers.is_disjoint(&b.identifiers)
        || dice_reaches(&a.title_words, &b.title_words, rules.anchor_title, || {
            title_rows.common(at, &a.title_words, &b.title_words)
        })
}

/// True when a location of each finding has the same file name's key: only
/// then can they share a file ([`same_file`]). The file-name signatures tell
/// most pairs without walking their locations.
#[inline]
pub(crate) fn shares_file_name(a: &Features, b: &Features) -> bool {
    a.file_names & b.file_names != 0
        && a.locations
            .iter()
            .any(|x| b.locations.iter().any(|y| x.base == y.base))
}

/// `dice(a, b) >= min`, without a division, and without counting the shared
/// tokens (`common`, the count of [`TokenSet::common`]) when even sharing
/// every token of the smaller set falls short.
#[inline]
fn dice_reaches(a: &TokenSet, b: &TokenSet, min: u32, common: impl FnOnce() -> usize) -> bool {
    let total = (a.len() + b.len()) as u64;
    let min = u64::from(min);
    if total == 0 {
        return min == 0;
    }
    // `2000 * n / total >= min` exactly when `2000 * n >= min * total`.
    let reaches = |n: usize| 2000 * n as u64 >= min * total;
    reaches(a.len().min(b.len())) && reaches(common())
}

/// Every signal of a pair except `body` (left at 0); the pair shares
/// `title_common` title words.
fn signals_but_body(
    a: &Features,
    b: &Features,
    rules: &ClusterRules,
    title_common: usize,
) -> Signals {
    Frame::of(a, b, rules).signals_but_body(a, b, rules, title_common)
}

/// What decides which signals a pair has, and its location signal: the cheap
/// part of [`signals_but_body`].
struct Frame {
    /// Both findings have locations.
    both_located: bool,
    /// Both titles name the same code identifier: the findings are about the same
    /// thing, wherever they cite it. One issue is often cited where it is caused in
    /// one file and where it bites in another; then the files differ and the quoted
    /// code cannot share lines, so location and code say nothing about the pair.
    same_subject: bool,
    /// One pass over the location pairs serves the cross-file test, the location
    /// signal and `ranges_apart` (each used to walk them again).
    facts: LocationFacts,
}

impl Frame {
    fn of(a: &Features, b: &Features, rules: &ClusterRules) -> Frame {
        Frame::named(a, b, rules, true)
    }

    /// [`Frame::of`], told whether the pair may share a file (false only
    /// when it shares none, [`signals_reaching_named`]; true when not known):
    /// a pair that shares none costs no walk
    /// of its locations (most pairs that [`may_anchor`] passes on their
    /// identifiers or titles).
    ///
    /// Forced inline, like [`Frame::signals_but_body`]: left to itself the
    /// compiler called both from `signals_of_anchorable` (one call each for
    /// every pair that reaches it), and their frames' setup, with the
    /// `Frame` passed through memory, cost about 34 instructions a pair.
    #[inline(always)]
    fn named(a: &Features, b: &Features, rules: &ClusterRules, named: bool) -> Frame {
        let facts = if named {
            location_facts_of(&a.locations, &b.locations, rules)
        } else {
            LocationFacts {
                shared: false,
                best: 0,
                apart: false,
            }
        };
        Frame {
            both_located: !a.locations.is_empty() && !b.locations.is_empty(),
            same_subject: !a.title_identifiers.is_disjoint(&b.title_identifiers),
            facts,
        }
    }

    /// The shared subject is cited in different files: location and code do not
    /// count.
    fn subject_across_files(&self) -> bool {
        self.same_subject && self.both_located && !self.facts.shared
    }

    /// The location signal, when the pair has one.
    fn location(&self) -> Option<u32> {
        (self.both_located && !self.subject_across_files()).then_some(self.facts.best)
    }

    /// The floor of the identifier overlap's denominator: one incidental shared
    /// identifier does not count as a full match; an identifier both titles name
    /// is the subject, not incidental.
    fn identifier_floor(&self, rules: &ClusterRules) -> u32 {
        if self.same_subject {
            1
        } else {
            rules.identifier_min_denominator
        }
    }

    /// Whether the code signal is present.
    fn has_code(&self, a: &Features, b: &Features) -> bool {
        !a.code_lines.is_empty() && !b.code_lines.is_empty() && !self.subject_across_files()
    }

    /// Every signal of the pair except `body` (left at 0); the pair shares
    /// `title_common` title words. Forced inline ([`Frame::named`] tells why).
    #[inline(always)]
    fn signals_but_body(
        &self,
        a: &Features,
        b: &Features,
        rules: &ClusterRules,
        title_common: usize,
    ) -> Signals {
        let identifiers = (!a.identifiers.is_empty() && !b.identifiers.is_empty())
            .then(|| overlap(&a.identifiers, &b.identifiers, self.identifier_floor(rules)));
        let code = self
            .has_code(a, b)
            .then(|| overlap(&a.code_lines, &b.code_lines, 2));
        Signals {
            location: self.location(),
            identifiers,
            title: dice_of(title_common, &a.title_words, &b.title_words),
            body: 0,
            code,
            ranges_apart: self.facts.apart,
        }
    }
}

/// The mean `sum / total`, permille: 0 without weights, 1000 past `u32`.
fn mean_of(sum: u64, total: u64) -> u32 {
    if total == 0 {
        return 0;
    }
    u32::try_from(sum / total).unwrap_or(1000)
}

/// `mean_of(sum, total) >= threshold`, with a product for the division:
/// `sum / total >= t` exactly when `sum >= t * total` (in `u128`, which holds
/// the product), once a quotient past `u32` (taken as 1000) is set apart.
fn mean_reaches(sum: u64, total: u64, threshold: u32) -> bool {
    if total == 0 {
        return threshold == 0;
    }
    // `sum / total >= 2^32` exactly when `sum / 2^32 >= total`.
    if sum >> 32 >= total {
        return threshold <= 1000;
    }
    u128::from(sum) >= u128::from(threshold) * u128::from(total)
}

impl Signals {
    /// The weighted score, permille: signals missing on a side do not count.
    pub fn score(&self, rules: &ClusterRules) -> u32 {
        let (sum, total) = self.weighted(rules);
        mean_of(sum, total)
    }

    /// Whether [`Signals::score`] is at least `threshold`, without its
    /// division: the test of every pair that passes `may_anchor`.
    pub fn reaches(&self, rules: &ClusterRules, threshold: u32) -> bool {
        let (sum, total) = self.weighted(rules);
        mean_reaches(sum, total, threshold)
    }

    /// The weighted sum of the signals present and the sum of their weights:
    /// the sums of [`Signals::parts`], written out, as they are taken for
    /// every pair that passes `may_anchor`.
    fn weighted(&self, rules: &ClusterRules) -> (u64, u64) {
        let w = &rules.weights;
        let part = |s: Option<u32>, w: u32| match s {
            Some(s) => (u64::from(s) * u64::from(w), u64::from(w)),
            None => (0, 0),
        };
        let (l, l_w) = part(self.location, w.location);
        let (i, i_w) = part(self.identifiers, w.identifiers);
        let (c, c_w) = part(self.code, w.code);
        let sum = l
            + i
            + c
            + u64::from(self.title) * u64::from(w.title)
            + u64::from(self.body) * u64::from(w.body);
        let total = l_w + i_w + c_w + u64::from(w.title) + u64::from(w.body);
        (sum, total)
    }

    /// The signals that count, as (name, value, weight), in a fixed order. An
    /// iterator, not a list: the score walks them for every cross-agent pair.
    pub fn parts(&self, rules: &ClusterRules) -> impl Iterator<Item = (&'static str, u32, u32)> {
        let w = &rules.weights;
        [
            ("location", self.location, w.location),
            ("identifiers", self.identifiers, w.identifiers),
            ("title", Some(self.title), w.title),
            ("body", Some(self.body), w.body),
            ("code", self.code, w.code),
        ]
        .into_iter()
        .filter_map(|(name, value, weight)| value.map(|v| (name, v, weight)))
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
        self.breakdown_display(rules).to_string()
    }

    /// [`Signals::breakdown`], written where it is formatted rather than into a
    /// string of its own (it is in the trail of every union).
    pub fn breakdown_display<'a>(&'a self, rules: &'a ClusterRules) -> Breakdown<'a> {
        Breakdown {
            signals: self,
            rules,
        }
    }
}

/// [`Signals::breakdown`], to be written where it is wanted.
pub struct Breakdown<'a> {
    signals: &'a Signals,
    rules: &'a ClusterRules,
}

impl Breakdown<'_> {
    /// Writes the breakdown to `out`: a `String` takes it with no formatter
    /// between (every union's trail holds one).
    pub fn write_to(&self, out: &mut impl std::fmt::Write) -> std::fmt::Result {
        for (i, (name, value, weight)) in self.signals.parts(self.rules).enumerate() {
            if i > 0 {
                out.write_str(" + ")?;
            }
            out.write_str(name)?;
            out.write_str(" ")?;
            Permille(value).write_to(out)?;
            out.write_str("×")?;
            Permille(weight).write_to(out)?;
        }
        Ok(())
    }
}

impl Display for Breakdown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write_to(f)
    }
}

/// Each signal's name when it comes first in a breakdown, in the order of
/// [`Signals::parts`].
const FIRST_NAMES: [&str; 5] = ["location ", "identifiers ", "title ", "body ", "code "];

/// Each signal's name after another signal.
const LATER_NAMES: [&str; 5] = [
    " + location ",
    " + identifiers ",
    " + title ",
    " + body ",
    " + code ",
];

/// The weights' texts of [`Signals::breakdown`] under one rules file, made
/// once a round: each signal's weight after its `×`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakdownTexts {
    /// `×0.300`, ... : each signal's weight, in the order of
    /// [`Signals::parts`].
    weight: [String; 5],
}

impl BreakdownTexts {
    /// The texts of the breakdowns under `rules`: written, not `format!`ted
    /// (fifteen `format!` a round cost more than they saved).
    pub fn new(rules: &ClusterRules) -> BreakdownTexts {
        let w = &rules.weights;
        let weight = [w.location, w.identifiers, w.title, w.body, w.code].map(|weight| {
            let mut text = String::with_capacity(8);
            text.push('×');
            let _ = Permille(weight).write_to(&mut text);
            text
        });
        BreakdownTexts { weight }
    }
}

impl Signals {
    /// The signals in the order of a breakdown (that of [`FIRST_NAMES`]),
    /// `None` where a signal is absent.
    #[inline]
    fn breakdown_values(&self) -> [Option<u32>; 5] {
        [
            self.location,
            self.identifiers,
            Some(self.title),
            Some(self.body),
            self.code,
        ]
    }

    /// Appends [`Signals::breakdown`] under the rules `texts` were made of to
    /// `out`. A breakdown is in the trail of every union, and its name,
    /// spaces, `×` and weight were six writes a signal
    /// ([`Breakdown::write_to`]); here they are a name with its separators
    /// and a `×` with its weight, two fixed texts around the value. (A
    /// static table of the weights' texts instead of `texts` let this be
    /// inlined into the engine's trail, and cost 0.6 M more instructions;
    /// one text for a weight and the next signal's name, chosen once that
    /// signal is known, cost as much as it saved.) The value is written in
    /// place (`push_permille`).
    pub fn write_breakdown(&self, texts: &BreakdownTexts, out: &mut String) {
        let values = self.breakdown_values();
        let mut names = &FIRST_NAMES;
        for (k, value) in values.into_iter().enumerate() {
            let Some(value) = value else {
                continue;
            };
            out.push_str(names[k]);
            names = &LATER_NAMES;
            push_permille(value, out);
            out.push_str(&texts.weight[k]);
        }
    }
}

/// [`Permille::write_to`] into a `String`, inlined where it is called: the
/// five bytes of a value's text are one copy of a known length, where the
/// call to [`Permille::write_to`] for each signal of each union's breakdown
/// cost about 20 instructions more.
#[inline]
fn push_permille(v: u32, out: &mut String) {
    let at = (v as usize).saturating_mul(5);
    match PERMILLE_TEXT.get(at..at.saturating_add(5)) {
        Some(text) => out.push_str(text),
        None => {
            let _ = Permille(v).write_digits(out);
        }
    }
}

/// Formats a permille value as a decimal fraction (`0.452`).
pub fn permille(v: u32) -> String {
    Permille(v).to_string()
}

/// [`permille`], formatted in place.
#[derive(Debug, Clone, Copy)]
pub struct Permille(pub u32);

impl Display for Permille {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write_to(f)
    }
}

impl Permille {
    /// Writes the fraction to `out` ([`Display`] without a formatter between,
    /// for a `String`).
    pub fn write_to(self, f: &mut impl std::fmt::Write) -> std::fmt::Result {
        // Every signal and weight is at most 1000: its text is a slice of one
        // table (no formatting, no UTF-8 check of bytes written out).
        let at = (self.0 as usize).saturating_mul(5);
        match PERMILLE_TEXT.get(at..at.saturating_add(5)) {
            Some(text) => f.write_str(text),
            None => self.write_digits(f),
        }
    }

    /// [`Permille::write_to`] as it was before the table, still used past 1000.
    fn write_digits(self, f: &mut impl std::fmt::Write) -> std::fmt::Result {
        let (whole, frac) = (self.0 / 1000, self.0 % 1000);
        if whole >= 10 {
            return write!(f, "{whole}.{frac:03}");
        }
        // One digit before the point, as every score and weight has: written
        // out, not through the formatting machinery (the trail of every union
        // holds about ten of these).
        let digit = |d: u32| b'0' + (d % 10) as u8;
        let text = [
            digit(whole),
            b'.',
            digit(frac / 100),
            digit(frac / 10),
            digit(frac),
        ];
        f.write_str(std::str::from_utf8(&text).unwrap_or_default())
    }
}

/// [`Permille`] texts of 0 to 1000 (`0.000` to `1.000`), five bytes each.
static PERMILLE_TEXT: &str = {
    const BYTES: [u8; 5 * 1001] = {
        let mut t = [0u8; 5 * 1001];
        let mut v = 0;
        while v <= 1000 {
            t[5 * v] = b'0' + (v / 1000 % 10) as u8;
            t[5 * v + 1] = b'.';
            t[5 * v + 2] = b'0' + (v / 100 % 10) as u8;
            t[5 * v + 3] = b'0' + (v / 10 % 10) as u8;
            t[5 * v + 4] = b'0' + (v % 10) as u8;
            v += 1;
        }
        t
    };
    // ASCII digits and points: never the empty fallback, which would only send
    // every value to the digits written out.
    match std::str::from_utf8(&BYTES) {
        Ok(text) => text,
        Err(_) => "",
    }
};

/// Dice coefficient, permille; 0 when both are empty.
pub fn dice(a: &TokenSet, b: &TokenSet) -> u32 {
    dice_of(a.common(b), a, b)
}

/// [`dice`] of two sets sharing `common` tokens.
fn dice_of(common: usize, a: &TokenSet, b: &TokenSet) -> u32 {
    let total = a.len() + b.len();
    if total == 0 {
        return 0;
    }
    u32::try_from(2000 * common / total).unwrap_or(1000)
}

/// The largest [`dice`] two sets of these sizes can have: every token of the
/// smaller set shared.
fn dice_bound(a: &TokenSet, b: &TokenSet) -> u32 {
    let total = a.len() + b.len();
    if total == 0 {
        return 0;
    }
    u32::try_from(2000 * a.len().min(b.len()) / total).unwrap_or(1000)
}

/// Overlap coefficient with a floor on the denominator, permille.
pub fn overlap(a: &TokenSet, b: &TokenSet, min_denominator: u32) -> u32 {
    overlap_of(a.common(b), a, b, min_denominator)
}

/// [`overlap`] of two sets sharing `common` tokens.
fn overlap_of(common: usize, a: &TokenSet, b: &TokenSet, min_denominator: u32) -> u32 {
    let denominator = a.len().min(b.len()).max(min_denominator.max(1) as usize);
    u32::try_from((1000 * common / denominator).min(1000)).unwrap_or(1000)
}

/// Calls `f` with each normalised word of a text, in order: lowercased, stop
/// words and numbers removed, lightly stemmed. `lower` is a scratch buffer reused
/// for every word: this runs over every finding's whole text.
fn for_each_word(text: &str, lower: &mut String, mut f: impl FnMut(&str)) {
    if text.is_ascii() {
        for_each_ascii_word(text, |start, end| {
            lower.clear();
            lower.push_str(&text[start..end]);
            lower.make_ascii_lowercase();
            if !is_stop_word(lower) {
                f(stem(lower));
            }
        });
        return;
    }
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
        if is_stop_word(lower) {
            continue;
        }
        f(stem(lower));
    }
}

/// Pushes the [`token_key`] of each normalised word of `text` ([`for_each_word`]),
/// in order. The same keys, computed for ASCII text without copying a word: a
/// word of at most 8 bytes is lowercased, looked up as a stop word and stemmed
/// as a packed integer, which is its key. ([`TextKeys::add`] pushes the same
/// keys together with the identifiers; this is the reference its test checks.)
#[cfg(test)]
fn word_keys(text: &str, scratch: &mut String, out: &mut Vec<u64>) {
    word_keys_and_words(text, scratch, |key, _| out.push(key));
}

/// Calls `f` with the [`token_key`] of each normalised word of `text`
/// ([`for_each_word`]) and the word's bytes (UTF-8), in order: the word pass of
/// [`TextKeys::add`] for a text it does not read in one pass (not ASCII, or
/// with a backtick), and the reference of its test.
fn word_keys_and_words(text: &str, scratch: &mut String, mut f: impl FnMut(u64, &[u8])) {
    if !text.is_ascii() {
        for_each_word(text, scratch, |w| f(token_key(w), w.as_bytes()));
        return;
    }
    for_each_ascii_word(text, |start, end| {
        let len = end - start;
        if len > 8 {
            // Longer than any stop word, and its key is a hash of the stem.
            scratch.clear();
            scratch.push_str(&text[start..end]);
            scratch.make_ascii_lowercase();
            let stemmed = stem(scratch);
            f(token_key(stemmed), stemmed.as_bytes());
            return;
        }
        // Letters and digits only: setting bit 5 of each byte lowercases the
        // letters and leaves the digits as they are.
        let lower = load_at(text.as_bytes(), start, len) | (0x2020_2020_2020_2020 & low_bytes(len));
        if len <= 7 && is_packed_stop_word(lower) {
            return;
        }
        let key = stem_packed(lower, len);
        // The packed stem is the word's bytes; a lowercase word holds no zero byte.
        let bytes = key.to_le_bytes();
        let len = 8 - (key.leading_zeros() / 8) as usize;
        f(key, &bytes[..len]);
    });
}

/// Where [`Features::of`] gathers the keys of a finding's text: its word keys
/// ([`word_keys`]) and its identifier hashes ([`identifier_hashes`]).
struct TextKeys<'a> {
    words: &'a mut Vec<u64>,
    identifiers: &'a mut Vec<u64>,
    scratch: &'a mut String,
}

impl TextKeys<'_> {
    /// Pushes the word keys of `text` (in order, each word's bytes given to
    /// `sink` as [`word_keys_and_words`] gives them) and its identifier
    /// hashes (unsorted, possibly repeated): what [`word_keys_and_words`] and
    /// [`identifier_hashes`] push. A backtick removes a span from the prose,
    /// which may join two words: text with one, or text that is not ASCII,
    /// takes those two passes, once [`TextKeys::scan`] has met the byte that
    /// tells (and what it pushed is dropped).
    fn add(&mut self, text: &str, sink: &mut impl WordSink) {
        let marks = (self.words.len(), self.identifiers.len(), sink.mark());
        if self.scan(text, sink) {
            return;
        }
        self.words.truncate(marks.0);
        self.identifiers.truncate(marks.1);
        sink.rollback(marks.2);
        word_keys_and_words(text, self.scratch, |key, w| {
            self.words.push(key);
            sink.word(w);
        });
        identifier_hashes(text, self.scratch, self.identifiers);
    }

    /// [`TextKeys::add`] in one pass over an ASCII text without a backtick
    /// (most text); false, having pushed part of the keys, at the first
    /// backtick or byte that is not ASCII: the byte is found as the pass
    /// reads it, not by searches of the text beforehand. The words are runs of
    /// letters and digits, and a word of prose (between two separators of
    /// [`is_word_separator`]) is marked when [`code_word`] may take it, which
    /// is the test that refuses most words: when it holds a `_` or `(`, a `.`
    /// with a byte after it (bytes between the runs), or a small letter before
    /// a capital (found in a run's packed bytes). A capital that starts a
    /// sentence or a full stop that ends one marks no word (each used to cost
    /// a call of [`code_word`], as the words of [`for_each_marked_word`] do).
    fn scan(&mut self, text: &str, sink: &mut impl WordSink) -> bool {
        let bytes = text.as_bytes();
        let class = |b: u8| SCAN_CLASS[usize::from(b)];
        // Whether the word of prose being read is marked.
        let mut marked = false;
        let mut i = 0;
        while i < bytes.len() {
            // The usual word first: letters, none a capital but the first,
            // then a space or a full stop and a space, told from eight bytes
            // at a time by one range test, and its own lowercase bytes once
            // bit 5 of its first byte is set (which makes a small letter of a
            // capital and of no byte that is not a letter). It needs no test
            // for a camel pair (no small letter comes before the first), a
            // digit or a run of any letter or digit, and the separator after
            // it is taken in the same turn: about 55 instructions for a short
            // stop word, where the steps below take about 85 (and about 250
            // for a long word).
            // Its own loop, from word to word, left for any other byte.
            // The last bytes of a text are read zero-padded, so that its last
            // word is taken here too.
            // Only the first word taken here can end a marked word of prose
            // (a word taken here marks none): it is read back after the loop,
            // so that the loop has no test for it in every turn.
            let first = i;
            while i < bytes.len() {
                let x = chunk_at(bytes, i) | 0x20;
                let len = small_run(x);
                // The separator after the word, when the word is taken here.
                let mut separator = None;
                if (1..8).contains(&len) {
                    if let Some(passed) = passed_after(x >> (8 * len), bytes.len() - i - len) {
                        let v = x & low_bytes(len);
                        if !is_packed_stop_word(v) {
                            let key = stem_packed(v, len);
                            self.words.push(key);
                            sink.packed_word(key);
                        }
                        separator = Some(i + len + passed - 1);
                    }
                } else if len == 8 {
                    if let Some((end, passed)) = long_small_run(bytes, i) {
                        if end == i + 8 {
                            // Eight bytes: no stop word is that long.
                            let key = stem_packed(x, 8);
                            self.words.push(key);
                            sink.packed_word(key);
                        } else {
                            let run = &bytes[i..end];
                            let (key, stem_len) = long_word_key(run);
                            self.words.push(key);
                            sink.lowercase_word(&run[..stem_len]);
                        }
                        separator = Some(end + passed - 1);
                    }
                }
                let Some(at) = separator else {
                    break;
                };
                i = at + 1;
            }
            if marked && i != first {
                // The separator after the loop's first word: the first byte
                // from that word's start that is one (a full stop after the
                // word is not), or the text's end.
                let at = bytes[first..]
                    .iter()
                    .position(|&b| class(b) & SCAN_SEPARATOR != 0)
                    .map_or(bytes.len(), |k| first + k);
                self.marked_word(text, at);
                marked = false;
            }
            let Some(&b) = bytes.get(i) else {
                break;
            };
            let mut c = class(b);
            if c & SCAN_WORD != 0 {
                // The run's first eight bytes, of which it holds the first
                // `len`: what a walk of its bytes would count, told in one
                // step, and the word's packed bytes when it is short.
                let start = i;
                let x = chunk_at(bytes, start);
                let (len, mask) = word_run(x);
                i = start + len;
                if len == 8 {
                    while i < bytes.len() && class(bytes[i]) & SCAN_WORD != 0 {
                        i += 1;
                    }
                }
                if i - start > 8 {
                    let run = &bytes[start..i];
                    marked |= has_camel_pair(run);
                    if run.iter().any(u8::is_ascii_alphabetic) {
                        // Longer than any stop word.
                        let (key, stem_len) = long_word_key(run);
                        self.words.push(key);
                        sink.lowercase_word(&run[..stem_len]);
                    }
                    continue;
                }
                let v = x & mask;
                // Most words hold no capital, and need not be looked at for a pair.
                marked |= has_capital(v) && camel_pair(v);
                if v & 0x4040_4040_4040_4040 != 0 {
                    // Setting bit 5 of each byte lowercases the letters and leaves
                    // the digits as they are.
                    let lower = v | (0x2020_2020_2020_2020 & mask);
                    if len == 8 || !is_packed_stop_word(lower) {
                        let key = stem_packed(lower, len);
                        self.words.push(key);
                        sink.packed_word(key);
                    }
                }
                // The byte after the word, read from `x` when it is a space (as
                // most are): a separator, taken here rather than in another
                // turn of the loop with its table test.
                if len == 8 || (x >> (8 * len)) as u8 != b' ' {
                    continue;
                }
                c = SCAN_SEPARATOR;
            }
            if c & SCAN_SEPARATOR != 0 {
                if marked {
                    self.marked_word(text, i);
                    marked = false;
                }
            } else {
                if c & SCAN_STOP != 0 {
                    return false;
                }
                // A `.` counts only with a byte of the word after it.
                marked |= c & SCAN_MARK != 0
                    && (bytes[i] != b'.'
                        || bytes
                            .get(i + 1)
                            .is_some_and(|&n| class(n) & SCAN_SEPARATOR == 0));
            }
            i += 1;
        }
        if marked {
            self.marked_word(text, bytes.len());
        }
        true
    }

    /// Pushes the identifier hashes of the marked word of prose that ends at
    /// `end` (a separator, or the end of the text), read back from there:
    /// marked words are few, and where each word of prose starts need not be
    /// kept for the others.
    fn marked_word(&mut self, text: &str, end: usize) {
        let b = text.as_bytes();
        let mut start = end;
        while start > 0 && SCAN_CLASS[usize::from(b[start - 1])] & SCAN_SEPARATOR == 0 {
            start -= 1;
        }
        if let Some(raw) = text.get(start..end) {
            self.identifier(raw);
        }
    }

    /// Pushes the identifier hashes of a marked word of prose.
    fn identifier(&mut self, raw: &str) {
        if let Some(word) = code_word(raw) {
            code_token_hashes(word, self.scratch, self.identifiers);
        }
    }
}

/// Where [`TextKeys::add`] gives the bytes of each word it keys, and takes
/// them back when its one pass stops short.
trait WordSink {
    /// Takes a word.
    fn word(&mut self, w: &[u8]);
    /// Takes an ASCII word, lowercased.
    fn lowercase_word(&mut self, w: &[u8]) {
        self.word(&w.to_ascii_lowercase());
    }
    /// Takes a word packed into its key ([`pack`]).
    fn packed_word(&mut self, key: u64) {
        // The packed stem is the word's bytes; a lowercase word holds no zero byte.
        self.word(&key.to_le_bytes()[..packed_len(key)]);
    }
    /// What to [`WordSink::rollback`] to.
    fn mark(&self) -> usize;
    /// Drops the words taken since `mark`.
    fn rollback(&mut self, mark: usize);
}

/// No sink: the words of a body or fix are only keyed.
impl WordSink for () {
    fn word(&mut self, _: &[u8]) {}
    fn lowercase_word(&mut self, _: &[u8]) {}
    fn packed_word(&mut self, _: u64) {}
    fn mark(&self) -> usize {
        0
    }
    fn rollback(&mut self, _: usize) {}
}

/// The title key: the words joined by spaces (UTF-8 when the words are).
impl WordSink for Vec<u8> {
    fn word(&mut self, w: &[u8]) {
        if !self.is_empty() {
            self.push(b' ');
        }
        self.extend_from_slice(w);
    }
    fn lowercase_word(&mut self, w: &[u8]) {
        let from = self.len();
        self.word(w);
        if let Some(new) = self.get_mut(from..) {
            new.make_ascii_lowercase();
        }
    }
    fn packed_word(&mut self, key: u64) {
        // All eight bytes copied and the zero ones dropped: a copy of a fixed
        // length is a store, where one of the word's length is a call.
        self.word(&[]);
        let from = self.len();
        self.extend_from_slice(&key.to_le_bytes());
        self.truncate(from + packed_len(key));
    }
    fn mark(&self) -> usize {
        self.len()
    }
    fn rollback(&mut self, mark: usize) {
        self.truncate(mark);
    }
}

/// The length of a word packed into its key ([`pack`]): its bytes up to the
/// zero ones above them.
fn packed_len(key: u64) -> usize {
    8 - (key.leading_zeros() / 8) as usize
}

/// How many of the low bytes of `x` (little-endian) are ASCII letters or
/// digits, up to the first that is not (8 when all are), and the mask of
/// those bytes ([`low_bytes`]): the length of a run of [`TextKeys::scan`]
/// from its first eight bytes, in a few operations rather than a table test
/// per byte.
fn word_run(x: u64) -> (usize, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Adding at most 0x80 to an ASCII byte never carries into the next one,
    // and sets its bit 7 when it is at least 0x80 minus what is added. A byte
    // that is not ASCII may carry, but only into the bytes above it, and its
    // own bit 7 makes it a byte that ends the run.
    let at_least = |y: u64, lo: u8| y.wrapping_add(ONES * u64::from(0x80 - lo));
    let digit = at_least(x, b'0') & !at_least(x, b'9' + 1);
    // Setting bit 5 maps capitals onto small letters, and no other byte onto one.
    let y = x | (ONES * 0x20);
    let letter = at_least(y, b'a') & !at_least(y, b'z' + 1);
    let other = (!(digit | letter) | x) & HIGH;
    // Bit 7 of the byte that ends the run (none when all eight are in it).
    let end = other & other.wrapping_neg();
    (
        (other.trailing_zeros() / 8) as usize,
        (end >> 7).wrapping_sub(1),
    )
}

/// How many of the low bytes of `x` (little-endian) are small ASCII letters,
/// up to the first that is not (8 when all are): the fast case of
/// [`TextKeys::scan`], one range test where [`word_run`] takes two and a
/// mask. A byte that is not ASCII may carry into the bytes above it when
/// added to, but its own bit 7 (cleared by `!x`) ends the run there.
fn small_run(x: u64) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let at_least = |lo: u8| x.wrapping_add(ONES * u64::from(0x80 - lo));
    let small = at_least(b'a') & !at_least(b'z' + 1) & !x & HIGH;
    ((small ^ HIGH).trailing_zeros() / 8) as usize
}

/// How many bytes [`TextKeys::scan`]'s fast case passes after a word whose
/// next bytes are the low bytes of `after` and which `left` bytes of the text
/// follow: a space (1), or a full stop and a space (2: the full stop marks no
/// word, since a separator follows it); the end of the text counts as a
/// separator just past it. `None` for any other byte, left to the general
/// steps.
fn passed_after(after: u64, left: usize) -> Option<usize> {
    let after = after as u16;
    if after as u8 == b' ' {
        Some(1)
    } else if after == u16::from_le_bytes(*b". ") {
        Some(2)
    } else if left == 0 {
        Some(1)
    } else if left == 1 && after as u8 == b'.' {
        Some(2)
    } else {
        None
    }
}

/// The end of a run of small letters whose first eight bytes, from `start`,
/// are small letters (the first may be a capital: the caller has looked), and
/// [`passed_after`] the run, read eight bytes at a time (the last zero-padded);
/// `None` when another byte follows the run.
fn long_small_run(bytes: &[u8], start: usize) -> Option<(usize, usize)> {
    let mut end = start + 8;
    loop {
        if end >= bytes.len() {
            return Some((end, 1));
        }
        let x = chunk_at(bytes, end);
        let len = small_run(x);
        end += len;
        if len < 8 {
            return Some((end, passed_after(x >> (8 * len), bytes.len() - end)?));
        }
    }
}

/// True when the packed letters and digits `v` (zero bytes above them) hold
/// a capital ([`camel_pair`]).
fn has_capital(v: u64) -> bool {
    (v >> 1) & !v & 0x2020_2020_2020_2020 != 0
}

/// True when the packed letters and digits `v` (zero bytes above them) hold
/// a small letter just before a capital.
fn camel_pair(v: u64) -> bool {
    // A letter has bit 6 set (no digit has it), a small letter bit 5 too, a
    // capital bit 5 clear. Each byte's bit 6 is moved to bit 5, and a small
    // letter's flag moved up one byte meets the capital after it.
    let letters = v >> 1;
    let capitals = letters & !v & 0x2020_2020_2020_2020;
    let small = letters & v & 0x2020_2020_2020_2020;
    (small << 8) & capitals != 0
}

/// [`camel_pair`] of a run of ASCII letters and digits of any length, eight
/// bytes at a time, each chunk overlapping the one before by a byte so that
/// no pair is split (a walk of its pairs took about ten instructions a byte).
fn has_camel_pair(run: &[u8]) -> bool {
    let mut at = 0;
    loop {
        if camel_pair(chunk_at(run, at)) {
            return true;
        }
        if at + 8 >= run.len() {
            return false;
        }
        at += 7;
    }
}

/// The bytes of `b` from `at` (before its end) as a little-endian integer,
/// zero-padded past the end: [`load_at`] of eight bytes, the last of a text
/// being its last eight bytes shifted rather than a copy of a variable
/// length.
fn chunk_at(b: &[u8], at: usize) -> u64 {
    if let Some(c) = b.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        return u64::from_le_bytes(*c);
    }
    let rest = b.len().saturating_sub(at).min(7);
    match b.last_chunk::<8>() {
        Some(last) => u64::from_le_bytes(*last) >> (8 * (8 - rest)),
        None => load(b.get(at..).unwrap_or_default()),
    }
}

/// [`SCAN_CLASS`] of an ASCII letter or digit.
const SCAN_WORD: u8 = 1;
/// [`SCAN_CLASS`] of a byte that ends a word of prose ([`is_word_separator`]).
const SCAN_SEPARATOR: u8 = 2;
/// [`SCAN_CLASS`] of `_`, `.` and `(`: a word of prose holding one may be code.
const SCAN_MARK: u8 = 4;
/// [`SCAN_CLASS`] of a backtick and of every byte that is not ASCII: where
/// [`TextKeys::scan`] stops.
const SCAN_STOP: u8 = 8;

/// What each byte is to [`TextKeys::add`] (capitals are told in the runs of
/// letters, not by the table).
static SCAN_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = SCAN_WORD;
        } else if matches!(c, b'_' | b'.' | b'(') {
            t[b] = SCAN_MARK;
        } else if is_ascii_word_separator(c) {
            t[b] = SCAN_SEPARATOR;
        } else if c == b'`' {
            t[b] = SCAN_STOP;
        }
        b += 1;
    }
    while b < 256 {
        t[b] = SCAN_STOP;
        b += 1;
    }
    t
};

/// Calls `f` with the byte range of each word of an ASCII text: a run of letters
/// and digits (the runs `split(!is_alphanumeric)` gives, found without decoding)
/// that holds a letter.
///
/// The run is found first and its letter afterwards: in a word of at most eight
/// bytes, read as one integer, a letter is a byte with bit 6 set (no digit has
/// it). ([`for_each_ascii_word_by_class`], which this replaced, gathered the
/// classes of every byte as it went.)
fn for_each_ascii_word(text: &str, mut f: impl FnMut(usize, usize)) {
    let bytes = text.as_bytes();
    let word = |b: u8| WORD_CLASS[usize::from(b)] != 0;
    let mut i = 0;
    while i < bytes.len() {
        if !word(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < bytes.len() && word(bytes[i]) {
            i += 1;
        }
        let len = i - start;
        let letter = if len <= 8 {
            load_at(bytes, start, len) & 0x4040_4040_4040_4040 != 0
        } else {
            bytes[start..i].iter().any(u8::is_ascii_alphabetic)
        };
        if letter {
            f(start, i);
        }
    }
}

/// [`for_each_ascii_word`] as it was first written: the class of each byte of a
/// run gathered as it is walked. The reference its test checks.
#[cfg(test)]
fn for_each_ascii_word_by_class(text: &str, mut f: impl FnMut(usize, usize)) {
    let bytes = text.as_bytes();
    let class = |b: u8| WORD_CLASS[usize::from(b)];
    let mut i = 0;
    while i < bytes.len() {
        if class(bytes[i]) == 0 {
            i += 1;
            continue;
        }
        let start = i;
        let mut seen = 0;
        while let Some(&b) = bytes.get(i) {
            let c = class(b);
            if c == 0 {
                break;
            }
            seen |= c;
            i += 1;
        }
        if seen & LETTER != 0 {
            f(start, i);
        }
    }
}

/// [`WORD_CLASS`] of an ASCII digit.
const DIGIT: u8 = 1;
/// [`WORD_CLASS`] of an ASCII letter.
const LETTER: u8 = 2;

/// What each byte is to [`for_each_ascii_word`]: [`DIGIT`], [`LETTER`], or 0
/// for a byte that ends a word (a table, not two range tests per byte).
static WORD_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_digit() {
            t[b] = DIGIT;
        } else if c.is_ascii_alphabetic() {
            t[b] = LETTER;
        }
        b += 1;
    }
    t
};

/// The `len` (at most 8) bytes of `text` from `start` as a little-endian
/// integer, zero-padded: [`load`], reading eight bytes at once where the text
/// has them (a copy of a variable length is a call to `memcpy`).
fn load_at(text: &[u8], start: usize, len: usize) -> u64 {
    match text.get(start..).and_then(<[u8]>::first_chunk::<8>) {
        Some(chunk) => u64::from_le_bytes(*chunk) & low_bytes(len),
        None => load(text.get(start..start + len).unwrap_or_default()),
    }
}

/// The first `n` (at most 8) bytes of `w` as a little-endian integer, zero-padded:
/// [`pack`], without a loop.
fn load(w: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    let n = w.len().min(8);
    buf[..n].copy_from_slice(&w[..n]);
    u64::from_le_bytes(buf)
}

/// A mask of the low `n` bytes of a `u64`.
fn low_bytes(n: usize) -> u64 {
    // A table: it is taken several times for every word.
    LOW_BYTES[n.min(8)]
}

/// [`low_bytes`] of 0 to 8.
static LOW_BYTES: [u64; 9] = {
    let mut t = [u64::MAX; 9];
    let mut n = 0;
    while n < 8 {
        t[n] = (1u64 << (8 * n)) - 1;
        n += 1;
    }
    t
};

/// [`stem`] of a lowercase ASCII word of `n` (1 to 8) bytes packed in `v`: the
/// packed stem, which is its [`token_key`]. Suffixes are compared as integers,
/// read from the word shifted to the top of the integer (its last byte
/// highest), and the trailing `e`s are counted in one step: no mask per suffix
/// and no loop per `e` ([`stem_packed_by_tails`], which it replaced, did both).
fn stem_packed(v: u64, n: usize) -> u64 {
    // The word at the top of the integer: its zero bytes above it are whole
    // bytes of its leading zeros (its last byte is not zero), which is
    // `8 * (8 - n)` without a clamp of `n`.
    let top = v << (v.leading_zeros() & 0x38);
    let n = n.clamp(1, 8);
    // The last `k` bytes, packed. Shorter words read zero bytes there, which no
    // suffix holds.
    let (t2, t3) = (top >> 48, top >> 40);
    // Every suffix, and every `e`, ends with one of these: most words end with
    // another letter and are their own stem. Each last letter has its own
    // tests (a word ending with `e`, the most common, has none), where one
    // chain of every suffix's test took about 10 more instructions a word.
    let cut = match (top >> 56) as u8 {
        b'e' => 0,
        b'd' if n >= 5 && t2 == pack(b"ed") => 2,
        b'g' if n >= 6 && t3 == pack(b"ing") => 3,
        b's' if t2 == pack(b"ss") => 0,
        b's' if n >= 5 && t2 == pack(b"es") => 2,
        b's' => usize::from(n >= 4),
        b'd' | b'g' => 0,
        _ => return v,
    };
    // The `e`s that end what is left are its top bytes equal to `e`; the zero
    // bytes shifted in below the word stop the count.
    let es = ((top << (8 * cut)) ^ pack(b"eeeeeeee")).leading_zeros() as usize / 8;
    // What is left is never shorter than the `e`s that end it (those zero
    // bytes stop the count), so its length needs no saturating subtraction;
    // it is at most 8, and four bits of it index the masks without a clamp
    // (a compare and two conditional moves fewer for each word cut here).
    v & LOW_BYTES_16[(n - cut - es) & 15]
}

/// [`stem_packed`] as it was before its mask was read from
/// [`LOW_BYTES_16`]: the length clamped. The reference its test checks.
#[cfg(test)]
fn stem_packed_clamped(v: u64, n: usize) -> u64 {
    let top = v << (v.leading_zeros() & 0x38);
    let n = n.clamp(1, 8);
    let (t2, t3) = (top >> 48, top >> 40);
    let cut = match (top >> 56) as u8 {
        b'e' => 0,
        b'd' if n >= 5 && t2 == pack(b"ed") => 2,
        b'g' if n >= 6 && t3 == pack(b"ing") => 3,
        b's' if t2 == pack(b"ss") => 0,
        b's' if n >= 5 && t2 == pack(b"es") => 2,
        b's' => usize::from(n >= 4),
        b'd' | b'g' => 0,
        _ => return v,
    };
    let es = ((top << (8 * cut)) ^ pack(b"eeeeeeee")).leading_zeros() as usize / 8;
    v & low_bytes((n - cut).saturating_sub(es))
}

/// [`low_bytes`] of 0 to 15, indexed by four bits without a bounds check.
static LOW_BYTES_16: [u64; 16] = {
    let mut t = [u64::MAX; 16];
    let mut n = 0;
    while n < 8 {
        t[n] = (1u64 << (8 * n)) - 1;
        n += 1;
    }
    t
};

/// [`stem_packed`] as it was first written: each suffix masked out, the `e`s
/// stripped one by one. The reference its test checks.
#[cfg(test)]
fn stem_packed_by_tails(v: u64, n: usize) -> u64 {
    // The last `k` bytes of the word, packed; no word ends with `u64::MAX`.
    let tail = |k: usize| {
        if n >= k {
            (v >> (8 * (n - k))) & low_bytes(k)
        } else {
            u64::MAX
        }
    };
    let keep = tail(2) != pack(b"ss");
    let mut len = n;
    if keep {
        if n >= 6 && tail(3) == pack(b"ing") {
            len = n - 3;
        } else if n >= 5 && (tail(2) == pack(b"ed") || tail(2) == pack(b"es")) {
            len = n - 2;
        } else if n >= 4 && tail(1) == pack(b"s") {
            len = n - 1;
        }
    }
    while len > 0 && (v >> (8 * (len - 1))) as u8 == b'e' {
        len -= 1;
    }
    v & low_bytes(len)
}

/// A word of at most 8 bytes packed into an integer (little-endian, zero-padded):
/// lowercase words hold no zero byte, so two words pack equal only when equal.
const fn pack(w: &[u8]) -> u64 {
    let mut v = 0u64;
    let mut i = 0;
    while i < w.len() && i < 8 {
        v |= (w[i] as u64) << (8 * i);
        i += 1;
    }
    v
}

/// Slots of [`STOP_TABLE`]: a power of two, about six times the stop words.
const STOP_SLOTS: usize = 512;

/// The slot of a packed word in [`STOP_TABLE`] (multiplicative hashing). The
/// multiplier was searched for to give every stop word a slot of its own, so
/// that a lookup is one load and one compare, with no probing (the table's
/// construction fails to compile if a stop word is added that collides).
const fn stop_slot(packed: u64) -> usize {
    (packed.wrapping_mul(0x43a5_64f8_94ee_38b9) >> 55) as usize % STOP_SLOTS
}

/// [`STOP_WORDS`] packed into a table, each in its [`stop_slot`], the other
/// slots `u64::MAX` (which no word of at most 7 bytes packs to), built at
/// compile time: the lookup runs for every word of every finding, and a
/// binary search over the list was its largest cost.
static STOP_TABLE: [u64; STOP_SLOTS] = {
    let mut table = [u64::MAX; STOP_SLOTS];
    let mut i = 0;
    while i < STOP_WORDS.len() {
        let key = pack(STOP_WORDS[i].as_bytes());
        let slot = stop_slot(key);
        assert!(table[slot] == u64::MAX, "two stop words share a slot");
        table[slot] = key;
        i += 1;
    }
    table
};

fn is_stop_word(w: &str) -> bool {
    // Every stop word is at most 7 bytes long, and none is empty.
    if w.is_empty() || w.len() > 7 {
        return false;
    }
    is_packed_stop_word(pack(w.as_bytes()))
}

/// [`is_stop_word`] of a word of at most 7 bytes already packed ([`pack`]).
fn is_packed_stop_word(key: u64) -> bool {
    STOP_TABLE[stop_slot(key)] == key
}

/// Normalised words of a text, in order, stop words removed, lightly stemmed.
pub fn ordered_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, &mut String::new(), |w| out.push(w.to_string()));
    out
}

/// [`ordered_words`] as one string that sorts like the word list, for sort
/// keys: each word behind a space, which sorts before every character a word
/// holds (a word can be empty: `e` stems to nothing).
pub fn word_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for_each_word(text, &mut String::new(), |w| {
        out.push(' ');
        out.push_str(w);
    });
    out
}

/// The set of normalised words of a text.
pub fn words(text: &str) -> TokenSet {
    let mut hashes = Vec::new();
    for_each_word(text, &mut String::new(), |w| hashes.push(token_key(w)));
    TokenSet::from_hashes(hashes)
}

/// A light suffix stripper: enough to match `leaks`/`leak`, `deleting`/`delete`.
fn stem(w: &str) -> &str {
    let n = if w.is_ascii() {
        w.len()
    } else {
        w.chars().count()
    };
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
    identifier_hashes(text, &mut String::new(), &mut out);
    TokenSet::from_hashes(out)
}

/// Pushes the hashes of the code identifiers of `text` onto `out` (unsorted,
/// possibly repeated); `scratch` is a reused buffer. [`TextKeys::add`] finds
/// the same while it reads the words of most text; this reads the rest.
fn identifier_hashes(text: &str, scratch: &mut String, out: &mut Vec<u64>) {
    // Prose: the text without its backticked spans. Most text has no backticks
    // and is its own prose: one search for the first tells (and the spans are
    // then looked for from there on, not from the start again).
    let mut prose = String::new();
    let (has_ticks, mut rest) = match text.find('`') {
        Some(first) => {
            prose.push_str(&text[..first]);
            (true, &text[first..])
        }
        None => (false, ""),
    };
    // Backticked spans on one line.
    while let Some(open) = rest.find('`') {
        prose.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('`') {
            Some(close) if !after[..close].contains('\n') => {
                let span = &after[..close];
                if !looks_like_path(span) {
                    code_token_hashes(span, scratch, out);
                }
                rest = &after[close + 1..];
            }
            _ => {
                rest = after;
            }
        }
    }
    let prose = if has_ticks {
        prose.push_str(rest);
        prose.as_str()
    } else {
        text
    };
    for_each_marked_word(prose, |raw| {
        if let Some(word) = code_word(raw) {
            code_token_hashes(word, scratch, out);
        }
    });
}

/// The identifier a marked word of prose stands for, if it is one: the word
/// trimmed of punctuation, when it is called (`run(`) or code-shaped, and not a
/// path. [`code_word_by_chars`], decided from the bytes of an ASCII word in one
/// pass (most marked words are a capitalised first word or a word before a full
/// stop, and are refused by it).
fn code_word(raw: &str) -> Option<&str> {
    let b = raw.as_bytes();
    // A code word has a `_`, a `(`, a `.` with a byte after it, or a small letter
    // before a capital (in any text: these are ASCII bytes): most marked words
    // (`When`, `state.`) have none.
    let maybe = b.windows(2).any(|w| {
        matches!(w[0], b'_' | b'(' | b'.')
            || (w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
    });
    if !(maybe || b.last().is_some_and(|&c| c == b'_' || c == b'(')) {
        return None;
    }
    if !raw.is_ascii() {
        return code_word_by_chars(raw);
    }
    // The trim keeps letters, digits, `_` and `(`.
    let kept = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'(';
    let start = b.iter().position(|&c| kept(c))?;
    let end = b.iter().rposition(|&c| kept(c))? + 1;
    // The trimmed word ends with a kept byte, so never with `)`.
    let called = b[end - 1] == b'(';
    let mut stop = end;
    while stop > start && matches!(b[stop - 1], b'(' | b')') {
        stop -= 1;
    }
    let word = raw.get(start..stop).filter(|w| !w.is_empty())?;
    if !(called || is_code_shaped_ascii(word.as_bytes())) || looks_like_path(word) {
        return None;
    }
    Some(word)
}

/// [`code_word`] of any text, character by character.
fn code_word_by_chars(raw: &str) -> Option<&str> {
    let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '_' && c != '(');
    let called = word.ends_with("()") || word.ends_with('(');
    let word = word.trim_end_matches(['(', ')']);
    if word.is_empty() || !(called || is_code_shaped(word)) || looks_like_path(word) {
        return None;
    }
    Some(word)
}

/// [`is_code_shaped`] of an ASCII word, from one pass over its bytes.
fn is_code_shaped_ascii(w: &[u8]) -> bool {
    let (mut alpha, mut camel) = (false, false);
    // Per mark (`_`, `.`): seen after another byte, and then followed by one
    // that is not it (an inner mark: not trimmed away).
    let (mut open, mut inner) = ([false; 2], false);
    let mut prev_lower = false;
    let mut any_other = [false; 2];
    for &c in w {
        alpha |= c.is_ascii_alphabetic();
        camel |= prev_lower && c.is_ascii_uppercase();
        prev_lower = c.is_ascii_lowercase();
        for (k, m) in [b'_', b'.'].into_iter().enumerate() {
            if c == m {
                open[k] |= any_other[k];
            } else {
                inner |= open[k];
                any_other[k] = true;
            }
        }
    }
    (inner && alpha) || camel
}

/// Calls `f` with each word of `prose` ([`is_word_separator`] splits them) that
/// holds a `_`, `.`, `(` or an ASCII capital: a word without one is neither
/// called nor code-shaped, and most prose words are decided by that alone.
///
/// An ASCII text is searched eight bytes at a time for the next mark, and only
/// the word around it is walked byte by byte: marks are few (a capital that
/// starts a sentence, a full stop that ends one), and stepping through every
/// byte's class ([`for_each_marked_word_by_class`], which this replaced) was
/// the largest cost of finding identifiers.
fn for_each_marked_word(prose: &str, mut f: impl FnMut(&str)) {
    if !prose.is_ascii() {
        return for_each_marked_word_by_chars(prose, f);
    }
    let b = prose.as_bytes();
    let separator = |c: u8| ASCII_CLASS[usize::from(c & 0x7f)] == Class::Separator;
    let mut from = 0;
    while let Some(mark) = next_mark(b, from) {
        // The word holding the mark: back to the separator before it (there is
        // one at `from - 1`, or `from` is 0), on to the one after it.
        let mut start = mark;
        while start > from && !separator(b[start - 1]) {
            start -= 1;
        }
        let mut end = mark + 1;
        while end < b.len() && !separator(b[end]) {
            end += 1;
        }
        f(&prose[start..end]);
        from = end + 1;
    }
}

/// The first byte at or after `from` of an ASCII text that is a mark of
/// [`Class::Mark`] (`_`, `.`, `(` or a capital), tested eight bytes at a time.
fn next_mark(b: &[u8], mut from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each zero byte of `y`, and maybe of bytes above one (a
    // borrow): the lowest bit set is always a zero byte, and only the lowest
    // mark is taken.
    let zero = |y: u64| y.wrapping_sub(ONES) & !y & HIGH;
    while from < b.len() {
        let len = (b.len() - from).min(8);
        // Bytes past the text read as zero, which is no mark.
        let x = load_at(b, from, len);
        // ASCII bytes (below 0x80): adding never carries into the next byte.
        let capital = x.wrapping_add(ONES * 0x3f) & !x.wrapping_add(ONES * 0x25) & HIGH;
        let marks = capital
            | zero(x ^ (ONES * u64::from(b'_')))
            | zero(x ^ (ONES * u64::from(b'.')))
            | zero(x ^ (ONES * u64::from(b'(')));
        if marks != 0 {
            return Some(from + (marks.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    None
}

/// [`for_each_marked_word`] of an ASCII text as it was first written: every
/// byte's class looked up in turn. The reference its test checks.
#[cfg(test)]
fn for_each_marked_word_by_class(prose: &str, mut f: impl FnMut(&str)) {
    // The same words as the split by characters, from one pass over the bytes.
    let (mut start, mut mark) = (0, false);
    for (i, b) in prose.bytes().enumerate() {
        match ASCII_CLASS[usize::from(b & 0x7f)] {
            Class::Separator => {
                if mark {
                    f(&prose[start..i]);
                }
                (start, mark) = (i + 1, false);
            }
            Class::Mark => mark = true,
            Class::Other => {}
        }
    }
    if mark {
        f(&prose[start..]);
    }
}

/// [`for_each_marked_word`] of any text, character by character.
fn for_each_marked_word_by_chars(prose: &str, mut f: impl FnMut(&str)) {
    let marked = |w: &str| {
        w.bytes()
            .any(|b| matches!(b, b'_' | b'.' | b'(') || b.is_ascii_uppercase())
    };
    for raw in prose.split(is_word_separator).filter(|w| marked(w)) {
        f(raw);
    }
}

/// What an ASCII byte is to [`identifier_hashes`]' word split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Ends a word ([`is_word_separator`]).
    Separator,
    /// `_`, `.`, `(` or a capital: the word may be code.
    Mark,
    /// Anything else.
    Other,
}

/// What ends a word of prose for [`identifier_hashes`].
fn is_word_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '[' | ']' | '{' | '}' | '<' | '>'
        )
}

/// [`is_word_separator`] of an ASCII byte, at compile time.
const fn is_ascii_word_separator(c: u8) -> bool {
    // `char::is_whitespace` of an ASCII character (not `const` before 1.87).
    matches!(c, b'\t'..=b'\r' | b' ')
        || matches!(
            c,
            b',' | b';'
                | b':'
                | b'!'
                | b'?'
                | b'"'
                | b'\''
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'<'
                | b'>'
        )
}

/// The [`Class`] of each ASCII character, as a table.
static ASCII_CLASS: [Class; 128] = {
    let mut t = [Class::Other; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8 as char;
        if is_ascii_word_separator(b as u8) {
            t[b] = Class::Separator;
        } else if matches!(c, '_' | '.' | '(' | 'A'..='Z') {
            t[b] = Class::Mark;
        }
        b += 1;
    }
    t
};

fn is_code_shaped(word: &str) -> bool {
    // Every shape below needs a `_`, a `.` or an ASCII capital: most prose words
    // have none and are decided by one pass over their bytes.
    if !word
        .bytes()
        .any(|b| b == b'_' || b == b'.' || b.is_ascii_uppercase())
    {
        return false;
    }
    let has_inner = |c: char| {
        word.trim_matches(c).contains(c) && word.chars().any(|ch| ch.is_ascii_alphabetic())
    };
    if has_inner('_') || has_inner('.') {
        return true;
    }
    // camelCase: a lowercase letter followed by an uppercase one (ASCII bytes
    // are whole characters in UTF-8, so adjacent bytes are adjacent characters).
    // PascalCase words of two parts or more (`ConfigMap`) qualify, SHOUTING does
    // not: the pair itself holds the lowercase letter that requires.
    word.as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

/// Pushes the hashes of the identifier tokens of a code span: lowercased parts
/// of three characters or more, not numbers, not common keywords.
fn code_token_hashes(span: &str, scratch: &mut String, out: &mut Vec<u64>) {
    for t in span.split(|c: char| !c.is_alphanumeric() && c != '_') {
        if t.len() < 3 || t.bytes().all(|b| b.is_ascii_digit()) {
            // Fewer than 3 bytes is fewer than 3 characters.
            continue;
        }
        scratch.clear();
        if t.is_ascii() {
            scratch.push_str(t);
            scratch.make_ascii_lowercase();
        } else {
            if t.chars().count() < 3 {
                continue;
            }
            scratch.push_str(&t.to_lowercase());
        }
        if COMMON_IDENTIFIERS.binary_search(&scratch.as_str()).is_err() {
            out.push(token_key(scratch));
        }
    }
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
            !stem.is_empty() && FILE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext))
        }
        None => false,
    }
}

/// Writes the normalised form of a code line into `out` (trimmed, diff markers
/// removed, whitespace runs collapsed); true when it is long enough to count.
fn code_line_into(line: &str, out: &mut String) -> bool {
    let l = line.trim().trim_start_matches(['+', '-']).trim();
    out.clear();
    for (i, part) in l.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(part);
    }
    out.chars().count() >= 12
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each word a [`TextKeys`] pass gives, in order.
    struct Words(Vec<Vec<u8>>);

    impl WordSink for Words {
        fn word(&mut self, w: &[u8]) {
            self.0.push(w.to_vec());
        }
        fn mark(&self) -> usize {
            self.0.len()
        }
        fn rollback(&mut self, mark: usize) {
            self.0.truncate(mark);
        }
    }

    /// Checks [`TextKeys::add`] of `text` against [`word_keys_and_words`] and
    /// [`identifier_hashes`], the two passes it stands for.
    fn assert_text_keys_are_the_two_passes(text: &str) {
        let (mut words, mut ids, mut on_word) = (Vec::new(), Vec::new(), Words(Vec::new()));
        let mut scratch = String::new();
        TextKeys {
            words: &mut words,
            identifiers: &mut ids,
            scratch: &mut scratch,
        }
        .add(text, &mut on_word);
        let (mut expected_words, mut expected_on_word) = (Vec::new(), Vec::new());
        word_keys_and_words(text, &mut String::new(), |key, w| {
            expected_words.push(key);
            expected_on_word.push(w.to_vec());
        });
        let mut expected_ids = Vec::new();
        identifier_hashes(text, &mut String::new(), &mut expected_ids);
        ids.sort_unstable();
        expected_ids.sort_unstable();
        assert_eq!(words, expected_words, "{text:?}");
        assert_eq!(on_word.0, expected_on_word, "{text:?}");
        assert_eq!(ids, expected_ids, "{text:?}");
    }

    /// [`stem_packed`] against the form with a clamped mask, for every word
    /// of up to six bytes over the letters of the suffixes (and two that end
    /// none), and for those words behind one and two more letters (seven and
    /// eight bytes): every suffix at every length, and every run of `e`s.
    #[test]
    fn packed_stems_unclamped_for_every_short_word_of_suffix_letters() {
        let letters = b"deginsx";
        let mut w = Vec::with_capacity(8);
        for len in 1..=6u32 {
            for mut k in 0..letters.len().pow(len) {
                w.clear();
                for _ in 0..len {
                    w.push(letters[k % letters.len()]);
                    k /= letters.len();
                }
                for prefix in [&b""[..], b"x", b"ex"] {
                    let word = [prefix, &w[..]].concat();
                    let packed = pack(&word);
                    assert_eq!(
                        stem_packed(packed, word.len()),
                        stem_packed_clamped(packed, word.len()),
                        "{}",
                        String::from_utf8_lossy(&word),
                    );
                }
            }
        }
    }

    /// A marked word of prose is read back after the loop of usual words
    /// that follows it, from the separator after that loop's first word:
    /// every marked word's end (a mark, a camel pair, a full stop inside),
    /// followed by every way a usual word ends (a space, a full stop and a
    /// space, the text's end, a full stop at the end), a stop word, a long
    /// word, or a word the loop leaves, at every offset in the text and
    /// across the eight-byte reads.
    #[test]
    fn marked_words_before_the_usual_words_at_every_offset() {
        let marked = [
            "a_b",
            "fooBar",
            "x.y",
            "run(",
            "_",
            "(",
            "a.",
            "Foo_",
            "aB",
            "k8s.Apply",
        ];
        let after = [
            "",
            " ",
            ".",
            ". ",
            "x",
            "x ",
            "x.",
            "x. ",
            "the ",
            "the",
            "Word. ",
            "abcdefgh ",
            "abcdefghijklmnop.",
            "abcdefghijklmnopq. z",
            "words x_y ",
            "a b_c",
            "aB c",
            "ab,",
            "ab.c",
            "abc\nd",
            "deleting leaks. ",
        ];
        for pad in 0..17 {
            let lead = "w ".repeat(pad / 2) + &"x".repeat(pad % 2);
            for m in marked {
                for a in after {
                    for b in after {
                        for join in ["", " "] {
                            let text = format!("{lead} {m}{a}{join}{b}");
                            assert_text_keys_are_the_two_passes(&text);
                            assert_text_keys_are_the_two_passes(&text[lead.len()..]);
                        }
                    }
                }
            }
        }
    }

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
    fn packed_stop_words_are_the_stop_words() {
        assert!(
            STOP_WORDS
                .iter()
                .all(|w| is_packed_stop_word(pack(w.as_bytes())))
        );
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 7 && is_stop_word(w)));
        for w in [
            "",
            "aa",
            "abou",
            "aboutx",
            "thes",
            "without_",
            "\u{e9}t\u{e9}",
        ] {
            assert!(!is_stop_word(w), "{w}");
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_paths_normalise_like_any_path(path in "[ `]{0,2}((\\.|\\.\\.)?[./\\\\]){0,4}[A-Za-z_./\\\\` ]{0,12}") {
            proptest::prop_assert_eq!(normalize_path(&path), normalize_path_by_chars(&path));
        }

        #[test]
        fn abnormal_bytes_are_found_eight_at_a_time(
            b in proptest::collection::vec(
                proptest::prop_oneof![b'a'..=b'z', proptest::strategy::Just(b'/'), proptest::strategy::Just(b'.'), proptest::strategy::Just(0u8), proptest::strategy::Just(b'\\'), b'@'..=b'\\', 0x60u8..=0x80, proptest::num::u8::ANY],
                0..30,
            ),
        ) {
            let by_byte = !b.iter().all(|&c| c < 0x80 && c != b'\\' && !c.is_ascii_uppercase());
            proptest::prop_assert_eq!(has_abnormal_byte(&b), by_byte);
        }

        #[test]
        fn packed_stop_words_are_found_as_the_list_finds_them(w in "[a-z0-9]{1,7}|(a|an|the|th|them|thes|use|uses|wit|with|withou|without|your|yo)") {
            proptest::prop_assert_eq!(
                is_packed_stop_word(pack(w.as_bytes())),
                STOP_WORDS.binary_search(&w.as_str()).is_ok()
            );
        }

        #[test]
        fn last_slashes_found_eight_bytes_at_a_time_are_the_last_slashes(
            b in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b'/'),
                    proptest::strategy::Just(b'.'),
                    proptest::strategy::Just(b'0'),
                    proptest::strategy::Just(0xafu8),
                    b'a'..=b'z',
                    proptest::num::u8::ANY,
                ],
                0..40,
            ),
        ) {
            // The form it replaced: one search a byte at a time.
            proptest::prop_assert_eq!(last_slash(&b), b.iter().rposition(|&c| c == b'/'));
        }

        #[test]
        fn long_basenames_are_the_last_split_part(path in "([a-z./]|/|\u{e9}){0,40}") {
            proptest::prop_assert_eq!(basename(&path), path.rsplit('/').next().unwrap_or(&path));
        }

        #[test]
        fn basenames_are_the_last_split_part(path in "([a-z./]|/|\u{e9}){0,12}") {
            proptest::prop_assert_eq!(basename(&path), path.rsplit('/').next().unwrap_or(&path));
        }

        #[test]
        fn normal_paths_are_kept_as_the_copying_form_would(
            path in "[ `\t\u{b}.]{0,2}([A-Za-z0-9_\\-./\\\\` ]|\u{e9}|\u{c9}|\u{3000}){0,14}[ `\t\u{b}.]{0,2}|\\PC{0,10}",
        ) {
            proptest::prop_assert_eq!(normalize_path(&path), normalize_path_copied(&path));
        }

        #[test]
        fn a_pair_that_may_not_anchor_is_not_anchored(
            t1 in "(leak|watcher|lock|retry|the|cache|`Reconcile`|`run_loop`) {1,5}",
            t2 in "(leak|watcher|lock|retry|the|cache|`Reconcile`|`run_loop`) {1,5}",
            b1 in "(leak|`Reconcile`|`run_loop`|holds|state|`a.b`) {0,6}",
            b2 in "(leak|`Reconcile`|`run_loop`|holds|state|`a.b`) {0,6}",
            p1 in "(pkg/a\\.go|a\\.go|b\\.go|pkg/b/a\\.go)",
            p2 in "(pkg/a\\.go|a\\.go|b\\.go|pkg/b/a\\.go)",
            (s1, s2) in (1u32..60, 1u32..60),
            anchors in (0u32..=1000, 0u32..=1000, 0u32..=1000),
        ) {
            let (x, y) = (finding(&t1, &b1, &p1, s1, s1 + 3), finding(&t2, &b2, &p2, s2, s2 + 3));
            let mut rules = crate::consolidate::rules::Rules::default().cluster;
            (rules.anchor_location, rules.anchor_identifiers, rules.anchor_title) = anchors;
            if !may_anchor(&x, &y, &rules, shares_file_name(&x, &y), &TitleRows::default(), (0, 0)) {
                proptest::prop_assert!(!signals(&x, &y, &rules).anchored(&rules));
            }
        }

        #[test]
        fn ones_are_the_set_bits(x in proptest::num::u64::ANY) {
            proptest::prop_assert_eq!(ones(x), x.count_ones() as usize);
        }

        #[test]
        fn dice_reaches_is_dice_compared(
            a in proptest::collection::vec("[a-f]{1,2}", 0..8),
            b in proptest::collection::vec("[a-f]{1,2}", 0..8),
            min in 0u32..=1000,
        ) {
            let (a, b): (TokenSet, TokenSet) = (a.iter().collect(), b.iter().collect());
            proptest::prop_assert_eq!(dice_reaches(&a, &b, min, || a.common(&b)), dice(&a, &b) >= min);
        }

        #[test]
        fn permille_table_is_the_written_digits(v in 0u32..=1000) {
            let (mut table, mut digits) = (String::new(), String::new());
            Permille(v).write_to(&mut table).unwrap_or_default();
            Permille(v).write_digits(&mut digits).unwrap_or_default();
            proptest::prop_assert_eq!(table, digits);
            proptest::prop_assert_eq!(PERMILLE_TEXT.len(), 5 * 1001);
        }

        #[test]
        fn permille_is_the_formatted_fraction(v in proptest::prop_oneof![0u32..=1000, proptest::num::u32::ANY]) {
            proptest::prop_assert_eq!(permille(v), format!("{}.{:03}", v / 1000, v % 1000));
        }

        #[test]
        fn title_words_are_the_words_of_the_title(
            text in "(the|The|Deleting|deleted|leaks|LEAKS|passes|e|EE|running|tested|[A-Za-z0-9]{1,11}|[ .,`_\\-]|\u{e9}){0,16}",
        ) {
            let mut expected = Vec::new();
            for_each_word(&text, &mut String::new(), |w| expected.push((token_key(w), w.to_string())));
            let mut got = Vec::new();
            word_keys_and_words(&text, &mut String::new(), |key, w| {
                got.push((key, String::from_utf8_lossy(w).into_owned()));
            });
            proptest::prop_assert_eq!(got, expected);
        }

        #[test]
        fn the_title_key_is_the_title_words_joined(
            title in "(The|Deleting|e|run\\(|a_b|[A-Za-z0-9]{1,11}|[ .,`_\\-]|\u{e9}){0,16}",
        ) {
            let mut words = Vec::new();
            for_each_word(&title, &mut String::new(), |w| words.push(w.to_string()));
            // An empty word (`e` stems to nothing) adds no space before the next.
            let mut expected = String::new();
            for w in &words {
                if !expected.is_empty() {
                    expected.push(' ');
                }
                expected.push_str(w);
            }
            let f = RawFinding {
                ordinal: 1,
                raised_id: None,
                severity: crate::model::Severity::Important,
                classification: None,
                tags: Vec::new(),
                title,
                locations: Vec::new(),
                body: String::new(),
                fix: None,
                code_blocks: Vec::new(),
                line: 1,
            };
            proptest::prop_assert_eq!(Features::of(&f).title_key, expected);
        }

        #[test]
        fn long_word_keys_are_the_keys_of_the_lowercased_stems(
            w in "[A-Za-z0-9]{3,17}([Ee]{1,3}|[Ii][Nn][Gg]|[Ee][DdSs]|[Ss]{1,2})|[eE]{9,12}(ing|s|ed)?|[A-Za-z0-9]{9,30}",
        ) {
            proptest::prop_assume!(w.len() > 8);
            // The form it replaced: the word lowercased into a copy and stemmed.
            let lower = w.to_ascii_lowercase();
            let stemmed = stem(&lower);
            proptest::prop_assert_eq!(long_word_key(w.as_bytes()), (token_key(stemmed), stemmed.len()));
            proptest::prop_assert_eq!(long_word_key(w.as_bytes()), long_word_key_by_bytes(w.as_bytes()));
        }

        #[test]
        fn one_pass_text_keys_are_the_word_keys_and_identifiers(
            text in "(the|The|about|Deleting|leaks|ConfigMap|fooBar|aB|a\\.b|end\\.|run\\(|self\\.x|a_b|k8s|HTTP2Server|[A-Za-z0-9]{1,11}|[0-9]{1,10}|[A-Za-z0-9]{6,17}([Ee]{1,3}|[Ii][Nn][Gg]|[Ee][DdSs]|[Ss]{1,2})|[eE]{9,12}(ing|s|ed)?|[ \t\n.,;:!?_()`'\"<>\\[\\]{}/*\\-]|\u{e9}){0,40}",
        ) {
            // What came before is kept when the one pass stops short.
            let (mut words, mut ids, mut on_word) = (vec![7], vec![7], Words(vec![b"x".to_vec()]));
            let mut scratch = String::new();
            TextKeys { words: &mut words, identifiers: &mut ids, scratch: &mut scratch }
                .add(&text, &mut on_word);
            let (mut expected_words, mut expected_on_word) = (vec![7], vec![b"x".to_vec()]);
            word_keys_and_words(&text, &mut String::new(), |key, w| {
                expected_words.push(key);
                expected_on_word.push(w.to_vec());
            });
            let mut expected_ids = vec![7];
            identifier_hashes(&text, &mut String::new(), &mut expected_ids);
            // Identifiers are a set: their order and repeats do not count.
            ids.sort_unstable();
            expected_ids.sort_unstable();
            proptest::prop_assert_eq!(words, expected_words);
            proptest::prop_assert_eq!(on_word.0, expected_on_word);
            proptest::prop_assert_eq!(ids, expected_ids);
        }

        #[test]
        fn small_runs_are_the_counted_small_letters(
            text in proptest::collection::vec(
                proptest::prop_oneof![
                    8 => proptest::sample::select(b"abmyz`{@AZ09 .\x00\x7f\x80\xe0\xff".to_vec()),
                    1 => proptest::num::u8::ANY,
                ],
                8..9,
            ),
        ) {
            let x = chunk_at(&text, 0);
            let counted = text.iter().take_while(|b| b.is_ascii_lowercase()).count();
            proptest::prop_assert_eq!(small_run(x), counted);
        }

        #[test]
        fn prose_text_keys_are_the_word_keys_and_identifiers(
            text in "(the|a|in|of|and|deleting|leaks|states|passes|ee|e|ss|code|run|fooBar|The|a\\.b|run\\(|k8s|[a-z]{1,9}|[a-z]{8,20}|[A-Z][a-z]{7,12}|eeeeeeeee|passingesses|[A-Z@\\[`][a-z]{0,8}|\\. |[ ,;.\n]){0,60}",
        ) {
            let (mut words, mut ids, mut on_word) = (Vec::new(), Vec::new(), Words(Vec::new()));
            let mut scratch = String::new();
            TextKeys { words: &mut words, identifiers: &mut ids, scratch: &mut scratch }
                .add(&text, &mut on_word);
            let (mut expected_words, mut expected_on_word) = (Vec::new(), Vec::new());
            word_keys_and_words(&text, &mut String::new(), |key, w| {
                expected_words.push(key);
                expected_on_word.push(w.to_vec());
            });
            let mut expected_ids = Vec::new();
            identifier_hashes(&text, &mut String::new(), &mut expected_ids);
            ids.sort_unstable();
            expected_ids.sort_unstable();
            proptest::prop_assert_eq!(words, expected_words);
            proptest::prop_assert_eq!(on_word.0, expected_on_word);
            proptest::prop_assert_eq!(ids, expected_ids);
        }

        #[test]
        fn camel_pairs_by_chunks_are_the_pairs_walked(run in "[A-Z0-9]{0,10}([a-z0-9]{0,9}[A-Z0-9]{1,3}){0,4}|[a-zA-Z0-9]{0,40}") {
            let walked = run
                .as_bytes()
                .windows(2)
                .any(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase());
            proptest::prop_assert_eq!(has_camel_pair(run.as_bytes()), walked);
        }

        #[test]
        fn word_runs_are_the_counted_runs(
            text in proptest::collection::vec(
                proptest::prop_oneof![
                    8 => proptest::sample::select(b"aAzZ09gG_ .(`@[{/:\x00\x7f".to_vec()),
                    1 => proptest::num::u8::ANY,
                ],
                1..20,
            ),
            at in proptest::arbitrary::any::<proptest::sample::Index>(),
        ) {
            let at = at.index(text.len());
            // The form it replaced: the run's bytes walked one by one.
            let counted = text[at..].iter().take(8).take_while(|b| b.is_ascii_alphanumeric()).count();
            proptest::prop_assert_eq!(word_run(chunk_at(&text, at)), (counted, low_bytes(counted)));
            let end = (at + 8).min(text.len());
            proptest::prop_assert_eq!(chunk_at(&text, at), load_at(&text, at, end - at));
        }

        #[test]
        fn word_keys_sort_like_word_lists(a in "[a-zE ._]{0,14}", b in "[a-zE ._]{0,14}") {
            proptest::prop_assert_eq!(
                word_key(&a).cmp(&word_key(&b)),
                ordered_words(&a).cmp(&ordered_words(&b))
            );
        }

        #[test]
        fn the_same_file_has_the_same_file_name_key(a in "[ab/.]{0,7}", b in "[ab/.]{0,7}") {
            let (x, y) = (NormLocation::new(a.clone(), None), NormLocation::new(b.clone(), None));
            proptest::prop_assert!(!same_file(&a, &b) || x.base == y.base);
        }

        #[test]
        fn file_name_bits_never_hide_a_shared_file_name(
            a in proptest::collection::vec("[ab/.]{0,7}|[a-z/]{9,20}\\.go", 0..4),
            b in proptest::collection::vec("[ab/.]{0,7}|[a-z/]{9,20}\\.go", 0..4),
        ) {
            let finding = |paths: &[String]| {
                Features::of(&RawFinding {
                    ordinal: 1,
                    raised_id: None,
                    severity: crate::model::Severity::Important,
                    classification: None,
                    tags: Vec::new(),
                    title: String::new(),
                    locations: paths
                        .iter()
                        .map(|p| Location { path: p.clone(), start: None, end: None })
                        .collect(),
                    body: String::new(),
                    fix: None,
                    code_blocks: Vec::new(),
                    line: 1,
                })
            };
            let (x, y) = (finding(&a), finding(&b));
            let shared = x.locations.iter().any(|l| y.locations.iter().any(|m| l.base == m.base));
            proptest::prop_assert!(!shared || x.file_names & y.file_names != 0);
        }

        #[test]
        fn word_keys_are_the_keys_of_the_words(
            text in "(the|The|ABOUT|without|Deleting|deleted|leaks|LEAKS|pass|passes|sees|e|EE|running|tested|codes|[A-Za-z0-9]{1,11}|[ .,`_\\-]|\u{e9}){0,24}",
        ) {
            let mut expected = Vec::new();
            for_each_word(&text, &mut String::new(), |w| expected.push(token_key(w)));
            let mut keys = Vec::new();
            word_keys(&text, &mut String::new(), &mut keys);
            proptest::prop_assert_eq!(keys, expected);
        }

        #[test]
        fn breakdowns_list_the_parts(
            location in proptest::option::of(0u32..=1000),
            identifiers in proptest::option::of(0u32..=1000),
            code in proptest::option::of(0u32..=1000),
            title in 0u32..=1000,
            body in 0u32..=1000,
        ) {
            let rules = crate::consolidate::rules::Rules::default().cluster;
            let s = Signals { location, identifiers, title, body, code, ranges_apart: false };
            let from_parts = s
                .parts(&rules)
                .map(|(name, v, w)| format!("{name} {}.{:03}×{}.{:03}", v / 1000, v % 1000, w / 1000, w % 1000))
                .collect::<Vec<_>>()
                .join(" + ");
            proptest::prop_assert_eq!(s.breakdown(&rules), from_parts);
        }

        #[test]
        fn packed_stems_are_the_stems_by_tails(w in "[a-z0-9]{1,8}|[a-z]{0,4}(e|ee|s|ss|es|ed|ing|eing|eed|ees)") {
            let packed = pack(w.as_bytes());
            proptest::prop_assert_eq!(stem_packed(packed, w.len()), stem_packed_by_tails(packed, w.len()));
            proptest::prop_assert_eq!(stem_packed(packed, w.len()), pack(stem(&w).as_bytes()));
            proptest::prop_assert_eq!(stem_packed(packed, w.len()), stem_packed_clamped(packed, w.len()));
        }

        #[test]
        fn code_words_by_bytes_are_code_words_by_chars(
            raw in "([a-zA-Z0-9]{1,4}|[_.()\\[\\]`'\"/:,*-]|\u{e9}|\u{2019}){0,8}",
        ) {
            proptest::prop_assert_eq!(code_word(&raw), code_word_by_chars(&raw));
            if raw.is_ascii() {
                proptest::prop_assert_eq!(is_code_shaped_ascii(raw.as_bytes()), is_code_shaped(&raw));
            }
        }

        #[test]
        fn marked_words_by_bytes_are_marked_words_by_chars(text in "([a-zA-Z0-9]{1,6}|[ \t\n.,;:_()`<>\\[\\]{}!?'\"]){0,30}") {
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            for_each_marked_word(&text, |w| fast.push(w.to_string()));
            for_each_marked_word_by_chars(&text, |w| slow.push(w.to_string()));
            proptest::prop_assert_eq!(&fast, &slow);
            let mut by_class = Vec::new();
            if text.is_ascii() {
                for_each_marked_word_by_class(&text, |w| by_class.push(w.to_string()));
                proptest::prop_assert_eq!(fast, by_class);
            }
        }

        #[test]
        fn ascii_words_are_ascii_words_by_class(text in "([a-zA-Z0-9]{1,11}|[0-9]{1,10}|[ .,`_\\-]|\u{7f}){0,24}") {
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            for_each_ascii_word(&text, |s, e| fast.push((s, e)));
            for_each_ascii_word_by_class(&text, |s, e| slow.push((s, e)));
            proptest::prop_assert_eq!(fast, slow);
        }

        #[test]
        fn low_bytes_are_the_low_bytes(n in 0usize..12) {
            let expected = if n >= 8 { u64::MAX } else { (1u64 << (8 * n)) - 1 };
            proptest::prop_assert_eq!(low_bytes(n), expected);
        }

        #[test]
        fn next_mark_finds_the_first_mark(text in "[ -~]{0,40}", from in 0usize..44) {
            let expected = text
                .bytes()
                .enumerate()
                .skip(from)
                .find(|&(_, b)| ASCII_CLASS[usize::from(b)] == Class::Mark)
                .map(|(i, _)| i);
            proptest::prop_assert_eq!(next_mark(text.as_bytes(), from), expected);
        }

        #[test]
        fn signatures_never_hide_a_shared_token(
            a in proptest::collection::vec("[a-z]{1,3}|[a-z]{9,12}", 0..12),
            b in proptest::collection::vec("[a-z]{1,3}|[a-z]{9,12}", 0..12),
        ) {
            let (sa, sb): (TokenSet, TokenSet) = (a.iter().collect(), b.iter().collect());
            let merged = sa.keys.iter().filter(|k| sb.keys.binary_search(k).is_ok()).count();
            proptest::prop_assert_eq!(sa.common(&sb), merged);
        }

        #[test]
        fn the_score_is_the_weighted_mean_of_the_signals_present(
            location in proptest::option::of(0u32..=1000),
            identifiers in proptest::option::of(0u32..=1000),
            code in proptest::option::of(0u32..=1000),
            title in 0u32..=1000,
            body in 0u32..=1000,
            weights in proptest::option::of((0u32..=1000, 0u32..=1000, 0u32..=1000, 0u32..=1000, 0u32..=1000)),
        ) {
            // The default weights, or any others a rules file may give.
            let mut rules = crate::consolidate::rules::Rules::default().cluster;
            if let Some((wl, wi, wt, wb, wc)) = weights {
                rules.weights = crate::consolidate::rules::Weights {
                    location: wl,
                    identifiers: wi,
                    title: wt,
                    body: wb,
                    code: wc,
                };
            }
            let w = &rules.weights;
            let s = Signals { location, identifiers, title, body, code, ranges_apart: false };
            let present = [
                location.map(|v| (v, w.location)),
                identifiers.map(|v| (v, w.identifiers)),
                Some((title, w.title)),
                Some((body, w.body)),
                code.map(|v| (v, w.code)),
            ];
            let (sum, total) = present
                .iter()
                .flatten()
                .fold((0u64, 0u64), |(s, t), &(v, w)| (s + u64::from(v) * u64::from(w), t + u64::from(w)));
            let expected = sum.checked_div(total).map_or(0, |m| u32::try_from(m).unwrap_or(1000));
            proptest::prop_assert_eq!(s.score(&rules), expected);
            // The form the score had before it was written out: a walk of its parts.
            let (sum, total) = s
                .parts(&rules)
                .fold((0u64, 0u64), |(s, t), (_, v, w)| (s + u64::from(v) * u64::from(w), t + u64::from(w)));
            let by_parts = sum.checked_div(total).map_or(0, |m| u32::try_from(m).unwrap_or(1000));
            proptest::prop_assert_eq!(s.score(&rules), by_parts);
            // The test without the division against the score it replaced.
            for t in [0, 1, title, body, by_parts, by_parts.saturating_add(1), 1000, 1001, u32::MAX] {
                proptest::prop_assert_eq!(s.reaches(&rules, t), s.score(&rules) >= t);
            }
        }

        #[test]
        fn the_mean_reaches_a_threshold_exactly_when_its_quotient_does(
            sum in proptest::prop_oneof![0u64..=2_000_000, proptest::num::u64::ANY],
            total in proptest::prop_oneof![0u64..=6_000, proptest::num::u64::ANY, 0u64..=(u64::MAX >> 32)],
            threshold in proptest::prop_oneof![0u32..=1001, proptest::num::u32::ANY],
            near in -2i64..=2,
        ) {
            // Any sum, and sums at a product's edge, where the two forms could part.
            let edge = u64::try_from((i128::from(threshold) * i128::from(total) + i128::from(near)).clamp(0, i128::from(u64::MAX))).unwrap_or(0);
            for sum in [sum, edge, total << 32, (total << 32).wrapping_sub(1)] {
                proptest::prop_assert_eq!(mean_reaches(sum, total, threshold), mean_of(sum, total) >= threshold);
            }
        }

        #[test]
        fn common_counts_shared_tokens(
            a in proptest::collection::vec("[a-e]{1,2}", 0..12),
            b in proptest::collection::vec("[a-e]{1,2}", 0..12),
        ) {
            let (sa, sb): (TokenSet, TokenSet) = (a.iter().collect(), b.iter().collect());
            let expected = a
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .intersection(&b.iter().collect())
                .count();
            proptest::prop_assert_eq!(sa.common(&sb), expected);
            proptest::prop_assert_eq!(sb.common(&sa), expected);
        }

        #[test]
        fn stop_table_agrees_with_the_list(w in "[a-z]{0,8}|(a|about|the|with|this|that)") {
            proptest::prop_assert_eq!(is_stop_word(&w), STOP_WORDS.contains(&w.as_str()));
        }

        #[test]
        fn token_keys_are_equal_only_for_equal_short_tokens(
            a in "[a-z0-9_]{1,8}",
            b in "[a-z0-9_]{1,8}",
        ) {
            proptest::prop_assert_eq!(token_key(&a) == token_key(&b), a == b);
        }

        #[test]
        fn long_tokens_never_take_a_short_token_key(
            short in "[ -~]{1,8}",
            long in "[ -~]{9,40}|.{1,6}\u{e9}",
        ) {
            proptest::prop_assert_ne!(token_key(&short), token_key(&long));
            proptest::prop_assert!(token_key(&long) >> 63 == 1);
        }
    }

    #[test]
    fn the_class_table_is_the_separator_and_mark_tests() {
        for b in 0u8..128 {
            let c = char::from(b);
            let expected = if is_word_separator(c) {
                Class::Separator
            } else if matches!(c, '_' | '.' | '(') || c.is_ascii_uppercase() {
                Class::Mark
            } else {
                Class::Other
            };
            assert_eq!(ASCII_CLASS[usize::from(b)], expected, "{b}");
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

    /// [`hashed_key`] reads whole chunks and the last one as the eight bytes
    /// that end the key: every length of key up to 40 bytes, from texts of
    /// every length up to 41 bytes, each byte its own value (so that a byte
    /// read from the wrong place, or a byte past the key, changes the key),
    /// with and without the lowercasing bits.
    #[test]
    fn hashed_keys_of_every_length_are_the_loaded_keys() {
        for total in 0..=41usize {
            let b: Vec<u8> = (0..total).map(|k| 0x41 + k as u8).collect();
            for len in 0..=total.min(40) {
                for or in [0, 0x2020_2020_2020_2020] {
                    assert_eq!(
                        hashed_key(&b, len, or),
                        hashed_key_by_load(&b, len, or),
                        "{total} {len}"
                    );
                }
            }
        }
    }

    /// [`long_word_key`] reads a word's last eight bytes: a run of `e`s of
    /// every length, before every suffix, in words of every length up to
    /// 20, so that the `e`s end at each place of the eight bytes read and
    /// run past their start; in small letters and in capitals.
    #[test]
    fn long_word_keys_at_every_length_of_a_run_of_es() {
        for len in 1usize..=20 {
            for suffix in ["", "s", "ss", "es", "ed", "ing", "d", "g"] {
                for es in 0..=len {
                    let Some(head) = len.checked_sub(es + suffix.len()) else {
                        continue;
                    };
                    for (b, e) in [("b", "e"), ("B", "E"), ("e", "e")] {
                        let word = format!("{}{}{suffix}", b.repeat(head), e.repeat(es));
                        let lower = word.to_ascii_lowercase();
                        let stemmed = stem(&lower);
                        assert_eq!(
                            long_word_key(word.as_bytes()),
                            (token_key(stemmed), stemmed.len()),
                            "{word}"
                        );
                        if word.len() > 8 {
                            assert_eq!(
                                long_word_key(word.as_bytes()),
                                long_word_key_by_bytes(word.as_bytes()),
                                "{word}"
                            );
                        }
                    }
                }
            }
        }
    }

    /// [`long_word_key`] as it was before it read the word's last eight
    /// bytes as one integer: each suffix compared byte by byte, the `e`s
    /// stripped one by one. The reference its test checks.
    fn long_word_key_by_bytes(w: &[u8]) -> (u64, usize) {
        let n = w.len();
        let lower = |k: usize| w.get(k).map_or(0, |&c| c | 0x20);
        let at_end = |suffix: &[u8]| {
            n >= suffix.len()
                && suffix
                    .iter()
                    .enumerate()
                    .all(|(k, &c)| lower(n - suffix.len() + k) == c)
        };
        let cut = if at_end(b"ss") {
            0
        } else if at_end(b"ing") {
            3
        } else if at_end(b"ed") || at_end(b"es") {
            2
        } else {
            usize::from(at_end(b"s"))
        };
        let mut m = n - cut;
        while m > 0 && lower(m - 1) == b'e' {
            m -= 1;
        }
        let key = if m <= 8 {
            load_at(w, 0, m) | (0x2020_2020_2020_2020 & low_bytes(m))
        } else {
            hashed_key(w, m, 0x2020_2020_2020_2020)
        };
        (key, m)
    }

    /// The dedup of a sorted list as it was before it also took the signature:
    /// the previous kept value read back from the list, and the signature
    /// folded in a second pass. The reference its test checks.
    fn dedup_sorted_then_signature(v: &mut Vec<u64>) -> u64 {
        let mut kept = 0;
        for i in 0..v.len() {
            let x = v[i];
            v[kept] = x;
            kept += usize::from(kept == 0 || v[kept - 1] != x);
        }
        v.truncate(kept);
        v.iter().fold(0, |s, &k| s | signature_bit(k))
    }

    proptest::proptest! {
        #[test]
        fn hashed_keys_read_by_chunks_are_the_loaded_keys(
            b in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            cut in 0usize..40,
            lower in proptest::bool::ANY,
        ) {
            // Any length up to the bytes' own (a long word's stem is shorter
            // than the word), from none to all of them.
            let len = cut.min(b.len());
            let or = if lower { 0x2020_2020_2020_2020 } else { 0 };
            proptest::prop_assert_eq!(hashed_key(&b, len, or), hashed_key_by_load(&b, len, or));
        }

        #[test]
        fn one_pass_dedup_is_dedup_then_signature(
            mut keys in proptest::collection::vec(proptest::prop_oneof![0u64..6, proptest::num::u64::ANY], 0..40),
        ) {
            keys.sort_unstable();
            let mut reference = keys.clone();
            let signature = dedup_sorted_then_signature(&mut reference);
            let mut fast = keys.clone();
            proptest::prop_assert_eq!(dedup_sorted::<true>(&mut fast), signature);
            proptest::prop_assert_eq!(&fast, &reference);
            keys.dedup();
            proptest::prop_assert_eq!(fast, keys);
        }
    }

    /// [`signals_reaching`] in its plain form: every signal but the body
    /// computed for each pair that may anchor, the title words merged and the
    /// file names compared. The reference its test checks.
    fn signals_reaching_by_body_bound(
        a: &Features,
        b: &Features,
        rules: &ClusterRules,
        threshold: u32,
    ) -> Option<Signals> {
        if !may_anchor(
            a,
            b,
            rules,
            shares_file_name(a, b),
            &TitleRows::default(),
            (0, 0),
        ) {
            return None;
        }
        let mut s = signals_but_body(a, b, rules, a.title_words.common(&b.title_words));
        s.body = dice_bound(&a.words, &b.words);
        if s.score(rules) < threshold || !s.anchored(rules) {
            return None;
        }
        s.body = dice(&a.words, &b.words);
        Some(s)
    }

    /// A finding of any shape for the pair-scoring tests: several locations
    /// (with or without lines), code lines or none.
    fn finding_of(
        title: &str,
        body: &str,
        locations: &[(&str, Option<u32>, u32)],
        code: &str,
    ) -> Features {
        Features::of(&RawFinding {
            ordinal: 1,
            raised_id: None,
            severity: crate::model::Severity::Important,
            classification: None,
            tags: Vec::new(),
            title: title.into(),
            locations: locations
                .iter()
                .map(|&(path, start, len)| Location {
                    path: path.into(),
                    start,
                    end: start.map(|s| s + len),
                })
                .collect(),
            body: body.into(),
            fix: None,
            code_blocks: if code.is_empty() {
                Vec::new()
            } else {
                vec![code.into()]
            },
            line: 1,
        })
    }

    proptest::proptest! {
        #[test]
        fn pairs_reaching_are_the_pairs_the_body_bound_lets_through(
            t1 in "(leak|lock|the|cache|`Reconcile`|`run_loop`|Retry|`a.b`) {0,5}",
            t2 in "(leak|lock|the|cache|`Reconcile`|`run_loop`|Retry|`a.b`) {0,5}",
            b1 in "(leak|`Reconcile`|`run_loop`|holds|state|`a.b`|`x_y`|lock|page) {0,8}",
            b2 in "(leak|`Reconcile`|`run_loop`|holds|state|`a.b`|`x_y`|lock|page) {0,8}",
            l1 in proptest::collection::vec(("(pkg/a\\.go|a\\.go|b\\.go|pkg/b/a\\.go|c/b\\.go)", proptest::option::of(1u32..80), 0u32..10), 0..3),
            l2 in proptest::collection::vec(("(pkg/a\\.go|a\\.go|b\\.go|pkg/b/a\\.go|c/b\\.go)", proptest::option::of(1u32..80), 0u32..10), 0..3),
            c1 in "((x = 1|y = 2|return z|f\\(\\))\n){0,3}",
            c2 in "((x = 1|y = 2|return z|f\\(\\))\n){0,3}",
            anchors in (0u32..=1000, 0u32..=1000, 0u32..=1000, 0u32..=1000),
            weights in (0u32..=1000, 0u32..=1000, 0u32..=1000, 0u32..=1000, 0u32..=1000),
            (threshold, floor, far, file_only, window) in (0u32..=1000, 0u32..5, 0u32..=1000, 0u32..=1000, 0u32..40),
        ) {
            let r1: Vec<(&str, Option<u32>, u32)> = l1.iter().map(|(p, s, n)| (p.as_str(), *s, *n)).collect();
            let r2: Vec<(&str, Option<u32>, u32)> = l2.iter().map(|(p, s, n)| (p.as_str(), *s, *n)).collect();
            let (x, y) = (finding_of(&t1, &b1, &r1, &c1), finding_of(&t2, &b2, &r2, &c2));
            let mut rules = crate::consolidate::rules::Rules::default().cluster;
            (rules.anchor_location, rules.anchor_identifiers, rules.anchor_title, rules.anchor_adjacent_body) = anchors;
            let w = &mut rules.weights;
            (w.location, w.identifiers, w.title, w.body, w.code) = weights;
            (rules.identifier_min_denominator, rules.far_score, rules.file_only_score, rules.line_window) = (floor, far, file_only, window);
            rules.threshold = threshold;
            let fast = signals_reaching(&x, &y, &rules, threshold);
            proptest::prop_assert_eq!(fast, signals_reaching_by_body_bound(&x, &y, &rules, threshold));
            // Told exactly whether the pair shares a file, as the clustering
            // tells it, rather than whether it shares a file name.
            let shares = x
                .locations
                .iter()
                .any(|l| y.locations.iter().any(|m| same_file(&l.path, &m.path)));
            proptest::prop_assert_eq!(
                signals_reaching_named(&x, &y, &rules, threshold, shares, &TitleRows::default(), (0, 0)),
                fast
            );
            // Told nothing (a round that keeps only its file names' bits may
            // say a pair shares a file when it does not).
            proptest::prop_assert_eq!(
                signals_reaching_named(&x, &y, &rules, threshold, true, &TitleRows::default(), (0, 0)),
                fast
            );
            // A pair let through has its true signals (the caller decides on the
            // exact body); a pair refused could not have been merged.
            let s = signals(&x, &y, &rules);
            match fast {
                Some(f) => proptest::prop_assert_eq!(f, s),
                None => proptest::prop_assert!(s.score(&rules) < threshold || !s.anchored(&rules)),
            }
        }

        #[test]
        fn dice_bounds_bound_dice(
            a in proptest::collection::vec("[a-e]{1,2}", 0..8),
            b in proptest::collection::vec("[a-e]{1,2}", 0..8),
        ) {
            let (a, b): (TokenSet, TokenSet) = (a.iter().collect(), b.iter().collect());
            proptest::prop_assert!(dice(&a, &b) <= dice_bound(&a, &b));
        }
    }

    proptest::proptest! {
        #[test]
        fn a_pair_sharing_no_file_name_has_the_facts_of_no_shared_file(
            l1 in proptest::collection::vec(("(pkg/a\\.go|a\\.go|b\\.go|pkg/b/a\\.go|c/b\\.go|A\\.GO|x/c\\.rs|d\\.py)", proptest::option::of(1u32..80), 0u32..10), 0..4),
            l2 in proptest::collection::vec(("(pkg/a\\.go|a\\.go|b\\.go|pkg/b/a\\.go|c/b\\.go|A\\.GO|x/c\\.rs|d\\.py)", proptest::option::of(1u32..80), 0u32..10), 0..4),
            (far, file_only, window) in (0u32..=1000, 0u32..=1000, 0u32..40),
        ) {
            let r1: Vec<(&str, Option<u32>, u32)> = l1.iter().map(|(p, s, n)| (p.as_str(), *s, *n)).collect();
            let r2: Vec<(&str, Option<u32>, u32)> = l2.iter().map(|(p, s, n)| (p.as_str(), *s, *n)).collect();
            let (x, y) = (finding_of("t", "b", &r1, ""), finding_of("t", "b", &r2, ""));
            let mut rules = crate::consolidate::rules::Rules::default().cluster;
            (rules.far_score, rules.file_only_score, rules.line_window) = (far, file_only, window);
            proptest::prop_assert_eq!(
                Frame::named(&x, &y, &rules, shares_file_name(&x, &y)).facts,
                location_facts(&x.locations, &y.locations, &rules)
            );
        }
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

    proptest::proptest! {
        #[test]
        fn facts_of_single_locations_are_the_walks(
            l1 in proptest::collection::vec(("(a\\.go|pkg/a\\.go|b\\.go)", proptest::option::of(1u32..60), 0u32..10), 1..3),
            l2 in proptest::collection::vec(("(a\\.go|pkg/a\\.go|b\\.go|)", proptest::option::of(1u32..60), 0u32..10), 0..3),
            (far, file_only, window) in (0u32..=1000, 0u32..=1000, 0u32..40),
        ) {
            // The form it replaced: every pair, one location each or not,
            // walked by `location_facts`.
            let locations = |l: &[(String, Option<u32>, u32)]| -> Vec<NormLocation> {
                l.iter()
                    .map(|(p, s, n)| NormLocation::new(normalize_path(p), s.map(|s| (s, s + n))))
                    .collect()
            };
            let (a, b) = (locations(&l1), locations(&l2));
            let mut rules = crate::consolidate::rules::Rules::default().cluster;
            (rules.far_score, rules.file_only_score, rules.line_window) = (far, file_only, window);
            proptest::prop_assert_eq!(location_facts_of(&a, &b, &rules), location_facts(&a, &b, &rules));
        }
    }

    #[test]
    fn one_pass_location_facts_match_the_separate_walks() {
        let rules = crate::consolidate::rules::Rules::default().cluster;
        let loc = |path: &str, lines: Option<(u32, u32)>| NormLocation::new(path.into(), lines);
        let sets = [
            vec![],
            vec![loc("a.go", Some((10, 20)))],
            vec![loc("pkg/a.go", Some((30, 40))), loc("b.go", None)],
            vec![loc("a.go", Some((15, 16))), loc("c.go", Some((1, 1)))],
            vec![loc("b.go", Some((5, 9)))],
            vec![loc("pkg/a.go", Some((200, 210)))],
        ];
        for a in &sets {
            for b in &sets {
                let f = location_facts(a, b, &rules);
                // The pair of single locations, read where it is called.
                assert_eq!(location_facts_of(a, b, &rules), f, "{a:?} {b:?}");
                let shared = a
                    .iter()
                    .any(|x| b.iter().any(|y| same_file(&x.path, &y.path)));
                assert_eq!(f.shared, shared, "{a:?} {b:?}");
                assert_eq!(f.apart, ranges_apart(a, b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn gap_is_zero_on_overlap() {
        assert_eq!(line_gap((10, 20), (15, 30)), 0);
        assert_eq!(line_gap((10, 20), (25, 30)), 5);
        assert_eq!(line_gap((25, 30), (10, 20)), 5);
    }
}

/// Tests of the finding-feature code paths (the keys, the sets and the word
/// scan), each faster form against the form it replaced.
#[cfg(test)]
mod feature_tests {
    use super::*;

    /// [`TokenSet::from_hashes`] as it was first written: every list sorted,
    /// its repeats removed, its signature folded from its keys.
    fn from_hashes_by_sorting(mut hashes: Vec<u64>) -> TokenSet {
        hashes.sort_unstable();
        hashes.dedup();
        let signature = hashes.iter().fold(0, |s, &k| s | signature_bit(k));
        TokenSet {
            keys: hashes,
            signature,
        }
    }

    proptest::proptest! {
        #[test]
        fn from_hashes_is_sorting_then_dedup(
            keys in proptest::collection::vec(proptest::prop_oneof![0u64..6, proptest::num::u64::ANY], 0..40),
        ) {
            let fast = TokenSet::from_hashes(keys.clone());
            let reference = from_hashes_by_sorting(keys);
            proptest::prop_assert_eq!(fast.signature, reference.signature);
            proptest::prop_assert_eq!(fast, reference);
        }

        #[test]
        fn unsigned_sets_count_shared_tokens_as_signed_sets(
            a in proptest::collection::vec(proptest::prop_oneof![0u64..12, proptest::num::u64::ANY], 0..40),
            b in proptest::collection::vec(proptest::prop_oneof![0u64..12, proptest::num::u64::ANY], 0..40),
        ) {
            let (signed_a, signed_b) = (from_hashes_by_sorting(a.clone()), from_hashes_by_sorting(b.clone()));
            let (unsigned_a, unsigned_b) = (TokenSet::from_hashes_unsigned(a), TokenSet::from_hashes_unsigned(b));
            proptest::prop_assert_eq!(&unsigned_a.keys, &signed_a.keys);
            // Never fewer bits than its keys': no shared token hidden.
            proptest::prop_assert_eq!(unsigned_a.signature & signed_a.signature, signed_a.signature);
            let shared = signed_a.common(&signed_b);
            proptest::prop_assert_eq!(unsigned_a.common(&unsigned_b), shared);
            proptest::prop_assert_eq!(unsigned_a.common(&signed_b), shared);
            proptest::prop_assert_eq!(signed_a.common(&unsigned_b), shared);
            proptest::prop_assert_eq!(&unsigned_a, &signed_a);
        }
    }

    proptest::proptest! {
        #[test]
        fn file_name_keys_are_the_keys_of_the_base_names(
            path in "([a-zA-Z0-9._/]|\\x00|\u{7f}|\u{e9}|/[a-z]{9,12}){0,24}",
        ) {
            proptest::prop_assert_eq!(file_name_key(&path), token_key(basename(&path)));
        }
    }

    /// [`file_name_key`] reads a short name as the path's last eight bytes:
    /// every path of up to 20 bytes, with a slash at each place (or none)
    /// and a zero byte, a byte that is not ASCII or a capital at each place,
    /// so that each byte that decides is tried on each side of the name's
    /// start and of the eight bytes read.
    #[test]
    fn file_name_keys_read_at_every_offset() {
        for len in 0..=20 {
            for slash in (0..len).map(Some).chain([None]) {
                for (at, odd) in (0..len).flat_map(|at| ["\0", "\u{e9}", "Q", "a"].map(|c| (at, c)))
                {
                    let path: String = (0..len)
                        .map(|k| match (Some(k) == slash, k == at) {
                            (true, _) => "/",
                            (false, true) => odd,
                            (false, false) => "b",
                        })
                        .collect();
                    assert_eq!(file_name_key(&path), token_key(basename(&path)), "{path:?}");
                }
            }
        }
    }

    #[test]
    fn an_empty_list_is_the_empty_set() {
        let set = TokenSet::from_hashes(Vec::new());
        assert!(set.is_empty());
        assert_eq!(set.signature, 0);
        assert_eq!(set, TokenSet::default());
        let unsigned = TokenSet::from_hashes_unsigned(Vec::new());
        assert!(unsigned.is_empty());
        assert_eq!(unsigned.signature, 0);
    }
}

/// Tests of the pair-scoring code paths, each faster form against the form it
/// replaced.
#[cfg(test)]
mod pair_tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_written_breakdown_is_the_displayed_one(
            location in proptest::option::of(0u32..1200),
            identifiers in proptest::option::of(0u32..1200),
            title in 0u32..1200,
            body in 0u32..12000,
            code in proptest::option::of(0u32..1200),
            weights in proptest::collection::vec(0u32..20000, 5),
        ) {
            let mut rules = crate::consolidate::rules::Rules::default().cluster;
            rules.weights.location = weights[0];
            rules.weights.identifiers = weights[1];
            rules.weights.title = weights[2];
            rules.weights.body = weights[3];
            rules.weights.code = weights[4];
            let s = Signals { location, identifiers, title, body, code, ranges_apart: false };
            let mut written = String::from("before ");
            s.write_breakdown(&BreakdownTexts::new(&rules), &mut written);
            let mut by_calls = String::from("before ");
            write_breakdown_by_calls(&s, &BreakdownTexts::new(&rules), &mut by_calls);
            prop_assert_eq!(&written, &by_calls);
            prop_assert_eq!(written, format!("before {}", s.breakdown(&rules)));
        }
    }

    /// [`Signals::write_breakdown`] as it was before each value was written
    /// in place: a call of [`Permille::write_to`] for each. The reference its
    /// test checks.
    fn write_breakdown_by_calls(s: &Signals, texts: &BreakdownTexts, out: &mut String) {
        let values = s.breakdown_values();
        let mut names = &FIRST_NAMES;
        for (k, value) in values.into_iter().enumerate() {
            let Some(value) = value else {
                continue;
            };
            out.push_str(names[k]);
            names = &LATER_NAMES;
            let _ = Permille(value).write_to(out);
            out.push_str(&texts.weight[k]);
        }
    }
}
