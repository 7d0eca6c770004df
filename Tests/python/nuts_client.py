#!/usr/bin/env python3
"""Practitioner login as an EHR written against the Nuts node's auth v1 API does it (seed 004).

Follows the Nuts node's authentication manual step by step with its exact request bodies, against
a running GrantLedger: the organisation is registered (what the node reads from a trusted
organisation credential), a login contract is drawn up (the seed's own body, and fixed dates whose
messages are checked character for character in English and Dutch), a signing session is started
with the dummy means and polled until it is completed (created, in-progress, completed with a
verifiable presentation), the presentation is verified, an access token is requested with it as the
identity and introspected (the practitioner's attributes), `accesstoken/verify` answers 200 for it
and 403 for garbage, and an access reported with `nuts-access-token:<jti>` as its authorisation
protocol comes back from the audit trail naming the practitioner, their organisation and the signed
contract. One line per check; exit 0 only if every check passes.

    python3 nuts_client.py --base-url http://127.0.0.1:8080 --admin-token "$ADMIN_TOKEN"

The admin token may also come from GRANTLEDGER_ADMIN_TOKEN. The server must list `dummy` in
--signing-means. Needs requests and PyJWT (see requirements.txt).
"""

import argparse
import os
import random
import sys
import time
from datetime import datetime, timezone
from checks import CheckFailed, describe, expect, json_of, run_steps  # noqa: F401 (shared harness)

try:
    import jwt
    import requests
except ImportError as missing:
    sys.exit(f"FAIL - {missing}: install Tests/python/requirements.txt first (make python-deps)")

# The seed's legal entity, and the organisation its example message names.
DID = "did:nuts:Ft8NRLzSjxyw8AmTHVtJ9ehBctXpsaQjshmHnqWCATEz"
NAME = "CareBears"
CITY = "CareTown"
# The care organisation whose data the token is for (any DID; it is the token's issuer).
AUTHORIZER = "did:nuts:JCJEi3waNGNhkmwVvFB3wdUsmDYPnTcZxYiWThZqgWKv"
SERVICE = "nuts-patient-transfer"
TIMEOUT = 10

# The seed's drawup body, verbatim.
SEED_DRAWUP = {
    "type": "PractitionerLogin",
    "language": "EN",
    "version": "v3",
    "legalEntity": DID,
    "validFrom": "2021-06-24T14:32:00+02:00",
    "validDuration": "1h",
}
# What the node's templates make of it (2021-06-24 is a Thursday; Amsterdam is on CEST, +02:00).
SEED_MESSAGE = (
    "EN:PractitionerLogin:v3 I hereby declare to act on behalf of CareBears located in CareTown. "
    "This declaration is valid from Thursday, 24 June 2021 14:32:00 until Thursday, 24 June 2021 15:32:00."
)
# 2026-11-30 is a Monday; Amsterdam is on CET (+01:00) then, so 09:00Z is 10:00 local.
FIXED_FROM = "2026-11-30T09:00:00Z"
FIXED_EN = (
    "EN:PractitionerLogin:v3 I hereby declare to act on behalf of CareBears located in CareTown. "
    "This declaration is valid from Monday, 30 November 2026 10:00:00 until Monday, 30 November 2026 12:00:00."
)
FIXED_NL = (
    "NL:BehandelaarLogin:v3 Hierbij verklaar ik te handelen in naam van CareBears te CareTown. "
    "Deze verklaring is geldig van maandag, 30 november 2026 10:00:00 tot maandag, 30 november 2026 12:00:00."
)




def expect_problem(response, status, what):
    """The node's error shape: application/problem+json with title, status and detail."""
    body = json_of(response)
    expect(response.status_code == status, f"{what}: expected {status}, got {describe(response)}")
    content_type = response.headers.get("Content-Type", "")
    expect(content_type.startswith("application/problem+json"), f"{what}: Content-Type {content_type!r}")
    expect(
        isinstance(body, dict) and body.get("status") == status and isinstance(body.get("title"), str)
        and isinstance(body.get("detail"), str),
        f"{what}: not a problem with title, status {status} and detail: {response.text.strip()[:300]}",
    )
    return body


