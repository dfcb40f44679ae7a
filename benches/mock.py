#!/usr/bin/env python3
"""`stepdoc mock` on a walkthrough: start to first answer, and requests per
second on one chain request under load.

1. Starts the mock 20 times on a free port and sends the first request of
   the chain (connecting every millisecond from the moment of the spawn),
   printing the median and worst milliseconds from spawn to the answer.
2. Runs the Tink chain up to the transactions (app token, user, grant,
   user token, accounts) and loads GET /data/v2/transactions, a 1.8 KB
   answer with the ids swapped in, with `oha` (crates.io) for 10 s at 50
   connections; prints oha's summary.

Usage: mock.py STEPDOC [OHA]   (run from the repository's root; OHA default `oha`)
"""
import http.client, json, socket, statistics, subprocess, sys, time, urllib.parse

binary = sys.argv[1]
oha = sys.argv[2] if len(sys.argv) > 2 else "oha"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def call(port, method, path, body=None, token=None, form=True):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {}
    if token:
        headers["Authorization"] = "Bearer " + token
    if body is not None:
        if form:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    assert r.status == 200, (path, r.status, data)
    return json.loads(data) if data else None


APP = {"client_id": "demo", "client_secret": "demo", "grant_type": "client_credentials", "scope": "s"}

times = []
for _ in range(20):
    port = free_port()
    t0 = time.perf_counter()
    p = subprocess.Popen([binary, "mock", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            call(port, "POST", "/api/api/v1/oauth/token", APP)
            break
        except (ConnectionRefusedError, OSError):
            time.sleep(0.001)
    times.append((time.perf_counter() - t0) * 1000)
    p.terminate()
    p.wait()
print(f"start to first answer (ms): median {statistics.median(times):.1f}, worst {max(times):.1f} (20 starts)")

port = free_port()
p = subprocess.Popen([binary, "mock", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(0.5)
app = call(port, "POST", "/api/api/v1/oauth/token", APP)["access_token"]
user = call(port, "POST", "/api/api/v1/user/create", {"external_user_id": "u", "market": "DK", "locale": "da_DK", "retention_class": "permanent"}, app, form=False)["user_id"]
code = call(port, "POST", "/api/api/v1/oauth/authorization-grant", {"user_id": user, "scope": "s"}, app)["code"]
token = call(port, "POST", "/api/api/v1/oauth/token", {"client_id": "d", "client_secret": "d", "grant_type": "authorization_code", "code": code})["access_token"]
account = call(port, "GET", "/api/data/v2/accounts?pageSize=100", token=token)["accounts"][0]["id"]
query = urllib.parse.urlencode([("accountIdIn", account), ("bookedDateGte", "2026-01-01"), ("bookedDateLte", "2026-11-30"), ("statusIn", "BOOKED"), ("statusIn", "PENDING"), ("pageSize", "50")])
url = f"http://127.0.0.1:{port}/api/data/v2/transactions?{query}"
size = len(json.dumps(call(port, "GET", url.split(str(port), 1)[1], token=token)))
print(f"GET /data/v2/transactions: {size} bytes of JSON per answer")
out = subprocess.run([oha, "-z", "10s", "-c", "50", "--no-tui", "-H", "Authorization: Bearer " + token, url], capture_output=True, text=True)
print("\n".join(l for l in out.stdout.splitlines() if any(k in l for k in ("Requests/sec", "Success rate", "Average", "Slowest", "[200]", "[4", "[5"))))
p.terminate()
