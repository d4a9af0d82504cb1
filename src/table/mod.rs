//! Bound tables: rows from a grid or a sweep file, certified cells, computed in parallel and
//! streamed in order; the renderers are in [`crate::report::table`].

pub mod engine;
pub mod grid;

pub use engine::{Column, ColumnKind, Computed, Plan, Rows, columns};
pub use grid::{Axis, Grid, Sweep, parse_axis};
