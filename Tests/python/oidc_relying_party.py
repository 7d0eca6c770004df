#!/usr/bin/env python3
"""OpenID Connect against GrantLedger, as a relying party written with authlib would run it.

Reads the OpenID Provider metadata (`/.well-known/openid-configuration`), registers clients at
`POST /admin/clients`, then runs the authorization code flow with PKCE S256, nonce and state
through authlib's OAuth2Session (the authorization request carries the user's bearer JWT; the 302
is read, not followed) and validates the ID token itself with authlib's JOSE and OIDC claims
classes (signature from jwks_uri, iss, aud, exp, iat, nonce, at_hash, azp). Then the UserInfo
endpoint, the `iss` on error redirects (RFC 9207), public clients with and without PKCE, the device
flow with `openid`, and what a NUT-21 mint checks of an access token with PyJWT and the JWKS alone
(signature, iss, exp, azp). One line per check; a failed check ends its step, the other steps
still run; exit 0 only if every check passes.

    python3 oidc_relying_party.py --base-url http://127.0.0.1:8080 --issuer http://127.0.0.1:8080 \
        --admin-token "$ADMIN_TOKEN" --user-token "$USER_JWT" --user-sub oidc-user

--user-token is a short-lived user JWT the server trusts for --user-sub (default oidc-user).
Needs authlib, requests and PyJWT[crypto] (see requirements.txt).
"""

import argparse
import sys
import time
import warnings
from urllib.parse import parse_qs, urlencode, urlsplit
from checks import CheckFailed, describe, expect, json_of  # noqa: F401 (shared harness)

try:
    import authlib
    import jwt
    import requests
    from authlib.common.errors import AuthlibBaseError
    from authlib.common.security import generate_token
    from authlib.integrations.base_client import OAuthError
    from authlib.integrations.requests_client import OAuth2Session
    from authlib.oidc.core import CodeIDToken
    from joserfc.errors import JoseError

    # authlib.jose is deprecated in favour of joserfc since authlib 1.7 but kept until 2.0; it is
    # what relying parties built on authlib (its Flask/Django/Starlette clients) still validate with.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from authlib.jose import JsonWebKey, JsonWebToken
except ImportError as missing:
    sys.exit(f"FAIL - {missing}: install Tests/python/requirements.txt first (make python-deps)")

REDIRECT_URI = "http://localhost:33388/callback"
CLIENT_SCOPES = ["balance:read", "openid"]
OIDC_SCOPE = "openid balance:read"
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
TIMEOUT = 10
LEEWAY = 5  # seconds of clock skew allowed when checking exp and iat
ID_TOKEN_ALGS = ["RS256", "ES256"]




def scope_set(value):
    return set(value.split()) if isinstance(value, str) else None


