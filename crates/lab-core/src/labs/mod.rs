//! Each lab's own part of the core, one module a lab: its settings (fields, defaults, query),
//! read and written through [`crate::config`], and its results block, model and verdicts.

pub mod cpu;
pub mod hybrid;
pub mod io;
pub mod start;
pub mod tradeoff;
pub mod wrong;
