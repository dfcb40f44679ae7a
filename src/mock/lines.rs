//! What the mock prints when it starts: each base's address, and the
//! command of each runner of the downloads (Hurl, newman, httpYac) and of
//! the snippets, pointed at it, ready to paste. Every value in them passes
//! through the shell's one quoting function.

use std::path::Path;

use crate::content::Site;
use crate::render::snippets::curl::single_quote;

/// The value every secret gets in the printed commands: the mock accepts
/// any non-empty one.
pub(crate) const DEMO_SECRET: &str = "demo";

/// The lines, for a mock at `url` of the walkthrough at `root`.
pub(crate) fn lines(site: &Site, url: &str, root: &Path) -> Vec<String> {
    // (base, its variable in the exports, the mock's address for it)
    let bases: Vec<(String, String, String)> = crate::export::base_variable_names(site)
        .into_iter()
        .map(|(base, var)| {
            let at = format!("{url}/{base}");
            (base, var, at)
        })
        .collect();
    let mut out = vec!["Bases:".to_owned()];
    for (name, _, at) in &bases {
        let real = site
            .config
            .api
            .as_ref()
            .and_then(|a| a.base(name))
            .unwrap_or("");
        out.push(format!("  {name:<8} {at}   (instead of {real})"));
    }
    let secrets: Vec<&str> = site.config.secrets.keys().map(String::as_str).collect();
    if !secrets.is_empty() {
        out.push(format!(
            "Secrets: any non-empty value is accepted; below they are `{DEMO_SECRET}`."
        ));
    }
    let downloads = root.join("output").join("downloads");
    let file = |name: &str| {
        let p = downloads.join(name);
        single_quote(p.strip_prefix(".").unwrap_or(&p).to_string_lossy().as_ref())
    };
    let pairs = |flag: &str, with_secrets: bool| -> String {
        let vars = bases.iter().map(|(_, var, at)| (var.clone(), at.clone()));
        let secret = secrets
            .iter()
            .map(|s| (s.to_string(), DEMO_SECRET.to_owned()));
        let all: Vec<(String, String)> = if with_secrets {
            vars.chain(secret).collect()
        } else {
            vars.collect()
        };
        all.iter()
            .map(|(k, v)| format!("{flag} {}", single_quote(&format!("{k}={v}"))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let hurl_secrets = secrets
        .iter()
        .map(|s| format!("--secret {}", single_quote(&format!("{s}={DEMO_SECRET}"))))
        .collect::<Vec<_>>()
        .join(" ");
    out.push("Run the whole chain with the downloads `stepdoc build` writes:".into());
    out.push(format!(
        "  hurl --test --variables-file {} {} {hurl_secrets} {}",
        file("walkthrough.env"),
        pairs("--variable", false),
        file("walkthrough.hurl")
    ));
    out.push(format!(
        "  newman run {} --bail {}",
        file("walkthrough.postman_collection.json"),
        pairs("--env-var", true)
    ));
    out.push(format!(
        "  (cd {} && httpyac send walkthrough.http --all --bail --env walkthrough {})",
        single_quote(
            downloads
                .strip_prefix(".")
                .unwrap_or(&downloads)
                .to_string_lossy()
                .as_ref()
        ),
        pairs("--var", true)
    ));
    let env: Vec<String> = site
        .config
        .secrets
        .values()
        .map(|var| format!("{var}={DEMO_SECRET}"))
        .collect();
    let export = if env.is_empty() {
        String::new()
    } else {
        format!("export {} && ", env.join(" "))
    };
    out.push(format!(
        "Snippets (curl, HTTPie, Python, JavaScript, Rust, PowerShell): {export}stepdoc serve --mock shows every snippet pointed at this mock."
    ));
    out
}
