#!/usr/bin/env python3
"""OAuth 2 / OIDC flows against GrantLedger, as a Python client written with authlib would run them.

Discovers the endpoints from the RFC 8414 metadata, registers a confidential and a public client at
`POST /admin/clients`, then drives the authorization code grant with PKCE S256 through authlib's
OAuth2Session (the authorization request carries the user's bearer JWT; the 302 is read, not
followed), verifies the RFC 9068 access token with PyJWT using nothing but the JWKS, and checks the
gateway (balance, budgeted payments, 401/403), refresh rotation and reuse detection, RFC 7662
introspection, the Alby-style introspection, RFC 7009 revocation, the device grant (RFC 8628) and
client credentials. One line per check; a failed check ends its step, the other steps still run;
exit 0 only if every check passes.

    python3 oauth_client.py --base-url http://127.0.0.1:8080 --issuer http://127.0.0.1:8080 \
        --admin-token "$ADMIN_TOKEN" --user-token "$USER_JWT"

--user-token is a short-lived ES256 JWT the server trusts for the user "py-user" (--user-sub).
Needs authlib, requests and PyJWT[crypto] (see requirements.txt).
"""

import argparse
import sys
import time
from urllib.parse import parse_qs, urljoin, urlsplit
from checks import CheckFailed, describe, expect, json_of  # noqa: F401 (shared harness)

try:
    import authlib
    import jwt
    import requests
    from authlib.common.errors import AuthlibBaseError
    from authlib.common.security import generate_token
    from authlib.integrations.base_client import OAuthError
    from authlib.integrations.requests_client import OAuth2Session
    from authlib.oauth2.rfc8414 import AuthorizationServerMetadata
except ImportError as missing:
    sys.exit(f"FAIL - {missing}: install Tests/python/requirements.txt first (make python-deps)")

REDIRECT_URI = "http://localhost:33388/callback"
CONFIDENTIAL_SCOPES = ["balance:read", "invoices:read", "payments:send"]
PUBLIC_SCOPES = ["balance:read", "invoices:read"]
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
BUDGET = "10000/daily"  # sat per period, as NWC budgets are written: 10,000 sat a day
DESTINATION = "02" + "ab" * 32  # a compressed secp256k1 public key, 33 bytes in hex
TIMEOUT = 10
METADATA_PATHS = ("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")
ENDPOINTS = (
    "authorization_endpoint",
    "token_endpoint",
    "jwks_uri",
    "introspection_endpoint",
    "revocation_endpoint",
    "device_authorization_endpoint",
)