class Context:
    def __init__(self, args):
        self.base = args.base_url.rstrip("/")
        self.admin = requests.Session()
        self.admin.headers["Authorization"] = f"Bearer {args.admin_token}"
        self.admin.headers["Accept"] = "application/json"
        self.state = {}

    def call(self, method, path, **kwargs):
        return self.admin.request(method, self.base + path, timeout=TIMEOUT, **kwargs)

    def drawup(self, body):
        return self.call("PUT", "/internal/auth/v1/contract/drawup", json=body)

    def status(self, session_id):
        return self.call("GET", f"/internal/auth/v1/signature/session/{session_id}")

    def introspect(self, token):
        response = self.call("POST", "/internal/auth/v1/accesstoken/introspect", data={"token": token})
        body = json_of(response)
        expect(response.status_code == 200 and isinstance(body, dict), f"introspect: {describe(response)}")
        return body


def register_organization(ctx, did, name, city):
    """POST /admin/organizations; an organisation already there (a rerun) is read back instead."""
    body = {"id": did, "name": name, "city": city}
    response = ctx.call("POST", "/admin/organizations", json=body)
    if response.status_code == 409:
        response = ctx.call("GET", "/admin/organizations/" + did)
        expect(response.status_code == 200, f"GET /admin/organizations/{did}: {describe(response)}")
    else:
        expect(response.status_code == 201, f"POST /admin/organizations: {describe(response)}")
    answer = json_of(response)
    expect(
        isinstance(answer, dict) and (answer.get("id"), answer.get("name"), answer.get("city")) == (did, name, city),
        f"the organisation answered {response.text.strip()[:300]}",
    )
    return response.status_code


# --- steps --------------------------------------------------------------------------------------


def step_organization(ctx):
    unauthenticated = requests.post(
        ctx.base + "/admin/organizations", json={"id": DID, "name": NAME, "city": CITY}, timeout=TIMEOUT
    )
    expect(unauthenticated.status_code == 401, f"without the admin credential: {describe(unauthenticated)}")
    yield "POST /admin/organizations without the admin credential: 401"
    status = register_organization(ctx, DID, NAME, CITY)
    yield f'POST /admin/organizations {{"id": "{DID}", "name": "{NAME}", "city": "{CITY}"}}: {status}'
    response = ctx.call("GET", "/admin/organizations/" + DID)
    answer = json_of(response)
    expect(response.status_code == 200 and isinstance(answer, dict), f"GET the organisation: {describe(response)}")
    expect((answer.get("name"), answer.get("city")) == (NAME, CITY), f"GET the organisation: {answer}")
    yield f"GET /admin/organizations/{DID}: {NAME} in {CITY}"


def step_drawup(ctx):
    response = requests.put(ctx.base + "/internal/auth/v1/contract/drawup", json=SEED_DRAWUP, timeout=TIMEOUT)
    expect_problem(response, 401, "drawup without a credential")
    yield "drawup without a credential: 401 problem+json (internal endpoints need the admin credential)"

    response = ctx.drawup(SEED_DRAWUP)
    body = json_of(response)
    expect(response.status_code == 200 and isinstance(body, dict), f"the seed's drawup: {describe(response)}")
    expect(
        set(body) == {"message", "type", "language", "version"},
        f"the drawup answer's fields are {sorted(body)}, not message, type, language, version",
    )
    expect(
        (body["type"], body["language"], body["version"]) == ("PractitionerLogin", "EN", "v3"),
        f"the drawup answer is {body}",
    )
    expect(body["message"] == SEED_MESSAGE, f"the seed's drawup message is\n  {body['message']!r}\nnot\n  {SEED_MESSAGE!r}")
    yield f"PUT /internal/auth/v1/contract/drawup with the seed's body: 200 {body['message']!r}"

    fixed = {**SEED_DRAWUP, "validFrom": FIXED_FROM, "validDuration": "2h"}
    response = ctx.drawup(fixed)
    body = json_of(response) or {}
    expect(response.status_code == 200, f"drawup from {FIXED_FROM}: {describe(response)}")
    expect(body.get("message") == FIXED_EN, f"drawup EN from {FIXED_FROM} is\n  {body.get('message')!r}\nnot\n  {FIXED_EN!r}")
    yield f"drawup EN validFrom {FIXED_FROM}, 2h: character for character {FIXED_EN!r}"

    dutch = {**fixed, "type": "BehandelaarLogin", "language": "NL"}
    response = ctx.drawup(dutch)
    body = json_of(response) or {}
    expect(response.status_code == 200, f"drawup NL from {FIXED_FROM}: {describe(response)}")
    expect(body.get("message") == FIXED_NL, f"drawup NL from {FIXED_FROM} is\n  {body.get('message')!r}\nnot\n  {FIXED_NL!r}")
    expect(
        (body.get("type"), body.get("language"), body.get("version")) == ("BehandelaarLogin", "NL", "v3"),
        f"the NL drawup answer is {body}",
    )
    yield f"drawup NL validFrom {FIXED_FROM}, 2h: character for character {FIXED_NL!r}"

    # The one the practitioner signs: valid from now (validFrom omitted), for 2 hours.
    now = {key: value for key, value in SEED_DRAWUP.items() if key != "validFrom"}
    now["validDuration"] = "2h"
    response = ctx.drawup(now)
    body = json_of(response) or {}
    expect(response.status_code == 200 and isinstance(body.get("message"), str), f"drawup now: {describe(response)}")
    message = body["message"]
    expect(
        message.startswith(
            "EN:PractitionerLogin:v3 I hereby declare to act on behalf of CareBears located in CareTown. "
            "This declaration is valid from "
        ),
        f"drawup now: {message!r}",
    )
    ctx.state["message"] = message
    yield f"drawup without validFrom (now), 2h: {message!r}"


