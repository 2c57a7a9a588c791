//! De-duplication: raw findings of different agents about the same issue become one
//! cluster.
//!
//! Algorithm: score every pair of findings from different agent passes
//! ([`similarity`]), keep the pairs whose score reaches the
//! threshold and that have an anchor (nearby location, shared identifiers or a near
//! identical title), sort them by score (highest first) and then by the *content*
//! rank of both findings, and union greedily — never putting two findings of the
//! same agent pass into one cluster (unless the rules allow it).
//!
//! Recorded grouping ([`Group`]): the raw findings named together by one keep
//! adjudication are united first, whatever their similarity (must-link, even two
//! findings of one agent pass: the consolidator said they are one issue), and a
//! union that would put members of two different groups together is refused
//! (cannot-link). Groups sharing a raw finding are one group.
//!
//! Invariants:
//! - the result depends only on the findings' content and on which findings share
//!   an agent pass: not on agent names (they only break ties between findings of
//!   identical content), input order, or thread count (there are no threads);
//! - clusters come out sorted by their best-ranked member, members by rank;
//! - every union is recorded with its score breakdown, for `explain`.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use crate::consolidate::rules::ClusterRules;
use crate::consolidate::similarity::{self, Features, Signals, TitleRows, TokenSet};
use crate::decimal::push_u32;
use crate::model::{RawFinding, Severity};

/// One raw finding with who raised it and its precomputed features.
///
/// It borrows the agent key and the finding from the parsed review: a round's
/// findings are never copied to be consolidated.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    /// Lowercase agent key.
    pub agent: &'a str,
    /// Pass, 1-based.
    pub pass: u32,
    /// The finding.
    pub finding: &'a RawFinding,
    /// Its features.
    pub features: Features,
}

impl<'a> Item<'a> {
    /// Builds an item, computing its features.
    pub fn new(agent: &'a str, pass: u32, finding: &'a RawFinding) -> Item<'a> {
        let features = Features::of(finding);
        Item {
            agent,
            pass,
            finding,
            features,
        }
    }

    /// `claude#3` for pass 1, `claude.pass2#3` otherwise: how trails name it.
    pub fn label(&self) -> String {
        raw_label(self.agent, self.pass, self.finding.ordinal)
    }

    /// Appends [`Item::label`] to `out`.
    pub fn push_label(&self, out: &mut String) {
        push_raw_label(out, self.agent, self.pass, self.finding.ordinal);
    }

    /// The first bytes of [`Item::content_key`] as the top 96 bits of an
    /// integer: the severity, then the first eleven bytes of the title key
    /// (zero-padded, and a title key holds no zero byte); the low 32 bits are
    /// 0, for an index. Two items whose prefixes differ are in the order of
    /// their prefixes; equal prefixes say nothing.
    fn content_prefix(&self) -> u128 {
        let severity = match self.finding.severity {
            Severity::Critical => 0,
            Severity::Important => 1,
            Severity::Suggestion => 2,
        };
        let mut bytes = [0u8; 16];
        bytes[0] = severity;
        let title = self.features.title_key.as_bytes();
        let n = title.len().min(11);
        bytes[1..=n].copy_from_slice(&title[..n]);
        u128::from_be_bytes(bytes)
    }

    /// A key that orders findings by content first, names last.
    pub fn content_key(&self) -> impl Ord + '_ {
        let f = &self.finding;
        (
            Reverse(f.severity),
            &self.features.title_key,
            &self.features.locations,
            &f.title,
            &f.body,
            (&self.agent, self.pass, f.ordinal),
        )
    }
}

/// `claude#3`, or `claude.pass2#3` for later passes.
pub fn raw_label(agent: &str, pass: u32, ordinal: u32) -> String {
    let mut out = String::with_capacity(agent.len() + 12);
    push_raw_label(&mut out, agent, pass, ordinal);
    out
}

/// Appends [`raw_label`] to `out`, with no string of its own (every union's
/// trail names two findings). Its numbers are pushed digit by digit
/// (`push_u32`): itoa's text was a copy of run-time length through `memcpy`.
pub fn push_raw_label(out: &mut String, agent: &str, pass: u32, ordinal: u32) {
    out.push_str(agent);
    if pass != 1 {
        out.push_str(".pass");
        push_u32(out, pass);
    }
    out.push('#');
    push_u32(out, ordinal);
}

/// One union: which two findings, with what evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    /// Index of one finding.
    pub a: usize,
    /// Index of the other.
    pub b: usize,
    /// The signals.
    pub signals: Signals,
    /// The weighted score, permille.
    pub score: u32,
    /// The adjudication number that grouped the two, when the union is recorded
    /// grouping rather than similarity.
    pub by_adjudication: Option<usize>,
}

/// Raw findings that a recorded adjudication names together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The adjudication's 1-based number.
    pub adjudication: usize,
    /// Item indexes it names.
    pub items: Vec<usize>,
}

/// A group of raw findings about one issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Item indexes, in content order.
    pub members: Vec<usize>,
    /// The unions that built it, in the order they happened.
    pub merges: Vec<Merge>,
}

