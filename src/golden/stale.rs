//! Strict replay: which recorded interactions no longer stand for what a
//! recording would give today.
//!
//! A cassette knows the prompt (`sha256:` of the prompt template) each
//! interaction was recorded with. Given the current prompt (`check --prompt`,
//! `eval --prompt`), an interaction recorded with another one is *changed*: its
//! round fails, and when the old prompt text was recorded (`record
//! --record-prompts`) the problem names the first line that differs. An
//! interaction with no recorded prompt cannot be checked (*stale*); a failed
//! recording has no review (*failed*). Both are warnings, failures under
//! `--strict`.
//!
//! Invariant: problems are listed in (agent, pass) order, whatever the order of
//! the cassette's interactions.

use std::path::{Path, PathBuf};

use crate::cassette::{Cassette, Interaction, Role, sha256_id};
use crate::error::Error;
use crate::fsutil::read_text;
use crate::redact::Redactor;

/// The prompt a strict replay compares against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentPrompt {
    /// The prompt file, for messages.
    pub path: PathBuf,
    /// `sha256:<hex>` of its text.
    pub id: String,
    /// Its text, redacted like recorded prompt texts are.
    pub text: String,
}

impl CurrentPrompt {
    /// Reads the prompt file.
    pub fn load(path: &Path) -> Result<CurrentPrompt, Error> {
        let text = read_text(path)?;
        Ok(CurrentPrompt {
            path: path.to_path_buf(),
            id: sha256_id(text.as_bytes()),
            text: Redactor::builtin().redact(&text).text,
        })
    }
}

/// What a strict replay checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StrictOptions {
    /// The current prompt, when given.
    pub prompt: Option<CurrentPrompt>,
    /// Stale and failed interactions fail their round.
    pub strict: bool,
}

/// One problem with one interaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `<agent> pass <n>: <what>`.
    pub message: String,
    /// True when it fails the round (otherwise a warning).
    pub fatal: bool,
}

/// Longest excerpt of a prompt line quoted in a message.
const EXCERPT: usize = 80;

fn excerpt(line: &str) -> String {
    let mut out: String = line.chars().take(EXCERPT).collect();
    if line.chars().count() > EXCERPT {
        out.push('…');
    }
    out
}

/// `line N: recorded `old`, now `new``, for the first line that differs.
pub fn first_difference(old: &str, new: &str) -> Option<String> {
    let mut a = old.lines();
    let mut b = new.lines();
    let mut n = 0usize;
    loop {
        n += 1;
        match (a.next(), b.next()) {
            (None, None) => return None,
            (Some(x), Some(y)) if x == y => {}
            (x, y) => {
                let show = |l: Option<&str>| match l {
                    Some(l) => format!("`{}`", excerpt(l)),
                    None => "(end of prompt)".to_string(),
                };
                return Some(format!("line {n}: recorded {}, now {}", show(x), show(y)));
            }
        }
    }
}

