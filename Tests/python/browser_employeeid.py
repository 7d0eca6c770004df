#!/usr/bin/env python3
"""The employeeid means' page in a real browser: Debian's headless Chromium driven by Selenium.

An EHR (this script, with `requests` and the admin credential) registers the organisation, draws up
a login contract and starts an employeeid signing session in which the employer vouches for its
employee (`params`: employer, employee {identifier, initials, familyName, roleName}), as the Nuts
node's employeeid means takes them. The employee opens `sessionPtr.url` in the browser, sees the
contract and themself, and clicks Sign; the EHR then polls the session until it is `completed` with
a verifiable presentation (the next poll answers `vp-requested`), verifies it and gets an access
token carrying the employee. A second session, on a Dutch contract, is declined on its page and
polls `cancelled`. Every page is saved as a PNG in --screenshots and its visible text printed
between `=== page: NAME ===` markers. One line per check; exit 0 only if every check passes.

    python3 browser_employeeid.py --base-url http://127.0.0.1:8080 --admin-token "$ADMIN_TOKEN" \
        --screenshots .build/screenshots/employeeid

--base-url must be the server's public URL (its issuer), which `sessionPtr.url` names. The server
must list `employeeid` in --signing-means. The browser set-up is browser_pages.py's.
"""

import argparse
import os
import re
import sys
import time
from checks import run_steps

try:
    import requests
    import selenium
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    import browser_pages
    from browser_pages import CheckFailed, describe, expect, first, json_of
except ImportError as missing:
    sys.exit(f"FAIL - {missing}: install Tests/python/requirements.txt first (make python-deps)")

DID = "did:nuts:Ft8NRLzSjxyw8AmTHVtJ9ehBctXpsaQjshmHnqWCATEz"
NAME = "CareBears"
CITY = "CareTown"
AUTHORIZER = "did:nuts:JCJEi3waNGNhkmwVvFB3wdUsmDYPnTcZxYiWThZqgWKv"
EMPLOYEE = {"identifier": "481", "initials": "J", "familyName": "van Dijk", "roleName": "Verpleegkundige niveau 2"}
TIMEOUT = browser_pages.TIMEOUT


class Context(browser_pages.Context):
    """browser_pages' browser (start_browser, wait, element, page, where), plus the EHR's calls."""

    def __init__(self, args):
        super().__init__(args)
        self.http.headers["Authorization"] = f"Bearer {args.admin_token}"

    def call(self, method, path, **kwargs):
        return self.http.request(method, self.issuer + path, timeout=TIMEOUT, **kwargs)

    def drawup(self, type_, language):
        body = {"type": type_, "language": language, "version": "v3", "legalEntity": DID, "validDuration": "1h"}
        response = self.call("PUT", "/internal/auth/v1/contract/drawup", json=body)
        answer = json_of(response)
        expect(
            response.status_code == 200 and isinstance(answer, dict) and isinstance(answer.get("message"), str),
            f"drawup {type_}/{language}: {describe(response)}",
        )
        return answer["message"]

    def start_session(self, message):
        body = {"means": "employeeid", "payload": message, "params": {"employer": DID, "employee": EMPLOYEE}}
        response = self.call("POST", "/internal/auth/v1/signature/session", json=body)
        answer = json_of(response)
        expect(
            response.status_code == 201 and isinstance(answer, dict),
            f"POST signature/session (employeeid): {describe(response)}",
        )
        expect(answer.get("means") == "employeeid", f"the session's means is {answer.get('means')!r}")
        session_id = answer.get("sessionID")
        pointer = answer.get("sessionPtr")
        expect(isinstance(session_id, str) and session_id, f"sessionID is {session_id!r}")
        expect(isinstance(pointer, dict), f"sessionPtr is {pointer!r}, not an object")
        url = pointer.get("url")
        expected = f"{self.issuer}/public/auth/v1/means/employeeid/{session_id}"
        expect(url == expected, f"sessionPtr.url is {url!r}, not {expected!r}")
        expect(pointer.get("sessionID") == session_id, f"sessionPtr.sessionID is {pointer.get('sessionID')!r}")
        return session_id, url

    def status(self, session_id):
        response = self.call("GET", f"/internal/auth/v1/signature/session/{session_id}")
        answer = json_of(response)
        expect(
            response.status_code == 200 and isinstance(answer, dict) and isinstance(answer.get("status"), str),
            f"GET signature/session/{session_id}: {describe(response)}",
        )
        return answer

    def poll_until(self, session_id, wanted, seconds=TIMEOUT):
        """Polls as an EHR does until the status is `wanted`; every status seen on the way."""
        seen = []
        deadline = time.monotonic() + seconds
        while True:
            answer = self.status(session_id)
            if not seen or seen[-1] != answer["status"]:
                seen.append(answer["status"])
            if answer["status"] == wanted:
                return answer, seen
            expect(time.monotonic() < deadline, f"polled {seconds}s for {wanted!r}; statuses seen: {seen}")
            time.sleep(0.2)

    def decide(self, value, what):
        """Clicks the page's button name=accept value=VALUE and waits for the page it leads to."""
        buttons = self.driver.find_elements(By.CSS_SELECTOR, f"button[name=accept][value={value}]")
        expect(len(buttons) == 1, f"{len(buttons)} buttons name=accept value={value}, not one, {self.where()}")
        button = buttons[0]
        label = button.text
        self.click_and_leave(button, f"the page after {what}")
        outcome = self.element(By.ID, "outcome", f"the outcome after {what}")
        return label, outcome.text