def step_dummy_session(ctx):
    message = ctx.state["message"]
    response = ctx.call(
        "POST", "/internal/auth/v1/signature/session", json={"means": "dummy", "payload": message, "params": {}}
    )
    body = json_of(response)
    expect(response.status_code == 201 and isinstance(body, dict), f"POST signature/session: {describe(response)}")
    expect(set(body) >= {"sessionID", "sessionPtr", "means"}, f"the session answer is {body}")
    expect(body["means"] == "dummy", f"the session's means is {body['means']!r}")
    expect(isinstance(body["sessionID"], str) and body["sessionID"], f"sessionID is {body['sessionID']!r}")
    expect(isinstance(body["sessionPtr"], dict), f"sessionPtr is {body['sessionPtr']!r}, not an object")
    session_id = body["sessionID"]
    yield f"POST /internal/auth/v1/signature/session (means dummy, the drawn-up message): 201 sessionID {session_id}"

    statuses = []
    presentation = None
    for _ in range(10):
        response = ctx.status(session_id)
        answer = json_of(response)
        expect(response.status_code == 200 and isinstance(answer, dict), f"poll {len(statuses) + 1}: {describe(response)}")
        statuses.append(answer.get("status"))
        if answer.get("status") == "completed":
            presentation = answer.get("verifiablePresentation")
            break
        expect("verifiablePresentation" not in answer, f"a {answer.get('status')!r} status carries a presentation: {answer}")
    expect(
        statuses == ["created", "in-progress", "completed"],
        f"the dummy session's polls answered {statuses}, not created, in-progress, completed",
    )
    yield f"GET /internal/auth/v1/signature/session/{{id}} polled: {', '.join(statuses)}"

    expect(isinstance(presentation, dict), f"completed without a verifiablePresentation object: {presentation!r}")
    types = presentation.get("type")
    expect(
        isinstance(types, list) and "VerifiablePresentation" in types and "DummyVerifiablePresentation" in types,
        f"the presentation's type is {types!r}",
    )
    expect(
        "https://www.w3.org/2018/credentials/v1" in (presentation.get("@context") or []),
        f"the presentation's @context is {presentation.get('@context')!r}",
    )
    expect(isinstance(presentation.get("proof"), dict), f"the presentation's proof is {presentation.get('proof')!r}")
    ctx.state["vp"] = presentation
    yield f"completed with a verifiablePresentation of type {types}"

    response = ctx.status(session_id)
    expect_problem(response, 404, "a poll after the presentation was handed out")
    yield "the next poll: 404 problem+json (the presentation is handed out once, as the node's dummy means does)"

    # The seed's session body exactly as it shows it: no params at all.
    response = ctx.call("POST", "/internal/auth/v1/signature/session", json={"means": "dummy", "payload": message})
    expect(response.status_code == 201, f"the seed's session body (no params): {describe(response)}")
    yield "POST signature/session with the seed's body verbatim (means and payload only): 201"


