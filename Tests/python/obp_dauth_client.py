#!/usr/bin/env python3
"""DAuth as OBP-API's seed describes it (seed 003), against a running GrantLedger.

A smart contract's caller builds the seed's RS256 token with PyJWT (the seed's payload, a fresh
timestamp) and sends it as the `DAuth` header: `GET /users/current` gets or creates its user
(provider `dauth.<network_name>`, username the contract address). The admin opens an account for
that user, which makes it the holder (the `owner` view). The contract then walks both seed
endpoints: "Create (DAuth) User with Account Access" (another contract's user with the `auditor`
view; the answer is the view's permission JSON) and "Create (DAuth) User with Roles" (refused with
OBP-30220 while the contract lacks the role, granted once it holds it; `{list: [...]}`), and
`/users/current` shows what it holds. Then the refusals: a token signed with another key, an
HS256 token keyed with the public key, `alg: none`, an expired timestamp, and a good token from an
address not allowed: each 401 with OBP-20001 and DAuth's reason; repeated knocking from one
address is one aggregated record in the audit trail. One line per check; exit 0 only if all pass.

    python3 obp_dauth_client.py --write-key DIR          # DIR/dauth-private.pem, DIR/dauth-public.pem
    python3 obp_dauth_client.py --base-url URL --admin-token TOKEN --private-key DIR/dauth-private.pem

The server must run with --dauth-public-key DIR/dauth-public.pem --dauth-allowed-ip 127.0.0.1.
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

from checks import describe, expect, json_of, run_steps

try:
    import jwt
    import requests
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
except ImportError as missing:
    sys.exit(f"FAIL - {missing}: install Tests/python/requirements.txt first (make python-deps)")

API = "/obp/v5.1.0"
# The seed's payload; the timestamp is made fresh, the contract addresses unique per run.
SEED_PAYLOAD = {
    "smart_contract_address": "0xe123425E7734CE288F8367e1Bb143E90bb3F051224",
    "network_name": "AIRNODE.TESTNET.ETHEREUM",
    "msg_sender": "0xe12340927f1725E7734CE288F8367e1Bb143E90fhku767",
    "consumer_key": "0x1234a4ec31e89cea54d1f125db7536e874ab4a96b4d4f6438668b6bb10a6adb",
    "timestamp": "2021-11-04T14:13:40Z",
    "request_id": "0Xe876987694328763492876348928736497869273649",
}


def now_rfc3339(offset_sec=0):
    moment = datetime.now(timezone.utc) + timedelta(seconds=offset_sec)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned_token(header, payload):
    return b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(payload).encode())


class Context:
    def __init__(self, args):
        self.base = args.base_url.rstrip("/")
        self.admin = {"Authorization": f"Bearer {args.admin_token}"}
        with open(args.private_key, "rb") as handle:
            self.private_pem = handle.read()
        self.public_pem = (
            serialization.load_pem_private_key(self.private_pem, password=None)
            .public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
        run = uuid.uuid4().hex[:12]
        self.contract = SEED_PAYLOAD["smart_contract_address"] + run
        self.other_contract = "0xf00d" + run
        self.role_contract = "0xbeef" + run
        self.bank_id = "gh.29.uk"
        self.account_id = "dauth-" + run
        self.provider = "dauth." + SEED_PAYLOAD["network_name"]

    def payload(self, **changes):
        payload = dict(SEED_PAYLOAD, smart_contract_address=self.contract, timestamp=now_rfc3339())
        payload.update(changes)
        return payload

    def token(self, **changes):
        return jwt.encode(self.payload(**changes), self.private_pem, algorithm="RS256", headers={"typ": "JWT"})

    def dauth(self, token=None):
        return {"DAuth": token or self.token()}


def step_current_user_is_made_by_dauth(ctx):
    response = requests.get(ctx.base + API + "/users/current", headers=ctx.dauth(), timeout=10)
    expect(response.status_code == 200, describe(response))
    body = json_of(response) or {}
    expect(
        set(body) >= {"user_id", "email", "provider_id", "provider", "username", "entitlements"},
        f"the seed's fields: {body}",
    )
    expect(body["username"] == ctx.contract and body["provider_id"] == ctx.contract, f"username: {body}")
    expect(body["provider"] == ctx.provider, f"provider dauth.<network_name>: {body}")
    expect(body["entitlements"] == {"list": []} and body["email"] == "", f"a new user holds nothing: {body}")
    ctx.user_id = body["user_id"]
    yield f"GET /users/current with the seed's DAuth token made user {ctx.user_id} ({ctx.provider}, {ctx.contract})"
    again = requests.get(ctx.base + API + "/users/current", headers=ctx.dauth(), timeout=10)
    expect(again.status_code == 200 and json_of(again)["user_id"] == ctx.user_id, describe(again))
    yield "the same contract is the same user the next time: (provider, username) is unique"


def step_the_contract_holds_an_account(ctx):
    bank = requests.post(
        ctx.base + API + "/banks", headers=ctx.admin, timeout=10,
        json={"id": ctx.bank_id, "bank_code": "CGHZ", "full_name": "The seed's bank"},
    )
    expect(bank.status_code == 201 or "OBP-34000" in bank.text, describe(bank))
    account = requests.put(
        f"{ctx.base}{API}/banks/{ctx.bank_id}/accounts/{ctx.account_id}", headers=ctx.admin, timeout=10,
        json={"user_id": ctx.user_id, "label": "contract account", "product_code": "1234",
              "balance": {"currency": "EUR", "amount": "0"}, "branch_id": "", "account_routings": []},
    )
    expect(account.status_code == 201, describe(account))
    expect(json_of(account)["user_id"] == ctx.user_id, describe(account))
    yield f"the admin opened {ctx.bank_id}/{ctx.account_id} for the contract's user (its holder)"


def step_create_user_with_account_access(ctx):
    url = f"{ctx.base}{API}/banks/{ctx.bank_id}/accounts/{ctx.account_id}/views/owner/user-account-access"
    wrong = requests.post(url, headers=ctx.dauth(), timeout=10,
                          json={"username": ctx.other_contract, "provider": "ETHEREUM", "view_id": "auditor", "is_system": True})
    expect(wrong.status_code == 400 and "OBP-20103" in wrong.text, describe(wrong))
    yield "a provider that is not dauth.* is refused: 400 OBP-20103"
    response = requests.post(url, headers=ctx.dauth(), timeout=10,
                             json={"username": ctx.other_contract, "provider": "dauth.ETHEREUM",
                                   "view_id": "auditor", "is_system": True})
    expect(response.status_code == 201, describe(response))
    view = json_of(response) or {}
    expect(view.get("id") == "auditor" and view.get("is_system") is True, f"the auditor view: {view}")
    expect(isinstance(view.get("can_see_transaction_amount"), bool), f"permission flags: {view}")
    expect(view.get("can_see_transaction_amount") is True and view.get("can_query_available_funds") is False, f"{view}")
    yield "POST …/views/owner/user-account-access made the other contract's user and answered the auditor view's permissions"
    access = requests.get(f"{ctx.base}{API}/banks/{ctx.bank_id}/accounts/{ctx.account_id}/account-access",
                          headers=ctx.dauth(), timeout=10)
    expect(access.status_code == 200, describe(access))
    views = sorted(row["view_id"] for row in json_of(access)["account_access"])
    expect(views == ["auditor", "owner"], f"owner and auditor on the account: {views}")
    yield "the holder reads the account's access: owner (itself) and auditor (the new user)"
    custom = requests.post(url, headers=ctx.dauth(), timeout=10,
                           json={"username": ctx.other_contract, "provider": "dauth.ETHEREUM", "view_id": "_team"})
    expect(custom.status_code == 403 and "OBP-20085" in custom.text, describe(custom))
    yield "owner cannot hand out a custom view (can_grant_access_to_custom_views is false): 403 OBP-20085"


def step_create_user_with_roles(ctx):
    url = f"{ctx.base}{API}/user-entitlements"
    body = {"username": ctx.role_contract, "provider": "dauth.ETHEREUM",
            "roles": [{"bank_id": "", "role_name": "CanGetAnyUser"}]}
    refused = requests.post(url, headers=ctx.dauth(), json=body, timeout=10)
    expect(refused.status_code == 400 and "OBP-30220" in refused.text, describe(refused))
    yield "a contract cannot grant a role it does not hold: 400 OBP-30220"
    grant = requests.post(f"{ctx.base}{API}/users/{ctx.user_id}/entitlements", headers=ctx.admin, timeout=10,
                          json={"bank_id": "", "role_name": "CanGetAnyUser"})
    expect(grant.status_code == 201, describe(grant))
    response = requests.post(url, headers=ctx.dauth(), json=body, timeout=10)
    expect(response.status_code == 201, describe(response))
    listed = (json_of(response) or {}).get("list") or []
    expect(len(listed) == 1 and set(listed[0]) == {"entitlement_id", "role_name", "bank_id", "user_id"}, f"{listed}")
    expect(listed[0]["role_name"] == "CanGetAnyUser" and listed[0]["bank_id"] == "", f"{listed}")
    yield f"POST /user-entitlements granted CanGetAnyUser to {ctx.role_contract}'s new user: {{list: [...]}}"
    again = requests.post(url, headers=ctx.dauth(), json=body, timeout=10)
    expect(again.status_code == 400 and "OBP-30216" in again.text, describe(again))
    yield "granting it again is refused: 400 OBP-30216"
    bad = requests.post(url, headers=ctx.dauth(), timeout=10,
                        json={"username": ctx.role_contract, "provider": "dauth.ETHEREUM",
                              "roles": [{"bank_id": "", "role_name": "CanCreateAccount"}]})
    expect(bad.status_code == 400 and "OBP-30205" in bad.text, describe(bad))
    yield "a bank role without a bank id: 400 OBP-30205"


def step_current_user_shows_the_grants(ctx):
    response = requests.get(ctx.base + API + "/users/current", headers=ctx.dauth(), timeout=10)
    expect(response.status_code == 200, describe(response))
    body = json_of(response)
    roles = [entry["role_name"] for entry in body["entitlements"]["list"]]
    expect(roles == ["CanGetAnyUser"], f"the contract's roles: {body}")
    views = body.get("views", {}).get("list", [])
    expect({"bank_id": ctx.bank_id, "account_id": ctx.account_id, "view_id": "owner"} in views, f"views: {body}")
    yield "GET /users/current lists the contract's role and its owner view"


def refused(ctx, headers, reason, code="OBP-20071", connection=None, why=None):
    if connection is None:
        response = requests.get(ctx.base + API + "/users/current", headers=headers, timeout=10)
        status, text = response.status_code, response.text
    else:
        connection.request("GET", API + "/users/current", headers=headers)
        answer = connection.getresponse()
        status, text = answer.status, answer.read().decode()
    expect(status == 401, f"{reason}: {status} {text}")
    expect("OBP-20001" in text and code in text, f"{reason}: {text}")
    # The check that refused it, not just any: a defence removed would be refused by another.
    expect(why is None or why.lower() in text.lower(), f"{reason}: expected '{why}' in {text}")
    return f"{reason}: 401 OBP-20001 <- {code}" + (f" ({why})" if why else "")


def step_bad_tokens_are_refused(ctx):
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(ctx.payload(), other_key, algorithm="RS256")
    yield refused(ctx, {"DAuth": forged}, "a token signed with another RSA key", why="signature does not verify")
    header = {"alg": "HS256", "typ": "JWT"}
    signing_input = unsigned_token(header, ctx.payload())
    mac = hmac.new(ctx.public_pem, signing_input.encode(), hashlib.sha256).digest()
    yield refused(ctx, {"DAuth": signing_input + "." + b64url(mac)}, "an HS256 token keyed with the public key",
                  why="alg HS256 is not accepted")
    yield refused(ctx, {"DAuth": unsigned_token({"alg": "none", "typ": "JWT"}, ctx.payload()) + "."}, "alg: none",
                  why="alg none is not accepted")
    yield refused(ctx, {"DAuth": ctx.token(timestamp=SEED_PAYLOAD["timestamp"])}, "the seed's 2021 timestamp",
                  why="the token has expired")
    yield refused(ctx, {"DAuth": ctx.token(timestamp=now_rfc3339(3600))}, "a timestamp an hour ahead",
                  why="timestamp is in the future")
    unsigned = {k: v for k, v in ctx.payload().items() if k != "consumer_key"}
    yield refused(ctx, {"DAuth": jwt.encode(unsigned, ctx.private_pem, algorithm="RS256")}, "no consumer_key",
                  why="Missing claims: consumer_key")


def step_disallowed_address_is_refused_and_logged_once(ctx):
    url = urlparse(ctx.base)
    # The whole of 127/8 is this machine: connecting from 127.0.0.2 is another peer address.
    lines = []
    for _ in range(5):
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10, source_address=("127.0.0.2", 0))
        try:
            lines.append(refused(ctx, ctx.dauth(), "a good token from 127.0.0.2", code="OBP-20069", connection=connection))
        finally:
            connection.close()
    yield lines[0] + " (five times)"
    records = requests.get(ctx.base + "/audit/events", headers=ctx.admin, timeout=10,
                           params={"subject_id": "127.0.0.2", "event_code": "DAuthRefused"})
    expect(records.status_code == 200, describe(records))
    found = records.json().get("records") or records.json().get("entries") or []
    expect(len(found) == 1, f"one aggregated refusal record for the address within the minute: {records.text[:600]}")
    expect(found[0].get("outcome") == "failure", f"{found[0]}")
    yield "five knocks from one address in a minute are one DAuthRefused record (outcome failure)"


def run(ctx):
    steps = [
        ("current user by DAuth", step_current_user_is_made_by_dauth, []),
        ("account holder", step_the_contract_holds_an_account, ["current user by DAuth"]),
        ("create user with account access", step_create_user_with_account_access, ["account holder"]),
        ("create user with roles", step_create_user_with_roles, ["current user by DAuth"]),
        ("current user shows the grants", step_current_user_shows_the_grants,
         ["create user with roles", "account holder"]),
        ("bad tokens", step_bad_tokens_are_refused, []),
        ("disallowed address", step_disallowed_address_is_refused_and_logged_once, []),
    ]
    yield from run_steps(ctx, steps, errors=[(jwt.PyJWTError, lambda _, error: f"PyJWT: {error}")])


def write_key(directory):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "dauth-private.pem"), "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    with open(os.path.join(directory, "dauth-public.pem"), "wb") as handle:
        handle.write(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo))
    print(f"wrote {directory}/dauth-private.pem and {directory}/dauth-public.pem")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write-key", help="write a fresh RSA key pair into this directory and stop")
    parser.add_argument("--base-url", help="the server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--admin-token", default=os.environ.get("GRANTLEDGER_ADMIN_TOKEN"))
    parser.add_argument("--private-key", help="the DAuth signing key (PEM) whose public half the server trusts")
    args = parser.parse_args()
    if args.write_key:
        return write_key(args.write_key)
    if not (args.base_url and args.admin_token and args.private_key):
        parser.error("--base-url, --admin-token and --private-key are required")
    print(f"requests {requests.__version__}, PyJWT {jwt.__version__} against {args.base_url}")
    started = time.monotonic()
    passed = failed = 0
    for ok, line in run(Context(args)):
        if ok:
            passed += 1
            print(f"PASS - {line}", flush=True)
        else:
            failed += 1
            print(f"FAIL - {line}", flush=True)
    print(f"{passed} passed, {failed} failed")
    print(f"run time {time.monotonic() - started:.1f}s")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
