"""MoneyCapps webhook-modtager: verificér X-Tink-Signature, og reagér på events."""
import hashlib
import hmac
import os
import time

from flask import Flask, abort, request

app = Flask(__name__)


def beregn_signatur(secret: str, t: str, raw_body: bytes) -> str:
    """HMAC-SHA256 over t + "." + den rå body, som hex (Tinks "v1")."""
    besked = t.encode() + b"." + raw_body
    return hmac.new(secret.encode(), besked, hashlib.sha256).hexdigest()


def signatur_er_gyldig(raw_body: bytes, header: str, secret: str, nu: float | None = None) -> bool:
    dele = dict(del_.split("=", 1) for del_ in header.split(",") if "=" in del_)
    t, v1 = dele.get("t", ""), dele.get("v1", "")
    if not t.isdigit() or not v1:
        return False
    # Afvis gamle events, men giv mindst 5 minutter, så Tinks genforsøg når frem.
    if abs((nu or time.time()) - int(t)) > 300:
        return False
    return hmac.compare_digest(beregn_signatur(secret, t, raw_body), v1)


@app.post("/webhooks/tink")
def tink_webhook():
    raw = request.get_data()  # den rå body, præcis som modtaget
    header = request.headers.get("X-Tink-Signature", "")
    if not signatur_er_gyldig(raw, header, os.environ["TINK_WEBHOOK_SECRET"]):
        abort(412)  # Precondition Failed: kassér eventet
    event = request.get_json()
    if event["event"] == "account-transactions:modified":
        konto = event["content"]["account"]["id"]
        periode = event["content"]["transactions"]
        # Hent de ændrede transaktioner som i trin 5:
        # accountIdIn=konto, bookedDateGte=periode["earliestModifiedBookedDate"],
        # bookedDateLte=periode["latestModifiedBookedDate"]
    return "", 204
