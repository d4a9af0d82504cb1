//! Shards: part K of N of a table's rows, for a job array. The rows are split into N contiguous
//! parts of sizes differing by at most one; joined in order (`--merge`), the parts are the table.

use crate::error::{Error, Result, Usage};
use rug::Integer;

/// Part `k` of `n` (1 ≤ k ≤ n).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub k: u128,
    pub n: u128,
}

impl Shard {
    /// Reads `K/N` (spaces around either number allowed); a usage error naming `--shard`
    /// unless 1 ≤ K ≤ N.
    pub fn parse(s: &str) -> Result<Shard> {
        let bad = || {
            Error::from(Usage::malformed(
                "--shard",
                s,
                "K/N with 1 ≤ K ≤ N, e.g. 3/8",
            ))
        };
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (u128, u128) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    /// The rows `from..to` of this part of `total` rows: from ⌊total·(k−1)/n⌋ to
    /// ⌊total·k/n⌋, computed exactly (no overflow for any k, n and total).
    pub fn range(self, total: u128) -> (u128, u128) {
        let at = |k: u128| -> u128 {
            let q = Integer::from(total) * Integer::from(k) / Integer::from(self.n);
            q.to_u128().expect("at most total, since k ≤ n")
        };
        (at(self.k - 1), at(self.k))
    }
}

/// The rows `from..to` a table computes: those of `shard`, or all `total` rows without one.
pub fn rows_of(shard: Option<Shard>, total: u128) -> (u128, u128) {
    match shard {
        Some(s) => s.range(total),
        None => (0, total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_read_and_refused() {
        assert_eq!(Shard::parse("3/8").unwrap(), Shard { k: 3, n: 8 });
        assert_eq!(Shard::parse(" 1 / 1 ").unwrap(), Shard { k: 1, n: 1 });
        for bad in ["0/3", "4/3", "3/0", "x", "1/", "/2", "-1/2", "1/2/3"] {
            let e = Shard::parse(bad).unwrap_err().to_string();
            assert_eq!(
                e,
                format!("--shard {bad}: expected K/N with 1 ≤ K ≤ N, e.g. 3/8")
            );
        }
    }

    #[test]
    fn shards_cover_the_rows_in_order_without_overlap() {
        for total in [0u128, 1, 2, 7, 20, 1000, 1 << 40] {
            for n in [1u128, 2, 3, 8, 13] {
                let mut next = 0;
                for k in 1..=n {
                    let (from, to) = Shard { k, n }.range(total);
                    assert_eq!(from, next, "{total} rows, {k}/{n}");
                    assert!(to >= from && to - from <= total / n + 1);
                    next = to;
                }
                assert_eq!(next, total);
            }
        }
        assert_eq!(rows_of(None, 20), (0, 20));
        assert_eq!(rows_of(Some(Shard { k: 2, n: 3 }), 20), (6, 13));
    }

    #[test]
    fn huge_shard_counts_do_not_overflow() {
        let n = 3 * 10u128.pow(38);
        assert_eq!(Shard { k: n, n }.range(2), (1, 2));
        assert_eq!(Shard { k: 1, n }.range(2), (0, 0));
        assert_eq!(
            Shard {
                k: u128::MAX,
                n: u128::MAX
            }
            .range(u128::MAX),
            (u128::MAX - 1, u128::MAX)
        );
    }
}
