//! Rendering: Markdown, syntax highlighting, request snippets and the
//! theme's templates. Rendering never touches the network.

mod anchors;
mod cards;
pub(crate) mod code_block;
mod headings;
pub mod highlight;
pub mod html;
pub(crate) mod languages;
mod literal_html;
pub(crate) mod markdown;
pub(crate) mod origins;
pub mod page;
pub(crate) mod search;
pub mod snippets;
mod step_links;
pub mod templates;
