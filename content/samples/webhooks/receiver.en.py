"""MoneyCapp's webhook receiver: verify X-Tink-Signature, answer at once,
and afterwards update the database and the user's screens."""
import hashlib
import hmac
import json
import os
import queue
import sqlite3
import threading
import time

import requests
from flask import Flask, abort, request

TINK = "https://api.tink.com"
app = Flask(__name__)
tasks = queue.Queue()  # verified events, which the background worker handles
RETRY_AFTER = 60  # seconds before an event that failed is tried again


def compute_signature(secret: str, t: str, raw_body: bytes) -> str:
    """HMAC-SHA256 over t + "." + the raw body, as hex (Tink's "v1")."""
    message = t.encode() + b"." + raw_body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_is_valid(raw_body: bytes, header: str, secret: str, now: float | None = None) -> bool:
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    t, v1 = parts.get("t", ""), parts.get("v1", "")
    if not t.isdigit() or not v1:
        return False
    if now is None:
        now = time.time()
    # Reject old events, but allow at least 5 minutes, so Tink's retries get through.
    if abs(now - int(t)) > 300:
        return False
    return hmac.compare_digest(compute_signature(secret, t, raw_body), v1)


@app.post("/webhooks/tink")
def tink_webhook():
    raw = request.get_data()  # the raw body, exactly as received
    header = request.headers.get("X-Tink-Signature", "")
    if not signature_is_valid(raw, header, os.environ["TINK_WEBHOOK_SECRET"]):
        abort(412)  # Precondition Failed: drop the event
    # Tink does not document Content-Type, so read the body the signature
    # covers instead of request.get_json() (which answers 415 without it).
    try:
        event = json.loads(raw)
    except ValueError:
        abort(400)  # signed, but not JSON: a retry would not help
    tasks.put(event)
    return "", 204  # answer quickly; the heavy work happens in the worker


def user_token(user_id: str, scope: str) -> str:
    """A fresh user token as in step 3, parts 3 and 4: app token, code, token."""
    client = {
        "client_id": os.environ["TINK_CLIENT_ID"],
        "client_secret": os.environ["TINK_CLIENT_SECRET"],
    }

    def post(path: str, **kwargs) -> dict:
        response = requests.post(f"{TINK}{path}", timeout=30, **kwargs)
        response.raise_for_status()  # an error answer from Tink is an error, not a token
        return response.json()

    app_token = post(
        "/api/v1/oauth/token",
        data={**client, "grant_type": "client_credentials", "scope": "authorization:grant"},
    )["access_token"]
    code = post(
        "/api/v1/oauth/authorization-grant",
        headers={"Authorization": f"Bearer {app_token}"},
        data={"user_id": user_id, "scope": scope},
    )["code"]
    return post(
        "/api/v1/oauth/token",
        data={**client, "grant_type": "authorization_code", "code": code},
    )["access_token"]


def fetch_transactions(user_id: str, account: str, start: str, end: str) -> list:
    """The changed transactions, page by page, as in step 5."""
    token = user_token(user_id, "transactions:read")
    found, page = [], ""
    while True:
        response = requests.get(
            f"{TINK}/data/v2/transactions",
            headers={"Authorization": f"Bearer {token}"},
            params={"accountIdIn": account, "bookedDateGte": start, "bookedDateLte": end, "pageToken": page},
            timeout=30,
        )
        response.raise_for_status()
        data = response.json()
        found += data["transactions"]
        page = data.get("nextPageToken", "")
        if not page:
            return found


def fetch_accounts(user_id: str) -> list:
    """The user's accounts as in step 4 (they are few: one page is enough here)."""
    token = user_token(user_id, "accounts:read")
    response = requests.get(f"{TINK}/data/v2/accounts", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    response.raise_for_status()
    return response.json()["accounts"]


def create_tables(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS transactions (id TEXT PRIMARY KEY, account TEXT, data TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, user TEXT, data TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS notifications (user TEXT, text TEXT, at REAL)")


def store(db: sqlite3.Connection, table: str, owner: str, rows: list) -> None:
    """Insert or update: the same event twice gives the same rows."""
    db.executemany(
        f"INSERT INTO {table} VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
        [(r["id"], r.get("accountId", owner), json.dumps(r)) for r in rows],
    )


def notify(db: sqlite3.Connection, user_id: str, text: str) -> None:
    """A message to the user's open screens and a push notification (the app reads the table)."""
    db.execute("INSERT INTO notifications VALUES (?, ?, ?)", (user_id, text, time.time()))


def handle(db: sqlite3.Connection, event: dict) -> None:
    name, content = event["event"], event["content"]
    user = event["context"]["userId"]
    if name == "account-transactions:modified":
        period = content["transactions"]
        transactions = fetch_transactions(
            user,
            content["account"]["id"],
            period["earliestModifiedBookedDate"],
            period["latestModifiedBookedDate"],
        )
        store(db, "transactions", content["account"]["id"], transactions)
        notify(db, user, f"{len(transactions)} new or changed transactions")
    elif name == "account-transactions:deleted":
        deleted = content["transactions"]["ids"]
        db.executemany("DELETE FROM transactions WHERE id = ?", [(i,) for i in deleted])
        notify(db, user, f"{len(deleted)} transactions were removed")
    elif name in ("account:created", "account:updated"):
        store(db, "accounts", user, fetch_accounts(user))
        notify(db, user, "your accounts are up to date")
    elif name == "refresh:finished":
        status = content["credentialsStatus"]
        if status in ("SESSION_EXPIRED", "AUTHENTICATION_ERROR"):
            notify(db, user, "renew the access to your bank in MoneyCapp")
    db.commit()


def handle_safely(db: sqlite3.Connection, event: dict) -> None:
    """Handle one event; when it fails, it goes back on the queue a little later.

    Tink does not send the event again once we have answered 204, so an event
    must never be lost silently: every failure is logged, and the worker
    lives on."""
    try:
        handle(db, event)
    except Exception as error:  # noqa: BLE001 – anything else would stop the worker
        db.rollback()
        print(f"event {event.get('event')} failed ({error!r}); trying again in {RETRY_AFTER} s")
        threading.Timer(RETRY_AFTER, tasks.put, args=(event,)).start()


def worker(path: str = "moneycapp.db") -> None:
    db = sqlite3.connect(path)
    create_tables(db)
    while True:
        handle_safely(db, tasks.get())


if __name__ == "__main__":
    threading.Thread(target=worker, daemon=True).start()
    app.run(port=8080)