class Context:
    """What the steps share: the arguments, a plain HTTP session, the metadata, keys and clients."""

    def __init__(self, args):
        self.args = args
        self.base = args.base_url.rstrip("/")
        self.http = requests.Session()
        self.http.headers["Accept"] = "application/json"
        self.meta = None
        self.key_set = None  # authlib's KeySet from jwks_uri
        self.jwks = None  # PyJWT's PyJWKClient on jwks_uri
        self.clients = {}
        self.state = {}

    def endpoint(self, name):
        return self.meta[name]

    def bearer(self, method, url, token, **kwargs):
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        return self.http.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)

    # --- authlib ------------------------------------------------------------------------------

    def session(self, client, scope=None, pkce=True):
        """An authlib OAuth2Session for a registered client (auth method none for public ones)."""
        return OAuth2Session(
            client_id=client["client_id"],
            client_secret=client.get("client_secret"),
            token_endpoint_auth_method=None if client.get("client_secret") else "none",
            scope=scope,
            redirect_uri=REDIRECT_URI,
            code_challenge_method="S256" if pkce else None,
            token_endpoint=self.endpoint("token_endpoint"),
            leeway=0,
            default_timeout=TIMEOUT,
        )

    def authorization_response(self, url):
        """GETs an authorization URL with the user's bearer JWT; the 302's Location and its query."""
        response = self.bearer("GET", url, self.args.user_token, allow_redirects=False)
        expect(response.status_code == 302, f"authorization request: expected 302, got {describe(response)}")
        location = response.headers.get("Location", "")
        expect(location.startswith(REDIRECT_URI + "?"), f"authorization request: Location is {location!r}")
        return location, {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}

    def authorize(self, session, pkce=True, **extra):
        """The authorization request; returns (Location, state, verifier or None, nonce)."""
        verifier = generate_token(64) if pkce else None
        nonce = generate_token(24)
        if pkce:
            extra["code_verifier"] = verifier
        url, state = session.create_authorization_url(
            self.endpoint("authorization_endpoint"), nonce=nonce, **extra
        )
        query = parse_qs(urlsplit(url).query)
        expect(query.get("nonce") == [nonce], f"authlib's URL lacks the nonce: {url}")
        if pkce:
            expect(query.get("code_challenge_method") == ["S256"], f"authlib's URL lacks PKCE S256: {url}")
        else:
            expect("code_challenge" not in query, f"authlib's URL has a code_challenge: {url}")
        location, answer = self.authorization_response(url)
        expect("error" not in answer, f"authorization request refused: {location!r}")
        expect(answer.get("state") == state, f"authorization answer: state in {location!r} is not {state!r}")
        expect(answer.get("code"), f"authorization answer: no code in {location!r}")
        expect(
            answer.get("iss") == self.args.issuer,
            f"authorization answer: iss in {location!r} is not {self.args.issuer!r} (RFC 9207)",
        )
        return location, state, verifier, nonce

    def code_flow(self, client, scope=OIDC_SCOPE, pkce=True):
        """authorize() then authlib's fetch_token(authorization_response=...); (token, nonce)."""
        session = self.session(client, scope=scope, pkce=pkce)
        location, state, verifier, nonce = self.authorize(session, pkce=pkce)
        extra = {"code_verifier": verifier} if pkce else {}
        token = session.fetch_token(
            self.endpoint("token_endpoint"), authorization_response=location, state=state, **extra
        )
        return token, nonce

    def id_token_claims(self, id_token, client_id, access_token, nonce=None):
        """The ID token validated as a relying party must (OIDC Core §3.1.3.7) with authlib alone:
        signature with a key from jwks_uri, then iss, aud, exp, iat, nonce, at_hash and azp."""
        params = {"client_id": client_id, "access_token": access_token}
        if nonce is not None:
            params["nonce"] = nonce
        claims = JsonWebToken(ID_TOKEN_ALGS).decode(
            id_token,
            self.key_set,
            claims_cls=CodeIDToken,
            claims_options={
                "iss": {"essential": True, "value": self.args.issuer},
                "aud": {"essential": True, "value": client_id},
            },
            claims_params=params,
        )
        claims.validate(leeway=LEEWAY)
        return claims

    def verify_access_token(self, access_token, alg="ES256"):
        """An RFC 9068 access token, with PyJWT and the JWKS: (header, claims)."""
        header = jwt.get_unverified_header(access_token)
        typ = str(header.get("typ", ""))
        expect(typ.lower() in ("at+jwt", "application/at+jwt"), f"access token typ is {typ!r}, not at+jwt")
        expect(header.get("alg") == alg, f"access token alg is {header.get('alg')!r}, not {alg}")
        key = self.jwks.get_signing_key_from_jwt(access_token)
        claims = jwt.decode(
            access_token,
            key=key,
            algorithms=[alg],
            issuer=self.args.issuer,
            leeway=LEEWAY,
            options={"require": ["iss", "sub", "exp", "iat"], "verify_aud": False},
        )
        return header, claims


def check_id_token(ctx, token, client_id, nonce=None, what="ID token"):
    """Validates token["id_token"] for client_id; returns its claims."""
    id_token = token.get("id_token")
    expect(
        isinstance(id_token, str) and id_token.count(".") == 2, f"{what}: the token response has no id_token"
    )
    header = jwt.get_unverified_header(id_token)
    expect(header.get("alg") == "RS256", f"{what}: alg is {header.get('alg')!r}, not RS256 (the default)")
    expect(header.get("kid"), f"{what}: the header has no kid: {header}")
    claims = ctx.id_token_claims(id_token, client_id, token["access_token"], nonce)
    # validate() checks at_hash and azp only when present; this server promises both.
    expect("at_hash" in claims, f"{what}: no at_hash: {dict(claims)}")
    expect(claims.get("azp") == client_id, f"{what}: azp is {claims.get('azp')!r}, not {client_id!r}")
    expect(type(claims.get("auth_time")) is int, f"{what}: auth_time is {claims.get('auth_time')!r}")
    expect(claims.get("auth_time") <= int(time.time()) + LEEWAY, f"{what}: auth_time is in the future")
    expect(claims.get("sub") == ctx.args.user_sub, f"{what}: sub is {claims.get('sub')!r}")
    return claims


