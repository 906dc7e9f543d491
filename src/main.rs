//! Starts the lab: panic hook, then the app. Everything else lives in the library.

fn main() {
    console_error_panic_hook::set_once();
    async_vs_parallel_lab::start();
}
