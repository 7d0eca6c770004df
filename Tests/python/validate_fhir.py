#!/usr/bin/env python3
"""Validates GrantLedger's FHIR R4 AuditEvents with the fhir.resources models.

Reads FHIR JSON from a file or standard input: one AuditEvent, a Bundle of them (the searchset the
ledger answers; the Bundle itself and every entry's resource are checked), or NDJSON with one
AuditEvent per line. Prints one line per resource, `OK AuditEvent/<id>` or `FAIL AuditEvent/<id>:
<why>`, then a summary; exits 0 only if every resource is valid (1 if any is not, 2 if the input
cannot be read at all).

    python3 validate_fhir.py events.json
    curl -s "$B/fhir/AuditEvent?patient=…" | python3 validate_fhir.py

The models: fhir.resources 8.3.0 (pydantic 2, like the rest of .build/python) ships R5 as its
default and R4B (4.3.0) under `fhir.resources.R4B`; R4 (4.0.1) itself was last the default in 6.4.0,
which needs pydantic 1. AuditEvent and Bundle did not change between R4 and R4B, so
`fhir.resources.R4B` validates R4 AuditEvents. (Run in a pydantic-1 environment with
fhir.resources==6.4.0, the script uses its R4 models from `fhir.resources` instead.)

The models check structure, cardinality, required elements, primitive formats (id, instant,
dateTime, uri, base64Binary) and reject unknown elements. They do not check FHIR's JSON rules or
the required code bindings, so this script adds them: no null, no empty string, array or object
anywhere; `id` at most 64 characters; AuditEvent.action, outcome and agent.network.type and
Bundle.type and entry.search.mode from their R4 value sets; entity invariant sev-1; a Bundle's
fullUrls unique and ending in `AuditEvent/<id>`, `total` only on a searchset (bdl-1).
Needs fhir.resources (see requirements.txt).
"""

import argparse
import json
import sys

try:
    import fhir.resources as fhir_resources

    try:
        import fhir.resources.R4B as r4b
        from fhir.resources.R4B.auditevent import AuditEvent
        from fhir.resources.R4B.bundle import Bundle

        MODELS = "fhir.resources %s, R4B (%s) models" % (fhir_resources.__version__, r4b.__fhir_version__)
    except ImportError:
        # fhir.resources 6.0-6.4 (pydantic 1): R4 (4.0.1) is the default package.
        if getattr(fhir_resources, "__fhir_version__", "") != "4.0.1":
            raise
        from fhir.resources.auditevent import AuditEvent
        from fhir.resources.bundle import Bundle

        MODELS = "fhir.resources %s, R4 (4.0.1) models" % fhir_resources.__version__
except ImportError as missing:
    sys.exit(f"FAIL - {missing}: install Tests/python/requirements.txt first (make python-deps)")

# R4 required bindings the models do not enforce.
AUDIT_EVENT_ACTION = {"C", "R", "U", "D", "E"}
AUDIT_EVENT_OUTCOME = {"0", "4", "8", "12"}
NETWORK_TYPE = {"1", "2", "3", "4", "5"}
BUNDLE_TYPE = {
    "document", "message", "transaction", "transaction-response", "batch", "batch-response", "history",
    "searchset", "collection",
}
SEARCH_MODE = {"match", "include", "outcome"}


def model_errors(model, resource):
    """The model's validation errors, one string each (pydantic 2, or pydantic 1 for fhir.resources 6.4)."""
    validate = getattr(model, "model_validate", None) or model.parse_obj
    try:
        validate(resource)
    except Exception as error:  # pydantic's ValidationError, or the models' own ValueErrors
        listed = getattr(error, "errors", None)
        if callable(listed):
            try:
                return [
                    "%s: %s" % (".".join(str(part) for part in item.get("loc", ())) or "$", item.get("msg", ""))
                    for item in listed()
                ]
            except Exception:
                pass
        return [str(error).replace("\n", " ")]
    return []


def empty_elements(value, path="$"):
    """FHIR JSON: no null, and no empty string, array or object, anywhere."""
    if value is None:
        return ["%s is null" % path]
    if isinstance(value, str):
        return ["%s is an empty string" % path] if value == "" else []
    if isinstance(value, list):
        if not value:
            return ["%s is an empty array" % path]
        return [problem for index, item in enumerate(value) for problem in empty_elements(item, "%s[%d]" % (path, index))]
    if isinstance(value, dict):
        if not value:
            return ["%s is an empty object" % path]
        return [problem for key, item in value.items() for problem in empty_elements(item, "%s.%s" % (path, key))]
    return []


