//! Number formatting shared by the evaluation outputs, so that text and JSON are
//! byte-identical across runs and platforms.
//!
//! Text prints rates and differences with [`DECIMALS`] digits; JSON numbers are
//! rounded to [`JSON_DECIMALS`] digits before serialising.

/// Digits after the point in text output.
pub const DECIMALS: usize = 3;
/// Digits after the point in JSON output.
pub const JSON_DECIMALS: i32 = 6;

/// A value for text output: `0.125`, or `n/a` when there is none.
pub fn value(v: Option<f64>) -> String {
    match v {
        Some(x) => format!("{:.*}", DECIMALS, clean(x)),
        None => "n/a".to_string(),
    }
}

/// A signed value for text output: `+0.125`, `-0.020`, or `n/a`.
pub fn signed(v: Option<f64>) -> String {
    match v {
        Some(x) => format!("{:+.*}", DECIMALS, clean(x)),
        None => "n/a".to_string(),
    }
}

/// A count for text output: `12`, or `n/a`.
pub fn count(v: Option<f64>) -> String {
    match v {
        Some(x) => format!("{:.0}", clean(x)),
        None => "n/a".to_string(),
    }
}

/// A signed count for text output: `+3`, `-1`, `+0`, or `n/a`.
pub fn signed_count(v: Option<f64>) -> String {
    match v {
        Some(x) => format!("{:+.0}", clean(x)),
        None => "n/a".to_string(),
    }
}

/// A signed bound of an interval over counts, which interpolation can make
/// fractional: `+2.5`.
pub fn signed_bound(v: f64) -> String {
    format!("{:+.1}", clean(v))
}

/// A value rounded for JSON output.
pub fn json(v: f64) -> f64 {
    let scale = 10f64.powi(JSON_DECIMALS);
    clean((v * scale).round() / scale)
}

/// An optional value rounded for JSON output.
pub fn json_opt(v: Option<f64>) -> Option<f64> {
    v.map(json)
}

/// `num / den`, or `None` when `den` is zero.
pub fn ratio(num: f64, den: f64) -> Option<f64> {
    if den == 0.0 { None } else { Some(num / den) }
}

// `-0.0` prints as `-0.000`; a difference of nothing should read as `+0.000`.
fn clean(x: f64) -> f64 {
    if x == 0.0 { 0.0 } else { x }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_fixed_and_negative_zero_is_positive() {
        assert_eq!(value(Some(0.5)), "0.500");
        assert_eq!(value(None), "n/a");
        assert_eq!(signed(Some(-0.0)), "+0.000");
        assert_eq!(signed(Some(-0.02)), "-0.020");
        assert_eq!(json(1.0 / 3.0), 0.333333);
        assert_eq!(ratio(1.0, 0.0), None);
        assert_eq!(count(Some(12.0)), "12");
        assert_eq!(signed_count(Some(-0.0)), "+0");
        assert_eq!(signed_bound(-2.5), "-2.5");
    }
}