def expect_www_authenticate(response, what):
    expect(response.status_code == 401, f"{what}: expected 401, got {describe(response)}")
    header = response.headers.get("WWW-Authenticate", "")
    expect(header.lower().startswith("bearer"), f"{what}: WWW-Authenticate is {header!r}")


def mint_accepts(ctx, access_token, configured_client_id):
    """What a NUT-21 mint configured for one client id checks of a clear auth token, with PyJWT and
    the JWKS alone: the signature, iss, exp, and that azp names its client. (True, claims) or
    (False, reason)."""
    try:
        key = ctx.jwks.get_signing_key_from_jwt(access_token)
        claims = jwt.decode(
            access_token,
            key=key,
            algorithms=["ES256", "RS256"],
            issuer=ctx.args.issuer,
            leeway=LEEWAY,
            options={"require": ["iss", "exp"], "verify_aud": False},
        )
    except jwt.exceptions.PyJWTError as error:
        return False, f"{type(error).__name__}: {error}"
    if claims.get("azp") != configured_client_id:
        return False, f"azp {claims.get('azp')!r} is not {configured_client_id!r}"
    return True, claims


# --- steps --------------------------------------------------------------------------------------


def step_discovery(ctx):
    path = "/.well-known/openid-configuration"
    response = ctx.http.get(ctx.base + path, timeout=TIMEOUT)
    meta = json_of(response)
    expect(response.status_code == 200 and isinstance(meta, dict), f"GET {path}: {describe(response)}")
    expect(meta.get("issuer") == ctx.args.issuer, f"{path}: issuer is {meta.get('issuer')!r}")
    yield f"GET {path}: issuer {ctx.args.issuer}"

    for name in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        expect(isinstance(meta.get(name), str) and meta[name], f"{path}: no {name}")
    for name in ("subject_types_supported", "claims_supported"):
        expect(isinstance(meta.get(name), list) and meta[name], f"{path}: {name} is {meta.get(name)!r}")

    def has(name, value):
        values = meta.get(name)
        expect(isinstance(values, list) and value in values, f"{path}: {name} is {values!r}, lacks {value!r}")

    has("id_token_signing_alg_values_supported", "RS256")
    has("response_types_supported", "code")
    has("scopes_supported", "openid")
    has("code_challenge_methods_supported", "S256")
    for name in ("sub", "iss", "aud", "exp", "iat"):
        has("claims_supported", name)
    yield (
        "userinfo_endpoint, jwks_uri, RS256 ID tokens, subject types, claims, response type code, "
        "scope openid and PKCE S256 are advertised"
    )
    ctx.meta = meta

    response = ctx.http.get(meta["jwks_uri"], timeout=TIMEOUT)
    document = json_of(response)
    expect(
        response.status_code == 200 and isinstance(document, dict) and isinstance(document.get("keys"), list),
        f"GET jwks_uri: {describe(response)}",
    )
    kinds = {key.get("kty") for key in document["keys"] if key.get("kid")}
    expect("RSA" in kinds, f"the JWKS has no RSA key with a kid (for RS256 ID tokens): {kinds}")
    expect("EC" in kinds, f"the JWKS has no EC key with a kid (for ES256 access tokens): {kinds}")
    expect(
        not any(name in key for key in document["keys"] for name in ("d", "p", "q")),
        "the JWKS publishes private key material",
    )
    ctx.key_set = JsonWebKey.import_key_set(document)
    ctx.jwks = jwt.PyJWKClient(meta["jwks_uri"], timeout=TIMEOUT)
    yield f"JWKS: {len(document['keys'])} public key(s), RSA and EC, each with a kid"