/// The problems of one cassette's reviewer interactions.
///
/// `check` asks this of every round, and almost every round has none: without
/// a current prompt only a failed recording is a problem, so a cassette
/// without one is told by a scan of its interactions, before they are
/// gathered and sorted; and an interaction's `<agent> pass <n>` is formatted
/// only for a problem it has (formatted for each reviewer, it cost some 1,000
/// instructions a round of three).
pub fn problems(cassette: &Cassette, options: &StrictOptions) -> Vec<Problem> {
    let failed = |i: &Interaction| i.role == Role::Reviewer && i.failure.is_some();
    if options.prompt.is_none() && !cassette.interactions.iter().any(failed) {
        return Vec::new();
    }
    let mut reviews: Vec<_> = cassette
        .interactions
        .iter()
        .filter(|i| i.role == Role::Reviewer)
        .collect();
    reviews.sort_by(|a, b| (&a.agent, a.pass).cmp(&(&b.agent, b.pass)));
    let mut out = Vec::new();
    for i in reviews {
        let who = || format!("{} pass {}", i.agent, i.pass);
        if let Some(reason) = &i.failure {
            out.push(Problem {
                message: format!("{}: recording failed ({reason})", who()),
                fatal: options.strict,
            });
        }
        let Some(current) = &options.prompt else {
            continue;
        };
        match &i.prompt {
            None => out.push(Problem {
                message: format!(
                    "{}: no recorded prompt hash; cannot tell if it is stale",
                    who()
                ),
                fatal: options.strict,
            }),
            Some(id) if *id != current.id => {
                let mut message = format!(
                    "{}: recorded with another prompt than {}",
                    who(),
                    current.path.display()
                );
                match i.prompt_text.as_deref() {
                    Some(old) => match first_difference(old, &current.text) {
                        Some(d) => message.push_str(&format!(" ({d})")),
                        None => message.push_str(" (same text once redacted)"),
                    },
                    None => message.push_str(" (record with --record-prompts to see which line)"),
                }
                out.push(Problem {
                    message,
                    fatal: true,
                });
            }
            Some(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cassette::{RoundMeta, SCHEMA_V1};
    use proptest::prelude::*;

    fn cassette(interactions: Vec<Interaction>) -> Cassette {
        Cassette {
            schema: SCHEMA_V1.into(),
            round: RoundMeta {
                id: "r1".into(),
                ..RoundMeta::default()
            },
            interactions,
            adjudications: Vec::new(),
            prior_resolutions: Vec::new(),
            reference: None,
            source: None,
        }
    }

    fn current(text: &str) -> StrictOptions {
        StrictOptions {
            prompt: Some(CurrentPrompt {
                path: PathBuf::from("prompt.md"),
                id: sha256_id(text.as_bytes()),
                text: text.into(),
            }),
            strict: false,
        }
    }

    /// `problems` as it was, every reviewer interaction gathered, sorted and
    /// named before its problems are looked for: the reference of
    /// [`problems`].
    fn problems_naming_every_interaction(
        cassette: &Cassette,
        options: &StrictOptions,
    ) -> Vec<Problem> {
        let mut reviews: Vec<_> = cassette
            .interactions
            .iter()
            .filter(|i| i.role == Role::Reviewer)
            .collect();
        reviews.sort_by(|a, b| (&a.agent, a.pass).cmp(&(&b.agent, b.pass)));
        let mut out = Vec::new();
        for i in reviews {
            let who = format!("{} pass {}", i.agent, i.pass);
            if let Some(reason) = &i.failure {
                out.push(Problem {
                    message: format!("{who}: recording failed ({reason})"),
                    fatal: options.strict,
                });
            }
            let Some(current) = &options.prompt else {
                continue;
            };
            match &i.prompt {
                None => out.push(Problem {
                    message: format!("{who}: no recorded prompt hash; cannot tell if it is stale"),
                    fatal: options.strict,
                }),
                Some(id) if *id != current.id => {
                    let mut message = format!(
                        "{who}: recorded with another prompt than {}",
                        current.path.display()
                    );
                    match i.prompt_text.as_deref() {
                        Some(old) => match first_difference(old, &current.text) {
                            Some(d) => message.push_str(&format!(" ({d})")),
                            None => message.push_str(" (same text once redacted)"),
                        },
                        None => {
                            message.push_str(" (record with --record-prompts to see which line)")
                        }
                    }
                    out.push(Problem {
                        message,
                        fatal: true,
                    });
                }
                Some(_) => {}
            }
        }
        out
    }

    /// Interactions of two agents and two passes, either role, failed or
    /// not, with one of two prompts or none, and a prompt text or none.
    fn interaction() -> impl Strategy<Value = Interaction> {
        (
            any::<bool>(),
            prop::sample::select(vec!["codex", "claude"]),
            1u32..3,
            prop::option::of(prop::sample::select(vec!["timed out", "printed nothing"])),
            prop::option::of(prop::sample::select(vec!["a\nb\n", "a\nc\n"])),
            any::<bool>(),
        )
            .prop_map(
                |(reviewer, agent, pass, failure, prompt, with_text)| Interaction {
                    role: if reviewer {
                        Role::Reviewer
                    } else {
                        Role::Adjudicator
                    },
                    agent: agent.into(),
                    pass,
                    failure: failure.map(str::to_string),
                    prompt: prompt.map(|p| sha256_id(p.as_bytes())),
                    prompt_text: prompt.filter(|_| with_text).map(str::to_string),
                    ..Interaction::default()
                },
            )
    }

    proptest! {
        #[test]
        fn problems_are_those_of_every_interaction_named(
            interactions in prop::collection::vec(interaction(), 0..5),
            prompt in prop::option::of(prop::sample::select(vec!["a\nb\n", "a\nc\n"])),
            strict in any::<bool>(),
        ) {
            let c = cassette(interactions);
            let options = match prompt {
                Some(p) => StrictOptions { strict, ..current(p) },
                None => StrictOptions { prompt: None, strict },
            };
            prop_assert_eq!(problems(&c, &options), problems_naming_every_interaction(&c, &options));
        }
    }

    #[test]
    fn first_difference_names_the_line() {
        assert_eq!(first_difference("a\nb\n", "a\nb\n"), None);
        assert_eq!(
            first_difference("a\nb\nc", "a\nB\nc"),
            Some("line 2: recorded `b`, now `B`".into())
        );
        assert_eq!(
            first_difference("a", "a\nmore"),
            Some("line 2: recorded (end of prompt), now `more`".into())
        );
    }

    #[test]
    fn changed_prompt_is_fatal_and_failed_is_a_warning_unless_strict() {
        let old = "Review this.\nBe brief.\n";
        let c = cassette(vec![
            Interaction {
                agent: "codex".into(),
                failure: Some("printed nothing".into()),
                prompt: Some(sha256_id(old.as_bytes())),
                ..Interaction::default()
            },
            Interaction {
                agent: "claude".into(),
                prompt: Some(sha256_id(old.as_bytes())),
                prompt_text: Some(old.into()),
                ..Interaction::default()
            },
        ]);
        let got = problems(&c, &current("Review this.\nBe thorough.\n"));
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(
            got[0].message,
            "claude pass 1: recorded with another prompt than prompt.md \
             (line 2: recorded `Be brief.`, now `Be thorough.`)"
        );
        assert!(got[0].fatal);
        assert!(got[1].message.starts_with("codex pass 1: recording failed"));
        assert!(!got[1].fatal);
        let same = problems(&c, &current(old));
        assert_eq!(same.len(), 1);
        let strict = StrictOptions {
            strict: true,
            ..current(old)
        };
        assert!(problems(&c, &strict)[0].fatal);
    }
}
