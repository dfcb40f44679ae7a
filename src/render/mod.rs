//! Rendering: Markdown, syntax highlighting, request snippets and the
//! theme's templates. Rendering never touches the network.

mod cards;
pub mod highlight;
pub mod html;
pub(crate) mod markdown;
pub mod page;
pub mod snippets;
pub mod templates;