/// Groups items into clusters.
pub fn cluster(items: &[Item<'_>], rules: &ClusterRules) -> Vec<Cluster> {
    cluster_grouped(items, rules, &[])
}

/// Groups items into clusters, honouring recorded groups (must-link inside a group,
/// cannot-link between groups).
pub fn cluster_grouped(items: &[Item<'_>], rules: &ClusterRules, groups: &[Group]) -> Vec<Cluster> {
    let n = items.len();
    let order = content_order(items);
    let mut rank = vec![0usize; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }

    // Each item's agent pass as a number (the first item of that pass), so that
    // the pair loop compares integers rather than agent names.
    let passes: Vec<PassKey> = items.iter().map(|it| PassKey(it.pass, it.agent)).collect();
    let pass_of = first_of_each(&passes);
    let title_words = WordBits::new(
        items.iter().map(|it| &it.features.title_words),
        WordBits::MAX_WORDS,
    );
    let title_rows = title_words.rows();
    let sieve = Sieve::of_round(items, rules, FileBits::new(items), &title_words);
    // Room for about one edge per finding, which most rounds stay within.
    let mut edges = Vec::with_capacity(n);
    let run_end = run_ends(&pass_of);
    // The items of each later run that pass the sieve with `a`, gathered
    // in one vector for the round, then scored. Made with room for every
    // item: grown from empty it was copied some ten times a round.
    let seconds = Seconds::of(&sieve);
    let mut candidates: Vec<usize> = Vec::with_capacity(n);
    // When each pass is one run (each review gives one), the items after
    // a's run are all of other passes: `later_runs` would give them as one
    // range, which is taken without walking the runs (as is the one range
    // after `a` when the rules merge findings of one agent).
    let one_range = rules.merge_same_agent || one_run_each(&pass_of);
    for a in 0..n {
        let fa = &items[a].features;
        let sa = sieve[a];
        candidates.clear();
        if one_range {
            let start = if rules.merge_same_agent {
                a + 1
            } else {
                run_end[a]
            };
            seconds.push_candidates(&sa, start..n, &mut candidates);
        } else {
            for later in later_runs(a, &pass_of, &run_end, rules.merge_same_agent) {
                seconds.push_candidates(&sa, later, &mut candidates);
            }
        }
        for &b in &candidates {
            let Some(sb) = sieve.get(b) else {
                continue;
            };
            let fb = &items[b].features;
            let named = sa.reach & sb.files != 0;
            let Some(signals) = similarity::signals_reaching_named(
                fa,
                fb,
                rules,
                rules.threshold,
                named,
                &title_rows,
                (a, b),
            ) else {
                continue;
            };
            let score = signals.score(rules);
            if score >= rules.threshold && signals.anchored(rules) {
                let (lo, hi) = if rank[a] < rank[b] { (a, b) } else { (b, a) };
                edges.push(Merge {
                    a: lo,
                    b: hi,
                    signals,
                    score,
                    by_adjudication: None,
                });
            }
        }
    }
    let edge_order = edge_order(&edges, &rank);

    // Dense numbers of the agent passes, for the sets of passes of each cluster.
    let mut pass_number = vec![0; n];
    let mut numbered = 0;
    for i in 0..n {
        pass_number[i] = if pass_of[i] == i {
            numbered += 1;
            numbered - 1
        } else {
            pass_number[pass_of[i]]
        };
    }
    let mut u = Unions {
        parent: (0..n).collect(),
        passes: PassSets::new(&pass_number, numbered),
        // A union joins two clusters: there are fewer than items.
        merges: MergeLists::new(n, n),
        group_of: vec![None; n],
        rank: &rank,
    };
    for (label, members) in recorded_groups(n, groups, &rank) {
        let Some(&first) = members.first() else {
            continue;
        };
        for &m in members.iter().skip(1) {
            if u.root(first) == u.root(m) {
                continue;
            }
            let signals = similarity::signals(&items[first].features, &items[m].features, rules);
            let score = signals.score(rules);
            u.union(Merge {
                a: first,
                b: m,
                signals,
                score,
                by_adjudication: Some(label.of(m)),
            });
        }
        let root = u.root(first);
        u.group_of[root] = Some(label.number);
    }
    for edge in edge_order.iter().filter_map(|&e| edges.get(e)) {
        let ra = u.root(edge.a);
        let rb = u.root(edge.b);
        if ra == rb {
            continue;
        }
        if !rules.merge_same_agent && !u.passes.disjoint(ra, rb) {
            continue;
        }
        if let (Some(ga), Some(gb)) = (u.group_of[ra], u.group_of[rb]) {
            if ga != gb {
                continue;
            }
        }
        u.union(edge.clone());
    }
    let Unions {
        mut parent, merges, ..
    } = u;

    // Each cluster's size first, so that its members take one allocation.
    let roots: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
    let mut size = vec![0usize; n];
    for &r in &roots {
        size[r] += 1;
    }
    let mut clusters: Vec<Cluster> = Vec::with_capacity(size.iter().filter(|&&s| s > 0).count());
    let mut root_of = vec![usize::MAX; n];
    for &i in &order {
        let r = roots[i];
        if root_of[r] == usize::MAX {
            root_of[r] = clusters.len();
            clusters.push(Cluster {
                members: Vec::with_capacity(size[r]),
                merges: merges.of(r),
            });
        }
        if let Some(c) = clusters.get_mut(root_of[r]) {
            c.members.push(i);
        }
    }
    clusters
}

/// The agent passes of each cluster root, as one bit set per item in one
/// vector (a set of names per item was an allocation each, and its tests
/// walked trees).
#[derive(Debug, Clone, PartialEq, Eq)]
struct PassSets {
    /// Words of a set.
    words: usize,
    bits: Vec<u64>,
}

impl PassSets {
    /// Item `i` alone in its pass `numbers[i]` (of `count`, numbered from 0).
    fn new(numbers: &[usize], count: usize) -> PassSets {
        let words = count.div_ceil(64).max(1);
        let mut bits = vec![0; numbers.len() * words];
        for (i, &p) in numbers.iter().enumerate() {
            if let Some(w) = bits.get_mut(i * words + p / 64) {
                *w |= 1 << (p % 64);
            }
        }
        PassSets { words, bits }
    }

    fn set(&self, i: usize) -> &[u64] {
        self.bits
            .get(i * self.words..(i + 1) * self.words)
            .unwrap_or_default()
    }

    /// No pass holds items of both `a` and `b`.
    fn disjoint(&self, a: usize, b: usize) -> bool {
        self.set(a).iter().zip(self.set(b)).all(|(x, y)| x & y == 0)
    }

    /// Moves the passes of `gone` into those of `keep`.
    fn merge(&mut self, keep: usize, gone: usize) {
        for w in 0..self.words {
            let moved = std::mem::take(&mut self.bits[gone * self.words + w]);
            self.bits[keep * self.words + w] |= moved;
        }
    }
}

/// One token set of each item as a bit set over the distinct tokens of the
/// round ([`TitleRows`]), the tokens numbered through a small open-addressing
/// table built per round. A round with more distinct tokens than `max_words`
/// words hold keeps no bits: its pairs merge their keys.
#[derive(Debug, Clone, PartialEq, Eq)]
struct WordBits {
    /// Words of one item's set; 0 when the round keeps no bits.
    words: usize,
    bits: Vec<u64>,
}

impl WordBits {
    /// Past 512 distinct tokens the AND takes more words than a merge of
    /// a pair's few title words takes steps.
    const MAX_WORDS: usize = 8;

    /// The bit sets of `sets`, one per item in order.
    ///
    /// Each key's bit is set as the key is numbered, in a row on the stack
    /// as wide as the round's keys could need (its count of keys, repeats
    /// included, up to `max_words` words), copied out after the item's
    /// keys; the rows are then moved together to the width of its distinct
    /// keys. A list of every key's number, walked again to set the bits
    /// once the width was known, took twice the steps a key; rows zeroed
    /// in the vector, a zeroing the size of the round's rows (`memset`,
    /// counted a byte a step).
    ///
    /// `max_words` is at most [`WordBits::MAX_WORDS`] (past it, it counts as
    /// that).
    fn new<'s>(sets: impl Iterator<Item = &'s TokenSet> + Clone, max_words: usize) -> WordBits {
        let none = WordBits {
            words: 0,
            bits: Vec::new(),
        };
        let most = max_words.min(Self::MAX_WORDS) * 64;
        let total: usize = sets.clone().map(TokenSet::len).sum();
        // Each slot holds a token's number plus one (0: empty), and the tokens'
        // keys are kept by number: the table is all that is cleared per round.
        // More slots than tokens, so that a probe always ends; at most half
        // full, so that it ends after a step or two.
        let slots = (2 * total.min(most + 1)).next_power_of_two().max(2);
        let shift = 64 - slots.trailing_zeros();
        let mut table = vec![0u16; slots];
        let mut keys: Vec<u64> = Vec::with_capacity(total.min(most));
        // Never more distinct keys than keys: a row of `wide` words holds
        // every number a key can take before the round gives up.
        let wide = total.min(most).div_ceil(64).max(1);
        let count = sets.clone().count();
        let mut bits = Vec::with_capacity(count * wide);
        for set in sets {
            let mut row = [0u64; Self::MAX_WORDS];
            for &key in set.keys() {
                let mut slot = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> shift) as usize;
                let number = loop {
                    match table[slot] {
                        0 => {
                            if keys.len() == most {
                                return none;
                            }
                            keys.push(key);
                            table[slot] = keys.len() as u16;
                            break keys.len() - 1;
                        }
                        n if keys[usize::from(n) - 1] == key => break usize::from(n) - 1,
                        _ => slot = (slot + 1) & (slots - 1),
                    }
                };
                row[number / 64] |= 1 << (number % 64);
            }
            bits.extend_from_slice(&row[..wide]);
        }
        let words = keys.len().div_ceil(64).max(1);
        if words > max_words {
            return none;
        }
        // Row `i` moves from `i * wide` down to `i * words` (never past
        // where it was, so the rows before it are already in place), a word
        // at a time: a row is a word or two, less than a call of `memmove`.
        if words < wide {
            for i in 1..count {
                for w in 0..words {
                    bits[i * words + w] = bits[i * wide + w];
                }
            }
            bits.truncate(count * words);
        }
        WordBits { words, bits }
    }

    /// The bit sets of the items.
    fn rows(&self) -> TitleRows<'_> {
        TitleRows {
            bits: &self.bits,
            words: self.words,
        }
    }
}

/// The files of a round's items as bits over the round's distinct paths: an
/// item's `files` are the paths of its locations, its `reach` the paths that
/// are the same file as one of them ([`similarity::same_file`]), so a pair
/// shares a file exactly when the `reach` of one meets the `files` of the
/// other. Only paths of one file name can be the same file, so the relation
/// is worked out once per round between the few paths of each file name.
/// The per-finding file-name bits it replaces in the pair loop
/// ([`similarity::shares_file_name`]) let through the pairs whose file names
/// agree in different directories (`cmd/config.go`, `pkg/config.go`), which
/// then each walked their locations and compared their paths.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileBits {
    /// Each item's paths.
    files: Vec<u64>,
    /// The paths that are the same file as one of each item's.
    reach: Vec<u64>,
}

