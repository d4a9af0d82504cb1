//! Sharding a claim's domain for a cluster job array (`verify --shard K/N`): every bounded
//! piece of the reduced domain is cut into N slabs along its first coordinate that is not a
//! point, and shard K proves slab K of each. The slabs share their inner ends, so together
//! they are the piece; `replay --merge` checks that the shards' certificates cover the domain.

use crate::theory::Range;
use rug::Rational;

/// Shard `k` of `n` (1-based), as `verify --shard K/N` reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub k: u32,
    pub n: u32,
}

/// The most shards.
pub const MAX_SHARDS: u32 = 4096;

impl Shard {
    /// Reads `K/N` with 1 ≤ K ≤ N ≤ [`MAX_SHARDS`].
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("--shard {s}: write K/N, shard K of N (1 ≤ K ≤ N)"))?;
        let num = |t: &str| {
            t.trim()
                .parse::<u32>()
                .map_err(|_| format!("--shard {s}: `{t}` is not a whole number"))
        };
        let (k, n) = (num(k)?, num(n)?);
        if n == 0 || k == 0 || k > n {
            return Err(format!("--shard {s}: K must be between 1 and N"));
        }
        if n > MAX_SHARDS {
            return Err(format!("--shard {s}: at most {MAX_SHARDS} shards"));
        }
        Ok(Shard { k, n })
    }

    /// Restricts `ranges` (active where `active`) to this shard's slab: the first active
    /// coordinate that is not a point is cut at N − 1 points, equally spaced, or for a log
    /// range open at 0, at hi/16^(N−j) (toward the end where cells shrink geometrically).
    pub fn restrict(&self, ranges: &mut [Range], active: &[bool]) -> Slab {
        let Some(c) = (0..ranges.len()).find(|&i| active[i] && ranges[i].lo < ranges[i].hi) else {
            return if self.k == 1 {
                Slab::Whole
            } else {
                Slab::Empty
            };
        };
        let r = &ranges[c];
        let n = self.n;
        let point = |j: u32| -> Rational {
            if r.log && r.lo == 0 {
                let steps = 4 * (n - j);
                &r.hi / Rational::from(rug::Integer::from(1) << steps)
            } else {
                let w = Rational::from(&r.hi - &r.lo);
                &r.lo + w * Rational::from((j, n))
            }
        };
        let (j0, j1) = (self.k - 1, self.k);
        let mut s = r.clone();
        if j0 > 0 {
            s.lo = point(j0);
            s.lo_open = false;
        }
        if j1 < n {
            s.hi = point(j1);
            s.hi_open = false;
        }
        s.text = String::new();
        ranges[c] = s;
        Slab::Cut(c)
    }
}

/// What a shard keeps of a box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slab {
    /// The slab along this coordinate.
    Cut(usize),
    /// Every coordinate is a point: shard 1 keeps the box,
    Whole,
    /// and the other shards nothing.
    Empty,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_read_and_refused() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { k: 2, n: 4 }));
        for bad in ["0/4", "5/4", "1/0", "a/4", "4", "1/5000", "-1/4"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slabs_tile_the_range() {
        let r = Range::parse("x", "(0, 1]:log").unwrap();
        let mut ends = Vec::new();
        for k in 1..=4 {
            let mut rs = vec![r.clone()];
            assert_eq!(Shard { k, n: 4 }.restrict(&mut rs, &[true]), Slab::Cut(0));
            ends.push((rs[0].lo.clone(), rs[0].hi.clone(), rs[0].lo_open));
        }
        assert_eq!(ends[0].0, 0);
        assert!(ends[0].2);
        assert_eq!(ends[3].1, 1);
        for w in ends.windows(2) {
            assert_eq!(w[0].1, w[1].0);
            assert!(w[0].0 < w[0].1);
        }
    }
}