def code_errors(event):
    problems = []
    if isinstance(event.get("id"), str) and len(event["id"]) > 64:
        problems.append("id: longer than 64 characters")
    if "action" in event and event["action"] not in AUDIT_EVENT_ACTION:
        problems.append("action: %r is not in audit-event-action" % (event["action"],))
    if "outcome" in event and event["outcome"] not in AUDIT_EVENT_OUTCOME:
        problems.append("outcome: %r is not in audit-event-outcome" % (event["outcome"],))
    for index, agent in enumerate(event.get("agent") or []):
        network = agent.get("network") if isinstance(agent, dict) else None
        if isinstance(network, dict) and "type" in network and network["type"] not in NETWORK_TYPE:
            problems.append("agent[%d].network.type: %r is not in network-type" % (index, network["type"]))
    for index, entity in enumerate(event.get("entity") or []):
        if isinstance(entity, dict) and "name" in entity and "query" in entity:
            problems.append("entity[%d]: sev-1, either a name or a query (not both)" % index)
    return problems


def audit_event_problems(event):
    if not isinstance(event, dict):
        return ["not a JSON object"]
    if event.get("resourceType") != "AuditEvent":
        return ["resourceType is %r, not AuditEvent" % (event.get("resourceType"),)]
    return empty_elements(event) + code_errors(event) + model_errors(AuditEvent, event)


def label(resource):
    if isinstance(resource, dict):
        return "%s/%s" % (resource.get("resourceType", "?"), resource.get("id", "?"))
    return "?"


def report(name, problems):
    if problems:
        print("FAIL %s: %s" % (name, "; ".join(problems)))
    else:
        print("OK %s" % name)
    return not problems


def check_bundle(bundle):
    """The Bundle as a whole, then each entry's resource; answers (valid, invalid) counts."""
    # The Bundle's own line judges the Bundle without its entries' resources, which get a line each.
    shell = dict(bundle)
    if isinstance(bundle.get("entry"), list):
        shell["entry"] = [
            {key: value for key, value in entry.items() if key != "resource"} if isinstance(entry, dict) else entry
            for entry in bundle["entry"]
        ]
    problems = empty_elements(shell) + model_errors(Bundle, shell)
    if bundle.get("type") not in BUNDLE_TYPE:
        problems.append("type: %r is not in bundle-type" % (bundle.get("type"),))
    if "total" in bundle and bundle.get("type") not in ("searchset", "history"):
        problems.append("bdl-1: total only when a search or history")
    entries = bundle.get("entry") or []
    full_urls = [entry.get("fullUrl") for entry in entries if isinstance(entry, dict)]
    if len(set(full_urls)) != len(full_urls):
        problems.append("bdl-7: fullUrl must be unique")
    valid = invalid = 0
    if report("Bundle (%s, %d entries)" % (bundle.get("type"), len(entries)), problems):
        valid += 1
    else:
        invalid += 1
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        entry_problems = audit_event_problems(resource)
        if isinstance(resource, dict) and isinstance(entry, dict):
            full_url = entry.get("fullUrl")
            if not isinstance(full_url, str) or not full_url.endswith("/AuditEvent/%s" % resource.get("id")):
                entry_problems.append("entry[%d].fullUrl %r does not name AuditEvent/%s" % (index, full_url, resource.get("id")))
            search = entry.get("search")
            mode = search.get("mode") if isinstance(search, dict) else None
            if mode is not None and mode not in SEARCH_MODE:
                entry_problems.append("entry[%d].search.mode: %r is not in search-entry-mode" % (index, mode))
        if report("%s (entry %d)" % (label(resource), index), entry_problems):
            valid += 1
        else:
            invalid += 1
    return valid, invalid


def read_resources(text):
    """One JSON document, or NDJSON: (line number or None, parsed value or the parse error)."""
    try:
        return [(None, json.loads(text))]
    except json.JSONDecodeError as whole_error:
        lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
        if len(lines) < 2:
            raise whole_error
        parsed = []
        for number, line in lines:
            try:
                parsed.append((number, json.loads(line)))
            except json.JSONDecodeError as error:
                parsed.append((number, error))
        return parsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default="-", help="FHIR JSON or NDJSON (default: standard input)")
    args = parser.parse_args()
    try:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            with open(args.file, encoding="utf-8") as handle:
                text = handle.read()
        documents = read_resources(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        print("FAIL input: %s" % error)
        return 2
    if not documents:
        print("FAIL input: no resources")
        return 2

    valid = invalid = 0
    for line, document in documents:
        where = "" if line is None else " (line %d)" % line
        if isinstance(document, json.JSONDecodeError):
            report("line %d" % line, ["not JSON: %s" % document])
            invalid += 1
        elif isinstance(document, dict) and document.get("resourceType") == "Bundle" and line is None:
            counted = check_bundle(document)
            valid += counted[0]
            invalid += counted[1]
        elif report(label(document) + where, audit_event_problems(document)):
            valid += 1
        else:
            invalid += 1
    print("%d valid, %d invalid resource(s) (%s)" % (valid, invalid, MODELS))
    return 0 if invalid == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
