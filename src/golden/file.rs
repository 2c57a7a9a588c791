//! The golden file format (see `docs/golden.md`).
//!
//! A round `<id>` has two golden files in the golden directory: `<id>.md`, the
//! markdown report, and `<id>.json`, the JSON report (`review-replay/report/v1`).
//! The first line of the `.md` is a stamp:
//!
//! ```text
//! <!-- review-replay golden v1; cassette sha256:<hex>; rules sha256:<hex> -->
//! ```
//!
//! recording what the golden was blessed against, so that a difference can be
//! explained as "the cassette changed", "the rules changed" or "the engine now
//! decides differently". The rest of the `.md` is the rendered markdown, byte for
//! byte; the `.json` is the rendered JSON, byte for byte.
//!
//! Invariant: [`stamped_markdown`] and [`parse_markdown`] are inverse: parsing what
//! was stamped gives back the stamp and the body unchanged.

use std::path::{Path, PathBuf};

use crate::cassette::sha256_id;
use crate::error::Error;
use crate::report::Report;

const STAMP_PREFIX: &str = "<!-- review-replay golden v1; ";
const STAMP_SUFFIX: &str = " -->";

/// Suffix of pending files written by `check --pending` (`<id>.md.new`).
pub const PENDING_SUFFIX: &str = ".new";

/// What a golden file was blessed against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// `sha256:<hex>` of the cassette file's bytes.
    pub cassette: String,
    /// `sha256:<hex>` of the rules text (see [`rules_hash`]).
    pub rules: String,
}

/// A parsed golden markdown file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldenMarkdown {
    /// Its stamp.
    pub stamp: Stamp,
    /// The markdown report after the stamp line.
    pub body: String,
}

/// The hash recorded for a rules file: `sha256:` of its bytes, or of
/// [`crate::consolidate::rules::DEFAULT_RULES_TOML`] for the built-in rules. With
/// `--rules-only` a marker is appended before hashing, so goldens blessed with and
/// without recorded adjudications are told apart.
pub fn rules_hash(rules_bytes: &[u8], rules_only: bool) -> String {
    if rules_only {
        let mut b = rules_bytes.to_vec();
        b.extend_from_slice(b"\n# review-replay: rules-only\n");
        sha256_id(&b)
    } else {
        sha256_id(rules_bytes)
    }
}

/// The markdown golden contents: stamp line, then the rendered report.
pub fn stamped_markdown(stamp: &Stamp, body: &str) -> String {
    format!(
        "{STAMP_PREFIX}cassette {}; rules {}{STAMP_SUFFIX}\n{body}",
        stamp.cassette, stamp.rules
    )
}

/// Reads a golden markdown file's text. Errors name the file and `1:1` when the
/// stamp line is missing or malformed.
pub fn parse_markdown(path: &Path, text: &str) -> Result<GoldenMarkdown, Error> {
    let (first, body) = match text.split_once('\n') {
        Some((f, b)) => (f, b),
        None => (text, ""),
    };
    Ok(GoldenMarkdown {
        stamp: parse_stamp(path, first)?,
        body: body.to_string(),
    })
}

/// A golden markdown file's bytes cut into its stamp line (without its newline)
/// and the report after it, as [`parse_markdown`] cuts its text.
pub fn split_stamp_line(bytes: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memchr(b'\n', bytes) {
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (bytes, &[]),
    }
}

/// The stamp of a golden markdown file from its first line (without its
/// newline); errors name the file, line 1, and say what is wrong.
///
/// A stamp has one form, the line [`stamped_markdown`] writes, which
/// [`stamp_hashes`] reads; any other line is refused with what is wrong with it.
pub fn parse_stamp(path: &Path, first: &str) -> Result<Stamp, Error> {
    if let Some((cassette, rules)) = stamp_hashes(first) {
        return Ok(Stamp {
            cassette: cassette.to_string(),
            rules: rules.to_string(),
        });
    }
    Err(Error::GoldenAt {
        path: path.to_path_buf(),
        line: 1,
        column: 1,
        message: format!(
            "{}; expected a first line `{STAMP_PREFIX}cassette sha256:…; rules sha256:…{STAMP_SUFFIX}` (re-bless to fix)",
            stamp_fault(first)
        ),
    })
}

