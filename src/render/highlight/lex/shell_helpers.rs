//! The shell functions stepdoc's snippets define to place a value
//! (`urlencode`, `json_escape`; see `render::snippets::curl`) and the calls
//! to them, with the scopes syntect's Bash grammar gives them: the shell
//! lexer knows these lines because stepdoc writes them.

use crate::render::snippets::JSON_AWK;

/// `urlencode() { … }`, token by token.
const URLENCODE_DEF: &[(&str, &str)] = &[
    ("urlencode", "source.shell.bash meta.function.shell entity.name.function.shell"),
    ("(", "source.shell.bash meta.function.shell punctuation.section.parens.begin.shell"),
    (")", "source.shell.bash meta.function.shell punctuation.section.parens.end.shell"),
    (" ", "source.shell.bash meta.function.shell"),
    ("{", "source.shell.bash meta.function.shell punctuation.section.braces.begin.shell"),
    (" ", "source.shell.bash meta.function.shell"),
    ("printf", "source.shell.bash meta.function.shell meta.function-call.shell support.function.printf.shell"),
    (" ", "source.shell.bash meta.function.shell meta.function-call.arguments.shell"),
    ("%", "source.shell.bash meta.function.shell meta.function-call.arguments.shell meta.group.expansion.job.shell punctuation.definition.variable.job.shell"),
    ("s", "source.shell.bash meta.function.shell meta.function-call.arguments.shell meta.group.expansion.job.shell variable.other.readwrite.shell"),
    (" ", "source.shell.bash meta.function.shell meta.function-call.arguments.shell"),
    ("\"", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.double.shell punctuation.definition.string.begin.shell"),
    ("$", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.parameter.shell punctuation.definition.variable.shell"),
    ("1", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.parameter.shell variable.other.readwrite.shell"),
    ("\"", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.double.shell punctuation.definition.string.end.shell"),
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
    (";", "source.shell.bash meta.function.shell keyword.operator.logical.continue.shell"),
    (" ", "source.shell.bash meta.function.shell"),
    ("}", "source.shell.bash meta.function.shell punctuation.section.braces.end.shell"),
    ("\n", "source.shell.bash"),
];

/// `json_escape() { … }`, token by token.
const JSON_ESCAPE_DEF: &[(&str, &str)] = &[
    ("json_escape", "source.shell.bash meta.function.shell entity.name.function.shell"),
    ("(", "source.shell.bash meta.function.shell punctuation.section.parens.begin.shell"),
    (")", "source.shell.bash meta.function.shell punctuation.section.parens.end.shell"),
    (" ", "source.shell.bash meta.function.shell"),
    ("{", "source.shell.bash meta.function.shell punctuation.section.braces.begin.shell"),
    (" ", "source.shell.bash meta.function.shell"),
    ("printf", "source.shell.bash meta.function.shell meta.function-call.shell support.function.printf.shell"),
    (" ", "source.shell.bash meta.function.shell meta.function-call.arguments.shell"),
    ("'", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell punctuation.definition.string.begin.shell"),
    ("%s\\n", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell"),
    ("'", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell punctuation.definition.string.end.shell"),
    (" ", "source.shell.bash meta.function.shell meta.function-call.arguments.shell"),
    ("\"", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.double.shell punctuation.definition.string.begin.shell"),
    ("$", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.parameter.shell punctuation.definition.variable.shell"),
    ("1", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.parameter.shell variable.other.readwrite.shell"),
    ("\"", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.double.shell punctuation.definition.string.end.shell"),
    (" ", "source.shell.bash meta.function.shell"),
    ("|", "source.shell.bash meta.function.shell keyword.operator.logical.pipe.shell"),
    (" ", "source.shell.bash meta.function.shell"),
    ("awk", "source.shell.bash meta.function.shell meta.function-call.shell variable.function.shell"),
    (" ", "source.shell.bash meta.function.shell meta.function-call.arguments.shell"),
    ("'", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell punctuation.definition.string.begin.shell"),
    (JSON_AWK, "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell"),
    ("'", "source.shell.bash meta.function.shell meta.function-call.arguments.shell string.quoted.single.shell punctuation.definition.string.end.shell"),
    (";", "source.shell.bash meta.function.shell keyword.operator.logical.continue.shell"),
    (" ", "source.shell.bash meta.function.shell"),
    ("}", "source.shell.bash meta.function.shell punctuation.section.braces.end.shell"),
    ("\n", "source.shell.bash"),
];

/// `$(urlencode "$` before a variable's name inside a double-quoted word.
const URLENCODE_CALL: &[(&str, &str)] = &[
    ("$", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell punctuation.definition.variable.shell"),
    ("(", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell punctuation.section.parens.begin.shell"),
    ("urlencode", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell meta.function-call.shell variable.function.shell"),
    (" ", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell meta.function-call.arguments.shell"),
    ("\"", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell meta.function-call.arguments.shell string.quoted.double.shell punctuation.definition.string.begin.shell"),
    ("$", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.parameter.shell punctuation.definition.variable.shell"),
];

/// `$(json_escape "$` before a variable's name inside a double-quoted word.
const JSON_ESCAPE_CALL: &[(&str, &str)] = &[
    ("$", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell punctuation.definition.variable.shell"),
    ("(", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell punctuation.section.parens.begin.shell"),
    ("json_escape", "source.shell.bash meta.function-call.arguments.shell string.quoted.double.shell meta.group.expansion.command.parens.shell meta.function-call.shell variable.function.shell"),
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

/// The definitions a snippet may start with.
pub(super) const DEFINITIONS: [&[(&str, &str)]; 2] = [URLENCODE_DEF, JSON_ESCAPE_DEF];

/// The calls a double-quoted word may hold.
pub(super) const CALLS: [&[(&str, &str)]; 2] = [URLENCODE_CALL, JSON_ESCAPE_CALL];
