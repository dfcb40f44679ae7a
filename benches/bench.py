#!/usr/bin/env python3
"""Times `stepdoc build` against mdBook and Hugo on the same synthetic
walkthrough (see gen.py) and prints median wall time, peak RSS, output bytes
per page and the ratios. mdBook and Hugo are skipped when not installed.

Usage: bench.py [--stepdoc PATH] [--sizes 6,500,5000] [--variants ...] [--work DIR]

Variants (stepdoc and Hugo only; mdBook takes a minute a run at 5,000):
`N:shell` adds a comment line and an `export ID=$(curl … | jq …)` line to
every bash fence; `N:requests=K` gives every step K request cards.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = {6: 15, 500: 7, 5000: 3}


def measure(cmd, runs, prepare=None):
    """Median wall seconds and max peak RSS (KiB) over `runs` runs (after one
    warm-up); `prepare` runs before each run, outside the timing."""
    walls, peaks = [], []
    for i in range(runs + 1):
        if prepare:
            prepare()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{err}")
        if i > 0:
            walls.append(wall)
            peaks.append(usage.ru_maxrss)
    return statistics.median(walls), max(peaks)


def bytes_per_page(out_dir, pages):
    total = 0
    for root, _, files in os.walk(out_dir):
        for f in files:
            if f.endswith(".html"):
                total += os.path.getsize(os.path.join(root, f))
    return total // max(pages, 1)


def tink_book(root, work):
    """The shipped walkthrough's Markdown as an mdBook book and a Hugo site
    (prose and code fences; neither tool can render stepdoc's request cards)."""
    steps = sorted(f for f in os.listdir(os.path.join(root, "content", "steps")) if f.endswith(".md"))
    os.makedirs(f"{work}/mdbook/src", exist_ok=True)
    summary = ["# Summary", ""]
    for f in steps:
        text = open(os.path.join(root, "content", "steps", f), encoding="utf-8").read()
        front, body = text.split("\n---\n", 1) if text.startswith("---\n") else ("", text)
        title = next((l[7:] for l in front.splitlines() if l.startswith("title: ")), f)
        body = "\n".join(l for l in body.splitlines() if not l.startswith("{{#"))
        with open(f"{work}/mdbook/src/{f}", "w", encoding="utf-8") as out:
            out.write(f"# {title}\n\n{body}\n")
        summary.append(f"- [{title}]({f})")
    with open(f"{work}/mdbook/src/SUMMARY.md", "w", encoding="utf-8") as out:
        out.write("\n".join(summary) + "\n")
    with open(f"{work}/mdbook/book.toml", "w", encoding="utf-8") as out:
        out.write('[book]\ntitle = "Tink for MoneyCapp"\nlanguage = "da"\n\n[output.html]\n')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stepdoc", default=os.path.join(HERE, "..", "target", "release", "stepdoc"))
    ap.add_argument("--sizes", default="6,500,5000")
    ap.add_argument("--variants", default="500:shell,5000:shell,100,100:requests=4")
    # tmpfs when there is one: ext4 slows file creation after the repeated
    # mass deletes of a benchmark loop (its inode allocator skips recently
    # deleted inodes), which would measure the file system, not the tools.
    shm = "/dev/shm"
    default_work = os.path.join(shm, "stepdoc-bench") if os.path.isdir(shm) else "/tmp/stepdoc-bench"
    ap.add_argument("--work", default=default_work)
    ap.add_argument("--tink", default=os.path.join(HERE, ".."), help="the shipped walkthrough's root")
    args = ap.parse_args()
    tools = {"stepdoc": True, "mdBook": shutil.which("mdbook"), "Hugo": shutil.which("hugo")}
    print(f"machine: {os.cpu_count()} cores; work dir: {args.work}; tools: " + ", ".join(k for k, v in tools.items() if v))
    rows = []
    if tools["mdBook"] and args.tink:
        work = os.path.join(args.work, "tink")
        shutil.rmtree(work, ignore_errors=True)
        tink_book(args.tink, work)
        out = os.path.join(work, "stepdoc-output")
        res = {
            "stepdoc": measure([args.stepdoc, "build", "--root", args.tink, "--output", out], 15, lambda: shutil.rmtree(out, ignore_errors=True)),
            "stepdoc (rebuild)": measure([args.stepdoc, "build", "--root", args.tink, "--output", out], 15),
            "mdBook": measure(["mdbook", "build", f"{work}/mdbook"], 15, lambda: shutil.rmtree(f"{work}/mdbook/book", ignore_errors=True)),
        }
        rows.append(("Tink (6)", res, bytes_per_page(out, 8)))
        print("  Tink walkthrough done", file=sys.stderr)
    sizes = [(s, s, []) for s in args.sizes.split(",")]
    variants = [(v, v.split(":")[0], ["--" + f for f in v.split(":")[1:]]) for v in args.variants.split(",") if v]
    for label, n, flags in sizes + variants:
        n = int(n)
        work = os.path.join(args.work, label.replace(":", "-").replace("=", ""))
        shutil.rmtree(work, ignore_errors=True)
        gen_flags = [x for f in flags for x in f.split("=")]
        subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), str(n), work, *gen_flags], check=True)
        runs = RUNS.get(n, 5)
        res = {}
        sd = f"{work}/stepdoc"
        cold = lambda *dirs: (lambda: [shutil.rmtree(d, ignore_errors=True) for d in dirs])
        res["stepdoc"] = measure([args.stepdoc, "build", "--root", sd], runs, cold(f"{sd}/output", f"{sd}/.stepdoc-cache"))
        res["stepdoc (rebuild)"] = measure([args.stepdoc, "build", "--root", sd], runs)
        bpp = bytes_per_page(f"{work}/stepdoc/output", n + 2)
        if tools["mdBook"] and not flags:
            res["mdBook"] = measure(["mdbook", "build", f"{work}/mdbook"], runs, cold(f"{work}/mdbook/book"))
        if tools["Hugo"]:
            res["Hugo"] = measure(["hugo", "--quiet", "--source", f"{work}/hugo"], runs, cold(f"{work}/hugo/public", f"{work}/hugo/resources"))
        rows.append((label, res, bpp))
        print(f"  {label} done", file=sys.stderr)
    print()
    print("Median wall time of the whole process. stepdoc: a cold build (no output, no")
    print("highlight cache) and a rebuild of unchanged content; mdBook and Hugo: clean builds.")
    print()
    print("| steps | stepdoc | stepdoc rebuild | mdBook | Hugo | stepdoc / faster other (cold, rebuild) | peak RSS stepdoc / mdBook / Hugo | stepdoc bytes per page |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for n, res, bpp in rows:
        fmt = lambda k: (f"{res[k][0] * 1000:.0f} ms" if res[k][0] < 10 else f"{res[k][0]:.2f} s") if k in res else "–"
        others = [res[k][0] for k in ("mdBook", "Hugo") if k in res]
        ratio = f"{res['stepdoc'][0] / min(others):.2f}, {res['stepdoc (rebuild)'][0] / min(others):.2f}" if others else "–"
        rss = " / ".join(f"{res[k][1] / 1024:.0f} MiB" if k in res else "–" for k in ("stepdoc", "mdBook", "Hugo"))
        print(f"| {n} | {fmt('stepdoc')} | {fmt('stepdoc (rebuild)')} | {fmt('mdBook')} | {fmt('Hugo')} | {ratio} | {rss} | {bpp:,} |")


if __name__ == "__main__":
    main()
