//! Syntax highlighting at build time, to compact HTML with CSS classes (no
//! inline styles). Each token gets at most two classes that name its style
//! in the light and the dark theme (`l-a71d5d-b d-c0c5ce`), so the markup
//! stays small; the build writes two small stylesheets for the classes its
//! pages use.
//!
//! JSON and shell code go through the fast lexers in [`lex`], and the
//! request snippets stepdoc generates come with their tokens (see
//! `snippets::Code`): both say what [`Kind`] each piece is, and each theme
//! styles a kind once. Everything else (hand-written Python or Rust
//! included) goes through syntect's grammars. The themes are loaded when a
//! [`Highlighter`] is made, the syntax set the first time syntect is
//! needed, once per process.

mod contrast;
mod lex;

use contrast::{readable, DARK_BG, LIGHT_BG};

use super::html::{escape, escape_into};

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock, RwLock};

use syntect::highlighting::{
    Color, FontStyle, Highlighter as StyleHighlighter, Style, Theme, ThemeSet,
};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

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
    ("ps1", "powershell"),
];

/// The light and the dark theme.
const LIGHT: &str = "InspiredGitHub";
const DARK: &str = "base16-ocean.dark";

/// What a piece of code is. Writers and the fast lexers say what each
/// piece is; each theme decides once how a kind looks (by the TextMate
/// scope it knows the kind by), so no writer imitates a grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Names, punctuation and text the themes leave plain.
    Plain,
    Comment,
    /// Keywords and declarations (`if`, `let`, `import`, `await`).
    Keyword,
    /// Operators (`=`, `+`, `|`, `&&`).
    Operator,
    /// String literals and their quotes.
    String,
    /// An escape inside a string (`\n`, `\u00e6`).
    Escape,
    Number,
    /// Language constants (`true`, `None`, `null`).
    Constant,
    /// A function or command called (`requests.post`, `curl`).
    Function,
    /// A variable read (`$TOKEN`, `os.environ`).
    Variable,
    /// A parameter or option name (`--data`, `json=`).
    Parameter,
    /// A type or module name (`Client`, `HashMap`).
    Type,
}

impl Kind {
    /// Every kind, in the order of their discriminants.
    const ALL: [Kind; 12] = [
        Kind::Plain,
        Kind::Comment,
        Kind::Keyword,
        Kind::Operator,
        Kind::String,
        Kind::Escape,
        Kind::Number,
        Kind::Constant,
        Kind::Function,
        Kind::Variable,
        Kind::Parameter,
        Kind::Type,
    ];

    /// The scope stack the themes know this kind by.
    fn scope(self) -> &'static str {
        match self {
            Kind::Plain => "",
            Kind::Comment => "comment.line",
            Kind::Keyword => "keyword.control",
            Kind::Operator => "keyword.operator",
            Kind::String => "string.quoted.double",
            Kind::Escape => "string.quoted.double constant.character.escape",
            Kind::Number => "constant.numeric",
            Kind::Constant => "constant.language",
            Kind::Function => "entity.name.function",
            Kind::Variable => "variable.other.readwrite",
            Kind::Parameter => "entity.other.attribute-name",
            Kind::Type => "support.class",
        }
    }
}

/// A piece of code: where it ends (byte offset) and what it is.
pub type Token = (usize, Kind);

/// The tokens of shell code (the shell lexer is total).
pub(crate) fn shell_tokens(code: &str) -> Vec<Token> {
    lex::shell(code)
}

/// Highlights code blocks. Make one per process and share it.
pub struct Highlighter {
    /// syntect's syntaxes plus bat's extras, loaded on first use.
    syntaxes: OnceLock<SyntaxSet>,
    light: StyleHighlighter<'static>,
    dark: StyleHighlighter<'static>,
    /// Scope stack -> the classes of its style; most tokens hit this cache.
    classes: RwLock<rustc_hash::FxHashMap<Vec<Scope>, Arc<str>>>,
    /// The classes of each kind of lexed and written token.
    kinds: [Arc<str>; Kind::ALL.len()],
    /// syntect's HTML by (language, code), and its size in bytes.
    slow: RwLock<SlowMemo>,
}

/// Highlighted code by (language, code), and the bytes of HTML it holds.
type SlowMemo = (rustc_hash::FxHashMap<(String, String), Highlighted>, usize);