def step_verify(ctx):
    vp = ctx.state["vp"]
    response = ctx.call("PUT", "/internal/auth/v1/signature/verify", json={"VerifiablePresentation": vp})
    body = json_of(response)
    expect(response.status_code == 200 and isinstance(body, dict), f"signature/verify: {describe(response)}")
    expect(body.get("validity") is True, f"signature/verify: {body}")
    expect(body.get("vpType") == "DummyVerifiablePresentation", f"vpType is {body.get('vpType')!r}")
    attributes = body.get("issuerAttributes") or {}
    wanted = {"initials": "I", "prefix": "von", "familyname": "Dummy", "assurance_level": "low"}
    wrong = {key: attributes.get(key) for key, value in wanted.items() if attributes.get(key) != value}
    expect(not wrong, f"issuerAttributes differ from {wanted}: {attributes}")
    expect(isinstance(attributes.get("username"), str) and attributes["username"], f"no username: {attributes}")
    credentials = body.get("credentials") or {}
    expect(
        credentials.get("legal_entity") == NAME and credentials.get("legal_entity_city") == CITY
        and isinstance(credentials.get("valid_from"), str) and isinstance(credentials.get("valid_to"), str),
        f"credentials are {credentials}",
    )
    ctx.state["username"] = attributes["username"]
    yield (
        f"PUT /internal/auth/v1/signature/verify: validity true, vpType DummyVerifiablePresentation, "
        f"issuerAttributes {attributes}, credentials {credentials}"
    )

    early = "2020-01-01T00:00:00Z"
    response = ctx.call(
        "PUT", "/internal/auth/v1/signature/verify", json={"VerifiablePresentation": vp, "checkTime": early}
    )
    body = json_of(response)
    expect(response.status_code == 200 and body == {"validity": False}, f"verify at {early}: {describe(response)}")
    yield f"verify with checkTime {early} (before the contract's validFrom): exactly {{\"validity\": false}}"

    tampered = {**vp, "proof": {**vp["proof"]}}
    for key in ("challenge", "Contract"):
        if isinstance(tampered["proof"].get(key), str):
            tampered["proof"][key] = tampered["proof"][key].replace(NAME, "EvilBears")
    response = ctx.call("PUT", "/internal/auth/v1/signature/verify", json={"VerifiablePresentation": tampered})
    body = json_of(response)
    expect(
        (response.status_code == 200 and body == {"validity": False}) or response.status_code == 400,
        f"verify of a tampered presentation: {describe(response)}",
    )
    yield f"verify of a presentation whose contract was altered: {response.status_code} {response.text.strip()[:80]}"


