#!/usr/bin/env python3
"""Writes the same synthetic walkthrough as a stepdoc site, an mdBook book and
a Hugo site, for benchmarking: N steps, each with ~1.5 KB of prose with a
heading and a list, a 12-line bash cURL fence and a 60-line JSON fence.

Usage: gen.py STEPS OUTDIR   -> OUTDIR/stepdoc, OUTDIR/mdbook, OUTDIR/hugo
"""
import json
import os
import sys

PROSE = (
    "This step shows how the app talks to the API. The request below is sent from the "
    "backend with the token from the previous step; the response lists what the user "
    "connected. Read every field carefully before you store it, and keep identifiers "
    "opaque: they are not meant to be parsed. Amounts come as an unscaled value and a "
    "scale, so convert them with decimal arithmetic rather than floating point. "
)


def body(i: int) -> str:
    curl = "\n".join(
        [
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
        f"## Details of step {i}\n\n{prose}\n\n"
        "- first, get the token\n- then, send the request\n- finally, store the result\n\n"
        f"```bash\n{curl}\n```\n\n```json\n" + "\n".join(data) + "\n```\n"
    )


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main() -> None:
    n, out = int(sys.argv[1]), sys.argv[2]
    width = max(2, len(str(n)))
    # stepdoc
    write(f"{out}/stepdoc/content/site.yaml", f"title: Synthetic walkthrough ({n} steps)\nlanguage: en\n")
    for i in range(1, n + 1):
        write(f"{out}/stepdoc/content/steps/{i:0{width}d}-step-{i}.md",
              f"---\ntitle: Step {i}\nsummary: What step {i} does.\n---\n{body(i)}")
    # mdBook
    write(f"{out}/mdbook/book.toml", '[book]\ntitle = "Synthetic walkthrough"\nlanguage = "en"\n\n[output.html]\n')
    summary = ["# Summary", ""] + [f"- [Step {i}](step-{i}.md)" for i in range(1, n + 1)]
    write(f"{out}/mdbook/src/SUMMARY.md", "\n".join(summary) + "\n")
    for i in range(1, n + 1):
        write(f"{out}/mdbook/src/step-{i}.md", f"# Step {i}\n\n{body(i)}")
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
        write(f"{out}/hugo/content/steps/step-{i}.md", f'---\ntitle: "Step {i}"\nweight: {i}\n---\n{body(i)}')


if __name__ == "__main__":
    main()
