//! The walkthrough as a chain: which requests run, in which order, for a
//! selection of them. `record` runs this chain and the exports write it,
//! so both send the same requests in the same order.

use std::collections::HashSet;

use super::request::variables;
use super::Site;

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
            want.extend(req.strings().into_iter().flat_map(variables));
            if let Some(kind) = req.auth_kind().and_then(|k| site.config.auth.get(k)) {
                want.extend(kind.names());
            }
            required.extend(req.requires.iter().map(String::as_str));
        }
    }
    keep.reverse();
    Some(keep)
}
