mod adversarial;
pub mod alloc;
mod cli;
mod common;
mod expressions;
mod reference;
mod simulate;
mod soundness;
mod table;
