#!/usr/bin/env python3
"""GrantLedger's server-rendered pages in a real browser: Debian's headless Chromium driven by Selenium.

The server runs with `--dev-login` and no login URL, so a browser without a session is sent to the
stand-in login form. The walk: an OpenID Connect authorization request (PKCE S256, state, nonce,
scope "openid balance:read payments:send", budget 5000/daily) -> the login form -> the consent page
-> approve -> the client's callback (a local HTTP server) gets code, state and iss -> the code is
exchanged for tokens with `requests`; a second authorization request goes straight to consent (the
session cookie) and is denied; the device page (a wrong user code, then the right one, consent,
approve, the device polls its tokens); the account page's revoke (the approved grant's access
token then introspects inactive); logout. Every page is saved as a PNG in --screenshots and its
visible text is printed between `=== page: NAME ===` markers. Checks go by text and element ids,
never by pixels. One line per check; exit 0 only if every check passes.

    python3 browser_pages.py --base-url http://127.0.0.1:8080 --admin-token "$ADMIN_TOKEN" \
        --screenshots .build/screenshots

--base-url is also the issuer. Needs selenium, requests and PyJWT[crypto] (see requirements.txt),
and Debian's `chromium` and `chromium-driver` (`make test` installs them).
"""

import argparse
import base64
import hashlib
import http.server
import os
import random
import re
import secrets
import sys
import threading
import time
from urllib.parse import parse_qs, urlencode, urlsplit
from checks import CheckFailed, describe, expect, json_of, run_steps  # noqa: F401 (shared harness)

try:
    import jwt
    import requests
    import selenium
    from selenium import webdriver
    from selenium.common.exceptions import (
        StaleElementReferenceException,
        TimeoutException,
        WebDriverException,
    )
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as missing:
    sys.exit(f"FAIL - {missing}: install Tests/python/requirements.txt first (make python-deps)")

SCOPES = ["openid", "balance:read", "payments:send"]
BUDGET = "5000/daily"
USERNAME = "browser-user"
APP_NAME = "Browser Test App"
DEVICE_APP_NAME = "Browser TV App"
DEVICE_SCOPES = ["openid", "balance:read"]
SESSION_COOKIE = "grantledger_session"
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
# What a browser sends, for the pages fetched with `requests` to read their headers.
BROWSER_ACCEPT = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
TIMEOUT = 10  # seconds, for HTTP calls and for a page to show what is waited for




def digits(text):
    """The text with thousands separators between digits removed: "5,000 sat" -> "5000 sat"."""
    return re.sub(r"(?<=\d)[,.\u00a0\u202f' ](?=\d{3}\b)", "", text)


# --- the client's redirect URI --------------------------------------------------------------------


class Callback:
    """The client's redirect_uri: a local HTTP server that records each query string it is sent."""

    def __init__(self):
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                split = urlsplit(self.path)
                if split.path != "/callback":
                    self.send_error(404)
                    return
                received.append({name: values[0] for name, values in parse_qs(split.query).items()})
                body = b"<!doctype html><title>callback</title><h1>callback received</h1>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.uri = f"http://127.0.0.1:{self.server.server_address[1]}/callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# --- the run ------------------------------------------------------------------------------------


