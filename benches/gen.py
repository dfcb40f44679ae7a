#!/usr/bin/env python3
"""Writes the same synthetic walkthrough as a stepdoc site, an mdBook book and
a Hugo site, for benchmarking: N steps, each with ~1.5 KB of prose with a
heading and a list, a 12-line bash cURL fence and a 60-line JSON fence.

Usage: gen.py STEPS OUTDIR [--shell] [--requests K]
  -> OUTDIR/stepdoc, OUTDIR/mdbook, OUTDIR/hugo
--shell: each bash fence also has a comment line and an
  `export ID=$(curl … | jq …)` line, as hand-written API docs do.
--requests K: each stepdoc step also defines K request cards (with auth,
  placeholders, a JSON body and a capture), shown in every snippet
  language; mdBook and Hugo cannot render them and get the same Markdown.
"""
import argparse
import json
import os

PROSE = (
    "This step shows how the app talks to the API. The request below is sent from the "
    "backend with the token from the previous step; the response lists what the user "
    "connected. Read every field carefully before you store it, and keep identifiers "
    "opaque: they are not meant to be parsed. Amounts come as an unscaled value and a "
    "scale, so convert them with decimal arithmetic rather than floating point. "
)


def body(i: int, shell: bool = False, cards: str = "") -> str:
    comment = ["# Create the resource (the token comes from step 1)"] if shell else []
    export = ["export RESOURCE_ID=$(curl -s 'https://api.example.com/api/v1/resource' | jq -r .id)"] if shell else []
    curl = "\n".join(
        comment
        + [
            "curl -X POST 'https://api.example.com/api/v1/resource' \\",
            "  -H \"Authorization: Bearer $APP_TOKEN\" \\",
            "  -H 'Content-Type: application/json' \\",
            "  --data-raw '{",
            f'    "step": {i},',
            '    "market": "DK",',
            '    "locale": "da_DK",',
            '    "external_user_id": "user-0001",',
            '    "scope": "accounts:read,transactions:read",',
            '    "note": "synthetic"',
            "  }'",
            "echo done",
        ]
        + export
    )
    items = [
        {"id": f"{i:04d}{k:028x}", "name": f"Account {k}", "type": "CHECKING",
         "balance": {"scale": "2", "unscaledValue": str(1000 * k + i)}}
        for k in range(6)
    ]
    data = json.dumps({"accounts": items, "nextPageToken": ""}, indent=2).splitlines()
    data = (data + ["{}"] * 60)[:60]
    prose = (PROSE * 4)[:1200]
    return (
        f"## Details of step {i}\n\n{prose}\n\n{cards}"
        "- first, get the token\n- then, send the request\n- finally, store the result\n\n"
        f"```bash\n{curl}\n```\n\n```json\n" + "\n".join(data) + "\n```\n"
    )


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


SITE_API = """api:
  base_url: https://api.example.com
secrets:
  client_secret: CLIENT_SECRET
auth:
  app:
    label: app token
    bearer: app_token
"""


def requests(i: int, k: int) -> str:
    """Front matter for K requests of step I; each captures an id the next uses."""
    out = ["requests:"]
    for r in range(k):
        first = i == 1 and r == 0
        out += [
            f"  - id: r{i}-{r}",
            f"    title: Request {r} of step {i}",
            f"    method: {'POST' if r % 2 == 0 else 'GET'}",
            f"    path: /api/v1/items/{{{{ item_id }}}}/children" if not first else "    path: /api/v1/oauth/token",
            "    auth: app" if not first else "    form: { client_secret: \"{{ client_secret }}\" }",
        ]
        if not first and r % 2 == 0:
            out += ["    json:", f"      name: \"item {i}-{r}\"", "      market: DK", "      tags: [a, b, c]", "      limit: 25"]
        out += ["    capture:", "      item_id: $.id"] if not first else ["    capture:", "      app_token: $.access_token", "      item_id: $.id"]
        out += ["    sample:", f"      id: \"item-{i:04d}-{r}\"", "      status: ACTIVE", "      children: [{ id: c1, size: 3 }, { id: c2, size: 5 }]"]
        if first:
            out += ["      access_token: \"eyJhbGciOiJIUzI1NiJ9.synthetic\""]
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("steps", type=int)
    ap.add_argument("out")
    ap.add_argument("--shell", action="store_true")
    ap.add_argument("--requests", type=int, default=0)
    args = ap.parse_args()
    n, out, k = args.steps, args.out, args.requests
    width = max(2, len(str(n)))
    # stepdoc
    site = f"title: Synthetic walkthrough ({n} steps)\nlanguage: en\n" + (SITE_API if k else "")
    write(f"{out}/stepdoc/content/site.yaml", site)
    for i in range(1, n + 1):
        cards = "".join(f"{{{{#request r{i}-{r}}}}}\n\n" for r in range(k))
        front = f"title: Step {i}\nsummary: What step {i} does.\n" + (requests(i, k) if k else "")
        write(f"{out}/stepdoc/content/steps/{i:0{width}d}-step-{i}.md",
              f"---\n{front}---\n{body(i, args.shell, cards)}")
    # mdBook
    write(f"{out}/mdbook/book.toml", '[book]\ntitle = "Synthetic walkthrough"\nlanguage = "en"\n\n[output.html]\n')
    summary = ["# Summary", ""] + [f"- [Step {i}](step-{i}.md)" for i in range(1, n + 1)]
    write(f"{out}/mdbook/src/SUMMARY.md", "\n".join(summary) + "\n")
    for i in range(1, n + 1):
        write(f"{out}/mdbook/src/step-{i}.md", f"# Step {i}\n\n{body(i, args.shell)}")
    # Hugo
    write(f"{out}/hugo/config.toml",
          'baseURL = "https://example.org/"\ntitle = "Synthetic walkthrough"\n'
          'disableKinds = ["taxonomy", "term", "RSS"]\n[markup.highlight]\nnoClasses = false\n')
    write(f"{out}/hugo/layouts/_default/baseof.html",
          '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
          '<body><nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} '
          '{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>'
          '<main>{{ block "main" . }}{{ end }}</main></body></html>\n')
    write(f"{out}/hugo/layouts/_default/single.html", '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n')
    write(f"{out}/hugo/layouts/_default/list.html", '{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}\n')
    # The index lists every step once, as stepdoc's index does; pages link
    # to their neighbours, so output grows linearly as with stepdoc.
    write(f"{out}/hugo/layouts/index.html",
          '{{ define "main" }}<h1>{{ .Site.Title }}</h1><ol>{{ range .Site.RegularPages }}'
          '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>{{ end }}\n')
    for i in range(1, n + 1):
        write(f"{out}/hugo/content/steps/step-{i}.md", f'---\ntitle: "Step {i}"\nweight: {i}\n---\n{body(i, args.shell)}')


if __name__ == "__main__":
    main()
