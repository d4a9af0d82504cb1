//! Bound tables: rows from a grid or a sweep file, certified cells, computed in parallel and
//! streamed in order; shards, the merge of parts and the comparison with a file (`--check`).
//! What is computed is typed ([`Cell`], [`Unmet`], [`Meta`], [`check::Comparison`]); the
//! renderers, in the report module, turn it into text through [`pipeline::TableWriter`].

pub mod cell;
pub mod check;
pub mod engine;
pub mod grid;
pub mod job;
pub mod merge;
pub mod meta;
pub mod pipeline;
pub mod read;
pub mod shard;

pub use cell::{Cell, Row, Unmet};
pub use check::{Comparison, Diff};
pub use engine::{Column, ColumnKind, Computed, Plan, Rows, columns};
pub use grid::{Axis, Grid, Sweep, parse_axis};
pub use job::{Job, Request};
pub use merge::{Merged, read_parts};
pub use meta::{Format, Head, Meta, Rounding};
pub use pipeline::{Finished, Output, RenderRow, Sink, TableWriter};
pub use shard::Shard;
