//! Values of the same shape as another: a pseudonym for an identifier in
//! a recording (`record`), a fresh token or id the mock issues in place of
//! a recorded one (`mock`). Prefixes such as `cus_` are kept, hex stays
//! lowercase hex, digits stay digits, letters keep their case.

/// The meaningful prefix of an identifier: the leading words of letters
/// each followed by `_` or `-` (`cus_`, `pi_`, `sk_test_`); none for a hex
/// id (`ee7d…`, UUIDs), whose letters are random.
fn prefix_len(original: &str) -> usize {
    let hex = original.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if hex {
        return 0;
    }
    let mut len = 0;
    let mut rest = original;
    while let Some(end) = rest.find(['_', '-']) {
        let word = &rest[..end];
        if word.is_empty()
            || !word.chars().all(|c| c.is_ascii_alphabetic())
            || end + 1 == rest.len()
        {
            break;
        }
        len += end + 1;
        rest = &rest[end + 1..];
    }
    len
}

/// A value of the same shape as `original` (its prefix such as `cus_`
/// kept, hex stays lowercase hex, digits stay digits, letters keep their
/// case, everything else is kept), derived from `n` only, so the same
/// recording order gives the same pseudonyms.
pub(crate) fn pseudonym(original: &str, n: u64) -> String {
    let keep = prefix_len(original);
    let (prefix, original) = original.split_at(keep);
    let mut state = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let hex = original.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        && !original.chars().any(|c| c.is_ascii_uppercase());
    let random: String = original
        .chars()
        .map(|c| {
            let r = next();
            if hex && c.is_ascii_hexdigit() {
                char::from_digit((r % 16) as u32, 16).unwrap_or('0')
            } else if c.is_ascii_digit() {
                char::from(b'0' + (r % 10) as u8)
            } else if c.is_ascii_lowercase() {
                char::from(b'a' + (r % 26) as u8)
            } else if c.is_ascii_uppercase() {
                char::from(b'A' + (r % 26) as u8)
            } else {
                c
            }
        })
        .collect();
    format!("{prefix}{random}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_keep_an_identifiers_prefix() {
        for id in [
            "cus_cf28bccd66",
            "pi_dfe3374ff9",
            "evt_1A2b3C",
            "sk_test_abc123",
            "user-9f8e7d",
        ] {
            let p = pseudonym(id, 7);
            let keep = &id[..id.rfind(['_', '-']).unwrap() + 1];
            assert!(p.starts_with(keep), "{id} -> {p}");
            assert_ne!(p, id);
            assert_eq!(p.len(), id.len());
        }
        // A hex id has no prefix: all of it is random.
        let uuid = "ee7ddbd1-7849-4220-bb18-4791783f4f63";
        assert!(!pseudonym(uuid, 7).starts_with("ee7ddbd1-"));
    }

    #[test]
    fn pseudonyms_depend_only_on_order() {
        assert_eq!(pseudonym("abc123", 0), pseudonym("def456", 0));
        assert_ne!(pseudonym("abc123", 0), pseudonym("abc123", 1));
    }
}