def contract_text(message):
    """The contract as the page shows it: without its `EN:PractitionerLogin:v3 ` prefix."""
    return message.split(" ", 1)[1]


def register_organization(ctx):
    body = {"id": DID, "name": NAME, "city": CITY}
    response = ctx.call("POST", "/admin/organizations", json=body)
    if response.status_code == 409:  # a rerun against the same server
        response = ctx.call("GET", "/admin/organizations/" + DID)
    answer = json_of(response)
    expect(
        response.status_code in (200, 201) and isinstance(answer, dict)
        and (answer.get("name"), answer.get("city")) == (NAME, CITY),
        f"the organisation: {describe(response)}",
    )
    return response.status_code


# --- steps --------------------------------------------------------------------------------------


def step_setup(ctx):
    status = register_organization(ctx)
    yield f"POST /admin/organizations {DID} ({NAME}, {CITY}): {status}"
    version = ctx.start_browser()
    yield f"headless Chromium {version} with {ctx.args.chromedriver}"


def step_sign(ctx):
    message = ctx.drawup("PractitionerLogin", "EN")
    yield f"drawup PractitionerLogin EN, now, 1h: {message!r}"
    session_id, url = ctx.start_session(message)
    ctx.state["signed"] = {"id": session_id, "url": url, "message": message}
    yield f"POST signature/session (employeeid, employee 481): 201, sessionPtr.url {url}"
    answer = ctx.status(session_id)
    expect(answer["status"] == "created" and "verifiablePresentation" not in answer, f"before the page: {answer}")
    yield "status before the employee opens the page: created"

    ctx.driver.get(url)
    heading = ctx.wait(
        lambda driver: first([h for h in driver.find_elements(By.TAG_NAME, "h1") if "employee" in h.text]),
        "the page's <h1>Sign in as an employee",
    )
    ctx.page("employeeid-sign")
    text = ctx.body_text()
    shown = " ".join(text.split())
    expect(contract_text(message) in shown, f"the page does not show the contract {contract_text(message)!r}: {text!r}")
    for value in (EMPLOYEE["identifier"], f"{EMPLOYEE['initials']} {EMPLOYEE['familyName']}", EMPLOYEE["roleName"]):
        expect(value in text, f"the page does not show {value!r}: {text!r}")
    yield (
        f"the page ({heading.text!r}) shows the contract, identifier 481, "
        f"{EMPLOYEE['initials']} {EMPLOYEE['familyName']} and {EMPLOYEE['roleName']!r}"
    )
    forms = ctx.driver.find_elements(By.TAG_NAME, "form")
    expect(len(forms) == 1 and (forms[0].get_attribute("method") or "").lower() == "post", "no one method=post form")
    secret = forms[0].find_elements(By.CSS_SELECTOR, "input[type=hidden][name=secret]")
    expect(secret and secret[0].get_attribute("value"), "the form has no hidden secret with a value")
    yield "the page's form: method post, a hidden secret, buttons Sign and Decline"

    answer = ctx.status(session_id)
    expect(answer["status"] == "in-progress", f"after the page was opened the status is {answer}")
    yield "status once the page is open: in-progress"

    label, outcome = ctx.decide("true", "Sign")
    ctx.page("employeeid-signed")
    expect(label == "Sign", f"the accept button says {label!r}, not Sign")
    expect(outcome == "Signed", f"after Sign the page says {outcome!r}, not Signed")
    expect(
        not ctx.driver.find_elements(By.CSS_SELECTOR, "button[name=accept]"),
        "the page still offers its buttons after signing",
    )
    expect(ctx.driver.current_url == url, f"after Sign the browser is at {ctx.driver.current_url}, not {url}")
    yield f"click Sign (name=accept value=true): the page at the same URL says {outcome!r}, no buttons"

    answer, seen = ctx.poll_until(session_id, "completed")
    presentation = answer.get("verifiablePresentation")
    expect(isinstance(presentation, dict), f"completed without a verifiablePresentation: {answer}")
    types = presentation.get("type") or []
    expect(
        "VerifiablePresentation" in types and "NutsSelfSignedPresentation" in types,
        f"the presentation's type is {types!r}",
    )
    ctx.state["vp"] = presentation
    yield f"the EHR polls: {', '.join(seen)} with a verifiablePresentation of type {types}"
    answer = ctx.status(session_id)
    expect(
        answer["status"] == "vp-requested" and "verifiablePresentation" not in answer,
        f"the poll after completed answers {answer}, not vp-requested without a presentation",
    )
    yield "the next poll: vp-requested, no presentation (it is handed out once)"