class Context:
    def __init__(self, args):
        self.args = args
        self.issuer = args.base_url.rstrip("/")
        self.http = requests.Session()
        self.http.headers["Accept"] = "application/json"
        self.callback = None
        self.driver = None
        self.meta = None
        self.jwks = None
        self.clients = {}
        self.state = {}
        self.page_count = 0

    def endpoint(self, name, fallback):
        return (self.meta or {}).get(name) or self.issuer + fallback

    # --- the browser --------------------------------------------------------------------------

    def start_browser(self):
        options = webdriver.ChromeOptions()
        options.binary_location = self.args.chromium
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--window-size=1000,900",
        ):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # An explicit chromedriver: Selenium Manager would otherwise try to download one.
        self.driver = webdriver.Chrome(
            service=Service(executable_path=self.args.chromedriver), options=options
        )
        self.driver.set_page_load_timeout(TIMEOUT * 3)
        return self.driver.capabilities.get("browserVersion", "?")

    def body_text(self):
        try:
            return self.driver.find_element(By.TAG_NAME, "body").text
        except WebDriverException:
            return ""

    def console(self):
        """The browser console since the last call (CSP violations show up here)."""
        try:
            return [entry.get("message", "") for entry in self.driver.get_log("browser")]
        except WebDriverException:
            return []

    def where(self):
        text = " ".join(self.body_text().split())[:400]
        console = " | ".join(self.console())[:600]
        return f"at {self.driver.current_url} showing {text!r}" + (f"; console: {console}" if console else "")

    def wait(self, condition, what):
        """Waits until condition(driver) is truthy; its value, or CheckFailed saying where the browser is."""
        try:
            return WebDriverWait(
                self.driver, TIMEOUT, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)
            ).until(condition)
        except TimeoutException:
            raise CheckFailed(f"waited {TIMEOUT}s for {what}, the browser is {self.where()}") from None

    def element(self, by, value, what=None):
        return self.wait(lambda driver: first(driver.find_elements(by, value)), what or f"{value}")

    def click_and_leave(self, button, what):
        """Clicks a button that submits its page, and waits until the page it was on is gone.
        Chromedriver sometimes answers a call on an element whose document is being replaced with
        "unhandled inspector error: ... Node with given id does not belong to the document" where
        it means a stale element (it failed a CI run, from the click or from the wait): either way
        the page has moved on, which is what is waited for."""

        def left(error):
            return isinstance(error, StaleElementReferenceException) or (
                isinstance(error, WebDriverException) and "does not belong to the document" in str(error)
            )

        try:
            button.click()
        except WebDriverException as error:
            if not left(error):
                raise

        def gone(_driver):
            try:
                button.is_enabled()
                return False
            except WebDriverException as error:
                if left(error):
                    return True
                raise

        self.wait(gone, what)

    def page(self, name):
        """Saves a screenshot and prints the page's visible text between markers."""
        self.page_count += 1
        path = os.path.join(self.args.screenshots, f"{self.page_count:02d}-{name}.png")
        saved = self.driver.save_screenshot(path)
        print(f"=== page: {name} === {self.driver.current_url}")
        print(self.body_text())
        print(f"=== end page: {name} === screenshot {path if saved else 'NOT saved'}", flush=True)

    def callback_answer(self, count_before):
        """Waits for the browser to land on the callback; the query string it was sent."""
        self.wait(
            lambda driver: driver.current_url.startswith(self.callback.uri)
            and len(self.callback.received) > count_before
            and "callback received" in self.body_text(),
            f"the callback {self.callback.uri}",
        )
        return self.callback.received[-1]

    # --- HTTP -----------------------------------------------------------------------------------

    def authorization_url(self, client_id, scopes=SCOPES, budget=BUDGET):
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        request = {
            "state": secrets.token_urlsafe(16),
            "nonce": secrets.token_urlsafe(16),
            "verifier": verifier,
        }
        params = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": self.callback.uri,
            "scope": " ".join(scopes),
            "state": request["state"],
            "nonce": request["nonce"],
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        if budget:
            params["budget"] = budget
        request["url"] = self.endpoint("authorization_endpoint", "/oauth/authorize") + "?" + urlencode(params)
        return request

    def token(self, data, client):
        auth = (client["client_id"], client["client_secret"]) if client.get("client_secret") else None
        if auth is None:
            data = {**data, "client_id": client["client_id"]}
        return self.http.post(
            self.endpoint("token_endpoint", "/oauth/token"), data=data, auth=auth, timeout=TIMEOUT
        )

    def introspect(self, token):
        client = self.clients["app"]
        response = self.http.post(
            self.endpoint("introspection_endpoint", "/oauth/introspect"),
            data={"token": token},
            auth=(client["client_id"], client["client_secret"]),
            timeout=TIMEOUT,
        )
        body = json_of(response)
        expect(response.status_code == 200 and isinstance(body, dict), f"introspection: {describe(response)}")
        return body


def first(elements):
    return elements[0] if elements else None


# --- steps --------------------------------------------------------------------------------------


