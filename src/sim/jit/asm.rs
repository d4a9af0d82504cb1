//! An x86-64 encoder for the few AVX2 instructions the compiled step uses, a register
//! allocator for the straight-line programs of [`super::ir`], and executable memory.
//!
//! Encoding: every vector instruction is written in the three-byte VEX form (C4), 256 bits
//! wide; memory operands are `[base + index·8 + disp32]` or `[base + disp32]`.

use super::ir::{Bin, Home, Node, Program};

/// General-purpose registers (their hardware numbers).
pub const RAX: u8 = 0;
pub const RCX: u8 = 1;
pub const RDX: u8 = 2;
pub const RSI: u8 = 6;
pub const RDI: u8 = 7;
pub const R8: u8 = 8;
pub const R9: u8 = 9;
pub const R10: u8 = 10;
pub const R11: u8 = 11;

/// A memory operand: `[base + index·8 + disp]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mem {
    pub base: u8,
    pub index: Option<u8>,
    pub disp: i32,
}

/// The second source of a vector instruction: a register or memory.
#[derive(Clone, Copy, Debug)]
pub enum Rm {
    Reg(u8),
    Mem(Mem),
}

/// Machine code under construction.
#[derive(Default)]
pub struct Asm {
    pub code: Vec<u8>,
}

/// VEX map selectors.
const MAP_0F: u8 = 1;
const MAP_0F38: u8 = 2;
/// VEX implied prefix 66.
const PP_66: u8 = 1;

impl Asm {
    fn modrm_rm(&mut self, reg: u8, rm: Rm) {
        match rm {
            Rm::Reg(r) => self.code.push(0xC0 | ((reg & 7) << 3) | (r & 7)),
            Rm::Mem(m) => self.modrm_mem(reg, m),
        }
    }

    fn modrm_mem(&mut self, reg: u8, m: Mem) {
        // mod = 10 (disp32) always
        match m.index {
            Some(ix) => {
                self.code.push(0x80 | ((reg & 7) << 3) | 4);
                self.code.push(0xC0 | ((ix & 7) << 3) | (m.base & 7)); // scale 8
            }
            None => {
                if m.base & 7 == 4 {
                    // rsp/r12 need a SIB byte
                    self.code.push(0x80 | ((reg & 7) << 3) | 4);
                    self.code.push(0x24);
                } else {
                    self.code.push(0x80 | ((reg & 7) << 3) | (m.base & 7));
                }
            }
        }
        self.code.extend_from_slice(&m.disp.to_le_bytes());
    }

    /// A VEX.256 instruction `op reg, vvvv, rm [, imm]`.
    #[allow(clippy::too_many_arguments)]
    fn vex(&mut self, map: u8, w: bool, op: u8, reg: u8, vvvv: u8, rm: Rm, imm: Option<u8>) {
        let (x, b) = match rm {
            Rm::Reg(r) => (0, r >> 3),
            Rm::Mem(m) => (m.index.map_or(0, |i| i >> 3), m.base >> 3),
        };
        let r = reg >> 3;
        self.code.push(0xC4);
        self.code
            .push(((r ^ 1) << 7) | ((x ^ 1) << 6) | ((b ^ 1) << 5) | map);
        self.code
            .push(((w as u8) << 7) | ((!vvvv & 0xF) << 3) | (1 << 2) | PP_66);
        self.code.push(op);
        self.modrm_rm(reg, rm);
        if let Some(i) = imm {
            self.code.push(i);
        }
    }

    /// `dst = a op b` for the binary operations.
    pub fn bin(&mut self, k: Bin, dst: u8, a: u8, b: Rm) {
        let op = match k {
            Bin::FAdd => 0x58,
            Bin::FMul => 0x59,
            Bin::FSub => 0x5C,
            Bin::FDiv => 0x5E,
            Bin::And => 0x54,
            Bin::Or => 0x56,
            Bin::Xor => 0x57,
            Bin::IAdd => 0xD4,
        };
        self.vex(MAP_0F, false, op, dst, a, b, None);
    }
    /// `dst = sqrt(a)`.
    pub fn sqrt(&mut self, dst: u8, a: Rm) {
        self.vex(MAP_0F, false, 0x51, dst, 0, a, None);
    }
    /// `dst = a << n` in each 64-bit lane.
    pub fn shl(&mut self, dst: u8, a: u8, n: u8) {
        self.vex(MAP_0F, false, 0x73, 6, dst, Rm::Reg(a), Some(n));
    }
    /// `dst = a >> n` (logical) in each 64-bit lane.
    pub fn shr(&mut self, dst: u8, a: u8, n: u8) {
        self.vex(MAP_0F, false, 0x73, 2, dst, Rm::Reg(a), Some(n));
    }
    /// `dst = cmp(a, b)` with predicate `pred` (all ones where true).
    pub fn cmp(&mut self, dst: u8, a: u8, b: Rm, pred: u8) {
        self.vex(MAP_0F, false, 0xC2, dst, a, b, Some(pred));
    }
    /// Sets ZF when `a` is all zero.
    pub fn ptest(&mut self, a: u8) {
        self.vex(MAP_0F38, false, 0x17, a, 0, Rm::Reg(a), None);
    }
    pub fn load(&mut self, dst: u8, m: Mem) {
        self.vex(MAP_0F, false, 0x10, dst, 0, Rm::Mem(m), None);
    }
    pub fn store(&mut self, m: Mem, src: u8) {
        self.vex(MAP_0F, false, 0x11, src, 0, Rm::Mem(m), None);
    }
    pub fn vzeroupper(&mut self) {
        self.code.extend_from_slice(&[0xC5, 0xF8, 0x77]);
    }

