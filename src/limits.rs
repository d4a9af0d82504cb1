//! Limits on what one run may ask for. Memory that an input sizes (trials, steps, dimensions,
//! rows, samples) is estimated first, with checked arithmetic, and compared with the memory the
//! system has available (`MemAvailable` in `/proc/meminfo`, or [`FALLBACK_MEMORY`] where it
//! cannot be read) before anything is allocated; vectors sized by input are then reserved with
//! `try_reserve`, so that a wrong estimate is an error, not an abort. Work that an input sizes
//! (rows × columns, trials × steps × operations) is compared with a cap that a flag raises.

use crate::arith::{MAX_PREC, MIN_PREC};
use crate::error::{Error, Result, Usage};

/// Checks a user's working precision `prec`, in bits: accepted in
/// [`MIN_PREC`]..=[`MAX_PREC`] and returned as the `u32` the evaluators take; a usage error
/// naming `--prec` otherwise.
pub fn check_precision(prec: u64) -> Result<u32> {
    if (MIN_PREC as u64..=MAX_PREC as u64).contains(&prec) {
        Ok(prec as u32)
    } else {
        Err(Usage::Precision { prec }.into())
    }
}

/// The memory assumed available where `/proc/meminfo` cannot be read: 4 GiB.
pub const FALLBACK_MEMORY: u64 = 4 << 30;

/// Bytes of bookkeeping the allocator adds to each heap block (an estimate, for the sums).
pub const HEAP_BLOCK: u128 = 16;

/// The memory available to this process, in bytes: `MemAvailable` of `/proc/meminfo`, or
/// [`FALLBACK_MEMORY`] when there is no such file or line.
pub fn available_memory() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| mem_available(&t))
        .unwrap_or(FALLBACK_MEMORY)
}

/// `MemAvailable` (in kB in the file) in bytes, from the text of `/proc/meminfo`.
pub fn mem_available(meminfo: &str) -> Option<u64> {
    let line = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))?;
    let mut words = line.split_whitespace();
    let n: u64 = words.next()?.parse().ok()?;
    match words.next() {
        Some("kB") | None => n.checked_mul(1024),
        _ => None,
    }
}

/// A number of bytes, summed with checked arithmetic: `None` once a product or sum overflows
/// (which is more than any machine has).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bytes(pub Option<u128>);

impl Bytes {
    pub const ZERO: Bytes = Bytes(Some(0));

    /// `count` items of `each` bytes.
    pub fn of(count: u128, each: u128) -> Bytes {
        Bytes(count.checked_mul(each))
    }

    /// `count` items of type `T`.
    pub fn items<T>(count: u128) -> Bytes {
        Bytes::of(count, std::mem::size_of::<T>() as u128)
    }

    pub fn plus(self, other: Bytes) -> Bytes {
        Bytes(self.0.zip(other.0).and_then(|(a, b)| a.checked_add(b)))
    }

    pub fn times(self, n: u128) -> Bytes {
        Bytes(self.0.and_then(|a| a.checked_mul(n)))
    }

    pub fn get(self) -> Option<u128> {
        self.0
    }
}

/// The memory of `cells` cells of the prover over a box of `dims` coordinates at `prec` bits
/// (each cell two vectors of MPFR floats), per claim proved at once.
pub fn prover_cells(cells: u128, dims: u128, prec: u32) -> Bytes {
    let float =
        (std::mem::size_of::<rug::Float>() as u128) + (prec as u128).div_ceil(64) * 8 + HEAP_BLOCK;
    let cell = Bytes::of(2 * dims, float).plus(Bytes(Some(2 * (24 + HEAP_BLOCK) + 64)));
    cell.times(cells.saturating_add(1))
}

/// Refuses a `--max-boxes` whose cells, kept for as many claims as run at once (one per rayon
/// thread), would not fit in the available memory.
pub fn check_prover_memory(max_boxes: usize, dims: usize, prec: u32) -> Result<()> {
    let threads = rayon::current_num_threads();
    check_memory(
        || {
            format!(
                "--max-boxes {max_boxes} (cells of {dims} coordinates at {prec} bits, {threads} claims at once)"
            )
        },
        prover_cells(max_boxes as u128, dims as u128, prec).times(threads as u128),
        "give a smaller --max-boxes",
    )
}

