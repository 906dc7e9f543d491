//! One page per lab; the app shows the one the URL names.

pub mod cpu_lab;
pub mod io_lab;
pub mod start;
