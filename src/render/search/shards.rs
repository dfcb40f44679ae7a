//! The sharded search index of a large walkthrough: terms grouped by their
//! first two characters into one script each (`search/s-<hex>.js`), a
//! manifest naming the shards (`search/index.js`), and the steps' titles in
//! chunks (`search/d-<k>.js`) for results no shard describes. A one-word
//! query loads the manifest and one shard: every term there has its
//! postings (step, score), and its best [`SHOWN`] steps come with what a
//! result shows (title, address, anchor, a snippet of the matching text),
//! so the results need nothing else. Every file is a script that hands its
//! data to `window.STEPDOC_SEARCH_LOADED`, so it loads from `file://` too.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::{script_json, Doc};
use crate::content::Site;

/// How many steps per term carry what a result shows.
const SHOWN: usize = 8;

/// Steps per title chunk (`d-<k>.js`).
const CHUNK: usize = 200;

/// The longest term indexed, in characters.
const MAX_TERM: usize = 40;

/// Weights of the places a term occurs, once each.
const TITLE: u16 = 10;
const HEADING: u16 = 5;
const REQUEST: u16 = 3;
const TEXT: u16 = 1;

/// The shard a term belongs to: its first two characters.
fn prefix(term: &str) -> &str {
    let end = term.char_indices().nth(2).map_or(term.len(), |(i, _)| i);
    &term[..end]
}

/// A step's terms (runs of letters and digits, lowercased) with their
/// score and the anchor of the first heading or
/// request card they occur in (an index into [`anchors`]).
fn doc_terms(doc: &Doc) -> HashMap<String, (u16, Option<u16>)> {
    let places: Vec<(String, (u16, u8), Option<u16>)> = std::iter::once((doc.t, (TITLE, 1), None))
        .chain(
            doc.h
                .iter()
                .enumerate()
                .map(|(i, (h, _))| (h.as_str(), (HEADING, 2), Some(i as u16))),
        )
        .chain(
            doc.r
                .iter()
                .enumerate()
                .map(|(i, (r, _))| (r.as_str(), (REQUEST, 4), Some((doc.h.len() + i) as u16))),
        )
        .chain(std::iter::once((doc.x.as_str(), (TEXT, 8), None)))
        .map(|(text, w, a)| (lowercase(text), w, a))
        .collect();
    // Per term: score, anchor, and the places (bits) counted already.
    let mut out: HashMap<&str, (u16, Option<u16>, u8)> = HashMap::default();
    for (text, (weight, bit), anchor) in &places {
        words(text, |term| {
            let e = out.entry(term).or_insert((0, None, 0));
            if e.2 & bit == 0 {
                e.0 += weight;
                e.1 = e.1.or(*anchor);
                e.2 |= bit;
            }
        });
    }
    out.into_iter()
        .map(|(t, (s, a, _))| (t.to_owned(), (s, a)))
        .collect()
}

/// `text` lowercased; ASCII (most of an API walkthrough) the fast way.
fn lowercase(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

/// Calls `f` with each term of lowercased `text`: runs of letters and
/// digits (as the page's script splits a query), at most [`MAX_TERM`]
/// characters. ASCII is split byte by byte; a run with other characters
/// by their classes.
fn words<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
    let mut keep = |t: &'t str| {
        if !t.is_empty() && (t.len() <= MAX_TERM || t.chars().count() <= MAX_TERM) {
            f(t);
        }
    };
    for run in text.split(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric()) {
        if run.is_ascii() {
            keep(run);
        } else {
            run.split(|c: char| !c.is_alphanumeric())
                .for_each(&mut keep);
        }
    }
}

/// A step's anchors: its headings', then its request cards'.
fn anchors(doc: &Doc) -> Vec<String> {
    doc.h.iter().chain(&doc.r).map(|(_, a)| a.clone()).collect()
}

/// What a result shows of a step: number, title, address.
#[derive(Serialize, Clone)]
struct Shown<'a>(usize, &'a str, String);

/// A term's postings: its shown steps (id, score, anchor, snippet), best
/// first, then every other step by score, each score with its steps' ids
/// as ranges (see [`ranges`]): a word on every page costs a few bytes.
#[derive(Serialize)]
struct Postings(Vec<(u32, u16, String, String)>, Vec<(u16, String)>);

