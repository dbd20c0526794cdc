//! Which thing of the old version is which of the new: the one matching
//! rule every area of `diff` uses.
//!
//! [`pairs`] matches two lists by a key (a chapter's title, a person's
//! name, a day's date), keeping the new list's order and telling what was
//! added, removed and moved. Things left over can then be paired by
//! further rules, each a method: [`Pairs::renamed_when`] (same content
//! where one was removed and another added), [`Pairs::then_by`] (another
//! key, anywhere in the list) and [`Pairs::then_alike`] (a test, among
//! things of one bucket). An area reads as a `match` over the pairs, never
//! as index arithmetic.
//!
//! Rules that test pairs of things try at most [`TRIES`] candidates for
//! each, so that two versions of a list of thousands, all changed, stay
//! quick to compare.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::ops::Deref;

/// The most things a rule that tests pairs tries for each thing added.
pub(crate) const TRIES: usize = 64;

/// A thing of one version, and where it is in its list.
#[derive(Debug)]
pub(crate) struct At<'a, T> {
    /// Its position in the list, from 0.
    pub index: usize,
    pub item: &'a T,
}

impl<T> Clone for At<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for At<'_, T> {}

impl<T> Deref for At<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.item
    }
}

impl<T> At<'_, T> {
    /// Its position as a reader counts: "1" for the first.
    pub fn position(&self) -> String {
        (self.index + 1).to_string()
    }
}

/// How a thing of the old version relates to the new.
#[derive(Debug)]
pub(crate) enum Pair<'a, T> {
    /// Only in the old version.
    Removed(At<'a, T>),
    /// Only in the new version.
    Added(At<'a, T>),
    /// In both under the same key; `moved`: out of its order among the
    /// other things kept.
    Kept { old: At<'a, T>, new: At<'a, T>, moved: bool },
    /// In both under different keys, paired by a later rule: a chapter
    /// renamed, a paragraph edited, a day given another date.
    Renamed { old: At<'a, T>, new: At<'a, T> },
}

impl<T> Clone for Pair<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Pair<'_, T> {}

/// The pairs of two lists, in the new list's order, each removal where
/// the old list had it.
#[derive(Debug)]
pub(crate) struct Pairs<'a, T>(Vec<Pair<'a, T>>);

impl<'a, T> IntoIterator for Pairs<'a, T> {
    type Item = Pair<'a, T>;
    type IntoIter = std::vec::IntoIter<Pair<'a, T>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Pairs<'a, T> {
    type Item = &'a Pair<'a, T>;
    type IntoIter = std::slice::Iter<'a, Pair<'a, T>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Matches `old` and `new` by `key`: equal keys pair in their order of
/// occurrence. A kept thing is moved when it falls outside the longest run
/// of things kept in order.
pub(crate) fn pairs<'a, T, K: Ord>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(At<'a, T>) -> K,
) -> Pairs<'a, T> {
    let at = |list: &'a [T], index: usize| At { index, item: &list[index] };
    let old_keys: Vec<K> = (0..old.len()).map(|i| key(at(old, i))).collect();
    let mut by_key: BTreeMap<&K, VecDeque<usize>> = BTreeMap::new();
    for (i, k) in old_keys.iter().enumerate() {
        by_key.entry(k).or_default().push_back(i);
    }
    let partners: Vec<Option<usize>> = (0..new.len())
        .map(|j| by_key.get_mut(&key(at(new, j))).and_then(VecDeque::pop_front))
        .collect();
    let mut matched_old = vec![false; old.len()];
    for &i in partners.iter().flatten() {
        matched_old[i] = true;
    }
    // The longest increasing run of old positions, in new order, stays.
    let kept: Vec<(usize, usize)> =
        partners.iter().enumerate().filter_map(|(j, i)| i.map(|i| (i, j))).collect();
    let in_order = longest_increasing(&kept.iter().map(|&(i, _)| i).collect::<Vec<_>>());
    let mut still = vec![false; new.len()];
    for &k in &in_order {
        still[kept[k].1] = true;
    }

    let mut out = Vec::with_capacity(old.len().max(new.len()));
    let mut next_old = 0;
    for (j, partner) in partners.iter().enumerate() {
        let Some(i) = *partner else {
            out.push(Pair::Added(at(new, j)));
            continue;
        };
        // Removals that came before this thing in the old list.
        if still[j] {
            while next_old < i {
                if !matched_old[next_old] {
                    out.push(Pair::Removed(at(old, next_old)));
                }
                next_old += 1;
            }
            next_old = next_old.max(i + 1);
        }
        out.push(Pair::Kept { old: at(old, i), new: at(new, j), moved: !still[j] });
    }
    for (i, matched) in matched_old.iter().enumerate().skip(next_old) {
        if !matched {
            out.push(Pair::Removed(at(old, i)));
        }
    }
    Pairs(out)
}

