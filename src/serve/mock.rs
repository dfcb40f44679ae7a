//! `serve --mock`: the mock of the walkthrough beside the preview, bound
//! before the first build so the pages can point every example at it.

use std::time::Duration;

use super::{Preview, Reporter, ServeOptions};
use crate::error::Result;
use crate::mock::{Bound, MockOptions};

/// Binds the mock when `--mock` asks for it (the walkthrough must pass
/// `check`; a port in use is exit 2) and points `preview`'s examples at it.
pub(super) fn bind(opts: &ServeOptions, preview: Preview) -> Result<(Preview, Option<Bound>)> {
    let Some(port) = opts.mock else {
        return Ok((preview, None));
    };
    let bound = Bound::new(&MockOptions {
        root: opts.root.clone(),
        bind: opts.bind.clone(),
        port,
        header_timeout: opts.header_timeout,
    })?;
    Ok((preview.with_mock(&bound.url), Some(bound)))
}

/// Tells the person where the mock is and how to use it, then answers in
/// the background (inside the preview's runtime) until Ctrl-C.
pub(super) fn start(bound: Bound, reporter: &dyn Reporter, header_timeout: Duration) {
    reporter.note(&format!(
        "Mock API on {} (every example on the pages points at it)",
        bound.url
    ));
    for line in bound.lines.iter().chain(&bound.notes) {
        reporter.note(line);
    }
    tokio::spawn(bound.run(header_timeout));
}