def step_clients(ctx):
    url = ctx.base + "/admin/clients"

    def register(key, body, expected_pkce="required", expected_alg="ES256"):
        response = ctx.bearer("POST", url, ctx.args.admin_token, json=body)
        answer = json_of(response)
        expect(
            response.status_code == 201 and isinstance(answer, dict),
            f"POST /admin/clients ({body['name']}): {describe(response)}",
        )
        expect(isinstance(answer.get("client_id"), str) and answer["client_id"], f"no client_id: {answer}")
        if body["public"]:
            expect(not answer.get("client_secret"), f"public client {body['name']} got a client_secret")
        else:
            expect(answer.get("client_secret"), f"confidential client {body['name']} has no client_secret")
        expect(answer.get("pkce") == expected_pkce, f"{body['name']}: pkce is {answer.get('pkce')!r}")
        expect(
            answer.get("access_token_signing_alg") == expected_alg,
            f"{body['name']}: access_token_signing_alg is {answer.get('access_token_signing_alg')!r}",
        )
        ctx.clients[key] = answer
        return answer

    def client(name, public, **extra):
        return {
            "name": name,
            "redirect_uris": [REDIRECT_URI],
            "public": public,
            "scopes": CLIENT_SCOPES,
            **extra,
        }

    answer = register("confidential", client("oidc-rp-confidential", False))
    yield f"confidential client: 201, {answer['client_id']}, pkce required and ES256 access tokens by default"
    answer = register("public", client("oidc-rp-public", True))
    yield f"public client: 201, {answer['client_id']}, no secret, pkce required by default"
    answer = register("public_optional", client("oidc-rp-public-no-pkce", True, pkce="optional"), "optional")
    yield f"public client with pkce optional: 201, {answer['client_id']}, echoes pkce optional"
    body = client("oidc-rp-rs256", False, access_token_signing_alg="RS256")
    answer = register("rs256", body, expected_alg="RS256")
    yield f"confidential client with RS256 access tokens: 201, {answer['client_id']}, echoes RS256"


def step_code_flow(ctx):
    client = ctx.clients["confidential"]
    client_id = client["client_id"]
    token, nonce = ctx.code_flow(client)
    expect(isinstance(token.get("access_token"), str), f"token response: no access_token: {sorted(token)}")
    expect(str(token.get("token_type", "")).lower() == "bearer", f"token_type is {token.get('token_type')!r}")
    expect(scope_set(token.get("scope")) == set(OIDC_SCOPE.split()), f"scope is {token.get('scope')!r}")
    expect(isinstance(token.get("id_token"), str), f"token response: no id_token: {sorted(token)}")
    yield "authlib code flow, PKCE S256, state, nonce: code, state, iss in the redirect; tokens with id_token"

    claims = check_id_token(ctx, token, client_id, nonce)
    yield (
        f"ID token: RS256 from jwks_uri; iss, aud {client_id}, exp, iat, nonce, at_hash and azp valid "
        f"(authlib CodeIDToken); auth_time {claims['auth_time']}, sub {claims['sub']}"
    )

    header, access = ctx.verify_access_token(token["access_token"])
    expect(access.get("azp") == client_id, f"access token: azp is {access.get('azp')!r}, not {client_id!r}")
    expect(
        access.get("sub") == claims["sub"], f"access token sub {access.get('sub')!r} is not the ID token's"
    )
    yield f"access token: typ {header['typ']}, ES256 from the JWKS, azp {client_id}, same sub"
    ctx.state["code"] = {"token": token, "claims": claims}


def step_userinfo(ctx):
    token = ctx.state["code"]["token"]
    sub = ctx.state["code"]["claims"]["sub"]
    url = ctx.endpoint("userinfo_endpoint")
    for method in ("GET", "POST"):
        response = ctx.bearer(method, url, token["access_token"])
        body = json_of(response)
        expect(
            response.status_code == 200 and isinstance(body, dict), f"{method} userinfo: {describe(response)}"
        )
        expect(body.get("sub") == sub, f"{method} userinfo: sub is {body.get('sub')!r}, not {sub!r}")
        yield f"{method} {urlsplit(url).path} with the access token: 200, sub {sub} as in the ID token"
    response = ctx.bearer("GET", url, None)
    expect_www_authenticate(response, "userinfo without a token")
    yield "userinfo without a token: 401 with WWW-Authenticate: Bearer"


def step_id_token_is_not_an_access_token(ctx):
    token = ctx.state["code"]["token"]
    for method in ("GET", "POST"):
        response = ctx.bearer(method, ctx.endpoint("userinfo_endpoint"), token["id_token"])
        expect_www_authenticate(response, f"{method} userinfo with the ID token as bearer")
    yield "userinfo with the ID token as a bearer token: 401 (GET and POST)"


