//! Syntax highlighting with syntect, to HTML with CSS classes (no inline
//! styles), plus the light and dark stylesheets for those classes. The
//! syntax set is loaded once, when a [`Highlighter`] is made.

use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Class prefix of highlighted tokens, so they cannot clash with theme classes.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Language aliases that syntect does not know by these names.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("sh", "bash"),
    ("zsh", "bash"),
    ("console", "bash"),
    ("curl", "bash"),
    ("js", "javascript"),
    ("mjs", "javascript"),
    ("ts", "typescript"),
    ("py", "python"),
    ("rs", "rust"),
    ("yml", "yaml"),
    ("jsonc", "json"),
    ("http", "http"),
    ("ps1", "powershell"),
];

/// Highlights code blocks. Make one per process and share it.
pub struct Highlighter {
    syntaxes: SyntaxSet,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    /// Loads the syntax set (syntect's plus bat's extra syntaxes: TOML, TypeScript, HTTP ...).
    pub fn new() -> Self {
        Highlighter {
            syntaxes: two_face::syntax::extra_newlines(),
        }
    }

    fn find(&self, lang: &str) -> Option<&SyntaxReference> {
        let lower = lang.trim().to_ascii_lowercase();
        let name = ALIASES
            .iter()
            .find(|(a, _)| *a == lower)
            .map_or(lower.as_str(), |(_, n)| n);
        self.syntaxes
            .find_syntax_by_token(name)
            .or_else(|| self.syntaxes.find_syntax_by_extension(name))
            .or_else(|| match name {
                "http" => self
                    .syntaxes
                    .find_syntax_by_name("HTTP Request and Response"),
                _ => None,
            })
    }

    /// Whether `lang` is highlighted (unknown languages are shown as plain text).
    pub fn knows(&self, lang: &str) -> bool {
        self.find(lang).is_some()
    }

    /// The code as HTML spans with `hl-` classes; plain escaped text for unknown languages.
    pub fn highlight(&self, code: &str, lang: &str) -> String {
        let Some(syntax) = self.find(lang) else {
            return escape(code);
        };
        let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, STYLE);
        for line in LinesWithEndings::from(code) {
            if gen
                .parse_html_for_line_which_includes_newline(line)
                .is_err()
            {
                return escape(code);
            }
        }
        gen.finalize()
    }
}

/// The stylesheets for highlighted code: (light, dark).
pub fn stylesheets() -> (String, String) {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        themes
            .themes
            .get(name)
            .and_then(|t| css_for_theme_with_class_style(t, STYLE).ok())
            .unwrap_or_default()
    };
    (css("InspiredGitHub"), css("base16-ocean.dark"))
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_languages_are_highlighted() {
        let h = Highlighter::new();
        for lang in [
            "bash",
            "shell",
            "sh",
            "json",
            "yaml",
            "python",
            "javascript",
            "rust",
            "http",
            "toml",
            "typescript",
        ] {
            assert!(h.knows(lang), "no syntax for {lang}");
        }
    }

    #[test]
    fn output_uses_classes_and_keeps_text() {
        let h = Highlighter::new();
        let html = h.highlight("{\"a\": 1}\n", "json");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="));
        let plain = h.highlight("<x>", "nosuchlang");
        assert_eq!(plain, "&lt;x&gt;");
    }

    #[test]
    fn stylesheets_differ_for_light_and_dark() {
        let (light, dark) = stylesheets();
        assert!(light.contains(".hl-"));
        assert_ne!(light, dark);
    }
}
