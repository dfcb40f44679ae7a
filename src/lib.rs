//! stepdoc turns a multi-step API walkthrough into a static website and
//! keeps its example payloads true by recording them from the live API.
//!
//! The pipeline, one module per stage:
//! - [`content`]: `site.yaml`, steps, requests, samples, snapshots: the model and its validation;
//! - [`render`]: Markdown, highlighting, snippets, templates;
//! - [`pipeline`]: the build pipeline, the page manifest and the atomic output writer;
//! - [`record`]: the live API, captures, redaction, snapshot writes;
//! - [`export`]: the request chain as Hurl, Postman and `.http` files;
//! - [`serve`]: the dev server, watcher and live reload;
//! - [`mock`]: the walkthrough's API served from its snapshots, chain-aware;
//! - [`init`]: scaffolding of a new walkthrough.

#[cfg(any(feature = "record", feature = "serve"))]
pub(crate) mod browser;
pub mod call;
pub mod cli;
pub mod content;
pub mod error;
pub(crate) mod export;
mod files;
pub(crate) mod init;
#[cfg(feature = "mock")]
pub(crate) mod mock;
pub(crate) mod pipeline;
#[cfg(feature = "record")]
pub(crate) mod record;
pub mod render;
#[cfg(feature = "serve")]
pub(crate) mod serve;
#[cfg(any(feature = "record", feature = "mock"))]
pub(crate) mod shape;
pub(crate) mod source;
pub(crate) mod translations;
pub(crate) mod yaml;

pub use error::{Diagnostic, Diagnostics, Error, Problem, Result};
