//! Micro-benchmarks of the per-step pipeline (Markdown + highlighting +
//! template) and of snippet generation. A small harness of its own
//! (median of timed batches) keeps the dependency tree lean:
//! `cargo bench --bench pipeline`.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use stepdoc::call::{build, Placeholders};
use stepdoc::render::highlight::Highlighter;
use stepdoc::render::page::Renderer;
use stepdoc::render::snippets::Lang;
use stepdoc::render::templates::Theme;

/// Median time per iteration over 15 batches of `iters` runs.
fn measure(name: &str, iters: u32, mut f: impl FnMut()) {
    f(); // warm-up: regexes compile on first use
    let mut per_iter: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iters {
                f();
            }
            start.elapsed() / iters
        })
        .collect();
    per_iter.sort();
    println!(
        "{name:<48} {:>10.1} µs/iter",
        per_iter[per_iter.len() / 2].as_secs_f64() * 1e6
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = stepdoc::content::load(root).expect("the shipped walkthrough loads");
    let theme = Theme::load(root, &site.config.theme, site.config.language()).expect("theme");
    let highlighter = Highlighter::new();

    let renderer = Renderer::new(&site, &theme, &highlighter);
    for (i, step) in site.steps.iter().enumerate() {
        measure(
            &format!("step page `{}` (Markdown+highlight+template)", step.slug),
            5,
            || {
                black_box(renderer.step_page(i).expect("renders"));
            },
        );
    }

    let json = serde_json::to_string_pretty(&serde_json::json!({"accounts": (0..6).map(|k| serde_json::json!({"id": format!("{k:032x}"), "name": "Lønkonto", "balance": {"scale": "2", "unscaledValue": "2450075"}})).collect::<Vec<_>>()})).unwrap();
    measure("highlight a 60-line JSON response", 20, || {
        black_box(highlighter.highlight(&json, "json"));
    });

    let config = &site.config;
    let requests: Vec<_> = site
        .steps
        .iter()
        .flat_map(|s| &s.requests)
        .filter(|r| r.interactive.is_none())
        .collect();
    for lang in Lang::ALL {
        measure(
            &format!(
                "{} snippets for all {} requests",
                lang.label(),
                requests.len()
            ),
            200,
            || {
                for r in &requests {
                    black_box(lang.generate(&build(r, config, &Placeholders::new(config))));
                }
            },
        );
    }
}
