"""MoneyCapps webhook-modtager: verificér X-Tink-Signature, svar med det
samme, og opdatér bagefter databasen og brugerens skærme."""
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
opgaver = queue.Queue()  # verificerede events, som baggrundsprocessen behandler
GENFORSOEG_EFTER = 60  # sekunder, før et event, der fejlede, prøves igen


def beregn_signatur(secret: str, t: str, raw_body: bytes) -> str:
    """HMAC-SHA256 over t + "." + den rå body, som hex (Tinks "v1")."""
    besked = t.encode() + b"." + raw_body
    return hmac.new(secret.encode(), besked, hashlib.sha256).hexdigest()


def signatur_er_gyldig(raw_body: bytes, header: str, secret: str, nu: float | None = None) -> bool:
    dele = dict(del_.split("=", 1) for del_ in header.split(",") if "=" in del_)
    t, v1 = dele.get("t", ""), dele.get("v1", "")
    if not t.isdigit() or not v1:
        return False
    if nu is None:
        nu = time.time()
    # Afvis gamle events, men giv mindst 5 minutter, så Tinks genforsøg når frem.
    if abs(nu - int(t)) > 300:
        return False
    return hmac.compare_digest(beregn_signatur(secret, t, raw_body), v1)


@app.post("/webhooks/tink")
def tink_webhook():
    raw = request.get_data()  # den rå body, præcis som modtaget
    header = request.headers.get("X-Tink-Signature", "")
    if not signatur_er_gyldig(raw, header, os.environ["TINK_WEBHOOK_SECRET"]):
        abort(412)  # Precondition Failed: kassér eventet
    # Tink dokumenterer ikke Content-Type, så læs den body, signaturen dækker,
    # i stedet for request.get_json() (som svarer 415 uden headeren).
    try:
        event = json.loads(raw)
    except ValueError:
        abort(400)  # signeret, men ikke JSON: et genforsøg hjælper ikke
    opgaver.put(event)
    return "", 204  # svar hurtigt; det tunge arbejde sker i baggrundsprocessen


def bruger_token(user_id: str, scope: str) -> str:
    """Et frisk bruger-token som i trin 3, del 3 og 4: app-token, kode, token."""
    klient = {
        "client_id": os.environ["TINK_CLIENT_ID"],
        "client_secret": os.environ["TINK_CLIENT_SECRET"],
    }

    def post(sti: str, **kwargs) -> dict:
        svar = requests.post(f"{TINK}{sti}", timeout=30, **kwargs)
        svar.raise_for_status()  # et fejlsvar fra Tink er en fejl, ikke et token
        return svar.json()

    app_token = post(
        "/api/v1/oauth/token",
        data={**klient, "grant_type": "client_credentials", "scope": "authorization:grant"},
    )["access_token"]
    kode = post(
        "/api/v1/oauth/authorization-grant",
        headers={"Authorization": f"Bearer {app_token}"},
        data={"user_id": user_id, "scope": scope},
    )["code"]
    return post(
        "/api/v1/oauth/token",
        data={**klient, "grant_type": "authorization_code", "code": kode},
    )["access_token"]


def hent_transaktioner(user_id: str, konto: str, fra: str, til: str) -> list:
    """De ændrede transaktioner, side for side, som i trin 5."""
    token = bruger_token(user_id, "transactions:read")
    fundet, side = [], ""
    while True:
        svar = requests.get(
            f"{TINK}/data/v2/transactions",
            headers={"Authorization": f"Bearer {token}"},
            params={"accountIdIn": konto, "bookedDateGte": fra, "bookedDateLte": til, "pageToken": side},
            timeout=30,
        )
        svar.raise_for_status()
        data = svar.json()
        fundet += data["transactions"]
        side = data.get("nextPageToken", "")
        if not side:
            return fundet


def hent_konti(user_id: str) -> list:
    """Brugerens konti som i trin 4 (de er få: én side er nok her)."""
    token = bruger_token(user_id, "accounts:read")
    svar = requests.get(f"{TINK}/data/v2/accounts", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    svar.raise_for_status()
    return svar.json()["accounts"]


def opret_tabeller(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS transaktioner (id TEXT PRIMARY KEY, konto TEXT, data TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS konti (id TEXT PRIMARY KEY, bruger TEXT, data TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS beskeder (bruger TEXT, tekst TEXT, tidspunkt REAL)")


def gem(db: sqlite3.Connection, tabel: str, ejer: str, raekker: list) -> None:
    """Indsæt eller opdatér: det samme event to gange giver de samme rækker."""
    db.executemany(
        f"INSERT INTO {tabel} VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
        [(r["id"], r.get("accountId", ejer), json.dumps(r)) for r in raekker],
    )


def underret(db: sqlite3.Connection, user_id: str, tekst: str) -> None:
    """En besked til brugerens åbne skærme og en push-besked (appen læser tabellen)."""
    db.execute("INSERT INTO beskeder VALUES (?, ?, ?)", (user_id, tekst, time.time()))


def behandl(db: sqlite3.Connection, event: dict) -> None:
    navn, indhold = event["event"], event["content"]
    bruger = event["context"]["userId"]
    if navn == "account-transactions:modified":
        periode = indhold["transactions"]
        transaktioner = hent_transaktioner(
            bruger,
            indhold["account"]["id"],
            periode["earliestModifiedBookedDate"],
            periode["latestModifiedBookedDate"],
        )
        gem(db, "transaktioner", indhold["account"]["id"], transaktioner)
        underret(db, bruger, f"{len(transaktioner)} nye eller ændrede transaktioner")
    elif navn == "account-transactions:deleted":
        slettede = indhold["transactions"]["ids"]
        db.executemany("DELETE FROM transaktioner WHERE id = ?", [(i,) for i in slettede])
        underret(db, bruger, f"{len(slettede)} transaktioner er fjernet")
    elif navn in ("account:created", "account:updated"):
        gem(db, "konti", bruger, hent_konti(bruger))
        underret(db, bruger, "dine konti er opdateret")
    elif navn == "refresh:finished":
        status = indhold["credentialsStatus"]
        if status in ("SESSION_EXPIRED", "AUTHENTICATION_ERROR"):
            underret(db, bruger, "forny adgangen til din bank i MoneyCapp")
    db.commit()


def behandl_sikkert(db: sqlite3.Connection, event: dict) -> None:
    """Behandl ét event; fejler det, lægges det i køen igen om lidt.

    Tink sender ikke eventet igen, når vi har svaret 204, så et event må
    aldrig tabes i stilhed: enhver fejl logges, og baggrundsprocessen lever
    videre."""
    try:
        behandl(db, event)
    except Exception as fejl:  # noqa: BLE001 – alt andet ville stoppe processen
        db.rollback()
        print(f"event {event.get('event')} fejlede ({fejl!r}); prøver igen om {GENFORSOEG_EFTER} s")
        threading.Timer(GENFORSOEG_EFTER, opgaver.put, args=(event,)).start()


def arbejder(sti: str = "moneycapp.db") -> None:
    db = sqlite3.connect(sti)
    opret_tabeller(db)
    while True:
        behandl_sikkert(db, opgaver.get())


if __name__ == "__main__":
    threading.Thread(target=arbejder, daemon=True).start()
    app.run(port=8080)
