"""The check harness the client scripts share: named steps, one PASS/FAIL line per check.

A step is a generator that yields a line per check it passed and raises CheckFailed (through
expect) at the first that fails; a step whose prerequisite failed is not run. Library errors
(HTTP, JWT, WebDriver) are reported as the step's failure, never as a traceback.
"""

import requests


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def describe(response):
    return f"{response.request.method} {response.url}: {response.status_code} {response.text.strip()[:400]}"


def json_of(response):
    try:
        return response.json()
    except ValueError:
        return None


def run_steps(ctx, steps, errors=()):
    """Runs (name, step, needs) in order; yields (ok, line). `errors` adds (exception type,
    message function of ctx and error) pairs, tried before the HTTP and plain Python errors."""
    handlers = list(errors) + [
        (requests.RequestException, lambda _, error: f"HTTP: {type(error).__name__}: {error}"),
        ((ValueError, KeyError, TypeError, OSError), lambda _, error: f"{type(error).__name__}: {error}"),
    ]
    failed_steps = set()
    for name, step, needs in steps:
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
        except Exception as error:  # mapped below, or raised again
            handler = next((message for kind, message in handlers if isinstance(error, kind)), None)
            if handler is None:
                raise
            failed_steps.add(name)
            yield False, f"{name}: {handler(ctx, error)}"