/// The most HTML the memo of syntect's results keeps.
const SLOW_MEMO_BYTES: usize = 4 << 20;

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

fn hex(c: Color) -> String {
    format!("{:02x}{:02x}{:02x}", c.r, c.g, c.b)
}

/// The class naming a style (`l-a71d5d-b`), or None for the theme's default.
fn class(prefix: char, style: Style, default: Color) -> Option<String> {
    let mut name = String::new();
    if style.foreground != default {
        name = format!("{prefix}-{}", hex(style.foreground));
    }
    for (flag, suffix) in [
        (FontStyle::BOLD, "b"),
        (FontStyle::ITALIC, "i"),
        (FontStyle::UNDERLINE, "u"),
    ] {
        if style.font_style.contains(flag) {
            if name.is_empty() {
                name = format!("{prefix}-x");
            }
            name.push('-');
            name.push_str(suffix);
        }
    }
    (!name.is_empty()).then_some(name)
}

impl Highlighter {
    /// Loads the syntax set (syntect's plus bat's extra syntaxes: TOML,
    /// TypeScript, PowerShell ...) and the two themes.
    pub fn new() -> Self {
        let mut themes = ThemeSet::load_defaults().themes;
        // A style highlighter borrows its theme; the two themes live as long
        // as the process (one Highlighter is made per process).
        let light: &'static Theme = Box::leak(Box::new(themes.remove(LIGHT).unwrap_or_default()));
        let dark: &'static Theme = Box::leak(Box::new(themes.remove(DARK).unwrap_or_default()));
        let mut highlighter = Highlighter {
            syntaxes: OnceLock::new(),
            light: StyleHighlighter::new(light),
            dark: StyleHighlighter::new(dark),
            classes: RwLock::new(rustc_hash::FxHashMap::default()),
            kinds: Default::default(),
            slow: RwLock::default(),
        };
        // Each kind's classes, once: tokens look them up without a lock.
        highlighter.kinds = Kind::ALL.map(|kind| {
            let stack: Vec<Scope> = kind
                .scope()
                .split_whitespace()
                .filter_map(|s| Scope::new(s).ok())
                .collect();
            highlighter.classes_for(&stack)
        });
        highlighter
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(two_face::syntax::extra_newlines)
    }

    fn find(&self, lang: &str) -> Option<&SyntaxReference> {
        let name = canonical(lang);
        let name = name.as_str();
        let syntaxes = self.syntaxes();
        syntaxes
            .find_syntax_by_token(name)
            .or_else(|| syntaxes.find_syntax_by_extension(name))
            .or_else(|| match name {
                "http" => syntaxes.find_syntax_by_name("HTTP Request and Response"),
                _ => None,
            })
    }

    /// Whether `lang` is highlighted (unknown languages are shown as plain text).
    pub fn knows(&self, lang: &str) -> bool {
        self.find(lang).is_some()
    }

    /// The code as HTML; plain escaped text for unknown languages.
    pub fn highlight(&self, code: &str, lang: &str) -> String {
        self.highlighted(code, lang).html
    }

    /// Code as HTML, with the classes it uses: JSON and shell through their
    /// lexers, everything else through syntect.
    pub fn highlighted(&self, code: &str, lang: &str) -> Highlighted {
        let name = canonical(lang);
        if matches!(name.as_str(), "" | "text" | "txt" | "plain" | "plaintext") {
            // Known to be plain: no need to load the syntax set.
            return Highlighted::plain(code);
        }
        if let Some(tokens) = lex::tokens(code, &name) {
            return self.highlighted_tokens(code, &tokens);
        }
        // syntect is slow, and the print page shows every block a second
        // time: remember its results (a few MiB at most).
        let key = (name.clone(), code.to_owned());
        if let Some(done) = self.slow.read().ok().and_then(|m| m.0.get(&key).cloned()) {
            return done;
        }
        let done = self.syntect_highlighted(code, &name);
        if let Ok(mut m) = self.slow.write() {
            if m.1 + done.html.len() <= SLOW_MEMO_BYTES {
                m.1 += done.html.len();
                m.0.insert(key, done.clone());
            }
        }
        done
    }