impl<'a, T> Pairs<'a, T> {
    /// Pairs a thing removed with one added at the same point (no thing
    /// kept in order between them) when `same` says their content is the
    /// same: renamed, not replaced.
    pub fn renamed_when(self, same: impl Fn(&T, &T) -> bool) -> Pairs<'a, T> {
        let mut renamed: Vec<(usize, usize)> = Vec::new();
        let mut removed: Vec<At<T>> = Vec::new();
        for pair in &self.0 {
            match *pair {
                Pair::Removed(o) => removed.push(o),
                Pair::Added(n) => {
                    if let Some(at) = removed.iter().take(TRIES).position(|o| same(o, &n)) {
                        renamed.push((removed.remove(at).index, n.index));
                    }
                }
                Pair::Kept { moved: false, .. } => removed.clear(),
                Pair::Kept { .. } | Pair::Renamed { .. } => {}
            }
        }
        // Removals listed after the addition they pair with.
        let olds: BTreeSet<usize> = renamed.iter().map(|r| r.0).collect();
        let news: BTreeSet<usize> = renamed.iter().map(|r| r.1).collect();
        let mut added: Vec<At<T>> = Vec::new();
        for pair in &self.0 {
            match *pair {
                Pair::Added(n) if !news.contains(&n.index) => added.push(n),
                Pair::Removed(o) if !olds.contains(&o.index) => {
                    if let Some(at) = added.iter().take(TRIES).position(|n| same(&o, n)) {
                        renamed.push((o.index, added.remove(at).index));
                    }
                }
                Pair::Kept { moved: false, .. } => added.clear(),
                _ => {}
            }
        }
        self.pair_left_over(&renamed)
    }

    /// Pairs the things left over, wherever they are, by another key: each
    /// thing added with the first thing removed of an equal key.
    pub fn then_by<K: Ord>(self, key: impl Fn(At<'a, T>) -> K) -> Pairs<'a, T> {
        let mut by_key: BTreeMap<K, VecDeque<usize>> = BTreeMap::new();
        for pair in &self.0 {
            if let Pair::Removed(o) = *pair {
                by_key.entry(key(o)).or_default().push_back(o.index);
            }
        }
        let mut paired = Vec::new();
        for pair in &self.0 {
            if let Pair::Added(n) = *pair
                && let Some(i) = by_key.get_mut(&key(n)).and_then(VecDeque::pop_front)
            {
                paired.push((i, n.index));
            }
        }
        self.pair_left_over(&paired)
    }

    /// Pairs the things left over, wherever they are, when `alike` says
    /// so: each thing added, in order, with the first thing removed of the
    /// same `bucket` that is alike (of the first [`TRIES`] left in it).
    pub fn then_alike<K: Ord>(
        self,
        bucket: impl Fn(At<'a, T>) -> K,
        alike: impl Fn(&T, &T) -> bool,
    ) -> Pairs<'a, T> {
        let mut removed: BTreeMap<K, Vec<At<T>>> = BTreeMap::new();
        for pair in &self.0 {
            if let Pair::Removed(o) = *pair {
                removed.entry(bucket(o)).or_default().push(o);
            }
        }
        let mut paired = Vec::new();
        for pair in &self.0 {
            if let Pair::Added(n) = *pair
                && let Some(left) = removed.get_mut(&bucket(n))
                && let Some(at) = left.iter().take(TRIES).position(|o| alike(o, &n))
            {
                paired.push((left.remove(at).index, n.index));
            }
        }
        self.pair_left_over(&paired)
    }

    /// Turns the (old index, new index) pairs of things removed and added
    /// into [`Pair::Renamed`], where the addition was.
    fn pair_left_over(self, paired: &[(usize, usize)]) -> Pairs<'a, T> {
        if paired.is_empty() {
            return self;
        }
        let olds: BTreeMap<usize, At<'a, T>> = self
            .0
            .iter()
            .filter_map(|p| if let Pair::Removed(o) = *p { Some((o.index, o)) } else { None })
            .collect();
        let partner: BTreeMap<usize, usize> = paired.iter().map(|&(i, j)| (j, i)).collect();
        let taken: BTreeSet<usize> = paired.iter().map(|&(i, _)| i).collect();
        let out = self
            .0
            .into_iter()
            .filter_map(|pair| match pair {
                Pair::Removed(o) if taken.contains(&o.index) => None,
                Pair::Added(n) => match partner.get(&n.index).and_then(|i| olds.get(i)) {
                    Some(&old) => Some(Pair::Renamed { old, new: n }),
                    None => Some(pair),
                },
                other => Some(other),
            })
            .collect();
        Pairs(out)
    }
}