def step_setup(ctx):
    response = ctx.http.get(ctx.issuer + "/.well-known/openid-configuration", timeout=TIMEOUT)
    meta = json_of(response)
    expect(response.status_code == 200 and isinstance(meta, dict), f"discovery: {describe(response)}")
    expect(
        meta.get("issuer") == ctx.issuer, f"discovery: issuer is {meta.get('issuer')!r}, not {ctx.issuer!r}"
    )
    ctx.meta = meta
    ctx.jwks = jwt.PyJWKClient(meta["jwks_uri"], timeout=TIMEOUT)
    yield f"discovery: issuer {ctx.issuer}"

    ctx.callback = Callback()
    yield f"the client's redirect_uri is served at {ctx.callback.uri}"

    def register(key, name, public, scopes):
        body = {"name": name, "redirect_uris": [ctx.callback.uri], "public": public, "scopes": scopes}
        response = ctx.http.post(
            ctx.issuer + "/admin/clients",
            json=body,
            headers={"Authorization": f"Bearer {ctx.args.admin_token}"},
            timeout=TIMEOUT,
        )
        answer = json_of(response)
        expect(
            response.status_code == 201 and isinstance(answer, dict),
            f"POST /admin/clients: {describe(response)}",
        )
        ctx.clients[key] = {**answer, "name": name}

    register("app", APP_NAME, False, SCOPES)
    register("device", DEVICE_APP_NAME, True, DEVICE_SCOPES)
    yield f"clients registered: {APP_NAME!r} (confidential), {DEVICE_APP_NAME!r} (public, device flow)"

    version = ctx.start_browser()
    yield f"headless Chromium {version} with {ctx.args.chromedriver}"


def step_login_and_consent(ctx):
    client = ctx.clients["app"]
    request = ctx.authorization_url(client["client_id"])
    ctx.driver.get(request["url"])
    ctx.element(By.ID, "username", "the login form's username field")
    expect(
        "/dev/login" in ctx.driver.current_url,
        f"the login form is at {ctx.driver.current_url}, not /dev/login",
    )
    field = ctx.driver.find_element(By.ID, "username")
    expect(field.get_attribute("name") == "username", "the username field's name is not username")
    button = ctx.element(By.ID, "login", "the login button")
    ctx.page("login")
    yield "authorization request without a session: the stand-in login form (/dev/login)"

    field.send_keys(USERNAME)
    button.click()
    heading = ctx.wait(
        lambda driver: first([h for h in driver.find_elements(By.TAG_NAME, "h1") if "Authorize" in h.text]),
        "the consent page's <h1>Authorize",
    )
    cookie = ctx.driver.get_cookie(SESSION_COOKIE)
    expect(cookie is not None, f"no {SESSION_COOKIE} cookie after login: {ctx.driver.get_cookies()}")
    expect(cookie.get("httpOnly") is True, f"{SESSION_COOKIE} is not HttpOnly: {cookie}")
    expect(cookie.get("sameSite") == "Lax", f"{SESSION_COOKIE} is SameSite={cookie.get('sameSite')}, not Lax")
    ctx.state["session_cookie"] = cookie["value"]
    yield f"login as {USERNAME}: a {SESSION_COOKIE} cookie (HttpOnly, SameSite=Lax), on to consent"

    ctx.page("consent")
    expect(APP_NAME in heading.text, f"the consent <h1> {heading.text!r} does not name {APP_NAME!r}")
    items = ctx.driver.find_elements(By.CSS_SELECTOR, "li.scope")
    shown = {}
    for item in items:
        codes = item.find_elements(By.TAG_NAME, "code")
        expect(codes, f"a li.scope without <code>: {item.text!r}")
        shown[codes[0].text.strip()] = item.text.replace(codes[0].text, "", 1).strip()
    expect(set(shown) == set(SCOPES), f"li.scope shows {sorted(shown)}, not {sorted(SCOPES)}")
    undescribed = [scope for scope, text in shown.items() if not text]
    expect(not undescribed, f"scopes without a description: {undescribed}")
    yield f"consent: <h1> {heading.text!r}; each requested scope as li.scope with a description"

    budget = ctx.element(By.ID, "budget", "id=budget").text
    expect("5000" in digits(budget), f"id=budget says {budget!r}, not the 5000 sat a day asked for")
    expiry = ctx.element(By.ID, "expiry", "id=expiry").text
    yield f"consent: budget {budget!r}, expiry {expiry!r}"

    forms = [
        form for form in ctx.driver.find_elements(By.TAG_NAME, "form") if form.find_elements(By.ID, "approve")
    ]
    expect(len(forms) == 1, f"{len(forms)} forms hold id=approve, not one")
    form = forms[0]
    expect((form.get_attribute("method") or "").lower() == "post", "the consent form is not method=post")
    csrf = form.find_elements(By.CSS_SELECTOR, "input[type=hidden][name=csrf_token]")
    expect(csrf and csrf[0].get_attribute("value"), "the consent form has no hidden csrf_token with a value")
    for name in ("approve", "deny"):
        buttons = form.find_elements(By.ID, name)
        expect(buttons, f"the consent form has no id={name}")
        expect(buttons[0].get_attribute("name") == "action", f"id={name} is not name=action")
        expect(
            buttons[0].get_attribute("value") == name,
            f"id={name} has value {buttons[0].get_attribute('value')!r}",
        )
        expect(buttons[0].get_attribute("type") in ("submit", None), f"id={name} is not a submit button")
    yield "consent: one POST form with a csrf_token and approve/deny buttons (name=action)"

    count = len(ctx.callback.received)
    ctx.driver.find_element(By.ID, "approve").click()
    answer = ctx.callback_answer(count)
    expect("error" not in answer, f"approve: the callback got an error: {answer}")
    expect(answer.get("code"), f"approve: no code in {answer}")
    expect(answer.get("state") == request["state"], f"approve: state {answer.get('state')!r}")
    expect(answer.get("iss") == ctx.issuer, f"approve: iss {answer.get('iss')!r}")
    ctx.page("callback-approved")
    yield "approve: the browser lands on the callback with code, state and iss"

    response = ctx.token(
        {
            "grant_type": "authorization_code",
            "code": answer["code"],
            "redirect_uri": ctx.callback.uri,
            "code_verifier": request["verifier"],
        },
        client,
    )
    token = json_of(response)
    expect(response.status_code == 200 and isinstance(token, dict), f"code exchange: {describe(response)}")
    expect(token.get("access_token") and token.get("id_token"), f"code exchange: tokens {sorted(token)}")
    key = ctx.jwks.get_signing_key_from_jwt(token["id_token"])
    claims = jwt.decode(
        token["id_token"],
        key=key,
        algorithms=["RS256", "ES256"],
        audience=client["client_id"],
        issuer=ctx.issuer,
        leeway=5,
    )
    expect(claims.get("nonce") == request["nonce"], f"ID token nonce {claims.get('nonce')!r}")
    expect(claims.get("sub") == USERNAME, f"ID token sub is {claims.get('sub')!r}, not {USERNAME!r}")
    ctx.state["token"] = token
    yield f"the code (PKCE verifier, client_secret_basic) -> access token and ID token for {claims['sub']}"