def step_error_redirects(ctx):
    client_id = ctx.clients["confidential"]["client_id"]

    def refused(what, error, **overrides):
        state = generate_token(16)
        params = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": OIDC_SCOPE,
            "state": state,
            "nonce": generate_token(16),
            "code_challenge": generate_token(43),
            "code_challenge_method": "S256",
            **overrides,
        }
        url = ctx.endpoint("authorization_endpoint") + "?" + urlencode(params)
        location, answer = ctx.authorization_response(url)
        expect(answer.get("error") == error, f"{what}: error in {location!r} is not {error!r}")
        expect("code" not in answer, f"{what}: a code in {location!r}")
        expect(answer.get("state") == state, f"{what}: state in {location!r} is not {state!r}")
        expect(
            answer.get("iss") == ctx.args.issuer, f"{what}: iss in {location!r} is not {ctx.args.issuer!r}"
        )
        return f"{what}: 302 to the client with error={error}, state and iss"

    yield refused("response_type=token", "unsupported_response_type", response_type="token")
    yield refused("an unknown scope", "invalid_scope", scope="openid balance:read no-such:scope")


def step_public_clients(ctx):
    client = ctx.clients["public_optional"]
    session = ctx.session(client, scope=OIDC_SCOPE, pkce=False)
    expect(
        session.token_endpoint_auth_method == "none", f"authlib picked {session.token_endpoint_auth_method}"
    )
    token, nonce = ctx.code_flow(client, pkce=False)
    check_id_token(ctx, token, client["client_id"], nonce)
    yield "public client, pkce optional: code flow without PKCE, client_id only -> tokens, a valid ID token"

    client = ctx.clients["public"]
    session = ctx.session(client, scope=OIDC_SCOPE, pkce=False)
    url, state = session.create_authorization_url(
        ctx.endpoint("authorization_endpoint"), nonce=generate_token(16)
    )
    location, answer = ctx.authorization_response(url)
    expect(answer.get("error") == "invalid_request", f"public client without PKCE: {location!r}")
    expect("code_challenge" in answer.get("error_description", ""), f"error_description in {location!r}")
    expect(answer.get("state") == state, f"public client without PKCE: state in {location!r}")
    expect(answer.get("iss") == ctx.args.issuer, f"public client without PKCE: iss in {location!r}")
    yield "public client, pkce required, no code_challenge: error=invalid_request naming code_challenge"


def step_device(ctx):
    client = ctx.clients["public"]
    client_id = client["client_id"]
    url = ctx.meta.get("device_authorization_endpoint") or ctx.base + "/oauth/device_authorization"
    response = ctx.http.post(url, data={"client_id": client_id, "scope": "openid"}, timeout=TIMEOUT)
    device = json_of(response)
    expect(
        response.status_code == 200 and isinstance(device, dict),
        f"device authorization: {describe(response)}",
    )
    for name in ("device_code", "user_code", "verification_uri", "verification_uri_complete"):
        expect(
            isinstance(device.get(name), str) and device[name], f"device authorization: no {name} in {device}"
        )
    for name in ("expires_in", "interval"):
        expect(
            type(device.get(name)) is int and device[name] > 0, f"device authorization: {name} in {device}"
        )
    verification = ctx.args.issuer + "/oauth/device"
    expect(device["verification_uri"] == verification, f"verification_uri is {device['verification_uri']!r}")
    complete = verification + "?user_code=" + device["user_code"]
    expect(
        device["verification_uri_complete"] == complete,
        f"verification_uri_complete is {device['verification_uri_complete']!r}, not {complete!r}",
    )
    yield f"device authorization, scope openid: user_code {device['user_code']}, verification_uri(_complete)"

    response = ctx.bearer("POST", verification, ctx.args.user_token, data={"user_code": device["user_code"]})
    body = json_of(response)
    expect(
        response.status_code == 200 and isinstance(body, dict) and body.get("status") == "approved",
        f"POST /oauth/device with the user JWT: {describe(response)}",
    )
    yield "the user approves with the user JWT at POST /oauth/device: status approved"

    session = ctx.session(client)
    interval = device["interval"]
    deadline = time.monotonic() + min(device["expires_in"], 120)
    while True:
        time.sleep(interval)
        try:
            token = session.fetch_token(grant_type=DEVICE_CODE_GRANT, device_code=device["device_code"])
            break
        except OAuthError as failure:
            if failure.error == "slow_down":
                interval += 5
            elif failure.error != "authorization_pending":
                raise
        expect(time.monotonic() < deadline, "device flow: still pending at the deadline")
    expect(isinstance(token.get("access_token"), str), f"device token response: {sorted(token)}")
    expect(
        "openid" in (scope_set(token.get("scope")) or set()), f"device token scope is {token.get('scope')!r}"
    )
    yield f"polling every {interval}s: access token and id_token"
    claims = check_id_token(ctx, token, client_id, what="device ID token")
    expect("nonce" not in claims, f"device ID token has a nonce: {claims.get('nonce')!r}")
    yield f"device ID token: RS256; iss, aud {client_id}, exp, iat, at_hash, azp; sub {claims['sub']}"
    ctx.state["device"] = {"token": token, "client_id": client_id}