/// The indices (into `xs`) of a longest strictly increasing subsequence.
fn longest_increasing(xs: &[usize]) -> Vec<usize> {
    // Patience sorting: tails[k] is the index of the smallest tail of an
    // increasing run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous = vec![usize::MAX; xs.len()];
    for (i, &x) in xs.iter().enumerate() {
        let at = tails.partition_point(|&t| xs[t] < x);
        if at > 0 {
            previous[i] = tails[at - 1];
        }
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut run = Vec::new();
    let mut at = tails.last().copied();
    while let Some(i) = at {
        run.push(i);
        at = (previous[i] != usize::MAX).then_some(previous[i]);
    }
    run.reverse();
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pairs as text: "=a" kept, "~a" kept but moved, "+a" added, "-a"
    /// removed, "a>b" renamed.
    fn show(pairs: Pairs<&str>) -> Vec<String> {
        pairs
            .into_iter()
            .map(|p| match p {
                Pair::Kept { new, moved: false, .. } => format!("={}", *new),
                Pair::Kept { new, moved: true, .. } => format!("~{}", *new),
                Pair::Added(n) => format!("+{}", *n),
                Pair::Removed(o) => format!("-{}", *o),
                Pair::Renamed { old, new } => format!("{}>{}", *old, *new),
            })
            .collect()
    }

    fn by_self<'a>(old: &'a [&'a str], new: &'a [&'a str]) -> Pairs<'a, &'a str> {
        pairs(old, new, |x| *x)
    }

    #[test]
    fn additions_removals_and_moves() {
        let got = by_self(&["a", "b", "c", "d"], &["a", "c", "e", "b"]);
        assert_eq!(show(got), ["=a", "~c", "+e", "=b", "-d"]);
    }

    #[test]
    fn repeated_keys_pair_in_order() {
        let (old, new) = (["x1", "x2", "y"], ["x1", "y", "x2"]);
        let got = pairs(&old, &new, |s| s.chars().next());
        let positions: Vec<(usize, usize, bool)> = got
            .into_iter()
            .map(|p| match p {
                Pair::Kept { old, new, moved } => (old.index, new.index, moved),
                _ => panic!("all kept"),
            })
            .collect();
        assert_eq!(positions, [(0, 0, false), (2, 1, true), (1, 2, false)]);
    }

    #[test]
    fn removals_stay_where_they_were() {
        assert_eq!(show(by_self(&["a", "b", "c"], &["a", "c"])), ["=a", "-b", "=c"]);
    }

    #[test]
    fn renamed_only_at_the_same_point() {
        let same = |o: &&str, n: &&str| o.len() == n.len();
        let got = by_self(&["a", "bb", "c", "dd"], &["a", "xx", "c", "e"]).renamed_when(same);
        assert_eq!(show(got), ["=a", "bb>xx", "=c", "+e", "-dd"]);
        // A removal after the addition it pairs with.
        let got = by_self(&["a", "bb"], &["a", "xx"]).renamed_when(same);
        assert_eq!(show(got), ["=a", "bb>xx"]);
    }

    #[test]
    fn later_rules_pair_what_is_left_anywhere() {
        let got = by_self(&["a1", "b", "c2"], &["c3", "b", "a4"])
            .then_by(|x| x.chars().next())
            .then_by(|_| ());
        assert_eq!(show(got), ["c2>c3", "=b", "a1>a4"]);
        let got = by_self(&["a", "b"], &["c"]).then_alike(|_| (), |o, _| *o == "b");
        assert_eq!(show(got), ["b>c", "-a"]);
        // Only within a bucket.
        let got =
            by_self(&["a1", "b2"], &["b3"]).then_alike(|x| x.len(), |o, _| o.starts_with('a'));
        assert_eq!(show(got), ["a1>b3", "-b2"]);
        let got = by_self(&["a1", "b2"], &["b33"]).then_alike(|x| x.len(), |_, _| true);
        assert_eq!(show(got), ["+b33", "-a1", "-b2"]);
    }

    /// Two versions of a long list, every item changed: the rules that
    /// test pairs stay linear in the list's length.
    #[test]
    fn tests_are_bounded_for_a_list_all_changed() {
        let old: Vec<String> = (0..1000).map(|i| format!("old {i}")).collect();
        let new: Vec<String> = (0..1000).map(|i| format!("new {i}")).collect();
        let tries = std::cell::Cell::new(0);
        let never = |_: &String, _: &String| {
            tries.set(tries.get() + 1);
            false
        };
        let got =
            pairs(&old, &new, |x| x.to_string()).renamed_when(never).then_alike(|_| (), never);
        assert_eq!(got.0.len(), 2000);
        assert!(tries.get() <= 3 * 1000 * TRIES, "{} tries", tries.get());
    }

    #[test]
    fn longest_increasing_run() {
        assert_eq!(longest_increasing(&[3, 0, 1, 4, 2]), [1, 2, 4]);
        assert!(longest_increasing(&[]).is_empty());
    }
}