def step_consent_headers(ctx):
    # Response headers are not visible to WebDriver: a consent page fetched with the session cookie,
    # before the browser asks for its own (so a server keeping one pending consent per session is fine).
    again = ctx.authorization_url(ctx.clients["app"]["client_id"])
    response = requests.get(
        again["url"],
        cookies={SESSION_COOKIE: ctx.state["session_cookie"]},
        headers=BROWSER_ACCEPT,
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    expect(response.status_code == 200, f"the consent page with the session cookie: {describe(response)}")
    expect(
        "text/html" in response.headers.get("Content-Type", ""), f"consent Content-Type: {response.headers}"
    )
    csp = response.headers.get("Content-Security-Policy", "")
    expect("default-src 'none'" in csp, f"Content-Security-Policy {csp!r} lacks default-src 'none'")
    expect("form-action" in csp, f"Content-Security-Policy {csp!r} lacks form-action")
    frames = response.headers.get("X-Frame-Options", "").upper()
    expect(
        frames == "DENY" or "frame-ancestors 'none'" in csp, f"framing allowed: XFO {frames!r}, CSP {csp!r}"
    )
    cache = response.headers.get("Cache-Control", "")
    expect("no-store" in cache, f"consent Cache-Control is {cache!r}")
    yield "consent headers: CSP default-src 'none' with form-action, no framing, Cache-Control no-store"


def step_deny(ctx):
    request = ctx.authorization_url(ctx.clients["app"]["client_id"])
    ctx.driver.get(request["url"])
    ctx.wait(
        lambda driver: "/dev/login" in driver.current_url
        or first([h for h in driver.find_elements(By.TAG_NAME, "h1") if "Authorize" in h.text]),
        "the consent page",
    )
    expect(
        "/dev/login" not in ctx.driver.current_url, "a second authorization request asked for the login again"
    )
    ctx.page("consent-again")
    yield "second authorization request with the session: straight to consent"
    count = len(ctx.callback.received)
    ctx.element(By.ID, "deny", "the deny button").click()
    answer = ctx.callback_answer(count)
    expect(answer.get("error") == "access_denied", f"deny: the callback got {answer}")
    expect("code" not in answer, f"deny: a code in {answer}")
    expect(answer.get("state") == request["state"], f"deny: state {answer.get('state')!r}")
    expect(answer.get("iss") == ctx.issuer, f"deny: iss {answer.get('iss')!r}")
    yield "deny: the callback gets error=access_denied with state and iss"


def step_device(ctx):
    client = ctx.clients["device"]
    response = ctx.http.post(
        ctx.endpoint("device_authorization_endpoint", "/oauth/device_authorization"),
        data={"client_id": client["client_id"], "scope": " ".join(DEVICE_SCOPES)},
        timeout=TIMEOUT,
    )
    device = json_of(response)
    expect(
        response.status_code == 200 and isinstance(device, dict),
        f"device authorization: {describe(response)}",
    )
    expect(device.get("user_code") and device.get("device_code"), f"device authorization: {device}")
    yield f"device authorization: user_code {device['user_code']}"

    ctx.driver.get(ctx.issuer + "/oauth/device")
    field = ctx.element(By.ID, "user_code", "the device page's user_code field")
    expect(field.get_attribute("name") == "user_code", "the user_code field's name is not user_code")
    ctx.element(By.ID, "continue", "the continue button")
    ctx.page("device-code-form")
    yield "device page: a user_code field and a continue button"

    wrong = device["user_code"]
    while wrong.replace("-", "") == device["user_code"].replace("-", ""):
        letters = "".join(random.choice(USER_CODE_ALPHABET) for _ in range(8))
        wrong = letters[:4] + "-" + letters[4:]
    field.send_keys(wrong)
    ctx.driver.find_element(By.ID, "continue").click()
    ctx.wait(
        lambda driver: "not valid" in ctx.body_text().lower(),
        "the wrong user code's error text ('not valid')",
    )
    ctx.page("device-wrong-code")
    yield f"a wrong user code ({wrong}): the page says it is not valid"

    field = ctx.element(By.ID, "user_code", "the user_code field after the wrong code")
    field.clear()
    field.send_keys(device["user_code"])
    ctx.driver.find_element(By.ID, "continue").click()
    heading = ctx.wait(
        lambda driver: first([h for h in driver.find_elements(By.TAG_NAME, "h1") if "Authorize" in h.text]),
        "the device consent page",
    )
    ctx.page("device-consent")
    expect(
        DEVICE_APP_NAME in heading.text, f"the device consent <h1> {heading.text!r} lacks {DEVICE_APP_NAME!r}"
    )
    shown = {
        item.find_element(By.TAG_NAME, "code").text.strip()
        for item in ctx.driver.find_elements(By.CSS_SELECTOR, "li.scope")
    }
    expect(shown == set(DEVICE_SCOPES), f"device consent shows scopes {sorted(shown)}, not {DEVICE_SCOPES}")
    yield f"the right user code: consent for {DEVICE_APP_NAME!r} with its scopes"

    ctx.element(By.ID, "approve", "the device consent's approve button").click()
    ctx.wait(lambda driver: "approved" in ctx.body_text().lower(), "the device page's 'approved'")
    ctx.page("device-done")
    yield "approve on the device consent: the page says approved"

    interval = device.get("interval", 5)
    deadline = time.monotonic() + 60
    while True:
        time.sleep(interval)
        response = ctx.token({"grant_type": DEVICE_CODE_GRANT, "device_code": device["device_code"]}, client)
        body = json_of(response) or {}
        if response.status_code == 200:
            break
        if body.get("error") == "slow_down":
            interval += 5
        elif body.get("error") != "authorization_pending":
            raise CheckFailed(f"device token poll: {describe(response)}")
        expect(time.monotonic() < deadline, "device token poll: still pending after 60s")
    expect(body.get("access_token"), f"device token poll: {body}")
    ctx.state["device_token"] = body
    yield "the device polls the token endpoint and gets an access token"


def connection_of(ctx, name):
    for element in ctx.driver.find_elements(By.CSS_SELECTOR, ".connection"):
        if name in element.text:
            return element
    return None


def step_account(ctx):
    ctx.driver.get(ctx.issuer + "/account")
    connection = ctx.wait(lambda driver: connection_of(ctx, APP_NAME), f"a .connection naming {APP_NAME!r}")
    ctx.page("account-before-revoke")
    if "device_token" in ctx.state:
        expect(
            connection_of(ctx, DEVICE_APP_NAME),
            f"the account page lists no connection for {DEVICE_APP_NAME!r}",
        )
    missing = [scope for scope in SCOPES if scope != "openid" and scope not in connection.text]
    expect(not missing, f"the {APP_NAME} connection does not show {missing}: {connection.text!r}")
    bars = connection.find_elements(By.TAG_NAME, "meter") + connection.find_elements(
        By.CSS_SELECTOR, ".budget"
    )
    expect(bars, f"the {APP_NAME} connection has no budget bar (<meter> or .budget)")
    revoke = connection.find_elements(By.CSS_SELECTOR, ".revoke")
    expect(
        revoke and "Revoke" in (revoke[0].text or revoke[0].get_attribute("value") or ""), "no .revoke button"
    )
    yield f"account page: connections for {APP_NAME!r} (scopes, budget bar, Revoke) and {DEVICE_APP_NAME!r}"

    access_token = ctx.state["token"]["access_token"]
    body = ctx.introspect(access_token)
    expect(body.get("active") is True, f"before the revoke the access token introspects {body}")
    revoke[0].click()
    ctx.wait(
        lambda driver: (lambda c: c is None or "revoked" in c.text.lower())(connection_of(ctx, APP_NAME)),
        f"the {APP_NAME!r} connection to show revoked or disappear",
    )
    ctx.page("account-after-revoke")
    yield f"Revoke: the page reloads, the {APP_NAME!r} connection is revoked or gone"

    body = ctx.introspect(access_token)
    expect(body.get("active") is False, f"after the revoke the access token introspects {body}")
    yield "the revoked connection's access token introspects active: false"


def step_logout(ctx):
    button = ctx.element(By.ID, "logout", "the logout button")
    ctx.click_and_leave(button, "the page after logout")
    ctx.page("logged-out")
    cookie = ctx.driver.get_cookie(SESSION_COOKIE)
    expect(
        cookie is None or cookie.get("value") != ctx.state["session_cookie"],
        f"the browser still holds the same {SESSION_COOKIE} after logout",
    )
    yield f"logout: the browser no longer holds the session's {SESSION_COOKIE}"
    ctx.driver.get(ctx.issuer + "/account")
    ctx.element(By.ID, "username", "the login form after logout")
    expect("/dev/login" in ctx.driver.current_url, f"after logout /account went to {ctx.driver.current_url}")
    ctx.page("after-logout")
    yield "logout: /account then sends the browser to the login form"
    response = requests.get(
        ctx.issuer + "/account",
        cookies={SESSION_COOKIE: ctx.state["session_cookie"]},
        headers=BROWSER_ACCEPT,
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    expect(response.status_code in (302, 303), f"the old session cookie after logout: {describe(response)}")
    yield f"the logged-out session cookie no longer opens /account: {response.status_code} to the login"


# (name, function, the steps it needs)
STEPS = [
    ("setup", step_setup, []),
    ("login and consent", step_login_and_consent, ["setup"]),
    ("consent headers", step_consent_headers, ["login and consent"]),
    ("deny", step_deny, ["login and consent"]),
    ("device page", step_device, ["login and consent"]),
    ("account page", step_account, ["login and consent"]),
    ("logout", step_logout, ["login and consent"]),
]


def run(ctx):
    return run_steps(ctx, STEPS, [
        (WebDriverException, lambda ctx, error: f"WebDriver: {type(error).__name__}: {error.msg}; the browser is {ctx.where() if ctx.driver else 'not started'}"),
        (jwt.exceptions.PyJWTError, lambda _, error: f"PyJWT refused a token: {type(error).__name__}: {error}"),
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="the server and issuer, e.g. http://127.0.0.1:8080")
    parser.add_argument("--admin-token", required=True, help="bearer credential for POST /admin/clients")
    parser.add_argument("--screenshots", required=True, help="folder for a PNG of every page")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--chromedriver", default=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    for name in os.listdir(args.screenshots):  # an earlier run's pages, so the folder shows this run only
        if re.fullmatch(r"\d\d-[a-z-]+\.png", name):
            os.remove(os.path.join(args.screenshots, name))
    print(f"selenium {selenium.__version__}, requests {requests.__version__} against {args.base_url}")
    started = time.monotonic()
    ctx = Context(args)
    passed = failed = 0
    try:
        for ok, line in run(ctx):
            if ok:
                passed += 1
                print(f"PASS - {line}", flush=True)
            else:
                failed += 1
                print(f"FAIL - {line}", flush=True)
    finally:
        if ctx.driver is not None:
            ctx.driver.quit()
        if ctx.callback is not None:
            ctx.callback.close()
    print(f"{passed} passed, {failed} failed")
    print(f"run time {time.monotonic() - started:.1f}s; screenshots in {os.path.abspath(args.screenshots)}")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
