#!/usr/bin/env python3
"""Save-to-page latency of `stepdoc serve`: starts it on a walkthrough, then
six times edits one step file and polls that step's page until the edit
shows, printing the milliseconds from the write to the changed page.

Usage: serve_latency.py ROOT STEPDOC   (ROOT e.g. from `gen.py 5000 DIR`: DIR/stepdoc)
"""
import subprocess, time, urllib.request, sys, os, re
root, binary = sys.argv[1], sys.argv[2]
p = subprocess.Popen([binary, "serve", "--port", "0"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
line = p.stdout.readline()
url = re.search(r"http://\S+", line).group(0)
steps = sorted(os.listdir(os.path.join(root, "content/steps")))
time.sleep(1.0)
results = []
for k in range(6):
    f = steps[100 + k]
    slug = re.sub(r"^\d+-", "", f.rsplit(".", 1)[0])
    path = os.path.join(root, "content/steps", f)
    text = open(path).read()
    marker = f"edit-{k}-{time.time()}"
    t0 = time.perf_counter()
    open(path, "w").write(text.replace("This step shows", marker + " This step shows", 1))
    while True:
        body = urllib.request.urlopen(url + slug + "/").read().decode()
        if marker in body:
            break
        time.sleep(0.002)
    results.append((time.perf_counter() - t0) * 1000)
    time.sleep(0.5)
p.terminate()
err = p.stderr.read()
print("save -> changed page (ms):", ", ".join(f"{r:.0f}" for r in results))
print("\n".join(l for l in err.splitlines() if "rebuilt" in l or "built" in l)[-600:])
