//! The shell functions stepdoc's snippets define to place a value
//! (`urlencode`, `json_escape`; see `render::snippets::curl`) and the calls
//! to them, with the scopes syntect's Bash grammar gives them: the shell
//! lexer knows these lines because stepdoc writes them.

use crate::render::snippets::JSON_AWK;

/// The scope of a helper's name where it is defined.
const FN_NAME: &str = "source.shell.bash meta.function.shell entity.name.function.shell";

/// `() { ` after a helper's name.
const FN_OPEN: &[(&str, &str)] = &[
    (
        "(",
        "source.shell.bash meta.function.shell punctuation.section.parens.begin.shell",
    ),
    (
        ")",
        "source.shell.bash meta.function.shell punctuation.section.parens.end.shell",
    ),
    (" ", "source.shell.bash meta.function.shell"),
    (
        "{",
        "source.shell.bash meta.function.shell punctuation.section.braces.begin.shell",
    ),
    (" ", "source.shell.bash meta.function.shell"),
];

/// `; }` and the line's end.
const FN_CLOSE: &[(&str, &str)] = &[
    (
        ";",
        "source.shell.bash meta.function.shell keyword.operator.logical.continue.shell",
    ),
    (" ", "source.shell.bash meta.function.shell"),
    (
        "}",
        "source.shell.bash meta.function.shell punctuation.section.braces.end.shell",
    ),
    ("\n", "source.shell.bash"),
];