    fn rex_w(&mut self, reg: u8, rm: u8) {
        self.code.push(0x48 | ((reg >> 3) << 2) | (rm >> 3));
    }
    /// `dst = [m]` (64-bit).
    pub fn mov_load64(&mut self, dst: u8, m: Mem) {
        debug_assert!(m.index.is_none());
        self.rex_w(dst, m.base);
        self.code.push(0x8B);
        self.modrm_mem(dst, m);
    }
    /// `dst = src` (64-bit).
    pub fn mov64(&mut self, dst: u8, src: u8) {
        self.rex_w(src, dst);
        self.code.push(0x89);
        self.code.push(0xC0 | ((src & 7) << 3) | (dst & 7));
    }
    /// `r += imm` (64-bit, imm in −128..=127).
    pub fn add_imm8(&mut self, r: u8, imm: i8) {
        self.rex_w(0, r);
        self.code.push(0x83);
        self.code.push(0xC0 | (r & 7));
        self.code.push(imm as u8);
    }
    /// Compares `a` with `b` (flags of a − b, 64-bit).
    pub fn cmp64(&mut self, a: u8, b: u8) {
        self.rex_w(b, a);
        self.code.push(0x39);
        self.code.push(0xC0 | ((b & 7) << 3) | (a & 7));
    }
    /// A conditional jump with a 32-bit displacement to be patched; returns the patch place.
    pub fn jcc(&mut self, cc: u8) -> usize {
        self.code.extend_from_slice(&[0x0F, 0x80 | cc]);
        self.code.extend_from_slice(&[0; 4]);
        self.code.len() - 4
    }
    /// Points the jump patched at `at` to `target`.
    pub fn patch(&mut self, at: usize, target: usize) {
        let rel = target as i64 - (at as i64 + 4);
        self.code[at..at + 4].copy_from_slice(&(rel as i32).to_le_bytes());
    }
    pub fn ret(&mut self) {
        self.code.push(0xC3);
    }
}

/// Condition codes.
pub const CC_B: u8 = 0x2;
pub const CC_AE: u8 = 0x3;
pub const CC_NE: u8 = 0x5;

/// The register that collects the lanes whose sine or cosine argument is out of the fast
/// range.
const BAD: u8 = 15;
/// Allocatable vector registers: ymm0..ymm14.
const NREGS: u8 = 15;

/// The place of a home in memory, for lane index `RAX`.
fn home_mem(h: Home) -> Mem {
    match h {
        Home::X(k, u) => lanes_mem(R9, k, u),
        Home::Rng(w, u) => lanes_mem(R10, w, u),
        Home::G(k, u) => lanes_mem(R11, k, u),
        Home::Const(c) => Mem {
            base: RCX,
            index: None,
            disp: i32::try_from(c * 32).expect("constant pool within 2 GiB"),
        },
    }
}

/// Column `k` of a `[[f64; 64]]` array at base `base`, lanes from `RAX` + 4u.
fn lanes_mem(base: u8, k: usize, u: usize) -> Mem {
    Mem {
        base,
        index: Some(RAX),
        disp: i32::try_from(k * 64 * 8 + u * 32).expect("arrays within 2 GiB"),
    }
}

fn spill_mem(slot: usize) -> Mem {
    Mem {
        base: R8,
        index: None,
        disp: i32::try_from(slot * 32).expect("spill area within 2 GiB"),
    }
}