class Context:
    """What the steps share: the arguments, a plain HTTP session, the metadata and the clients."""

    def __init__(self, args):
        self.args = args
        self.base = args.base_url.rstrip("/")
        self.http = requests.Session()
        self.http.headers["Accept"] = "application/json"
        self.meta = None
        self.jwks = None
        self.confidential = None
        self.public = None
        self.state = {}

    # --- plain HTTP ---------------------------------------------------------------------------

    def get(self, path, **kwargs):
        return self.http.get(self.base + path, timeout=TIMEOUT, **kwargs)

    def bearer(self, method, path, token, body=None):
        """A gateway call with `Authorization: Bearer <token>` (none if token is None)."""
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        return self.http.request(method, self.base + path, headers=headers, json=body, timeout=TIMEOUT)

    def endpoint(self, name):
        return self.meta[name]

    # --- authlib ------------------------------------------------------------------------------

    def session(self, client, scope=None, auth_method=None):
        """An authlib OAuth2Session for a registered client, remembering the last token response."""
        session = OAuth2Session(
            client_id=client["client_id"],
            client_secret=client.get("client_secret"),
            token_endpoint_auth_method=auth_method,
            scope=scope,
            redirect_uri=REDIRECT_URI,
            code_challenge_method="S256",
            token_endpoint=self.endpoint("token_endpoint"),
            leeway=0,
            default_timeout=TIMEOUT,
        )
        session.last_response = None

        def record(response):
            session.last_response = response
            return response

        session.register_compliance_hook("access_token_response", record)
        session.register_compliance_hook("refresh_token_response", record)
        return session

    def authorize(self, session, **extra):
        """The authorization request with the user's bearer JWT; returns (Location, state, verifier)."""
        verifier = generate_token(64)
        url, state = session.create_authorization_url(
            self.endpoint("authorization_endpoint"), code_verifier=verifier, **extra
        )
        response = self.http.get(
            url,
            headers={"Authorization": f"Bearer {self.args.user_token}"},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        expect(response.status_code == 302, f"authorization request: expected 302, got {describe(response)}")
        location = response.headers.get("Location", "")
        expect(location.startswith(REDIRECT_URI + "?"), f"authorization request: Location is {location!r}")
        query = parse_qs(urlsplit(location).query)
        expect(
            query.get("state") == [state], f"authorization request: state in {location!r} is not {state!r}"
        )
        expect(len(query.get("code", [])) == 1, f"authorization request: no code in {location!r}")
        return location, state, verifier

    def code_grant(self, session, **extra):
        """authorize() then authlib's fetch_token(authorization_response=...); returns the token."""
        location, state, verifier = self.authorize(session, **extra)
        return session.fetch_token(
            self.endpoint("token_endpoint"),
            authorization_response=location,
            state=state,
            code_verifier=verifier,
        )

    def introspect(self, token):
        """RFC 7662 with authlib's introspect_token, as the confidential client (HTTP Basic)."""
        session = self.session(self.confidential)
        response = session.introspect_token(self.endpoint("introspection_endpoint"), token=token)
        expect(response.status_code == 200, f"introspection: expected 200, got {describe(response)}")
        body = json_of(response)
        expect(isinstance(body, dict), f"introspection: not a JSON object: {describe(response)}")
        return body

    def verify(self, access_token):
        """RFC 9068 checks with PyJWT and nothing but the JWKS at jwks_uri."""
        header = jwt.get_unverified_header(access_token)
        typ = str(header.get("typ", ""))
        expect(typ.lower() in ("at+jwt", "application/at+jwt"), f"access token typ is {typ!r}, not at+jwt")
        expect(header.get("alg") == "ES256", f"access token alg is {header.get('alg')!r}, not ES256")
        expect(header.get("kid"), f"access token header has no kid: {header}")
        key = self.jwks.get_signing_key_from_jwt(access_token)
        return jwt.decode(
            access_token,
            key=key,
            algorithms=["ES256"],
            audience=self.args.issuer,
            issuer=self.args.issuer,
            leeway=2,
            options={"require": ["iss", "sub", "aud", "exp", "iat", "jti"]},
        )


# --- shared checks ------------------------------------------------------------------------------


def scope_set(value):
    return set(value.split()) if isinstance(value, str) else None


def check_token_response(token, scopes, refresh=True, what="token response"):
    expect(
        isinstance(token.get("access_token"), str) and token["access_token"],
        f"{what}: no access_token: {token}",
    )
    token_type = token.get("token_type")
    expect(
        isinstance(token_type, str) and token_type.lower() == "bearer",
        f"{what}: token_type is {token_type!r}",
    )
    expires_in = token.get("expires_in")
    expect(type(expires_in) is int and expires_in > 0, f"{what}: expires_in is {expires_in!r}")
    if refresh:
        expect(
            isinstance(token.get("refresh_token"), str) and token["refresh_token"],
            f"{what}: no refresh_token",
        )
    else:
        expect("refresh_token" not in token, f"{what}: has a refresh_token: {token}")
    expect(
        scope_set(token.get("scope")) == set(scopes), f"{what}: scope is {token.get('scope')!r}, not {scopes}"
    )


def check_claims(claims, client_id, scopes, sub):
    expect(
        claims.get("client_id") == client_id,
        f"client_id claim is {claims.get('client_id')!r}, not {client_id!r}",
    )
    expect(
        scope_set(claims.get("scope")) == set(scopes), f"scope claim is {claims.get('scope')!r}, not {scopes}"
    )
    if sub is not None:
        expect(claims.get("sub") == sub, f"sub claim is {claims.get('sub')!r}, not {sub!r}")
    for name in ("exp", "iat"):
        expect(type(claims.get(name)) is int, f"{name} claim is {claims.get(name)!r}, not an integer")


def expect_oauth_error(session, error, what, call, *args, **kwargs):
    """call(*args, **kwargs) must raise authlib's OAuthError with that RFC 6749 §5.2 code, HTTP 400."""
    session.last_response = None
    try:
        token = call(*args, **kwargs)
    except OAuthError as failure:
        expect(
            failure.error == error,
            f"{what}: error is {failure.error!r} ({failure.description}), not {error!r}",
        )
        status = session.last_response.status_code if session.last_response is not None else None
        expect(status == 400, f"{what}: HTTP status is {status}, not 400")
        return failure
    raise CheckFailed(f"{what}: expected error {error!r}, got a token response with {sorted(token)}")


def expect_www_authenticate(response, status, error, what):
    expect(response.status_code == status, f"{what}: expected {status}, got {describe(response)}")
    header = response.headers.get("WWW-Authenticate", "")
    expect(header.lower().startswith("bearer"), f"{what}: WWW-Authenticate is {header!r}")
    expect(f'error="{error}"' in header, f'{what}: WWW-Authenticate {header!r} lacks error="{error}"')


def tamper(token):
    """The same JWT with one character of the signature changed (not the last: padding bits)."""
    head, payload, signature = token.split(".")
    middle = len(signature) // 2
    swapped = "A" if signature[middle] != "A" else "B"
    return ".".join([head, payload, signature[:middle] + swapped + signature[middle + 1 :]])


# --- steps --------------------------------------------------------------------------------------


def step_discovery(ctx):
    documents = {}
    for path in METADATA_PATHS:
        response = ctx.get(path)
        expect(response.status_code == 200, f"GET {path}: {describe(response)}")
        document = json_of(response)
        expect(isinstance(document, dict), f"GET {path}: not a JSON object")
        expect(document.get("issuer") == ctx.args.issuer, f"GET {path}: issuer {document.get('issuer')!r}")
        missing = [name for name in ENDPOINTS if not isinstance(document.get(name), str)]
        expect(not missing, f"GET {path}: no {', '.join(missing)}")
        try:
            AuthorizationServerMetadata(document).validate()
        except ValueError as error:
            raise CheckFailed(f"GET {path}: authlib's RFC 8414 validation: {error}") from error
        documents[path] = document
        yield f"GET {path}: issuer {ctx.args.issuer}, all endpoints, valid per authlib's RFC 8414 model"
    first, second = (documents[path] for path in METADATA_PATHS)
    differing = [name for name in ENDPOINTS if first[name] != second[name]]
    expect(not differing, f"the two metadata documents differ in {differing}")
    yield "both metadata documents name the same endpoints"
    meta = ctx.meta = first

    def has_all(name, wanted):
        values = meta.get(name)
        expect(
            isinstance(values, list) and set(wanted) <= set(values),
            f"{name} is {values!r}, lacks some of {wanted}",
        )

    has_all(
        "grant_types_supported",
        ["authorization_code", "refresh_token", "client_credentials", DEVICE_CODE_GRANT],
    )
    has_all("code_challenge_methods_supported", ["S256", "plain"])
    has_all("token_endpoint_auth_methods_supported", ["client_secret_basic", "client_secret_post", "none"])
    has_all("scopes_supported", CONFIDENTIAL_SCOPES)
    yield "grant types, PKCE methods, token endpoint auth methods and scopes are all advertised"

    ctx.jwks = jwt.PyJWKClient(meta["jwks_uri"], timeout=TIMEOUT)
    keys = ctx.jwks.get_signing_keys()
    ec_keys = [key for key in keys if key.key_type == "EC"]
    expect(ec_keys, f"the JWKS at {meta['jwks_uri']} has no EC signing key with a kid")
    yield f"JWKS at jwks_uri: {len(ec_keys)} EC signing key(s) with kid"

    response = ctx.get("/oauth/scopes")
    body = json_of(response)
    expect(response.status_code == 200 and isinstance(body, dict), f"GET /oauth/scopes: {describe(response)}")
    for scope in CONFIDENTIAL_SCOPES:
        expect(
            isinstance(body.get(scope), str) and body[scope], f"GET /oauth/scopes: no description of {scope}"
        )
    yield f"GET /oauth/scopes describes {', '.join(CONFIDENTIAL_SCOPES)}"


def step_clients(ctx):
    path = ctx.base + "/admin/clients"

    def register(body, token=ctx.args.admin_token):
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        return ctx.http.post(path, json=body, headers=headers, timeout=TIMEOUT)

    confidential = {
        "name": "py-confidential",
        "redirect_uris": [REDIRECT_URI],
        "public": False,
        "scopes": CONFIDENTIAL_SCOPES,
        "url": "https://example.com/py-confidential",
        "image_url": "https://example.com/py-confidential.png",
    }
    response = register(confidential, token=None)
    expect(
        response.status_code == 401,
        f"POST /admin/clients without admin token: expected 401, got {describe(response)}",
    )
    yield "POST /admin/clients without the admin token: 401"

    response = register(confidential)
    body = json_of(response)
    expect(
        response.status_code == 201 and isinstance(body, dict), f"POST /admin/clients: {describe(response)}"
    )
    expect(isinstance(body.get("client_id"), str) and body["client_id"], f"no client_id: {response.text}")
    expect(
        isinstance(body.get("client_secret"), str) and body["client_secret"],
        f"no client_secret: {response.text}",
    )
    ctx.confidential = body
    yield f"confidential client registered: 201, client_id {body['client_id']} with a client_secret"

    public = {"name": "py-public", "redirect_uris": [REDIRECT_URI], "public": True, "scopes": PUBLIC_SCOPES}
    response = register(public)
    body = json_of(response)
    expect(
        response.status_code == 201 and isinstance(body, dict),
        f"POST /admin/clients (public): {describe(response)}",
    )
    expect(isinstance(body.get("client_id"), str) and body["client_id"], f"no client_id: {response.text}")
    expect(not body.get("client_secret"), f"the public client got a client_secret: {response.text}")
    ctx.public = body
    yield f"public client registered: 201, client_id {body['client_id']}, no client_secret"


def step_code_grant(ctx):
    client_id = ctx.confidential["client_id"]
    session = ctx.session(ctx.confidential, scope=CONFIDENTIAL_SCOPES)
    token = ctx.code_grant(session, budget=BUDGET)
    check_token_response(token, CONFIDENTIAL_SCOPES)
    ctx.state["code_session"] = session
    ctx.state["first_token"] = dict(token)
    yield "confidential client: authorization code + PKCE S256 (Basic auth) -> access and refresh token"

    claims = ctx.verify(token["access_token"])
    check_claims(claims, client_id, CONFIDENTIAL_SCOPES, ctx.args.user_sub)
    yield "access token verifies with PyJWT from the JWKS only (at+jwt, ES256, kid, iss, aud, exp, iat, jti)"
    yield f"access token claims: sub {claims['sub']}, client_id, scope {claims['scope']!r}"

    response = ctx.bearer("GET", "/balance", token["access_token"])
    body = json_of(response)
    expect(response.status_code == 200, f"GET /balance: expected 200, got {describe(response)}")
    expect(isinstance(body, dict) and type(body.get("balance")) is int, f"GET /balance: {response.text}")
    yield f"gateway GET /balance: 200 {response.text.strip()}"

    response = ctx.bearer("GET", "/balance", None)
    expect(
        response.status_code == 401, f"GET /balance without a token: expected 401, got {describe(response)}"
    )
    expect(
        response.headers.get("WWW-Authenticate", "").lower().startswith("bearer"),
        "no WWW-Authenticate: Bearer",
    )
    yield "gateway GET /balance without a token: 401 with WWW-Authenticate: Bearer"
    response = ctx.bearer("GET", "/balance", tamper(token["access_token"]))
    expect_www_authenticate(response, 401, "invalid_token", "GET /balance with a tampered token")
    yield 'gateway GET /balance with a tampered signature: 401 error="invalid_token"'


def step_payments(ctx):
    access = ctx.state["first_token"]["access_token"]

    def keysend(sats):
        return ctx.bearer("POST", "/payments/keysend", access, {"destination": DESTINATION, "amount": sats})

    def balance():
        response = ctx.bearer("GET", "/balance", access)
        body = json_of(response)
        expect(response.status_code == 200 and isinstance(body, dict), f"GET /balance: {describe(response)}")
        return body.get("balance")

    response = keysend(6000)
    expect(200 <= response.status_code < 300, f"keysend 6000 sat within the budget: {describe(response)}")
    yield f"keysend 6000 sat within budget {BUDGET}: {response.status_code}"
    before = balance()
    response = keysend(6000)
    body = json_of(response)
    expect(
        not 200 <= response.status_code < 300, f"keysend over the budget was accepted: {describe(response)}"
    )
    expect(
        response.status_code in (402, 403),
        f"keysend over the budget: expected 402 or 403, got {describe(response)}",
    )
    expect(
        isinstance(body, dict) and body.get("error"), f"keysend over the budget: no error in {response.text}"
    )
    yield f"keysend 6000 more sat (12000 > 10000 a day): refused with {response.status_code}"
    after = balance()
    expect(after == before, f"the refused keysend moved the balance from {before} to {after}")
    yield f"the refused keysend left the balance at {after}"
    response = keysend(3000)
    expect(200 <= response.status_code < 300, f"keysend 3000 sat (9000 in all): {describe(response)}")
    yield f"keysend 3000 sat (9000 of 10000 used, the refused one not counted): {response.status_code}"


def step_refresh(ctx):
    session = ctx.state["code_session"]
    first = ctx.state["first_token"]
    token = session.refresh_token(ctx.endpoint("token_endpoint"))
    check_token_response(token, CONFIDENTIAL_SCOPES, what="refresh")
    expect(token["refresh_token"] != first["refresh_token"], "refresh returned the same refresh_token")
    expect(token["access_token"] != first["access_token"], "refresh returned the same access_token")
    ctx.state["refreshed"] = dict(token)
    yield "authlib refresh_token(): new access token and a rotated refresh token"


def step_introspect(ctx):
    token = ctx.state["refreshed"]
    body = ctx.introspect(token["access_token"])
    expect(body.get("active") is True, f"introspection: active is {body.get('active')!r}: {body}")
    expect(body.get("client_id") == ctx.confidential["client_id"], f"introspection: client_id in {body}")
    expect(scope_set(body.get("scope")) == set(CONFIDENTIAL_SCOPES), f"introspection: scope in {body}")
    expect(body.get("sub") == ctx.args.user_sub, f"introspection: sub in {body}")
    expect(body.get("iss") == ctx.args.issuer, f"introspection: iss in {body}")
    for name in ("exp", "iat"):
        expect(type(body.get(name)) is int, f"introspection: {name} is {body.get(name)!r}")
    expect(isinstance(body.get("token_type"), str), f"introspection: token_type in {body}")
    yield "authlib introspect_token() on the refreshed access token: active, client_id, scope, sub, iss, exp"


def step_alby_introspect(ctx):
    response = ctx.bearer("GET", "/oauth/token/introspect", ctx.state["refreshed"]["access_token"])
    body = json_of(response)
    expect(
        response.status_code == 200 and isinstance(body, dict),
        f"GET /oauth/token/introspect: {describe(response)}",
    )
    expect(body.get("client_id") == ctx.confidential["client_id"], f"Alby introspection: client_id in {body}")
    expect(body.get("redirect_uri") == REDIRECT_URI, f"Alby introspection: redirect_uri in {body}")
    scopes = body.get("scopes")
    expect(
        isinstance(scopes, dict) and set(scopes) == set(CONFIDENTIAL_SCOPES),
        f"Alby introspection: scopes {scopes}",
    )
    expect(
        all(isinstance(text, str) and text for text in scopes.values()),
        f"Alby introspection: scopes {scopes}",
    )
    yield "GET /oauth/token/introspect: client_id, redirect_uri and described scopes"


def step_revoke(ctx):
    session = ctx.state["code_session"]
    token = ctx.state["refreshed"]
    response = session.revoke_token(
        ctx.endpoint("revocation_endpoint"), token=token["refresh_token"], token_type_hint="refresh_token"
    )
    expect(response.status_code == 200, f"revocation: expected 200, got {describe(response)}")
    yield "authlib revoke_token() on the refresh token: 200"
    body = ctx.introspect(token["access_token"])
    expect(
        body == {"active": False}, f'introspection after revocation: {body}, not exactly {{"active": false}}'
    )
    yield 'introspection of its access token after revocation: exactly {"active": false}'
    response = ctx.bearer("GET", "/balance", token["access_token"])
    expect_www_authenticate(response, 401, "invalid_token", "GET /balance after revocation")
    yield 'gateway GET /balance with the revoked grant\'s access token: 401 error="invalid_token"'
    expect_oauth_error(session, "invalid_grant", "refresh after revocation", session.refresh_token)
    yield "refresh with the revoked refresh token: 400 invalid_grant"


def step_refresh_reuse(ctx):
    session = ctx.session(ctx.confidential, scope=["balance:read"])
    first = ctx.code_grant(session)
    check_token_response(first, ["balance:read"])
    r1 = first["refresh_token"]
    second = session.refresh_token(ctx.endpoint("token_endpoint"))
    r2 = second["refresh_token"]
    expect(r2 != r1, "the refresh did not rotate the refresh token")
    yield "new grant refreshed once: R1 -> R2"
    refresh = session.refresh_token
    expect_oauth_error(session, "invalid_grant", "reuse of R1", refresh, refresh_token=r1)
    yield "reuse of the rotated-out R1: 400 invalid_grant"
    expect_oauth_error(session, "invalid_grant", "R2 after the reuse of R1", refresh, refresh_token=r2)
    yield "R2 after the reuse of R1: 400 invalid_grant (the family is revoked)"


def step_public(ctx):
    client_id = ctx.public["client_id"]
    session = ctx.session(ctx.public, scope=["balance:read"])
    expect(
        session.token_endpoint_auth_method == "none", f"authlib picked {session.token_endpoint_auth_method}"
    )
    location, state, verifier = ctx.authorize(session)
    token = session.fetch_token(
        ctx.endpoint("token_endpoint"), authorization_response=location, state=state, code_verifier=verifier
    )
    check_token_response(token, ["balance:read"])
    claims = ctx.verify(token["access_token"])
    check_claims(claims, client_id, ["balance:read"], ctx.args.user_sub)
    yield "public client: authorization code + PKCE S256 with client_id only (auth method none) -> tokens"

    # Before the code is reused below: reuse revokes this grant, and its token with it.
    response = ctx.bearer(
        "POST", "/payments/keysend", token["access_token"], {"destination": DESTINATION, "amount": 1}
    )
    expect_www_authenticate(response, 403, "insufficient_scope", "keysend with only balance:read")
    yield 'gateway POST /payments/keysend with only balance:read: 403 error="insufficient_scope"'

    again = ctx.session(ctx.public, scope=["balance:read"])
    what = "second use of the authorization code"
    fetch = again.fetch_token
    expect_oauth_error(
        again,
        "invalid_grant",
        what,
        fetch,
        authorization_response=location,
        state=state,
        code_verifier=verifier,
    )
    yield "second use of the same authorization code: 400 invalid_grant"

    location, state, _ = ctx.authorize(session)
    wrong = generate_token(64)
    what = "a code_verifier that does not match"
    fetch = session.fetch_token
    expect_oauth_error(
        session,
        "invalid_grant",
        what,
        fetch,
        authorization_response=location,
        state=state,
        code_verifier=wrong,
    )
    yield "authorization code with a wrong code_verifier: 400 invalid_grant"



def start_device(ctx, client, scopes):
    data = {"client_id": client["client_id"], "scope": " ".join(scopes)}
    auth = (client["client_id"], client["client_secret"]) if client.get("client_secret") else None
    url = ctx.endpoint("device_authorization_endpoint")
    response = ctx.http.post(url, data=data, auth=auth, timeout=TIMEOUT)
    body = json_of(response)
    expect(
        response.status_code == 200 and isinstance(body, dict), f"device authorization: {describe(response)}"
    )
    for name in ("device_code", "user_code", "verification_uri", "verification_uri_complete"):
        expect(isinstance(body.get(name), str) and body[name], f"device authorization: no {name} in {body}")
    for name in ("expires_in", "interval"):
        expect(type(body.get(name)) is int and body[name] > 0, f"device authorization: {name} in {body}")
    expect(
        body["user_code"] in body["verification_uri_complete"],
        f"verification_uri_complete {body['verification_uri_complete']!r} lacks the user_code",
    )
    return body


def decide(ctx, device, action=None):
    data = {"user_code": device["user_code"]}
    if action:
        data["action"] = action
    headers = {"Authorization": f"Bearer {ctx.args.user_token}"}
    url = urljoin(ctx.base + "/", device["verification_uri"])
    response = ctx.http.post(url, data=data, headers=headers, timeout=TIMEOUT)
    expect(
        response.status_code == 200 and json_of(response) is not None,
        f"POST verification_uri: {describe(response)}",
    )


def poll_device(session, device, interval):
    """RFC 8628 §3.5 polling with authlib's fetch_token: waits `interval` between polls, adds 5 s
    on slow_down, keeps on authorization_pending; returns (token, interval) or raises OAuthError."""
    deadline = time.monotonic() + min(device["expires_in"], 120)
    while True:
        time.sleep(interval)
        try:
            token = session.fetch_token(grant_type=DEVICE_CODE_GRANT, device_code=device["device_code"])
            return token, interval
        except OAuthError as failure:
            if failure.error == "slow_down":
                interval += 5
            elif failure.error != "authorization_pending":
                raise
        expect(time.monotonic() < deadline, "device grant: still pending at the deadline")


def step_device(ctx):
    scopes = ["balance:read"]
    device = start_device(ctx, ctx.public, scopes)
    interval = device["interval"]
    expires_in = device["expires_in"]
    user_code = device["user_code"]
    yield f"device authorization: user_code {user_code}, interval {interval}s, expires_in {expires_in}s"

    session = ctx.session(ctx.public)  # no scope: the RFC 8628 token request has none
    poll = {"grant_type": DEVICE_CODE_GRANT, "device_code": device["device_code"]}
    time.sleep(interval)
    expect_oauth_error(session, "authorization_pending", "poll before approval", session.fetch_token, **poll)
    yield f"poll after {interval}s, before approval: 400 authorization_pending"
    expect_oauth_error(session, "slow_down", "poll again at once", session.fetch_token, **poll)
    interval += 5
    yield f"poll again at once: 400 slow_down (interval now {interval}s)"

    decide(ctx, device)
    yield "the user approves at verification_uri with the user JWT: 200"
    token, interval = poll_device(session, device, interval)
    check_token_response(token, scopes)
    claims = ctx.verify(token["access_token"])
    check_claims(claims, ctx.public["client_id"], scopes, ctx.args.user_sub)
    yield f"polling (every {interval}s) returns tokens; the access token verifies, sub {claims['sub']}"
    time.sleep(interval)
    session.last_response = None
    try:
        again = session.fetch_token(**poll)
        raise CheckFailed(f"the device code gave tokens twice: {sorted(again)}")
    except OAuthError as failure:
        status = session.last_response.status_code if session.last_response is not None else None
        expect(status == 400, f"poll after the tokens: HTTP status {status}, not 400")
        yield f"poll after the tokens were issued: 400 {failure.error}"


def step_device_denied(ctx):
    device = start_device(ctx, ctx.public, ["balance:read"])
    decide(ctx, device, action="deny")
    yield "second device authorization, denied by the user (action=deny): 200"
    session = ctx.session(ctx.public)
    expect_oauth_error(
        session, "access_denied", "poll after denial", poll_device, session, device, device["interval"]
    )
    yield "poll after the denial: 400 access_denied"


def step_client_credentials(ctx):
    scopes = ["balance:read"]
    session = ctx.session(ctx.confidential, scope=scopes)
    token = session.fetch_token(grant_type="client_credentials")
    check_token_response(token, scopes, refresh=False, what="client_credentials")
    claims = ctx.verify(token["access_token"])
    check_claims(claims, ctx.confidential["client_id"], scopes, None)
    yield "client_credentials (Basic auth): access token without refresh_token, verifies from the JWKS"
    body = ctx.introspect(token["access_token"])
    expect(body.get("active") is True, f"introspection: active is {body.get('active')!r}: {body}")
    expect(body.get("client_id") == ctx.confidential["client_id"], f"introspection: client_id in {body}")
    expect(scope_set(body.get("scope")) == set(scopes), f"introspection: scope in {body}")
    yield "introspection of the client_credentials token: active, client_id, scope"
    post = ctx.session(ctx.confidential, scope=scopes, auth_method="client_secret_post")
    token = post.fetch_token(grant_type="client_credentials")
    check_token_response(token, scopes, refresh=False, what="client_credentials (client_secret_post)")
    yield "client_credentials with client_secret_post: access token"


# (name, function, the steps it needs)
STEPS = [
    ("discovery", step_discovery, []),
    ("clients", step_clients, []),
    ("code grant", step_code_grant, ["discovery", "clients"]),
    ("payments", step_payments, ["code grant"]),
    ("refresh", step_refresh, ["code grant"]),
    ("introspection", step_introspect, ["refresh"]),
    ("Alby introspection", step_alby_introspect, ["refresh"]),
    ("revocation", step_revoke, ["refresh"]),
    ("refresh reuse", step_refresh_reuse, ["discovery", "clients"]),
    ("public client", step_public, ["discovery", "clients"]),
    ("device grant", step_device, ["discovery", "clients"]),
    ("device denial", step_device_denied, ["discovery", "clients"]),
    ("client credentials", step_client_credentials, ["discovery", "clients"]),
]


def run(ctx):
    """Runs every step; yields (ok, line). A failure ends its step and the steps that need it."""
    failed_steps = set()
    for name, step, needs in STEPS:
        missing = [need for need in needs if need in failed_steps]
        if missing:
            failed_steps.add(name)
            yield False, f"{name}: not run, it needs {', '.join(missing)}"
            continue
        try:
            for line in step(ctx):
                yield True, line
        except CheckFailed as failure:
            failed_steps.add(name)
            yield False, f"{name}: {failure}"
        except AuthlibBaseError as error:  # OAuthError, or e.g. a state mismatch in the redirect
            failed_steps.add(name)
            yield False, f"{name}: unexpected authlib error {error.error!r}: {error.description}"
        except jwt.exceptions.PyJWTError as error:
            failed_steps.add(name)
            yield False, f"{name}: PyJWT refused the access token: {type(error).__name__}: {error}"
        except requests.RequestException as error:
            failed_steps.add(name)
            yield False, f"{name}: HTTP: {type(error).__name__}: {error}"
        except (ValueError, KeyError, TypeError) as error:  # e.g. a token response that is not JSON
            failed_steps.add(name)
            yield False, f"{name}: {type(error).__name__}: {error}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    parser.add_argument(
        "--issuer", required=True, help="expected issuer in the metadata and iss/aud of the tokens"
    )
    parser.add_argument("--admin-token", required=True, help="bearer credential for POST /admin/clients")
    parser.add_argument("--user-token", required=True, help="short-lived ES256 user JWT the server trusts")
    parser.add_argument(
        "--user-sub", default="py-user", help="the user the --user-token names (default py-user)"
    )
    args = parser.parse_args()
    print(
        f"authlib {authlib.__version__}, PyJWT {jwt.__version__}, requests {requests.__version__}"
        f" against {args.base_url}"
    )
    passed = failed = 0
    for ok, line in run(Context(args)):
        if ok:
            passed += 1
            print(f"ok {passed} - {line}", flush=True)
        else:
            failed += 1
            print(f"FAIL - {line}", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
