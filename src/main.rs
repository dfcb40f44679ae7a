//! The `stepdoc` binary: parses the command line and hands it to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    stepdoc::cli::run(stepdoc::cli::Cli::parse())
}
