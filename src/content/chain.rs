//! The walkthrough as a chain: which requests run, in which order, for a
//! selection of them. `record` runs this chain and the exports write it,
//! so both send the same requests in the same order.

use std::collections::{HashMap, HashSet};

use super::capture::{capture, ValueType};
use super::{Interactive, Site, Step};

/// A request by position: (step index, request index).
pub type Pos = (usize, usize);

/// Every request of the walkthrough, in step order.
pub fn all(site: &Site) -> Vec<Pos> {
    site.steps
        .iter()
        .enumerate()
        .flat_map(|(s, step)| (0..step.requests.len()).map(move |r| (s, r)))
        .collect()
}

/// The requests to run for `selected`: the selected ones and, going back
/// from the last of them, every earlier request that captures a value they
/// (or requests they need) use, or that one of them `requires`. A request
/// nothing needs (such as a browser step, when only webhooks are recorded)
/// does not run. `None` when nothing is selected.
pub fn needed(site: &Site, selected: &[Pos]) -> Option<Vec<Pos>> {
    let order = all(site);
    let last = order.iter().rposition(|k| selected.contains(k))?;
    let mut want: HashSet<&str> = HashSet::new();
    let mut required: HashSet<&str> = HashSet::new();
    let mut keep = Vec::new();
    for &(s, r) in order[..=last].iter().rev() {
        let req = &site.steps[s].requests[r];
        if selected.contains(&(s, r))
            || required.contains(req.id.as_str())
            || req.capture.keys().any(|c| want.contains(c.as_str()))
        {
            keep.push((s, r));
            // What it captures is supplied; what it uses (a refresh may use
            // the token it replaces) must come from further back.
            for name in req.capture.keys() {
                want.remove(name.as_str());
            }
            want.extend(req.names(&site.config));
            required.extend(req.requires.iter().map(String::as_str));
        }
    }
    keep.reverse();
    Some(keep)
}

/// Who captures each name, for the one answer to "which request supplies
/// this value to that one": the last request before it that captures the
/// name. A later capture of a name (a token refreshed in step 2) replaces
/// the earlier one from there on, in the legends, `check`, `record` and
/// the exports alike, as a variable set again in a script would.
#[derive(Debug, Default)]
pub struct Capturers(HashMap<String, Vec<Pos>>);

impl Capturers {
    /// The captures of `steps`, in chain order.
    pub fn new(steps: &[Step]) -> Capturers {
        let mut map: HashMap<String, Vec<Pos>> = HashMap::new();
        for (s, step) in steps.iter().enumerate() {
            for (r, req) in step.requests.iter().enumerate() {
                for name in req.capture.keys() {
                    map.entry(name.clone()).or_default().push((s, r));
                }
            }
        }
        Capturers(map)
    }

    /// The request that supplies `name` to the request at `at`: the last
    /// one before it that captures `name`.
    pub fn of(&self, name: &str, at: Pos) -> Option<Pos> {
        let all = self.0.get(name)?;
        let before = all.partition_point(|&p| p < at);
        before.checked_sub(1).map(|i| all[i])
    }

    /// The names captured before the request at `at`.
    pub fn names_before(&self, at: Pos) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(_, all)| all.first().is_some_and(|&p| p < at))
            .map(|(name, _)| name.as_str())
    }

    /// The first request that captures `name`, anywhere in the walkthrough.
    pub fn first(&self, name: &str) -> Option<Pos> {
        self.0.get(name).and_then(|all| all.first().copied())
    }
}

/// The JSON type of each value a request may send as a whole JSON value:
/// a site variable's (as `site.yaml` writes it), or a capture's (as the
/// capturer's response on its page, snapshot or sample, has it). The one
/// answer for snippets, exports and `check`; `record` sends what the API
/// actually returned.
#[derive(Debug, Default)]
pub struct Types {
    capturers: Capturers,
    variables: HashMap<String, ValueType>,
    captured: HashMap<(Pos, String), ValueType>,
}

impl Types {
    /// The types of `site`'s variables and captures.
    pub fn new(site: &Site) -> Types {
        let mut captured = HashMap::new();
        for (s, step) in site.steps.iter().enumerate() {
            for (r, (req, resp)) in step.requests.iter().zip(&step.responses).enumerate() {
                // A prompt's answer is text the person types.
                let (Some(resp), false) = (resp, req.interactive == Some(Interactive::Prompt))
                else {
                    continue;
                };
                for (name, cap) in &req.capture {
                    if let Some(ty) = capture(&resp.body, cap.path()).ok().and_then(|c| c.ty) {
                        captured.insert(((s, r), name.clone()), ty);
                    }
                }
            }
        }
        let variables = site
            .config
            .variables
            .iter()
            .filter_map(|(name, v)| Some((name.clone(), v.ty?)))
            .collect();
        Types {
            capturers: Capturers::new(&site.steps),
            variables,
            captured,
        }
    }

    /// The type of `name` as the request at `at` receives it: a site
    /// variable's, or that of the capture that supplies it there.
    pub fn of(&self, name: &str, at: Pos) -> Option<ValueType> {
        if let Some(ty) = self.variables.get(name) {
            return Some(*ty);
        }
        let from = self.capturers.of(name, at)?;
        self.captured.get(&(from, name.to_owned())).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_earlier_capture_supplies_a_name() {
        let c = Capturers(HashMap::from([("t".to_owned(), vec![(0, 0), (1, 1)])]));
        assert_eq!(c.of("t", (0, 0)), None, "not its own capture");
        assert_eq!(c.of("t", (1, 0)), Some((0, 0)));
        assert_eq!(
            c.of("t", (1, 1)),
            Some((0, 0)),
            "a refresh uses the old one"
        );
        assert_eq!(c.of("t", (2, 0)), Some((1, 1)));
        assert_eq!(c.of("u", (2, 0)), None);
        assert_eq!(c.first("t"), Some((0, 0)));
    }
}
