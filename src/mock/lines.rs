//! What the mock prints when it starts: each base's address, and the
//! command of each runner of the downloads (Hurl, newman, httpYac, Redocly
//! Respect) and of
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
    let api = site.config.api.as_ref();
    // (the variable that holds a base in the exports, the mock's address for it)
    let mut bases = Vec::new();
    // (a base's name, the mock's address for it)
    let mut servers = Vec::new();
    let mut out = vec!["Bases:".to_owned()];
    for (base, var) in crate::export::base_variable_names(site) {
        let at = format!("{url}/{base}");
        let real = api.and_then(|a| a.base(&base)).unwrap_or("");
        out.push(format!("  {base:<8} {at}   (instead of {real})"));
        // Respect replaces the server URL of the base's description.
        let extra = site.described.server_path_beyond(&site.config, &base);
        servers.push((base.clone(), format!("{at}{extra}")));
        bases.push((var, at));
    }
    let secrets: Vec<(String, String)> = site
        .config
        .secrets
        .keys()
        .map(|s| (s.clone(), DEMO_SECRET.to_owned()))
        .collect();
    if !secrets.is_empty() {
        out.push(format!(
            "Secrets: any non-empty value is accepted; below they are `{DEMO_SECRET}`."
        ));
    }
    out.push("Run the whole chain with the downloads `stepdoc build` writes:".into());
    out.extend(runners(
        &root.join("output").join("downloads"),
        &bases,
        &servers,
        &secrets,
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

/// The Hurl, newman, httpYac and Respect commands, with the files in `downloads`.
/// `bases` are (export variable, address), `servers` (base, address).
fn runners(
    downloads: &Path,
    bases: &[(String, String)],
    servers: &[(String, String)],
    secrets: &[(String, String)],
) -> Vec<String> {
    let path = |p: &Path| single_quote(&p.strip_prefix(".").unwrap_or(p).to_string_lossy());
    let file = |name: &str| path(&downloads.join(name));
    let all: Vec<(String, String)> = bases.iter().chain(secrets).cloned().collect();
    vec![
        format!(
            "  hurl --test --variables-file {} {} {} {}",
            file("walkthrough.env"),
            flags("--variable", bases),
            flags("--secret", secrets),
            file("walkthrough.hurl")
        ),
        format!(
            "  newman run {} --bail {}",
            file("walkthrough.postman_collection.json"),
            flags("--env-var", &all)
        ),
        format!(
            "  (cd {} && httpyac send walkthrough.http --all --bail --env walkthrough {})",
            path(downloads),
            flags("--var", &all)
        ),
        respect(&file("walkthrough.arazzo.yaml"), servers, secrets),
    ]
}

/// Redocly Respect on the Arazzo workflow (`arazzo`, quoted): each base is
/// the server of its own description (`--server NAME=URL`); the secrets
/// one JSON object of inputs (Respect splits `--input k=v` at commas).
fn respect(arazzo: &str, servers: &[(String, String)], secrets: &[(String, String)]) -> String {
    let inputs: serde_json::Map<String, serde_json::Value> = secrets
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str())))
        .collect();
    format!(
        "  redocly respect {arazzo} {} --input {}",
        flags("--server", servers),
        single_quote(&serde_json::Value::Object(inputs).to_string())
    )
}

/// `--flag 'k=v'` for each pair.
fn flags(flag: &str, pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{flag} {}", single_quote(&format!("{k}={v}"))))
        .collect::<Vec<_>>()
        .join(" ")
}
