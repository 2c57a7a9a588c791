//! The page around every HTML report: document head, the inline stylesheet,
//! and small helpers shared by the pages (anchors, number formats).
//!
//! Invariants: the page loads nothing — no script, font, image or stylesheet
//! from anywhere; a Content-Security-Policy of `default-src 'none'` says so to
//! the browser too. Everything is readable with JavaScript off (collapsible
//! blocks are `<details>`) and printable (print styles open every `<details>`
//! where the browser supports `::details-content`, and avoid cutting a chart in
//! two). All text goes through maud, which escapes it:
//! report text is user input.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::render::html::palette::{self as p};

/// Version line shown in the footer; no date, so the same input gives the same bytes.
const GENERATOR: &str = concat!("review-replay ", env!("CARGO_PKG_VERSION"));

/// A whole page: `title` in the head and as the heading, then `body`.
pub fn page(title: &str, subtitle: &str, body: Markup) -> String {
    let html = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy"
                    content="default-src 'none'; style-src 'unsafe-inline'; img-src data:";
                meta name="generator" content=(GENERATOR);
                title { (title) }
                style { (PreEscaped(css())) }
            }
            body {
                header {
                    h1 { (title) }
                    p.subtitle { (subtitle) }
                }
                main { (body) }
                footer { p { "Written by " (GENERATOR) ". Self-contained: no script, no network." } }
            }
        }
    }
    .into_string();
    break_lines(&html)
}

/// Block-level and SVG tags that start a line of their own.
const LINE_TAGS: &[&str] = &[
    "body",
    "caption",
    "circle",
    "defs",
    "desc",
    "details",
    "div",
    "figcaption",
    "figure",
    "footer",
    "g",
    "h1",
    "h2",
    "h3",
    "h4",
    "head",
    "header",
    "li",
    "line",
    "main",
    "meta",
    "ol",
    "p",
    "path",
    "pattern",
    "pre",
    "rect",
    "section",
    "style",
    "svg",
    "table",
    "tbody",
    "text",
    "thead",
    "title",
    "tr",
    "ul",
];

/// Puts block-level and SVG elements on lines of their own, so that the file
/// reads (and diffs) line by line. Only whitespace between elements where the
/// renderer ignores it is added: never inside `<pre>`, never before inline tags.
fn break_lines(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut in_pre = 0usize;
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let name: String = rest[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if rest.starts_with("</pre>") {
            in_pre = in_pre.saturating_sub(1);
        } else if !name.is_empty() {
            if in_pre == 0 && LINE_TAGS.contains(&name.as_str()) && !out.is_empty() {
                out.push('\n');
            }
            if name == "pre" {
                in_pre += 1;
            }
        }
        out.push('<');
        rest = &rest[1..];
    }
    out.push_str(rest);
    out.push('\n');
    out
}