/// Refuses, before anything is allocated, what would need more memory than is available.
/// `what` names the request and its flags ("simulate with --trials 4294967296"), `hint` says
/// how to ask for less.
pub fn check_memory(what: impl FnOnce() -> String, need: Bytes, hint: &str) -> Result<()> {
    check_memory_against(what, need, available_memory(), hint)
}

/// [`check_memory`] against a given amount of memory (for tests).
pub fn check_memory_against(
    what: impl FnOnce() -> String,
    need: Bytes,
    available: u64,
    hint: &str,
) -> Result<()> {
    match need.0 {
        Some(n) if n <= available as u128 => Ok(()),
        need => Err(Error::Memory {
            what: what(),
            need,
            available,
            hint: hint.to_string(),
        }),
    }
}

/// An empty vector with room for `n` items, reserved with `try_reserve_exact`: the error names
/// `what` and the memory it asked for.
pub fn try_vec<T>(n: usize, what: &str) -> Result<Vec<T>> {
    let mut v = Vec::new();
    try_reserve(&mut v, n, what)?;
    Ok(v)
}

/// Reserves room for `n` more items in `v` with `try_reserve_exact`.
pub fn try_reserve<T>(v: &mut Vec<T>, n: usize, what: &str) -> Result<()> {
    v.try_reserve_exact(n).map_err(|_| Error::Memory {
        what: what.to_string(),
        need: Bytes::items::<T>(n as u128).get(),
        available: available_memory(),
        hint: "the allocation failed".into(),
    })
}

/// Refuses work above `limit` (`estimate` is `None` when it overflows). `what` names the
/// request and its sizes, `detail` how the estimate was counted (" (3 per trial-step)"), `flag`
/// the flag that raises the limit, `hint` how to ask for less.
pub fn check_work(
    what: impl FnOnce() -> String,
    estimate: Option<u128>,
    limit: u128,
    unit: &str,
    detail: &str,
    flag: &str,
    hint: &str,
) -> Result<()> {
    match estimate {
        Some(n) if n <= limit => Ok(()),
        estimate => Err(Error::Work(Box::new(crate::error::WorkLimit {
            what: what(),
            estimate,
            detail: detail.to_string(),
            limit,
            unit: unit.to_string(),
            flag: flag.to_string(),
            hint: hint.to_string(),
        }))),
    }
}

/// Reads a count for a limit flag: an integer (`1000000`), a power of ten (`1e12`, `2.5e9`, as
/// long as the value is a whole number) or a power (`2^40`); at least 1.
pub fn parse_count(text: &str) -> std::result::Result<u128, String> {
    let t = text.trim();
    let bad = || format!("`{t}` is not a count: give a whole number such as 1000000, 1e12 or 2^40");
    let n = if let Some((b, e)) = t.split_once('^') {
        let b: u128 = b.trim().parse().map_err(|_| bad())?;
        let e: u32 = e.trim().parse().map_err(|_| bad())?;
        b.checked_pow(e)
            .ok_or_else(|| format!("`{t}` is more than 2^128"))?
    } else {
        let q = crate::arith::parse_rational(t).map_err(|e| format!("{e}"))?;
        if !q.is_integer() {
            return Err(bad());
        }
        q.numer()
            .to_u128()
            .ok_or_else(|| format!("`{t}` is out of range"))?
    };
    if n == 0 {
        return Err(format!("`{t}`: a limit must be at least 1"));
    }
    Ok(n)
}

/// A count for messages: exact below 10^5, else in scientific notation with 3 digits.
pub fn count_text(n: Option<u128>) -> String {
    match n {
        None => "more than 3.4e38".into(),
        Some(n) if n < 100_000 => n.to_string(),
        Some(n) => {
            let s = format!("{:.2e}", n as f64);
            let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
            let m = m.trim_end_matches('0').trim_end_matches('.');
            format!("{m}e{e}")
        }
    }
}

/// A count for messages, rounded up (so that a limit set to it admits `n`): exact below 10^5,
/// else three significant digits.
pub fn count_text_up(n: Option<u128>) -> String {
    let Some(n) = n else {
        return "(more than 3.4e38: not possible)".into();
    };
    if n < 100_000 {
        return n.to_string();
    }
    let mut e = n.to_string().len() as u32 - 1;
    let scale = 10u128.pow(e - 2);
    let mut m = n.div_ceil(scale);
    if m == 1000 {
        m = 100;
        e += 1;
    }
    let digits = m.to_string();
    let frac = digits[1..].trim_end_matches('0');
    if frac.is_empty() {
        format!("{}e{e}", &digits[..1])
    } else {
        format!("{}.{frac}e{e}", &digits[..1])
    }
}

