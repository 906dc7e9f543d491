//! Each lab's own part of the core, one module a lab: for now its settings (fields, defaults,
//! query), read and written through [`crate::config`].

pub mod cpu;
pub mod hybrid;
pub mod io;
pub mod start;
pub mod tradeoff;
pub mod wrong;
