//! A fixed-size bitset over event indices: the currency of query evaluation.
//!
//! Events are sorted by time, so a bit's position is also its time order: ranges of bits are
//! time ranges, iterating ones is iterating matches in time order, and counting ones in a range
//! is counting matches in a time bucket.

/// A set of event indices `0..len`, one bit per event.
#[derive(Clone, PartialEq, Eq)]
pub struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl std::fmt::Debug for Bits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bits({} of {})", self.count(), self.len)
    }
}

impl Bits {
    /// The empty set over `len` events.
    pub fn zeros(len: usize) -> Bits {
        Bits {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// Every event `0..len`.
    pub fn ones(len: usize) -> Bits {
        let mut b = Bits {
            words: vec![u64::MAX; len.div_ceil(64)],
            len,
        };
        b.trim();
        b
    }

    /// Builds a set from indices (out-of-range indices are ignored).
    pub fn from_indices(len: usize, idx: impl IntoIterator<Item = usize>) -> Bits {
        let mut b = Bits::zeros(len);
        for i in idx {
            if i < len {
                b.set(i);
            }
        }
        b
    }

    /// Clears the bits past `len` in the last word (operations keep them clear).
    fn trim(&mut self) {
        let r = self.len % 64;
        if r != 0 {
            if let Some(last) = self.words.last_mut() {
                *last &= (1u64 << r) - 1;
            }
        }
    }

    /// Number of events the set ranges over.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the set ranges over no events at all.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The 64-bit words (bit `i` is bit `i % 64` of word `i / 64`).
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    pub(crate) fn words_mut(&mut self) -> &mut [u64] {
        &mut self.words
    }

    /// Number of members.
    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// True when no event is a member.
    pub fn none(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// Is `i` a member?
    pub fn get(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| (w >> (i % 64)) & 1 == 1)
    }

    /// Adds `i` (ignored when out of range).
    pub fn set(&mut self, i: usize) {
        if i < self.len {
            self.words[i / 64] |= 1 << (i % 64);
        }
    }

    /// Adds every index in `a..b` (clamped to the range).
    pub fn set_range(&mut self, a: usize, b: usize) {
        let b = b.min(self.len);
        if a >= b {
            return;
        }
        let (wa, wb) = (a / 64, (b - 1) / 64);
        let lo = u64::MAX << (a % 64);
        let hi = u64::MAX >> (63 - (b - 1) % 64);
        if wa == wb {
            self.words[wa] |= lo & hi;
            return;
        }
        self.words[wa] |= lo;
        for w in &mut self.words[wa + 1..wb] {
            *w = u64::MAX;
        }
        self.words[wb] |= hi;
    }

    /// Members in `a..b`.
    pub fn count_range(&self, a: usize, b: usize) -> usize {
        self.count_range_with(a, b, |w, _| w)
    }

    /// Members in `a..b` that are also members of `other`.
    pub fn count_range_and(&self, a: usize, b: usize, other: &Bits) -> usize {
        self.count_range_with(a, b, |w, k| w & other.words.get(k).copied().unwrap_or(0))
    }

    fn count_range_with(&self, a: usize, b: usize, f: impl Fn(u64, usize) -> u64) -> usize {
        let b = b.min(self.len);
        if a >= b {
            return 0;
        }
        let (wa, wb) = (a / 64, (b - 1) / 64);
        let lo = u64::MAX << (a % 64);
        let hi = u64::MAX >> (63 - (b - 1) % 64);
        let mut n = 0usize;
        for k in wa..=wb {
            let mut m = u64::MAX;
            if k == wa {
                m &= lo;
            }
            if k == wb {
                m &= hi;
            }
            n += (f(self.words[k], k) & m).count_ones() as usize;
        }
        n
    }

    /// `self ∩= other`.
    pub fn and(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= *b;
        }
    }

    /// `self ∪= other`.
    pub fn or(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= *b;
        }
    }