def step_access_token(ctx):
    vp = ctx.state["vp"]
    request = {
        "authorizer": AUTHORIZER,
        "requester": DID,
        "identity": vp,
        "service": SERVICE,
        "credentials": [],
    }
    response = ctx.call("POST", "/internal/auth/v1/request-access-token", json=request)
    body = json_of(response)
    expect(response.status_code == 200 and isinstance(body, dict), f"request-access-token: {describe(response)}")
    expect(isinstance(body.get("access_token"), str) and body["access_token"], f"no access_token: {body}")
    expect(body.get("token_type") == "bearer", f"token_type is {body.get('token_type')!r}, not 'bearer'")
    expect(body.get("expires_in") == 60, f"expires_in is {body.get('expires_in')!r}, not 60 (RFC003)")
    token = body["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    header = jwt.get_unverified_header(token)
    expect(isinstance(claims.get("jti"), str) and claims["jti"], f"the access token has no jti: {claims}")
    ctx.state["token"] = token
    ctx.state["jti"] = claims["jti"]
    yield (
        f"POST /internal/auth/v1/request-access-token: 200 token_type bearer, expires_in 60; "
        f"JWT header {header}, jti {claims['jti']}"
    )

    other = {**request, "requester": AUTHORIZER}
    expect_problem(ctx.call("POST", "/internal/auth/v1/request-access-token", json=other), 400, "another requester")
    yield "request-access-token with the contract signed for another organisation than the requester: 400"
    broken = {**request, "identity": {**vp, "proof": {**vp["proof"], "jws": "a.b.c"}}}
    expect_problem(ctx.call("POST", "/internal/auth/v1/request-access-token", json=broken), 400, "a forged proof")
    yield "request-access-token with a forged proof: 400"


def step_introspect(ctx):
    token = ctx.state["token"]
    body = ctx.introspect(token)
    expect(body.get("active") is True, f"introspection of the token: {body}")
    wanted = {
        "initials": "I",
        "prefix": "von",
        "family_name": "Dummy",
        "username": ctx.state["username"],
        "assurance_level": "low",
        "service": SERVICE,
        "iss": AUTHORIZER,
        "sub": DID,
    }
    wrong = {key: body.get(key) for key, value in wanted.items() if body.get(key) != value}
    expect(not wrong, f"introspection differs from {wanted} in {wrong}: {body}")
    expect(
        isinstance(body.get("exp"), int) and isinstance(body.get("iat"), int) and body["exp"] - body["iat"] == 60,
        f"exp/iat: {body.get('exp')!r} {body.get('iat')!r}",
    )
    yield f"POST /internal/auth/v1/accesstoken/introspect: active, {wanted}, exp - iat = 60"

    response = requests.head(
        ctx.base + "/internal/auth/v1/accesstoken/verify", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT
    )
    expect(response.status_code == 200, f"HEAD accesstoken/verify with the token: {describe(response)}")
    yield "HEAD /internal/auth/v1/accesstoken/verify with the token as Bearer (nothing else): 200"
    response = requests.head(
        ctx.base + "/internal/auth/v1/accesstoken/verify",
        headers={"Authorization": "Bearer not-a-token"},
        timeout=TIMEOUT,
    )
    expect(response.status_code == 403, f"HEAD accesstoken/verify with garbage: {describe(response)}")
    yield "HEAD accesstoken/verify with a garbage Bearer: 403"

    response = ctx.call("POST", "/internal/auth/v1/accesstoken/introspect", data={"token": "not-a-token"})
    expect(
        response.status_code == 200 and json_of(response) == {"active": False},
        f"introspection of garbage: {describe(response)}",
    )
    yield 'introspection of garbage: 200 exactly {"active": false}'


def step_audit(ctx):
    jti = ctx.state["jti"]
    subject = str(random.randint(100000000, 999999999))
    occurred = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    record = {
        "event": {
            "code": "110110",
            "system": "http://dicom.nema.org/resources/ontology/DCM",
            "display": "Patient Record",
        },
        "action": "R",
        "occurred_at": occurred,
        # What the resource server thinks; the token is the authority and wins.
        "user": {"id": "whoever", "role": "whatever"},
        "subject": {"id_type": "urn:oid:2.16.840.1.113883.2.4.6.3", "id": subject},
        "authorization_protocol": f"nuts-access-token:{jti}",
    }
    response = ctx.call("POST", "/audit/access", json=record)
    expect(response.status_code == 201, f"POST /audit/access: {describe(response)}")
    yield f"POST /audit/access with authorization_protocol nuts-access-token:{jti}: 201"

    unknown = {**record, "authorization_protocol": "nuts-access-token:no-such-token"}
    response = ctx.call("POST", "/audit/access", json=unknown)
    expect(400 <= response.status_code < 500, f"POST /audit/access with an unknown jti: {describe(response)}")
    yield f"POST /audit/access naming a token this ledger never issued: {response.status_code}"

    response = ctx.call("GET", "/audit/events", params={"subject_id": subject})
    page = json_of(response)
    expect(response.status_code == 200 and isinstance(page, dict), f"GET /audit/events: {describe(response)}")
    records = page.get("records") or []
    expect(len(records) == 1, f"GET /audit/events?subject_id={subject} has {len(records)} records: {page}")
    got = records[0]
    user = got.get("user") or {}
    organization = got.get("organization") or {}
    expect(user.get("id") == ctx.state["username"], f"user.id is {user.get('id')!r}, not {ctx.state['username']!r}")
    expect("Dummy" in (user.get("name") or ""), f"user.name is {user.get('name')!r}, without Dummy")
    expect(organization.get("id") == DID, f"organization.id is {organization.get('id')!r}")
    expect(organization.get("name") == NAME, f"organization.name is {organization.get('name')!r}")
    expect(
        got.get("authorization_protocol") == ctx.state["message"],
        f"authorization_protocol is {got.get('authorization_protocol')!r}, not the signed contract",
    )
    yield (
        f"GET /audit/events?subject_id={subject}: user {user}, organization {organization}, "
        f"authorization_protocol the signed contract"
    )


# (name, function, the steps it needs)
STEPS = [
    ("organisation", step_organization, []),
    ("drawup", step_drawup, ["organisation"]),
    ("dummy session", step_dummy_session, ["drawup"]),
    ("verify", step_verify, ["dummy session"]),
    ("access token", step_access_token, ["verify"]),
    ("introspect", step_introspect, ["access token"]),
    ("audit", step_audit, ["access token"]),
]


def run(ctx):
    return run_steps(ctx, STEPS, [(jwt.exceptions.PyJWTError, lambda _, error: f"PyJWT cannot read a token: {type(error).__name__}: {error}")])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    parser.add_argument(
        "--admin-token",
        default=os.environ.get("GRANTLEDGER_ADMIN_TOKEN"),
        help="the admin credential (default: $GRANTLEDGER_ADMIN_TOKEN)",
    )
    args = parser.parse_args()
    if not args.admin_token:
        parser.error("--admin-token or GRANTLEDGER_ADMIN_TOKEN is required")
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