    /// Code whose tokens are known (a snippet stepdoc wrote) as HTML, with
    /// the classes it uses.
    pub fn highlighted_tokens(&self, code: &str, tokens: &[Token]) -> Highlighted {
        let mut spans = Spans::new(code.len());
        let mut pos = 0;
        for &(end, kind) in tokens {
            // Line by line: a whitespace-only line inside a token stays plain.
            for piece in code[pos..end].split_inclusive('\n') {
                spans.push(piece, || self.kinds[kind as usize].clone());
            }
            pos = end;
        }
        spans.finish()
    }

    fn syntect_highlighted(&self, code: &str, lang: &str) -> Highlighted {
        let Some(syntax) = self.find(lang) else {
            return Highlighted::plain(code);
        };
        let mut parse = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut spans = Spans::new(code.len());
        for line in LinesWithEndings::from(code) {
            let Ok(ops) = parse.parse_line(line, self.syntaxes()) else {
                return Highlighted::plain(code);
            };
            let mut pos = 0;
            for (end, op) in ops
                .iter()
                .map(|(e, op)| (*e, Some(op)))
                .chain(std::iter::once((line.len(), None)))
            {
                spans.push(&line[pos..end.max(pos)], || {
                    self.classes_for(stack.as_slice())
                });
                if let Some(op) = op {
                    if stack.apply(op).is_err() {
                        return Highlighted::plain(code);
                    }
                }
                pos = end.max(pos);
            }
        }
        spans.finish()
    }

    /// Whether the lexers here take `code` in `lang` (syntect is not used):
    /// always for shell, for valid JSON.
    pub fn is_fast(&self, code: &str, lang: &str) -> bool {
        lex::tokens(code, &canonical(lang)).is_some()
    }

    /// The classes for the style of `stack` in both themes (cached).
    fn classes_for(&self, stack: &[Scope]) -> Arc<str> {
        if let Some(c) = self.classes.read().ok().and_then(|m| m.get(stack).cloned()) {
            return c;
        }
        let light = class(
            'l',
            self.light.style_for_stack(stack),
            self.light.get_default().foreground,
        );
        let dark = class(
            'd',
            self.dark.style_for_stack(stack),
            self.dark.get_default().foreground,
        );
        let names: Vec<String> = [light, dark].into_iter().flatten().collect();
        let classes: Arc<str> = Arc::from(names.join(" "));
        if let Ok(mut m) = self.classes.write() {
            m.insert(stack.to_vec(), classes.clone());
        }
        classes
    }

    /// The stylesheets for exactly the classes `used`: (light, dark).
    pub fn stylesheets_for_classes(&self, used: &BTreeSet<&str>) -> (String, String) {
        // Each sheet applies when its scheme is in use: the system's, unless
        // the theme toggle chose one (`data-theme` on the root element).
        let sheet = |prefix: char, highlighter: &StyleHighlighter, name: &str, bg: (u8, u8, u8)| {
            let (scheme, other) = if prefix == 'l' {
                ("light", "dark")
            } else {
                ("dark", "light")
            };
            let fg = readable(&hex(highlighter.get_default().foreground), bg);
            let mut rules = format!(".code pre code {{ color: #{fg}; }}\n");
            for c in used.iter().filter(|c| c.starts_with(prefix)) {
                let mut parts = c.split('-').skip(1);
                let mut rule = String::new();
                if let Some(color) = parts.next().filter(|p| *p != "x") {
                    let _ = write!(rule, "color: #{}; ", readable(color, bg));
                }
                for p in parts {
                    rule.push_str(match p {
                        "b" => "font-weight: bold; ",
                        "i" => "font-style: italic; ",
                        "u" => "text-decoration: underline; ",
                        _ => "",
                    });
                }
                let _ = writeln!(rules, ".{c} {{ {}}}", rule);
            }
            let mut css = format!("/* generated by stepdoc from the syntect theme \"{name}\" */\n");
            let _ = write!(
                css,
                "@media (prefers-color-scheme: {scheme}) {{\n:root:not([data-theme=\"{other}\"]) {{\n{rules}}}\n}}\n:root[data-theme=\"{scheme}\"] {{\n{rules}}}\n"
            );
            css
        };
        (
            sheet('l', &self.light, LIGHT, LIGHT_BG),
            sheet('d', &self.dark, DARK, DARK_BG),
        )
    }
}

