//! One page per lab; the app shows the one the URL names.

pub mod cpu_lab;
pub mod hybrid_lab;
pub mod io_lab;
pub mod overview;
pub mod start;
pub mod tradeoff_lab;
pub mod wrong_lab;
