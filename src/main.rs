//! The `stepdoc` binary: parses the command line and hands it to the library.

use clap::Parser;

/// mimalloc: syntect allocates many small objects, and glibc's malloc and
/// free took a fifth of a build's time (see BENCHMARKS.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    stepdoc::cli::run(stepdoc::cli::Cli::parse())
}