/// A shard: its terms' postings, and what its shown steps show.
#[derive(Serialize, Default)]
struct Shard<'a> {
    t: BTreeMap<String, Postings>,
    d: BTreeMap<u32, Shown<'a>>,
}

/// Sorted ids as `a-b` runs and single ids, in base 36, comma-separated:
/// `0-3u,3w` is 0 to 138 and 140.
fn ranges(ids: &[u32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < ids.len() {
        let mut j = i;
        while j + 1 < ids.len() && ids[j + 1] == ids[j] + 1 {
            j += 1;
        }
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&base36(ids[i]));
        if j > i {
            out.push('-');
            out.push_str(&base36(ids[j]));
        }
        i = j + 1;
    }
    out
}

fn base36(mut n: u32) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(char::from_digit(n % 36, 36).unwrap_or('0'));
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().collect()
}

/// A posting while the index is made: step id, score, anchor index
/// (`NO_ANCHOR` for none).
type Raw = (u32, u16, u16);
const NO_ANCHOR: u16 = u16::MAX;

/// Every term's postings, made a chunk of steps at a time so no step's
/// terms outlive their merge: term ids, their text, their postings best
/// first, and each step's anchors and what it shows.
#[derive(Default)]
struct Building<'a> {
    ids: HashMap<String, u32>,
    terms: Vec<String>,
    lists: Vec<Vec<Raw>>,
    anchors: Vec<Vec<String>>,
    shown: Vec<Shown<'a>>,
    /// Each step's text (for snippets): no more than a one-file index holds.
    texts: Vec<String>,
}

/// Steps indexed in parallel per chunk.
const BATCH: usize = 256;

fn postings(site: &Site) -> Building<'_> {
    let mut p = Building::default();
    for (c, batch) in site.steps.chunks(BATCH).enumerate() {
        let done: Vec<_> = batch
            .par_iter()
            .enumerate()
            .map(|(i, step)| {
                let doc = Doc::new(c * BATCH + i, step);
                let terms: Vec<(String, u16, u16)> = doc_terms(&doc)
                    .into_iter()
                    .map(|(t, (s, a))| (t, s, a.unwrap_or(NO_ANCHOR)))
                    .collect();
                let shown = Shown(doc.n, doc.t, doc.u.clone());
                (shown, anchors(&doc), terms, doc.x)
            })
            .collect();
        for (shown, anchors, terms, text) in done {
            let id = p.shown.len() as u32;
            p.shown.push(shown);
            p.texts.push(text);
            p.anchors.push(anchors);
            for (term, score, anchor) in terms {
                let t = match p.ids.get(&term) {
                    Some(&t) => t,
                    None => {
                        let t = p.terms.len() as u32;
                        p.ids.insert(term.clone(), t);
                        p.terms.push(term);
                        p.lists.push(Vec::new());
                        t
                    }
                };
                p.lists[t as usize].push((id, score, anchor));
            }
        }
    }
    for list in &mut p.lists {
        list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    p
}

/// The manifest and every shard and title chunk, as (path relative to the
/// language's home, text).
pub(super) fn files(site: &Site) -> Vec<(String, String)> {
    let p = postings(site);
    let snippets = snippets(&p);
    let mut by_prefix: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (t, term) in p.terms.iter().enumerate() {
        by_prefix.entry(prefix(term)).or_default().push(t as u32);
    }
    let mut files = Vec::with_capacity(by_prefix.len() + p.shown.len() / CHUNK + 2);
    let names: Vec<&&str> = by_prefix.keys().collect();
    files.push((
        super::SHARDED_INDEX.to_owned(),
        format!(
            "window.STEPDOC_SEARCH_MANIFEST = {};\n",
            script_json(&serde_json::json!({ "s": names, "c": CHUNK }))
        ),
    ));
    let shards: Vec<(&str, Vec<u32>)> = by_prefix.into_iter().collect();
    files.par_extend(shards.par_iter().map(|(pre, ids)| {
        let mut shard = Shard::default();
        for &t in ids {
            shard_term(&p, &snippets, t, &mut shard);
        }
        let key = format!("s-{}", hex(pre));
        (format!("search/{key}.js"), loaded(&key, &shard))
    }));
    for (k, chunk) in p.shown.chunks(CHUNK).enumerate() {
        let key = format!("d-{k}");
        files.push((format!("search/{key}.js"), loaded(&key, &chunk)));
    }
    files
}

