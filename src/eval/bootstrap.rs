//! Paired percentile bootstrap over rounds, with a seeded, self-contained PRNG.
//!
//! Rounds are resampled with replacement; each resample keeps the pairing (the
//! baseline and candidate of a round travel together) and the paired difference
//! `stat(candidate) − stat(baseline)` is computed on it. The interval is the
//! `(1−c)/2` and `(1+c)/2` quantiles of those differences (linear interpolation
//! between order statistics). The same seed, rounds and options always give the
//! same interval, on every platform: the generator is SplitMix64 and the index
//! draw uses only integer arithmetic.

use crate::eval::metrics::{Kind, Obs};

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, good enough for resampling.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by multiply-shift (bias below 2^-32 for
    /// any realistic `n`).
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as usize
    }
}

/// How to bootstrap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Number of resamples; 0 disables intervals.
    pub resamples: u32,
    /// Seed of the generator.
    pub seed: u64,
    /// Confidence level, strictly between 0 and 1.
    pub confidence: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            resamples: 2000,
            seed: 1,
            confidence: 0.95,
        }
    }
}

/// The resamples: `resamples` lists of `n` round indices each. Drawn once and
/// shared by every metric so that all intervals describe the same resamples.
pub fn draw(n: usize, options: &Options) -> Vec<Vec<usize>> {
    if n == 0 {
        return Vec::new();
    }
    let mut rng = SplitMix64::new(options.seed);
    (0..options.resamples)
        .map(|_| (0..n).map(|_| rng.below(n)).collect())
        .collect()
}

/// The statistic of a set of observations: pooled rate or sum.
pub fn statistic<'a>(kind: Kind, obs: impl Iterator<Item = &'a Obs>) -> Option<f64> {
    let (mut num, mut den) = (0.0, 0.0);
    for o in obs {
        num += o.num;
        den += o.den;
    }
    match kind {
        Kind::Count => Some(num),
        Kind::Rate if den > 0.0 => Some(num / den),
        Kind::Rate => None,
    }
}

/// The paired difference on all rounds, and its bootstrap interval.
///
/// Resamples where either side has no data are left out; the interval is `None`
/// when fewer than half of the resamples are usable, or there are none.
pub fn paired(
    kind: Kind,
    baseline: &[Obs],
    candidate: &[Obs],
    samples: &[Vec<usize>],
    confidence: f64,
) -> (Option<f64>, Option<(f64, f64)>) {
    let point = match (
        statistic(kind, baseline.iter()),
        statistic(kind, candidate.iter()),
    ) {
        (Some(b), Some(c)) => Some(c - b),
        _ => None,
    };
    let mut diffs: Vec<f64> = samples
        .iter()
        .filter_map(|idx| {
            let b = statistic(kind, idx.iter().filter_map(|&i| baseline.get(i)))?;
            let c = statistic(kind, idx.iter().filter_map(|&i| candidate.get(i)))?;
            Some(c - b)
        })
        .collect();
    if point.is_none() || diffs.is_empty() || diffs.len() * 2 < samples.len() {
        return (point, None);
    }
    diffs.sort_by(f64::total_cmp);
    let alpha = (1.0 - confidence) / 2.0;
    (
        point,
        Some((quantile(&diffs, alpha), quantile(&diffs, 1.0 - alpha))),
    )
}

/// The `q` quantile of sorted values (type 7: linear between order statistics).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else {
        return f64::NAN;
    };
    let h = q.clamp(0.0, 1.0) * last as f64;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    let (Some(a), Some(b)) = (sorted.get(lo), sorted.get(hi)) else {
        return f64::NAN;
    };
    a + (h - lo as f64) * (b - a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(pairs: &[(f64, f64)]) -> Vec<Obs> {
        pairs.iter().map(|&(num, den)| Obs { num, den }).collect()
    }

    #[test]
    fn splitmix_matches_reference_values() {
        // Published outputs of SplitMix64 seeded with 0.
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn same_seed_same_interval_other_seed_other_draws() {
        let b = rate(&[(1.0, 4.0), (2.0, 4.0), (0.0, 3.0), (3.0, 5.0), (1.0, 2.0)]);
        let c = rate(&[(2.0, 4.0), (2.0, 4.0), (1.0, 3.0), (4.0, 5.0), (1.0, 2.0)]);
        let opts = Options::default();
        let s1 = draw(b.len(), &opts);
        let s2 = draw(b.len(), &opts);
        assert_eq!(s1, s2);
        let r1 = paired(Kind::Rate, &b, &c, &s1, opts.confidence);
        let r2 = paired(Kind::Rate, &b, &c, &s2, opts.confidence);
        assert_eq!(format!("{r1:?}"), format!("{r2:?}"));
        let other = draw(b.len(), &Options { seed: 2, ..opts });
        assert_ne!(s1, other);
    }

    #[test]
    fn interval_contains_point_estimate() {
        let b = rate(&[
            (1.0, 4.0),
            (2.0, 4.0),
            (0.0, 3.0),
            (3.0, 5.0),
            (1.0, 2.0),
            (2.0, 6.0),
        ]);
        let c = rate(&[
            (2.0, 4.0),
            (3.0, 4.0),
            (1.0, 3.0),
            (3.0, 5.0),
            (2.0, 2.0),
            (2.0, 6.0),
        ]);
        let s = draw(b.len(), &Options::default());
        let (point, ci) = paired(Kind::Rate, &b, &c, &s, 0.95);
        let point = point.expect("point");
        let (lo, hi) = ci.expect("interval");
        assert!(lo <= point && point <= hi, "{lo} {point} {hi}");
        assert!(lo < hi);
        assert!(lo > 0.0, "candidate is better in every round: {lo}");
    }

    #[test]
    fn zero_variance_gives_a_degenerate_interval() {
        let b = rate(&[(1.0, 2.0), (1.0, 2.0), (1.0, 2.0)]);
        let c = rate(&[(2.0, 2.0), (2.0, 2.0), (2.0, 2.0)]);
        let s = draw(3, &Options::default());
        let (point, ci) = paired(Kind::Rate, &b, &c, &s, 0.95);
        assert_eq!(point, Some(0.5));
        assert_eq!(ci, Some((0.5, 0.5)));
        let same = paired(Kind::Count, &b, &b, &s, 0.95);
        assert_eq!(same, (Some(0.0), Some((0.0, 0.0))));
    }

    #[test]
    fn no_data_gives_no_interval() {
        let empty = rate(&[(0.0, 0.0), (0.0, 0.0)]);
        let s = draw(2, &Options::default());
        assert_eq!(paired(Kind::Rate, &empty, &empty, &s, 0.95), (None, None));
        assert!(draw(0, &Options::default()).is_empty());
        let one = rate(&[(1.0, 1.0)]);
        assert_eq!(
            paired(Kind::Count, &one, &one, &[], 0.95),
            (Some(0.0), None)
        );
    }

    #[test]
    fn quantile_interpolates() {
        let v = [0.0, 1.0, 2.0, 3.0];
        assert_eq!(quantile(&v, 0.0), 0.0);
        assert_eq!(quantile(&v, 1.0), 3.0);
        assert_eq!(quantile(&v, 0.5), 1.5);
        assert!(quantile(&[], 0.5).is_nan());
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = SplitMix64::new(7);
        for n in 1..50 {
            for _ in 0..50 {
                assert!(r.below(n) < n);
            }
        }
    }
}
