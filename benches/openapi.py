#!/usr/bin/env python3
"""Added build time of checking against an OpenAPI description.

    python3 benches/openapi.py target/release/stepdoc [RUNS]

For the Tink walkthrough (pointed at the description stepdoc generates
for it) and the GitHub example (GitHub's own description, trimmed), builds
a copy with `api.openapi` and one without, cold (no previous output),
alternating, and prints the median and fastest of each and the difference.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def copy(src, dst):
    shutil.copytree(os.path.join(src, "content"), os.path.join(dst, "content"))


def build_ms(stepdoc, root):
    out = os.path.join(root, "output")
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([stepdoc, "build", "--root", root], check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000


def pair(stepdoc, tmp, name, src):
    """(with, without) roots for the walkthrough at src."""
    with_ = os.path.join(tmp, name + "-with")
    without = os.path.join(tmp, name + "-without")
    copy(src, with_)
    copy(src, without)
    site = os.path.join(without, "content", "site.yaml")
    text = open(site, encoding="utf-8").read()
    if "openapi:" in text:
        # Drop it from the copy without.
        open(site, "w", encoding="utf-8").write(re.sub(r"\n  openapi: [^\n]*", "", text))
    else:
        # Point the copy with at the description stepdoc generates.
        out = os.path.join(tmp, name + "-gen")
        subprocess.run([stepdoc, "build", "--root", without, "--output", out], check=True, capture_output=True)
        shutil.copy(os.path.join(out, "downloads", "walkthrough.openapi.yaml"),
                    os.path.join(with_, "content", "openapi.yaml"))
        site = os.path.join(with_, "content", "site.yaml")
        text = open(site, encoding="utf-8").read()
        open(site, "w", encoding="utf-8").write(text.replace("\napi:\n", "\napi:\n  openapi: openapi.yaml\n", 1))
    return with_, without


def main():
    stepdoc = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    with tempfile.TemporaryDirectory() as tmp:
        for name, src in [("tink", REPO), ("github", os.path.join(REPO, "examples", "github-issues"))]:
            with_, without = pair(stepdoc, tmp, name, src)
            subprocess.run([stepdoc, "check", "--root", with_], check=True, capture_output=True)
            times = {"with": [], "without": []}
            for _ in range(runs):
                times["without"].append(build_ms(stepdoc, without))
                times["with"].append(build_ms(stepdoc, with_))
            a, b = statistics.median(times["without"]), statistics.median(times["with"])
            print(f"{name}: without {a:.1f} ms (fastest {min(times['without']):.1f}), "
                  f"with {b:.1f} ms (fastest {min(times['with']):.1f}), added {b - a:+.1f} ms")


if __name__ == "__main__":
    main()