/// Why a line [`stamp_hashes`] refuses is no stamp: the first fault met
/// reading its fields in order.
fn stamp_fault(first: &str) -> String {
    let Some(inner) = first
        .strip_prefix(STAMP_PREFIX)
        .and_then(|r| r.strip_suffix(STAMP_SUFFIX))
    else {
        return "missing golden stamp".to_string();
    };
    let (mut cassette, mut rules) = (false, false);
    for part in inner.split("; ") {
        let seen = match part.split_once(' ') {
            Some(("cassette", h)) if is_hash(h) => &mut cassette,
            Some(("rules", h)) if is_hash(h) => &mut rules,
            _ => return format!("unknown stamp field `{part}`"),
        };
        // Each field once: a stamp that names two hashes for one input says
        // nothing about which one was blessed (and `stamped_markdown` would
        // write back another line than the one read).
        if *seen {
            return format!("repeated stamp field `{part}`");
        }
        *seen = true;
    }
    // Both fields, each once, with valid hashes: the line `stamped_markdown`
    // writes unless the rules come first.
    if cassette && rules {
        "stamp fields out of order".to_string()
    } else {
        "incomplete golden stamp".to_string()
    }
}

/// The cassette and rules hashes of a stamp line (without its newline),
/// borrowed from it, when the line is a valid stamp; `None` otherwise
/// ([`parse_stamp`] then tells why).
///
/// A stamp has one form, the line [`stamped_markdown`] writes (each field
/// once, the cassette first), so it is checked here in place: `check` reads
/// a stamp a round, and needs neither hash copied when the round matches.
pub fn stamp_hashes(first: &str) -> Option<(&str, &str)> {
    const HASH_LEN: usize = "sha256:".len() + 64;
    let inner = first
        .strip_prefix(STAMP_PREFIX)?
        .strip_suffix(STAMP_SUFFIX)?
        .strip_prefix("cassette ")?;
    let (cassette, rest) = inner.split_at_checked(HASH_LEN)?;
    let rules = rest.strip_prefix("; rules ")?;
    (is_hash(cassette) && is_hash(rules)).then_some((cassette, rules))
}

/// True when `s` is `sha256:` and 64 hexadecimal digits (either case).
///
/// `check` reads the two hashes of every golden stamp, after an equal body
/// too (a stamp that is not valid makes the round corrupt): the digits are
/// tested all together, bitwise (the compiler makes it a few vector tests),
/// where a test of each digit that stopped at the first that is not one
/// branched on each digit's class (a letter or a number: a quarter of
/// those branches were mispredicted).
fn is_hash(s: &str) -> bool {
    let Some(Ok(digits)) = s
        .strip_prefix("sha256:")
        .map(|h| <&[u8; 64]>::try_from(h.as_bytes()))
    else {
        return false;
    };
    // `b | 0x20` is a small letter for a capital one, and only for it.
    digits.iter().fold(true, |all, &b| {
        all & ((b.wrapping_sub(b'0') < 10) | ((b | 0x20).wrapping_sub(b'a') < 6))
    })
}

