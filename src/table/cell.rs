//! What a row of a table holds, as typed values: its cells and the hypotheses that do not hold
//! there. The renderers turn them into text; [`super::read`] reads text back into them.

use crate::arith::{ArithError, Truth};

/// One cell of a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// A decimal: a parameter's exact value, or a quantity rounded to the table's digits in the
    /// direction of its column (certified: [`crate::arith::decimal`]).
    Decimal(String),
    /// A correctly rounded quantity whose enclosure still straddles a decimal at the highest
    /// precision tried: its ends, rounded outward.
    Enclosure { lo: String, hi: String },
    /// A quantity undefined at the row, with the fault's message (a division by zero, the
    /// logarithm of a non-positive number, …).
    Undefined(String),
    /// A hypothesis or claim: holds, fails or undecided.
    Verdict(Truth),
}

impl Default for Cell {
    fn default() -> Self {
        Cell::Decimal(String::new())
    }
}

impl Cell {
    /// The one definition of an undefined cell: the quantity's register faulted, for the reason
    /// `fault`, in a way its cell source says no precision will change.
    pub fn undefined(fault: &ArithError) -> Cell {
        Cell::Undefined(fault.to_string())
    }

    /// Makes the cell a decimal and hands back its text, emptied (the buffer is kept from row
    /// to row, so that a cell allocates only when it grows).
    pub fn decimal_buffer(&mut self) -> &mut String {
        if !matches!(self, Cell::Decimal(_)) {
            *self = Cell::Decimal(String::new());
        }
        match self {
            Cell::Decimal(s) => {
                s.clear();
                s
            }
            _ => unreachable!("made a decimal above"),
        }
    }

    /// Copies `other` into the cell, reusing the cell's text buffer where both are decimals.
    pub fn assign(&mut self, other: &Cell) {
        match (self, other) {
            (Cell::Decimal(a), Cell::Decimal(b)) => a.clone_from(b),
            (me, other) => *me = other.clone(),
        }
    }
}

/// A hypothesis that does not hold at a row, by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unmet {
    /// It fails at the row.
    Fails(String),
    /// A side of it is undefined at the row, which no precision changes.
    Undefined(String),
    /// Still undecided at the highest precision tried.
    Undecided(String),
}

/// One row: its cells, in column order, and its unmet hypotheses, in the order of the proofs
/// file (empty when all hold).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub unmet: Vec<Unmet>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_are_reused_and_replaced() {
        let mut c = Cell::Verdict(Truth::True);
        c.decimal_buffer().push_str("1.5");
        assert_eq!(c, Cell::Decimal("1.5".into()));
        c.decimal_buffer().push('2');
        assert_eq!(c, Cell::Decimal("2".into()));
        c.assign(&Cell::Undefined("division by zero".into()));
        assert_eq!(c, Cell::Undefined("division by zero".into()));
        c.assign(&Cell::Decimal("3".into()));
        assert_eq!(c, Cell::Decimal("3".into()));
        let fault = ArithError::DivisionByZero { certain: true };
        assert_eq!(Cell::undefined(&fault), Cell::Undefined(fault.to_string()));
    }
}
