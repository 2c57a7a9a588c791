//! Redaction of secrets before anything touches disk.
//!
//! A [`Redactor`] replaces every match of its patterns with `[REDACTED:<kind>]`
//! and counts the replacements. Built-in patterns cover common credentials
//! (GitHub, OpenAI, Anthropic, Google and AWS keys, bearer tokens, private key
//! blocks, `password=`-style assignments); users add their own (`[redact]
//! patterns` in `agents.toml`). `record`, `import` and `import --raw` all use it.
//!
//! Invariants:
//! - patterns run in a fixed order, most specific first (an Anthropic key is
//!   never reported as an OpenAI one), so the same text always gives the same
//!   output and count;
//! - a marker is never redacted again: values that start with `[` are not
//!   taken as assignment values, and no pattern matches `[REDACTED:...]`;
//! - a pattern with a named group `secret` replaces only that group (the
//!   `password=` or `Bearer ` before it stays readable).

use std::sync::LazyLock;

use regex::Regex;

/// One pattern and the kind its matches are reported as.
#[derive(Debug, Clone)]
struct Pattern {
    kind: String,
    regex: Regex,
}

/// The built-in patterns, in the order they run: (kind, regex).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "private-key",
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|\z)",
    ),
    ("anthropic", r"\bsk-ant-[A-Za-z0-9_\-]{20,}"),
    (
        "openai",
        r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}",
    ),
    (
        "github",
        r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})",
    ),
    ("google", r"\bAIza[0-9A-Za-z_\-]{35}"),
    ("aws", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    (
        "bearer",
        r"(?i)\bbearer\s+(?P<secret>[A-Za-z0-9\-._~+/]{16,}=*)",
    ),
    (
        "password",
        r#"(?i)(?:password|passwd|pwd|secret|client_secret|secret_key|api_key|apikey|access_token|auth_token|aws_secret_access_key)\s*(?:=\s*["']?|:\s*["'])(?P<secret>[^\s"'\[][^\s"']{3,})"#,
    ),
];

static BUILTIN_PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    BUILTIN
        .iter()
        .filter_map(|(kind, re)| {
            Regex::new(re).ok().map(|regex| Pattern {
                kind: (*kind).to_string(),
                regex,
            })
        })
        .collect()
});

/// The kind of user patterns in markers: `[REDACTED:custom]`.
pub const CUSTOM_KIND: &str = "custom";

/// Replaces secrets with `[REDACTED:<kind>]` markers.
#[derive(Debug, Clone)]
pub struct Redactor {
    patterns: Vec<Pattern>,
}

/// A redacted text and how many secrets it had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    /// The text with markers.
    pub text: String,
    /// How many replacements were made.
    pub count: u32,
}

/// A user pattern that is not a valid regular expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPattern {
    /// 0-based index in the list.
    pub index: usize,
    /// What the regex parser said.
    pub message: String,
}

impl Default for Redactor {
    fn default() -> Redactor {
        Redactor::builtin()
    }
}

impl Redactor {
    /// The built-in patterns only.
    pub fn builtin() -> Redactor {
        Redactor {
            patterns: BUILTIN_PATTERNS.clone(),
        }
    }

    /// No patterns at all (`--no-redact`).
    pub fn disabled() -> Redactor {
        Redactor {
            patterns: Vec::new(),
        }
    }

    /// The built-in patterns followed by the user's, which run last.
    pub fn with_patterns(user: &[String]) -> Result<Redactor, BadPattern> {
        let mut r = Redactor::builtin();
        for (index, p) in user.iter().enumerate() {
            let regex = Regex::new(p).map_err(|e| BadPattern {
                index,
                message: e.to_string(),
            })?;
            r.patterns.push(Pattern {
                kind: CUSTOM_KIND.to_string(),
                regex,
            });
        }
        Ok(r)
    }