/// Reads a golden JSON report; errors carry line and column.
pub fn parse_json(path: &Path, text: &str) -> Result<Report, Error> {
    serde_json::from_str::<Report>(text).map_err(|e| Error::GoldenAt {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// The two golden files of a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldenPaths {
    /// `<dir>/<id>.md`.
    pub md: PathBuf,
    /// `<dir>/<id>.json`.
    pub json: PathBuf,
}

impl GoldenPaths {
    /// The golden files of round `id` in `dir`.
    pub fn new(dir: &Path, id: &str) -> GoldenPaths {
        // Each path made in one buffer of its final size: `dir.join(format!(..))`
        // took a string for the name, a copy of `dir` and its growth, for each
        // of the two files of every round `check` compares. The same path:
        // joining the name and then adding the suffix joins the same text.
        let with = |suffix: &str| {
            let mut path =
                PathBuf::with_capacity(dir.as_os_str().len() + id.len() + suffix.len() + 1);
            path.push(dir);
            path.push(id);
            path.as_mut_os_string().push(suffix);
            path
        };
        GoldenPaths {
            md: with(".md"),
            json: with(".json"),
        }
    }

    /// The pending file beside a golden file (`<id>.md.new`).
    pub fn pending(path: &Path) -> PathBuf {
        let mut s = path.as_os_str().to_os_string();
        s.push(PENDING_SUFFIX);
        PathBuf::from(s)
    }
}

/// Longest round id, in bytes: `<id>.json.new` stays under the 255-byte file
/// name limit of common file systems.
pub const MAX_ID_BYTES: usize = 200;

/// Checks that a round id can name a golden file: no path separators, no leading
/// dot, no control characters, not empty, at most [`MAX_ID_BYTES`]. Returns the
/// reason when it cannot.
pub fn invalid_id_reason(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("round id is empty")
    } else if id.len() > MAX_ID_BYTES {
        Some("round id is longer than 200 bytes")
    } else if id.starts_with('.') {
        Some("round id starts with `.`")
    } else if id.contains(['/', '\\']) {
        Some("round id contains a path separator")
    } else if id.chars().any(char::is_control) {
        Some("round id contains a control character")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`is_hash`] as it was, a digit at a time: the reference of the
    /// bitwise form.
    fn is_hash_by_digits(s: &str) -> bool {
        s.strip_prefix("sha256:")
            .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    }

    /// Every byte value at every place of a valid hash, and hashes a digit
    /// short or long.
    #[test]
    fn every_byte_at_every_place_of_a_hash_is_the_digit_test() {
        let hash = sha256_id(b"x");
        assert!(is_hash(&hash));
        for at in "sha256:".len()..hash.len() {
            for b in 0..=u8::MAX {
                let mut bytes = hash.clone().into_bytes();
                bytes[at] = b;
                let s = String::from_utf8_lossy(&bytes);
                assert_eq!(is_hash(&s), is_hash_by_digits(&s), "{s:?}");
            }
        }
        for s in [&hash[..hash.len() - 1], &format!("{hash}0"), "sha256:", ""] {
            assert_eq!(is_hash(s), is_hash_by_digits(s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn is_hash_is_the_digit_test(s in proptest::prop_oneof![
            "sha256:[0-9a-fA-F]{64}",
            "sha256:[0-9a-gA-G]{63,65}",
            "(sha256:)?[0-9a-fA-F\\x00-\\x7f/:`@]{62,66}",
            "sha256:[0-9a-fé]{60,64}",
        ]) {
            proptest::prop_assert_eq!(is_hash(&s), is_hash_by_digits(&s));
        }
    }

    #[test]
    fn stamp_round_trips() {
        let stamp = Stamp {
            cassette: sha256_id(b"c"),
            rules: sha256_id(b"r"),
        };
        let text = stamped_markdown(&stamp, "# Deep Review: x\n\nbody\n");
        let parsed = parse_markdown(Path::new("g.md"), &text).expect("parse");
        assert_eq!(parsed.stamp, stamp);
        assert_eq!(parsed.body, "# Deep Review: x\n\nbody\n");
    }

    #[test]
    fn missing_stamp_is_an_error_with_position() {
        let err = parse_markdown(Path::new("g.md"), "# Deep Review\n").expect_err("no stamp");
        assert!(
            err.to_string()
                .starts_with("g.md:1:1: invalid golden file: missing golden stamp"),
            "{err}"
        );
    }

    #[test]
    fn malformed_hash_is_rejected() {
        let text = "<!-- review-replay golden v1; cassette sha256:xyz; rules sha256:00 -->\n";
        assert!(parse_markdown(Path::new("g.md"), text).is_err());
    }

    /// Found by the `golden` fuzz target: a stamp read must be the line
    /// `stamped_markdown` writes back, so a field named twice, or the rules
    /// before the cassette, is refused with its reason.
    #[test]
    fn repeated_or_reordered_stamp_fields_are_refused() {
        let (c, r) = (sha256_id(b"c"), sha256_id(b"r"));
        for (inner, reason) in [
            (
                format!("cassette {c}; rules {r}; rules {r}"),
                "repeated stamp field `rules",
            ),
            (
                format!("cassette {c}; cassette {c}; rules {r}"),
                "repeated stamp field `cassette",
            ),
            (
                format!("rules {r}; cassette {c}"),
                "stamp fields out of order",
            ),
        ] {
            let text = format!("{STAMP_PREFIX}{inner}{STAMP_SUFFIX}\nbody\n");
            let err = parse_markdown(Path::new("g.md"), &text).expect_err(&inner);
            assert!(err.to_string().starts_with("g.md:1:1: "), "{err}");
            assert!(err.to_string().contains(reason), "{err}");
        }
        let text = format!("{STAMP_PREFIX}cassette {c}; rules {r}{STAMP_SUFFIX}\nbody\n");
        let golden = parse_markdown(Path::new("g.md"), &text).expect("the written form reads");
        assert_eq!(stamped_markdown(&golden.stamp, &golden.body), text);
    }

    /// A stamp line from pieces of valid and broken stamps.
    fn stamp_line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let (c, r) = (sha256_id(b"c"), sha256_id(b"r"));
        let piece = prop_oneof![
            Just(STAMP_PREFIX.to_string()),
            Just(STAMP_SUFFIX.to_string()),
            Just("cassette ".to_string()),
            Just("rules ".to_string()),
            Just("; ".to_string()),
            Just(c.clone()),
            Just(r.clone()),
            Just(c[..20].to_string()),
            Just(format!("{c}0")),
            Just(r.to_uppercase()),
            "[a-z0-9:;é ]{0,3}",
        ];
        // Whole fields in any number and order: none, one, both, repeated.
        let fields = {
            let (c, r) = (c.clone(), r.clone());
            proptest::collection::vec(any::<bool>(), 0..4).prop_map(move |names| {
                let fields: Vec<String> = names
                    .iter()
                    .map(|&cassette| {
                        if cassette {
                            format!("cassette {c}")
                        } else {
                            format!("rules {r}")
                        }
                    })
                    .collect();
                format!("{STAMP_PREFIX}{}{STAMP_SUFFIX}", fields.join("; "))
            })
        };
        prop_oneof![
            proptest::collection::vec(piece, 0..10).prop_map(|p| p.concat()),
            fields,
            (any::<bool>(), any::<bool>(), 0usize..3).prop_map(move |(a, b, cut)| {
                let (x, y) = if a { (&c, &r) } else { (&r, &c) };
                let line = if b {
                    format!("{STAMP_PREFIX}cassette {x}; rules {y}{STAMP_SUFFIX}")
                } else {
                    format!("{STAMP_PREFIX}rules {y}; cassette {x}{STAMP_SUFFIX}")
                };
                line[..line.len() - cut].to_string()
            }),
        ]
    }

    /// `parse_stamp` as it was, reading the fields in order, kept as the
    /// reference of the one form [`stamp_hashes`] reads and of the faults
    /// [`stamp_fault`] names.
    fn parse_stamp_by_fields(first: &str) -> Result<Stamp, String> {
        let inner = first
            .strip_prefix(STAMP_PREFIX)
            .and_then(|r| r.strip_suffix(STAMP_SUFFIX))
            .ok_or("missing golden stamp")?;
        let mut cassette = None;
        let mut rules = None;
        for part in inner.split("; ") {
            let (slot, h) = match part.split_once(' ') {
                Some(("cassette", h)) if is_hash(h) => (&mut cassette, h),
                Some(("rules", h)) if is_hash(h) => (&mut rules, h),
                _ => return Err(format!("unknown stamp field `{part}`")),
            };
            if slot.is_some() {
                return Err(format!("repeated stamp field `{part}`"));
            }
            *slot = Some(h.to_string());
        }
        match (cassette, rules) {
            (Some(cassette), Some(rules)) if inner.starts_with("cassette ") => {
                Ok(Stamp { cassette, rules })
            }
            (Some(_), Some(_)) => Err("stamp fields out of order".to_string()),
            _ => Err("incomplete golden stamp".to_string()),
        }
    }

    proptest::proptest! {
        /// The stamp read in place is the one the fields read in order give,
        /// there is one exactly when they give one, and a line that is none
        /// gets the fault they name.
        #[test]
        fn stamps_are_those_of_the_fields_read_in_order(line in stamp_line()) {
            let fast = stamp_hashes(&line).map(|(c, r)| Stamp {
                cassette: c.to_string(),
                rules: r.to_string(),
            });
            let by_fields = parse_stamp_by_fields(&line);
            proptest::prop_assert_eq!(&fast, &by_fields.as_ref().ok().cloned());
            match (parse_stamp(Path::new("g.md"), &line), by_fields) {
                (Ok(stamp), Ok(expected)) => proptest::prop_assert_eq!(stamp, expected),
                (Err(e), Err(reason)) => {
                    proptest::prop_assert_eq!(stamp_fault(&line), reason.clone());
                    proptest::prop_assert!(e.to_string().contains(&reason), "{}", e);
                }
                (got, expected) => proptest::prop_assert!(false, "{:?} against {:?}", got, expected),
            }
        }

        /// The golden paths are those of joining the file names.
        #[test]
        fn golden_paths_are_the_joined_names(
            dir in "(/|\\.|)[a-z/é]{0,8}",
            id in "[a-z0-9./é-]{0,8}",
        ) {
            let paths = GoldenPaths::new(Path::new(&dir), &id);
            proptest::prop_assert_eq!(paths.md, Path::new(&dir).join(format!("{id}.md")));
            proptest::prop_assert_eq!(paths.json, Path::new(&dir).join(format!("{id}.json")));
        }
    }

    #[test]
    fn a_valid_stamp_is_read_in_place() {
        let stamp = Stamp {
            cassette: sha256_id(b"c"),
            rules: sha256_id(b"r"),
        };
        let text = stamped_markdown(&stamp, "");
        let line = text.trim_end_matches('\n');
        assert_eq!(
            stamp_hashes(line),
            Some((stamp.cassette.as_str(), stamp.rules.as_str()))
        );
        assert_eq!(stamp_hashes(&line[1..]), None);
    }

    #[test]
    fn rules_only_changes_the_rules_hash() {
        assert_ne!(rules_hash(b"x", false), rules_hash(b"x", true));
        assert_eq!(rules_hash(b"x", false), sha256_id(b"x"));
    }

    #[test]
    fn ids_that_are_not_file_names_are_rejected() {
        assert!(invalid_id_reason("20260412-003842-pr-295").is_none());
        assert!(invalid_id_reason("../x").is_some());
        assert!(invalid_id_reason("a/b").is_some());
        assert!(invalid_id_reason("").is_some());
        assert!(invalid_id_reason(".hidden").is_some());
    }
}