impl FileBits {
    /// Past 64 distinct paths a round keeps no bits (`None`): its pairs
    /// compare their file names as before.
    const MAX_PATHS: usize = 64;

    /// The bits of a round's items. Each path is numbered as it is first
    /// met: it is looked up among the paths of its file name, found by the
    /// name's key in a small open-addressing table on the stack (each slot
    /// the number plus one of the name's first path, 0: empty; 128 slots
    /// for at most 64 names, so a probe ends after a step or two), the
    /// name's paths linked in `next`. Sorting the locations by their name
    /// keys to find the paths of one name took a third of the time, and
    /// the vectors of sorted locations and of their numbers an allocation
    /// each.
    fn new(items: &[Item<'_>]) -> Option<FileBits> {
        const SLOTS: usize = 2 * FileBits::MAX_PATHS;
        let mut table = [0u8; SLOTS];
        // By path number: its name's key, the path, the paths that are the
        // same file, and the next path of its name (its number plus one;
        // 0: none).
        let mut keys: Vec<u64> = Vec::with_capacity(Self::MAX_PATHS);
        let mut paths: Vec<&str> = Vec::with_capacity(Self::MAX_PATHS);
        let mut same: Vec<u64> = Vec::with_capacity(Self::MAX_PATHS);
        let mut next: Vec<u8> = Vec::with_capacity(Self::MAX_PATHS);
        let mut files = Vec::with_capacity(items.len());
        for it in items {
            let mut f = 0u64;
            for l in &it.features.locations {
                let key = l.name_key();
                let path = l.path.as_str();
                let mut slot = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 57) as usize;
                let first = loop {
                    match table[slot] {
                        0 => break None,
                        n if keys[usize::from(n) - 1] == key => break Some(usize::from(n) - 1),
                        _ => slot = (slot + 1) % SLOTS,
                    }
                };
                // The name's paths in the order they were met: the path
                // itself, or the last of them, after which it is linked.
                let (mut at, mut last) = (first, None);
                while let Some(k) = at {
                    if paths[k] == path {
                        break;
                    }
                    last = Some(k);
                    at = usize::from(next[k]).checked_sub(1);
                }
                let n = match at {
                    Some(k) => k,
                    None => {
                        if paths.len() == Self::MAX_PATHS {
                            return None;
                        }
                        let n = paths.len();
                        let mut reach = 0;
                        let mut at = first;
                        while let Some(k) = at {
                            if similarity::same_file(paths[k], path) {
                                reach |= 1 << k;
                                same[k] |= 1 << n;
                            }
                            at = usize::from(next[k]).checked_sub(1);
                        }
                        if similarity::same_file(path, path) {
                            reach |= 1 << n;
                        }
                        keys.push(key);
                        paths.push(path);
                        same.push(reach);
                        next.push(0);
                        // Fewer than 64 paths: the number plus one fits a byte.
                        let link = (n + 1) as u8;
                        match last {
                            Some(k) => next[k] = link,
                            None => table[slot] = link,
                        }
                        n
                    }
                };
                f |= 1 << n;
            }
            files.push(f);
        }
        // An item's reach is that of its paths, known once every path is.
        let reach = files
            .iter()
            .map(|&f| {
                let (mut r, mut bits) = (0, f);
                while bits != 0 {
                    r |= same[bits.trailing_zeros() as usize];
                    bits &= bits - 1;
                }
                r
            })
            .collect();
        Some(FileBits { files, reach })
    }
}

/// What the pair loop reads of an item first, side by side in one small
/// value: a pair can only be anchored ([`Signals::anchored`]) when it shares
/// a file, an identifier, or a title word while a side has no location, and
/// each of those is a bit both items hold. Two ANDs refuse nine tenths of
/// the cross-agent pairs of the synthetic rounds at about a dozen
/// instructions each, where the tests of `similarity::may_anchor` (the file
/// bits, the identifiers' signatures, then the title's sizes and rows) took
/// about forty, and `signals_of_anchorable` two hundred more for a pair
/// whose titles agree.
///
/// The title counts only without a location on a side: two located
/// findings that share no file have a location signal of 0, which anchors
/// nothing and keeps the title from anchoring, unless both titles name one
/// identifier (then the location does not count), which the identifier
/// bits tell.
///
/// The identifiers and both title tests share one word, in lanes
/// ([`Sieve::first`], [`Sieve::second`]): one AND tests the three (four
/// words ANDed and ORed took four or five more instructions a pair).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sieve {
    /// The item's paths ([`FileBits`]); when the round keeps none, a bit
    /// for each of its file names (two findings sharing a file share its
    /// name).
    files: u64,
    /// The paths that are the same file as one of the item's; its file
    /// names' bits when the round keeps no paths.
    reach: u64,
    /// The item as the first of a pair: a bit for each of its identifiers
    /// and each identifier of its title (the low 32 bits), its title words
    /// (bits 32 to 47) and, when it has no location, its title words again
    /// (bits 48 to 63).
    first: u64,
    /// The item as the second of a pair: its identifiers (the low 32 bits),
    /// its title words when it has no location (bits 32 to 47), and its
    /// title words (bits 48 to 63): `first & second` tests the identifiers,
    /// then a title of the first against a loose title of the second, then
    /// the other way round.
    second: u64,
}

impl Sieve {
    /// The sieve of each item of a round: `files` are the round's
    /// [`FileBits`], when it keeps them, and `title_words` its title rows.
    fn of_round(
        items: &[Item<'_>],
        rules: &ClusterRules,
        files: Option<FileBits>,
        title_words: &WordBits,
    ) -> Vec<Sieve> {
        // Every title bit when the rules let a pair anchor with no shared
        // file or identifier, or with no shared title word: then the sieve
        // refuses no pair.
        let open =
            rules.anchor_location == 0 || rules.anchor_identifiers == 0 || rules.anchor_title == 0;
        let mut out = Vec::with_capacity(items.len());
        for (i, it) in items.iter().enumerate() {
            let f = &it.features;
            let (files, reach) = match &files {
                Some(bits) => (bits.files[i], bits.reach[i]),
                None => {
                    let names = f.locations.iter().fold(0, |b, l| b | key_bit(l.name_key()));
                    (names, names)
                }
            };
            // The title's row ([`WordBits`]) folded into 16 bits (rows
            // sharing bit `k` share bit `k % 16`), or 16 bits of its keys
            // when the round keeps no rows.
            let w = title_words.words;
            let title: u64 = if open {
                0xffff
            } else if w == 0 {
                f.title_words.keys().iter().fold(0, |b, &k| {
                    b | 1 << (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 60)
                })
            } else {
                let row = title_words
                    .bits
                    .get(i * w..(i + 1) * w)
                    .map_or(u64::MAX, |row| row.iter().fold(0, |b, &x| b | x));
                (row | row >> 16 | row >> 32 | row >> 48) & 0xffff
            };
            let loose = if open || f.locations.is_empty() {
                title
            } else {
                0
            };
            let identifiers = f
                .identifiers
                .keys()
                .iter()
                .chain(f.title_identifiers.keys())
                .fold(0, |b, &k| {
                    b | 1 << (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 59)
                });
            out.push(Sieve {
                files,
                reach,
                first: identifiers | title << 32 | loose << 48,
                second: identifiers | loose << 32 | title << 48,
            });
        }
        out
    }

    /// False when the pair of `self` and `other` shares no file, no
    /// identifier, and no title word or has locations on both sides, so
    /// cannot be anchored; true when it may be.
    #[inline]
    fn may_anchor(&self, other: &Sieve) -> bool {
        (self.reach & other.files) | (self.first & other.second) != 0
    }
}

/// What [`Sieve::may_anchor`] reads of the second item of a pair, for
/// every item of a round side by side, and the same ORed over each aligned
/// quad of items (`4q` to `4q + 3`).
///
/// An AND distributes over an OR, so the four tests of a quad ORed together
/// are one test of its items' words ORed together: a quad that fails it
/// (three in four of the synthetic rounds' quads, as the sieve refuses
/// nine pairs in ten) is refused whole, in about a dozen instructions where
/// four tests took about fifty (each a dozen, the first item's words
/// reloaded from the stack that the scoring around them keeps its values
/// on).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seconds {
    files: Vec<u64>,
    seconds: Vec<u64>,
    /// Each whole quad's `files` and `seconds`, ORed.
    quads: Vec<(u64, u64)>,
}

