//! The integration suite: one binary, one module per concern.
mod suite;

#[global_allocator]
static ALLOCATOR: suite::alloc::Counting = suite::alloc::Counting;