    /// True when no pattern is active.
    pub fn is_disabled(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Redacts `text`.
    pub fn redact(&self, text: &str) -> Redacted {
        let mut out = text.to_string();
        let mut count = 0u32;
        for p in &self.patterns {
            if !p.regex.is_match(&out) {
                continue;
            }
            let marker = format!("[REDACTED:{}]", p.kind);
            let replaced = p.regex.replace_all(&out, |caps: &regex::Captures<'_>| {
                let whole = caps.get(0).map_or("", |m| m.as_str());
                // An empty match would "redact" nothing and loop on every position.
                if whole.is_empty() {
                    return String::new();
                }
                count = count.saturating_add(1);
                match (caps.get(0), caps.name("secret")) {
                    (Some(m), Some(s)) => {
                        let start = s.start() - m.start();
                        let end = s.end() - m.start();
                        format!(
                            "{}{marker}{}",
                            whole.get(..start).unwrap_or(""),
                            whole.get(end..).unwrap_or("")
                        )
                    }
                    _ => marker.clone(),
                }
            });
            out = replaced.into_owned();
        }
        Redacted { text: out, count }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redact(text: &str) -> Redacted {
        Redactor::builtin().redact(text)
    }

    #[test]
    fn every_builtin_pattern_compiles() {
        assert_eq!(BUILTIN_PATTERNS.len(), BUILTIN.len());
    }

    #[test]
    fn each_builtin_kind_is_found() {
        let cases = [
            (
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----",
                "private-key",
            ),
            ("sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345", "anthropic"),
            ("sk-proj-abcdefghijklmnopqrstuvwxyz0123", "openai"),
            ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "github"),
            ("AIzaSyA1234567890abcdefghijklmnopqrstuv", "google"),
            ("AKIAIOSFODNN7EXAMPLE", "aws"),
        ];
        for (secret, kind) in cases {
            let r = redact(&format!("before {secret} after"));
            assert_eq!(
                r.text,
                format!("before [REDACTED:{kind}] after"),
                "{secret}"
            );
            assert_eq!(r.count, 1, "{secret}");
        }
    }

    #[test]
    fn assignments_and_bearer_keep_their_key() {
        let r = redact("Authorization: Bearer abcdef0123456789abcdef\npassword=hunter22\n");
        assert_eq!(
            r.text,
            "Authorization: Bearer [REDACTED:bearer]\npassword=[REDACTED:password]\n"
        );
        assert_eq!(r.count, 2);
        let r = redact(r#"db_password: "s3cr3t!x""#);
        assert_eq!(r.text, r#"db_password: "[REDACTED:password]""#);
    }

    #[test]
    fn ordinary_review_text_is_untouched() {
        let text = "The `password: String` field is logged; see `fn token()` and sk-short.";
        let r = redact(text);
        assert_eq!(r.text, text);
        assert_eq!(r.count, 0);
    }

    #[test]
    fn markers_are_not_redacted_again() {
        let once = redact("api_key = sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345");
        assert_eq!(once.text, "api_key = [REDACTED:anthropic]");
        assert_eq!(once.count, 1);
        let twice = redact(&once.text);
        assert_eq!(twice.text, once.text);
        assert_eq!(twice.count, 0);
    }

    #[test]
    fn unterminated_private_key_is_redacted_to_the_end() {
        let r = redact("key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1r\n");
        assert_eq!(r.text, "key:\n[REDACTED:private-key]");
    }

    #[test]
    fn user_patterns_run_after_builtins_and_bad_ones_are_named() {
        let r = Redactor::with_patterns(&["ACME-[0-9]{6}".into()]).expect("valid");
        let out = r.redact("ticket ACME-123456 and ACME-654321");
        assert_eq!(out.text, "ticket [REDACTED:custom] and [REDACTED:custom]");
        assert_eq!(out.count, 2);
        let err = Redactor::with_patterns(&["ok".into(), "(".into()]).expect_err("bad");
        assert_eq!(err.index, 1);
    }

    proptest::proptest! {
        /// Redacting is idempotent, and no generated secret survives, whatever
        /// text surrounds it.
        #[test]
        fn redaction_is_idempotent_and_complete(
            before in "[ -~\n]{0,40}",
            after in "[ -~\n]{0,40}",
            body in "[A-Za-z0-9]{40}",
            kind in 0usize..6,
        ) {
            let secret = match kind {
                0 => format!("ghp_{}", &body[..36]),
                1 => format!("sk-ant-{}", &body[..30]),
                2 => format!("sk-proj-{}", &body[..30]),
                3 => format!("AIza{}", &body[..35]),
                4 => format!("AKIA{}", body[..16].to_ascii_uppercase()),
                _ => format!("password={}", &body[..12]),
            };
            let text = format!("{before} {secret} {after}");
            let once = redact(&text);
            proptest::prop_assert!(!once.text.contains(&secret), "{:?}", once.text);
            proptest::prop_assert!(once.count >= 1);
            let twice = redact(&once.text);
            proptest::prop_assert_eq!(&twice.text, &once.text);
            proptest::prop_assert_eq!(twice.count, 0);
        }
    }

    #[test]
    fn disabled_redactor_changes_nothing() {
        let text = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        assert_eq!(Redactor::disabled().redact(text).text, text);
    }
}