/// `lang` trimmed and in lower case, with aliases resolved (`py` ->
/// `python`): the one name both the lexers and syntect go by.
fn canonical(lang: &str) -> String {
    let lower = lang.trim().to_ascii_lowercase();
    match ALIASES.iter().find(|(alias, _)| *alias == lower) {
        Some((_, name)) => (*name).to_owned(),
        None => lower,
    }
}

/// Highlighted code: the HTML and the class lists its spans use (each is
/// `l-…` and/or `d-…`), so a page knows its stylesheet needs without
/// reading its HTML again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlighted {
    /// The HTML.
    pub html: String,
    /// The `class` attribute values used, once each.
    pub classes: Vec<Arc<str>>,
}

impl Highlighted {
    /// Text with no highlighting.
    fn plain(code: &str) -> Highlighted {
        Highlighted {
            html: escape(code),
            classes: Vec::new(),
        }
    }
}

/// Highlighted HTML under construction: runs of text with the same classes
/// share one `<span>`; whitespace-only text is never wrapped.
struct Spans {
    out: String,
    classes: Arc<str>,
    text: String,
    /// No classes (shared, so whitespace costs no allocation).
    plain: Arc<str>,
    /// Every class list used, once each.
    used: Vec<Arc<str>>,
}

impl Spans {
    fn new(len: usize) -> Self {
        let plain: Arc<str> = Arc::from("");
        Spans {
            out: String::with_capacity(len * 2),
            classes: plain.clone(),
            text: String::new(),
            plain,
            used: Vec::new(),
        }
    }

    /// Appends `text` with the classes `classes()` gives (not asked for
    /// whitespace).
    fn push(&mut self, text: &str, classes: impl FnOnce() -> Arc<str>) {
        if text.is_empty() {
            return;
        }
        let classes = if text.trim().is_empty() {
            self.plain.clone()
        } else {
            classes()
        };
        if classes != self.classes {
            self.flush();
            self.classes = classes;
        }
        escape_into(text, &mut self.text);
    }

    fn flush(&mut self) {
        if self.text.is_empty() {
            return;
        }
        if self.classes.is_empty() {
            self.out.push_str(&self.text);
        } else {
            let _ = write!(
                self.out,
                "<span class=\"{}\">{}</span>",
                self.classes, self.text
            );
            if !self.used.contains(&self.classes) {
                self.used.push(self.classes.clone());
            }
        }
        self.text.clear();
    }

    fn finish(mut self) -> Highlighted {
        self.flush();
        Highlighted {
            html: self.out,
            classes: self.used,
        }
    }
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
            "powershell",
        ] {
            assert!(h.knows(lang), "no syntax for {lang}");
        }
    }

    #[test]
    fn output_uses_classes_and_keeps_text() {
        let h = Highlighter::new();
        let code = "{\"a\": \"<b>\", \"n\": 1}\n";
        let html = h.highlight(code, "json");
        assert!(html.contains("class=\"l-"), "{html}");
        assert!(!html.contains("style="));
        let text: String = html
            .split('<')
            .map(|s| s.split_once('>').map_or(s, |(_, t)| t))
            .collect();
        assert_eq!(
            text.replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">"),
            code
        );
        assert_eq!(h.highlight("<x>", "nosuchlang"), "&lt;x&gt;");
    }

    /// Each kind's classes are looked up by its discriminant in `ALL`.
    #[test]
    fn every_kind_stands_at_its_own_index() {
        for (i, kind) in Kind::ALL.iter().enumerate() {
            assert_eq!(*kind as usize, i, "{kind:?}");
        }
    }

    #[test]
    fn stylesheets_cover_the_classes_used() {
        let h = Highlighter::new();
        let highlighted = h.highlighted("fn main() { let x = \"s\"; }\n", "rust");
        let html = highlighted.html;
        let used: BTreeSet<&str> = highlighted
            .classes
            .iter()
            .flat_map(|l| l.split(' '))
            .collect();
        assert!(!used.is_empty());
        let (light, dark) = h.stylesheets_for_classes(&used);
        for class in html
            .split("class=\"")
            .skip(1)
            .flat_map(|s| s.split('"').next().unwrap_or("").split(' '))
        {
            let sheet = if class.starts_with('l') {
                &light
            } else {
                &dark
            };
            assert!(
                sheet.contains(&format!(".{class} {{")),
                "no rule for {class}"
            );
        }
        assert_ne!(light, dark);
    }
}