/// Register allocation and emission of a program's body (one vector of 4 lanes, lane index in
/// `RAX`), with a furthest-next-use eviction. Values with a home in memory (inputs, generator
/// words, constants) are read from it and never spilled; the others spill to their own slot.
/// Returns the patch places of the escape jumps.
pub fn emit_body(asm: &mut Asm, p: &Program) -> Vec<usize> {
    let n = p.nodes.len();
    // uses[v]: the positions reading v, increasing
    let mut uses: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, node) in p.nodes.iter().enumerate() {
        for a in node.operands() {
            uses[a].push(i);
        }
    }
    let mut cursor = vec![0usize; n]; // next entry of uses[v] not yet passed
    let mut reg_of: Vec<Option<u8>> = vec![None; n];
    let mut holder: [Option<usize>; NREGS as usize] = [None; NREGS as usize];
    let mut spilled = vec![false; n];
    // a home overwritten by a store no longer holds its value
    let mut home_live = vec![true; n];
    let mut escapes = Vec::new();
    let home_of = |v: usize| p.nodes[v].home();
    let mut by_home: std::collections::HashMap<Home, Vec<usize>> = Default::default();
    for (v, node) in p.nodes.iter().enumerate() {
        if let Some(h) = node.home() {
            by_home.entry(h).or_default().push(v);
        }
    }

    let next_use = |v: usize, cursor: &[usize]| uses[v].get(cursor[v]).copied();

    // Frees or evicts a register, never one holding a value in `keep`.
    let take_reg = |asm: &mut Asm,
                    holder: &mut [Option<usize>; NREGS as usize],
                    reg_of: &mut Vec<Option<u8>>,
                    spilled: &mut Vec<bool>,
                    home_live: &Vec<bool>,
                    cursor: &Vec<usize>,
                    keep: &[usize]|
     -> u8 {
        if let Some(r) = holder.iter().position(|h| h.is_none()) {
            return r as u8;
        }
        let mut best: Option<(usize, u8)> = None;
        for r in 0..NREGS {
            let v = holder[r as usize].expect("all held");
            if keep.contains(&v) {
                continue;
            }
            let nu = next_use(v, cursor).unwrap_or(usize::MAX);
            if best.is_none_or(|(b, _)| nu > b) {
                best = Some((nu, r));
            }
        }
        let (_, r) = best.expect("a register to evict");
        let v = holder[r as usize].take().expect("held");
        reg_of[v] = None;
        let reloadable = home_of(v).is_some() && home_live[v];
        if !reloadable && !spilled[v] && next_use(v, cursor).is_some() {
            asm.store(spill_mem(v), r);
            spilled[v] = true;
        }
        r
    };

    let mem_of = |v: usize, spilled: &[bool], home_live: &[bool]| -> Mem {
        match home_of(v) {
            Some(h) if home_live[v] => home_mem(h),
            _ => {
                assert!(spilled[v], "value {v} has no register and no memory");
                spill_mem(v)
            }
        }
    };
    let rm_of =
        |v: usize, reg_of: &[Option<u8>], spilled: &[bool], home_live: &[bool]| match reg_of[v] {
            Some(r) => Rm::Reg(r),
            None => Rm::Mem(mem_of(v, spilled, home_live)),
        };

    // Brings v into a register.
    macro_rules! in_reg {
        ($v:expr, $keep:expr) => {{
            let v = $v;
            match reg_of[v] {
                Some(r) => r,
                None => {
                    let r = take_reg(
                        asm,
                        &mut holder,
                        &mut reg_of,
                        &mut spilled,
                        &home_live,
                        &cursor,
                        $keep,
                    );
                    asm.load(r, mem_of(v, &spilled, &home_live));
                    holder[r as usize] = Some(v);
                    reg_of[v] = Some(r);
                    r
                }
            }
        }};
    }
    for i in 0..n {
        let node = p.nodes[i];
        // operands into place
        match node {
            Node::Home(_) => {
                // loaded lazily where used
                continue;
            }
            Node::Bin(k, a, b) => {
                let (a, b) = if k.commutes() && reg_of[a].is_none() && reg_of[b].is_some() {
                    (b, a)
                } else {
                    (a, b)
                };
                let ra = in_reg!(a, &[a, b]);
                let rb = rm_of(b, &reg_of, &spilled, &home_live);
                advance(&mut cursor, &[a, b]);
                release(&mut holder, &mut reg_of, &cursor, &uses, &[a, b]);
                let d = take_reg(
                    asm,
                    &mut holder,
                    &mut reg_of,
                    &mut spilled,
                    &home_live,
                    &cursor,
                    &[a, b],
                );
                asm.bin(k, d, ra, rb);
                holder[d as usize] = Some(i);
                reg_of[i] = Some(d);
            }
            Node::Sqrt(a) => {
                let ra = rm_of(a, &reg_of, &spilled, &home_live);
                advance(&mut cursor, &[a]);
                release(&mut holder, &mut reg_of, &cursor, &uses, &[a]);
                let d = take_reg(
                    asm,
                    &mut holder,
                    &mut reg_of,
                    &mut spilled,
                    &home_live,
                    &cursor,
                    &[a],
                );
                asm.sqrt(d, ra);
                holder[d as usize] = Some(i);
                reg_of[i] = Some(d);
            }
            Node::Shl(a, s) | Node::Shr(a, s) => {
                let ra = in_reg!(a, &[a]);
                advance(&mut cursor, &[a]);
                release(&mut holder, &mut reg_of, &cursor, &uses, &[a]);
                let d = take_reg(
                    asm,
                    &mut holder,
                    &mut reg_of,
                    &mut spilled,
                    &home_live,
                    &cursor,
                    &[a],
                );
                if let Node::Shl(..) = node {
                    asm.shl(d, ra, s);
                } else {
                    asm.shr(d, ra, s);
                }
                holder[d as usize] = Some(i);
                reg_of[i] = Some(d);
            }
            Node::CheckRange { arg, abs, limit } => {
                let ra = in_reg!(arg, &[arg]);
                let t = take_reg(
                    asm,
                    &mut holder,
                    &mut reg_of,
                    &mut spilled,
                    &home_live,
                    &cursor,
                    &[arg],
                );
                asm.bin(Bin::And, t, ra, Rm::Mem(home_mem(Home::Const(abs))));
                // not(|a| <= limit), true for NaN too (predicate NLE_UQ)
                asm.cmp(t, t, Rm::Mem(home_mem(Home::Const(limit))), 6);
                asm.bin(Bin::Or, BAD, BAD, Rm::Reg(t));
                advance(&mut cursor, &[arg]);
                release(&mut holder, &mut reg_of, &cursor, &uses, &[arg]);
            }
            Node::Escape => {
                asm.ptest(BAD);
                escapes.push(asm.jcc(CC_NE));
            }
            Node::Store(h, a) => {
                let ra = in_reg!(a, &[a]);
                // values whose home this overwrites and that are read later move to a slot
                for &v in by_home.get(&h).map_or(&[][..], Vec::as_slice) {
                    if home_live[v] && uses[v].iter().any(|&u| u > i) {
                        let r = in_reg!(v, &[a, v]);
                        if !spilled[v] {
                            asm.store(spill_mem(v), r);
                            spilled[v] = true;
                        }
                        home_live[v] = false;
                    }
                }
                let ra = reg_of[a].unwrap_or(ra);
                asm.store(home_mem(h), ra);
                advance(&mut cursor, &[a]);
                release(&mut holder, &mut reg_of, &cursor, &uses, &[a]);
            }
        }
    }
    escapes
}