impl Seconds {
    fn of(sieve: &[Sieve]) -> Seconds {
        let files: Vec<u64> = sieve.iter().map(|s| s.files).collect();
        let seconds: Vec<u64> = sieve.iter().map(|s| s.second).collect();
        let quads = files
            .chunks_exact(4)
            .zip(seconds.chunks_exact(4))
            .map(|(f, s)| (f[0] | f[1] | f[2] | f[3], s[0] | s[1] | s[2] | s[3]))
            .collect();
        Seconds {
            files,
            seconds,
            quads,
        }
    }

    /// Pushes onto `out`, in order, each item of `run` whose sieve passes
    /// [`Sieve::may_anchor`] with `sa`. The whole quads inside the run are
    /// searched for one that passes ORed, in a loop of their words alone,
    /// and only its items are tested one by one; the items of the run
    /// before its first whole quad and after its last are tested one by
    /// one (the items after a review's run are usually all in whole quads
    /// when the reviews hold multiples of four findings, and a few of the
    /// ends otherwise).
    fn push_candidates(&self, sa: &Sieve, run: std::ops::Range<usize>, out: &mut Vec<usize>) {
        let end = run.end.min(self.files.len());
        let start = run.start.min(end);
        // The test reads only these two words of the second item.
        let may = |files: u64, second: u64| {
            sa.may_anchor(&Sieve {
                files,
                second,
                ..Sieve::default()
            })
        };
        let one_by_one = |from: usize, to: usize, out: &mut Vec<usize>| {
            let pairs = self.files[from..to].iter().zip(&self.seconds[from..to]);
            for (b, (&f, &s)) in (from..).zip(pairs) {
                if may(f, s) {
                    out.push(b);
                }
            }
        };
        // The first quad that starts in the run, and the quad the run ends
        // in: the quads between are whole (none when they meet or cross).
        let (first_quad, end_quad) = (start.div_ceil(4), end / 4);
        if first_quad >= end_quad {
            one_by_one(start, end, out);
            return;
        }
        one_by_one(start, 4 * first_quad, out);
        let mut q = first_quad;
        while let Some(k) = self.quads[q..end_quad].iter().position(|&(f, s)| may(f, s)) {
            q += k;
            one_by_one(4 * q, 4 * q + 4, out);
            q += 1;
        }
        one_by_one(4 * end_quad, end, out);
    }
}

/// The bit of a key in a round's file-name bits: its top six bits after a
/// multiplication.
fn key_bit(key: u64) -> u64 {
    1 << (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58)
}

/// An item's agent pass, compared as its pass and agent name. The items of
/// one review share their agent's string, so two names at the same address
/// and of the same length are equal without reading their bytes: most
/// compares of a round (the items of one review with the previous item, or
/// with their pass's first item) are settled so, not by `memcmp`.
#[derive(Debug, Clone, Copy)]
struct PassKey<'a>(u32, &'a str);

impl PartialEq for PassKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 && (std::ptr::eq(self.1, other.1) || self.1 == other.1)
    }
}

/// For each key, the index of its first occurrence. A key equal to the one
/// before it has that key's first occurrence (the items of a review are next
/// to each other, so this is most of them); any other is compared with the
/// first occurrences found so far (the agent passes of a round: a handful),
/// not with every key before it (a string compare per pair of findings).
fn first_of_each<T: PartialEq>(keys: &[T]) -> Vec<usize> {
    let mut firsts: Vec<usize> = Vec::new();
    let mut out: Vec<usize> = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        if let (Some(before), Some(&first)) = (i.checked_sub(1).map(|b| &keys[b]), out.last())
            && before == key
        {
            out.push(first);
            continue;
        }
        match firsts.iter().find(|&&j| keys[j] == *key) {
            Some(&j) => out.push(j),
            None => {
                firsts.push(i);
                out.push(i);
            }
        }
    }
    out
}

/// The items after `a` that the pair loop scores with it, as ranges of
/// whole runs of one agent pass: those of other passes, or all of them when
/// the rules merge findings of one agent. The items of a review are next to
/// each other, so the passes are compared once a run, not once a pair, and
/// a's own run is skipped whole. Runs next to each other that are kept are
/// one range: the items after a's run are usually all of other passes, and
/// then they are one range, read by one call of
/// [`Seconds::push_candidates`] rather than one a review, each with its
/// own ends to test one by one.
fn later_runs<'r>(
    a: usize,
    pass_of: &'r [usize],
    run_end: &'r [usize],
    merge_same_agent: bool,
) -> impl Iterator<Item = std::ops::Range<usize>> + 'r {
    let mut run = if merge_same_agent {
        a + 1
    } else {
        run_end.get(a).copied().unwrap_or(a + 1)
    };
    let kept = move |start: usize| merge_same_agent || pass_of[start] != pass_of[a];
    std::iter::from_fn(move || {
        while run < run_end.len() && !kept(run) {
            run = run_end[run];
        }
        let start = run;
        while run < run_end.len() && kept(run) {
            run = run_end[run];
        }
        (start < run).then_some(start..run)
    })
}

/// True when each pass of `pass_of` ([`first_of_each`]) is one run: as many
/// runs as passes (a pass is numbered by its first item).
fn one_run_each(pass_of: &[usize]) -> bool {
    let passes = pass_of.iter().enumerate().filter(|&(i, &p)| p == i).count();
    let runs = (0..pass_of.len())
        .filter(|&i| i == 0 || pass_of[i] != pass_of[i - 1])
        .count();
    passes == runs
}

/// For each item, the first index after it that holds another key (the
/// length when none does): the end of the run of equal keys it is in.
fn run_ends<T: PartialEq>(keys: &[T]) -> Vec<usize> {
    let mut ends = vec![keys.len(); keys.len()];
    for i in (1..keys.len()).rev() {
        ends[i - 1] = if keys[i - 1] == keys[i] { ends[i] } else { i };
    }
    ends
}

/// The items' indexes in content order ([`Item::content_key`]; items of
/// equal keys in index order, as a stable sort leaves them). Each item's
/// [`Item::content_prefix`] and index are one integer, sorted as integers;
/// only the runs of equal prefixes are then sorted by their content keys
/// (comparing the keys through a closure was most of the sort).
fn content_order(items: &[Item<'_>]) -> Vec<usize> {
    let by_key = |a: &usize, b: &usize| items[*a].content_key().cmp(&items[*b].content_key());
    if u32::try_from(items.len()).is_err() {
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by(by_key);
        return order;
    }
    let mut keys: Vec<u128> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        keys.push(item.content_prefix() | i as u128);
    }
    order_by_prefix(keys, 32, by_key)
}

/// The indexes held in the low `index_bits` bits of `keys`, in the order of
/// the prefixes above them; each run of equal prefixes is then put in the
/// order `by` gives. Within a run the indexes start in index order (the
/// integers sorted them so), so the result is the stable sort of all the
/// indexes by (prefix, `by`), with `by` run only where prefixes tie. The
/// shared step of [`content_order`] and the engine's numbering.
pub(crate) fn order_by_prefix(
    mut keys: Vec<u128>,
    index_bits: u32,
    mut by: impl FnMut(&usize, &usize) -> std::cmp::Ordering,
) -> Vec<usize> {
    keys.sort_unstable();
    let mask = (1u128 << index_bits) - 1;
    let mut order: Vec<usize> = keys.iter().map(|&k| (k & mask) as usize).collect();
    let mut start = 0;
    for run in keys.chunk_by(|a, b| a >> index_bits == b >> index_bits) {
        let end = start + run.len();
        if run.len() > 1 {
            order[start..end].sort_by(&mut by);
        }
        start = end;
    }
    order
}

