//! Pages that are not a lab's own (each lab's page is in its folder, `src/labs/<lab>/page.rs`).

pub mod overview;
