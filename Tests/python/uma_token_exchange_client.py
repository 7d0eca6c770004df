#!/usr/bin/env python3
"""UMA NWC token exchange, as a VASP written in Python would do it (seed 000).

Signs a short-lived ES256 user JWT with PyJWT exactly as the seed's example does, exchanges it at
`POST /umanwc/token` for a long-lived token, verifies that token with PyJWT using nothing but the
server's JWKS, then checks the refusals and the revocation. One line per check; exit 0 only if
every check passes.

    python3 uma_token_exchange_client.py --base-url http://127.0.0.1:8080 \
        --vasp-private-key vasp-private.pem --issuer http://127.0.0.1:8080

Standard library plus PyJWT[crypto] (see requirements.txt); no `requests`.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta

try:
    import jwt
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
except ImportError as missing:
    sys.exit(f"FAIL - {missing}: install Tests/python/requirements.txt first (make python-deps)")

VASP_DOMAIN = "examplevasp.com"
USER_ID = "python-user-1"
USER_ADDRESS = "$alice@examplevasp.com"
REQUESTED_PERMISSIONS = ["send_payments", "read_balance"]
BUDGET = "50000/daily"


class CheckFailed(Exception):
    pass


# --- HTTP ---------------------------------------------------------------------------------------


def http(base_url, method, path, token=None, body=None):
    """Sends one request; returns (status, parsed JSON body or None, raw text)."""
    headers = {"Accept": "application/json"}
    data = None
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    request = urllib.request.Request(base_url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:  # 4xx/5xx still carry a body
        status, raw = error.code, error.read()
    text = raw.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text) if text else None
    except json.JSONDecodeError:
        parsed = None
    return status, parsed, text


# --- tokens -------------------------------------------------------------------------------------


def user_jwt(jwt_private_key, minutes=10):
    """The short-lived user token, signed with the same code as seed 000."""
    return jwt.encode(
        {
            # The user's ID in your system.
            "sub": USER_ID,
            # Your vasp domain is the audience and issuer of this token.
            "aud": VASP_DOMAIN,
            "iss": VASP_DOMAIN,
            # Let this token only last 10 minutes. You can adjust this if needed.
            "exp": datetime.timestamp(datetime.now() + timedelta(minutes=minutes)),
            # The NWC image will use this to show the user's UMA in the UI.
            "address": USER_ADDRESS,
        },
        jwt_private_key,
        algorithm="ES256",
    )


def other_ec_key_pem():
    """A fresh P-256 key the server does not trust."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def verify_with_jwks(base_url, token, issuer):
    """Verifies the long-lived token with the key the JWKS lists under the token's `kid`, only."""
    status, body, text = http(base_url, "GET", "/.well-known/jwks.json")
    expect(status == 200 and isinstance(body, dict), f"GET /.well-known/jwks.json: {status} {text}")
    jwks = jwt.PyJWKSet.from_dict(body)
    kid = jwt.get_unverified_header(token).get("kid")
    expect(kid is not None, "the long-lived token has no kid in its header")
    keys = [key for key in jwks.keys if key.key_id == kid]
    expect(len(keys) == 1, f"kid {kid} is listed {len(keys)} times in the JWKS: {text}")
    return jwt.decode(
        token,
        key=keys[0],
        algorithms=["ES256"],
        audience=issuer,
        issuer=issuer,
        options={"require": ["exp", "iat", "iss", "aud", "sub", "jti"]},
    )


# --- checks -------------------------------------------------------------------------------------


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def expect_status(result, status, what, code=None):
    got, body, text = result
    expect(got == status, f"{what}: expected {status}, got {got}: {text}")
    if code is not None:
        got_code = body.get("code") if isinstance(body, dict) else None
        expect(got_code == code, f"{what}: expected code {code}, got {got_code}: {text}")
    elif status >= 400:
        has_error = isinstance(body, dict) and isinstance(body.get("error"), str)
        expect(has_error, f'{what}: expected a {{"error": "..."}} body, got: {text}')


def check_claims(claims, requested_expiration):
    expect(claims.get("sub") == USER_ID, f"sub is {claims.get('sub')!r}, expected {USER_ID!r}")
    expect(claims.get("address") == USER_ADDRESS, f"address is {claims.get('address')!r}")
    expect(isinstance(claims.get("cnx"), str) and claims["cnx"], f"cnx is {claims.get('cnx')!r}")
    expect(isinstance(claims.get("jti"), str) and claims["jti"], f"jti is {claims.get('jti')!r}")
    for name in ("iat", "exp"):
        value = claims.get(name)
        expect(type(value) is int, f"{name} is {value!r} ({type(value).__name__}), expected an integer")
    expect(
        claims["exp"] <= requested_expiration,
        f"exp {claims['exp']} is later than the requested expiration {requested_expiration}",
    )
    scopes = claims.get("scopes")
    expect(isinstance(scopes, list), f"scopes is {scopes!r}, expected an array")
    for scope in ("pay_invoice", "get_balance", "get_info", "get_budget"):
        expect(scope in scopes, f"scopes {scopes} lack {scope}")
    expect("make_invoice" not in scopes, f"scopes {scopes} include make_invoice, which was not asked for")