/// Marks the current position's uses of `vs` as passed.
fn advance(cursor: &mut [usize], vs: &[usize]) {
    for &v in vs {
        cursor[v] += 1;
    }
    // a value read twice by one node (a·a) was counted twice in its uses
}

/// Frees the registers of the values in `vs` that are not read again.
fn release(
    holder: &mut [Option<usize>; NREGS as usize],
    reg_of: &mut [Option<u8>],
    cursor: &[usize],
    uses: &[Vec<usize>],
    vs: &[usize],
) {
    for &v in vs {
        if cursor[v] >= uses[v].len()
            && let Some(r) = reg_of[v].take()
        {
            holder[r as usize] = None;
        }
    }
}

/// Code mapped executable; unmapped when dropped.
pub struct ExecMem {
    ptr: *mut u8,
    len: usize,
}

// SAFETY: the mapping is immutable once made and freed only on drop.
unsafe impl Send for ExecMem {}
// SAFETY: as above; the code is only read and executed.
unsafe impl Sync for ExecMem {}

impl ExecMem {
    /// Maps `code` read-and-execute; `None` if the system refuses.
    pub fn new(code: &[u8]) -> Option<ExecMem> {
        let len = code.len().max(1).div_ceil(4096) * 4096;
        // SAFETY: a fresh anonymous private mapping; checked for failure.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return None;
        }
        let ptr = ptr as *mut u8;
        // SAFETY: `ptr` is a writable mapping of `len >= code.len()` bytes.
        unsafe { std::ptr::copy_nonoverlapping(code.as_ptr(), ptr, code.len()) };
        // SAFETY: the same mapping, now made read-and-execute.
        let ok = unsafe {
            libc::mprotect(
                ptr as *mut libc::c_void,
                len,
                libc::PROT_READ | libc::PROT_EXEC,
            )
        };
        if ok != 0 {
            // SAFETY: unmapping the mapping made above.
            unsafe { libc::munmap(ptr as *mut libc::c_void, len) };
            return None;
        }
        Some(ExecMem { ptr, len })
    }
    pub fn ptr(&self) -> *const u8 {
        self.ptr
    }
}

impl Drop for ExecMem {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`, unmapped once.
        unsafe { libc::munmap(self.ptr as *mut libc::c_void, self.len) };
    }
}
