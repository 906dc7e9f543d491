//! One page per lab; the app shows the one the URL names.

pub mod io_lab;
pub mod start;