/// The edges' indexes sorted by score (highest first), then by the ranks of
/// their two findings. No two edges have the same key (one edge a pair, and
/// the ranks are a permutation), so the unstable sort gives the stable
/// sort's order. The keys are packed into integers with each edge's index
/// and sorted as integers (sorting the edges themselves compared through two
/// rank lookups and moved whole edges at every step).
fn edge_order(edges: &[Merge], rank: &[usize]) -> Vec<usize> {
    let key = |e: &Merge| (Reverse(e.score), rank[e.a], rank[e.b]);
    if u32::try_from(rank.len().max(edges.len())).is_err() {
        let mut order: Vec<usize> = (0..edges.len()).collect();
        order.sort_unstable_by_key(|&i| key(&edges[i]));
        return order;
    }
    // Every rank and index is below 2^32, so each takes 32 bits exactly.
    let mut keys: Vec<u128> = Vec::with_capacity(edges.len());
    for (i, e) in edges.iter().enumerate() {
        keys.push(
            u128::from(u32::MAX - e.score) << 96
                | (rank[e.a] as u128) << 64
                | (rank[e.b] as u128) << 32
                | i as u128,
        );
    }
    keys.sort_unstable();
    keys.iter().map(|&k| k as u32 as usize).collect()
}

/// Union-find over the items, with what each cluster root carries.
struct Unions<'a> {
    parent: Vec<usize>,
    /// Agent passes of each root's cluster.
    passes: PassSets,
    /// Unions of each root's cluster.
    merges: MergeLists,
    /// The recorded group of each root's cluster (its adjudication number), for
    /// the cannot-link check.
    group_of: Vec<Option<usize>>,
    rank: &'a [usize],
}

impl Unions<'_> {
    fn root(&mut self, i: usize) -> usize {
        find(&mut self.parent, i)
    }

    fn union(&mut self, edge: Merge) {
        let ra = self.root(edge.a);
        let rb = self.root(edge.b);
        // The better-ranked root survives, so the result does not depend on indexes.
        let (keep, gone) = if self.rank[ra] < self.rank[rb] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[gone] = keep;
        self.passes.merge(keep, gone);
        self.merges.join(keep, gone, edge);
        self.group_of[keep] = self.group_of[keep].or(self.group_of[gone]);
    }
}

/// The unions of each cluster, as lists threaded through one vector of every
/// union: joining two clusters links the second list after the first, where
/// a vector per cluster moved and regrew at every union.
#[derive(Debug, Clone, Default)]
struct MergeLists {
    /// Every union, in the order it happened.
    merges: Vec<Merge>,
    /// For each union, the next one of its cluster's list (`usize::MAX` at the end).
    next: Vec<usize>,
    /// The list of each slot (a cluster root), when it has one.
    lists: Vec<Option<List>>,
}

/// One list of a [`MergeLists`]: its first and last unions and its length.
#[derive(Debug, Clone, Copy)]
struct List {
    first: usize,
    last: usize,
    len: usize,
}

impl MergeLists {
    /// `slots` empty lists, with room for `unions` unions.
    fn new(slots: usize, unions: usize) -> MergeLists {
        MergeLists {
            merges: Vec::with_capacity(unions),
            next: Vec::with_capacity(unions),
            lists: vec![None; slots],
        }
    }

    /// The list of `keep` becomes its own, then that of `gone` (left empty),
    /// then `edge`.
    fn join(&mut self, keep: usize, gone: usize, edge: Merge) {
        let at = self.merges.len();
        self.merges.push(edge);
        self.next.push(usize::MAX);
        let gone_list = self.lists.get_mut(gone).and_then(Option::take);
        let Some(slot) = self.lists.get_mut(keep) else {
            return;
        };
        let joined = match (*slot, gone_list) {
            (Some(k), Some(g)) => {
                if let Some(link) = self.next.get_mut(k.last) {
                    *link = g.first;
                }
                Some(List {
                    first: k.first,
                    last: g.last,
                    len: k.len + g.len,
                })
            }
            (k, g) => k.or(g),
        };
        *slot = Some(match joined {
            Some(list) => {
                if let Some(link) = self.next.get_mut(list.last) {
                    *link = at;
                }
                List {
                    first: list.first,
                    last: at,
                    len: list.len + 1,
                }
            }
            None => List {
                first: at,
                last: at,
                len: 1,
            },
        });
    }

    /// The unions of slot `i`'s list, in order.
    fn of(&self, i: usize) -> Vec<Merge> {
        let Some(list) = self.lists.get(i).copied().flatten() else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(list.len);
        let mut at = list.first;
        for _ in 0..list.len {
            let (Some(merge), Some(&next)) = (self.merges.get(at), self.next.get(at)) else {
                break;
            };
            out.push(merge.clone());
            at = next;
        }
        out
    }
}

/// Which adjudication grouped a member into its recorded group.
struct GroupLabel {
    /// The smallest adjudication number of the group: its identity.
    number: usize,
    /// For each member, the smallest adjudication number naming it.
    by_member: BTreeMap<usize, usize>,
}

impl GroupLabel {
    fn of(&self, member: usize) -> usize {
        self.by_member.get(&member).copied().unwrap_or(self.number)
    }
}

