//! Which registers of an evaluator hold values computed for the inputs as they are now.
//!
//! Evaluators run slices of a tape (`run_selected`), reuse registers across points (the table
//! recomputes only what depends on a parameter that changed) and share one tape between many
//! roots (hash-consing appends a derivative onto registers that unrelated definitions made).
//! A register that was not recomputed after an input it depends on changed holds a value for
//! another point; reading it would silently give a wrong enclosure. [`Freshness`] makes such
//! a read impossible to miss: every input records when it was last set, every register when
//! it was last written, and a register is fresh exactly when it was written after every input
//! in its dependency cone was last set (and its operands were fresh when it was written,
//! which the evaluators check before each instruction). Evaluators answer a stale read with a
//! fault, never with the old value.

use super::tape::{Op, Reg, Tape};

/// The set of inputs each register depends on, and the write times. (The default tracks no
/// register: for evaluators that do not check freshness.)
#[derive(Clone, Debug, Default)]
pub struct Freshness {
    /// u64 words per register in `deps`.
    words: usize,
    /// `deps[r * words..(r + 1) * words]`: bit k set when register r depends on input k.
    deps: Vec<u64>,
    /// When each register was last written (0: never).
    written: Vec<u64>,
    /// When each input was last set (0: never).
    set: Vec<u64>,
    clock: u64,
}

impl Freshness {
    /// Dependency sets from the tape's instructions; constants count as written from the
    /// start, inputs as never set.
    pub fn new(tape: &Tape) -> Freshness {
        let n_in = tape.inputs.len();
        let words = n_in.div_ceil(64).max(1);
        let mut deps = vec![0u64; tape.len() * words];
        let mut written = vec![0u64; tape.len()];
        for (i, ins) in tape.instrs.iter().enumerate() {
            match ins.op {
                Op::Input(k) => deps[i * words + k / 64] |= 1 << (k % 64),
                Op::Const(_) => written[i] = 1,
                op => {
                    for a in op.operands() {
                        for w in 0..words {
                            deps[i * words + w] |= deps[a * words + w];
                        }
                    }
                }
            }
        }
        Freshness {
            words,
            deps,
            written,
            set: vec![0; n_in],
            clock: 1,
        }
    }

    /// Records that input `k` (register `k`) was given a new value: every register that
    /// depends on it is stale until written again.
    #[inline]
    pub fn set_input(&mut self, k: usize) {
        self.clock += 1;
        self.set[k] = self.clock;
        self.written[k] = self.clock;
    }

    /// Records that register `r` was written from fresh operands.
    #[inline]
    pub fn wrote(&mut self, r: Reg) {
        self.written[r] = self.clock;
    }

    /// True when register `r` holds a value computed for the current inputs.
    #[inline]
    pub fn is_fresh(&self, r: Reg) -> bool {
        let t = self.written[r];
        if t == 0 {
            return false;
        }
        let deps = &self.deps[r * self.words..(r + 1) * self.words];
        for (w, &bits) in deps.iter().enumerate() {
            let mut b = bits;
            while b != 0 {
                let k = w * 64 + b.trailing_zeros() as usize;
                if self.set[k] > t {
                    return false;
                }
                b &= b - 1;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;
    use std::collections::HashMap;

    #[test]
    fn a_register_is_stale_after_an_input_it_depends_on_changes() {
        let mut tape = Tape::new(vec!["x".into(), "y".into()]);
        let env: HashMap<String, Reg> = [("x".to_string(), 0), ("y".to_string(), 1)].into();
        let e = parse("x*2 + y", "t").unwrap();
        let r = tape.compile(&e, &env, 0).unwrap();
        let Op::Add(x2, _) = tape.instrs[r].op else {
            panic!()
        };
        let mut f = Freshness::new(&tape);
        assert!(!f.is_fresh(0) && !f.is_fresh(x2) && !f.is_fresh(r));
        f.set_input(0);
        f.set_input(1);
        f.wrote(x2);
        f.wrote(r);
        assert!(f.is_fresh(x2) && f.is_fresh(r));
        // y changes: x*2 stays fresh, the sum does not
        f.set_input(1);
        assert!(f.is_fresh(x2));
        assert!(!f.is_fresh(r));
        f.wrote(r);
        assert!(f.is_fresh(r));
        // x changes: both stale
        f.set_input(0);
        assert!(!f.is_fresh(x2) && !f.is_fresh(r));
    }
}
