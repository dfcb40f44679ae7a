//! Where a value is in JSON text: the 1-based line and column of the value
//! a JSON Pointer names, so that a problem found in a parsed sample or
//! snapshot is reported at its place in the file. The text has parsed as
//! JSON already; this scanner only walks it.

/// The (line, column) of the value at `pointer` (`/accounts/0/id`, `""`
/// for the whole document) in `text`; the nearest enclosing value that
/// exists when the pointer goes further than the text.
pub(crate) fn locate(text: &str, pointer: &str) -> (usize, usize) {
    let keys: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|k| k.replace("~1", "/").replace("~0", "~"))
        .collect();
    let bytes = text.as_bytes();
    let mut at = skip_ws(bytes, 0);
    for key in &keys {
        match find_child(text, at, key) {
            Some(next) => at = next,
            None => break,
        }
    }
    line_col(text, at)
}

fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The offset of member `key` (or element `key`) of the container at `at`.
fn find_child(text: &str, at: usize, key: &str) -> Option<usize> {
    let b = text.as_bytes();
    let open = *b.get(at)?;
    if open != b'{' && open != b'[' {
        return None;
    }
    let index: Option<usize> = (open == b'[').then(|| key.parse().ok()).flatten();
    let mut i = skip_ws(b, at + 1);
    let mut n = 0;
    while i < b.len() && b[i] != b'}' && b[i] != b']' {
        if open == b'{' {
            let end = string_end(b, i)?;
            let name: String = serde_json::from_str(&text[i..end]).ok()?;
            i = skip_ws(b, end);
            i = skip_ws(b, i + 1); // ':'
            if name == key {
                return Some(i);
            }
        } else if index == Some(n) {
            return Some(i);
        }
        i = skip_ws(b, value_end(b, i)?);
        if b.get(i) == Some(&b',') {
            i = skip_ws(b, i + 1);
        }
        n += 1;
    }
    None
}

/// The offset just past the string that starts at `i`.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// The offset just past the value that starts at `i`.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace()
            {
                j += 1;
            }
            Some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn pointers_land_on_their_values() {
        let text = "{\n  \"a\": [1, {\"b\": \"x\\\"}\"}],\n  \"c/d\": {\"e\": null}\n}\n";
        assert_eq!(locate(text, ""), (1, 1));
        assert_eq!(locate(text, "/a"), (2, 8));
        assert_eq!(locate(text, "/a/1/b"), (2, 18));
        assert_eq!(locate(text, "/c~1d/e"), (3, 16));
        assert_eq!(
            locate(text, "/c~1d/missing"),
            (3, 10),
            "the nearest existing value"
        );
    }
}