def step_mint(ctx):
    device = ctx.state["device"]
    access_token = device["token"]["access_token"]
    ok, claims = mint_accepts(ctx, access_token, device["client_id"])
    expect(ok, f"a mint configured for {device['client_id']} refused the device access token: {claims}")
    yield f"a mint configured for {device['client_id']}: signature (JWKS), iss, exp and azp -> accepted"
    other = ctx.clients["confidential"]["client_id"]
    ok, reason = mint_accepts(ctx, access_token, other)
    expect(not ok, f"a mint configured for {other} accepted a token for {device['client_id']}")
    expect("azp" in reason, f"a mint configured for {other} refused it, but not for azp: {reason}")
    yield f"a mint configured for another client ({other}): refused ({reason})"

    client = ctx.clients["rs256"]
    token, _ = ctx.code_flow(client, scope="balance:read")
    header, claims = ctx.verify_access_token(token["access_token"], alg="RS256")
    expect(claims.get("azp") == client["client_id"], f"RS256 access token: azp is {claims.get('azp')!r}")
    ok, reason = mint_accepts(ctx, token["access_token"], client["client_id"])
    expect(ok, f"the mint refused the RS256 access token: {reason}")
    yield f"access_token_signing_alg RS256: token alg {header['alg']}, verifies from the JWKS, mint accepts"


# (name, function, the steps it needs)
STEPS = [
    ("discovery", step_discovery, []),
    ("clients", step_clients, []),
    ("code flow", step_code_flow, ["discovery", "clients"]),
    ("userinfo", step_userinfo, ["code flow"]),
    ("ID token as access token", step_id_token_is_not_an_access_token, ["code flow"]),
    ("error redirects", step_error_redirects, ["discovery", "clients"]),
    ("public clients", step_public_clients, ["discovery", "clients"]),
    ("device flow", step_device, ["discovery", "clients"]),
    ("mint", step_mint, ["device flow"]),
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
        except AuthlibBaseError as error:  # OAuthError, a bad signature, a state mismatch
            failed_steps.add(name)
            yield False, f"{name}: authlib: {type(error).__name__} {error.error!r}: {error.description}"
        except JoseError as error:  # the ID token's claims (joserfc, under authlib's claims classes)
            failed_steps.add(name)
            yield False, f"{name}: ID token claims refused: {type(error).__name__}: {error}"
        except jwt.exceptions.PyJWTError as error:
            failed_steps.add(name)
            yield False, f"{name}: PyJWT refused a token: {type(error).__name__}: {error}"
        except requests.RequestException as error:
            failed_steps.add(name)
            yield False, f"{name}: HTTP: {type(error).__name__}: {error}"
        except (ValueError, KeyError, TypeError) as error:
            failed_steps.add(name)
            yield False, f"{name}: {type(error).__name__}: {error}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--issuer", required=True, help="the OpenID Provider's issuer identifier")
    parser.add_argument("--admin-token", required=True, help="bearer credential for POST /admin/clients")
    parser.add_argument("--user-token", required=True, help="short-lived user JWT the server trusts")
    parser.add_argument(
        "--user-sub", default="oidc-user", help="the user --user-token names (default oidc-user)"
    )
    args = parser.parse_args()
    print(
        f"authlib {authlib.__version__}, PyJWT {jwt.__version__}, requests {requests.__version__}"
        f" against {args.base_url}"
    )
    started = time.monotonic()
    passed = failed = 0
    for ok, line in run(Context(args)):
        if ok:
            passed += 1
            print(f"PASS - {line}", flush=True)
        else:
            failed += 1
            print(f"FAIL - {line}", flush=True)
    print(f"{passed} passed, {failed} failed in {time.monotonic() - started:.1f}s")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
