//! One concept a file: the environment strip, the run status, the live meter, settings,
//! the batch cards with their summaries and timelines, the export.

pub mod axes;
pub mod batch_card;
pub mod chart_scroll;
pub mod code_panel;
pub mod compare;
pub mod config_errors;
pub mod cpu_results;
pub mod environment_panel;
pub mod export_button;
pub mod glossary;
pub mod histogram;
pub mod image_canvas;
pub mod io_results;
pub mod lab_controls;
pub mod latency_throughput;
pub mod live_meter;
pub mod next_task;
pub mod overlay;
pub mod run_status;
pub mod settings_form;
pub mod slogan_chart;
pub mod speedup_chart;
pub mod summary;
pub mod timeline;