/// The stylesheet, with the colours of [`crate::render::html::palette`].
fn css() -> String {
    format!(
        r#":root{{color-scheme:light}}
*{{box-sizing:border-box}}
body{{margin:0 auto;max-width:72rem;padding:1rem 1.5rem 3rem;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:{ink};background:{paper}}}
h1{{font-size:1.6rem;margin:.5rem 0 0}}
h2{{font-size:1.3rem;margin:2rem 0 .5rem;border-bottom:1px solid {muted};padding-bottom:.2rem}}
h3{{font-size:1.1rem;margin:1.5rem 0 .4rem}}
h4{{font-size:1rem;margin:1rem 0 .3rem}}
a{{color:{link}}}
.subtitle,.note,footer{{color:{muted}}}
table{{border-collapse:collapse;margin:.5rem 0 1rem;font-variant-numeric:tabular-nums}}
th,td{{border:1px solid #c4c7cc;padding:.2rem .5rem;text-align:left;vertical-align:top}}
th{{background:{panel}}}
td.num,th.num{{text-align:right}}
code,pre{{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}}
pre{{background:{panel};padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word}}
details{{margin:.3rem 0}}
summary{{cursor:pointer}}
.chart{{margin:.5rem 0 1.5rem;break-inside:avoid}}
.chart svg{{max-width:100%;height:auto;display:block}}
.multiples{{display:flex;flex-wrap:wrap;gap:1rem}}
.multiples figure{{margin:0;break-inside:avoid}}
figcaption{{font-weight:600}}
.sr-only{{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}}
.badge{{display:inline-block;padding:0 .4rem;border:1px solid currentColor;border-radius:.25rem;font-size:.85em;font-weight:600}}
.fail{{color:{worse};background:{warn}}}
.pass{{color:{kept}}}
.better{{color:{better}}}
.worse{{color:{worse}}}
.kept{{color:{kept}}}
.dropped{{color:{dropped}}}
.incomplete{{background:{warn};padding:.3rem .6rem}}
.diff .add{{background:{add}}}
.diff .del{{background:{del}}}
.diff .hunk{{color:{muted}}}
.diff span{{display:block}}
.finding{{border-left:3px solid #c4c7cc;padding-left:.6rem}}
.legend{{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;padding:0;list-style:none;margin:.3rem 0}}
.legend svg{{vertical-align:middle}}
@media print{{details::details-content{{content-visibility:visible;display:block}}body{{max-width:none;padding:0;font-size:11pt}}a{{color:{ink};text-decoration:none}}h2{{break-after:avoid}}section.round{{break-inside:avoid-page}}summary{{list-style:none}}}}
"#,
        ink = p::INK.hex(),
        paper = p::PAPER.hex(),
        panel = p::PANEL.hex(),
        muted = p::MUTED.hex(),
        link = p::LINK.hex(),
        worse = p::WORSE.hex(),
        better = p::BETTER.hex(),
        kept = p::KEPT.hex(),
        dropped = p::DROPPED.hex(),
        warn = p::WARN_BG.hex(),
        add = p::ADD_BG.hex(),
        del = p::DEL_BG.hex(),
    )
}

/// The fragment id of a round's section. Injective: characters other than ASCII
/// letters, digits and `-` are written as `_xx` (UTF-8 bytes in hex), so two
/// different round ids never share an anchor.
pub fn round_anchor(round: &str) -> String {
    let mut out = String::from("round-");
    for b in round.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("_{b:02x}"));
        }
    }
    out
}

/// A coordinate or length with at most one decimal, without a trailing `.0`.
pub fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    // `-0` would print as "-0".
    let r = if r == 0.0 { 0.0 } else { r };
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// A share as a percentage with no decimals (`42%`), or `—`.
pub fn percent(x: Option<f64>) -> String {
    match x {
        Some(v) => format!("{:.0}%", v * 100.0),
        None => "—".into(),
    }
}

/// A heading for the list of rounds of a page, with its count.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_before_blocks_but_never_inside_pre() {
        let s = break_lines(
            "<div><p>a <code>b</code></p><pre><p>x</p>\ny</pre><path d=\"\"></path></div>",
        );
        assert_eq!(
            s,
            "<div>\n<p>a <code>b</code></p>\n<pre><p>x</p>\ny</pre>\n<path d=\"\"></path></div>\n"
        );
    }

    #[test]
    fn anchors_are_injective_and_safe() {
        assert_eq!(round_anchor("kiln-pr-21-r1"), "round-kiln-pr-21-r1");
        assert_eq!(round_anchor("a b"), "round-a_20b");
        assert_ne!(round_anchor("a_20b"), round_anchor("a b"));
        assert_eq!(round_anchor("a_"), "round-a_5f");
        assert_eq!(round_anchor("é"), "round-_c3_a9");
    }

    proptest::proptest! {
        #[test]
        fn anchors_never_collide_and_use_safe_characters(a in ".{0,12}", b in ".{0,12}") {
            let (x, y) = (round_anchor(&a), round_anchor(&b));
            proptest::prop_assert_eq!(x == y, a == b);
            proptest::prop_assert!(x.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        }

        #[test]
        fn breaking_lines_only_adds_newlines(body in "(<(p|pre|span|li|path)>|</(p|pre|span|li|path)>|[a-z \n])*") {
            let out = break_lines(&body);
            proptest::prop_assert_eq!(out.replace('\n', ""), body.replace('\n', ""));
        }
    }

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.04), "12");
        assert_eq!(num(12.25), "12.3");
        assert_eq!(num(-0.01), "0");
    }

    #[test]
    fn the_page_loads_nothing_and_escapes_its_text() {
        let html = page("<x>", "s & t", html! { p { "<script>" } });
        assert!(html.contains("<title>&lt;x&gt;</title>"), "{html}");
        assert!(html.contains("s &amp; t"));
        assert!(!html.contains("<script"));
        assert!(html.contains("default-src 'none'"));
        for needle in ["http://", "https://", "@import", "url("] {
            assert!(!html.contains(needle), "{needle}");
        }
    }
}