/// Term `t`'s postings into `shard`, and what its shown steps show.
fn shard_term<'a>(
    p: &Building<'a>,
    snippets: &HashMap<(u32, u32), String>,
    t: u32,
    shard: &mut Shard<'a>,
) {
    let (term, list) = (&p.terms[t as usize], &p.lists[t as usize]);
    let mut shown = Vec::with_capacity(SHOWN);
    for &(id, score, anchor) in list.iter().take(SHOWN) {
        let anchors = &p.anchors[id as usize];
        let anchor = anchors.get(anchor as usize).cloned().unwrap_or_default();
        let snippet = snippets.get(&(id, t)).cloned().unwrap_or_default();
        shown.push((id, score, anchor, snippet));
        shard.d.insert(id, p.shown[id as usize].clone());
    }
    let mut by_score: BTreeMap<u16, Vec<u32>> = BTreeMap::new();
    for &(id, score, _) in list.iter().skip(SHOWN) {
        by_score.entry(score).or_default().push(id);
    }
    let rest = by_score
        .into_iter()
        .rev()
        .map(|(score, mut ids)| {
            ids.sort_unstable();
            (score, ranges(&ids))
        })
        .collect();
    shard.t.insert(term.clone(), Postings(shown, rest));
}

/// A script that hands `data` to the page as the file `key`.
fn loaded(key: &str, data: &impl Serialize) -> String {
    format!(
        "window.STEPDOC_SEARCH_LOADED({}, {});\n",
        script_json(&key),
        script_json(data)
    )
}

/// The bytes of `s` in hexadecimal: a file name for any prefix.
fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// For each shown (step, term id): the text around the term's first
/// occurrence in the step's text.
fn snippets(p: &Building) -> HashMap<(u32, u32), String> {
    let mut wanted: HashMap<u32, Vec<u32>> = HashMap::default();
    for (t, list) in p.lists.iter().enumerate() {
        for &(id, _, _) in list.iter().take(SHOWN) {
            wanted.entry(id).or_default().push(t as u32);
        }
    }
    let wanted: Vec<(u32, Vec<u32>)> = wanted.into_iter().collect();
    wanted
        .par_iter()
        .flat_map_iter(|(id, terms)| {
            let text = &p.texts[*id as usize];
            let lower = text.to_lowercase();
            // (Lowercasing may change lengths; then the lowercase text is shown.)
            let source = if lower.len() == text.len() {
                text
            } else {
                &lower
            };
            terms
                .iter()
                .filter_map(|&t| {
                    let at = lower.find(p.terms[t as usize].as_str())?;
                    Some(((*id, t), around(source, at)))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// About 40 bytes before `at` and 80 after, on character boundaries, with
/// `…` where the text goes on.
fn around(text: &str, at: usize) -> String {
    let mut start = at.saturating_sub(40);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 80).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    format!(
        "{}{}{}",
        if start > 0 { "…" } else { "" },
        &text[start..end],
        if end < text.len() { "…" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_lowercase_runs_of_letters_and_digits_scored_once_per_place() {
        let doc = Doc {
            u: "a/index.html".into(),
            n: 1,
            t: "Create a USER",
            h: vec![("User fields".into(), "user-fields".into())],
            r: vec![("Create POST /api/v1/user".into(), "request-create".into())],
            x: "Ærø's kontoen: user, user".into(),
        };
        let mut t: Vec<(String, (u16, Option<u16>))> = doc_terms(&doc).into_iter().collect();
        t.sort();
        let get = |w: &str| t.iter().find(|(k, _)| k == w).map(|(_, v)| *v);
        assert_eq!(
            get("user"),
            Some((TITLE + HEADING + REQUEST + TEXT, Some(0)))
        );
        assert_eq!(get("post"), Some((REQUEST, Some(1))));
        assert_eq!(get("ærø"), Some((TEXT, None)));
        assert_eq!(get("v1"), Some((REQUEST, Some(1))));
        assert_eq!(prefix("ærø"), "ær");
        assert_eq!(prefix("a"), "a");
    }

    #[test]
    fn ids_are_runs_in_base_36() {
        assert_eq!(ranges(&[0, 1, 2, 3, 5, 36, 37]), "0-3,5,10-11");
        assert_eq!(ranges(&[]), "");
    }

    #[test]
    fn a_snippet_keeps_character_boundaries() {
        let text = "æ".repeat(100);
        let s = around(&text, 100);
        assert!(s.starts_with('…') && s.ends_with('…'));
    }
}