    /// `self −= other`.
    pub fn and_not(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !*b;
        }
    }

    /// The complement (within `0..len`).
    pub fn not(&self) -> Bits {
        let mut b = Bits {
            words: self.words.iter().map(|w| !w).collect(),
            len: self.len,
        };
        b.trim();
        b
    }

    /// Members in ascending order (time order).
    pub fn iter(&self) -> Ones<'_> {
        Ones {
            words: &self.words,
            k: 0,
            cur: self.words.first().copied().unwrap_or(0),
        }
    }

    /// Members in descending order.
    pub fn iter_rev(&self) -> OnesRev<'_> {
        let k = self.words.len();
        OnesRev {
            words: &self.words,
            k,
            cur: if k == 0 { 0 } else { self.words[k - 1] },
        }
    }

    /// Members `>= i` in ascending order.
    pub fn iter_from(&self, i: usize) -> Ones<'_> {
        let k = i / 64;
        let cur = self.words.get(k).map_or(0, |w| w & (u64::MAX << (i % 64)));
        Ones {
            words: &self.words,
            k: k.min(self.words.len()),
            cur,
        }
    }

    /// Members `<= i` in descending order.
    pub fn iter_rev_from(&self, i: usize) -> OnesRev<'_> {
        if self.len == 0 {
            return self.iter_rev();
        }
        let i = i.min(self.len - 1);
        let k = i / 64;
        OnesRev {
            words: &self.words,
            k: k + 1,
            cur: self.words[k] & (u64::MAX >> (63 - i % 64)),
        }
    }

    /// The smallest member.
    pub fn first(&self) -> Option<usize> {
        self.iter().next()
    }

    /// The largest member.
    pub fn last(&self) -> Option<usize> {
        self.iter_rev().next()
    }

    /// The `n`-th member in ascending order (0-based), skipping whole words by popcount.
    pub fn nth(&self, mut n: usize) -> Option<usize> {
        for (k, &w) in self.words.iter().enumerate() {
            let c = w.count_ones() as usize;
            if n < c {
                let mut w = w;
                for _ in 0..n {
                    w &= w - 1;
                }
                return Some(k * 64 + w.trailing_zeros() as usize);
            }
            n -= c;
        }
        None
    }

    /// The `n`-th member in descending order (0-based).
    pub fn nth_rev(&self, n: usize) -> Option<usize> {
        let c = self.count();
        if n >= c {
            return None;
        }
        self.nth(c - 1 - n)
    }
}

/// Ascending iterator over a [`Bits`].
pub struct Ones<'a> {
    words: &'a [u64],
    k: usize,
    cur: u64,
}

impl Iterator for Ones<'_> {
    type Item = usize;
    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.cur == 0 {
            self.k += 1;
            self.cur = *self.words.get(self.k)?;
        }
        let t = self.cur.trailing_zeros() as usize;
        self.cur &= self.cur - 1;
        Some(self.k * 64 + t)
    }
}

/// Descending iterator over a [`Bits`].
pub struct OnesRev<'a> {
    words: &'a [u64],
    k: usize,
    cur: u64,
}

impl Iterator for OnesRev<'_> {
    type Item = usize;
    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.k == 0 {
            return None;
        }
        while self.cur == 0 {
            self.k -= 1;
            if self.k == 0 {
                return None;
            }
            self.cur = self.words[self.k - 1];
        }
        let t = 63 - self.cur.leading_zeros() as usize;
        self.cur &= !(1u64 << t);
        Some((self.k - 1) * 64 + t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_counts_and_iteration() {
        for len in [0usize, 1, 63, 64, 65, 200] {
            let mut b = Bits::zeros(len);
            assert_eq!(b.count(), 0);
            let all = Bits::ones(len);
            assert_eq!(all.count(), len);
            assert_eq!(all.not().count(), 0);
            if len == 0 {
                continue;
            }
            let (a, z) = (len / 3, len - len / 4);
            b.set_range(a, z);
            assert_eq!(b.count(), z - a);
            assert_eq!(b.iter().collect::<Vec<_>>(), (a..z).collect::<Vec<_>>());
            assert_eq!(
                b.iter_rev().collect::<Vec<_>>(),
                (a..z).rev().collect::<Vec<_>>()
            );
            assert_eq!(b.count_range(0, len), z - a);
            assert_eq!(b.count_range(a + 1, z), (z - a).saturating_sub(1));
            if z > a {
                assert_eq!(b.nth(0), Some(a));
                assert_eq!(b.nth_rev(0), Some(z - 1));
                assert_eq!(b.first(), Some(a));
                assert_eq!(b.last(), Some(z - 1));
            }
            assert_eq!(b.nth(z - a), None);
            for from in [0, a, a + 1, z.saturating_sub(1), len - 1] {
                assert_eq!(
                    b.iter_from(from).collect::<Vec<_>>(),
                    b.iter().filter(|x| *x >= from).collect::<Vec<_>>()
                );
                assert_eq!(
                    b.iter_rev_from(from).collect::<Vec<_>>(),
                    b.iter_rev().filter(|x| *x <= from).collect::<Vec<_>>()
                );
            }
            let n = b.not();
            assert_eq!(n.count(), len - (z - a));
            let mut x = all.clone();
            x.and_not(&b);
            assert_eq!(x, n);
        }
    }

    #[test]
    fn nth_matches_iteration() {
        let b = Bits::from_indices(300, [3, 64, 65, 127, 128, 299]);
        let v: Vec<usize> = b.iter().collect();
        for (k, i) in v.iter().enumerate() {
            assert_eq!(b.nth(k), Some(*i));
            assert_eq!(b.nth_rev(k), Some(v[v.len() - 1 - k]));
        }
        let other = Bits::from_indices(300, [64, 128, 200]);
        assert_eq!(b.count_range_and(0, 300, &other), 2);
        assert_eq!(b.count_range_and(65, 300, &other), 1);
    }
}
