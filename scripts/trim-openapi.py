#!/usr/bin/env python3
"""Keep only some operations of a large OpenAPI description.

    scripts/trim-openapi.py SOURCE.json OUT.json "GET /user" "GET /repos/{owner}/{repo}/issues"

Writes OUT.json with the given operations, every component they reach
through `$ref` (transitively), and the other top-level fields (openapi, info,
servers, externalDocs); webhooks, tags and the `x-octokit` vendor
extension are dropped. Used to make
examples/github-issues/content/openapi/api.github.com.json from GitHub's
published description; see the README beside it.
"""
import json
import sys


def refs(value):
    """Every local `$ref` in value."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str) and item.startswith("#/"):
                yield item
            else:
                yield from refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from refs(item)


def drop_extensions(value):
    if isinstance(value, dict):
        return {k: drop_extensions(v) for k, v in value.items() if k != "x-octokit"}
    if isinstance(value, list):
        return [drop_extensions(v) for v in value]
    return value


def main(source, out, operations):
    with open(source, encoding="utf-8") as f:
        doc = json.load(f)
    paths = {}
    for op in operations:
        method, path = op.split(" ", 1)
        item = doc["paths"][path]
        kept = paths.setdefault(path, {k: v for k, v in item.items() if k == "parameters"})
        kept[method.lower()] = item[method.lower()]
    components = {}
    todo = list(refs(paths))
    while todo:
        ref = todo.pop()
        kind, name = ref.split("/")[2:4]  # #/components/KIND/NAME
        if name in components.get(kind, {}):
            continue
        item = doc["components"][kind][name]
        components.setdefault(kind, {})[name] = item
        todo.extend(refs(item))
    trimmed = {k: v for k, v in doc.items() if k not in ("paths", "components", "webhooks", "x-webhooks", "tags")}
    trimmed["paths"] = paths
    trimmed["components"] = {k: dict(sorted(v.items())) for k, v in sorted(components.items())}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(drop_extensions(trimmed), f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
