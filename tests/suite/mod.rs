pub mod alloc;
mod cli;
mod common;
mod expressions;
mod reference;
mod soundness;
mod table;
