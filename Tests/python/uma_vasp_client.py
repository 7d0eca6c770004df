#!/usr/bin/env python3
"""The UMA NWC server's side of the UMA Auth API, against a real GrantLedger.

The NWC server (uma-universal-money-address/uma-nwc-server) talks to its VASP with aiohttp and the
`uma-auth-api` models from PyPI: request bodies are `Model.from_dict(params).to_json()` (explicit
`null` for every optional field it knows), answers are parsed with `Model.from_json`, which
validates them (`total_budget_currency_amount` must be a positive integer), paths are the API base
URL's path plus the operation's, with `$` and `@` left as they are, and the token exchange is posted
under the same base URL. This client calls the way it does and checks issue 9's promises:

- a fiat budget is charged in its own currency whatever `budget_currency_code` the caller names,
  so five 400,000-msat keysends against 1000 MXN (500,000 msat) pass once;
- `total_budget_currency_amount` is there, in the unit asked for;
- `get_balance` shows what is left of the budget, not the wallet;
- receiver addresses work raw and percent-encoded.

    python3 uma_vasp_client.py --base-url http://127.0.0.1:8080/umanwc/v1 --user-token eyJ...

One line per check; exit 0 only if every check passes.
"""

import argparse
import asyncio
import json
import math
import sys
from urllib.parse import urlparse

try:
    import aiohttp
    from uma_auth.models.error_response import ErrorResponse
    from uma_auth.models.execute_quote_request import ExecuteQuoteRequest
    from uma_auth.models.execute_quote_response import ExecuteQuoteResponse
    from uma_auth.models.get_balance_response import GetBalanceResponse
    from uma_auth.models.get_info_response import GetInfoResponse
    from uma_auth.models.list_transactions_response import ListTransactionsResponse
    from uma_auth.models.lookup_user_response import LookupUserResponse
    from uma_auth.models.make_invoice_request import MakeInvoiceRequest
    from uma_auth.models.pay_invoice_request import PayInvoiceRequest
    from uma_auth.models.pay_invoice_response import PayInvoiceResponse
    from uma_auth.models.pay_keysend_request import PayKeysendRequest
    from uma_auth.models.pay_keysend_response import PayKeysendResponse
    from uma_auth.models.pay_to_address_request import PayToAddressRequest
    from uma_auth.models.pay_to_address_response import PayToAddressResponse
    from uma_auth.models.quote import Quote
    from uma_auth.models.transaction import Transaction
except ImportError as missing:
    sys.exit(f"FAIL - {missing}: install Tests/python/requirements.txt first (make python-deps)")

PUBKEY = "02" + "11" * 32
# The demo wallet's rates: msat per smallest unit.
MSAT_PER_UNIT = {"SAT": 1_000, "USD": 10_000, "EUR": 11_000, "GBP": 13_000, "MXN": 500}


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)
    print(f"ok - {message}")


class VaspClient:
    """Calls as the NWC server's VaspUmaClient does: a session on scheme://host, the base URL's
    path in front of every operation, JSON bodies with Content-Type and a bearer token."""

    def __init__(self, base_url):
        parts = urlparse(base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base_path = parts.path

    async def call(self, method, path, token, data=None, params=None):
        async with aiohttp.ClientSession(base_url=self.origin) as session:
            async with session.request(
                method,
                f"{self.base_path}{path}",
                data=data,
                params=params,
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                    "User-Agent": "NWC",
                },
            ) as response:
                return response.status, await response.text()

    async def ok(self, method, path, token, model, data=None, params=None):
        status, text = await self.call(method, path, token, data=data, params=params)
        if status != 200:
            raise CheckFailed(f"{method} {path} answered {status}: {text}")
        return model.from_json(text)


