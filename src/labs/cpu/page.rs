//! The CPU lab ("teamwork"): settings and presets on one side, the measured result on the other.

use lab_core::config::Lab;
use lab_core::execute::Mode;
use lab_core::schema::RunKind;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::code_panel::{CodePanel, Snippet};
use crate::components::cpu_results::{CpuRunView, CpuSweepView};
use crate::components::image_canvas::ImageCanvas;
use crate::components::lab_controls::{Presets, RunButton};
use crate::components::settings_form::SettingsForm;
use crate::labs;
use crate::state::LabState;

/// Links that set up the interesting cases.
const PRESETS: &[(&str, &str)] = &[
    (
        "Mandelbrot across the pool",
        "lab=cpu&kernel=mandelbrot&mode=rayon",
    ),
    (
        "The same job on one worker",
        "lab=cpu&kernel=mandelbrot&mode=worker",
    ),
    (
        "On the main thread (freezes the page)",
        "lab=cpu&kernel=mandelbrot&mode=main",
    ),
    (
        "Speedup sweep: SHA-256",
        "lab=cpu&kernel=sha256&mode=lanes&sweep=threads",
    ),
    (
        "Speedup sweep: Mandelbrot",
        "lab=cpu&kernel=mandelbrot&mode=lanes&sweep=threads",
    ),
    (
        "Granularity sweep: statistics",
        "lab=cpu&kernel=stats&tasks=65536&sweep=tasks",
    ),
    ("Blur an image", "lab=cpu&kernel=blur"),
    ("Statistics of a data set", "lab=cpu&kernel=stats"),
];

const CPU_CSHARP: &str = "// mode=worker: heavy work off the UI thread, awaited
var result = await Task.Run(() => Compute());

// mode=rayon: several cores on one job; the TPL's scheduler,
// like rayon's work-stealing pool, decides what runs where
Parallel.For(0, tasks, i => Work(i));
Parallel.Invoke(() => A(), () => B(), () => C());

// mode=lanes: at most T at once
Parallel.For(0, tasks,
    new ParallelOptions { MaxDegreeOfParallelism = T },
    i => Work(i));";

/// The CPU lab.
#[component]
pub fn CpuLabPage() -> impl IntoView {
    let state = expect_context::<LabState>();
    let runs = state.runs_where(|r| r.kind == RunKind::Cpu);
    let image = move || {
        state
            .settings()
            .with(|s| s.cpu().is_some_and(|c| c.kernel.draws_image()))
    };
    let resolution = move || state.environment().with(|e| e.timer_resolution_ms);
    view! {
        <div class="lab-grid">
            <aside class="card controls">
                <h2>"Teamwork: one job, many cores"</h2>
                <p class="lesson">
                    "The job is cut into tasks and the tasks are spread over web workers by rayon, like "
                    "several cooks chopping at once. It goes out with "<code>"rayon::spawn"</code>
                    " and its result comes back through a oneshot the main thread awaits (the shape of "
                    <code>"await Task.Run(..)"</code>"); inside, "<code>"par_iter"</code>" or "
                    <code>"rayon::scope"</code>" do what "<code>"Parallel.Invoke(..)"</code>" does in C#."
                </p>
                <p class="lesson">
                    <strong>"main"</strong>": on the main thread, which freezes the page. "<strong>"worker"</strong>
                    ": one worker, awaited; the page stays free. "<strong>"lanes"</strong>": at most T workers busy. "
                    <strong>"rayon"</strong>": the whole pool, with work stealing."
                </p>
                <SettingsForm lab=Lab::Cpu />
                <RunButton
                    test_id="run-cpu-lab"
                    label="Run"
                    run=move || spawn_local(labs::cpu::run(state))
                />
                <Show when=move || state.settings().with(|s| s.cpu().is_some_and(|c| c.mode == Mode::Main))>
                    <p class="note" data-testid="main-mode-note">
                        "In main mode the job holds the main thread: the page, Cancel included, "
                        "answers no click until it ends."
                    </p>
                </Show>
                <Presets presets=PRESETS />
            </aside>
            <section class="results" data-testid="cpu-results">
                <div class="result image-wrap" class:hidden=move || !image() || state.reopened().get()>
                    <ImageCanvas />
                </div>
                <Show when=move || image() && state.reopened().get()>
                    <p class="note" data-testid="image-not-kept">
                        "This run was reopened from the history: its numbers and timelines are kept, its "
                        "image is not (it is drawn while a run computes it). Run it again to see the image."
                    </p>
                </Show>
                {move || runs.with(|runs| {
                    match runs.len() {
                        0 => {
                            view! {
                                <p class="empty">
                                    "Not run yet. Pick a preset, or a kernel and a mode, then Run. A sweep over "
                                    "threads measures the speedup against one thread and fits Amdahl's law."
                                </p>
                            }
                                .into_any()
                        }
                        1 => view! { <CpuRunView record=runs[0].clone() resolution_ms=resolution() /> }.into_any(),
                        _ => view! { <CpuSweepView records=runs.clone() resolution_ms=resolution() /> }.into_any(),
                    }
                })}
            </section>
        </div>
        <CodePanel
            title="The code that spread the tasks"
            snippets=vec![
                Snippet { file: "src/runtime/pool.rs", name: "submit" },
                Snippet { file: "src/experiments/cpu_job.rs", name: "main-mode" },
                Snippet { file: "src/experiments/cpu_job.rs", name: "worker-mode" },
                Snippet { file: "crates/lab-core/src/execute.rs", name: "lanes" },
                Snippet { file: "crates/lab-core/src/execute.rs", name: "rayon-all" },
            ]
            csharp=CPU_CSHARP
        />
    }
}
