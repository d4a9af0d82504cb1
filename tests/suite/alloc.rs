//! Evaluating a compiled tape at a new point allocates nothing on the Rust side: registers and
//! scratch space are allocated once, when the evaluator is made. Counted with a global allocator
//! that tallies the allocations of the current thread while a flag is set. GMP and MPFR allocate
//! through their own memory functions; those are counted too, by installing counting functions
//! with `mp_set_memory_functions`, and reported (MPFR's transcendental functions may take
//! scratch memory of their own).

use sgdbounds::Model;
use sgdbounds::expr::IntervalEval;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = COUNTING.try_with(|on| {
            if on.get() {
                COUNT.with(|c| c.set(c.get() + 1));
            }
        });
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = COUNTING.try_with(|on| {
            if on.get() {
                COUNT.with(|c| c.set(c.get() + 1));
            }
        });
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

thread_local! {
    static GMP_COUNT: Cell<usize> = const { Cell::new(0) };
}

fn gmp_layout(size: usize) -> Layout {
    Layout::from_size_align(size.max(1), 16).unwrap()
}
extern "C" fn gmp_alloc(size: usize) -> *mut std::ffi::c_void {
    let _ = GMP_COUNT.try_with(|c| c.set(c.get() + 1));
    unsafe { System.alloc(gmp_layout(size)) as *mut _ }
}
extern "C" fn gmp_realloc(
    p: *mut std::ffi::c_void,
    old: usize,
    new: usize,
) -> *mut std::ffi::c_void {
    let _ = GMP_COUNT.try_with(|c| c.set(c.get() + 1));
    unsafe { System.realloc(p as *mut u8, gmp_layout(old), new.max(1)) as *mut _ }
}
extern "C" fn gmp_free(p: *mut std::ffi::c_void, size: usize) {
    unsafe { System.dealloc(p as *mut u8, gmp_layout(size)) }
}

fn counted(f: impl FnOnce()) -> usize {
    COUNT.with(|c| c.set(0));
    COUNTING.with(|on| on.set(true));
    f();
    COUNTING.with(|on| on.set(false));
    COUNT.with(|c| c.get())
}

#[test]
fn evaluating_at_a_new_point_does_not_allocate() {
    // System's allocator is malloc for these alignments, so memory GMP took before this call is
    // still freed correctly afterwards.
    unsafe {
        gmp_mpfr_sys::gmp::set_memory_functions(Some(gmp_alloc), Some(gmp_realloc), Some(gmp_free));
    }
    let model = Model::builtin("corollary2").unwrap();
    let mut ev = IntervalEval::new(&model.tape, 256);
    let mut points = Vec::new();
    for k in 1..=4u32 {
        let given = [
            ("eta", format!("0.01{k}")),
            ("L", "1".into()),
            ("c", format!("0.5{k}")),
            ("r", "1".into()),
            ("d0", format!("{k}")),
            ("t2", "1000000".into()),
            ("eta2", "0.001".into()),
            ("c2", "0.6".into()),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b))
        .collect();
        points.push(model.point(&given, &|p| p.name.clone()).unwrap());
    }
    let load = |ev: &mut IntervalEval, p: &[rug::Rational]| {
        for (k, q) in p.iter().enumerate() {
            ev.set_input(k, q);
        }
    };
    load(&mut ev, &points[0]);
    ev.run(&model.tape);
    for p in &points[1..] {
        GMP_COUNT.with(|c| c.set(0));
        let n = counted(|| {
            load(&mut ev, p);
            ev.run(&model.tape);
        });
        assert_eq!(n, 0, "evaluation allocated {n} times");
        let g = GMP_COUNT.with(|c| c.get());

        eprintln!("GMP/MPFR allocations in one evaluation of corollary2: {g}");
    }
    // The arithmetic operations themselves take no memory from GMP/MPFR either; MPFR's exp,
    // log, real powers, integer powers other than squares, and ceil/floor use scratch memory
    // of their own.
    for src in [
        "x*y", "x/y", "x+y", "x-y", "-x", "sqrt(x)", "x^2", "min(x,y)", "max(x,y)", "abs(x)",
    ] {
        let e = sgdbounds::expr::parse(src, "probe").unwrap();
        let mut tape = sgdbounds::expr::Tape::new(vec!["x".into(), "y".into()]);
        let env = [("x".to_string(), 0), ("y".to_string(), 1)].into();
        tape.compile(&e, &env, 0).unwrap();
        let mut ev = IntervalEval::new(&tape, 256);
        let x = sgdbounds::arith::Interval::from_rational(&rug::Rational::from((7, 3)), 256);
        let y = sgdbounds::arith::Interval::from_rational(&rug::Rational::from((-5, 3)), 256);
        ev.set_input_interval(0, &x);
        ev.set_input_interval(1, &y);
        GMP_COUNT.with(|c| c.set(0));
        let n = counted(|| ev.run(&tape));
        assert_eq!((n, GMP_COUNT.with(|c| c.get())), (0, 0), "{src} allocated");
    }
    // The counter does count: making an evaluator allocates.
    assert!(counted(|| drop(IntervalEval::new(&model.tape, 256))) > 0);
}