/// A number of bytes for messages: "512 bytes", "3.2 MiB", "5.0 GiB".
pub fn bytes_text(n: Option<u128>) -> String {
    let Some(n) = n else {
        return "more than 2^128 bytes".into();
    };
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut v = n as f64 / 1024.0;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    format!("{v:.1} {}", UNITS[u])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meminfo_is_read_in_bytes() {
        let text = "MemTotal:       24000000 kB\nMemFree:  100 kB\nMemAvailable:   23966604 kB\n";
        assert_eq!(mem_available(text), Some(23_966_604 * 1024));
        assert_eq!(mem_available("MemTotal: 5 kB\n"), None);
        assert_eq!(mem_available("MemAvailable: lots\n"), None);
        assert!(available_memory() > 0);
    }

    #[test]
    fn byte_sums_overflow_to_none() {
        let b = Bytes::of(u128::MAX, 2);
        assert_eq!(b.get(), None);
        assert_eq!(Bytes::of(3, 4).plus(Bytes::items::<u64>(2)).get(), Some(28));
        assert_eq!(Bytes::of(1, 1).plus(b).get(), None);
        assert_eq!(Bytes::of(u128::MAX / 2 + 1, 1).times(2).get(), None);
    }

    #[test]
    fn memory_is_refused_with_the_amounts() {
        let e = check_memory_against(
            || "simulate with --trials 4294967296".into(),
            Bytes::of(5 << 30, 1),
            1 << 30,
            "lower --trials",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("--trials 4294967296"), "{e}");
        assert!(e.contains("5.0 GiB") && e.contains("1.0 GiB"), "{e}");
        assert!(e.contains("lower --trials"), "{e}");
        assert!(check_memory_against(String::new, Bytes::of(10, 10), 100, "").is_ok());
        let e = check_memory_against(|| "x".into(), Bytes(None), 100, "")
            .unwrap_err()
            .to_string();
        assert!(e.contains("more than 2^128 bytes"), "{e}");
    }

    #[test]
    fn impossible_reservations_are_errors() {
        let e = try_vec::<u64>(usize::MAX / 4, "the test vector").unwrap_err();
        assert!(matches!(e, Error::Memory { .. }), "{e}");
        assert!(try_vec::<u64>(10, "ten").unwrap().capacity() >= 10);
    }

    #[test]
    fn counts_are_read_and_written() {
        assert_eq!(parse_count("1000"), Ok(1000));
        assert_eq!(parse_count("1e12"), Ok(1_000_000_000_000));
        assert_eq!(parse_count("2.5e3"), Ok(2500));
        assert_eq!(parse_count("2^40"), Ok(1 << 40));
        assert!(parse_count("0").is_err());
        assert!(parse_count("1.5").is_err());
        assert!(parse_count("2^200").is_err());
        assert!(parse_count("-3").is_err());
        assert!(parse_count("lots").is_err());
        assert_eq!(count_text(Some(1234)), "1234");
        assert_eq!(count_text(Some(1_000_000_000_000)), "1e12");
        assert_eq!(count_text(Some(1_200_000_000_000)), "1.2e12");
        assert_eq!(count_text(Some(1_099_511_627_776)), "1.1e12");
        assert_eq!(count_text_up(Some(1234)), "1234");
        assert_eq!(count_text_up(Some(3_294_900_000_000_000)), "3.3e15");
        assert_eq!(count_text_up(Some(3_290_000_000_000_000)), "3.29e15");
        assert_eq!(count_text_up(Some(3_290_000_000_000_001)), "3.3e15");
        assert_eq!(count_text_up(Some(999_900_000)), "1e9");
        assert_eq!(count_text_up(Some(1_000_000_000_000)), "1e12");
        for n in [100_000u128, 123_456_789, 99_999_999_999, 1 << 100] {
            let up = parse_count(&count_text_up(Some(n))).unwrap();
            assert!(up >= n && up - n <= n / 100, "{n} {up}");
        }
        assert_eq!(bytes_text(Some(512)), "512 bytes");
        assert_eq!(bytes_text(Some(5 << 30)), "5.0 GiB");
    }
}
