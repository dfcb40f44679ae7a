//! Code blocks on a page: highlighted, labelled with their language, with a
//! copy button, and the highlight classes they use noted for the stylesheet.

use std::cell::RefCell;
use std::collections::BTreeSet;

use super::highlight::Highlighter;
use super::html::escape;
use super::snippets::Code;

/// The code blocks of one page: highlighted by the build's highlighter, each
/// with a copy button, and the highlight classes they use noted for the
/// page's stylesheet.
pub struct CodeBlocks<'a> {
    highlighter: &'a Highlighter,
    copy_label: &'a str,
    used: RefCell<BTreeSet<String>>,
}

impl<'a> CodeBlocks<'a> {
    /// Blocks highlighted by `highlighter`, with `copy_label` on their buttons.
    pub fn new(highlighter: &'a Highlighter, copy_label: &'a str) -> Self {
        CodeBlocks {
            highlighter,
            copy_label,
            used: Default::default(),
        }
    }

    /// A highlighted code block; the copy button is hidden until the script shows it.
    pub fn code(&self, code: &str, lang: &str) -> String {
        self.block(lang, self.highlighter.highlighted(code, lang))
    }

    /// A block of code stepdoc generated (a request snippet): highlighted
    /// from the tokens its writer gave.
    pub fn generated(&self, code: &Code, lang: &str) -> String {
        let highlighted = self
            .highlighter
            .highlighted_tokens(code.text(), code.tokens());
        self.block(lang, highlighted)
    }

    fn block(&self, lang: &str, highlighted: super::highlight::Highlighted) -> String {
        let label = if lang.is_empty() {
            String::new()
        } else {
            format!("<span class=\"code-lang\">{}</span>", escape(lang))
        };
        let mut used = self.used.borrow_mut();
        for list in &highlighted.classes {
            for class in list.split(' ') {
                if !used.contains(class) {
                    used.insert(class.to_owned());
                }
            }
        }
        format!(
            "<div class=\"code\"><div class=\"code-head\">{label}<button type=\"button\" class=\"copy\" hidden>{}</button></div><pre tabindex=\"0\"><code class=\"language-{}\">{}</code></pre></div>\n",
            escape(self.copy_label),
            escape(if lang.is_empty() { "text" } else { lang }),
            highlighted.html
        )
    }

    /// The highlight classes the page's blocks use.
    pub fn into_classes(self) -> BTreeSet<String> {
        self.used.into_inner()
    }
}