def step_use_presentation(ctx):
    presentation = ctx.state["vp"]
    response = ctx.call("PUT", "/internal/auth/v1/signature/verify", json={"VerifiablePresentation": presentation})
    body = json_of(response)
    expect(response.status_code == 200 and isinstance(body, dict) and body.get("validity") is True, describe(response))
    expect(body.get("vpType") == "NutsSelfSignedPresentation", f"vpType is {body.get('vpType')!r}")
    attributes = body.get("issuerAttributes") or {}
    wanted = {
        "initials": "J",
        "familyname": "van Dijk",
        "username": "481",
        "user_role": "Verpleegkundige niveau 2",
        "assurance_level": "low",
    }
    wrong = {key: attributes.get(key) for key, value in wanted.items() if attributes.get(key) != value}
    expect(not wrong, f"issuerAttributes differ from {wanted} in {wrong}: {attributes}")
    yield f"signature/verify: validity true, NutsSelfSignedPresentation, issuerAttributes {wanted}"

    request = {
        "authorizer": AUTHORIZER,
        "requester": DID,
        "identity": presentation,
        "service": "nuts-patient-transfer",
        "credentials": [],
    }
    response = ctx.call("POST", "/internal/auth/v1/request-access-token", json=request)
    body = json_of(response)
    expect(response.status_code == 200 and isinstance(body, dict), f"request-access-token: {describe(response)}")
    response = ctx.call(
        "POST", "/internal/auth/v1/accesstoken/introspect", data={"token": body.get("access_token") or ""}
    )
    answer = json_of(response) or {}
    wanted = {
        "active": True,
        "initials": "J",
        "family_name": "van Dijk",
        "username": "481",
        "user_role": "Verpleegkundige niveau 2",
        "assurance_level": "low",
        "sub": DID,
    }
    wrong = {key: answer.get(key) for key, value in wanted.items() if answer.get(key) != value}
    expect(response.status_code == 200 and not wrong, f"introspection differs in {wrong}: {describe(response)}")
    yield f"request-access-token with it, then introspect: {wanted}"


def step_decline(ctx):
    message = ctx.drawup("BehandelaarLogin", "NL")
    session_id, url = ctx.start_session(message)
    yield f"a second session, on the Dutch contract {message!r}: 201"
    ctx.driver.get(url)
    ctx.wait(
        lambda driver: first([h for h in driver.find_elements(By.TAG_NAME, "h1") if "medewerker" in h.text]),
        "the Dutch page's <h1>Inloggen als medewerker",
    )
    ctx.page("employeeid-decline")
    text = ctx.body_text()
    expect(contract_text(message) in " ".join(text.split()), f"the page does not show the Dutch contract: {text!r}")
    yield "the page in Dutch (Inloggen als medewerker) shows the Dutch contract"
    label, outcome = ctx.decide("false", "Weigeren")
    ctx.page("employeeid-declined")
    expect(label == "Weigeren", f"the decline button says {label!r}, not Weigeren")
    expect(outcome == "Geweigerd", f"after declining the page says {outcome!r}, not Geweigerd")
    yield f"click {label} (name=accept value=false): the page says {outcome!r}"
    answer, seen = ctx.poll_until(session_id, "cancelled")
    expect("verifiablePresentation" not in answer, f"a cancelled session carries a presentation: {answer}")
    yield f"the EHR polls: {', '.join(seen)}, no presentation"

    # The signed session's page, opened again: its outcome, nothing to click.
    ctx.driver.get(ctx.state["signed"]["url"])
    outcome = ctx.element(By.ID, "outcome", "the signed session's outcome").text
    ctx.page("employeeid-signed-again")
    expect(outcome == "Signed", f"the signed session's page, reopened, says {outcome!r}")
    expect(not ctx.driver.find_elements(By.CSS_SELECTOR, "button[name=accept]"), "the reopened page offers buttons")
    yield "the signed session's page, reopened: Signed, no buttons"


STEPS = [
    ("setup", step_setup, []),
    ("sign", step_sign, ["setup"]),
    ("use the presentation", step_use_presentation, ["sign"]),
    ("decline", step_decline, ["sign"]),
]


def run(ctx):
    return run_steps(ctx, STEPS, [
        (WebDriverException, lambda ctx, error: f"WebDriver: {type(error).__name__}: {error.msg}; the browser is {ctx.where() if ctx.driver else 'not started'}"),
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="the server's public URL, e.g. http://127.0.0.1:8080")
    parser.add_argument(
        "--admin-token",
        default=os.environ.get("GRANTLEDGER_ADMIN_TOKEN"),
        help="the admin credential (default: $GRANTLEDGER_ADMIN_TOKEN)",
    )
    parser.add_argument("--screenshots", required=True, help="folder for a PNG of every page")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--chromedriver", default=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    args = parser.parse_args()
    if not args.admin_token:
        parser.error("--admin-token or GRANTLEDGER_ADMIN_TOKEN is required")
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
    print(f"{passed} passed, {failed} failed")
    print(f"run time {time.monotonic() - started:.1f}s; screenshots in {os.path.abspath(args.screenshots)}")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
