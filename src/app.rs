//! The page: header with the environment, the lab tabs, the run bar, and the lab the URL names.

use lab_core::config::Lab;
use leptos::prelude::*;

use crate::components::compare::Compare;
use crate::components::config_errors::ConfigErrors;
use crate::components::environment_panel::EnvironmentPanel;
use crate::components::export_button::ExportButton;
use crate::components::glossary::Glossary;
use crate::components::live_meter::LiveMeter;
use crate::components::run_status::RunStatusBar;
use crate::labs::cpu::page::CpuLabPage;
use crate::labs::hybrid::page::HybridLabPage;
use crate::labs::io::page::IoLabPage;
use crate::labs::start::page::StartPage;
use crate::labs::tradeoff::page::TradeoffLabPage;
use crate::labs::wrong::page::WrongLabPage;
use crate::pages::overview::OverviewPage;
use crate::state::LabState;

/// The whole lab.
#[component]
pub fn App() -> impl IntoView {
    let state = LabState::new();
    provide_context(state);
    leptos::task::spawn_local(async move {
        if state.boot().await {
            crate::labs::autorun(state).await;
        }
    });
    let lab = state.settings().with_untracked(|s| s.lab());
    let tab = move |target: Lab, title: &'static str| {
        view! {
            <a
                href=format!("?lab={}", target.name())
                class="tab"
                class:active=lab == target
                aria-current=(lab == target).then_some("page")
                data-testid=format!("tab-{}", target.name())
            >
                {title}
            </a>
        }
    };
    view! {
        <header class="masthead">
            <div class="brand">
                <h1>"Async vs Parallel Lab"</h1>
                <p class="tagline">
                    "Timing and teamwork: see async and parallel work in your own browser."
                </p>
            </div>
            <EnvironmentPanel />
        </header>
        <nav class="tabs" aria-label="Labs">
            {tab(Lab::Start, "Start")}
            {tab(Lab::Io, "Timing: I/O")}
            {tab(Lab::Cpu, "Teamwork: CPU")}
            {tab(Lab::Hybrid, "Together: pipeline")}
            {tab(Lab::Wrong, "The wrong tool")}
            {tab(Lab::Tradeoff, "Responsiveness")}
            {tab(Lab::Overview, "Overview")}
        </nav>
        <section class="runbar" aria-label="Run">
            <RunStatusBar />
            <LiveMeter />
            <ExportButton />
        </section>
        <ConfigErrors />
        <Compare />
        <main class="lab">
            {match lab {
                Lab::Start => view! { <StartPage /> }.into_any(),
                Lab::Io => view! { <IoLabPage /> }.into_any(),
                Lab::Cpu => view! { <CpuLabPage /> }.into_any(),
                Lab::Hybrid => view! { <HybridLabPage /> }.into_any(),
                Lab::Wrong => view! { <WrongLabPage /> }.into_any(),
                Lab::Tradeoff => view! { <TradeoffLabPage /> }.into_any(),
                Lab::Overview => view! { <OverviewPage /> }.into_any(),
            }}
        </main>
        <footer class="footer">
            <Glossary />
            <p>
                "Every bar is a measured span on one clock ("<code>"performance.timeOrigin + now()"</code>
                "), drawn from the same data the export holds."
            </p>
        </footer>
    }
}