/// `"$1"`: the helper's argument.
const DOLLAR_ONE: &[(&str, &str)] = &[
    ("\"", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.double.shell punctuation.definition.string.begin.shell"),
    ("$", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.parameter.shell punctuation.definition.variable.shell"),
    ("1", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.parameter.shell variable.other.readwrite.shell"),
    ("\"", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.double.shell punctuation.definition.string.end.shell"),
];

/// `printf %s ` in `urlencode`.
const URLENCODE_BEFORE: &[(&str, &str)] = &[
    ("printf", "source.shell.bash meta.function.shell meta.function-call.shell support.function.printf.shell"),
    (" ", "source.shell.bash meta.function.shell meta.function-call.arguments.shell"),
    ("%", "source.shell.bash meta.function.shell meta.function-call.arguments.shell meta.group.expansion.job.shell punctuation.definition.variable.job.shell"),
    ("s", "source.shell.bash meta.function.shell meta.function-call.arguments.shell meta.group.expansion.job.shell variable.other.readwrite.shell"),
    (" ", "source.shell.bash meta.function.shell meta.function-call.arguments.shell"),
];

/// ` | od … | sed …` in `urlencode`.
const URLENCODE_AFTER: &[(&str, &str)] = &[
    (" ", "source.shell.bash meta.function.shell"),
    ("|", "source.shell.bash meta.function.shell keyword.operator.logical.pipe.shell"),
    (" ", "source.shell.bash meta.function.shell"),
    ("od", "source.shell.bash meta.function.shell meta.function-call.shell variable.function.shell"),
    (" -", "source.shell.bash meta.function.shell meta.function-call.arguments.shell variable.parameter.option.shell punctuation.definition.parameter.shell"),
    ("An", "source.shell.bash meta.function.shell meta.function-call.arguments.shell variable.parameter.option.shell"),
    (" -", "source.shell.bash meta.function.shell meta.function-call.arguments.shell variable.parameter.option.shell punctuation.definition.parameter.shell"),
    ("v", "source.shell.bash meta.function.shell meta.function-call.arguments.shell variable.parameter.option.shell"),
    (" -", "source.shell.bash meta.function.shell meta.function-call.arguments.shell variable.parameter.option.shell punctuation.definition.parameter.shell"),
    ("tx1", "source.shell.bash meta.function.shell meta.function-call.arguments.shell variable.parameter.option.shell"),
    (" ", "source.shell.bash meta.function.shell"),
    ("|", "source.shell.bash meta.function.shell keyword.operator.logical.pipe.shell"),
    (" ", "source.shell.bash meta.function.shell"),
    ("tr", "source.shell.bash meta.function.shell meta.function-call.shell variable.function.shell"),
    (" -", "source.shell.bash meta.function.shell meta.function-call.arguments.shell variable.parameter.option.shell punctuation.definition.parameter.shell"),
    ("d", "source.shell.bash meta.function.shell meta.function-call.arguments.shell variable.parameter.option.shell"),
    (" ", "source.shell.bash meta.function.shell meta.function-call.arguments.shell"),
    ("'", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell punctuation.definition.string.begin.shell"),
    (" \\n", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell"),
    ("'", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell punctuation.definition.string.end.shell"),
    (" ", "source.shell.bash meta.function.shell"),
    ("|", "source.shell.bash meta.function.shell keyword.operator.logical.pipe.shell"),
    (" ", "source.shell.bash meta.function.shell"),
    ("sed", "source.shell.bash meta.function.shell meta.function-call.shell variable.function.shell"),
    (" ", "source.shell.bash meta.function.shell meta.function-call.arguments.shell"),
    ("'", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell punctuation.definition.string.begin.shell"),
    ("s/../%&/g", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell"),
    ("'", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell punctuation.definition.string.end.shell"),
];

/// `printf '%s\n' ` in `json_escape`.
const JSON_ESCAPE_BEFORE: &[(&str, &str)] = &[
    ("printf", "source.shell.bash meta.function.shell meta.function-call.shell support.function.printf.shell"),
    (" ", "source.shell.bash meta.function.shell meta.function-call.arguments.shell"),
    ("'", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell punctuation.definition.string.begin.shell"),
    ("%s\\n", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell"),
    ("'", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell punctuation.definition.string.end.shell"),
    (" ", "source.shell.bash meta.function.shell meta.function-call.arguments.shell"),
];

/// ` | awk '…'` in `json_escape`.
const JSON_ESCAPE_AFTER: &[(&str, &str)] = &[
    (" ", "source.shell.bash meta.function.shell"),
    ("|", "source.shell.bash meta.function.shell keyword.operator.logical.pipe.shell"),
    (" ", "source.shell.bash meta.function.shell"),
    ("awk", "source.shell.bash meta.function.shell meta.function-call.shell variable.function.shell"),
    (" ", "source.shell.bash meta.function.shell meta.function-call.arguments.shell"),
    ("'", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell punctuation.definition.string.begin.shell"),
    (JSON_AWK, "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell"),
    ("'", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell punctuation.definition.string.end.shell"),
];

/// `$(` before a call's helper name, inside a double-quoted word.
const CALL_OPEN: &[(&str, &str)] = &[
    ("$", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell punctuation.definition.variable.shell"),
    ("(", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell punctuation.section.parens.begin.shell"),
];

/// The scope of a helper's name where it is called.
const CALL_FN: &str = "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell meta.function-call.shell variable.function.shell";

/// ` "$` between a call's helper name and the variable's name.
const CALL_ARG: &[(&str, &str)] = &[
    (" ", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell meta.function-call.arguments.shell"),
    ("\"", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell meta.function-call.arguments.shell string.quoted.double.shell punctuation.definition.string.begin.shell"),
    ("$", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.parameter.shell punctuation.definition.variable.shell"),
];

/// The variable's name in a call.
pub(super) const CALL_NAME: &str = "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.parameter.shell variable.other.readwrite.shell";

/// `")` after the name.
pub(super) const CALL_TAIL: &[(&str, &str)] = &[
    ("\"", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell meta.function-call.arguments.shell string.quoted.double.shell punctuation.definition.string.end.shell"),
    (")", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell punctuation.section.parens.end.shell"),
];

/// A helper: its name and the pieces of its definition's line.
pub(super) struct Helper {
    pub name: &'static str,
    pub definition: &'static [&'static [(&'static str, &'static str)]],
}

impl Helper {
    /// The definition's text.
    pub fn text(&self) -> String {
        let pieces = self
            .definition
            .iter()
            .flat_map(|p| p.iter().map(|(t, _)| *t));
        std::iter::once(self.name).chain(pieces).collect()
    }
}

/// The helpers a snippet may define and call.
pub(super) const HELPERS: [Helper; 2] = [
    Helper {
        name: "urlencode",
        definition: &[
            FN_OPEN,
            URLENCODE_BEFORE,
            DOLLAR_ONE,
            URLENCODE_AFTER,
            FN_CLOSE,
        ],
    },
    Helper {
        name: "json_escape",
        definition: &[
            FN_OPEN,
            JSON_ESCAPE_BEFORE,
            DOLLAR_ONE,
            JSON_ESCAPE_AFTER,
            FN_CLOSE,
        ],
    },
];

/// Emits a helper's definition line.
pub(super) fn define(helper: &Helper, emit: &mut dyn FnMut(&str, &'static str)) {
    emit(helper.name, FN_NAME);
    for (text, scope) in helper.definition.iter().flat_map(|p| p.iter()) {
        emit(text, scope);
    }
}

/// The text of a call to `helper` up to the variable's name: `$(urlencode "$`.
pub(super) fn call_text(helper: &Helper) -> String {
    let open = CALL_OPEN.iter().map(|(t, _)| *t);
    let arg = CALL_ARG.iter().map(|(t, _)| *t);
    open.chain(std::iter::once(helper.name))
        .chain(arg)
        .collect()
}

/// `$(` and the helper's name of a call to `helper`.
pub(super) fn call_head(helper: &Helper, emit: &mut dyn FnMut(&str, &'static str)) {
    for (text, scope) in CALL_OPEN {
        emit(text, scope);
    }
    emit(helper.name, CALL_FN);
    for (text, scope) in CALL_ARG {
        emit(text, scope);
    }
}