def run(args):
    base = args.base_url.rstrip("/")
    with open(args.vasp_private_key) as file:
        vasp_key = file.read()
    short_lived = user_jwt(vasp_key)
    requested_expiration = int(time.time()) + 3600
    exchange_body = {
        "permissions": REQUESTED_PERMISSIONS,
        "expiration": requested_expiration,
        "budget": BUDGET,
    }

    def exchange(token, body=exchange_body):
        return http(base, "POST", "/umanwc/token", token=token, body=body)

    status, body, text = exchange(short_lived)
    expect(status == 200, f"exchange: expected 200, got {status}: {text}")
    long_lived = body.get("token") if isinstance(body, dict) else None
    expect(isinstance(long_lived, str), f'exchange: no "token" in {text}')
    yield "exchange of the seed-000 user token returns 200 with a token"

    claims = verify_with_jwks(base, long_lived, args.issuer)
    yield f"long-lived token verifies with PyJWT against the JWKS (kid, ES256, iss/aud {args.issuer})"
    check_claims(claims, requested_expiration)
    exp = claims["exp"]
    yield f"claims: sub, address, cnx, jti, integer iat and exp ({exp} <= {requested_expiration}), scopes"

    expect_status(exchange(None), 401, "exchange without Authorization")
    yield "exchange without Authorization: 401"
    expect_status(exchange(user_jwt(other_ec_key_pem())), 401, "exchange with a token of an untrusted key")
    yield "exchange with a user token signed by another EC key: 401"
    expect_status(exchange(user_jwt(vasp_key, minutes=-10)), 401, "exchange with an expired user token")
    yield "exchange with an expired user token: 401"
    expect_status(exchange(short_lived, {**exchange_body, "permissions": []}), 400, "permissions []")
    yield "exchange with permissions []: 400"
    unknown = {**exchange_body, "permissions": ["fly_to_moon"]}
    expect_status(exchange(short_lived, unknown), 400, 'permissions ["fly_to_moon"]')
    yield 'exchange with permissions ["fly_to_moon"]: 400'

    payment = {"invoice": "lnbc1"}
    result = http(base, "POST", "/umanwc/v1/payments/bolt11", token=short_lived, body=payment)
    expect_status(result, 401, "user token on POST /umanwc/v1/payments/bolt11", code="UNAUTHORIZED")
    yield "user token on POST /umanwc/v1/payments/bolt11: 401 UNAUTHORIZED"

    status, body, text = http(base, "GET", "/umanwc/v1/balance", token=long_lived)
    expect(status == 200, f"long-lived token on GET /umanwc/v1/balance: expected 200, got {status}: {text}")
    yield f"long-lived token on GET /umanwc/v1/balance: 200 {text.strip()}"

    result = http(base, "DELETE", f"/v1/connections/{claims['cnx']}", token=short_lived)
    expect_status(result, 200, f"DELETE /v1/connections/{claims['cnx']} with the user token")
    yield f"DELETE /v1/connections/{claims['cnx']} with the user token: 200"

    result = http(base, "GET", "/umanwc/v1/balance", token=long_lived)
    expect_status(result, 401, "revoked long-lived token on GET /umanwc/v1/balance", code="UNAUTHORIZED")
    yield "revoked long-lived token on GET /umanwc/v1/balance: 401 UNAUTHORIZED"


def fail(passed):
    print(f"FAILED after {passed} passing checks", flush=True)
    return 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--vasp-private-key", required=True, help="PEM of the VASP's ES256 private key")
    parser.add_argument("--issuer", required=True, help="expected iss and aud of the long-lived tokens")
    args = parser.parse_args()
    print(f"PyJWT {jwt.__version__} against {args.base_url}")
    passed = 0
    try:
        for line in run(args):
            passed += 1
            print(f"ok {passed} - {line}", flush=True)
    except CheckFailed as failure:
        print(f"FAIL - {failure}", flush=True)
        return fail(passed)
    except jwt.exceptions.PyJWTError as error:
        print(f"FAIL - PyJWT refused the long-lived token: {type(error).__name__}: {error}", flush=True)
        return fail(passed)
    except urllib.error.URLError as error:
        print(f"FAIL - cannot reach {args.base_url}: {error.reason}", flush=True)
        return fail(passed)
    except OSError as error:  # e.g. the key file
        print(f"FAIL - {error}", flush=True)
        return fail(passed)
    print(f"all {passed} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