async def run(base_url, user_token):
    vasp = VaspClient(base_url)

    # The token exchange, posted under the API base URL (`…/umanwc/v1/token`).
    status, text = await vasp.call(
        "POST",
        "/token",
        user_token,
        data=json.dumps(
            {
                "permissions": ["send_payments", "receive_payments", "read_balance", "read_transactions"],
                "budget": "1000.MXN/never",
            }
        ),
    )
    check(status == 200, f"token exchange under the API base URL answers 200 ({status} {text[:120]})")
    token = json.loads(text)["token"]

    info = await vasp.ok("GET", "/info", token, GetInfoResponse)
    check("pay_keysend" in info.methods, "get_info parses and lists the granted methods")

    # 1000 centavos = 500,000 msat; each keysend is 400,000 msat = 800 centavos.
    outcomes = []
    for _ in range(5):
        body = PayKeysendRequest.from_dict(
            {"amount": 400_000, "pubkey": PUBKEY, "budget_currency_code": "GBP"}
        ).to_json()
        status, text = await vasp.call("POST", "/payments/keysend", token, data=body)
        outcomes.append(status)
        if status == 200:
            paid = PayKeysendResponse.from_json(text)
            expected = math.ceil(400_000 / MSAT_PER_UNIT["GBP"])
            check(
                paid.total_budget_currency_amount == expected,
                f"total_budget_currency_amount is {expected} GBP pennies ({paid.total_budget_currency_amount})",
            )
        else:
            error = ErrorResponse.from_json(text)
            check(error.code == "QUOTA_EXCEEDED", f"over budget is QUOTA_EXCEEDED ({error.code})")
    check(outcomes == [200, 402, 402, 402, 402], f"one 400,000-msat keysend fits 1000 MXN ({outcomes})")

    balance = await vasp.ok("GET", "/balance", token, GetBalanceResponse)
    check(balance.balance == 100_000, f"get_balance shows the 200 centavos left as msat ({balance.balance})")
    in_mxn = await vasp.ok("GET", "/balance", token, GetBalanceResponse, params={"currency_code": "MXN"})
    check(in_mxn.balance == 200, f"... and as centavos ({in_mxn.balance})")

    # Addresses as the NWC server writes them, and as generated clients encode them.
    for path in ["/receiver/lud16/$alice@vasp.net", "/receiver/lud16/%24alice%40vasp.net"]:
        receiver = await vasp.ok("GET", path, token, LookupUserResponse)
        check(len(receiver.currencies) > 0, f"lookup_user {path} parses")

    # Small payments with every optional member an explicit null.
    invoice = await vasp.ok(
        "POST",
        "/invoice",
        token,
        Transaction,
        data=MakeInvoiceRequest.from_dict({"amount": 9_999, "description": "tea", "expiry": None}).to_json(),
    )
    paid = await vasp.ok(
        "POST",
        "/payments/bolt11",
        token,
        PayInvoiceResponse,
        data=PayInvoiceRequest.from_dict(
            {"invoice": invoice.invoice, "amount": None, "budget_currency_code": "MXN"}
        ).to_json(),
    )
    check(paid.total_budget_currency_amount == 20, f"9,999 msat is 20 centavos, rounded up ({paid.total_budget_currency_amount})")
    looked_up = await vasp.ok("GET", f"/invoices/{invoice.payment_hash}", token, Transaction)
    check(looked_up.payment_hash == invoice.payment_hash, "lookup_invoice parses")

    to_address = await vasp.ok(
        "POST",
        "/payments/lud16",
        token,
        PayToAddressResponse,
        data=PayToAddressRequest.from_dict(
            {
                "receiver_address": "$bob@vasp.net",
                "sending_currency_code": "SAT",
                "sending_currency_amount": 10,
                "receiving_currency_code": None,
                "budget_currency_code": None,
            }
        ).to_json(),
    )
    check(
        to_address.total_budget_currency_amount == 10,
        f"lud16 without budget_currency_code answers in the sending currency ({to_address.total_budget_currency_amount} sat)",
    )

    quote = await vasp.ok(
        "GET",
        "/quote/lud16",
        token,
        Quote,
        params={
            "sending_currency_code": "SAT",
            "receiving_currency_code": "USD",
            "locked_currency_amount": 3,
            "locked_currency_side": "receiving",
            "receiver_address": "$bob@vasp.net",
        },
    )
    executed = await vasp.ok(
        "POST",
        f"/quote/{quote.payment_hash}",
        token,
        ExecuteQuoteResponse,
        data=json.dumps(ExecuteQuoteRequest.from_dict({"budget_currency_code": "USD"}).to_dict()),
    )
    check(executed.total_budget_currency_amount == 3, f"a 3-cent quote costs 3 cents ({executed.total_budget_currency_amount})")

    listed = await vasp.ok("GET", "/transactions", token, ListTransactionsResponse, params={"limit": 10})
    check(len(listed.transactions) >= 3, "list_transactions parses")
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True, help="the UMA Auth API root, e.g. http://127.0.0.1:8080/umanwc/v1")
    parser.add_argument("--user-token", required=True, help="a short-lived user JWT from the login system")
    arguments = parser.parse_args()
    try:
        return asyncio.run(run(arguments.base_url, arguments.user_token))
    except CheckFailed as failure:
        print(f"FAIL - {failure}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