/// Recorded groups, with groups sharing an item joined, members in rank order and
/// groups in the order of their best-ranked member (so the unions done for them
/// do not depend on the input order).
fn recorded_groups(n: usize, groups: &[Group], rank: &[usize]) -> Vec<(GroupLabel, Vec<usize>)> {
    let mut parent: Vec<usize> = (0..n).collect();
    let mut by_member: BTreeMap<usize, usize> = BTreeMap::new();
    for g in groups {
        let valid: Vec<usize> = g.items.iter().copied().filter(|&i| i < n).collect();
        for &i in &valid {
            let e = by_member.entry(i).or_insert(g.adjudication);
            *e = (*e).min(g.adjudication);
        }
        if let Some(&first) = valid.first() {
            for &i in &valid {
                let (ra, rb) = (find(&mut parent, first), find(&mut parent, i));
                if ra != rb {
                    parent[ra.max(rb)] = ra.min(rb);
                }
            }
        }
    }
    let mut joined: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &i in by_member.keys() {
        let r = find(&mut parent, i);
        joined.entry(r).or_default().push(i);
    }
    let mut out: Vec<(GroupLabel, Vec<usize>)> = joined
        .into_values()
        .map(|mut members| {
            members.sort_by_key(|&i| rank[i]);
            let labels: BTreeMap<usize, usize> = members
                .iter()
                .filter_map(|i| by_member.get(i).map(|a| (*i, *a)))
                .collect();
            let number = labels.values().copied().min().unwrap_or(0);
            (
                GroupLabel {
                    number,
                    by_member: labels,
                },
                members,
            )
        })
        .collect();
    out.sort_by_key(|(_, m)| m.first().map(|&i| rank[i]));
    out
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consolidate::similarity::NormLocation;
    use std::collections::BTreeSet;

    fn raw(severity: Severity, title: &str, ordinal: u32) -> RawFinding {
        RawFinding {
            ordinal,
            raised_id: None,
            severity,
            classification: None,
            tags: Vec::new(),
            title: title.to_string(),
            locations: Vec::new(),
            body: String::new(),
            fix: None,
            code_blocks: Vec::new(),
            line: 1,
        }
    }

    fn severity() -> impl proptest::strategy::Strategy<Value = Severity> {
        proptest::sample::select(Severity::ALL.to_vec())
    }

    fn located(paths: &[String]) -> RawFinding {
        let mut f = raw(Severity::Important, "t", 1);
        f.locations = paths
            .iter()
            .map(|p| crate::model::Location {
                path: p.clone(),
                start: None,
                end: None,
            })
            .collect();
        f
    }

    /// The pair loop's form before [`Seconds::push_candidates`]: each item
    /// of the run tested with [`Sieve::may_anchor`].
    fn candidates_one_by_one(
        sieve: &[Sieve],
        sa: &Sieve,
        run: std::ops::Range<usize>,
    ) -> Vec<usize> {
        run.filter(|&b| sa.may_anchor(&sieve[b])).collect()
    }

    /// [`Seconds::push_candidates`] of `run`, into a vector that already
    /// holds an item (it appends).
    fn candidates_by_quads(sieve: &[Sieve], sa: &Sieve, run: std::ops::Range<usize>) -> Vec<usize> {
        let mut out = vec![usize::MAX];
        Seconds::of(sieve).push_candidates(sa, run, &mut out);
        out.remove(0);
        out
    }

    #[test]
    fn quads_find_every_passing_item_at_every_place_of_every_run() {
        // Every round of up to 13 items, every run in it (so every place of
        // a run's ends around the quads' edges), one or two items passing
        // at every pair of places, by either word the test reads.
        let sa = Sieve {
            reach: 0b01,
            first: 0b10,
            ..Sieve::default()
        };
        let pass = |by_second: bool| {
            if by_second {
                Sieve {
                    second: 0b10,
                    files: 0b100,
                    ..Sieve::default()
                }
            } else {
                Sieve {
                    files: 0b01,
                    second: 0b100,
                    ..Sieve::default()
                }
            }
        };
        let refused = Sieve {
            files: 0b110,
            second: 0b101,
            ..Sieve::default()
        };
        for n in 0..=13usize {
            for p in 0..=n {
                for q in p..=n {
                    // `n` stands for no item: p == n is a round with none
                    // passing, q == p one with one.
                    let sieve: Vec<Sieve> = (0..n)
                        .map(|i| {
                            if i == p || i == q {
                                pass((i + p + q) % 2 == 1)
                            } else {
                                refused
                            }
                        })
                        .collect();
                    for start in 0..=n {
                        for end in start..=n {
                            assert_eq!(
                                candidates_by_quads(&sieve, &sa, start..end),
                                candidates_one_by_one(&sieve, &sa, start..end),
                                "{n} items, passing {p} and {q}, run {start}..{end}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn file_bits_stop_past_their_paths() {
        // A round of as many distinct paths as the bits hold keeps them; one
        // more keeps none (its pairs compare file names).
        for (count, kept) in [
            (FileBits::MAX_PATHS, true),
            (FileBits::MAX_PATHS + 1, false),
        ] {
            let raws: Vec<RawFinding> = (0..count)
                .map(|i| located(&[format!("d{i}/a.go"), format!("d{}/a.go", i / 2)]))
                .collect();
            let items: Vec<Item<'_>> = raws.iter().map(|f| Item::new("x", 1, f)).collect();
            assert_eq!(FileBits::new(&items).is_some(), kept, "{count} paths");
        }
    }

    /// The form `FileBits::new` replaced: the locations sorted by their file
    /// names' keys, the paths of one name a run of them.
    fn file_bits_by_sorted_names(items: &[Item<'_>]) -> Option<FileBits> {
        let locations: Vec<&NormLocation> =
            items.iter().flat_map(|it| &it.features.locations).collect();
        let count = u32::try_from(locations.len()).ok()?;
        // The locations' numbers, sorted by their file names' keys: the
        // locations of one file name are then one run.
        let mut by_name: Vec<(u64, u32)> = (0..count)
            .zip(&locations)
            .map(|(i, l)| (l.name_key(), i))
            .collect();
        by_name.sort_unstable();
        // Each location's path number, the distinct paths by number, and for
        // each path the paths that are the same file.
        let mut number = vec![0usize; locations.len()];
        let mut paths: Vec<&str> = Vec::new();
        let mut same: Vec<u64> = Vec::new();
        let mut start = 0;
        while start < by_name.len() {
            let key = by_name[start].0;
            let end = by_name[start..]
                .iter()
                .position(|&(k, _)| k != key)
                .map_or(by_name.len(), |len| start + len);
            let first = paths.len();
            for &(_, i) in &by_name[start..end] {
                let path = locations[i as usize].path.as_str();
                number[i as usize] = match paths[first..].iter().position(|&p| p == path) {
                    Some(k) => first + k,
                    None => {
                        if paths.len() == FileBits::MAX_PATHS {
                            return None;
                        }
                        let n = paths.len();
                        let mut reach = 0;
                        for k in first..n {
                            if similarity::same_file(paths[k], path) {
                                reach |= 1 << k;
                                same[k] |= 1 << n;
                            }
                        }
                        if similarity::same_file(path, path) {
                            reach |= 1 << n;
                        }
                        paths.push(path);
                        same.push(reach);
                        n
                    }
                };
            }
            start = end;
        }
        let mut files = Vec::with_capacity(items.len());
        let mut reach = Vec::with_capacity(items.len());
        let mut at = 0;
        for it in items {
            let (mut f, mut r) = (0u64, 0u64);
            for n in &number[at..at + it.features.locations.len()] {
                f |= 1 << n;
                r |= same[*n];
            }
            at += it.features.locations.len();
            files.push(f);
            reach.push(r);
        }
        Some(FileBits { files, reach })
    }

    /// The form `WordBits::new` replaced: every key's number listed, then
    /// the bits set from the list once the width is known.
    fn word_bits_by_numbers<'s>(
        sets: impl Iterator<Item = &'s TokenSet> + Clone,
        max_words: usize,
    ) -> WordBits {
        let none = WordBits {
            words: 0,
            bits: Vec::new(),
        };
        let most = max_words * 64;
        let total: usize = sets.clone().map(TokenSet::len).sum();
        // Each slot holds a token's number plus one (0: empty), and the tokens'
        // keys are kept by number: the table is all that is cleared per round.
        // More slots than tokens, so that a probe always ends; at most half
        // full, so that it ends after a step or two.
        let slots = (2 * total.min(most + 1)).next_power_of_two().max(2);
        let shift = 64 - slots.trailing_zeros();
        let mut table = vec![0u16; slots];
        let mut keys: Vec<u64> = Vec::with_capacity(total.min(most));
        let mut numbered: Vec<u16> = Vec::with_capacity(total);
        for set in sets.clone() {
            for &key in set.keys() {
                let mut slot = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> shift) as usize;
                let number = loop {
                    match table[slot] {
                        0 => {
                            if keys.len() == most {
                                return none;
                            }
                            keys.push(key);
                            table[slot] = keys.len() as u16;
                            break keys.len() - 1;
                        }
                        n if keys[usize::from(n) - 1] == key => break usize::from(n) - 1,
                        _ => slot = (slot + 1) & (slots - 1),
                    }
                };
                numbered.push(number as u16);
            }
        }
        let words = keys.len().div_ceil(64).max(1);
        if words > max_words {
            return none;
        }
        let mut bits = vec![0u64; sets.clone().count() * words];
        let mut at = 0;
        for (i, set) in sets.enumerate() {
            for &number in &numbered[at..at + set.len()] {
                let bit = usize::from(number);
                bits[i * words + bit / 64] |= 1 << (bit % 64);
            }
            at += set.len();
        }
        WordBits { words, bits }
    }

    proptest::proptest! {
        #[test]
        fn file_bits_relate_the_items_as_sorted_names_did(
            findings in proptest::collection::vec(
                proptest::collection::vec("(pkg/a\\.go|a\\.go|b\\.go|pkg/b/a\\.go|x/pkg/a\\.go|c/b\\.go|A\\.GO|/a\\.go|[ab]/[ab]/[ab]\\.go|[a-h]{1,2}/[ab]\\.go|)", 0..4),
                0..40,
            ),
        ) {
            // Numbered as met rather than by name, the paths take other
            // bits: what must agree is which items share a file, and which
            // rounds keep no bits.
            let raws: Vec<RawFinding> = findings.iter().map(|p| located(p)).collect();
            let items: Vec<Item<'_>> = raws.iter().map(|f| Item::new("x", 1, f)).collect();
            let (new, old) = (FileBits::new(&items), file_bits_by_sorted_names(&items));
            proptest::prop_assert_eq!(new.is_some(), old.is_some());
            let (Some(new), Some(old)) = (new, old) else { return Ok(()) };
            for i in 0..items.len() {
                proptest::prop_assert_eq!(new.files[i].count_ones(), old.files[i].count_ones());
                for j in 0..items.len() {
                    proptest::prop_assert_eq!(
                        new.reach[i] & new.files[j] != 0,
                        old.reach[i] & old.files[j] != 0,
                        "items {} and {}", i, j
                    );
                    proptest::prop_assert_eq!(
                        (new.files[i] & new.files[j]).count_ones(),
                        (old.files[i] & old.files[j]).count_ones()
                    );
                }
            }
        }

        #[test]
        fn file_bits_share_what_same_file_shares(
            findings in proptest::collection::vec(
                proptest::collection::vec("(pkg/a\\.go|a\\.go|b\\.go|pkg/b/a\\.go|x/pkg/a\\.go|c/b\\.go|A\\.GO|/a\\.go|[ab]/[ab]/[ab]\\.go|)", 0..4),
                0..14,
            ),
        ) {
            // The form they replaced in the pair loop: every location of one
            // finding against every location of the other.
            let raws: Vec<RawFinding> = findings.iter().map(|p| located(p)).collect();
            let items: Vec<Item<'_>> = raws.iter().map(|f| Item::new("x", 1, f)).collect();
            let bits = FileBits::new(&items);
            proptest::prop_assert!(bits.is_some());
            let Some(bits) = bits else { return Ok(()) };
            for (i, a) in items.iter().enumerate() {
                for (j, b) in items.iter().enumerate() {
                    let walked = a.features.locations.iter().any(|x| {
                        b.features.locations.iter().any(|y| similarity::same_file(&x.path, &y.path))
                    });
                    proptest::prop_assert_eq!(bits.reach[i] & bits.files[j] != 0, walked);
                }
            }
        }

        #[test]
        fn a_pair_the_sieve_refuses_is_refused(
            findings in proptest::collection::vec(
                (
                    "(leak|lock|the|cache|`Reconcile`|`run_loop`|retry|watcher|`a.b`) {0,4}",
                    "(leak|`Reconcile`|`run_loop`|holds|`x_y`|state) {0,4}",
                    proptest::collection::vec("(pkg/a\\.go|a\\.go|b\\.go|pkg/b/a\\.go|c/b\\.go|x/a\\.go)", 0..3),
                ),
                0..10,
            ),
            anchors in (0u32..=1000, 0u32..=1000, 0u32..=1000),
            threshold in 0u32..=1000,
            max_words in 0usize..3,
            keep_files in proptest::bool::ANY,
        ) {
            // The tests it stands before: a pair it refuses is one that
            // `signals_reaching` (every test of the pair, without the
            // round's bits) refuses, whatever the rules, whether the round
            // keeps its paths and however it keeps its title words.
            let raws: Vec<RawFinding> = findings
                .iter()
                .map(|(title, body, paths)| {
                    let mut f = located(paths);
                    f.title = title.clone();
                    f.body = body.clone();
                    f
                })
                .collect();
            let items: Vec<Item<'_>> = raws.iter().map(|f| Item::new("x", 1, f)).collect();
            let mut rules = crate::consolidate::rules::Rules::default().cluster;
            (rules.anchor_location, rules.anchor_identifiers, rules.anchor_title) = anchors;
            let files = if keep_files { FileBits::new(&items) } else { None };
            let words = WordBits::new(items.iter().map(|it| &it.features.title_words), max_words);
            let sieve = Sieve::of_round(&items, &rules, files, &words);
            for (a, x) in items.iter().enumerate() {
                for (b, y) in items.iter().enumerate() {
                    if !sieve[a].may_anchor(&sieve[b]) {
                        proptest::prop_assert_eq!(
                            similarity::signals_reaching(&x.features, &y.features, &rules, threshold),
                            None
                        );
                        proptest::prop_assert!(!similarity::signals(&x.features, &y.features, &rules).anchored(&rules));
                    }
                }
            }
        }

        #[test]
        fn word_bits_are_those_of_the_numbered_keys(
            sets in proptest::collection::vec(
                proptest::collection::vec("[a-z]{1,3}|[a-z]{9,12}|\\u{e9}[a-z]", 0..40),
                0..14,
            ),
            max_words in 0usize..4,
        ) {
            // The rows set while numbering, then moved together, are the
            // rows set from the list of numbers, and the rounds given up
            // the same.
            let sets: Vec<TokenSet> = sets.iter().map(|s| s.iter().collect()).collect();
            proptest::prop_assert_eq!(
                WordBits::new(sets.iter(), max_words),
                word_bits_by_numbers(sets.iter(), max_words)
            );
        }

        #[test]
        fn word_bits_count_what_merges_count(
            sets in proptest::collection::vec(
                proptest::collection::vec("[a-z]{1,3}|[a-z]{9,12}|\\u{e9}[a-z]", 0..12),
                0..14,
            ),
            max_words in 0usize..4,
        ) {
            // The form they replaced: the sorted keys merged, for every pair
            // and with every bit-set width (or none, past `max_words`).
            let sets: Vec<TokenSet> = sets.iter().map(|s| s.iter().collect()).collect();
            let bits = WordBits::new(sets.iter(), max_words);
            for a in 0..sets.len() {
                for b in 0..sets.len() {
                    proptest::prop_assert_eq!(
                        bits.rows().common((a, b), &sets[a], &sets[b]),
                        sets[a].common(&sets[b])
                    );
                }
            }
        }

        #[test]
        fn edges_sort_as_the_stable_sort_does(
            n in 2usize..12,
            pairs in proptest::collection::btree_map(
                (0usize..12, 0usize..12),
                proptest::prop_oneof![0u32..4, (u32::MAX - 2)..=u32::MAX, proptest::num::u32::ANY],
                0..30,
            ),
            shuffle in proptest::collection::vec(proptest::num::usize::ANY, 12),
        ) {
            // A permutation of ranks, and one edge per pair of findings, lower rank first.
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by_key(|&i| shuffle[i]);
            let mut rank = vec![0; n];
            for (r, &i) in order.iter().enumerate() {
                rank[i] = r;
            }
            let mut edges: Vec<Merge> = pairs
                .into_iter()
                .map(|((a, b), score)| (a % n, b % n, score))
                .filter(|&(a, b, _)| rank[a] < rank[b])
                .map(|(a, b, score)| Merge { a, b, signals: Signals::default(), score, by_adjudication: None })
                .collect();
            edges.sort_by_key(|e| (e.a, e.b));
            edges.dedup_by_key(|e| (e.a, e.b));
            let mut stable = edges.clone();
            stable.sort_by_key(|e| (Reverse(e.score), rank[e.a], rank[e.b]));
            let sorted: Vec<Merge> = edge_order(&edges, &rank).iter().map(|&i| edges[i].clone()).collect();
            proptest::prop_assert_eq!(sorted, stable);
        }

        #[test]
        fn merge_lists_are_the_vectors_they_replaced(
            joins in proptest::collection::vec((0usize..8, 0usize..8), 0..24),
        ) {
            // The form they replaced: a vector per slot, the second moved
            // after the first at each join, then the union pushed.
            let mut vectors: Vec<Vec<Merge>> = vec![Vec::new(); 8];
            let mut lists = MergeLists::new(8, 0);
            for (n, (keep, gone)) in joins.into_iter().enumerate() {
                if keep == gone {
                    continue;
                }
                let edge = Merge { a: keep, b: gone, signals: Signals::default(), score: n as u32, by_adjudication: None };
                let moved = std::mem::take(&mut vectors[gone]);
                vectors[keep].extend(moved);
                vectors[keep].push(edge.clone());
                lists.join(keep, gone, edge);
            }
            for (i, v) in vectors.iter().enumerate() {
                proptest::prop_assert_eq!(&lists.of(i), v);
            }
        }

        #[test]
        fn quads_find_the_items_found_one_by_one(
            sieve in proptest::collection::vec((0u64..16, 0u64..16), 0..40),
            sa in (0u64..16, 0u64..16),
            run in (0usize..42, 0usize..42),
        ) {
            let sieve: Vec<Sieve> = sieve
                .iter()
                .map(|&(files, second)| Sieve { files, second, ..Sieve::default() })
                .collect();
            let sa = Sieve { reach: sa.0, first: sa.1, ..Sieve::default() };
            let end = run.1.min(sieve.len());
            let start = run.0.min(end);
            proptest::prop_assert_eq!(
                candidates_by_quads(&sieve, &sa, start..end),
                candidates_one_by_one(&sieve, &sa, start..end)
            );
            // A run past the items is read as far as they go.
            proptest::prop_assert_eq!(
                candidates_by_quads(&sieve, &sa, start..sieve.len() + 3),
                candidates_one_by_one(&sieve, &sa, start..sieve.len())
            );
        }

        #[test]
        fn later_runs_hold_the_pairs_of_other_passes(
            keys in proptest::collection::vec(0u8..3, 0..20),
            merge_same_agent in proptest::bool::ANY,
        ) {
            // The form the pair loop had: each later item, its pass tested.
            let pass_of = first_of_each(&keys);
            let run_end = run_ends(&pass_of);
            for a in 0..keys.len() {
                let ranges: Vec<std::ops::Range<usize>> = later_runs(a, &pass_of, &run_end, merge_same_agent).collect();
                let by_runs: Vec<usize> = ranges.iter().cloned().flatten().collect();
                let by_items: Vec<usize> = (a + 1..keys.len())
                    .filter(|&b| merge_same_agent || pass_of[a] != pass_of[b])
                    .collect();
                proptest::prop_assert_eq!(by_runs, by_items);
                // Each range is as long as it can be: none is empty, and
                // none ends where the next starts.
                proptest::prop_assert!(ranges.iter().all(|r| r.start < r.end));
                proptest::prop_assert!(ranges.windows(2).all(|w| w[0].end < w[1].start));
            }
        }

        #[test]
        fn one_run_each_is_one_later_range(keys in proptest::collection::vec(0u8..3, 0..20)) {
            // What the pair loop takes for `later_runs` when it holds.
            let pass_of = first_of_each(&keys);
            let run_end = run_ends(&pass_of);
            let each = one_run_each(&pass_of);
            let runs: Vec<u8> = keys.iter().enumerate()
                .filter(|&(i, k)| i == 0 || keys[i - 1] != *k)
                .map(|(_, &k)| k)
                .collect();
            let mut distinct = runs.clone();
            distinct.sort_unstable();
            distinct.dedup();
            proptest::prop_assert_eq!(each, runs.len() == distinct.len());
            if each {
                for a in 0..keys.len() {
                    let ranges: Vec<std::ops::Range<usize>> = later_runs(a, &pass_of, &run_end, false).collect();
                    let one: Vec<std::ops::Range<usize>> = Some(run_end[a]..keys.len())
                        .filter(|r| r.start < r.end)
                        .into_iter()
                        .collect();
                    proptest::prop_assert_eq!(ranges, one);
                }
            }
        }

        #[test]
        fn run_ends_are_the_first_other_keys_after(keys in proptest::collection::vec(0u8..3, 0..20)) {
            // The form the pair loop had: each later key tested.
            let ends: Vec<usize> = (0..keys.len())
                .map(|i| (i + 1..keys.len()).find(|&j| keys[j] != keys[i]).unwrap_or(keys.len()))
                .collect();
            proptest::prop_assert_eq!(run_ends(&keys), ends);
        }

        #[test]
        fn first_of_each_is_the_first_equal_key_before(
            keys in proptest::collection::vec((0u32..3, "[ab]{0,2}"), 0..40),
        ) {
            // The form it replaced: every earlier key searched.
            let earlier: Vec<usize> = (0..keys.len())
                .map(|i| (0..i).find(|&j| keys[j] == keys[i]).unwrap_or(i))
                .collect();
            proptest::prop_assert_eq!(first_of_each(&keys), earlier);
        }

        #[test]
        fn pass_keys_are_equal_as_their_pass_and_name(
            keys in proptest::collection::vec((0u32..3, 0usize..4), 0..40),
        ) {
            // Names of equal text at different addresses, and at one address:
            // pass keys give what the (pass, name) pairs they replaced gave.
            let texts = [String::from("ab"), String::from("ab"), String::from("ba"), String::from("a")];
            let pairs: Vec<(u32, &str)> = keys.iter().map(|&(p, t)| (p, texts[t].as_str())).collect();
            let passes: Vec<PassKey> = pairs.iter().map(|&(p, a)| PassKey(p, a)).collect();
            for (x, px) in pairs.iter().zip(&passes) {
                for (y, py) in pairs.iter().zip(&passes) {
                    proptest::prop_assert_eq!(x == y, px == py);
                }
            }
            proptest::prop_assert_eq!(first_of_each(&passes), first_of_each(&pairs));
        }

        #[test]
        fn pass_sets_are_the_sets_of_passes(
            numbers in proptest::collection::vec(0usize..140, 1..40),
            merges in proptest::collection::vec((0usize..40, 0usize..40), 0..40),
        ) {
            // The form they replaced: a set per item.
            let mut sets: Vec<BTreeSet<usize>> = numbers.iter().map(|&p| BTreeSet::from([p])).collect();
            let mut passes = PassSets::new(&numbers, 140);
            for (a, b) in merges {
                let (a, b) = (a % numbers.len(), b % numbers.len());
                proptest::prop_assert_eq!(passes.disjoint(a, b), sets[a].is_disjoint(&sets[b]));
                if a != b {
                    let moved = std::mem::take(&mut sets[b]);
                    sets[a].extend(moved);
                    passes.merge(a, b);
                }
            }
            for a in 0..numbers.len() {
                for b in 0..numbers.len() {
                    proptest::prop_assert_eq!(passes.disjoint(a, b), sets[a].is_disjoint(&sets[b]));
                }
            }
        }

        #[test]
        fn content_prefixes_order_as_content_keys_do(
            (sa, sb) in (severity(), severity()),
            a in "(the|a|ab|abcdefg|abcdefgh|e|[a-c]{0,9}|\\u{e9}|[ .])*",
            b in "(the|a|ab|abcdefg|abcdefgh|e|[a-c]{0,9}|\\u{e9}|[ .])*",
        ) {
            let (fa, fb) = (raw(sa, &a, 1), raw(sb, &b, 2));
            let (x, y) = (Item::new("x", 1, &fa), Item::new("y", 1, &fb));
            let by_prefix = x.content_prefix().cmp(&y.content_prefix());
            if by_prefix.is_ne() {
                proptest::prop_assert_eq!(by_prefix, x.content_key().cmp(&y.content_key()));
            }
        }

        #[test]
        fn content_order_is_the_stable_sort_by_content_key(
            findings in proptest::collection::vec(
                (severity(), "(the|a|abcdefghijk|abcdefghijkl|[a-c]{0,3}|\\u{e9}|[ .])*", 0u32..3, 0usize..2),
                0..14,
            ),
        ) {
            // The form it replaced: a stable sort of the indexes by content key.
            let raws: Vec<RawFinding> = findings.iter().map(|(s, t, o, _)| raw(*s, t, *o)).collect();
            let items: Vec<Item<'_>> = raws
                .iter()
                .zip(&findings)
                .map(|(f, (_, _, _, agent))| Item::new(["x", "y"][*agent], 1, f))
                .collect();
            let mut stable: Vec<usize> = (0..items.len()).collect();
            stable.sort_by(|&a, &b| items[a].content_key().cmp(&items[b].content_key()));
            proptest::prop_assert_eq!(content_order(&items), stable);
        }

        #[test]
        fn labels_are_the_formatted_labels(agent in "[a-z]{0,8}", pass in 0u32..5, ordinal in proptest::num::u32::ANY) {
            let expected = if pass == 1 {
                format!("{agent}#{ordinal}")
            } else {
                format!("{agent}.pass{pass}#{ordinal}")
            };
            proptest::prop_assert_eq!(raw_label(&agent, pass, ordinal), expected);
        }
    }
}
