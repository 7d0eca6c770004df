// The OpenAPI 3.1 document of every route, served at /openapi.json: JSON in a raw string, edited
// here (`OpenAPIDocumentTests` keeps its paths and methods equal to the router's).
//
// Not a .json file compiled in with SwiftPM's `embedInCode`: that turns the file into an array
// literal of its bytes, and for this 505 KB document the compiler took 94 s and 4 GB of memory in
// a debug build, most of the time CI spent compiling LedgerHTTP; as a string literal it takes 0.3 s.
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "GrantLedger",
    "version": "1.0.0",
    "description": "GrantLedger: an event-sourced permissions and budget ledger for Nostr Wallet Connect (UMA Auth API), OAuth 2 grants, a scope gateway and Cashu NUT-21.\n\nSurfaces and their error shapes:\n- admin (`/admin/…`), operations: `{\"code\", \"message\"}` with snake_case codes.\n- UMA Auth API (`/umanwc/v1/…`) and budget service (`/v1/…`): `{\"code\", \"message\"}` with UMA's NIP-47 codes (UNAUTHORIZED 401, RESTRICTED 403, QUOTA_EXCEEDED / INSUFFICIENT_BALANCE 402, NOT_FOUND 404, PAYMENT_FAILED / OTHER 400, OTHER 409 and 405, RATE_LIMITED 429, NOT_IMPLEMENTED 501, INTERNAL 502); 413 `body_too_large`, 422 `idempotency_key_reused` and 503 `overloaded` / `shutting_down` / `storage_unavailable` keep their snake_case codes.\n- token exchange (`/umanwc/token`): `{\"error\": \"...\"}` (seed 000).\n- OAuth (`/oauth/…`): RFC 6749 `{\"error\", \"error_description\"}`.\n- gateway: RFC 6750 challenges, 402 `quota_exceeded`, 502/504 `origin_*`, else the origin's own answer.\n- NUT-21: `{\"code\": 30001|30002, \"detail\"}`.\n- Nuts auth v1 (`/internal/auth/v1/…`, `/public/auth/v1/…`): RFC 7807 `application/problem+json` `{\"detail\", \"status\", \"title\"}`, as the Nuts node answers.\n\nEvery path answers a method it does not serve with 405 and an `Allow` header, in its surface's error shape. HEAD is answered wherever GET is (not listed). Request bodies are limited to `--body-bytes-max` (65536 bytes by default; 413 beyond). Durable writes answer 503 when the writer is overloaded or shutting down (`Retry-After: 1`) or storage fails. JSON bodies are parsed as JSON whatever their Content-Type. Members without a value are left out of answers, never sent as null. Unknown path: 404 in the shape of the path's prefix.",
    "license": {
      "name": "Apache 2.0",
      "identifier": "Apache-2.0"
    }
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8080",
      "description": "`grantledger serve` with its defaults."
    }
  ],
  "tags": [
    {
      "name": "admin",
      "description": "The operator's API behind the admin credential (`Authorization: Bearer <admin-token>`): connections, OAuth clients and the registry of care organisations (Nuts practitioner login). Errors are `{code, message}`."
    },
    {
      "name": "uma-token-exchange",
      "description": "Seed 000's token exchange: the operator's short-lived user JWT for a long-lived connection token. Errors are `{\"error\": \"...\"}`."
    },
    {
      "name": "uma-auth-api",
      "description": "The UMA Auth API (specs/uma-auth-api.yml) under `/umanwc/v1`, with budgets enforced. Operations and schemas are the spec's, in OpenAPI 3.1, with the statuses and checks GrantLedger adds. Errors are UMA's `ErrorResponse {code, message}`."
    },
    {
      "name": "budget-service",
      "description": "`/v1`: reserve, settle and release spends for NWC wallet services that pay by themselves (connection token or admin credential), and a user's own connections (user token). Errors are `{code, message}` with UMA codes."
    },
    {
      "name": "oauth",
      "description": "The OAuth 2 authorization server (RFC 6749, 7636, 7662, 7009, 8414, 8628). Errors are RFC 6749 `{error, error_description}` with `Cache-Control: no-store`."
    },
    {
      "name": "gateway",
      "description": "The scope gateway (seed 001's API gateway, with budgets). Served only with `--gateway-origin`. The route table is configurable (`--gateway-routes`, a JSON file `{\"routes\": [{method, path, scope, spend?}]}`); documented here is the default, Alby's example table (`GatewayRouteTable.albyExample`). Each route needs an OAuth access token whose scopes and grant include the route's scope; payment routes reserve against the grant's budget. Errors of the gateway itself: RFC 6750 challenges (401/403 with `WWW-Authenticate`), 402 `{\"error\": \"quota_exceeded\"}`, 502/504 `origin_*`; anything else is the origin's answer, forwarded. The router's 405 for a gateway path is `{code, message}`. HEAD is not answered on gateway routes unless the table names it."
    },
    {
      "name": "nut-21",
      "description": "Cashu NUT-21 clear authentication: `GET /v1/info` publishes the issuer and the protected endpoints; requests to a protected endpoint need `Clear-auth: <JWT>` and fail with `{\"code\": 30001|30002, \"detail\"}`. Served only with `--clear-auth-endpoint`."
    },
    {
      "name": "nuts-internal",
      "description": "The Nuts auth v1 API's internal operations (`/internal/auth/v1/…`), as an EHR written against the Nuts node calls them: contracts drawn up for registered organisations, signing sessions (`--signing-means`), presentations and short-lived access tokens. Each needs the admin credential or an OAuth access token granted `nuts:internal`, except `HEAD accesstoken/verify`, whose Bearer is the token it checks. Errors are RFC 7807 `application/problem+json` `{detail, status, title}`, `title` being `<Operation> failed` (or `Operation failed`)."
    },
    {
      "name": "nuts-public",
      "description": "The Nuts auth v1 API's public operations (`/public/auth/v1/…`): the contract templates, and the employeeid means' page a practitioner signs on. No credential. Errors are `application/problem+json` `{detail, status, title}`; the page answers its own HTML pages."
    },
    {
      "name": "obp",
      "description": "Open Bank Project's grants under `/obp/v5.1.0`, at OBP-API's own paths: banks and accounts, users, roles (entitlements), views and account access, and DAuth's two operations (`POST /user-entitlements`, `POST …/views/{VIEW_ID}/user-account-access`). Callers: the admin credential (a user holding every role), the operator's user JWT (the user `(--issuer, sub)`, made on first use), or a `DAuth` header with an RS256 JWT from an address in `--dauth-allowed-ip` (the user `(dauth.<network_name>, smart_contract_address)`, made on first use; off unless `--dauth-public-key`). Every grant and revocation is an event: `?at=` answers roles and account access as of any moment and `…/history` lists every change with who made it. Errors are OBP's `{code, message}`: `code` is the HTTP status, `message` starts with OBP's code (`OBP-30205: This entitlement is a Bank Role. …`)."
    },
    {
      "name": "authz",
      "description": "The decision endpoint for resource servers: may this user use this view permission on this account, or does it hold this role? Every check is recorded as a NEN 7513 record with its outcome. Needs the admin credential or an OAuth access token granted `authz:check`. Errors are OBP's `{code, message}`."
    },
    {
      "name": "operations",
      "description": "Health, readiness, metrics, the public signing keys and this document. No credential."
    }
  ],
  "paths": {
    "/health": {
      "get": {
        "tags": [
          "operations"
        ],
        "operationId": "get_health",
        "summary": "Liveness: the process answers",
        "description": "Touches nothing else, so it measures the HTTP ceiling. No credential.",
        "security": [],
        "responses": {
          "200": {
            "description": "Alive.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    },
    "/ready": {
      "get": {
        "tags": [
          "operations"
        ],
        "operationId": "get_ready",
        "summary": "Readiness: the database answers a read",
        "security": [],
        "responses": {
          "200": {
            "description": "Ready.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Ready"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "503": {
            "description": "The database does not answer.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorNotReady"
                }
              }
            }
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "tags": [
          "operations"
        ],
        "operationId": "get_metrics",
        "summary": "Prometheus metrics",
        "description": "Prometheus text exposition format 0.0.4 (`nwc_spends_total{outcome=…}` and the HTTP metrics). `grantledger serve` always enables it; an embedding without a registry answers 404.",
        "security": [],
        "responses": {
          "200": {
            "description": "The metrics.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "404": {
            "description": "Metrics are not enabled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    },
    "/.well-known/jwks.json": {
      "get": {
        "tags": [
          "operations"
        ],
        "operationId": "get_jwks",
        "summary": "Public signing keys (JWKS)",
        "security": [],
        "description": "The keys that sign connection tokens and OAuth access tokens; `Cache-Control: public, max-age=300`.",
        "responses": {
          "200": {
            "description": "The key set.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/JWKSet"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "tags": [
          "operations"
        ],
        "operationId": "get_openapi_document",
        "summary": "This OpenAPI document",
        "security": [],
        "responses": {
          "200": {
            "description": "This document.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OpenAPIDocument"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    },
    "/admin/connections": {
      "post": {
        "tags": [
          "admin"
        ],
        "operationId": "create_connection",
        "summary": "Grant a connection",
        "description": "Records `ConnectionGranted`. With `Idempotency-Key`, a retry answers the connection as the first request created it.",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateConnectionRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Granted.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Connection"
                }
              }
            },
            "headers": {
              "Location": {
                "$ref": "#/components/headers/Location"
              },
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/Idempotent-Replayed"
              }
            },
            "links": {
              "get_connection": {
                "operationId": "get_connection",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "update_connection": {
                "operationId": "update_connection",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "revoke_connection": {
                "operationId": "revoke_connection",
                "parameters": {
                  "id": "$response.body#/id"
                }
              }
            }
          },
          "400": {
            "description": "`invalid_json` (empty or unparsable body), `invalid_field` (wrong type, missing member, or a value the rules refuse), `unknown_field`, `invalid_header` (Idempotency-Key).",
            "content": {
              "application/json": {
                "schema": {
                  "allOf": [
                    {
                      "$ref": "#/components/schemas/ApiError"
                    },
                    {
                      "properties": {
                        "code": {
                          "enum": [
                            "invalid_json",
                            "invalid_field",
                            "unknown_field",
                            "invalid_header"
                          ]
                        }
                      }
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "409": {
            "description": "`already_exists` (an id collision; practically never).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorAlreadyExists"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/IdempotencyKeyReused"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      },
      "get": {
        "tags": [
          "admin"
        ],
        "operationId": "list_connections",
        "summary": "List connections",
        "description": "Ordered by id; page with `after` = the previous page's `next_after`.",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "1 to 500 (`pageSizeMax`); default 100.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500
            }
          },
          {
            "name": "status",
            "in": "query",
            "required": false,
            "description": "Only connections in this status.",
            "schema": {
              "type": "string",
              "enum": [
                "active",
                "revoked"
              ]
            }
          },
          {
            "name": "user_id",
            "in": "query",
            "required": false,
            "description": "Only this user's connections (at most 256 characters).",
            "schema": {
              "type": "string",
              "maxLength": 256
            }
          },
          {
            "name": "after",
            "in": "query",
            "required": false,
            "description": "Cursor: the last id of the previous page (at most 64 characters).",
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of connections.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ConnectionList"
                }
              }
            }
          },
          "400": {
            "description": "`invalid_query`: limit, status, user_id or after out of bounds.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorInvalidQuery"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    },
    "/admin/connections/{id}": {
      "get": {
        "tags": [
          "admin"
        ],
        "operationId": "get_connection",
        "summary": "Read a connection",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "Connection id: 1 to 64 characters of A-Z a-z 0-9 _ - (a longer one is 404; other characters are 404 for GET, 400 `invalid_field` for PATCH and DELETE).",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9_-]{1,64}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The connection.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Connection"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "404": {
            "description": "`not_found`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      },
      "patch": {
        "tags": [
          "admin"
        ],
        "operationId": "update_connection",
        "summary": "Update a connection",
        "description": "Absent members stay; `null` removes the budget or the expiry. Changing only a budget's amount keeps the cycle's usage.",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "Connection id: 1 to 64 characters of A-Z a-z 0-9 _ - (a longer one is 404; other characters are 404 for GET, 400 `invalid_field` for PATCH and DELETE).",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9_-]{1,64}$"
            }
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          },
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UpdateConnectionRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The connection as updated.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Connection"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/Idempotent-Replayed"
              }
            }
          },
          "400": {
            "description": "`invalid_json`, `invalid_field` (including an id outside A-Z a-z 0-9 _ -), `unknown_field`, `invalid_header` (If-Match, Idempotency-Key).",
            "content": {
              "application/json": {
                "schema": {
                  "allOf": [
                    {
                      "$ref": "#/components/schemas/ApiError"
                    },
                    {
                      "properties": {
                        "code": {
                          "enum": [
                            "invalid_json",
                            "invalid_field",
                            "unknown_field",
                            "invalid_header"
                          ]
                        }
                      }
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "404": {
            "description": "`not_found`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "409": {
            "description": "`already_revoked`: a revoked connection cannot be changed.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorAlreadyRevokedExpiredInvalidState"
                }
              }
            }
          },
          "412": {
            "description": "`version_conflict`: `If-Match` names a version that is not the current one.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorVersionConflict"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "description": "`idempotency_key_reused`, or `invalid_command`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorIdempotencyKeyReusedInvalidCommand"
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      },
      "delete": {
        "tags": [
          "admin"
        ],
        "operationId": "revoke_connection",
        "summary": "Revoke a connection",
        "description": "Records `ConnectionRevoked`; its tokens stop working at once. The body is not read.",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "Connection id: 1 to 64 characters of A-Z a-z 0-9 _ - (a longer one is 404; other characters are 404 for GET, 400 `invalid_field` for PATCH and DELETE).",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9_-]{1,64}$"
            }
          },
          {
            "name": "reason",
            "in": "query",
            "required": false,
            "description": "Why (1 to 500 characters after trimming; `+` reads as a space).",
            "schema": {
              "type": "string",
              "maxLength": 500
            }
          },
          {
            "$ref": "#/components/parameters/IfMatch"
          },
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "responses": {
          "200": {
            "description": "The connection as revoked.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Connection"
                }
              }
            },
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "description": "`invalid_field` (reason, or an id outside A-Z a-z 0-9 _ -), `invalid_header` (If-Match, Idempotency-Key).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorInvalidFieldInvalidHeader"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "404": {
            "description": "`not_found`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "409": {
            "description": "`already_revoked`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorAlreadyRevoked"
                }
              }
            }
          },
          "412": {
            "description": "`version_conflict`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorVersionConflict"
                }
              }
            }
          },
          "422": {
            "$ref": "#/components/responses/IdempotencyKeyReused"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/admin/clients": {
      "post": {
        "tags": [
          "admin"
        ],
        "operationId": "create_client",
        "summary": "Register an OAuth client",
        "description": "A confidential client's secret appears once, in this answer (`Cache-Control: no-store`). No `Idempotency-Key`: a replay could not show the secret again.",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateClientRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Registered.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Client"
                }
              }
            },
            "headers": {
              "Location": {
                "$ref": "#/components/headers/Location"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            },
            "links": {
              "get_client": {
                "operationId": "get_client",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "update_client": {
                "operationId": "update_client",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "delete_client": {
                "operationId": "delete_client",
                "parameters": {
                  "id": "$response.body#/id"
                }
              }
            }
          },
          "400": {
            "description": "`invalid_json`, `invalid_field` (including an unknown scope), `unknown_field`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorInvalidJsonInvalidFieldUnknownField"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "409": {
            "description": "`already_exists`: a client with this `client_id` exists.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorAlreadyExists"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      },
      "get": {
        "tags": [
          "admin"
        ],
        "operationId": "list_clients",
        "summary": "List OAuth clients",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "1 to 500; default 100.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500
            }
          },
          {
            "name": "after",
            "in": "query",
            "required": false,
            "description": "Cursor (at most 64 characters).",
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of clients (a bare array).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ClientList"
                }
              }
            },
            "headers": {
              "X-Next-After": {
                "$ref": "#/components/headers/X-Next-After"
              }
            }
          },
          "400": {
            "description": "`invalid_query`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorInvalidQuery"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    },
    "/admin/clients/{id}": {
      "get": {
        "tags": [
          "admin"
        ],
        "operationId": "get_client",
        "summary": "Read an OAuth client",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "Client id: 1 to 64 characters of A-Z a-z 0-9 _ - (a longer one is 404; other characters are 404 for GET and DELETE, 400 `invalid_field` for PUT).",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9_-]{1,64}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The client (never its secret).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Client"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "404": {
            "description": "`not_found` (or deleted).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      },
      "put": {
        "tags": [
          "admin"
        ],
        "operationId": "update_client",
        "summary": "Update an OAuth client",
        "description": "Replaces the fields it names; `null` removes `url` or `image_url`.",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "Client id: 1 to 64 characters of A-Z a-z 0-9 _ - (a longer one is 404; other characters are 404 for GET and DELETE, 400 `invalid_field` for PUT).",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9_-]{1,64}$"
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UpdateClientRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The client as updated.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Client"
                }
              }
            }
          },
          "400": {
            "description": "`invalid_json`, `invalid_field` (including an unknown scope, or an id outside A-Z a-z 0-9 _ -), `unknown_field`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorInvalidJsonInvalidFieldUnknownField"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "404": {
            "description": "`not_found`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      },
      "delete": {
        "tags": [
          "admin"
        ],
        "operationId": "delete_client",
        "summary": "Delete an OAuth client",
        "description": "Its access tokens stop working at once. The body is not read.",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "Client id: 1 to 64 characters of A-Z a-z 0-9 _ - (a longer one is 404; other characters are 404 for GET and DELETE, 400 `invalid_field` for PUT).",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9_-]{1,64}$"
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "responses": {
          "204": {
            "description": "Deleted."
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "404": {
            "description": "`not_found`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/umanwc/token": {
      "post": {
        "tags": [
          "uma-token-exchange"
        ],
        "operationId": "exchange_user_token",
        "summary": "Exchange a user token for a connection token",
        "description": "Seed 000's exchange: the operator's short-lived ES256 user JWT in, a long-lived connection token out, recording `ConnectionGranted` and `TokenIssued` in one command. Errors are `{\"error\": \"...\"}`, except the router's 405 and the writer's 503, which come as `{code, message}`.",
        "security": [
          {
            "userToken": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TokenExchangeRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The connection token.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TokenExchangeResponse"
                }
              }
            }
          },
          "400": {
            "description": "The body is empty or not JSON of this shape, a permission is unknown, the budget string is invalid, or the expiration is not in the future.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SeedError"
                }
              }
            }
          },
          "401": {
            "description": "`Unauthorized: …`: no bearer token, no trusted issuer configured, or the user token failed a check.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SeedError"
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "$ref": "#/components/headers/WWW-Authenticate"
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/SeedMethodNotAllowed"
          },
          "409": {
            "description": "The connection could not be recorded; retry.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SeedError"
                }
              }
            }
          },
          "413": {
            "description": "The body is larger than `--body-bytes-max`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SeedError"
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/umanwc/v1/token": {
      "post": {
        "tags": [
          "uma-token-exchange"
        ],
        "operationId": "exchange_user_token_v1",
        "summary": "Exchange a user token for a connection token",
        "description": "Seed 000's exchange: the operator's short-lived ES256 user JWT in, a long-lived connection token out, recording `ConnectionGranted` and `TokenIssued` in one command. Errors are `{\"error\": \"...\"}`, except the router's 405 and the writer's 503, which come as `{code, message}`. Alias of `POST /umanwc/token`, so one API base URL (`…/umanwc/v1`) serves the NWC image's exchange too.",
        "security": [
          {
            "userToken": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TokenExchangeRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The connection token.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TokenExchangeResponse"
                }
              }
            }
          },
          "400": {
            "description": "The body is empty or not JSON of this shape, a permission is unknown, the budget string is invalid, or the expiration is not in the future.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SeedError"
                }
              }
            }
          },
          "401": {
            "description": "`Unauthorized: …`: no bearer token, no trusted issuer configured, or the user token failed a check.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SeedError"
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "$ref": "#/components/headers/WWW-Authenticate"
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/SeedMethodNotAllowed"
          },
          "409": {
            "description": "The connection could not be recorded; retry.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SeedError"
                }
              }
            }
          },
          "413": {
            "description": "The body is larger than `--body-bytes-max`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SeedError"
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/umanwc/v1/invoice": {
      "post": {
        "tags": [
          "uma-auth-api"
        ],
        "operationId": "make_invoice",
        "summary": "make_invoice: Create a new invoice",
        "description": "Needs `make_invoice`. GrantLedger checks amount 1 to 10^18 msat, description at most 639 bytes, expiry positive.",
        "security": [
          {
            "connectionToken": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/MakeInvoiceRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Transaction"
                }
              }
            },
            "links": {
              "lookup_invoice": {
                "operationId": "lookup_invoice",
                "parameters": {
                  "payment_hash": "$response.body#/payment_hash"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/UmaBadRequest"
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "402": {
            "$ref": "#/components/responses/UmaWalletPaymentRequired"
          },
          "403": {
            "description": "RESTRICTED: the connection's scopes do not include `make_invoice`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorRestricted"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/UmaNotFound"
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "429": {
            "$ref": "#/components/responses/UmaRateLimited"
          },
          "501": {
            "$ref": "#/components/responses/UmaNotImplemented"
          },
          "502": {
            "$ref": "#/components/responses/UmaBadGateway"
          }
        }
      }
    },
    "/umanwc/v1/payments/bolt11": {
      "post": {
        "tags": [
          "uma-auth-api"
        ],
        "operationId": "pay_invoice",
        "summary": "pay_invoice: Pay a bolt11 invoice",
        "description": "Needs `pay_invoice`. Reserves amount plus fee reserve against the connection's budget, pays, then settles what it cost or releases the hold.",
        "security": [
          {
            "connectionToken": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PayInvoiceRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PayInvoiceResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/UmaPaymentBadRequest"
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "402": {
            "$ref": "#/components/responses/UmaPaymentRequired"
          },
          "403": {
            "description": "RESTRICTED: the connection's scopes do not include `pay_invoice`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorRestricted"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/UmaNotFound"
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "409": {
            "$ref": "#/components/responses/UmaPaymentConflict"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "429": {
            "$ref": "#/components/responses/UmaRateLimited"
          },
          "501": {
            "$ref": "#/components/responses/UmaNotImplemented"
          },
          "502": {
            "$ref": "#/components/responses/UmaBadGateway"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/umanwc/v1/invoices/{payment_hash}": {
      "get": {
        "tags": [
          "uma-auth-api"
        ],
        "operationId": "lookup_invoice",
        "summary": "lookup_invoice: Get an invoice by its payment hash",
        "description": "Needs `lookup_invoice`.",
        "security": [
          {
            "connectionToken": []
          }
        ],
        "parameters": [
          {
            "name": "payment_hash",
            "in": "path",
            "required": true,
            "description": "The payment hash of the invoice. GrantLedger: 1 to 128 hex digits, else 400 OTHER.",
            "schema": {
              "type": "string",
              "pattern": "^[0-9A-Fa-f]{1,128}$",
              "examples": [
                "f1d2d2f924e986ac86fdf7b36c94bcdf32beec15"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Transaction"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/UmaBadRequest"
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "402": {
            "$ref": "#/components/responses/UmaWalletPaymentRequired"
          },
          "403": {
            "description": "RESTRICTED: the connection's scopes do not include `lookup_invoice`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorRestricted"
                }
              }
            }
          },
          "404": {
            "description": "NOT_FOUND: no invoice or payment with that payment hash.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "429": {
            "$ref": "#/components/responses/UmaRateLimited"
          },
          "501": {
            "$ref": "#/components/responses/UmaNotImplemented"
          },
          "502": {
            "$ref": "#/components/responses/UmaBadGateway"
          }
        }
      }
    },
    "/umanwc/v1/balance": {
      "get": {
        "tags": [
          "uma-auth-api"
        ],
        "operationId": "get_balance",
        "summary": "get_balance: Get the balance of the user's wallet",
        "description": "Needs `get_balance`. With `--balance-view budget` (default) a connection with a budget sees at most what is left of it.",
        "security": [
          {
            "connectionToken": []
          }
        ],
        "parameters": [
          {
            "name": "currency_code",
            "in": "query",
            "required": false,
            "description": "The currency code of the balance. Assumed to be in msats if not provided. GrantLedger: at most 5 characters; a code the wallet does not know is 400 OTHER.",
            "schema": {
              "type": "string",
              "maxLength": 5,
              "examples": [
                "USD"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/GetBalanceResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/UmaBadRequest"
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "402": {
            "$ref": "#/components/responses/UmaWalletPaymentRequired"
          },
          "403": {
            "description": "RESTRICTED: the connection's scopes do not include `get_balance`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorRestricted"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/UmaNotFound"
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "429": {
            "$ref": "#/components/responses/UmaRateLimited"
          },
          "501": {
            "$ref": "#/components/responses/UmaNotImplemented"
          },
          "502": {
            "$ref": "#/components/responses/UmaBadGateway"
          }
        }
      }
    },
    "/umanwc/v1/receiver/lud16/{receiver_address}": {
      "get": {
        "tags": [
          "uma-auth-api"
        ],
        "operationId": "lookup_user_by_lud16",
        "summary": "lookup_user_by_lud16: Get receiver info by LUD16 address.",
        "description": "Needs `lookup_user` (always granted by the token exchange).",
        "security": [
          {
            "connectionToken": []
          }
        ],
        "parameters": [
          {
            "name": "receiver_address",
            "in": "path",
            "required": true,
            "description": "The receiver's LUD16 address (percent-encoded `$` and `@` are decoded). GrantLedger: 3 to 320 characters, else 400 OTHER.",
            "schema": {
              "type": "string",
              "minLength": 3,
              "maxLength": 320,
              "examples": [
                "$alice@vasp.net"
              ]
            }
          },
          {
            "name": "base_sending_currency_code",
            "in": "query",
            "required": false,
            "description": "The currency code of the sender's balance. Assumed to be in msats if not provided. This is used to calculate the multiplier for the receiver's currencies. GrantLedger: at most 5 characters; a code the wallet does not know is 400 OTHER.",
            "schema": {
              "type": "string",
              "maxLength": 5,
              "examples": [
                "USD"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LookupUserResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/UmaBadRequest"
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "402": {
            "$ref": "#/components/responses/UmaWalletPaymentRequired"
          },
          "403": {
            "description": "RESTRICTED: the connection's scopes do not include `lookup_user`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorRestricted"
                }
              }
            }
          },
          "404": {
            "description": "NOT_FOUND: no receiver at that address.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "429": {
            "$ref": "#/components/responses/UmaRateLimited"
          },
          "501": {
            "$ref": "#/components/responses/UmaNotImplemented"
          },
          "502": {
            "$ref": "#/components/responses/UmaBadGateway"
          }
        }
      }
    },
    "/umanwc/v1/quote/lud16": {
      "get": {
        "tags": [
          "uma-auth-api"
        ],
        "operationId": "fetch_quote_for_lud16",
        "summary": "fetch_quote_for_lud16: Get a quote for a payment to an LUD16 address",
        "description": "Needs `fetch_quote`.",
        "security": [
          {
            "connectionToken": []
          }
        ],
        "parameters": [
          {
            "name": "sending_currency_code",
            "in": "query",
            "required": true,
            "description": "The currency code being sent from the sender's wallet. GrantLedger: at most 5 characters; a code the wallet does not know is 400 OTHER.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 5,
              "examples": [
                "MXN"
              ]
            }
          },
          {
            "name": "receiving_currency_code",
            "in": "query",
            "required": true,
            "description": "The currency code of the currency that the receiver will receive. GrantLedger: at most 5 characters; a code the wallet does not know is 400 OTHER.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 5,
              "examples": [
                "USD"
              ]
            }
          },
          {
            "name": "locked_currency_amount",
            "in": "query",
            "required": true,
            "description": "The amount to send/receive in the smallest unit of the locked currency (eg. cents). See `locked_currency_side` for more information. GrantLedger: 1 to 10^18.",
            "schema": {
              "type": "integer",
              "format": "int64",
              "exclusiveMinimum": 0,
              "maximum": 1000000000000000,
              "examples": [
                1000
              ]
            }
          },
          {
            "name": "locked_currency_side",
            "in": "query",
            "required": true,
            "description": "The side of the quote which should be locked and specified in the `locked_currency_amount`.",
            "schema": {
              "$ref": "#/components/schemas/LockedCurrencySide"
            }
          },
          {
            "name": "receiver_address",
            "in": "query",
            "required": true,
            "description": "The LUD16 address to send the payment to. GrantLedger: at most 320 characters.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 320,
              "examples": [
                "$alice@vasp.net"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Quote"
                }
              }
            },
            "links": {
              "execute_quote": {
                "operationId": "execute_quote",
                "parameters": {
                  "payment_hash": "$response.body#/payment_hash"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/UmaBadRequest"
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "402": {
            "$ref": "#/components/responses/UmaWalletPaymentRequired"
          },
          "403": {
            "description": "RESTRICTED: the connection's scopes do not include `fetch_quote`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorRestricted"
                }
              }
            }
          },
          "404": {
            "description": "NOT_FOUND: no receiver at that address.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "429": {
            "$ref": "#/components/responses/UmaRateLimited"
          },
          "501": {
            "$ref": "#/components/responses/UmaNotImplemented"
          },
          "502": {
            "$ref": "#/components/responses/UmaBadGateway"
          }
        }
      }
    },
    "/umanwc/v1/quote/{payment_hash}": {
      "post": {
        "tags": [
          "uma-auth-api"
        ],
        "operationId": "execute_quote",
        "summary": "execute_quote: Execute a quote",
        "description": "Needs `execute_quote`. The quote must have been fetched through this server; its whole sending amount (fees included) is reserved, at the sending currency's rate, before the wallet executes it.",
        "security": [
          {
            "connectionToken": []
          }
        ],
        "parameters": [
          {
            "name": "payment_hash",
            "in": "path",
            "required": true,
            "description": "The payment hash of the quote to execute. GrantLedger: 1 to 128 hex digits, else 400 OTHER.",
            "schema": {
              "type": "string",
              "pattern": "^[0-9A-Fa-f]{1,128}$",
              "examples": [
                "f1d2d2f924e986ac86fdf7b36c94bcdf32beec15"
              ]
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ExecuteQuoteRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ExecuteQuoteResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/UmaPaymentBadRequest"
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "402": {
            "$ref": "#/components/responses/UmaPaymentRequired"
          },
          "403": {
            "description": "RESTRICTED: the connection's scopes do not include `execute_quote`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorRestricted"
                }
              }
            }
          },
          "404": {
            "description": "NOT_FOUND: no quote with this payment hash (fetch it with GET /quote/lud16 first).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "409": {
            "$ref": "#/components/responses/UmaPaymentConflict"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "429": {
            "$ref": "#/components/responses/UmaRateLimited"
          },
          "501": {
            "$ref": "#/components/responses/UmaNotImplemented"
          },
          "502": {
            "$ref": "#/components/responses/UmaBadGateway"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/umanwc/v1/payments/lud16": {
      "post": {
        "tags": [
          "uma-auth-api"
        ],
        "operationId": "pay_to_lud16_address",
        "summary": "pay_to_lud16_address: Pay directly to an LNURL address based on a fixed sending amount.",
        "description": "Needs `pay_to_address`. The wallet prices the payment; that cost in msat is reserved against the budget.",
        "security": [
          {
            "connectionToken": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PayToAddressRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PayToAddressResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/UmaPaymentBadRequest"
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "402": {
            "$ref": "#/components/responses/UmaPaymentRequired"
          },
          "403": {
            "description": "RESTRICTED: the connection's scopes do not include `pay_to_address`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorRestricted"
                }
              }
            }
          },
          "404": {
            "description": "NOT_FOUND: no receiver at that address.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "409": {
            "$ref": "#/components/responses/UmaPaymentConflict"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "429": {
            "$ref": "#/components/responses/UmaRateLimited"
          },
          "501": {
            "$ref": "#/components/responses/UmaNotImplemented"
          },
          "502": {
            "$ref": "#/components/responses/UmaBadGateway"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/umanwc/v1/payments/keysend": {
      "post": {
        "tags": [
          "uma-auth-api"
        ],
        "operationId": "pay_keysend",
        "summary": "pay_keysend: Pay directly to the pubkey of the receiver node based on a fixed receiving amount",
        "description": "Needs `pay_keysend`. GrantLedger checks pubkey is 66 hex digits and at most 64 tlv_records.",
        "security": [
          {
            "connectionToken": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PayKeysendRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PayKeysendResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/UmaPaymentBadRequest"
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "402": {
            "$ref": "#/components/responses/UmaPaymentRequired"
          },
          "403": {
            "description": "RESTRICTED: the connection's scopes do not include `pay_keysend`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorRestricted"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/UmaNotFound"
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "409": {
            "$ref": "#/components/responses/UmaPaymentConflict"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "429": {
            "$ref": "#/components/responses/UmaRateLimited"
          },
          "501": {
            "$ref": "#/components/responses/UmaNotImplemented"
          },
          "502": {
            "$ref": "#/components/responses/UmaBadGateway"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/umanwc/v1/info": {
      "get": {
        "tags": [
          "uma-auth-api"
        ],
        "operationId": "get_info",
        "summary": "get_info: Get information about the user's wallet connection",
        "description": "The one UMA route that also takes the user token (seed 000: the NWC image asks for the user's info before any connection exists); `methods` is then every NWC method.",
        "security": [
          {
            "connectionToken": []
          },
          {
            "userToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/GetInfoResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/UmaBadRequest"
          },
          "401": {
            "description": "UNAUTHORIZED: no token, a token that failed a check, or the admin credential (which does not act for a user).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorUnauthorized"
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "$ref": "#/components/headers/WWW-Authenticate"
              }
            }
          },
          "402": {
            "$ref": "#/components/responses/UmaWalletPaymentRequired"
          },
          "404": {
            "$ref": "#/components/responses/UmaNotFound"
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "429": {
            "$ref": "#/components/responses/UmaRateLimited"
          },
          "501": {
            "$ref": "#/components/responses/UmaNotImplemented"
          },
          "502": {
            "$ref": "#/components/responses/UmaBadGateway"
          }
        }
      }
    },
    "/umanwc/v1/transactions": {
      "get": {
        "tags": [
          "uma-auth-api"
        ],
        "operationId": "list_transactions",
        "summary": "list_transactions: Lists invoices and payments",
        "description": "Needs `list_transactions`. Newest first.",
        "security": [
          {
            "connectionToken": []
          }
        ],
        "parameters": [
          {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "Starting timestamp in seconds since epoch (inclusive). GrantLedger: 0 or more.",
            "schema": {
              "type": "integer",
              "format": "int64",
              "minimum": 0,
              "examples": [
                1683148800
              ]
            }
          },
          {
            "name": "until",
            "in": "query",
            "required": false,
            "description": "Ending timestamp in seconds since epoch (inclusive). GrantLedger: 0 or more.",
            "schema": {
              "type": "integer",
              "format": "int64",
              "minimum": 0,
              "examples": [
                1683148800
              ]
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "Maximum number of transactions to return. GrantLedger: 1 to 1000 (default 1000).",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000,
              "examples": [
                10
              ]
            }
          },
          {
            "name": "offset",
            "in": "query",
            "required": false,
            "description": "Offset of the first transaction to return. GrantLedger: 0 to 1000000.",
            "schema": {
              "type": "integer",
              "minimum": 0,
              "maximum": 1000000,
              "examples": [
                0
              ]
            }
          },
          {
            "name": "unpaid",
            "in": "query",
            "required": false,
            "description": "Whether to include unpaid invoices. GrantLedger also reads 1 and 0 (case-insensitive true/false).",
            "schema": {
              "type": "boolean",
              "examples": [
                false
              ]
            }
          },
          {
            "name": "type",
            "in": "query",
            "required": false,
            "description": "Type of transactions to return: \"incoming\" for invoices, \"outgoing\" for payments, undefined for both.",
            "schema": {
              "$ref": "#/components/schemas/TransactionType"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ListTransactionsResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/UmaBadRequest"
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "402": {
            "$ref": "#/components/responses/UmaWalletPaymentRequired"
          },
          "403": {
            "description": "RESTRICTED: the connection's scopes do not include `list_transactions`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorRestricted"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/UmaNotFound"
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "429": {
            "$ref": "#/components/responses/UmaRateLimited"
          },
          "501": {
            "$ref": "#/components/responses/UmaNotImplemented"
          },
          "502": {
            "$ref": "#/components/responses/UmaBadGateway"
          }
        }
      }
    },
    "/umanwc/v1/budget_estimate": {
      "get": {
        "tags": [
          "uma-auth-api"
        ],
        "operationId": "get_budget_estimate",
        "summary": "get_budget_estimate: Estimate the total cost of the payment to complete the payment in the currency of sender's budget.",
        "description": "Needs `get_budget` (always granted by the token exchange).",
        "security": [
          {
            "connectionToken": []
          }
        ],
        "parameters": [
          {
            "name": "sending_currency_code",
            "in": "query",
            "required": true,
            "description": "The code of the currency that will be sent from the sender's wallet. GrantLedger: at most 5 characters; a code the wallet does not know is 400 OTHER.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 5,
              "examples": [
                "SAT"
              ]
            }
          },
          {
            "name": "sending_currency_amount",
            "in": "query",
            "required": true,
            "description": "The amount to send in the smallest unit of the sending currency (eg. cents). GrantLedger: 1 to 10^18.",
            "schema": {
              "type": "integer",
              "format": "int64",
              "exclusiveMinimum": 0,
              "maximum": 1000000000000000,
              "examples": [
                1000
              ]
            }
          },
          {
            "name": "budget_currency_code",
            "in": "query",
            "required": true,
            "description": "The code of the currency the sender used to set budget. GrantLedger: at most 5 characters; a code the wallet does not know is 400 OTHER.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 5,
              "examples": [
                "USD"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BudgetEstimateResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/UmaBadRequest"
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "402": {
            "$ref": "#/components/responses/UmaWalletPaymentRequired"
          },
          "403": {
            "description": "RESTRICTED: the connection's scopes do not include `get_budget`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorRestricted"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/UmaNotFound"
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "429": {
            "$ref": "#/components/responses/UmaRateLimited"
          },
          "501": {
            "$ref": "#/components/responses/UmaNotImplemented"
          },
          "502": {
            "$ref": "#/components/responses/UmaBadGateway"
          }
        }
      }
    },
    "/v1/connections": {
      "get": {
        "tags": [
          "budget-service"
        ],
        "operationId": "list_own_connections",
        "summary": "List the user's own connections with their usage",
        "description": "Takes the user's short-lived token from the operator's login system.",
        "security": [
          {
            "userToken": []
          }
        ],
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "1 to 500; default 100.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500
            }
          },
          {
            "name": "after",
            "in": "query",
            "required": false,
            "description": "Cursor (at most 64 characters).",
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of the user's connections.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OwnConnectionList"
                }
              }
            }
          },
          "400": {
            "description": "OTHER: limit or after out of bounds.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorOther"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          }
        }
      }
    },
    "/v1/connections/{id}": {
      "delete": {
        "tags": [
          "budget-service"
        ],
        "operationId": "revoke_own_connection",
        "summary": "Revoke one of the user's own connections",
        "description": "Takes the user token, not a connection token (401). Someone else's connection is answered exactly like a missing one.",
        "security": [
          {
            "userToken": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "Connection id (ids are 1 to 64 characters of A-Z a-z 0-9 _ -; a longer one is 404).",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9_-]{1,64}$"
            }
          },
          {
            "name": "reason",
            "in": "query",
            "required": false,
            "description": "Why (1 to 500 characters after trimming; `+` reads as a space; default \"revoked by the user\").",
            "schema": {
              "type": "string",
              "maxLength": 500
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "responses": {
          "200": {
            "description": "The connection as revoked.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Connection"
                }
              }
            }
          },
          "400": {
            "description": "OTHER: an invalid reason or id.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorOther"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "404": {
            "description": "NOT_FOUND.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "409": {
            "description": "OTHER: already revoked.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorOther"
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/v1/connections/{id}/spends": {
      "post": {
        "tags": [
          "budget-service"
        ],
        "operationId": "reserve_spend",
        "summary": "Reserve a spend against a connection's budget",
        "description": "For NWC wallet services that pay by themselves: hold amount plus fee reserve (priced in the budget's currency at the wallet's rate, rounded up) before paying, then settle or release it. Takes the connection's own token or the admin credential.",
        "security": [
          {
            "connectionToken": []
          },
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "Connection id (ids are 1 to 64 characters of A-Z a-z 0-9 _ -; a longer one is 404).",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9_-]{1,64}$"
            }
          },
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ReserveSpendRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Held.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Spend"
                }
              }
            },
            "headers": {
              "Location": {
                "$ref": "#/components/headers/Location"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/Idempotent-Replayed"
              }
            },
            "links": {
              "get_spend": {
                "operationId": "get_spend",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "settle_spend": {
                "operationId": "settle_spend",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "release_spend": {
                "operationId": "release_spend",
                "parameters": {
                  "id": "$response.body#/id"
                }
              }
            }
          },
          "400": {
            "description": "OTHER: the body is not JSON of this shape, a value is out of bounds, `estimated_budget_amount` was sent; `invalid_header`: a malformed Idempotency-Key.",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/UmaErrorOther"
                    },
                    {
                      "$ref": "#/components/schemas/ApiErrorInvalidHeader"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "description": "UNAUTHORIZED: no token, a token that failed a check, or the connection is revoked or expired.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorUnauthorized"
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "$ref": "#/components/headers/WWW-Authenticate"
              }
            }
          },
          "402": {
            "description": "QUOTA_EXCEEDED: the hold does not fit in what is left of the budget cycle or the per-payment cap, or a fiat budget cannot be priced now.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorQuotaExceeded"
                }
              }
            }
          },
          "403": {
            "description": "RESTRICTED: a token for another connection, or a method the connection may not use.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorRestricted"
                }
              }
            }
          },
          "404": {
            "description": "NOT_FOUND: no such connection.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "409": {
            "description": "OTHER: the budget's currency changed while the hold was being priced; retry.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorOther"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/IdempotencyKeyReused"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/v1/connections/{id}/budget": {
      "get": {
        "tags": [
          "budget-service"
        ],
        "operationId": "get_connection_budget",
        "summary": "Read a connection's budget (get_budget)",
        "security": [
          {
            "connectionToken": []
          },
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "Connection id (ids are 1 to 64 characters of A-Z a-z 0-9 _ -; a longer one is 404).",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9_-]{1,64}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The budget and its use in the current cycle (`{}` without a budget).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BudgetStatus"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "403": {
            "description": "RESTRICTED: a token for another connection.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorRestricted"
                }
              }
            }
          },
          "404": {
            "description": "NOT_FOUND.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          }
        }
      }
    },
    "/v1/spends/{id}": {
      "get": {
        "tags": [
          "budget-service"
        ],
        "operationId": "get_spend",
        "summary": "Read a spend",
        "description": "A spend of another connection is answered like a missing one.",
        "security": [
          {
            "connectionToken": []
          },
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "Spend id (ids are 1 to 64 characters of A-Z a-z 0-9 _ -; anything else is 404).",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9_-]{1,64}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The spend.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Spend"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "404": {
            "description": "NOT_FOUND.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          }
        }
      }
    },
    "/v1/spends/{id}/settle": {
      "post": {
        "tags": [
          "budget-service"
        ],
        "operationId": "settle_spend",
        "summary": "Settle a held spend with what the payment cost",
        "description": "Charges amount_msat + fee_msat in the budget's currency at the rate the reservation recorded, rounded up. `Idempotency-Key` is taken, but a reused key is not compared with the body (no 422).",
        "security": [
          {
            "connectionToken": []
          },
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "Spend id (ids are 1 to 64 characters of A-Z a-z 0-9 _ -; anything else is 404).",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9_-]{1,64}$"
            }
          },
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SettleSpendRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The spend as settled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Spend"
                }
              }
            },
            "headers": {
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/Idempotent-Replayed"
              }
            }
          },
          "400": {
            "description": "OTHER: the body is not JSON of this shape or a value is out of bounds, `budget_amount` was sent; `invalid_header`: a malformed Idempotency-Key.",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/UmaErrorOther"
                    },
                    {
                      "$ref": "#/components/schemas/ApiErrorInvalidHeader"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "404": {
            "description": "NOT_FOUND.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "409": {
            "description": "OTHER: the spend is not held (already settled, released or denied).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorOther"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/v1/spends/{id}/release": {
      "post": {
        "tags": [
          "budget-service"
        ],
        "operationId": "release_spend",
        "summary": "Release a held spend (the payment was not made)",
        "description": "The body is optional. `Idempotency-Key` is taken, but a reused key is not compared with the body (no 422).",
        "security": [
          {
            "connectionToken": []
          },
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "Spend id (ids are 1 to 64 characters of A-Z a-z 0-9 _ -; anything else is 404).",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9_-]{1,64}$"
            }
          },
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ReleaseSpendRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The spend as released.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Spend"
                }
              }
            },
            "headers": {
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/Idempotent-Replayed"
              }
            }
          },
          "400": {
            "description": "OTHER: the body is not `{}` or `{\"reason\": \"released\" | \"failed\"}`; `invalid_header`: a malformed Idempotency-Key.",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/UmaErrorOther"
                    },
                    {
                      "$ref": "#/components/schemas/ApiErrorInvalidHeader"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/UmaUnauthorized"
          },
          "404": {
            "description": "NOT_FOUND.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "409": {
            "description": "OTHER: the spend is not held.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorOther"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/.well-known/oauth-authorization-server": {
      "get": {
        "tags": [
          "oauth"
        ],
        "operationId": "get_authorization_server_metadata",
        "summary": "RFC 8414 authorization server metadata",
        "security": [],
        "responses": {
          "200": {
            "description": "The metadata (`Cache-Control: public, max-age=300`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuthorizationServerMetadata"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    },
    "/.well-known/openid-configuration": {
      "get": {
        "tags": [
          "oauth"
        ],
        "operationId": "get_openid_configuration",
        "summary": "The same metadata at OpenID Connect Discovery's address (what NUT-21 wallets read)",
        "security": [],
        "responses": {
          "200": {
            "description": "The metadata (`Cache-Control: public, max-age=300`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuthorizationServerMetadata"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    },
    "/oauth/authorize": {
      "get": {
        "tags": [
          "oauth"
        ],
        "operationId": "authorize_get",
        "summary": "Authorization endpoint (query)",
        "description": "RFC 6749 §4.1.1 with PKCE (RFC 7636), for the signed-in user (their short-lived JWT as `Authorization: Bearer` or `token`). Errors about the client or the redirect URI are answered here as 400 JSON (never redirected to an unverified URI); every later error is a 302 to the redirect URI with `error`, `error_description` and `state` (`unsupported_response_type`, `invalid_scope`, `invalid_request`, …), except a missing or invalid user token (401). A browser (no `Authorization` header, no `token`) gets the pages instead: the login redirect (303), then the consent page.",
        "security": [
          {
            "userToken": []
          },
          {}
        ],
        "parameters": [
          {
            "name": "response_type",
            "in": "query",
            "required": true,
            "description": "Anything else is redirected as unsupported_response_type.",
            "schema": {
              "type": "string",
              "enum": [
                "code"
              ]
            }
          },
          {
            "name": "client_id",
            "in": "query",
            "required": true,
            "description": "At most 64 bytes; an unknown client is 400 (not redirected).",
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          },
          {
            "name": "redirect_uri",
            "in": "query",
            "required": false,
            "description": "Must be one the client registered; required when it registered several.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "scope",
            "in": "query",
            "required": false,
            "description": "Space-separated known scopes (default: the client's).",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "state",
            "in": "query",
            "required": false,
            "description": "At most 1024 bytes; echoed in the redirect.",
            "schema": {
              "type": "string",
              "maxLength": 1024
            }
          },
          {
            "name": "code_challenge",
            "in": "query",
            "required": false,
            "description": "43 to 128 characters of A-Z a-z 0-9 - . _ ~ (required for public clients).",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9._~-]{43,128}$"
            }
          },
          {
            "name": "code_challenge_method",
            "in": "query",
            "required": false,
            "description": "Default plain.",
            "schema": {
              "type": "string",
              "enum": [
                "S256",
                "plain"
              ]
            }
          },
          {
            "name": "expires_in",
            "in": "query",
            "required": false,
            "description": "Access-token lifetime in seconds (a positive integer), capped at the longest token life.",
            "schema": {
              "type": "string",
              "pattern": "^[0-9]+$"
            }
          },
          {
            "name": "budget",
            "in": "query",
            "required": false,
            "description": "A budget string for the grant (default: the configured default budget).",
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          },
          {
            "name": "token",
            "in": "query",
            "required": false,
            "description": "The user's short-lived JWT, when it is not sent as `Authorization: Bearer` (seed 000's redirect).",
            "schema": {
              "type": "string"
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          },
          {
            "name": "nonce",
            "in": "query",
            "required": false,
            "description": "OpenID Connect: echoed in the ID token (1 to 512 bytes).",
            "schema": {
              "type": "string",
              "maxLength": 512
            }
          },
          {
            "name": "prompt",
            "in": "query",
            "required": false,
            "description": "OpenID Connect: `none` (never a page: `login_required` or `consent_required`), `login` (log in again), `consent`.",
            "schema": {
              "type": "string",
              "maxLength": 512
            }
          },
          {
            "name": "max_age",
            "in": "query",
            "required": false,
            "description": "OpenID Connect: log in again when the session's login is older (seconds).",
            "schema": {
              "type": "string",
              "maxLength": 512
            }
          }
        ],
        "responses": {
          "302": {
            "description": "To the redirect URI: `code`, `state`, `iss` on success, or `error`, `error_description`, `state`.",
            "headers": {
              "Location": {
                "$ref": "#/components/headers/Redirect-Location"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "description": "`invalid_request`: client_id missing or unknown, redirect_uri not registered (or missing when several are), a parameter given twice, bad percent-encoding, too many parameters. A browser gets a page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "401": {
            "description": "`login_required`: no user token (neither `Authorization: Bearer` nor `token`), no trusted issuer configured, or the token failed a check. A browser gets a page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorLoginRequired"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "$ref": "#/components/headers/WWW-Authenticate"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "503": {
            "description": "The ledger could not commit or be read: `temporarily_unavailable` (with `Retry-After: 1` when the writer is overloaded or shutting down). A browser gets a page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorTemporarilyUnavailable"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "Retry-After": {
                "$ref": "#/components/headers/Retry-After"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "200": {
            "$ref": "#/components/responses/Page"
          },
          "303": {
            "$ref": "#/components/responses/LoginRedirect"
          },
          "403": {
            "$ref": "#/components/responses/PageError"
          }
        }
      },
      "post": {
        "tags": [
          "oauth"
        ],
        "operationId": "authorize_post",
        "summary": "Authorization endpoint (form)",
        "description": "RFC 6749 §4.1.1 with PKCE (RFC 7636), for the signed-in user (their short-lived JWT as `Authorization: Bearer` or `token`). Errors about the client or the redirect URI are answered here as 400 JSON (never redirected to an unverified URI); every later error is a 302 to the redirect URI with `error`, `error_description` and `state` (`unsupported_response_type`, `invalid_scope`, `invalid_request`, …), except a missing or invalid user token (401). Query and form parameters are merged; a name in both is 400. A browser (no `Authorization` header, no `token`) gets the pages instead: the login redirect (303), then the consent page.",
        "security": [
          {
            "userToken": []
          },
          {}
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "$ref": "#/components/schemas/AuthorizeParameters",
                "properties": {
                  "nonce": {
                    "type": "string",
                    "description": "OpenID Connect: echoed in the ID token (1 to 512 bytes)."
                  },
                  "prompt": {
                    "type": "string",
                    "description": "OpenID Connect: `none` (never a page: `login_required` or `consent_required`), `login` (log in again), `consent`."
                  },
                  "max_age": {
                    "type": "string",
                    "description": "OpenID Connect: log in again when the session's login is older (seconds)."
                  },
                  "action": {
                    "type": "string",
                    "enum": [
                      "approve",
                      "deny"
                    ],
                    "description": "The consent page's answer (browser only, with `csrf_token`)."
                  },
                  "csrf_token": {
                    "type": "string",
                    "description": "The session's CSRF token (consent page only)."
                  }
                }
              }
            }
          }
        },
        "responses": {
          "302": {
            "description": "To the redirect URI: `code`, `state`, `iss` on success, or `error`, `error_description`, `state`.",
            "headers": {
              "Location": {
                "$ref": "#/components/headers/Redirect-Location"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "description": "`invalid_request`: as for GET, or a body that is not `application/x-www-form-urlencoded`. A browser gets a page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "401": {
            "description": "`login_required`: no user token (neither `Authorization: Bearer` nor `token`), no trusted issuer configured, or the token failed a check. A browser gets a page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorLoginRequired"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "$ref": "#/components/headers/WWW-Authenticate"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/OAuthBodyTooLarge"
          },
          "503": {
            "description": "The ledger could not commit or be read: `temporarily_unavailable` (with `Retry-After: 1` when the writer is overloaded or shutting down). A browser gets a page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorTemporarilyUnavailable"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "Retry-After": {
                "$ref": "#/components/headers/Retry-After"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "200": {
            "$ref": "#/components/responses/Page"
          },
          "303": {
            "$ref": "#/components/responses/LoginRedirect"
          },
          "403": {
            "$ref": "#/components/responses/PageError"
          }
        }
      }
    },
    "/oauth/token": {
      "post": {
        "tags": [
          "oauth"
        ],
        "operationId": "token",
        "summary": "Token endpoint",
        "description": "RFC 6749 §3.2 for authorization_code (with PKCE), refresh_token (rotating; a reused refresh token revokes the whole grant), client_credentials (confidential clients) and the RFC 8628 device code. Answers with `Cache-Control: no-store` and `Pragma: no-cache`.",
        "security": [
          {
            "clientBasic": []
          },
          {}
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "$ref": "#/components/schemas/TokenRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Tokens.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TokenResponse"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "description": "`invalid_request`, `invalid_grant` (unknown, expired, used or mismatched code / refresh token / device code), `unsupported_grant_type`, `invalid_scope`, `unauthorized_client`, and for the device code `authorization_pending`, `slow_down`, `expired_token`, `access_denied`.",
            "content": {
              "application/json": {
                "schema": {
                  "allOf": [
                    {
                      "$ref": "#/components/schemas/OAuthError"
                    },
                    {
                      "properties": {
                        "error": {
                          "enum": [
                            "invalid_request",
                            "invalid_grant",
                            "unsupported_grant_type",
                            "invalid_scope",
                            "unauthorized_client",
                            "authorization_pending",
                            "slow_down",
                            "expired_token",
                            "access_denied"
                          ]
                        }
                      }
                    }
                  ]
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/OAuthInvalidClient"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/OAuthBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/OAuthUnavailable"
          }
        }
      }
    },
    "/oauth/device_authorization": {
      "post": {
        "tags": [
          "oauth"
        ],
        "operationId": "device_authorization",
        "summary": "Device authorization endpoint (RFC 8628)",
        "security": [
          {
            "clientBasic": []
          },
          {}
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "$ref": "#/components/schemas/DeviceAuthorizationRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "A device code and the user code to show.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/DeviceAuthorizationResponse"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "description": "`invalid_request` (bad form), `invalid_scope` (unknown scope or beyond the client's), `invalid_grant`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequestInvalidScopeInvalidGrant"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/OAuthInvalidClient"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/OAuthBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/OAuthUnavailable"
          }
        }
      }
    },
    "/oauth/device": {
      "get": {
        "tags": [
          "oauth"
        ],
        "operationId": "get_device_authorization",
        "summary": "What a user code asks for (for the operator's consent screen)",
        "security": [
          {
            "userToken": []
          },
          {}
        ],
        "parameters": [
          {
            "name": "user_code",
            "in": "query",
            "required": false,
            "description": "Eight letters, e.g. BCDF-GHJK (case, dashes and spaces ignored; at most 32 bytes).",
            "schema": {
              "type": "string",
              "maxLength": 32
            }
          },
          {
            "name": "token",
            "in": "query",
            "required": false,
            "description": "The user's JWT when not sent as `Authorization: Bearer`.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The pending authorization. A browser gets the page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/DeviceAuthorizationInfo"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "description": "`invalid_request` (user_code missing or malformed, a parameter twice), `expired_token`. A browser gets a page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequestExpiredToken"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "401": {
            "description": "`login_required`: no user token (neither `Authorization: Bearer` nor `token`), no trusted issuer configured, or the token failed a check. A browser gets a page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorLoginRequired"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "$ref": "#/components/headers/WWW-Authenticate"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "404": {
            "description": "`invalid_request`: no device authorization has this user code.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "303": {
            "$ref": "#/components/responses/LoginRedirect"
          },
          "403": {
            "$ref": "#/components/responses/PageError"
          },
          "409": {
            "$ref": "#/components/responses/PageError"
          },
          "429": {
            "$ref": "#/components/responses/PageError"
          }
        },
        "description": " A browser (no `Authorization` header, no `token`) gets the device page: the login redirect (303), a form for the user code, then the consent page; wrong codes are capped at 5 a minute per session and address (429)."
      },
      "post": {
        "tags": [
          "oauth"
        ],
        "operationId": "answer_device_authorization",
        "summary": "The user's answer to a user code (approve or deny)",
        "security": [
          {
            "userToken": []
          },
          {}
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "$ref": "#/components/schemas/DeviceAnswerRequest",
                "properties": {
                  "csrf_token": {
                    "type": "string",
                    "description": "The session's CSRF token (device page only)."
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Recorded. A browser gets the page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/DeviceAnswer"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "description": "`invalid_request` (user_code, action or budget invalid; a bad form), `expired_token`. A browser gets a page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequestExpiredToken"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "401": {
            "description": "`login_required`: no user token (neither `Authorization: Bearer` nor `token`), no trusted issuer configured, or the token failed a check. A browser gets a page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorLoginRequired"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "$ref": "#/components/headers/WWW-Authenticate"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "404": {
            "description": "`invalid_request`: no device authorization has this user code.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "409": {
            "description": "`invalid_request`: the user code was already answered (or expired meanwhile). A browser gets a page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/OAuthBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/OAuthUnavailable"
          },
          "303": {
            "$ref": "#/components/responses/LoginRedirect"
          },
          "403": {
            "$ref": "#/components/responses/PageError"
          },
          "429": {
            "$ref": "#/components/responses/PageError"
          }
        },
        "description": " A browser (no `Authorization` header, no `token`) gets the device page: the login redirect (303), a form for the user code, then the consent page; wrong codes are capped at 5 a minute per session and address (429)."
      }
    },
    "/oauth/introspect": {
      "post": {
        "tags": [
          "oauth"
        ],
        "operationId": "introspect_token",
        "summary": "Token introspection (RFC 7662)",
        "description": "The admin credential may introspect any token; an authenticated client only its own (another client's token is simply inactive).",
        "security": [
          {
            "clientBasic": []
          },
          {
            "adminCredential": []
          },
          {}
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "$ref": "#/components/schemas/TokenParameterRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The token described, or `{\"active\": false}`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/IntrospectionResponse"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "description": "`invalid_request`: token missing or longer than 8192 bytes, a bad form, Basic and client_secret both.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/OAuthInvalidClient"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/OAuthBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/OAuthUnavailable"
          }
        }
      }
    },
    "/oauth/token/introspect": {
      "get": {
        "tags": [
          "oauth"
        ],
        "operationId": "introspect_own_token",
        "summary": "The bearer's own access token, described (Alby's introspection)",
        "security": [
          {
            "oauthAccessToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The token's client, redirect URI and scopes.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AlbyIntrospectionResponse"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BearerUnauthorized"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          }
        }
      }
    },
    "/oauth/revoke": {
      "post": {
        "tags": [
          "oauth"
        ],
        "operationId": "revoke_token",
        "summary": "Token revocation (RFC 7009)",
        "description": "Unknown or invalid tokens answer 200. A refresh token takes its whole grant with it, access tokens included.",
        "security": [
          {
            "clientBasic": []
          },
          {}
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "$ref": "#/components/schemas/TokenParameterRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Revoked (or nothing to revoke). Empty body.",
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "description": "`invalid_request` (token missing, a bad form), `unauthorized_client` (the token was issued to another client), `invalid_grant`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequestUnauthorizedClientInvalidGrant"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/OAuthInvalidClient"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/OAuthBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/OAuthUnavailable"
          }
        }
      }
    },
    "/oauth/scopes": {
      "get": {
        "tags": [
          "oauth"
        ],
        "operationId": "list_scopes",
        "summary": "The scopes clients may be registered for",
        "description": "Alby's scopes plus any a gateway route requires.",
        "security": [],
        "responses": {
          "200": {
            "description": "Scope → description.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScopeDescriptions"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          }
        }
      }
    },
    "/obp/v5.1.0/banks": {
      "post": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_create_bank",
        "summary": "Create a bank",
        "description": "Needs `CanCreateBank` (the admin credential holds every role). A user who creates a bank is given `CanCreateEntitlementAtOneBank` there, as OBP does.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ObpCreateBankRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The bank.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpBank"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10001` (not JSON, a field missing or of the wrong type, an id that is not 4 to 16 of letters, digits, `.`, `_`, `-`), `OBP-34000` (the id is taken).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20006`: the caller lacks `CanCreateBank`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/ObpBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}": {
      "put": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_create_account",
        "summary": "Open an account",
        "description": "Creates the account with a zero balance; its holder (`user_id`) gets the `owner` view in the same command. Needs `CanCreateAccount` at the bank (the admin credential holds it), also for an account of one's own.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "BANK_ID",
            "in": "path",
            "required": true,
            "description": "The bank's id; percent-encoding is allowed.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "ACCOUNT_ID",
            "in": "path",
            "required": true,
            "description": "The account's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ObpCreateAccountRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The account.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpAccount"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10001`, `OBP-10035`, `OBP-30110` (account id), `OBP-30208` (exists), `OBP-30109` (balance not zero).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20006`: the caller lacks `CanCreateAccount` there.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "404": {
            "description": "`OBP-30001` (no such bank), `OBP-20005` (no such holder).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/ObpBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/users/current": {
      "get": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_current_user",
        "summary": "The calling user",
        "description": "The seed's answer for a DAuth or logged-in caller: the user, its roles and its views. The admin credential answers as the user `admin`, holding no roles of its own.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "responses": {
          "200": {
            "description": "The user.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpUser"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/users": {
      "post": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_create_user",
        "summary": "Create a user",
        "description": "Admin credential only. `(provider, username)` is unique.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ObpCreateUserRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The user.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpUser"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10001`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20006`: only the admin credential creates users.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "409": {
            "description": "`User with the same username already exists.` (OBP's sentence, with no code).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/ObpBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/users/{USER_ID}/entitlements": {
      "post": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_add_entitlement",
        "summary": "Grant a role",
        "description": "Checked in this order: `OBP-20005` → `OBP-10001` → `OBP-10007` → `OBP-30205`/`OBP-30206` → `OBP-30001` (bank roles) → `OBP-20006` (the caller holds neither `CanCreateEntitlementAtAnyBank` nor `CanCreateEntitlementAtOneBank` at that bank) → `OBP-30216`.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "USER_ID",
            "in": "path",
            "required": true,
            "description": "The user's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ObpEntitlementRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The entitlement.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpEntitlement"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10001`, `OBP-10007`, `OBP-30205`, `OBP-30206`, `OBP-30001`, `OBP-30216`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20006`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "404": {
            "description": "`OBP-20005`: no such user.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/ObpBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      },
      "get": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_get_entitlements",
        "summary": "A user's roles, now or at a moment",
        "description": "One's own, or anyone's with `CanGetEntitlementsForAnyUserAtAnyBank`. `?at=` answers as of that moment.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "USER_ID",
            "in": "path",
            "required": true,
            "description": "The user's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "at",
            "in": "query",
            "required": false,
            "description": "Answer as of this RFC 3339 time (else `OBP-10005`); now when absent.",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "responses": {
          "200": {
            "description": "The roles.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpEntitlementList"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10005`: `at` is not an RFC 3339 time.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20006`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "404": {
            "description": "`OBP-20005`: not a user id.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/users/{USER_ID}/entitlements/history": {
      "get": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_entitlement_history",
        "summary": "Every grant and revocation of a user's roles",
        "description": "What OBP throws away: each change with its time and who made it. Paged by `after_seq`.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "USER_ID",
            "in": "path",
            "required": true,
            "description": "The user's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500
            }
          },
          {
            "name": "after_seq",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 0
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of changes.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpHistoryPage"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10035`: `limit` or `after_seq` out of range.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20006`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "404": {
            "description": "`OBP-20005`: not a user id.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/users/{USER_ID}/entitlement/{ENTITLEMENT_ID}": {
      "delete": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_delete_entitlement",
        "summary": "Revoke a role",
        "description": "Needs `CanDeleteEntitlementAtAnyBank` (or ours, `CanDeleteEntitlementAtOneBank` at the role's bank). The revocation is kept: history and `?at=` still answer it.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "USER_ID",
            "in": "path",
            "required": true,
            "description": "The user's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "ENTITLEMENT_ID",
            "in": "path",
            "required": true,
            "description": "The entitlement's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "responses": {
          "204": {
            "description": "Revoked."
          },
          "400": {
            "description": "`OBP-30213`: another user's entitlement.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20006`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "404": {
            "description": "`OBP-30212`: no such entitlement (or revoked already); `OBP-20005`: not a user id.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/my/entitlements": {
      "get": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_my_entitlements",
        "summary": "The caller's roles",
        "description": "",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "responses": {
          "200": {
            "description": "The roles.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpEntitlementList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/user-entitlements": {
      "post": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_create_user_with_roles",
        "summary": "Create (DAuth) User with Roles",
        "description": "The seed's endpoint: gets or creates the user `(provider, username)` (`provider` must start with `dauth.`) and grants it the roles, all or none. A caller holding `CanCreateEntitlementAtAnyBank` grants any role; any other only roles it holds itself at that bank (`OBP-30220`).",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ObpCreateUserWithRolesRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The roles granted, each with `user_id`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpEntitlementList"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10001`, `OBP-20103` (provider), `OBP-10007`, `OBP-30205`, `OBP-30206`, `OBP-30001`, `OBP-30220`, `OBP-30216`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/ObpBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/users/dauth/entitlements": {
      "post": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_create_user_with_roles_alias",
        "summary": "Create (DAuth) User with Roles (alias)",
        "description": "The same operation as `POST /user-entitlements`, at the name issue 14 gives it.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ObpCreateUserWithRolesRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The roles granted, each with `user_id`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpEntitlementList"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10001`, `OBP-20103` (provider), `OBP-10007`, `OBP-30205`, `OBP-30206`, `OBP-30001`, `OBP-30220`, `OBP-30216`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/ObpBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/views": {
      "get": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_get_views",
        "summary": "An account's views",
        "description": "The system views and the account's custom views. Needs a view there with `can_see_available_views_for_bank_account` (owner has it).",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "BANK_ID",
            "in": "path",
            "required": true,
            "description": "The bank's id; percent-encoding is allowed.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "ACCOUNT_ID",
            "in": "path",
            "required": true,
            "description": "The account's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "responses": {
          "200": {
            "description": "The views.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpViewList"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-20022`: no view of the caller allows it.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20017`: the caller has no view on the account.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "404": {
            "description": "`OBP-30001`, `OBP-30018`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      },
      "post": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_create_view",
        "summary": "Create a custom view",
        "description": "Needs a view there with `can_create_custom_view` (OBP's `ManageCustomViews`; owner lacks it).",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "BANK_ID",
            "in": "path",
            "required": true,
            "description": "The bank's id; percent-encoding is allowed.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "ACCOUNT_ID",
            "in": "path",
            "required": true,
            "description": "The account's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ObpViewRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The view.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpView"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10001`, `OBP-10035`, `OBP-20020` (not `_…`), `OBP-20022`, `OBP-30259` (exists).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20017`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "404": {
            "description": "`OBP-30001`, `OBP-30018`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/ObpBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/views/{VIEW_ID}": {
      "put": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_update_view",
        "summary": "Change a custom view",
        "description": "Every version is kept: `?at=` reads of account access use the view as it was.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "BANK_ID",
            "in": "path",
            "required": true,
            "description": "The bank's id; percent-encoding is allowed.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "ACCOUNT_ID",
            "in": "path",
            "required": true,
            "description": "The account's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "VIEW_ID",
            "in": "path",
            "required": true,
            "description": "The view's id: a system view (`owner`, `auditor`, …) or a custom one (`_…`). On grant and revoke, the view the caller acts through.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ObpViewRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The view.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpView"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10001`, `OBP-10035`, `OBP-20021` (a system view), `OBP-20022`, `OBP-30005` (no such view).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20017`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "404": {
            "description": "`OBP-30001`, `OBP-30018`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/ObpBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      },
      "delete": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_delete_view",
        "summary": "Delete a custom view",
        "description": "Refused while anyone has access through it (`OBP-30256`), as OBP does.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "BANK_ID",
            "in": "path",
            "required": true,
            "description": "The bank's id; percent-encoding is allowed.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "ACCOUNT_ID",
            "in": "path",
            "required": true,
            "description": "The account's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "VIEW_ID",
            "in": "path",
            "required": true,
            "description": "The view's id: a system view (`owner`, `auditor`, …) or a custom one (`_…`). On grant and revoke, the view the caller acts through.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "responses": {
          "204": {
            "description": "Deleted."
          },
          "400": {
            "description": "`OBP-20020`, `OBP-20022`, `OBP-30005`, `OBP-30256`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20017`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "404": {
            "description": "`OBP-30001`, `OBP-30018`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/system-views/{VIEW_ID}": {
      "get": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_get_system_view",
        "summary": "A system view",
        "description": "Needs `CanGetSystemView`.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "VIEW_ID",
            "in": "path",
            "required": true,
            "description": "The view's id: a system view (`owner`, `auditor`, …) or a custom one (`_…`). On grant and revoke, the view the caller acts through.",
            "schema": {
              "type": "string",
              "maxLength": 255
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "responses": {
          "200": {
            "description": "The view with its grant and revoke lists.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpView"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-30252`: no such system view.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20006`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/views/{VIEW_ID}/account-access/grant": {
      "post": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_grant_account_access",
        "summary": "Grant a user access to a view",
        "description": "The caller acts through `VIEW_ID` (the admin credential needs none). Checked in OBP v5.1.0's order: `OBP-30001` → `OBP-30018` → `OBP-20017` → `OBP-10001` → `OBP-20084` (a system view not in the source view's `can_grant_access_to_views`) / `OBP-20085` (a custom view, and `can_grant_access_to_custom_views` is false) → `OBP-20005` → `OBP-30252`/`OBP-30005`. Granting what is held already answers the view again.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "BANK_ID",
            "in": "path",
            "required": true,
            "description": "The bank's id; percent-encoding is allowed.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "ACCOUNT_ID",
            "in": "path",
            "required": true,
            "description": "The account's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "VIEW_ID",
            "in": "path",
            "required": true,
            "description": "The view's id: a system view (`owner`, `auditor`, …) or a custom one (`_…`). On grant and revoke, the view the caller acts through.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ObpAccountAccessRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The view granted.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpView"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10001`, `OBP-30252`, `OBP-30005`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20017`, `OBP-20084`, `OBP-20085`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "404": {
            "description": "`OBP-30001`, `OBP-30018`, `OBP-20005`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/ObpBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/views/{VIEW_ID}/account-access/revoke": {
      "post": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_revoke_account_access",
        "summary": "Revoke a user's access to a view",
        "description": "As granting, with `can_revoke_access_to_views` (`OBP-20086`) and `can_revoke_access_to_custom_views` (`OBP-20087`); `OBP-30065` when the user has no such access, `OBP-30064` for the holder's own `owner` access. The revocation is kept for history and `?at=`.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "BANK_ID",
            "in": "path",
            "required": true,
            "description": "The bank's id; percent-encoding is allowed.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "ACCOUNT_ID",
            "in": "path",
            "required": true,
            "description": "The account's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "VIEW_ID",
            "in": "path",
            "required": true,
            "description": "The view's id: a system view (`owner`, `auditor`, …) or a custom one (`_…`). On grant and revoke, the view the caller acts through.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ObpAccountAccessRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "`{\"revoked\": true}`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpRevoked"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10001`, `OBP-30252`, `OBP-30005`, `OBP-30064`, `OBP-30065`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20017`, `OBP-20086`, `OBP-20087`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "404": {
            "description": "`OBP-30001`, `OBP-30018`, `OBP-20005`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/ObpBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/views/{VIEW_ID}/user-account-access": {
      "post": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_create_user_with_account_access",
        "summary": "Create (DAuth) User with Account Access",
        "description": "The seed's endpoint: the caller (the account holder, acting through `VIEW_ID`) gets or creates the user `(provider, username)` (`provider` must start with `dauth.`) and gives it `view_id`. The answer is the view's permission JSON.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "BANK_ID",
            "in": "path",
            "required": true,
            "description": "The bank's id; percent-encoding is allowed.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "ACCOUNT_ID",
            "in": "path",
            "required": true,
            "description": "The account's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "VIEW_ID",
            "in": "path",
            "required": true,
            "description": "The view's id: a system view (`owner`, `auditor`, …) or a custom one (`_…`). On grant and revoke, the view the caller acts through.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ObpCreateUserAccountAccessRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The view granted.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpView"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10001`, `OBP-20103`, `OBP-30252`, `OBP-30005`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20017`, `OBP-20084`, `OBP-20085`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "404": {
            "description": "`OBP-30001`, `OBP-30018`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/ObpBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/account-access": {
      "get": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_get_account_access",
        "summary": "Who has which view on an account, now or at a moment",
        "description": "What OBP cannot answer: `?at=` gives the grants held at that moment. Needs `CanSeeAccountAccessForAnyUser`, or a view there with `can_see_views_with_permissions_for_all_users` (owner has it).",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "BANK_ID",
            "in": "path",
            "required": true,
            "description": "The bank's id; percent-encoding is allowed.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "ACCOUNT_ID",
            "in": "path",
            "required": true,
            "description": "The account's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "at",
            "in": "query",
            "required": false,
            "description": "Answer as of this RFC 3339 time (else `OBP-10005`); now when absent.",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500
            },
            "description": "At most this many (500 by default)."
          },
          {
            "name": "after_seq",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 0
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "responses": {
          "200": {
            "description": "The grants, in the order they were made; `next_after_seq` when the page is full.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpAccountAccessList"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10005`, `OBP-20022`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20017`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "404": {
            "description": "`OBP-30001`, `OBP-30018`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/obp/v5.1.0/banks/{BANK_ID}/accounts/{ACCOUNT_ID}/account-access/history": {
      "get": {
        "tags": [
          "obp"
        ],
        "operationId": "obp_account_access_history",
        "summary": "Every grant and revocation of access to an account",
        "description": "Each change with its time and who made it, paged by `after_seq`.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "userToken": []
          },
          {
            "dauth": []
          }
        ],
        "parameters": [
          {
            "name": "BANK_ID",
            "in": "path",
            "required": true,
            "description": "The bank's id; percent-encoding is allowed.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "ACCOUNT_ID",
            "in": "path",
            "required": true,
            "description": "The account's id.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 255,
              "pattern": "^[A-Za-z0-9._-]+$"
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500
            }
          },
          {
            "name": "after_seq",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 0
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of changes.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpHistoryPage"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10035`, `OBP-20022`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20017`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "404": {
            "description": "`OBP-30001`, `OBP-30018`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/authz/check": {
      "post": {
        "tags": [
          "authz"
        ],
        "operationId": "authz_check",
        "summary": "May this user do this?",
        "description": "Answers `{allowed, reason, view_id | entitlement_id}` and records the check (a NEN 7513 record: the caller as user, the checked user as responsible, the account or user as subject, the outcome). A permission is allowed through the first view (by id) the user has on the account that grants it; a role through a live entitlement at that bank, or system-wide for a system role. Input errors are refused before anything is recorded.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "oauthAccessToken": [
              "authz:check"
            ]
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/AuthzCheckRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The decision.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuthzCheckAnswer"
                }
              }
            }
          },
          "400": {
            "description": "`OBP-10001` (no `user_id`, both or neither of `permission` and `role`, a permission without an account), `OBP-10035` (unknown permission, bad id), `OBP-10007`, `OBP-30205`, `OBP-30206`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ObpUnauthorized"
          },
          "403": {
            "description": "`OBP-20006`: the token was not granted `authz:check`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ObpError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/ObpMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/ObpBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/ObpUnavailable"
          }
        }
      }
    },
    "/invoices": {
      "post": {
        "tags": [
          "gateway"
        ],
        "operationId": "gateway_create_invoice",
        "summary": "Create an invoice",
        "description": "Gateway route (Alby's example table), scope `invoices:create`. Forwarded to the origin as ``invoices:create`` allows; the origin's answer (any status) comes back as is. Shapes shown are those of the built-in mock origin (`--gateway-origin mock`, an LNDhub/Alby-like API).",
        "security": [
          {
            "oauthAccessToken": []
          }
        ],
        "responses": {
          "201": {
            "description": "The origin's answer.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OriginInvoice"
                }
              }
            },
            "links": {
              "gateway_get_invoice": {
                "operationId": "gateway_get_invoice",
                "parameters": {
                  "payment_hash": "$response.body#/payment_hash"
                }
              }
            }
          },
          "400": {
            "description": "The origin refused the request (`{\"error\"}`), or the request cannot be forwarded (`origin_invalid_request`: a request target that is not printable ASCII, or a user id that cannot be sent in a header).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    },
                    {
                      "$ref": "#/components/schemas/OAuthErrorOriginInvalidRequest"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BearerUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/BearerForbidden"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "413": {
            "description": "The body is larger than `--body-bytes-max` (the gateway reads it on every route, OAuth's `invalid_request`), or than the origin takes (the mock origin: 16 KiB, `{\"error\"}`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                    },
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    }
                  ]
                }
              }
            }
          },
          "502": {
            "description": "The origin is unreachable, the connection broke, or its answer is too large (4 MiB).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginUnreachableOriginConnectionLostOriginResponseTooLarge"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "503": {
            "description": "The access decision could not be recorded (`temporarily_unavailable`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorTemporarilyUnavailable"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "504": {
            "description": "The origin did not answer within `--gateway-timeout-sec` (default 30 s).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginTimedOut"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          }
        },
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/OriginCreateInvoiceRequest"
              }
            }
          }
        },
        "parameters": []
      }
    },
    "/invoices/incoming": {
      "get": {
        "tags": [
          "gateway"
        ],
        "operationId": "gateway_list_incoming_invoices",
        "summary": "List incoming invoices",
        "description": "Gateway route (Alby's example table), scope `invoices:read`. Forwarded to the origin as ``invoices:read`` allows; the origin's answer (any status) comes back as is. Shapes shown are those of the built-in mock origin (`--gateway-origin mock`, an LNDhub/Alby-like API).",
        "security": [
          {
            "oauthAccessToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The origin's answer.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/OriginInvoice"
                  }
                }
              }
            }
          },
          "400": {
            "description": "The origin refused the request (`{\"error\"}`; the mock origin never does here), or the request cannot be forwarded (`origin_invalid_request`: a request target that is not printable ASCII, or a user id that cannot be sent in a header).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    },
                    {
                      "$ref": "#/components/schemas/OAuthErrorOriginInvalidRequest"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BearerUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/BearerForbidden"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "413": {
            "description": "The body is larger than `--body-bytes-max` (the gateway reads it on every route, OAuth's `invalid_request`), or than the origin takes (the mock origin: 16 KiB, `{\"error\"}`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                    },
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    }
                  ]
                }
              }
            }
          },
          "502": {
            "description": "The origin is unreachable, the connection broke, or its answer is too large (4 MiB).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginUnreachableOriginConnectionLostOriginResponseTooLarge"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "503": {
            "description": "The access decision could not be recorded (`temporarily_unavailable`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorTemporarilyUnavailable"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "504": {
            "description": "The origin did not answer within `--gateway-timeout-sec` (default 30 s).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginTimedOut"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          }
        },
        "parameters": []
      }
    },
    "/invoices/outgoing": {
      "get": {
        "tags": [
          "gateway"
        ],
        "operationId": "gateway_list_outgoing_payments",
        "summary": "List outgoing payments",
        "description": "Gateway route (Alby's example table), scope `transactions:read`. Forwarded to the origin as ``transactions:read`` allows; the origin's answer (any status) comes back as is. Shapes shown are those of the built-in mock origin (`--gateway-origin mock`, an LNDhub/Alby-like API).",
        "security": [
          {
            "oauthAccessToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The origin's answer.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/OriginPayment"
                  }
                }
              }
            }
          },
          "400": {
            "description": "The origin refused the request (`{\"error\"}`; the mock origin never does here), or the request cannot be forwarded (`origin_invalid_request`: a request target that is not printable ASCII, or a user id that cannot be sent in a header).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    },
                    {
                      "$ref": "#/components/schemas/OAuthErrorOriginInvalidRequest"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BearerUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/BearerForbidden"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "413": {
            "description": "The body is larger than `--body-bytes-max` (the gateway reads it on every route, OAuth's `invalid_request`), or than the origin takes (the mock origin: 16 KiB, `{\"error\"}`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                    },
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    }
                  ]
                }
              }
            }
          },
          "502": {
            "description": "The origin is unreachable, the connection broke, or its answer is too large (4 MiB).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginUnreachableOriginConnectionLostOriginResponseTooLarge"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "503": {
            "description": "The access decision could not be recorded (`temporarily_unavailable`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorTemporarilyUnavailable"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "504": {
            "description": "The origin did not answer within `--gateway-timeout-sec` (default 30 s).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginTimedOut"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          }
        },
        "parameters": []
      }
    },
    "/invoices/{payment_hash}": {
      "get": {
        "tags": [
          "gateway"
        ],
        "operationId": "gateway_get_invoice",
        "summary": "Read an invoice or payment by payment hash",
        "description": "Gateway route (Alby's example table), scope `invoices:create`. Forwarded to the origin as ``invoices:create`` allows; the origin's answer (any status) comes back as is. Shapes shown are those of the built-in mock origin (`--gateway-origin mock`, an LNDhub/Alby-like API). A parameter segment never matches `.`, `..`, or an encoded `/`, `\\`, space or control character.",
        "security": [
          {
            "oauthAccessToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The origin's answer.",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OriginInvoice"
                    },
                    {
                      "$ref": "#/components/schemas/OriginPayment"
                    }
                  ]
                }
              }
            }
          },
          "400": {
            "description": "The origin refused the request (`{\"error\"}`), or the request cannot be forwarded (`origin_invalid_request`: a request target that is not printable ASCII, or a user id that cannot be sent in a header).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    },
                    {
                      "$ref": "#/components/schemas/OAuthErrorOriginInvalidRequest"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BearerUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/BearerForbidden"
          },
          "404": {
            "description": "The origin has no such invoice or payment (`{\"error\"}`), or the segment cannot be a parameter (`.`, `..`, an encoded `/`, `\\`, space or control character) so the gateway does not match and the router answers `{code: not_found}`.",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    },
                    {
                      "$ref": "#/components/schemas/ApiErrorNotFound"
                    }
                  ]
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "413": {
            "description": "The body is larger than `--body-bytes-max` (the gateway reads it on every route, OAuth's `invalid_request`), or than the origin takes (the mock origin: 16 KiB, `{\"error\"}`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                    },
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    }
                  ]
                }
              }
            }
          },
          "502": {
            "description": "The origin is unreachable, the connection broke, or its answer is too large (4 MiB).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginUnreachableOriginConnectionLostOriginResponseTooLarge"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "503": {
            "description": "The access decision could not be recorded (`temporarily_unavailable`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorTemporarilyUnavailable"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "504": {
            "description": "The origin did not answer within `--gateway-timeout-sec` (default 30 s).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginTimedOut"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          }
        },
        "parameters": [
          {
            "name": "payment_hash",
            "in": "path",
            "required": true,
            "description": "The payment hash (the mock origin wants 32 bytes of hex).",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/balance": {
      "get": {
        "tags": [
          "gateway"
        ],
        "operationId": "gateway_get_balance",
        "summary": "Read the balance",
        "description": "Gateway route (Alby's example table), scope `balance:read`. Forwarded to the origin as ``balance:read`` allows; the origin's answer (any status) comes back as is. Shapes shown are those of the built-in mock origin (`--gateway-origin mock`, an LNDhub/Alby-like API).",
        "security": [
          {
            "oauthAccessToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The origin's answer.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OriginBalance"
                }
              }
            }
          },
          "400": {
            "description": "The origin refused the request (`{\"error\"}`; the mock origin never does here), or the request cannot be forwarded (`origin_invalid_request`: a request target that is not printable ASCII, or a user id that cannot be sent in a header).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    },
                    {
                      "$ref": "#/components/schemas/OAuthErrorOriginInvalidRequest"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BearerUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/BearerForbidden"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "413": {
            "description": "The body is larger than `--body-bytes-max` (the gateway reads it on every route, OAuth's `invalid_request`), or than the origin takes (the mock origin: 16 KiB, `{\"error\"}`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                    },
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    }
                  ]
                }
              }
            }
          },
          "502": {
            "description": "The origin is unreachable, the connection broke, or its answer is too large (4 MiB).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginUnreachableOriginConnectionLostOriginResponseTooLarge"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "503": {
            "description": "The access decision could not be recorded (`temporarily_unavailable`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorTemporarilyUnavailable"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "504": {
            "description": "The origin did not answer within `--gateway-timeout-sec` (default 30 s).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginTimedOut"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          }
        },
        "parameters": []
      }
    },
    "/user/value4value": {
      "get": {
        "tags": [
          "gateway"
        ],
        "operationId": "gateway_get_value4value",
        "summary": "Read the lightning address and keysend information",
        "description": "Gateway route (Alby's example table), scope `account:read`. Forwarded to the origin as ``account:read`` allows; the origin's answer (any status) comes back as is. Shapes shown are those of the built-in mock origin (`--gateway-origin mock`, an LNDhub/Alby-like API).",
        "security": [
          {
            "oauthAccessToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The origin's answer.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OriginValue4Value"
                }
              }
            }
          },
          "400": {
            "description": "The origin refused the request (`{\"error\"}`; the mock origin never does here), or the request cannot be forwarded (`origin_invalid_request`: a request target that is not printable ASCII, or a user id that cannot be sent in a header).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    },
                    {
                      "$ref": "#/components/schemas/OAuthErrorOriginInvalidRequest"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BearerUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/BearerForbidden"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "413": {
            "description": "The body is larger than `--body-bytes-max` (the gateway reads it on every route, OAuth's `invalid_request`), or than the origin takes (the mock origin: 16 KiB, `{\"error\"}`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                    },
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    }
                  ]
                }
              }
            }
          },
          "502": {
            "description": "The origin is unreachable, the connection broke, or its answer is too large (4 MiB).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginUnreachableOriginConnectionLostOriginResponseTooLarge"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "503": {
            "description": "The access decision could not be recorded (`temporarily_unavailable`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorTemporarilyUnavailable"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "504": {
            "description": "The origin did not answer within `--gateway-timeout-sec` (default 30 s).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginTimedOut"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          }
        },
        "parameters": []
      }
    },
    "/payments/bolt11": {
      "post": {
        "tags": [
          "gateway"
        ],
        "operationId": "gateway_pay_bolt11",
        "summary": "Pay a BOLT11 invoice",
        "description": "Gateway route (Alby's example table), scope `payments:send`. Forwarded to the origin as ``payments:send`` allows; the origin's answer (any status) comes back as is. Shapes shown are those of the built-in mock origin (`--gateway-origin mock`, an LNDhub/Alby-like API). A payment route: the amount is reserved against the grant's budget before forwarding, settled from the origin's 2xx answer (its `fee`) or released otherwise.",
        "security": [
          {
            "oauthAccessToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The origin's answer.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OriginPayment"
                }
              }
            }
          },
          "400": {
            "description": "The origin refused the request (`{\"error\"}`), or the request cannot be forwarded (`origin_invalid_request`: a request target that is not printable ASCII, or a user id that cannot be sent in a header), or the payment's amount cannot be read (`invalid_request`: not a JSON object, a member named twice, a missing or non-positive amount, an unparsable invoice, an amount that differs from the invoice's).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    },
                    {
                      "$ref": "#/components/schemas/OAuthErrorOriginInvalidRequest"
                    },
                    {
                      "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BearerUnauthorized"
          },
          "402": {
            "description": "The payment does not fit in what is left of the grant's budget (or its per-payment cap).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/QuotaExceededError"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/BearerForbidden"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "409": {
            "description": "`invalid_request`: the ledger's state conflicts with the reservation (the budget's currency changed); retry.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "413": {
            "description": "The body is larger than `--body-bytes-max` (the gateway reads it on every route, OAuth's `invalid_request`), or than the origin takes (the mock origin: 16 KiB, `{\"error\"}`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                    },
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    }
                  ]
                }
              }
            }
          },
          "502": {
            "description": "The origin is unreachable, the connection broke, or its answer is too large (4 MiB).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginUnreachableOriginConnectionLostOriginResponseTooLarge"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "503": {
            "description": "The access decision could not be recorded (`temporarily_unavailable`), or the payment's hold could not be written (`{code, message}` with `overloaded`, `shutting_down` or `storage_unavailable`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OAuthErrorTemporarilyUnavailable"
                    },
                    {
                      "$ref": "#/components/schemas/WriterUnavailableError"
                    }
                  ]
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "504": {
            "description": "The origin did not answer within `--gateway-timeout-sec` (default 30 s).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginTimedOut"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/OriginPayInvoiceRequest"
              }
            }
          }
        },
        "parameters": []
      }
    },
    "/payments/keysend": {
      "post": {
        "tags": [
          "gateway"
        ],
        "operationId": "gateway_pay_keysend",
        "summary": "Pay by keysend",
        "description": "Gateway route (Alby's example table), scope `payments:send`. Forwarded to the origin as ``payments:send`` allows; the origin's answer (any status) comes back as is. Shapes shown are those of the built-in mock origin (`--gateway-origin mock`, an LNDhub/Alby-like API). A payment route: the amount is reserved against the grant's budget before forwarding, settled from the origin's 2xx answer (its `fee`) or released otherwise.",
        "security": [
          {
            "oauthAccessToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The origin's answer.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OriginPayment"
                }
              }
            }
          },
          "400": {
            "description": "The origin refused the request (`{\"error\"}`), or the request cannot be forwarded (`origin_invalid_request`: a request target that is not printable ASCII, or a user id that cannot be sent in a header), or the payment's amount cannot be read (`invalid_request`: not a JSON object, a member named twice, a missing or non-positive amount, an unparsable invoice, an amount that differs from the invoice's).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    },
                    {
                      "$ref": "#/components/schemas/OAuthErrorOriginInvalidRequest"
                    },
                    {
                      "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BearerUnauthorized"
          },
          "402": {
            "description": "The payment does not fit in what is left of the grant's budget (or its per-payment cap).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/QuotaExceededError"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/BearerForbidden"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "409": {
            "description": "`invalid_request`: the ledger's state conflicts with the reservation (the budget's currency changed); retry.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "413": {
            "description": "The body is larger than `--body-bytes-max` (the gateway reads it on every route, OAuth's `invalid_request`), or than the origin takes (the mock origin: 16 KiB, `{\"error\"}`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                    },
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    }
                  ]
                }
              }
            }
          },
          "502": {
            "description": "The origin is unreachable, the connection broke, or its answer is too large (4 MiB).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginUnreachableOriginConnectionLostOriginResponseTooLarge"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "503": {
            "description": "The access decision could not be recorded (`temporarily_unavailable`), or the payment's hold could not be written (`{code, message}` with `overloaded`, `shutting_down` or `storage_unavailable`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OAuthErrorTemporarilyUnavailable"
                    },
                    {
                      "$ref": "#/components/schemas/WriterUnavailableError"
                    }
                  ]
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "504": {
            "description": "The origin did not answer within `--gateway-timeout-sec` (default 30 s).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginTimedOut"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/OriginKeysendRequest"
              }
            }
          }
        },
        "parameters": []
      }
    },
    "/v1/info": {
      "get": {
        "tags": [
          "nut-21"
        ],
        "operationId": "get_mint_info",
        "summary": "NUT-06 info with the NUT-21 block",
        "description": "Served only when NUT-21 protected endpoints are configured (`--clear-auth-endpoint`); otherwise 404. If the operator lists `GET /v1/info` (or a prefix of it) among the protected endpoints, it needs `Clear-auth` too.",
        "security": [
          {},
          {
            "clearAuth": []
          }
        ],
        "responses": {
          "200": {
            "description": "The issuer and the protected endpoints.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MintInfo"
                }
              }
            }
          },
          "401": {
            "description": "Only when this endpoint is itself protected: 30001 no `Clear-auth`, 30002 the token failed a check.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ClearAuthError"
                }
              }
            }
          },
          "404": {
            "description": "NUT-21 is not configured (UMA shape, as every `/v1/` path).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/UmaMethodNotAllowed"
          },
          "429": {
            "description": "Only when this endpoint is itself protected: too many requests for this `sub` (code 30002).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ClearAuthError"
                }
              }
            },
            "headers": {
              "Retry-After": {
                "$ref": "#/components/headers/Retry-After"
              }
            }
          }
        }
      }
    },
    "/v1/auth/blind/mint": {
      "post": {
        "tags": [
          "nut-21"
        ],
        "operationId": "mint_blind_auth_tokens",
        "summary": "Mint blind auth tokens (NUT-22), behind NUT-21",
        "description": "Example of a NUT-21 protected endpoint: which endpoints are protected is configured (`--clear-auth-endpoint \"POST /v1/auth/blind/mint\"`, exact or a `/prefix/*`); these two are the built-in mock origin's mint routes. A request with a valid `Clear-auth` token (issued to `--clear-auth-client-id`) is forwarded to the gateway's origin as the token's `sub` (without the `Clear-auth` header); without an origin it goes on to the router. Not protected, or with neither route nor origin, the path is 404; the router registers no route here, so there is no 405.",
        "security": [
          {
            "clearAuth": []
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "description": "Forwarded as is."
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The origin's answer (the mock mint's shape).",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "signatures"
                  ],
                  "properties": {
                    "signatures": {
                      "type": "array",
                      "items": {}
                    }
                  }
                }
              }
            }
          },
          "400": {
            "description": "The origin refused the request, or it cannot be forwarded (`origin_invalid_request`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    },
                    {
                      "$ref": "#/components/schemas/OAuthErrorOriginInvalidRequest"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "description": "30001: no `Clear-auth` header; 30002: the token failed a check (signature, expiry, issuer, revoked, another client).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ClearAuthError"
                }
              }
            }
          },
          "404": {
            "description": "Not protected or not forwarded (UMA shape, as every `/v1/` path).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorNotFound"
                }
              }
            }
          },
          "413": {
            "description": "The body is larger than `--body-bytes-max` (`{code, message}`) or than the origin takes (`{\"error\"}`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/BodyTooLargeError"
                    },
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    }
                  ]
                }
              }
            }
          },
          "429": {
            "description": "Too many requests for this `sub` (`--clear-auth-rate-per-min`, default 60; code 30002).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ClearAuthError"
                }
              }
            },
            "headers": {
              "Retry-After": {
                "$ref": "#/components/headers/Retry-After"
              }
            }
          },
          "502": {
            "description": "The origin is unreachable, the connection broke, or its answer is too large.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginUnreachableOriginConnectionLostOriginResponseTooLarge"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "504": {
            "description": "The origin did not answer in time.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginTimedOut"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          }
        }
      }
    },
    "/v1/mint/quote/bolt11": {
      "post": {
        "tags": [
          "nut-21"
        ],
        "operationId": "mint_quote_bolt11",
        "summary": "Request a mint quote (NUT-04), behind NUT-21",
        "description": "Example of a NUT-21 protected endpoint: which endpoints are protected is configured (`--clear-auth-endpoint \"POST /v1/mint/quote/bolt11\"`, exact or a `/prefix/*`); these two are the built-in mock origin's mint routes. A request with a valid `Clear-auth` token (issued to `--clear-auth-client-id`) is forwarded to the gateway's origin as the token's `sub` (without the `Clear-auth` header); without an origin it goes on to the router. Not protected, or with neither route nor origin, the path is 404; the router registers no route here, so there is no 405.",
        "security": [
          {
            "clearAuth": []
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "properties": {
                  "amount": {
                    "type": [
                      "integer",
                      "null"
                    ],
                    "format": "int64",
                    "description": "Sats.",
                    "minimum": 1
                  },
                  "unit": {
                    "type": [
                      "string",
                      "null"
                    ]
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The origin's answer (the mock mint's shape).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MintQuote"
                }
              }
            }
          },
          "400": {
            "description": "The origin refused the request, or it cannot be forwarded (`origin_invalid_request`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    },
                    {
                      "$ref": "#/components/schemas/OAuthErrorOriginInvalidRequest"
                    }
                  ]
                }
              }
            }
          },
          "401": {
            "description": "30001: no `Clear-auth` header; 30002: the token failed a check (signature, expiry, issuer, revoked, another client).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ClearAuthError"
                }
              }
            }
          },
          "404": {
            "description": "Not protected or not forwarded (UMA shape, as every `/v1/` path).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UmaErrorNotFound"
                }
              }
            }
          },
          "413": {
            "description": "The body is larger than `--body-bytes-max` (`{code, message}`) or than the origin takes (`{\"error\"}`).",
            "content": {
              "application/json": {
                "schema": {
                  "anyOf": [
                    {
                      "$ref": "#/components/schemas/BodyTooLargeError"
                    },
                    {
                      "$ref": "#/components/schemas/OriginPlainError"
                    }
                  ]
                }
              }
            }
          },
          "429": {
            "description": "Too many requests for this `sub` (`--clear-auth-rate-per-min`, default 60; code 30002).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ClearAuthError"
                }
              }
            },
            "headers": {
              "Retry-After": {
                "$ref": "#/components/headers/Retry-After"
              }
            }
          },
          "502": {
            "description": "The origin is unreachable, the connection broke, or its answer is too large.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginUnreachableOriginConnectionLostOriginResponseTooLarge"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "504": {
            "description": "The origin did not answer in time.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorOriginTimedOut"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          }
        }
      }
    },
    "/oauth/userinfo": {
      "get": {
        "tags": [
          "oauth"
        ],
        "operationId": "userinfo_get",
        "summary": "OpenID Connect UserInfo",
        "description": "The claims about the user an access token with `openid` may read: `sub`.",
        "security": [
          {
            "oauthAccessToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The user's claims.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UserInfo"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BearerUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/BearerForbidden"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/OAuthUnavailable"
          }
        }
      },
      "post": {
        "tags": [
          "oauth"
        ],
        "operationId": "userinfo_post",
        "summary": "OpenID Connect UserInfo",
        "description": "The claims about the user an access token with `openid` may read: `sub`.",
        "security": [
          {
            "oauthAccessToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The user's claims.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UserInfo"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BearerUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/BearerForbidden"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/OAuthUnavailable"
          },
          "400": {
            "description": "`invalid_request`: the form body is not valid.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/OAuthBodyTooLarge"
          }
        },
        "requestBody": {
          "required": false,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "type": "object"
              }
            }
          }
        }
      }
    },
    "/oauth/login/callback": {
      "get": {
        "tags": [
          "pages"
        ],
        "operationId": "login_callback",
        "summary": "Back from the operator's login system",
        "description": "Seed 000: the login system returns the user's short-lived JWT as `token`; it is verified like a Bearer user token, a session cookie (`grantledger_session`, HttpOnly, SameSite=Lax, Secure over https) is set, and the browser goes on to `return_to` (a path on this server only). The `state` must match the cookie the login redirect set, and each token signs in once (403 otherwise).",
        "security": [],
        "parameters": [
          {
            "name": "token",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "return_to",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "state",
            "in": "query",
            "required": false,
            "description": "The value the login redirect set in its state cookie: only the browser that was sent comes back signed in.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "303": {
            "$ref": "#/components/responses/LoginRedirect"
          },
          "401": {
            "$ref": "#/components/responses/PageError"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "403": {
            "$ref": "#/components/responses/PageError"
          }
        }
      }
    },
    "/oauth/logout": {
      "post": {
        "tags": [
          "pages"
        ],
        "operationId": "logout",
        "summary": "End the browser session",
        "security": [],
        "requestBody": {
          "required": false,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "type": "object",
                "properties": {
                  "csrf_token": {
                    "type": "string"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "$ref": "#/components/responses/Page"
          },
          "403": {
            "$ref": "#/components/responses/PageError"
          },
          "405": {
            "$ref": "#/components/responses/OAuthMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/OAuthBodyTooLarge"
          }
        }
      }
    },
    "/account": {
      "get": {
        "tags": [
          "pages"
        ],
        "operationId": "account_page",
        "summary": "The user's own grants",
        "description": "Every connection and OAuth grant of the signed-in user: scopes, a budget bar (used / held / total, renewal), last activity, and a Revoke button.",
        "security": [],
        "responses": {
          "200": {
            "$ref": "#/components/responses/Page"
          },
          "303": {
            "$ref": "#/components/responses/LoginRedirect"
          },
          "503": {
            "$ref": "#/components/responses/PageError"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    },
    "/account/revoke": {
      "post": {
        "tags": [
          "pages"
        ],
        "operationId": "account_revoke",
        "summary": "Revoke one of the user's own grants",
        "security": [],
        "requestBody": {
          "required": true,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "type": "object",
                "properties": {
                  "csrf_token": {
                    "type": "string"
                  },
                  "connection_id": {
                    "type": "string",
                    "maxLength": 64
                  }
                }
              }
            }
          }
        },
        "responses": {
          "303": {
            "$ref": "#/components/responses/LoginRedirect"
          },
          "403": {
            "$ref": "#/components/responses/PageError"
          },
          "404": {
            "$ref": "#/components/responses/PageError"
          },
          "503": {
            "$ref": "#/components/responses/PageError"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          }
        }
      }
    },
    "/dev/login": {
      "get": {
        "tags": [
          "pages"
        ],
        "operationId": "dev_login_form",
        "summary": "The stand-in login form (`--dev-login` only)",
        "description": "For trials: any user name signs in as that user. Served only with `--dev-login`.",
        "security": [],
        "parameters": [
          {
            "name": "redirect_uri",
            "in": "query",
            "required": false,
            "description": "This server's `/oauth/login/callback` only.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "$ref": "#/components/responses/Page"
          },
          "400": {
            "$ref": "#/components/responses/PageError"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "303": {
            "$ref": "#/components/responses/LoginRedirect"
          }
        }
      },
      "post": {
        "tags": [
          "pages"
        ],
        "operationId": "dev_login",
        "summary": "Sign in with the stand-in (`--dev-login` only)",
        "security": [],
        "requestBody": {
          "required": true,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "type": "object",
                "properties": {
                  "username": {
                    "type": "string",
                    "maxLength": 64
                  },
                  "redirect_uri": {
                    "type": "string"
                  },
                  "csrf_token": {
                    "type": "string"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "303": {
            "$ref": "#/components/responses/LoginRedirect"
          },
          "400": {
            "$ref": "#/components/responses/PageError"
          },
          "403": {
            "$ref": "#/components/responses/PageError"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          }
        }
      }
    },
    "/audit/access": {
      "post": {
        "tags": [
          "audit"
        ],
        "operationId": "report_access",
        "summary": "Report accesses (NEN 7513)",
        "description": "One record, or `{\"records\": [...]}` of up to 1,000, all written or none. The source is the caller's credential, never the body. Its own body limit: `--audit-body-bytes-max` (1 MiB).",
        "security": [
          {
            "auditToken": []
          },
          {
            "adminCredential": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "oneOf": [
                  {
                    "$ref": "#/components/schemas/AuditRecord"
                  },
                  {
                    "type": "object",
                    "required": [
                      "records"
                    ],
                    "properties": {
                      "records": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 1000,
                        "items": {
                          "$ref": "#/components/schemas/AuditRecord"
                        }
                      }
                    }
                  }
                ]
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The ids of the records, in order (a retried `record_id` answers its first id).",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "ids"
                  ],
                  "properties": {
                    "ids": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      }
                    }
                  }
                }
              }
            },
            "links": {
              "read_audit_event": {
                "operationId": "read_audit_event",
                "parameters": {
                  "id": "$response.body#/ids/0"
                }
              }
            }
          },
          "400": {
            "description": "`invalid_json`, or `invalid_field` naming the first missing or malformed field by its path (e.g. `records[3].user.role: is required`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditError"
                }
              }
            }
          },
          "401": {
            "description": "No credential, or not a valid one (Bearer challenge).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditError"
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "403": {
            "description": "`insufficient_scope`: the token lacks `audit:read`/`audit:write`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditError"
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          }
        }
      }
    },
    "/audit/events": {
      "get": {
        "tags": [
          "audit"
        ],
        "operationId": "list_audit_events",
        "summary": "Query the audit trail",
        "security": [
          {
            "auditToken": []
          },
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "subject_id",
            "in": "query",
            "required": false,
            "description": "The subject's id (any id type unless `subject_id_type` is given).",
            "schema": {
              "type": "string",
              "maxLength": 256
            }
          },
          {
            "name": "subject_id_type",
            "in": "query",
            "required": false,
            "description": "The subject's id type, e.g. urn:oid:2.16.840.1.113883.2.4.6.3 (BSN).",
            "schema": {
              "type": "string",
              "maxLength": 256
            }
          },
          {
            "name": "user_id",
            "in": "query",
            "required": false,
            "description": "The user who acted, or on whose behalf.",
            "schema": {
              "type": "string",
              "maxLength": 256
            }
          },
          {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "Occurred at or after (RFC 3339).",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          },
          {
            "name": "until",
            "in": "query",
            "required": false,
            "description": "Occurred at or before (RFC 3339).",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          },
          {
            "name": "action",
            "in": "query",
            "required": false,
            "description": "C, R, U, D or E.",
            "schema": {
              "type": "string",
              "enum": [
                "C",
                "R",
                "U",
                "D",
                "E"
              ]
            }
          },
          {
            "name": "event_code",
            "in": "query",
            "required": false,
            "description": "The record's event code (`audit-log-read` for reads of the log).",
            "schema": {
              "type": "string",
              "maxLength": 256
            }
          },
          {
            "name": "outcome",
            "in": "query",
            "required": false,
            "description": "success or failure.",
            "schema": {
              "type": "string",
              "enum": [
                "success",
                "failure"
              ]
            }
          },
          {
            "name": "emergency",
            "in": "query",
            "required": false,
            "description": "Break-glass accesses only (true) or none of them (false).",
            "schema": {
              "type": "string",
              "enum": [
                "true",
                "false"
              ]
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "1 to 500, default 100.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500
            }
          },
          {
            "name": "cursor",
            "in": "query",
            "required": false,
            "description": "The `next_cursor` of the previous page.",
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of records, in log order. The read itself is recorded first (`audit-log-read`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditPage"
                }
              }
            }
          },
          "400": {
            "description": "`invalid_query`: a filter, limit or cursor is not valid.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditError"
                }
              }
            }
          },
          "401": {
            "description": "No credential, or not a valid one (Bearer challenge).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditError"
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "403": {
            "description": "`insufficient_scope`: the token lacks `audit:read`/`audit:write`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditError"
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/audit/subjects/{id_type}/{id}/accesses": {
      "get": {
        "tags": [
          "audit"
        ],
        "operationId": "subject_accesses",
        "summary": "A subject's accesses (NEN 7513 ch. 9)",
        "description": "Who accessed this subject's data, when, in what role, for whom, under which authorisation, and whether the emergency procedure was used. Besides audit:read and the admin credential, the subject reads their own with the operator's user JWT: user/<sub> always, and the subject named by the claim --audit-subject-claim configures (of the id type --audit-subject-id-type). The read is recorded.",
        "security": [
          {
            "auditToken": []
          },
          {
            "adminCredential": []
          },
          {
            "userToken": []
          }
        ],
        "parameters": [
          {
            "name": "id_type",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 256
            }
          },
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 256
            }
          },
          {
            "name": "user_id",
            "in": "query",
            "required": false,
            "description": "The user who acted, or on whose behalf.",
            "schema": {
              "type": "string",
              "maxLength": 256
            }
          },
          {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "Occurred at or after (RFC 3339).",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          },
          {
            "name": "until",
            "in": "query",
            "required": false,
            "description": "Occurred at or before (RFC 3339).",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          },
          {
            "name": "action",
            "in": "query",
            "required": false,
            "description": "C, R, U, D or E.",
            "schema": {
              "type": "string",
              "enum": [
                "C",
                "R",
                "U",
                "D",
                "E"
              ]
            }
          },
          {
            "name": "event_code",
            "in": "query",
            "required": false,
            "description": "The record's event code (`audit-log-read` for reads of the log).",
            "schema": {
              "type": "string",
              "maxLength": 256
            }
          },
          {
            "name": "outcome",
            "in": "query",
            "required": false,
            "description": "success or failure.",
            "schema": {
              "type": "string",
              "enum": [
                "success",
                "failure"
              ]
            }
          },
          {
            "name": "emergency",
            "in": "query",
            "required": false,
            "description": "Break-glass accesses only (true) or none of them (false).",
            "schema": {
              "type": "string",
              "enum": [
                "true",
                "false"
              ]
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "1 to 500, default 100.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500
            }
          },
          {
            "name": "cursor",
            "in": "query",
            "required": false,
            "description": "The `next_cursor` of the previous page.",
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of records, in log order. The read itself is recorded first (`audit-log-read`).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditPage"
                }
              }
            }
          },
          "400": {
            "description": "`invalid_query`: a filter, limit or cursor is not valid.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditError"
                }
              }
            }
          },
          "404": {
            "description": "The subject's id or id type is empty or too long.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditError"
                }
              }
            }
          },
          "401": {
            "description": "No credential, or not a valid one (Bearer challenge).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditError"
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "403": {
            "description": "`insufficient_scope`: the token lacks `audit:read`, or a user token asks for another subject's overview.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditError"
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/fhir/AuditEvent": {
      "get": {
        "tags": [
          "fhir"
        ],
        "operationId": "search_audit_events",
        "summary": "FHIR R4 AuditEvent search",
        "description": "A `searchset` Bundle of AuditEvents (Zorgviewer / VZVZ profile shape), with `self` and `next` links. The search is recorded as a read of the log.",
        "security": [
          {
            "auditToken": []
          },
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "patient",
            "in": "query",
            "required": false,
            "description": "The subject: `system|value` (e.g. the BSN OID), a bare value, or `system|` for any value in that system; each part at most 256 bytes, without control characters. The system `http://fhir.nl/fhir/NamingSystem/bsn`, which AuditEvents show for a subject of id type `BSN`, also finds records of id type `BSN` in any case.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "name": "agent",
            "in": "query",
            "required": false,
            "description": "The user who acted or was acted for, by id: `system|value` or a bare value (the system does not narrow the search); each part at most 256 bytes, without control characters.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "name": "date",
            "in": "query",
            "required": false,
            "description": "`ge`/`le` (also `gt`, `lt`, `eq`) with a FHIR date or dateTime; may repeat.",
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            },
            "style": "form",
            "explode": true
          },
          {
            "name": "action",
            "in": "query",
            "required": false,
            "description": "C, R, U, D or E.",
            "schema": {
              "type": "string",
              "enum": [
                "C",
                "R",
                "U",
                "D",
                "E"
              ]
            }
          },
          {
            "name": "_count",
            "in": "query",
            "required": false,
            "description": "1 to 500.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500
            }
          },
          {
            "name": "_cursor",
            "in": "query",
            "required": false,
            "description": "From the `next` link.",
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A searchset Bundle.",
            "content": {
              "application/fhir+json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "resourceType"
                  ],
                  "properties": {
                    "resourceType": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          },
          "400": {
            "description": "OperationOutcome `invalid`: a search parameter is not valid.",
            "content": {
              "application/fhir+json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "resourceType",
                    "issue"
                  ],
                  "properties": {
                    "resourceType": {
                      "const": "OperationOutcome"
                    },
                    "issue": {
                      "type": "array"
                    }
                  }
                }
              }
            }
          },
          "401": {
            "description": "OperationOutcome `login`: no valid credential.",
            "content": {
              "application/fhir+json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "resourceType",
                    "issue"
                  ],
                  "properties": {
                    "resourceType": {
                      "const": "OperationOutcome"
                    },
                    "issue": {
                      "type": "array"
                    }
                  }
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "403": {
            "description": "OperationOutcome `forbidden`: the token lacks `audit:read`.",
            "content": {
              "application/fhir+json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "resourceType",
                    "issue"
                  ],
                  "properties": {
                    "resourceType": {
                      "const": "OperationOutcome"
                    },
                    "issue": {
                      "type": "array"
                    }
                  }
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "503": {
            "description": "OperationOutcome `transient`: the ledger cannot answer now.",
            "content": {
              "application/fhir+json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "resourceType",
                    "issue"
                  ],
                  "properties": {
                    "resourceType": {
                      "const": "OperationOutcome"
                    },
                    "issue": {
                      "type": "array"
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "/fhir/AuditEvent/{id}": {
      "get": {
        "tags": [
          "fhir"
        ],
        "operationId": "read_audit_event",
        "summary": "FHIR R4 AuditEvent read",
        "description": "One record as an AuditEvent; the read is recorded.",
        "security": [
          {
            "auditToken": []
          },
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The AuditEvent.",
            "content": {
              "application/fhir+json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "resourceType"
                  ],
                  "properties": {
                    "resourceType": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          },
          "404": {
            "description": "OperationOutcome `not-found`.",
            "content": {
              "application/fhir+json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "resourceType",
                    "issue"
                  ],
                  "properties": {
                    "resourceType": {
                      "const": "OperationOutcome"
                    },
                    "issue": {
                      "type": "array"
                    }
                  }
                }
              }
            }
          },
          "401": {
            "description": "OperationOutcome `login`: no valid credential.",
            "content": {
              "application/fhir+json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "resourceType",
                    "issue"
                  ],
                  "properties": {
                    "resourceType": {
                      "const": "OperationOutcome"
                    },
                    "issue": {
                      "type": "array"
                    }
                  }
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "403": {
            "description": "OperationOutcome `forbidden`: the token lacks `audit:read`.",
            "content": {
              "application/fhir+json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "resourceType",
                    "issue"
                  ],
                  "properties": {
                    "resourceType": {
                      "const": "OperationOutcome"
                    },
                    "issue": {
                      "type": "array"
                    }
                  }
                }
              }
            },
            "headers": {
              "WWW-Authenticate": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "503": {
            "description": "OperationOutcome `transient`: the ledger cannot answer now.",
            "content": {
              "application/fhir+json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "resourceType",
                    "issue"
                  ],
                  "properties": {
                    "resourceType": {
                      "const": "OperationOutcome"
                    },
                    "issue": {
                      "type": "array"
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "/audit/checkpoints/latest": {
      "get": {
        "tags": [
          "audit"
        ],
        "operationId": "latest_checkpoint",
        "summary": "The newest signed checkpoint",
        "description": "For an outside witness to keep; `grantledger verify --checkpoint FILE` takes this JSON.",
        "security": [
          {
            "auditToken": []
          },
          {
            "adminCredential": []
          }
        ],
        "responses": {
          "200": {
            "description": "The checkpoint.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Checkpoint"
                }
              }
            }
          },
          "404": {
            "description": "No checkpoint written yet.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditError"
                }
              }
            }
          },
          "401": {
            "description": "No credential, or not a valid one.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditError"
                }
              }
            }
          },
          "403": {
            "description": "`insufficient_scope`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditError"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    },
    "/admin/organizations": {
      "post": {
        "tags": [
          "admin"
        ],
        "operationId": "create_organization",
        "summary": "Register a care organisation",
        "description": "Legal entities of contracts are looked up here (name and city for a DID). Registering a removed organisation's DID again registers it anew.",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateOrganizationRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Registered.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Organization"
                }
              }
            },
            "headers": {
              "Location": {
                "$ref": "#/components/headers/Location"
              }
            },
            "links": {
              "get_organization": {
                "operationId": "get_organization",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "update_organization": {
                "operationId": "update_organization",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "delete_organization": {
                "operationId": "delete_organization",
                "parameters": {
                  "id": "$response.body#/id"
                }
              }
            }
          },
          "400": {
            "description": "`invalid_json`, `invalid_field` (a missing member, an id that is not a DID, a name or city that is empty or too long), `unknown_field`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorInvalidJsonInvalidFieldUnknownField"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "409": {
            "description": "`already_exists`: an organisation with this DID is registered.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorAlreadyExists"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      },
      "get": {
        "tags": [
          "admin"
        ],
        "operationId": "list_organizations",
        "summary": "List care organisations",
        "description": "By id; removed ones are left out.",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "1 to 500; default 100.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500
            }
          },
          {
            "name": "after",
            "in": "query",
            "required": false,
            "description": "The previous page's `next_after` (at most 256 bytes).",
            "schema": {
              "type": "string",
              "maxLength": 256
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of organisations.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OrganizationList"
                }
              }
            }
          },
          "400": {
            "description": "`invalid_query`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorInvalidQuery"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      }
    },
    "/admin/organizations/{id}": {
      "get": {
        "tags": [
          "admin"
        ],
        "operationId": "get_organization",
        "summary": "Read a care organisation",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The organisation's DID; percent-encoding is allowed (`did%3Anuts%3A…`). Anything else is 404.",
            "schema": {
              "type": "string",
              "minLength": 7,
              "maxLength": 256,
              "pattern": "^did:[!\"$-.0-9;->@-~]+:[!\"$-.0-~]+$",
              "examples": [
                "did:nuts:Ft8NrHvkVkeKwPJXAiBTxEp1TnoqCzAazQXqtKTKfXmq"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The organisation.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Organization"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "404": {
            "description": "`not_found` (or removed, or not a DID).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          }
        }
      },
      "put": {
        "tags": [
          "admin"
        ],
        "operationId": "update_organization",
        "summary": "Change a care organisation's name and city",
        "description": "Contracts drawn up before keep the name and city they name.",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The organisation's DID; percent-encoding is allowed (`did%3Anuts%3A…`). Anything else is 404.",
            "schema": {
              "type": "string",
              "minLength": 7,
              "maxLength": 256,
              "pattern": "^did:[!\"$-.0-9;->@-~]+:[!\"$-.0-~]+$",
              "examples": [
                "did:nuts:Ft8NrHvkVkeKwPJXAiBTxEp1TnoqCzAazQXqtKTKfXmq"
              ]
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/UpdateOrganizationRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The organisation as changed.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Organization"
                }
              }
            }
          },
          "400": {
            "description": "`invalid_json`, `invalid_field` (including an `id` other than the path's), `unknown_field`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorInvalidJsonInvalidFieldUnknownField"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "404": {
            "description": "`not_found` (or removed, or not a DID).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      },
      "delete": {
        "tags": [
          "admin"
        ],
        "operationId": "delete_organization",
        "summary": "Remove a care organisation",
        "description": "No new contracts are drawn up for it; those signed before stay verifiable. The body is not read.",
        "security": [
          {
            "adminCredential": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The organisation's DID; percent-encoding is allowed (`did%3Anuts%3A…`). Anything else is 404.",
            "schema": {
              "type": "string",
              "minLength": 7,
              "maxLength": 256,
              "pattern": "^did:[!\"$-.0-9;->@-~]+:[!\"$-.0-~]+$",
              "examples": [
                "did:nuts:Ft8NrHvkVkeKwPJXAiBTxEp1TnoqCzAazQXqtKTKfXmq"
              ]
            }
          },
          {
            "$ref": "#/components/parameters/XRequestId"
          },
          {
            "$ref": "#/components/parameters/XPurpose"
          }
        ],
        "responses": {
          "204": {
            "description": "Removed."
          },
          "401": {
            "$ref": "#/components/responses/AdminUnauthorized"
          },
          "404": {
            "description": "`not_found` (or removed, or not a DID).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiErrorNotFound"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/WriterUnavailable"
          }
        }
      }
    },
    "/internal/auth/v1/contract/drawup": {
      "put": {
        "tags": [
          "nuts-internal"
        ],
        "operationId": "nuts_draw_up_contract",
        "summary": "Draw up a login contract (Nuts `drawUpContract`)",
        "description": "The contract text for an organisation in the registry (`legalEntity`), valid from `validFrom` for `validDuration`. Checked in the node's order: validFrom, validDuration, the template (404), the DID (400), the registry (404). Writes nothing.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "oauthAccessToken": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NutsDrawUpContractRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The contract.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsContractResponse"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "description": "A member is missing or not a string, `validFrom` or `validDuration` cannot be parsed, `legalEntity` is not a DID, or the body is not a JSON object.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsProblem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/NutsUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/NutsForbidden"
          },
          "404": {
            "description": "No template for this type, language and version, or no organisation with this DID in the registry.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsProblem"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/NutsMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/NutsBodyTooLarge"
          }
        }
      }
    },
    "/internal/auth/v1/signature/session": {
      "post": {
        "tags": [
          "nuts-internal"
        ],
        "operationId": "nuts_create_sign_session",
        "summary": "Start a signing session (Nuts `createSignSession`)",
        "description": "Signs `payload`, a contract drawn up here (v3, valid now or later, for a registered organisation), with `means`. For employeeid the practitioner signs on the page `sessionPtr.url`; for dummy (`--signing-means dummy`) the session completes by polling.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "oauthAccessToken": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NutsSignSessionRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Started.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsSignSessionResponse"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            },
            "links": {
              "nuts_get_sign_session_status": {
                "operationId": "nuts_get_sign_session_status",
                "parameters": {
                  "sessionID": "$response.body#/sessionID"
                }
              }
            }
          },
          "400": {
            "description": "`unable to create sign challenge: …`: an unknown or disabled means, an empty or invalid contract, or invalid params; or the body is not a JSON object.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsProblem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/NutsUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/NutsForbidden"
          },
          "405": {
            "$ref": "#/components/responses/NutsMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/NutsBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/NutsUnavailable"
          }
        }
      }
    },
    "/internal/auth/v1/signature/session/{sessionID}": {
      "get": {
        "tags": [
          "nuts-internal"
        ],
        "operationId": "nuts_get_sign_session_status",
        "summary": "A signing session's status (Nuts `getSignSessionStatus`)",
        "description": "The first `completed` answer carries the signed presentation; later ones say `vp-requested`. Each call is recorded (a dummy session advances one status per call).",
        "security": [
          {
            "adminCredential": []
          },
          {
            "oauthAccessToken": []
          }
        ],
        "parameters": [
          {
            "name": "sessionID",
            "in": "path",
            "required": true,
            "description": "The `sessionID` of `POST signature/session` (a longer one than 64 bytes is 404).",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The status.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsSignSessionStatusResponse"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/NutsUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/NutsForbidden"
          },
          "404": {
            "description": "`failed to get session status for <id>, reason: session not found`.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsProblem"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/NutsMethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/NutsUnavailable"
          }
        }
      }
    },
    "/internal/auth/v1/signature/verify": {
      "put": {
        "tags": [
          "nuts-internal"
        ],
        "operationId": "nuts_verify_signature",
        "summary": "Verify a signed presentation (Nuts `verifySignature`)",
        "description": "200 whatever the presentation's validity: `{\"validity\": false}` for one this ledger did not sign, or whose contract is not valid at `checkTime`. Writes nothing.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "oauthAccessToken": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NutsSignatureVerificationRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The verification (not the presentation's validity).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsSignatureVerificationResponse"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "description": "`VerifiablePresentation` is missing, `checkTime` cannot be parsed, or the body is not a JSON object.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsProblem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/NutsUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/NutsForbidden"
          },
          "405": {
            "$ref": "#/components/responses/NutsMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/NutsBodyTooLarge"
          }
        }
      }
    },
    "/internal/auth/v1/request-access-token": {
      "post": {
        "tags": [
          "nuts-internal"
        ],
        "operationId": "nuts_request_access_token",
        "summary": "Request an access token for a signed-in practitioner (Nuts `requestAccessToken`)",
        "description": "Issued by this ledger when `identity` is a presentation it signed, valid now, for the organisation `requester`. The token is recorded; its lifetime is `--nuts-access-token-lifetime-sec` (60 s by default, RFC003 §5.3).",
        "security": [
          {
            "adminCredential": []
          },
          {
            "oauthAccessToken": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NutsRequestAccessTokenRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The access token.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsAccessTokenResponse"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "description": "`authorizer` or `requester` is not a DID, `service` is empty or longer than 128 bytes, more than 16 credentials, `identity` is missing or not valid (`identity validation failed: …`), or it was signed for another organisation (`legal entity mismatch`).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsProblem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/NutsUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/NutsForbidden"
          },
          "405": {
            "$ref": "#/components/responses/NutsMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/NutsBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/NutsUnavailable"
          }
        }
      }
    },
    "/internal/auth/v1/accesstoken/introspect": {
      "post": {
        "tags": [
          "nuts-internal"
        ],
        "operationId": "nuts_introspect_access_token",
        "summary": "Introspect a Nuts access token (Nuts `introspectAccessToken`)",
        "description": "RFC 7662 with the signer's attributes. Any token that is not one of this ledger's active Nuts access tokens answers exactly `{\"active\": false}`.",
        "security": [
          {
            "adminCredential": []
          },
          {
            "oauthAccessToken": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "type": "object",
                "required": [
                  "token"
                ],
                "properties": {
                  "token": {
                    "type": "string",
                    "description": "The access token."
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The introspection.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsTokenIntrospectionResponse"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "description": "The form cannot be read: not `application/x-www-form-urlencoded`, not valid percent-encoding, or a parameter given twice.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsProblem"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/NutsUnauthorized"
          },
          "403": {
            "$ref": "#/components/responses/NutsForbidden"
          },
          "405": {
            "$ref": "#/components/responses/NutsMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/NutsBodyTooLarge"
          }
        }
      }
    },
    "/internal/auth/v1/accesstoken/verify": {
      "head": {
        "tags": [
          "nuts-internal"
        ],
        "operationId": "nuts_verify_access_token",
        "summary": "Check a Nuts access token (Nuts `verifyAccessToken`)",
        "description": "The Bearer is the token checked, as the node does; no other credential. Both answers have no body.",
        "security": [
          {
            "nutsAccessToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "The access token is valid: this ledger issued it and it has not expired."
          },
          "403": {
            "description": "The given access token is invalid or could not be verified (or none was sent)."
          },
          "405": {
            "$ref": "#/components/responses/NutsMethodNotAllowed"
          }
        }
      }
    },
    "/public/auth/v1/contract/{contractType}": {
      "get": {
        "tags": [
          "nuts-public"
        ],
        "operationId": "nuts_get_contract_by_type",
        "summary": "A contract template (Nuts `getContractByType`)",
        "description": "`language` defaults to `nl`, as the node's specification says, and is matched without regard to case.",
        "security": [],
        "parameters": [
          {
            "name": "contractType",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 64
            },
            "examples": {
              "en": {
                "value": "PractitionerLogin"
              },
              "nl": {
                "value": "BehandelaarLogin"
              }
            }
          },
          {
            "name": "language",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "default": "nl",
              "maxLength": 8
            }
          },
          {
            "name": "version",
            "in": "query",
            "required": false,
            "description": "The latest (`v3`) when omitted.",
            "schema": {
              "type": "string",
              "maxLength": 8
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The template.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsContract"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "404": {
            "description": "`could not find contract template`.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsProblem"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/NutsMethodNotAllowed"
          }
        }
      }
    },
    "/public/auth/v1/means/employeeid/{sessionID}": {
      "get": {
        "tags": [
          "nuts-public"
        ],
        "operationId": "nuts_employeeid_page",
        "summary": "The employeeid means' signing page",
        "description": "What the practitioner is asked to sign, in the contract's language, with buttons to sign or decline. Viewing an open session starts it (`in-progress`); a closed one shows its outcome.",
        "security": [],
        "parameters": [
          {
            "name": "sessionID",
            "in": "path",
            "required": true,
            "description": "The `sessionID` of `POST signature/session` (a longer one than 64 bytes is 404).",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The page.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              },
              "Content-Security-Policy": {
                "$ref": "#/components/headers/Content-Security-Policy"
              }
            }
          },
          "404": {
            "description": "A page: there is no employeeid session with this id.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              },
              "Content-Security-Policy": {
                "$ref": "#/components/headers/Content-Security-Policy"
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/NutsMethodNotAllowed"
          },
          "503": {
            "$ref": "#/components/responses/NutsUnavailable"
          }
        }
      },
      "post": {
        "tags": [
          "nuts-public"
        ],
        "operationId": "nuts_employeeid_decide",
        "summary": "Sign or decline on the employeeid page",
        "description": "The page's form. With the page's `secret`, `accept=true` completes the session and `accept=false` cancels it; a wrong secret ends it as `errored`. Then back to the page (post/redirect/get).",
        "security": [],
        "parameters": [
          {
            "name": "sessionID",
            "in": "path",
            "required": true,
            "description": "The `sessionID` of `POST signature/session` (a longer one than 64 bytes is 404).",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 64
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "type": "object",
                "required": [
                  "accept",
                  "secret"
                ],
                "properties": {
                  "accept": {
                    "type": "string",
                    "enum": [
                      "true",
                      "false"
                    ]
                  },
                  "secret": {
                    "type": "string",
                    "description": "The page's hidden secret."
                  }
                }
              }
            }
          }
        },
        "responses": {
          "302": {
            "description": "To the page again (`./<sessionID>`).",
            "headers": {
              "Location": {
                "description": "`./<sessionID>`.",
                "required": true,
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "description": "A page: `accept` is neither `true` nor `false`; or the form cannot be read (not form-urlencoded, bad percent-encoding, a parameter twice).",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              },
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/NutsProblem"
                }
              },
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                }
              }
            }
          },
          "404": {
            "description": "A page: no such session, or it is not in progress (expired, or decided already).",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "headers": {
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              },
              "Content-Security-Policy": {
                "$ref": "#/components/headers/Content-Security-Policy"
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/NutsMethodNotAllowed"
          },
          "413": {
            "$ref": "#/components/responses/NutsBodyTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/NutsUnavailable"
          }
        }
      }
    }
  },
  "components": {
    "schemas": {
      "ApiError": {
        "type": "object",
        "title": "ApiError",
        "description": "The `{code, message}` error of the admin, operations and budget-service surfaces (and of the router's own refusals outside `/oauth/`, `/umanwc/` and `/v1/`). `code` is a stable snake_case string a client may match on; `message` is for people.",
        "additionalProperties": false,
        "required": [
          "code",
          "message"
        ],
        "properties": {
          "code": {
            "type": "string",
            "description": "Stable error code.",
            "examples": [
              "invalid_field"
            ]
          },
          "message": {
            "type": "string",
            "description": "What went wrong, for people.",
            "examples": [
              "name: must not be empty"
            ]
          }
        }
      },
      "WriterUnavailableError": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "overloaded",
                  "shutting_down",
                  "storage_unavailable"
                ]
              }
            }
          }
        ],
        "description": "The ledger's writer refused the durable write: its queue is full (`overloaded`, with `Retry-After: 1`), the server is shutting down (`shutting_down`, with `Retry-After: 1`), or the database could not commit (`storage_unavailable`). Same shape on every surface that answers it with `{code, message}`, the UMA surfaces included (these codes are not UMA `ErrorCode`s)."
      },
      "BodyTooLargeError": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "body_too_large"
                ]
              }
            }
          }
        ],
        "description": "The request body is larger than the server's limit (`--body-bytes-max`, 65536 bytes by default)."
      },
      "IdempotencyKeyReusedError": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "idempotency_key_reused"
                ]
              }
            }
          }
        ],
        "description": "This `Idempotency-Key` was already used for a different request (another method, path or body)."
      },
      "ErrorCode": {
        "type": "string",
        "enum": [
          "RATE_LIMITED",
          "NOT_IMPLEMENTED",
          "INSUFFICIENT_BALANCE",
          "PAYMENT_FAILED",
          "NOT_FOUND",
          "QUOTA_EXCEEDED",
          "RESTRICTED",
          "UNAUTHORIZED",
          "INTERNAL",
          "OTHER"
        ],
        "description": "The NIP47 response error code."
      },
      "ErrorResponse": {
        "type": "object",
        "description": "UMA Auth API error. GrantLedger maps codes to statuses: UNAUTHORIZED 401, RESTRICTED 403, QUOTA_EXCEEDED and INSUFFICIENT_BALANCE 402, NOT_FOUND 404, PAYMENT_FAILED and OTHER 400 (OTHER also 409 for a conflicting ledger state and 405 for a method the path does not answer), RATE_LIMITED 429, NOT_IMPLEMENTED 501, INTERNAL 502.",
        "properties": {
          "code": {
            "$ref": "#/components/schemas/ErrorCode"
          },
          "message": {
            "type": "string",
            "description": "The error message.",
            "examples": [
              "This feature is not implemented."
            ]
          }
        },
        "required": [
          "code",
          "message"
        ]
      },
      "SeedError": {
        "type": "object",
        "title": "SeedError",
        "description": "The token exchange's error (seed 000's shape, read by an unchanged NWC image): `{\"error\": \"...\"}`.",
        "additionalProperties": false,
        "required": [
          "error"
        ],
        "properties": {
          "error": {
            "type": "string",
            "description": "What went wrong.",
            "examples": [
              "Unauthorized: token expired"
            ]
          }
        }
      },
      "OAuthError": {
        "type": "object",
        "title": "OAuthError",
        "description": "RFC 6749 §5.2 error: `{error, error_description}`, sent with `Cache-Control: no-store`.",
        "additionalProperties": false,
        "required": [
          "error",
          "error_description"
        ],
        "properties": {
          "error": {
            "type": "string",
            "description": "RFC 6749 / RFC 8628 error code (or GrantLedger's `login_required`, `temporarily_unavailable`, `quota_exceeded`, `origin_*`).",
            "examples": [
              "invalid_request"
            ]
          },
          "error_description": {
            "type": "string",
            "description": "What went wrong, for people."
          }
        }
      },
      "BearerChallengeError": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "invalid_request",
                  "invalid_token",
                  "insufficient_scope"
                ]
              }
            }
          }
        ],
        "description": "RFC 6750 §3 refusal of a protected resource, with a `WWW-Authenticate: Bearer realm=\"grantledger\"[, error=..., error_description=..., scope=...]` challenge. `invalid_request` when no token was sent (401), `invalid_token` when it failed a check (401), `insufficient_scope` when it lacks the route's scope (403)."
      },
      "QuotaExceededError": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "quota_exceeded"
                ]
              }
            }
          }
        ],
        "description": "The payment does not fit in what is left of the grant's budget (or its per-payment cap)."
      },
      "OriginError": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "origin_unreachable",
                  "origin_connection_lost",
                  "origin_response_too_large",
                  "origin_timed_out",
                  "origin_invalid_request"
                ]
              }
            }
          }
        ],
        "description": "The gateway could not get a whole answer from the origin: 502 `origin_unreachable`, `origin_connection_lost`, `origin_response_too_large`; 504 `origin_timed_out`; 400 `origin_invalid_request` for a request target or identity that cannot be forwarded."
      },
      "ClearAuthError": {
        "type": "object",
        "title": "ClearAuthError",
        "description": "NUT-21 error (Cashu's shape): 30001 no `Clear-auth` token, 30002 the token failed a check or the user is rate limited.",
        "additionalProperties": false,
        "required": [
          "detail",
          "code"
        ],
        "properties": {
          "detail": {
            "type": "string",
            "description": "What went wrong.",
            "examples": [
              "Endpoint requires clear auth"
            ]
          },
          "code": {
            "type": "integer",
            "enum": [
              30001,
              30002
            ]
          }
        }
      },
      "OriginPlainError": {
        "type": "object",
        "title": "OriginPlainError",
        "description": "An error answered by the origin itself and forwarded as is; the built-in mock origin (LNDhub's shape) answers `{\"error\": \"...\"}`.",
        "required": [
          "error"
        ],
        "properties": {
          "error": {
            "type": "string",
            "examples": [
              "payment failed: no route found"
            ]
          }
        }
      },
      "Health": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "const": "ok"
          }
        }
      },
      "Ready": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "status",
          "head_seq"
        ],
        "properties": {
          "status": {
            "const": "ready"
          },
          "head_seq": {
            "type": "integer",
            "format": "int64",
            "description": "Sequence number of the newest event in the log (0 for an empty log).",
            "minimum": 0
          }
        }
      },
      "JWK": {
        "description": "A public signing key: ES256 (access and connection tokens) or RS256 (ID tokens).",
        "oneOf": [
          {
            "$ref": "#/components/schemas/ECJWK"
          },
          {
            "$ref": "#/components/schemas/RSAJWK"
          }
        ]
      },
      "JWKSet": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "keys"
        ],
        "description": "The public keys that sign connection tokens and OAuth access tokens (active and rotated ones).",
        "properties": {
          "keys": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/JWK"
            }
          }
        }
      },
      "ConnectionBudget": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "amount",
          "currency",
          "period",
          "window"
        ],
        "properties": {
          "amount": {
            "type": "integer",
            "format": "int64",
            "description": "The limit, in the smallest unit of `currency`.",
            "minimum": 1
          },
          "currency": {
            "type": "string",
            "description": "SAT, MSAT or a 3-5 letter fiat code, upper case.",
            "examples": [
              "SAT"
            ]
          },
          "period": {
            "type": "string",
            "enum": [
              "daily",
              "weekly",
              "monthly",
              "yearly",
              "never"
            ]
          },
          "limit_msat": {
            "type": "integer",
            "format": "int64",
            "description": "The limit in msat when the currency is SAT or MSAT; absent for fiat budgets (converted at spend time)."
          },
          "window": {
            "type": "string",
            "enum": [
              "rolling",
              "calendar"
            ],
            "description": "rolling (UTC, from the budget's start) or calendar (in `time_zone`)."
          },
          "time_zone": {
            "type": "string",
            "description": "IANA zone of calendar windows."
          },
          "started_at_ms": {
            "type": "integer",
            "format": "int64",
            "description": "When the current budget started (unix ms): the anchor of rolling cycles."
          },
          "max_per_payment": {
            "type": "integer",
            "format": "int64",
            "description": "The most one payment may cost, in the unit of `amount`; absent when there is no cap.",
            "minimum": 1
          }
        }
      },
      "Connection": {
        "type": "object",
        "additionalProperties": false,
        "description": "A connection as the admin API shows it. `expires_at` in unix seconds (as sent), bookkeeping times in unix milliseconds. Absent members have no value (never null).",
        "required": [
          "id",
          "user_id",
          "name",
          "scopes",
          "status",
          "created_at_ms",
          "updated_at_ms",
          "version"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "Connection id.",
            "examples": [
              "01a22b57-78f8-712b-9ea7-0deddadc3b2b"
            ]
          },
          "user_id": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "scopes": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Sorted, without duplicates."
          },
          "budget": {
            "$ref": "#/components/schemas/ConnectionBudget"
          },
          "expires_at": {
            "type": "integer",
            "format": "int64",
            "description": "Unix seconds; absent when the connection never expires."
          },
          "status": {
            "type": "string",
            "enum": [
              "active",
              "revoked"
            ]
          },
          "created_at_ms": {
            "type": "integer",
            "format": "int64"
          },
          "updated_at_ms": {
            "type": "integer",
            "format": "int64"
          },
          "revoked_at_ms": {
            "type": "integer",
            "format": "int64"
          },
          "version": {
            "type": "integer",
            "format": "int64",
            "description": "Stream version, also sent as the `ETag`; pass it in `If-Match`.",
            "minimum": 1
          }
        }
      },
      "ConnectionList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "connections"
        ],
        "properties": {
          "connections": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Connection"
            }
          },
          "next_after": {
            "type": "string",
            "description": "Pass as `after` for the next page; absent on the last page."
          }
        }
      },
      "CreateConnectionRequest": {
        "type": "object",
        "additionalProperties": false,
        "description": "Unknown members are refused (400 `unknown_field`): a misspelt `expires_at` must not grant a connection that never expires.",
        "required": [
          "user_id",
          "name",
          "scopes"
        ],
        "properties": {
          "user_id": {
            "type": "string",
            "description": "1 to 256 characters after trimming spaces, no control characters.",
            "minLength": 1
          },
          "name": {
            "type": "string",
            "description": "1 to 200 characters after trimming spaces, no control characters.",
            "minLength": 1
          },
          "scopes": {
            "type": "array",
            "minItems": 1,
            "maxItems": 64,
            "items": {
              "type": "string",
              "pattern": "^[a-z0-9_:.-]{1,64}$"
            },
            "description": "1 to 64 scopes of 1 to 64 characters of a-z 0-9 _ : . -; duplicates fold."
          },
          "budget": {
            "type": [
              "string",
              "null"
            ],
            "description": "`<amount>[.<CUR>][/<period>][;max=<amount>]`, e.g. `50000/monthly`, `1000.USD/daily`, `50000/monthly;max=5000`: amount in the currency's smallest unit (no currency = SAT), period daily, weekly, monthly, yearly, never or none (default never). At most 64 bytes. null or absent: no budget.",
            "maxLength": 64,
            "pattern": "^[0-9]+(\\.[A-Za-z]{3,5})?(/[A-Za-z]+)?(;[Mm][Aa][Xx]=[0-9]+)?$"
          },
          "expires_at": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "description": "Unix seconds, in the future and at most 100 years away. null or absent: never expires."
          }
        }
      },
      "UpdateConnectionRequest": {
        "type": "object",
        "additionalProperties": false,
        "description": "Absent members stay as they are; `null` removes a budget or an expiry. Unknown members are refused (400 `unknown_field`).",
        "properties": {
          "name": {
            "type": [
              "string",
              "null"
            ],
            "description": "1 to 200 characters after trimming spaces; null leaves it as it is.",
            "minLength": 1
          },
          "scopes": {
            "type": [
              "array",
              "null"
            ],
            "minItems": 1,
            "maxItems": 64,
            "items": {
              "type": "string",
              "pattern": "^[a-z0-9_:.-]{1,64}$"
            },
            "description": "Replaces the scope set; null leaves it as it is."
          },
          "budget": {
            "type": [
              "string",
              "null"
            ],
            "description": "A budget string as for create; null removes the budget.",
            "maxLength": 64,
            "pattern": "^[0-9]+(\\.[A-Za-z]{3,5})?(/[A-Za-z]+)?(;[Mm][Aa][Xx]=[0-9]+)?$"
          },
          "expires_at": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "description": "Unix seconds in the future; null removes the expiry."
          }
        }
      },
      "Client": {
        "type": "object",
        "additionalProperties": false,
        "description": "An OAuth client. `client_secret` appears once, in the 201 answer that registers a confidential client.",
        "required": [
          "id",
          "client_id",
          "name",
          "redirect_uris",
          "public",
          "scopes",
          "created_at_ms",
          "updated_at_ms",
          "pkce",
          "access_token_signing_alg",
          "id_token_signed_response_alg"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "client_id": {
            "type": "string",
            "description": "Same as `id`."
          },
          "client_secret": {
            "type": "string",
            "description": "Only in the 201 answer of a confidential client's registration."
          },
          "name": {
            "type": "string"
          },
          "url": {
            "type": "string"
          },
          "image_url": {
            "type": "string"
          },
          "redirect_uris": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "public": {
            "type": "boolean"
          },
          "scopes": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "created_at_ms": {
            "type": "integer",
            "format": "int64"
          },
          "updated_at_ms": {
            "type": "integer",
            "format": "int64"
          },
          "pkce": {
            "type": "string",
            "enum": [
              "required",
              "optional"
            ],
            "description": "RFC 7636 per client: `required` (default) or `optional` (a public client that cannot send PKCE; it then relies on its redirect URI alone)."
          },
          "access_token_signing_alg": {
            "type": "string",
            "enum": [
              "ES256",
              "RS256"
            ],
            "description": "How its access tokens are signed; ES256 by default."
          },
          "id_token_signed_response_alg": {
            "type": "string",
            "enum": [
              "RS256",
              "ES256"
            ],
            "description": "How its ID tokens are signed; RS256 by default (OpenID Connect's mandatory algorithm)."
          }
        }
      },
      "ClientList": {
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/Client"
        },
        "description": "A bare array (as Alby's admin API answers); the next page's cursor is in `X-Next-After`."
      },
      "CreateClientRequest": {
        "type": "object",
        "additionalProperties": false,
        "description": "Our fields plus Alby's names for them (`imageUrl`, `domain` as one more redirect URI). Unknown members are refused (400 `unknown_field`). The redirect URIs of `redirect_uris` and `domain` together must be 1 to 16.",
        "required": [
          "name",
          "scopes"
        ],
        "properties": {
          "client_id": {
            "type": [
              "string",
              "null"
            ],
            "description": "1 to 60 characters of A-Z a-z 0-9 _ -; generated when absent.",
            "pattern": "^[A-Za-z0-9_-]{1,60}$"
          },
          "name": {
            "type": "string",
            "description": "1 to 200 characters after trimming spaces, no control characters.",
            "minLength": 1
          },
          "redirect_uris": {
            "type": [
              "array",
              "null"
            ],
            "maxItems": 16,
            "items": {
              "type": "string",
              "format": "uri",
              "minLength": 1,
              "maxLength": 2000
            },
            "description": "1 to 16 absolute URIs without fragment; plain http only to localhost, 127.0.0.1 or [::1]; not javascript:, data:, file:, vbscript:."
          },
          "domain": {
            "type": [
              "string",
              "null"
            ],
            "description": "Alby's one callback URI, appended to `redirect_uris`."
          },
          "public": {
            "type": [
              "boolean",
              "null"
            ],
            "description": "A public client has no secret and must use PKCE (default false)."
          },
          "scopes": {
            "type": "array",
            "minItems": 1,
            "maxItems": 64,
            "items": {
              "type": "string",
              "pattern": "^[a-z0-9_:.-]{1,64}$"
            },
            "description": "Known scopes only (`GET /oauth/scopes`; an unknown one is 400 `invalid_field`)."
          },
          "url": {
            "type": [
              "string",
              "null"
            ],
            "description": "http(s) landing page with a host, at most 2000 bytes.",
            "format": "uri",
            "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]"
          },
          "image_url": {
            "type": [
              "string",
              "null"
            ],
            "description": "http(s) logo URL with a host, at most 2000 bytes.",
            "format": "uri",
            "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]"
          },
          "imageUrl": {
            "type": [
              "string",
              "null"
            ],
            "description": "Alby's name for `image_url` (used when `image_url` is absent).",
            "format": "uri",
            "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]"
          },
          "pkce": {
            "type": "string",
            "enum": [
              "required",
              "optional"
            ],
            "description": "RFC 7636 per client: `required` (default) or `optional` (a public client that cannot send PKCE; it then relies on its redirect URI alone)."
          },
          "access_token_signing_alg": {
            "type": "string",
            "enum": [
              "ES256",
              "RS256"
            ],
            "description": "How its access tokens are signed; ES256 by default."
          },
          "id_token_signed_response_alg": {
            "type": "string",
            "enum": [
              "RS256",
              "ES256"
            ],
            "description": "How its ID tokens are signed; RS256 by default (OpenID Connect's mandatory algorithm)."
          }
        }
      },
      "UpdateClientRequest": {
        "type": "object",
        "additionalProperties": false,
        "description": "Replaces the fields it names; `null` removes `url` or `image_url` (`imageUrl`). Unknown members are refused (400 `unknown_field`).",
        "properties": {
          "name": {
            "type": [
              "string",
              "null"
            ],
            "minLength": 1
          },
          "redirect_uris": {
            "type": [
              "array",
              "null"
            ],
            "maxItems": 16,
            "items": {
              "type": "string",
              "format": "uri",
              "minLength": 1,
              "maxLength": 2000
            },
            "description": "1 to 16 absolute URIs without fragment; plain http only to localhost, 127.0.0.1 or [::1]; not javascript:, data:, file:, vbscript:.",
            "minItems": 1
          },
          "scopes": {
            "type": [
              "array",
              "null"
            ],
            "minItems": 1,
            "maxItems": 64,
            "items": {
              "type": "string",
              "pattern": "^[a-z0-9_:.-]{1,64}$"
            },
            "description": "Known scopes only (`GET /oauth/scopes`)."
          },
          "url": {
            "type": [
              "string",
              "null"
            ],
            "description": "http(s) URL; null removes it.",
            "format": "uri",
            "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]"
          },
          "image_url": {
            "type": [
              "string",
              "null"
            ],
            "description": "http(s) URL; null removes it.",
            "format": "uri",
            "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]"
          },
          "imageUrl": {
            "type": [
              "string",
              "null"
            ],
            "description": "Alby's name for `image_url`.",
            "format": "uri",
            "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]"
          },
          "pkce": {
            "type": "string",
            "enum": [
              "required",
              "optional"
            ],
            "description": "RFC 7636 per client: `required` (default) or `optional` (a public client that cannot send PKCE; it then relies on its redirect URI alone)."
          },
          "access_token_signing_alg": {
            "type": "string",
            "enum": [
              "ES256",
              "RS256"
            ],
            "description": "How its access tokens are signed; ES256 by default."
          },
          "id_token_signed_response_alg": {
            "type": "string",
            "enum": [
              "RS256",
              "ES256"
            ],
            "description": "How its ID tokens are signed; RS256 by default (OpenID Connect's mandatory algorithm)."
          }
        }
      },
      "TokenExchangeRequest": {
        "type": "object",
        "description": "Unknown members are ignored: the NWC image owns this request's shape, and a newer image adding a field must not break the exchange.",
        "required": [
          "permissions"
        ],
        "properties": {
          "permissions": {
            "type": "array",
            "minItems": 1,
            "maxItems": 64,
            "items": {
              "type": "string"
            },
            "description": "Decoded as optional, but an absent, null or empty list is refused (400 \"Permissions are required.\"). NWC methods (execute_quote, fetch_quote, get_balance, get_budget, get_info, list_transactions, lookup_invoice, lookup_user, make_invoice, pay_invoice, pay_keysend, pay_to_address) or groups (read_balance, read_transactions, receive_payments, send_payments); an unknown name is 400. get_info, get_budget and lookup_user are always granted."
          },
          "expiration": {
            "type": [
              "number",
              "null"
            ],
            "exclusiveMinimum": 0,
            "description": "Unix seconds, fraction dropped; capped at the longest token life (`--token-lifetime-max-sec`, default one year), which is also the default. Must be in the future."
          },
          "budget": {
            "type": [
              "string",
              "null"
            ],
            "description": "A budget string (`<amount>[.<CUR>][/<period>][;max=<amount>]`); absent: the configured default budget.",
            "maxLength": 64
          },
          "name": {
            "type": [
              "string",
              "null"
            ],
            "description": "Connection name (default \"UMA NWC connection\"), 1 to 200 characters."
          }
        }
      },
      "TokenExchangeResponse": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "token"
        ],
        "properties": {
          "token": {
            "type": "string",
            "description": "The long-lived connection token (ES256 JWT; `aud` and `iss` are this ledger's issuer)."
          }
        }
      },
      "TransactionType": {
        "type": "string",
        "enum": [
          "incoming",
          "outgoing"
        ],
        "description": "Type of transaction: \"incoming\" for invoices, \"outgoing\" for payments."
      },
      "Transaction": {
        "type": "object",
        "description": "GrantLedger leaves members without a value out rather than sending null.",
        "properties": {
          "type": {
            "$ref": "#/components/schemas/TransactionType"
          },
          "invoice": {
            "type": [
              "string",
              "null"
            ],
            "description": "The full, encoded invoice.",
            "examples": [
              "lnbcrt1pjrsa37pp50geu5vxkzn4ddc4hmfkz9x308tw9lrrqtktz2hpm0rccjyhcyp5qdqh2d68yetpd45kueeqv3jk6mccqzpgxq9z0rgqsp5ge2rdw0tzvakxslmtvfmqf2fr7eucg9ughps5vdvp6fm2utk20rs9q8pqqqssqjs3k4nzrzg2nu9slu9c3srv2ae8v69ge097q9seukyw2nger8arj93m6erz8u657hfdzztfmc55wjjm9k337krl00fyw6s9nnwaafaspcqp2uv"
            ]
          },
          "description": {
            "type": [
              "string",
              "null"
            ],
            "description": "The invoice's description.",
            "examples": [
              "Pay for pizza."
            ]
          },
          "description_hash": {
            "type": [
              "string",
              "null"
            ],
            "description": "The invoice's description hash.",
            "examples": [
              "f1d2d2f924e986ac86fdf7b36c94bcdf32beec15"
            ]
          },
          "preimage": {
            "type": [
              "string",
              "null"
            ],
            "description": "The payment preimage, optional if unpaid.",
            "examples": [
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            ]
          },
          "payment_hash": {
            "type": "string",
            "description": "Payment hash for the payment",
            "examples": [
              "7332c2671019264cf0e9b8626bde20c9c3979799c570a276fb9512e22aef1f08"
            ]
          },
          "amount": {
            "type": "integer",
            "format": "int64",
            "description": "Value in msats.",
            "exclusiveMinimum": 0,
            "examples": [
              1000
            ]
          },
          "fees_paid": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "description": "Value in msats.",
            "minimum": 0,
            "examples": [
              1000
            ]
          },
          "created_at": {
            "type": "integer",
            "format": "int64",
            "description": "The time the payment/invoice was created.",
            "examples": [
              1683148800
            ]
          },
          "expires_at": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "description": "The time the invoice expires.",
            "examples": [
              1683148800
            ]
          },
          "settled_at": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "description": "The time at which the transaction was settled, if it was settled.",
            "examples": [
              1683148800
            ]
          },
          "metadata": {
            "type": [
              "object",
              "null"
            ],
            "description": "Additional metadata attached to the invoice (GrantLedger never sends it).",
            "examples": [
              {}
            ]
          }
        },
        "required": [
          "amount",
          "payment_hash",
          "created_at",
          "type"
        ]
      },
      "Currency": {
        "type": "object",
        "properties": {
          "code": {
            "type": "string",
            "description": "The ISO-4217 currency code.",
            "examples": [
              "USD"
            ]
          },
          "symbol": {
            "type": "string",
            "description": "The currency symbol.",
            "examples": [
              "$"
            ]
          },
          "name": {
            "type": "string",
            "description": "The currency name.",
            "examples": [
              "United States Dollar"
            ]
          },
          "decimals": {
            "type": "integer",
            "minimum": 0,
            "examples": [
              2
            ],
            "description": "Number of digits after the decimal point for display on the sender side, and to add clarity around what the \"smallest unit\" of the currency is. For example, in USD, by convention, there are 2 digits for cents - $5.95. In this case, `decimals` would be 2. Note that the multiplier is still always in the smallest unit (cents). In addition to display purposes, this field can be used to resolve ambiguity in what the multiplier means. For example, if the currency is \"BTC\" and the multiplier is 1000, really we're exchanging in SATs, so `decimals` would be 8."
          }
        },
        "required": [
          "code",
          "symbol",
          "name",
          "decimals"
        ]
      },
      "CurrencyPreference": {
        "type": "object",
        "properties": {
          "currency": {
            "$ref": "#/components/schemas/Currency"
          },
          "multiplier": {
            "type": "number",
            "exclusiveMinimum": 0,
            "examples": [
              100000000
            ],
            "description": "Estimated number of milli-sats per smallest unit of this currency (eg. cents) If base_sending_currency_code was specified, this is the rate relative to that currency instead of milli-sats."
          },
          "min": {
            "type": "integer",
            "format": "int64",
            "exclusiveMinimum": 0,
            "examples": [
              1
            ],
            "description": "The minimum amount that can be received in this currency."
          },
          "max": {
            "type": "integer",
            "format": "int64",
            "exclusiveMinimum": 0,
            "examples": [
              1000000
            ],
            "description": "The maximum amount that can be received in this currency."
          }
        },
        "required": [
          "currency",
          "multiplier",
          "min",
          "max"
        ]
      },
      "Quote": {
        "type": "object",
        "properties": {
          "sending_currency": {
            "description": "The currency of the sender's balance.",
            "$ref": "#/components/schemas/Currency"
          },
          "receiving_currency": {
            "description": "The currency of the receiver's balance.",
            "$ref": "#/components/schemas/Currency"
          },
          "payment_hash": {
            "type": "string",
            "examples": [
              "f1d2d2f924e986ac86fdf7b36c94bcdf32beec15"
            ],
            "description": "The payment hash of the quote. Used as an identifier to execute the quote."
          },
          "expires_at": {
            "type": "integer",
            "format": "int64",
            "examples": [
              1683148800
            ],
            "description": "The time the quote expires in unix timestamp."
          },
          "multiplier": {
            "type": "number",
            "exclusiveMinimum": 0,
            "examples": [
              123
            ],
            "description": "Number of sending currency units per receiving currency unit."
          },
          "fees": {
            "type": "integer",
            "format": "int64",
            "minimum": 0,
            "examples": [
              10
            ],
            "description": "The fees associated with the quote in the smallest unit of the sending currency (eg. cents)."
          },
          "total_sending_amount": {
            "type": "integer",
            "format": "int64",
            "exclusiveMinimum": 0,
            "examples": [
              123010
            ],
            "description": "The total amount that will be sent in the smallest unit of the sending currency (eg. cents)."
          },
          "total_receiving_amount": {
            "type": "integer",
            "format": "int64",
            "exclusiveMinimum": 0,
            "examples": [
              1000
            ],
            "description": "The total amount that will be received in the smallest unit of the receiving currency (eg. cents)."
          },
          "created_at": {
            "type": "integer",
            "format": "int64",
            "examples": [
              1683148800
            ],
            "description": "The time the quote was created in unix timestamp."
          }
        },
        "required": [
          "sending_currency",
          "receiving_currency",
          "payment_hash",
          "expires_at",
          "multiplier",
          "fees",
          "total_sending_amount",
          "total_receiving_amount",
          "created_at"
        ]
      },
      "LockedCurrencySide": {
        "type": "string",
        "enum": [
          "sending",
          "receiving"
        ],
        "description": "The side of the quote which should be locked and specified in the `locked_currency_amount`. For example, if I want to send exactly $5 MXN from my wallet, I would set this to \"sending\", and the `locked_currency_amount` to 500 (in cents). If I want the receiver to receive exactly $10 USD, I would set this to \"receiving\" and the `locked_currency_amount` to 10000 (in cents)."
      },
      "MakeInvoiceRequest": {
        "title": "MakeInvoiceRequest",
        "type": "object",
        "description": "Unknown members are ignored.",
        "properties": {
          "amount": {
            "type": "integer",
            "format": "int64",
            "exclusiveMinimum": 0,
            "maximum": 1000000000000000,
            "examples": [
              1000
            ],
            "description": "The amount to invoice in msats. GrantLedger: 1 to 10^18."
          },
          "description": {
            "type": [
              "string",
              "null"
            ],
            "examples": [
              "Payment for services rendered."
            ],
            "description": "A memo to attach to the invoice. GrantLedger: at most 639 bytes of UTF-8."
          },
          "description_hash": {
            "type": [
              "string",
              "null"
            ],
            "examples": [
              "f1d2d2f924e986ac86fdf7b36c94bcdf32beec15"
            ],
            "description": "A hash of a longer description field. The demo wallet wants 32 bytes of hex."
          },
          "expiry": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "exclusiveMinimum": 0,
            "examples": [
              3600
            ],
            "description": "The number of seconds until the invoice expires."
          }
        },
        "required": [
          "amount"
        ]
      },
      "PayInvoiceRequest": {
        "title": "PayInvoiceRequest",
        "type": "object",
        "description": "Unknown members are ignored.",
        "properties": {
          "invoice": {
            "type": "string",
            "description": "The bolt11 invoice to pay (for the wallet's network).",
            "examples": [
              "lntb1u1pw0k7jw"
            ]
          },
          "amount": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "exclusiveMinimum": 0,
            "examples": [
              1000
            ],
            "description": "The amount to pay for a 0-amount invoice."
          },
          "budget_currency_code": {
            "type": [
              "string",
              "null"
            ],
            "pattern": "^[A-Za-z]{3,5}$",
            "examples": [
              "USD"
            ],
            "description": "The code of the currency the sender used to set budget. Optional if the budget is set in SAT. GrantLedger: 3 to 5 letters (case-insensitive); an unknown or malformed code is 400 OTHER, refused before anything is reserved or paid. It only chooses the unit of `total_budget_currency_amount`; the budget itself is always charged in its own currency."
          }
        },
        "required": [
          "invoice"
        ]
      },
      "PayInvoiceResponse": {
        "title": "PayInvoiceResponse",
        "type": "object",
        "properties": {
          "preimage": {
            "type": "string",
            "description": "The preimage of the payment.",
            "examples": [
              "abcd1234"
            ]
          },
          "total_budget_currency_amount": {
            "type": "integer",
            "format": "int64",
            "exclusiveMinimum": 0,
            "examples": [
              1000
            ],
            "description": "The total cost of the payment in the smallest unit of `budget_currency_code` in the request. This is the amount that will be deducted from the budget for this connection. Optional if `budget_currency_code` is null. GrantLedger: amount plus fee as settled, rounded up; absent when no currency was named (or the settle could not be recorded)."
          }
        },
        "required": [
          "preimage"
        ]
      },
      "GetBalanceResponse": {
        "title": "GetBalanceResponse",
        "type": "object",
        "description": "With `--balance-view budget` (the default) a connection with a budget sees at most what is left of it.",
        "properties": {
          "balance": {
            "type": "number",
            "minimum": 0,
            "examples": [
              1000
            ],
            "description": "The balance of the user's wallet."
          },
          "currency": {
            "$ref": "#/components/schemas/Currency"
          }
        },
        "required": [
          "balance"
        ]
      },
      "LookupUserResponse": {
        "title": "LookupUserResponse",
        "type": "object",
        "properties": {
          "currencies": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/CurrencyPreference"
            },
            "description": "The currencies the receiver accepts in order of preference."
          }
        }
      },
      "ExecuteQuoteRequest": {
        "title": "ExecuteQuoteRequest",
        "type": "object",
        "description": "Unknown members are ignored. The whole body is optional: empty means `{}`.",
        "properties": {
          "budget_currency_code": {
            "type": [
              "string",
              "null"
            ],
            "pattern": "^[A-Za-z]{3,5}$",
            "examples": [
              "USD"
            ],
            "description": "The code of the currency the sender used to set budget. Optional if it is the same as `sending_currency_code`. GrantLedger: 3 to 5 letters (case-insensitive); an unknown or malformed code is 400 OTHER, refused before anything is reserved or paid. It only chooses the unit of `total_budget_currency_amount`; the budget itself is always charged in its own currency."
          }
        }
      },
      "ExecuteQuoteResponse": {
        "title": "ExecuteQuoteResponse",
        "type": "object",
        "properties": {
          "preimage": {
            "type": "string",
            "description": "The preimage of the payment.",
            "examples": [
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            ]
          },
          "total_budget_currency_amount": {
            "type": "integer",
            "format": "int64",
            "exclusiveMinimum": 0,
            "examples": [
              1000
            ],
            "description": "The total cost of the payment in the smallest unit of `budget_currency_code` in the request. This is the amount that will be deducted from the budget for this connection. Optional if `budget_currency_code` is null. GrantLedger: amount plus fee as settled, rounded up; absent when no currency was named (or the settle could not be recorded)."
          }
        },
        "required": [
          "preimage"
        ]
      },
      "PayToAddressRequest": {
        "title": "PayToAddressRequest",
        "type": "object",
        "description": "Unknown members are ignored.",
        "properties": {
          "receiver_address": {
            "type": "string",
            "description": "The LUD16 address to pay.",
            "examples": [
              "$alice@vasp.net"
            ]
          },
          "sending_currency_code": {
            "type": "string",
            "description": "The code of the currency being sent from the sender's wallet.",
            "examples": [
              "MXN"
            ]
          },
          "sending_currency_amount": {
            "type": "integer",
            "format": "int64",
            "exclusiveMinimum": 0,
            "maximum": 1000000000000000,
            "examples": [
              1000
            ],
            "description": "The amount to send in the smallest unit of the sending currency (eg. cents). GrantLedger: 1 to 10^18."
          },
          "receiving_currency_code": {
            "type": [
              "string",
              "null"
            ],
            "examples": [
              "USD"
            ],
            "description": "The code of the currency being received by the receiver. If not provided, the receiver's default currency will be used."
          },
          "budget_currency_code": {
            "type": [
              "string",
              "null"
            ],
            "pattern": "^[A-Za-z]{3,5}$",
            "examples": [
              "USD"
            ],
            "description": "The code of the currency the sender used to set budget. Optional if it is the same as `sending_currency_code`. GrantLedger: 3 to 5 letters (case-insensitive); an unknown or malformed code is 400 OTHER, refused before anything is reserved or paid. It only chooses the unit of `total_budget_currency_amount`; the budget itself is always charged in its own currency."
          }
        },
        "required": [
          "receiver_address",
          "sending_currency_code",
          "sending_currency_amount"
        ]
      },
      "PayToAddressResponse": {
        "type": "object",
        "title": "PayToAddressResponse",
        "properties": {
          "preimage": {
            "type": "string",
            "description": "The preimage of the payment.",
            "examples": [
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            ]
          },
          "quote": {
            "description": "The quote used to pay the address.",
            "$ref": "#/components/schemas/Quote"
          },
          "total_budget_currency_amount": {
            "type": "integer",
            "format": "int64",
            "exclusiveMinimum": 0,
            "examples": [
              1000
            ],
            "description": "The total cost of the payment in the smallest unit of `budget_currency_code` in the request. This is the amount that will be deducted from the budget for this connection. Optional if `budget_currency_code` is null. GrantLedger: amount plus fee as settled, rounded up; absent when no currency was named (or the settle could not be recorded)."
          }
        },
        "required": [
          "preimage",
          "quote"
        ]
      },
      "TlvRecord": {
        "type": "object",
        "description": "The tlv record.",
        "properties": {
          "type": {
            "type": "integer",
            "format": "int64",
            "description": "The tlv type",
            "examples": [
              5482373484
            ]
          },
          "value": {
            "type": "string",
            "description": "The hex encoded tlv value.",
            "examples": [
              "0123456789abcdef"
            ]
          }
        },
        "required": [
          "type",
          "value"
        ]
      },
      "PayKeysendRequest": {
        "title": "PayKeysendRequest",
        "type": "object",
        "description": "Unknown members are ignored.",
        "properties": {
          "amount": {
            "type": "integer",
            "format": "int64",
            "exclusiveMinimum": 0,
            "examples": [
              10000
            ],
            "description": "The amount to pay in msats."
          },
          "pubkey": {
            "type": "string",
            "pattern": "^[0-9A-Fa-f]{66}$",
            "examples": [
              "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            ],
            "description": "The public key of the receiver's node. GrantLedger: 66 hex digits (a compressed key), else 400 OTHER."
          },
          "preimage": {
            "type": [
              "string",
              "null"
            ],
            "description": "Preimage of the payment. The demo wallet wants 32 bytes of hex.",
            "examples": [
              "1000"
            ]
          },
          "tlv_records": {
            "type": [
              "array",
              "null"
            ],
            "maxItems": 64,
            "description": "The tlv records. GrantLedger: at most 64.",
            "items": {
              "$ref": "#/components/schemas/TlvRecord"
            }
          },
          "budget_currency_code": {
            "type": [
              "string",
              "null"
            ],
            "pattern": "^[A-Za-z]{3,5}$",
            "examples": [
              "USD"
            ],
            "description": "The code of the currency the sender used to set budget. Optional if the budget is set to SAT. GrantLedger: 3 to 5 letters (case-insensitive); an unknown or malformed code is 400 OTHER, refused before anything is reserved or paid. It only chooses the unit of `total_budget_currency_amount`; the budget itself is always charged in its own currency."
          }
        },
        "required": [
          "amount",
          "pubkey"
        ]
      },
      "PayKeysendResponse": {
        "type": "object",
        "title": "PayKeysendResponse",
        "properties": {
          "preimage": {
            "type": "string",
            "description": "The preimage of the payment.",
            "examples": [
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            ]
          },
          "total_budget_currency_amount": {
            "type": "integer",
            "format": "int64",
            "exclusiveMinimum": 0,
            "examples": [
              1000
            ],
            "description": "The total cost of the payment in the smallest unit of `budget_currency_code` in the request. This is the amount that will be deducted from the budget for this connection. Optional if `budget_currency_code` is null. GrantLedger: amount plus fee as settled, rounded up; absent when no currency was named (or the settle could not be recorded)."
          }
        },
        "required": [
          "preimage"
        ]
      },
      "GetInfoResponse": {
        "title": "GetInfoResponse",
        "type": "object",
        "properties": {
          "alias": {
            "type": "string",
            "description": "The alias of the user's node.",
            "examples": [
              "Alice's Wallet"
            ]
          },
          "color": {
            "type": "string",
            "description": "The color of the user's node.",
            "examples": [
              "#FF0000"
            ]
          },
          "pubkey": {
            "type": "string",
            "description": "The pubkey of the user's node.",
            "examples": [
              "abcd1234"
            ]
          },
          "network": {
            "type": "string",
            "description": "The bitcoin network of the user's node.",
            "examples": [
              "testnet"
            ],
            "enum": [
              "regtest",
              "signet",
              "testnet",
              "mainnet"
            ]
          },
          "block_height": {
            "type": "integer",
            "description": "The current block height of the user's node.",
            "minimum": 0,
            "examples": [
              1000
            ]
          },
          "block_hash": {
            "type": "string",
            "description": "The current block hash of the user's node.",
            "examples": [
              "abcd1234"
            ]
          },
          "methods": {
            "type": "array",
            "description": "A list of supported methods for this connection (for a user token: every method).",
            "items": {
              "type": "string",
              "description": "The name of method.",
              "examples": [
                "make_invoice"
              ]
            }
          },
          "lud16": {
            "type": "string",
            "description": "The lightning or UMA address for the user.",
            "examples": [
              "$alice@vasp.net"
            ]
          },
          "currencies": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/CurrencyPreference"
            },
            "description": "The currencies the user's wallet supports. Ordered by preference. If not provided, assume this user only supports BTC."
          }
        },
        "required": [
          "pubkey",
          "network",
          "methods"
        ]
      },
      "ListTransactionsResponse": {
        "title": "ListTransactionsResponse",
        "type": "object",
        "properties": {
          "transactions": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Transaction"
            },
            "description": "A list of transactions including invoices and payments."
          }
        },
        "required": [
          "transactions"
        ]
      },
      "BudgetEstimateResponse": {
        "title": "BudgetEstimateResponse",
        "type": "object",
        "properties": {
          "estimated_budget_currency_amount": {
            "type": "integer",
            "format": "int64",
            "exclusiveMinimum": 0,
            "examples": [
              1000
            ],
            "description": "The estimated cost of the payment in the smallest unit of `budget_currency_code`. This amount will be used to calculate the amount to hold from the budget for this connection while the payment is in-flight."
          }
        },
        "required": [
          "estimated_budget_currency_amount"
        ]
      },
      "BudgetStatus": {
        "type": "object",
        "additionalProperties": false,
        "description": "`get_budget` as NIP-47 / UMA answer it: msat figures, `renews_at` in unix seconds (absent for budgets that never renew), and for fiat budgets a `currency` block in the currency's minor units. `{}` when the connection has no budget. Fiat figures in msat are left out when the wallet gives no rate.",
        "properties": {
          "used_budget": {
            "type": "integer",
            "format": "int64",
            "description": "Used in this cycle (held and settled), msat, rounded up.",
            "minimum": 0
          },
          "total_budget": {
            "type": "integer",
            "format": "int64",
            "description": "The limit, msat, rounded down.",
            "minimum": 0
          },
          "renews_at": {
            "type": "integer",
            "format": "int64",
            "description": "When the cycle ends, unix seconds."
          },
          "renewal_period": {
            "type": "string",
            "enum": [
              "daily",
              "weekly",
              "monthly",
              "yearly",
              "never"
            ]
          },
          "currency": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "code",
              "total_budget",
              "used_budget"
            ],
            "properties": {
              "code": {
                "type": "string"
              },
              "symbol": {
                "type": "string"
              },
              "name": {
                "type": "string"
              },
              "decimals": {
                "type": "integer",
                "minimum": 0
              },
              "total_budget": {
                "type": "integer",
                "format": "int64",
                "description": "The limit in the currency's smallest unit."
              },
              "used_budget": {
                "type": "integer",
                "format": "int64",
                "description": "Used in this cycle, in the currency's smallest unit.",
                "minimum": 0
              }
            }
          }
        }
      },
      "Spend": {
        "type": "object",
        "additionalProperties": false,
        "description": "A spend (a hold against a connection's budget and what became of it). Times in unix seconds except the `_ms` bookkeeping.",
        "required": [
          "id",
          "connection_id",
          "method",
          "status",
          "amount_msat",
          "fee_reserve_msat",
          "held_amount",
          "reserved_at_ms"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "connection_id": {
            "type": "string"
          },
          "method": {
            "type": "string",
            "description": "NWC method, or the OAuth scope of a gateway payment route."
          },
          "status": {
            "type": "string",
            "enum": [
              "held",
              "settled",
              "released",
              "denied"
            ]
          },
          "amount_msat": {
            "type": "integer",
            "format": "int64",
            "description": "Reserved amount while held; the final amount once settled.",
            "minimum": 0
          },
          "fee_reserve_msat": {
            "type": "integer",
            "format": "int64",
            "minimum": 0
          },
          "fee_msat": {
            "type": "integer",
            "format": "int64",
            "description": "Fee paid, once settled.",
            "minimum": 0
          },
          "payment_hash": {
            "type": "string"
          },
          "budget_currency": {
            "type": "string",
            "description": "The budget's currency when the connection has a budget."
          },
          "held_amount": {
            "type": "integer",
            "format": "int64",
            "description": "What the hold counts against the budget, in the budget's unit (msat without a budget).",
            "minimum": 0
          },
          "charged_amount": {
            "type": "integer",
            "format": "int64",
            "description": "What the settle charged, in the budget's unit.",
            "minimum": 0
          },
          "cycle_start": {
            "type": "integer",
            "format": "int64"
          },
          "cycle_end": {
            "type": "integer",
            "format": "int64"
          },
          "expires_at": {
            "type": "integer",
            "format": "int64",
            "description": "When an unsettled hold is released by itself (unix seconds)."
          },
          "reserved_at_ms": {
            "type": "integer",
            "format": "int64"
          },
          "settled_at_ms": {
            "type": "integer",
            "format": "int64"
          },
          "released_at_ms": {
            "type": "integer",
            "format": "int64"
          },
          "reason": {
            "type": "string",
            "description": "Why it was released (released, failed, expired) or denied."
          }
        }
      },
      "ReserveSpendRequest": {
        "type": "object",
        "additionalProperties": false,
        "description": "Unknown members are refused (400 OTHER).",
        "required": [
          "amount_msat"
        ],
        "properties": {
          "amount_msat": {
            "type": "integer",
            "format": "int64",
            "description": "1 to 10^18.",
            "minimum": 1,
            "maximum": 1000000000000000
          },
          "fee_reserve_msat": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "description": "0 to 10^18 (default 0).",
            "minimum": 0,
            "maximum": 1000000000000000
          },
          "method": {
            "type": [
              "string",
              "null"
            ],
            "description": "An NWC method (default pay_invoice) or a namespaced OAuth scope such as payments:send.",
            "anyOf": [
              {
                "enum": [
                  "execute_quote",
                  "fetch_quote",
                  "get_balance",
                  "get_budget",
                  "get_info",
                  "list_transactions",
                  "lookup_invoice",
                  "lookup_user",
                  "make_invoice",
                  "pay_invoice",
                  "pay_keysend",
                  "pay_to_address"
                ]
              },
              {
                "pattern": "^(?=.*:)[a-z0-9_:.-]{1,64}$"
              }
            ]
          },
          "payment_hash": {
            "type": [
              "string",
              "null"
            ],
            "description": "64 hex digits.",
            "pattern": "^[0-9A-Fa-f]{64}$"
          },
          "estimated_budget_amount": {
            "type": "null",
            "description": "Not taken: the ledger prices the hold itself. Any value other than null is 400 OTHER."
          },
          "hold_timeout_sec": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "description": "1 to 86400 (default `--hold-timeout-sec`, 120).",
            "minimum": 1,
            "maximum": 86400
          }
        }
      },
      "SettleSpendRequest": {
        "type": "object",
        "additionalProperties": false,
        "description": "Unknown members are refused (400 OTHER).",
        "required": [
          "amount_msat"
        ],
        "properties": {
          "amount_msat": {
            "type": "integer",
            "format": "int64",
            "description": "What the payment cost without the fee, 0 to 10^18.",
            "minimum": 0,
            "maximum": 1000000000000000
          },
          "fee_msat": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "description": "0 to 10^18 (default 0).",
            "minimum": 0,
            "maximum": 1000000000000000
          },
          "budget_amount": {
            "type": "null",
            "description": "Not taken: the ledger charges amount_msat + fee_msat at the reservation's rate. Any value other than null is 400 OTHER."
          }
        }
      },
      "ReleaseSpendRequest": {
        "type": "object",
        "additionalProperties": false,
        "description": "Unknown members are refused (400 OTHER). The whole body is optional.",
        "properties": {
          "reason": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "released",
              "failed"
            ],
            "description": "Default released."
          }
        }
      },
      "ConnectionUsage": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "connection",
          "budget",
          "settled_total_msat"
        ],
        "properties": {
          "connection": {
            "$ref": "#/components/schemas/Connection"
          },
          "budget": {
            "$ref": "#/components/schemas/BudgetStatus"
          },
          "settled_total_msat": {
            "type": "integer",
            "format": "int64",
            "description": "Everything the connection has spent, settled, msat.",
            "minimum": 0
          },
          "last_spend_at_ms": {
            "type": "integer",
            "format": "int64"
          }
        }
      },
      "OwnConnectionList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "connections"
        ],
        "properties": {
          "connections": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ConnectionUsage"
            }
          },
          "next_after": {
            "type": "string",
            "description": "Pass as `after` for the next page; absent on the last page."
          }
        }
      },
      "TokenResponse": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "access_token",
          "token_type",
          "expires_in",
          "scope"
        ],
        "properties": {
          "access_token": {
            "type": "string",
            "description": "RFC 9068 JWT (`typ: at+jwt`, ES256)."
          },
          "token_type": {
            "const": "Bearer"
          },
          "expires_in": {
            "type": "integer",
            "format": "int64",
            "description": "Seconds.",
            "minimum": 0
          },
          "refresh_token": {
            "type": "string",
            "description": "Absent for client_credentials."
          },
          "scope": {
            "type": "string",
            "description": "Space-separated scopes granted."
          },
          "id_token": {
            "type": "string",
            "description": "OpenID Connect: when `openid` was granted for a user (code and device flows, and their refreshes)."
          }
        }
      },
      "DeviceAuthorizationResponse": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "device_code",
          "user_code",
          "verification_uri",
          "verification_uri_complete",
          "expires_in",
          "interval"
        ],
        "properties": {
          "device_code": {
            "type": "string"
          },
          "user_code": {
            "type": "string",
            "description": "XXXX-XXXX.",
            "pattern": "^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$"
          },
          "verification_uri": {
            "type": "string"
          },
          "verification_uri_complete": {
            "type": "string"
          },
          "expires_in": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          },
          "interval": {
            "type": "integer",
            "format": "int64",
            "minimum": 1
          }
        }
      },
      "ScopeDescriptions": {
        "type": "object",
        "additionalProperties": {
          "type": "string"
        },
        "description": "Scope → the sentence a user is shown.",
        "examples": [
          {
            "balance:read": "Read your account summary",
            "payments:send": "Send payments"
          }
        ]
      },
      "DeviceAuthorizationInfo": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "client_id",
          "client_name",
          "scopes",
          "status",
          "expires_at_ms"
        ],
        "properties": {
          "client_id": {
            "type": "string"
          },
          "client_name": {
            "type": "string"
          },
          "scopes": {
            "$ref": "#/components/schemas/ScopeDescriptions"
          },
          "status": {
            "type": "string",
            "enum": [
              "pending",
              "approved",
              "denied",
              "redeemed"
            ]
          },
          "expires_at_ms": {
            "type": "integer",
            "format": "int64"
          }
        }
      },
      "DeviceAnswer": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "status",
          "client_id"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "approved",
              "denied"
            ]
          },
          "client_id": {
            "type": "string"
          }
        }
      },
      "IntrospectionResponse": {
        "description": "RFC 7662: an active token described, or `{\"active\": false}` and nothing more.",
        "oneOf": [
          {
            "type": "object",
            "title": "ActiveToken",
            "additionalProperties": false,
            "required": [
              "active",
              "scope",
              "client_id",
              "sub",
              "exp",
              "iat",
              "iss",
              "token_type"
            ],
            "properties": {
              "active": {
                "const": true
              },
              "scope": {
                "type": "string"
              },
              "client_id": {
                "type": "string"
              },
              "sub": {
                "type": "string"
              },
              "exp": {
                "type": "integer",
                "format": "int64"
              },
              "iat": {
                "type": "integer",
                "format": "int64"
              },
              "iss": {
                "type": "string"
              },
              "aud": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              },
              "jti": {
                "type": "string"
              },
              "token_type": {
                "type": "string",
                "enum": [
                  "Bearer",
                  "refresh_token"
                ]
              }
            }
          },
          {
            "type": "object",
            "title": "InactiveToken",
            "additionalProperties": false,
            "required": [
              "active"
            ],
            "properties": {
              "active": {
                "const": false
              }
            }
          }
        ]
      },
      "AlbyIntrospectionResponse": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "client_id",
          "redirect_uri",
          "scopes"
        ],
        "properties": {
          "client_id": {
            "type": "string"
          },
          "redirect_uri": {
            "type": "string",
            "description": "The grant's redirect URI (empty for client_credentials and device grants)."
          },
          "scopes": {
            "$ref": "#/components/schemas/ScopeDescriptions"
          }
        }
      },
      "AuthorizationServerMetadata": {
        "type": "object",
        "additionalProperties": false,
        "description": "RFC 8414 metadata (also served as OpenID Connect discovery, which NUT-21 wallets read).",
        "required": [
          "issuer",
          "authorization_endpoint",
          "token_endpoint",
          "jwks_uri",
          "introspection_endpoint",
          "revocation_endpoint",
          "device_authorization_endpoint",
          "scopes_supported",
          "response_types_supported",
          "response_modes_supported",
          "grant_types_supported",
          "code_challenge_methods_supported",
          "token_endpoint_auth_methods_supported",
          "introspection_endpoint_auth_methods_supported",
          "revocation_endpoint_auth_methods_supported",
          "subject_types_supported",
          "id_token_signing_alg_values_supported",
          "access_token_signing_alg_values_supported",
          "authorization_response_iss_parameter_supported",
          "userinfo_endpoint",
          "claims_supported",
          "prompt_values_supported",
          "claims_parameter_supported",
          "request_parameter_supported",
          "request_uri_parameter_supported"
        ],
        "properties": {
          "issuer": {
            "type": "string"
          },
          "authorization_endpoint": {
            "type": "string"
          },
          "token_endpoint": {
            "type": "string"
          },
          "jwks_uri": {
            "type": "string"
          },
          "introspection_endpoint": {
            "type": "string"
          },
          "revocation_endpoint": {
            "type": "string"
          },
          "device_authorization_endpoint": {
            "type": "string"
          },
          "scopes_supported": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "response_types_supported": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "response_modes_supported": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "grant_types_supported": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "code_challenge_methods_supported": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "token_endpoint_auth_methods_supported": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "introspection_endpoint_auth_methods_supported": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "revocation_endpoint_auth_methods_supported": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "subject_types_supported": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "id_token_signing_alg_values_supported": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "access_token_signing_alg_values_supported": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "authorization_response_iss_parameter_supported": {
            "type": "boolean"
          },
          "userinfo_endpoint": {
            "type": "string"
          },
          "claims_supported": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "prompt_values_supported": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "claims_parameter_supported": {
            "type": "boolean"
          },
          "request_parameter_supported": {
            "type": "boolean"
          },
          "request_uri_parameter_supported": {
            "type": "boolean"
          }
        }
      },
      "AuthorizeParameters": {
        "type": "object",
        "description": "RFC 6749 §4.1.1 with RFC 7636. Query and form body are merged; a parameter given twice (or in both) is 400. At most 64 parameters. Unknown parameters are ignored.",
        "required": [
          "client_id",
          "response_type"
        ],
        "properties": {
          "response_type": {
            "type": "string",
            "enum": [
              "code"
            ],
            "description": "Anything else is redirected as unsupported_response_type."
          },
          "client_id": {
            "type": "string",
            "description": "At most 64 bytes; an unknown client is 400 (not redirected).",
            "maxLength": 64
          },
          "redirect_uri": {
            "type": "string",
            "description": "Must be one the client registered; required when it registered several."
          },
          "scope": {
            "type": "string",
            "description": "Space-separated known scopes (default: the client's)."
          },
          "state": {
            "type": "string",
            "description": "At most 1024 bytes; echoed in the redirect.",
            "maxLength": 1024
          },
          "code_challenge": {
            "type": "string",
            "description": "43 to 128 characters of A-Z a-z 0-9 - . _ ~ (required for public clients).",
            "pattern": "^[A-Za-z0-9._~-]{43,128}$"
          },
          "code_challenge_method": {
            "type": "string",
            "enum": [
              "S256",
              "plain"
            ],
            "description": "Default plain."
          },
          "expires_in": {
            "type": "string",
            "description": "Access-token lifetime in seconds (a positive integer), capped at the longest token life.",
            "pattern": "^[0-9]+$"
          },
          "budget": {
            "type": "string",
            "description": "A budget string for the grant (default: the configured default budget).",
            "maxLength": 64
          },
          "token": {
            "type": "string",
            "description": "The user's short-lived JWT, when it is not sent as `Authorization: Bearer` (seed 000's redirect)."
          }
        }
      },
      "TokenRequest": {
        "type": "object",
        "description": "RFC 6749 §3.2 token request. A parameter given twice is 400. Client authentication: HTTP Basic, or `client_id` (+ `client_secret` for confidential clients) in the body, never both.",
        "required": [
          "grant_type"
        ],
        "properties": {
          "grant_type": {
            "type": "string",
            "enum": [
              "authorization_code",
              "refresh_token",
              "client_credentials",
              "urn:ietf:params:oauth:grant-type:device_code"
            ]
          },
          "client_id": {
            "type": "string",
            "maxLength": 64
          },
          "client_secret": {
            "type": "string"
          },
          "code": {
            "type": "string",
            "description": "authorization_code: the code (at most 256 bytes).",
            "maxLength": 256
          },
          "redirect_uri": {
            "type": "string",
            "description": "authorization_code: as sent to /oauth/authorize, when it was sent."
          },
          "code_verifier": {
            "type": "string",
            "description": "authorization_code: PKCE verifier.",
            "pattern": "^[A-Za-z0-9._~-]{43,128}$"
          },
          "refresh_token": {
            "type": "string",
            "description": "refresh_token: the refresh token (at most 256 bytes).",
            "maxLength": 256
          },
          "scope": {
            "type": "string",
            "description": "refresh_token / client_credentials: space-separated scopes, within the grant's."
          },
          "device_code": {
            "type": "string",
            "description": "device_code: the device code (at most 256 bytes).",
            "maxLength": 256
          }
        }
      },
      "ClientAuthenticatedRequest": {
        "type": "object",
        "properties": {
          "client_id": {
            "type": "string",
            "maxLength": 64
          },
          "client_secret": {
            "type": "string"
          },
          "scope": {
            "type": "string",
            "description": "Space-separated scopes (default: the client's)."
          }
        }
      },
      "DeviceAuthorizationRequest": {
        "type": "object",
        "description": "RFC 8628 §3.1. Client authentication as at the token endpoint.",
        "properties": {
          "client_id": {
            "type": "string",
            "maxLength": 64
          },
          "client_secret": {
            "type": "string"
          },
          "scope": {
            "type": "string",
            "description": "Space-separated scopes (default: the client's)."
          }
        }
      },
      "DeviceAnswerRequest": {
        "type": "object",
        "required": [
          "user_code"
        ],
        "properties": {
          "user_code": {
            "type": "string",
            "description": "Eight letters, e.g. BCDF-GHJK (case, dashes and spaces ignored; at most 32 bytes).",
            "maxLength": 32
          },
          "action": {
            "type": "string",
            "enum": [
              "approve",
              "allow",
              "deny"
            ],
            "description": "Default approve."
          },
          "budget": {
            "type": "string",
            "description": "A budget string for the grant.",
            "maxLength": 64
          },
          "token": {
            "type": "string",
            "description": "The user's JWT when not sent as `Authorization: Bearer`."
          }
        }
      },
      "TokenParameterRequest": {
        "type": "object",
        "required": [
          "token"
        ],
        "properties": {
          "token": {
            "type": "string",
            "description": "An access token (JWT) or a refresh token, at most 8192 bytes.",
            "maxLength": 8192
          },
          "token_type_hint": {
            "type": "string",
            "description": "Ignored."
          },
          "client_id": {
            "type": "string",
            "maxLength": 64
          },
          "client_secret": {
            "type": "string"
          }
        }
      },
      "OriginBalance": {
        "type": "object",
        "required": [
          "balance"
        ],
        "properties": {
          "balance": {
            "type": "integer",
            "format": "int64",
            "description": "Sats."
          }
        }
      },
      "OriginInvoice": {
        "type": "object",
        "title": "OriginInvoice",
        "required": [
          "payment_hash",
          "payment_request",
          "amount",
          "description",
          "created_at",
          "expires_at",
          "settled",
          "type"
        ],
        "properties": {
          "payment_hash": {
            "type": "string"
          },
          "payment_request": {
            "type": "string",
            "description": "BOLT11."
          },
          "amount": {
            "type": "integer",
            "format": "int64",
            "description": "Sats (0: any amount)."
          },
          "description": {
            "type": "string"
          },
          "created_at": {
            "type": "integer",
            "format": "int64"
          },
          "expires_at": {
            "type": "integer",
            "format": "int64"
          },
          "settled": {
            "type": "boolean"
          },
          "type": {
            "const": "incoming"
          }
        }
      },
      "OriginPayment": {
        "type": "object",
        "title": "OriginPayment",
        "required": [
          "payment_hash",
          "payment_preimage",
          "amount",
          "fee",
          "status",
          "type",
          "created_at"
        ],
        "properties": {
          "payment_hash": {
            "type": "string"
          },
          "payment_preimage": {
            "type": "string"
          },
          "amount": {
            "type": "integer",
            "format": "int64",
            "description": "Sats."
          },
          "fee": {
            "type": "integer",
            "format": "int64",
            "description": "Sats."
          },
          "status": {
            "type": "string",
            "examples": [
              "settled"
            ]
          },
          "type": {
            "const": "outgoing"
          },
          "destination": {
            "type": "string"
          },
          "description": {
            "type": "string"
          },
          "created_at": {
            "type": "integer",
            "format": "int64"
          }
        }
      },
      "OriginValue4Value": {
        "type": "object",
        "required": [
          "lightning_address",
          "keysend_pubkey",
          "keysend_custom_key",
          "keysend_custom_value"
        ],
        "properties": {
          "lightning_address": {
            "type": "string"
          },
          "keysend_pubkey": {
            "type": "string"
          },
          "keysend_custom_key": {
            "type": "string"
          },
          "keysend_custom_value": {
            "type": "string"
          }
        }
      },
      "OriginCreateInvoiceRequest": {
        "type": "object",
        "properties": {
          "amount": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "description": "Sats, 0 (any amount) to 21 million BTC.",
            "minimum": 0
          },
          "description": {
            "type": [
              "string",
              "null"
            ]
          },
          "memo": {
            "type": [
              "string",
              "null"
            ],
            "description": "Used when description is absent."
          }
        }
      },
      "OriginPayInvoiceRequest": {
        "type": "object",
        "required": [
          "invoice"
        ],
        "description": "The gateway reads `invoice` (its amount) and `amount` (sats) to reserve against the grant's budget: member names case-insensitively, a member named twice is refused, and an explicit amount that differs from the invoice's is refused.",
        "properties": {
          "invoice": {
            "type": "string",
            "description": "BOLT11 invoice."
          },
          "amount": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "description": "Sats, for an invoice without an amount.",
            "minimum": 1
          }
        }
      },
      "OriginKeysendRequest": {
        "type": "object",
        "required": [
          "destination",
          "amount"
        ],
        "description": "The gateway reads `amount` (sats, a plain positive integer) to reserve against the grant's budget.",
        "properties": {
          "destination": {
            "type": "string",
            "description": "Node public key (33 bytes of hex)."
          },
          "amount": {
            "type": "integer",
            "format": "int64",
            "description": "Sats.",
            "minimum": 1
          },
          "memo": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "ProtectedEndpoint": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "method",
          "path"
        ],
        "properties": {
          "method": {
            "type": "string",
            "pattern": "^[A-Z]{1,16}$"
          },
          "path": {
            "type": "string",
            "description": "Exact, or a prefix when it ends in `*`."
          }
        }
      },
      "MintInfo": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "nuts"
        ],
        "description": "NUT-06 info with the NUT-21 block wallets read.",
        "properties": {
          "name": {
            "const": "GrantLedger"
          },
          "nuts": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "21"
            ],
            "properties": {
              "21": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "openid_discovery",
                  "client_id",
                  "protected_endpoints"
                ],
                "properties": {
                  "openid_discovery": {
                    "type": "string",
                    "description": "This ledger's `/.well-known/openid-configuration`, or `--clear-auth-discovery`."
                  },
                  "client_id": {
                    "type": "string",
                    "description": "`--clear-auth-client-id` (default cashu-client)."
                  },
                  "protected_endpoints": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/ProtectedEndpoint"
                    }
                  }
                }
              }
            }
          }
        }
      },
      "MintQuote": {
        "type": "object",
        "required": [
          "quote",
          "request",
          "unit",
          "state",
          "expiry"
        ],
        "properties": {
          "quote": {
            "type": "string"
          },
          "request": {
            "type": "string",
            "description": "BOLT11."
          },
          "amount": {
            "type": "integer",
            "format": "int64"
          },
          "unit": {
            "type": "string"
          },
          "state": {
            "type": "string",
            "examples": [
              "UNPAID"
            ]
          },
          "expiry": {
            "type": "integer",
            "format": "int64"
          }
        }
      },
      "OpenAPIDocument": {
        "type": "object",
        "required": [
          "openapi",
          "info",
          "paths"
        ],
        "properties": {
          "openapi": {
            "const": "3.1.0"
          },
          "info": {
            "type": "object"
          },
          "paths": {
            "type": "object"
          }
        }
      },
      "ApiErrorMethodNotAllowed": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "method_not_allowed"
                ]
              }
            }
          }
        ]
      },
      "ApiErrorUnauthorized": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "unauthorized"
                ]
              }
            }
          }
        ]
      },
      "UmaErrorOther": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ErrorResponse"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "OTHER"
                ]
              }
            }
          }
        ]
      },
      "UmaErrorUnauthorized": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ErrorResponse"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "UNAUTHORIZED"
                ]
              }
            }
          }
        ]
      },
      "UmaErrorRateLimited": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ErrorResponse"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "RATE_LIMITED"
                ]
              }
            }
          }
        ]
      },
      "UmaErrorNotImplemented": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ErrorResponse"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "NOT_IMPLEMENTED"
                ]
              }
            }
          }
        ]
      },
      "UmaErrorInternal": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ErrorResponse"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "INTERNAL"
                ]
              }
            }
          }
        ]
      },
      "OAuthErrorInvalidRequest": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "invalid_request"
                ]
              }
            }
          }
        ]
      },
      "OAuthErrorTemporarilyUnavailable": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "temporarily_unavailable"
                ]
              }
            }
          }
        ]
      },
      "OAuthErrorInvalidClient": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "invalid_client"
                ]
              }
            }
          }
        ]
      },
      "OAuthErrorLoginRequired": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "login_required"
                ]
              }
            }
          }
        ]
      },
      "OAuthErrorInvalidRequestInvalidToken": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "invalid_request",
                  "invalid_token"
                ]
              }
            }
          }
        ]
      },
      "OAuthErrorInsufficientScope": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "insufficient_scope"
                ]
              }
            }
          }
        ]
      },
      "UmaErrorOtherPaymentFailed": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ErrorResponse"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "OTHER",
                  "PAYMENT_FAILED"
                ]
              }
            }
          }
        ]
      },
      "UmaErrorQuotaExceededInsufficientBalance": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ErrorResponse"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "QUOTA_EXCEEDED",
                  "INSUFFICIENT_BALANCE"
                ]
              }
            }
          }
        ]
      },
      "UmaErrorNotFound": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ErrorResponse"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "NOT_FOUND"
                ]
              }
            }
          }
        ]
      },
      "ApiErrorNotReady": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "not_ready"
                ]
              }
            }
          }
        ]
      },
      "ApiErrorNotFound": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "not_found"
                ]
              }
            }
          }
        ]
      },
      "ApiErrorAlreadyExists": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "already_exists"
                ]
              }
            }
          }
        ]
      },
      "ApiErrorInvalidQuery": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "invalid_query"
                ]
              }
            }
          }
        ]
      },
      "ApiErrorAlreadyRevokedExpiredInvalidState": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "already_revoked",
                  "expired",
                  "invalid_state"
                ]
              }
            }
          }
        ]
      },
      "ApiErrorVersionConflict": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "version_conflict"
                ]
              }
            }
          }
        ]
      },
      "ApiErrorIdempotencyKeyReusedInvalidCommand": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "idempotency_key_reused",
                  "invalid_command"
                ]
              }
            }
          }
        ]
      },
      "ApiErrorInvalidFieldInvalidHeader": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "invalid_field",
                  "invalid_header"
                ]
              }
            }
          }
        ]
      },
      "ApiErrorAlreadyRevoked": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "already_revoked"
                ]
              }
            }
          }
        ]
      },
      "ApiErrorInvalidJsonInvalidFieldUnknownField": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "invalid_json",
                  "invalid_field",
                  "unknown_field"
                ]
              }
            }
          }
        ]
      },
      "UmaErrorRestricted": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ErrorResponse"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "RESTRICTED"
                ]
              }
            }
          }
        ]
      },
      "ApiErrorInvalidHeader": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiError"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "invalid_header"
                ]
              }
            }
          }
        ]
      },
      "UmaErrorQuotaExceeded": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ErrorResponse"
          },
          {
            "properties": {
              "code": {
                "enum": [
                  "QUOTA_EXCEEDED"
                ]
              }
            }
          }
        ]
      },
      "OAuthErrorInvalidRequestInvalidScopeInvalidGrant": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "invalid_request",
                  "invalid_scope",
                  "invalid_grant"
                ]
              }
            }
          }
        ]
      },
      "OAuthErrorInvalidRequestExpiredToken": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "invalid_request",
                  "expired_token"
                ]
              }
            }
          }
        ]
      },
      "OAuthErrorInvalidRequestUnauthorizedClientInvalidGrant": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "invalid_request",
                  "unauthorized_client",
                  "invalid_grant"
                ]
              }
            }
          }
        ]
      },
      "OAuthErrorOriginUnreachableOriginConnectionLostOriginResponseTooLarge": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "origin_unreachable",
                  "origin_connection_lost",
                  "origin_response_too_large"
                ]
              }
            }
          }
        ]
      },
      "OAuthErrorOriginTimedOut": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "origin_timed_out"
                ]
              }
            }
          }
        ]
      },
      "OAuthErrorOriginInvalidRequest": {
        "allOf": [
          {
            "$ref": "#/components/schemas/OAuthError"
          },
          {
            "properties": {
              "error": {
                "enum": [
                  "origin_invalid_request"
                ]
              }
            }
          }
        ]
      },
      "UserInfo": {
        "type": "object",
        "description": "OpenID Connect Core §5.3 claims.",
        "required": [
          "sub"
        ],
        "properties": {
          "sub": {
            "type": "string"
          }
        }
      },
      "ECJWK": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "kty",
          "crv",
          "x",
          "y",
          "kid",
          "use",
          "alg"
        ],
        "properties": {
          "kty": {
            "const": "EC"
          },
          "crv": {
            "const": "P-256"
          },
          "x": {
            "type": "string",
            "description": "base64url x coordinate."
          },
          "y": {
            "type": "string",
            "description": "base64url y coordinate."
          },
          "kid": {
            "type": "string",
            "description": "RFC 7638 thumbprint of the key."
          },
          "use": {
            "const": "sig"
          },
          "alg": {
            "const": "ES256"
          }
        }
      },
      "RSAJWK": {
        "type": "object",
        "additionalProperties": false,
        "description": "An RS256 public key (ID tokens, and access tokens of clients that chose RS256).",
        "required": [
          "kty",
          "n",
          "e",
          "kid",
          "use",
          "alg"
        ],
        "properties": {
          "kty": {
            "const": "RSA"
          },
          "n": {
            "type": "string"
          },
          "e": {
            "type": "string"
          },
          "kid": {
            "type": "string"
          },
          "use": {
            "const": "sig"
          },
          "alg": {
            "const": "RS256"
          }
        }
      },
      "AuditRecord": {
        "type": "object",
        "description": "A NEN 7513:2018 ch. 7 access-log record. Mandatory: event.code, action, occurred_at, user.id, user.role, subject.id_type, subject.id, authorization_protocol; responsible_user.id and .role together when present.",
        "required": [
          "event",
          "action",
          "occurred_at",
          "user",
          "subject",
          "authorization_protocol"
        ],
        "properties": {
          "record_id": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 128,
            "description": "The reporter's own id: a retry with the same one writes nothing and answers the same id."
          },
          "event": {
            "type": "object",
            "required": [
              "code"
            ],
            "properties": {
              "code": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1024
              },
              "system": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "display": {
                "type": [
                  "string",
                  "null"
                ]
              }
            }
          },
          "action": {
            "type": "string",
            "enum": [
              "C",
              "R",
              "U",
              "D",
              "E"
            ]
          },
          "occurred_at": {
            "type": "string",
            "format": "date-time"
          },
          "user": {
            "type": "object",
            "required": [
              "id",
              "role"
            ],
            "properties": {
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1024
              },
              "role": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1024
              },
              "name": {
                "type": [
                  "string",
                  "null"
                ],
                "maxLength": 1024
              }
            }
          },
          "responsible_user": {
            "oneOf": [
              {
                "type": "object",
                "required": [
                  "id",
                  "role"
                ],
                "properties": {
                  "id": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 1024
                  },
                  "role": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 1024
                  },
                  "name": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "maxLength": 1024
                  }
                }
              },
              {
                "type": "null"
              }
            ]
          },
          "subject": {
            "type": "object",
            "required": [
              "id_type",
              "id"
            ],
            "properties": {
              "id_type": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1024
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1024
              }
            }
          },
          "authorization_protocol": {
            "type": "string",
            "minLength": 1,
            "maxLength": 1024
          },
          "access_point": {
            "oneOf": [
              {
                "type": "object",
                "required": [
                  "type",
                  "id"
                ],
                "properties": {
                  "type": {
                    "type": "string"
                  },
                  "id": {
                    "type": "string"
                  }
                }
              },
              {
                "type": "null"
              }
            ]
          },
          "outcome": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "success",
              "failure",
              null
            ]
          },
          "outcome_reason": {
            "type": [
              "string",
              "null"
            ]
          },
          "emergency": {
            "type": [
              "boolean",
              "null"
            ]
          },
          "purpose": {
            "type": [
              "string",
              "null"
            ]
          },
          "data": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 4096
          },
          "query": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 4096
          },
          "request_id": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 128
          },
          "trace_id": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 128
          },
          "organization": {
            "oneOf": [
              {
                "type": "object",
                "required": [
                  "id"
                ],
                "properties": {
                  "id": {
                    "type": "string"
                  },
                  "name": {
                    "type": [
                      "string",
                      "null"
                    ]
                  }
                }
              },
              {
                "type": "null"
              }
            ]
          },
          "site_id": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "StoredAuditRecord": {
        "type": "object",
        "description": "A record as the trail holds it: the record, plus `id`, `seq`, `recorded_at` and `source.id` (the reporter's client id, `admin`, or `grantledger` for the ledger's own decisions).",
        "required": [
          "event",
          "action",
          "occurred_at",
          "user",
          "subject",
          "authorization_protocol",
          "id",
          "seq",
          "recorded_at",
          "source"
        ],
        "properties": {
          "record_id": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 128,
            "description": "The reporter's own id: a retry with the same one writes nothing and answers the same id."
          },
          "event": {
            "type": "object",
            "required": [
              "code"
            ],
            "properties": {
              "code": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1024
              },
              "system": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "display": {
                "type": [
                  "string",
                  "null"
                ]
              }
            }
          },
          "action": {
            "type": "string",
            "enum": [
              "C",
              "R",
              "U",
              "D",
              "E"
            ]
          },
          "occurred_at": {
            "type": "string",
            "format": "date-time"
          },
          "user": {
            "type": "object",
            "required": [
              "id",
              "role"
            ],
            "properties": {
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1024
              },
              "role": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1024
              },
              "name": {
                "type": [
                  "string",
                  "null"
                ],
                "maxLength": 1024
              }
            }
          },
          "responsible_user": {
            "oneOf": [
              {
                "type": "object",
                "required": [
                  "id",
                  "role"
                ],
                "properties": {
                  "id": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 1024
                  },
                  "role": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 1024
                  },
                  "name": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "maxLength": 1024
                  }
                }
              },
              {
                "type": "null"
              }
            ]
          },
          "subject": {
            "type": "object",
            "required": [
              "id_type",
              "id"
            ],
            "properties": {
              "id_type": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1024
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 1024
              }
            }
          },
          "authorization_protocol": {
            "type": "string",
            "minLength": 1,
            "maxLength": 1024
          },
          "access_point": {
            "oneOf": [
              {
                "type": "object",
                "required": [
                  "type",
                  "id"
                ],
                "properties": {
                  "type": {
                    "type": "string"
                  },
                  "id": {
                    "type": "string"
                  }
                }
              },
              {
                "type": "null"
              }
            ]
          },
          "outcome": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "success",
              "failure",
              null
            ]
          },
          "outcome_reason": {
            "type": [
              "string",
              "null"
            ]
          },
          "emergency": {
            "type": [
              "boolean",
              "null"
            ]
          },
          "purpose": {
            "type": [
              "string",
              "null"
            ]
          },
          "data": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 4096
          },
          "query": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 4096
          },
          "request_id": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 128
          },
          "trace_id": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 128
          },
          "organization": {
            "oneOf": [
              {
                "type": "object",
                "required": [
                  "id"
                ],
                "properties": {
                  "id": {
                    "type": "string"
                  },
                  "name": {
                    "type": [
                      "string",
                      "null"
                    ]
                  }
                }
              },
              {
                "type": "null"
              }
            ]
          },
          "site_id": {
            "type": [
              "string",
              "null"
            ]
          },
          "id": {
            "type": "string"
          },
          "seq": {
            "type": "integer"
          },
          "recorded_at": {
            "type": "string",
            "format": "date-time"
          },
          "source": {
            "type": "object",
            "required": [
              "id"
            ],
            "properties": {
              "id": {
                "type": "string"
              }
            }
          }
        }
      },
      "AuditPage": {
        "type": "object",
        "required": [
          "records",
          "next_cursor"
        ],
        "properties": {
          "records": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/StoredAuditRecord"
            }
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ],
            "description": "Opaque; pass as `cursor` for the next page."
          }
        }
      },
      "AuditError": {
        "type": "object",
        "required": [
          "code",
          "message"
        ],
        "properties": {
          "code": {
            "type": "string"
          },
          "message": {
            "type": "string"
          }
        }
      },
      "Checkpoint": {
        "type": "object",
        "required": [
          "ledger_id",
          "seq",
          "hash",
          "recorded_at",
          "jws"
        ],
        "properties": {
          "ledger_id": {
            "type": "string"
          },
          "seq": {
            "type": "integer"
          },
          "hash": {
            "type": "string"
          },
          "recorded_at": {
            "type": "string"
          },
          "jws": {
            "type": "string",
            "description": "ES256 compact JWS over {ledger_id, seq, hash, recorded_at}; its kid is a checkpoint key recorded in the log."
          }
        }
      },
      "NutsProblem": {
        "type": "object",
        "title": "NutsProblem",
        "description": "The Nuts node's error: RFC 7807 problem details, `application/problem+json`. `title` is `<Operation> failed` (e.g. `DrawUpContract failed`), or `Operation failed` for a refusal before the operation (credential, method, writer); `status` repeats the HTTP status.",
        "required": [
          "detail",
          "status",
          "title"
        ],
        "properties": {
          "detail": {
            "type": "string",
            "description": "What went wrong, for people.",
            "examples": [
              "could not find contract template"
            ]
          },
          "status": {
            "type": "integer",
            "description": "The HTTP status.",
            "examples": [
              404
            ]
          },
          "title": {
            "type": "string",
            "examples": [
              "GetContractByType failed"
            ]
          }
        }
      },
      "Organization": {
        "type": "object",
        "additionalProperties": false,
        "description": "A care organisation practitioners act for: what a Nuts node reads from a trusted NutsOrganizationCredential (name and city for a DID).",
        "required": [
          "id",
          "name",
          "city",
          "version"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "Its DID."
          },
          "name": {
            "type": "string"
          },
          "city": {
            "type": "string"
          },
          "version": {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "description": "1 when registered, one more for each change."
          }
        }
      },
      "OrganizationList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "organizations"
        ],
        "properties": {
          "organizations": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Organization"
            },
            "description": "By id."
          },
          "next_after": {
            "description": "The last id of this page, when the page is full: pass it as ?after= for the next one. Absent on the last page.",
            "type": "string"
          }
        }
      },
      "CreateOrganizationRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "name",
          "city"
        ],
        "description": "Unknown members are refused (400 `unknown_field`).",
        "properties": {
          "id": {
            "type": "string",
            "minLength": 7,
            "maxLength": 256,
            "pattern": "^did:[!\"$-.0-9;->@-~]+:[!\"$-.0-~]+$",
            "description": "A DID (`did:<method>:<identifier>`), at most 256 bytes of visible ASCII without `/`, `?` or `#`.",
            "examples": [
              "did:nuts:Ft8NrHvkVkeKwPJXAiBTxEp1TnoqCzAazQXqtKTKfXmq"
            ]
          },
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "pattern": "\\S",
            "description": "1 to 200 bytes, not only spaces, without control characters."
          },
          "city": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "pattern": "\\S",
            "description": "1 to 200 bytes, not only spaces, without control characters."
          }
        }
      },
      "UpdateOrganizationRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "city"
        ],
        "description": "The new name and city. `id`, when given, must be the path's.",
        "properties": {
          "id": {
            "type": "string",
            "minLength": 7,
            "maxLength": 256,
            "pattern": "^did:[!\"$-.0-9;->@-~]+:[!\"$-.0-~]+$",
            "description": "A DID (`did:<method>:<identifier>`), at most 256 bytes of visible ASCII without `/`, `?` or `#`.",
            "examples": [
              "did:nuts:Ft8NrHvkVkeKwPJXAiBTxEp1TnoqCzAazQXqtKTKfXmq"
            ]
          },
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "pattern": "\\S",
            "description": "1 to 200 bytes, not only spaces, without control characters."
          },
          "city": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "pattern": "\\S",
            "description": "1 to 200 bytes, not only spaces, without control characters."
          }
        }
      },
      "NutsDrawUpContractRequest": {
        "type": "object",
        "required": [
          "type",
          "language",
          "version",
          "legalEntity"
        ],
        "properties": {
          "type": {
            "type": "string",
            "description": "Type of which contract to sign.",
            "examples": [
              "PractitionerLogin"
            ]
          },
          "language": {
            "type": "string",
            "description": "Language of the contract in all caps.",
            "examples": [
              "EN"
            ]
          },
          "version": {
            "type": "string",
            "description": "Empty is the latest (`v3`).",
            "examples": [
              "v3"
            ]
          },
          "legalEntity": {
            "type": "string",
            "description": "DID of an organisation in the registry (`/admin/organizations`).",
            "examples": [
              "did:nuts:Ft8NrHvkVkeKwPJXAiBTxEp1TnoqCzAazQXqtKTKfXmq"
            ]
          },
          "validFrom": {
            "type": "string",
            "description": "RFC 3339; now when omitted.",
            "examples": [
              "2026-11-30T10:00:00+01:00"
            ]
          },
          "validDuration": {
            "type": "string",
            "description": "A Go duration (`s`, `m`, `h`, e.g. `2h`, `1h30m`); `--nuts-contract-validity-sec` (one hour) when omitted.",
            "examples": [
              "2h"
            ]
          }
        }
      },
      "NutsContractResponse": {
        "type": "object",
        "required": [
          "message",
          "type",
          "language",
          "version"
        ],
        "properties": {
          "message": {
            "type": "string",
            "description": "The contract text to sign (the `payload` of a signing session)."
          },
          "type": {
            "type": "string"
          },
          "language": {
            "type": "string"
          },
          "version": {
            "type": "string"
          }
        }
      },
      "NutsContract": {
        "type": "object",
        "required": [
          "type",
          "language",
          "version"
        ],
        "properties": {
          "type": {
            "type": "string"
          },
          "language": {
            "type": "string"
          },
          "version": {
            "type": "string"
          },
          "template": {
            "type": "string",
            "description": "The template's mustache text."
          },
          "template_attributes": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "signer_attributes": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "NutsSignSessionRequest": {
        "type": "object",
        "required": [
          "means",
          "payload",
          "params"
        ],
        "properties": {
          "means": {
            "type": "string",
            "enum": [
              "employeeid",
              "dummy"
            ],
            "description": "One of `--signing-means` (employeeid by default); another is 400 `unknown signing means`."
          },
          "payload": {
            "type": "string",
            "description": "The contract text drawn up by `contract/drawup` (plain text, as the node takes it)."
          },
          "params": {
            "type": "object",
            "description": "For employeeid: `{\"employer\": <the contract's legal entity DID>, \"employee\": {\"identifier\", \"initials\", \"familyName\", \"roleName\"?}}`; ignored by dummy."
          }
        }
      },
      "NutsSignSessionResponse": {
        "type": "object",
        "required": [
          "sessionID",
          "sessionPtr",
          "means"
        ],
        "properties": {
          "sessionID": {
            "type": "string"
          },
          "sessionPtr": {
            "type": "object",
            "description": "`{\"sessionID\"}`, and for employeeid the page's `url`.",
            "properties": {
              "sessionID": {
                "type": "string"
              },
              "url": {
                "type": "string"
              }
            }
          },
          "means": {
            "type": "string",
            "enum": [
              "employeeid",
              "dummy"
            ]
          }
        }
      },
      "NutsSignSessionStatusResponse": {
        "type": "object",
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "created",
              "in-progress",
              "completed",
              "vp-requested",
              "cancelled",
              "errored",
              "expired"
            ]
          },
          "verifiablePresentation": {
            "type": "object",
            "description": "Once, with the first `completed`: the W3C presentation this ledger signed."
          }
        }
      },
      "NutsSignatureVerificationRequest": {
        "type": "object",
        "required": [
          "VerifiablePresentation"
        ],
        "properties": {
          "VerifiablePresentation": {
            "type": "object",
            "description": "A presentation from a signing session."
          },
          "checkTime": {
            "type": "string",
            "description": "RFC 3339; now when omitted.",
            "examples": [
              "2026-11-30T10:30:00+01:00"
            ]
          }
        }
      },
      "NutsSignatureVerificationResponse": {
        "type": "object",
        "required": [
          "validity"
        ],
        "properties": {
          "validity": {
            "type": "boolean"
          },
          "vpType": {
            "type": "string"
          },
          "issuerAttributes": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "credentials": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          }
        }
      },
      "NutsRequestAccessTokenRequest": {
        "type": "object",
        "required": [
          "authorizer",
          "requester",
          "identity",
          "service"
        ],
        "properties": {
          "authorizer": {
            "type": "string",
            "description": "DID of the authorizer."
          },
          "requester": {
            "type": "string",
            "description": "DID of the requester: the contract's legal entity."
          },
          "identity": {
            "type": "object",
            "description": "The presentation of the signing session (required here)."
          },
          "service": {
            "type": "string",
            "description": "1 to 128 bytes."
          },
          "credentials": {
            "type": "array",
            "maxItems": 16,
            "items": {
              "type": "object"
            },
            "description": "Nuts clients send `[]`."
          }
        }
      },
      "NutsAccessTokenResponse": {
        "type": "object",
        "required": [
          "access_token",
          "token_type",
          "expires_in"
        ],
        "properties": {
          "access_token": {
            "type": "string"
          },
          "token_type": {
            "type": "string",
            "enum": [
              "bearer"
            ]
          },
          "expires_in": {
            "type": "integer",
            "description": "Seconds (`--nuts-access-token-lifetime-sec`, 60 by default)."
          }
        }
      },
      "NutsTokenIntrospectionResponse": {
        "description": "RFC 7662 with the Nuts node's claims; exactly `{\"active\": false}` for a token that is not active.",
        "oneOf": [
          {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "active"
            ],
            "properties": {
              "active": {
                "const": false
              }
            }
          },
          {
            "type": "object",
            "required": [
              "active",
              "service",
              "iss",
              "sub",
              "aud",
              "exp",
              "iat",
              "initials",
              "prefix",
              "family_name",
              "email",
              "username",
              "user_role",
              "assurance_level"
            ],
            "properties": {
              "active": {
                "const": true
              },
              "service": {
                "type": "string"
              },
              "iss": {
                "type": "string",
                "description": "DID of the authorizer."
              },
              "sub": {
                "type": "string",
                "description": "DID of the requester."
              },
              "aud": {
                "type": "string"
              },
              "exp": {
                "type": "integer"
              },
              "iat": {
                "type": "integer"
              },
              "initials": {
                "type": "string"
              },
              "prefix": {
                "type": "string"
              },
              "family_name": {
                "type": "string"
              },
              "email": {
                "type": "string"
              },
              "username": {
                "type": "string",
                "description": "The user's unique identifier."
              },
              "user_role": {
                "type": "string"
              },
              "assurance_level": {
                "type": "string",
                "enum": [
                  "low",
                  "substantial",
                  "high"
                ]
              }
            }
          }
        ]
      },
      "ObpError": {
        "type": "object",
        "required": [
          "code",
          "message"
        ],
        "additionalProperties": false,
        "description": "OBP-API's error shape: the HTTP status again, and OBP's message starting with its code.",
        "properties": {
          "code": {
            "type": "integer",
            "examples": [
              400
            ]
          },
          "message": {
            "type": "string",
            "examples": [
              "OBP-30216: Entitlement already exists for the user."
            ]
          }
        }
      },
      "ObpRouting": {
        "type": "object",
        "properties": {
          "scheme": {
            "type": "string"
          },
          "address": {
            "type": "string"
          }
        },
        "required": [
          "scheme",
          "address"
        ]
      },
      "ObpBank": {
        "type": "object",
        "description": "`BankJson500`.",
        "required": [
          "id",
          "bank_code",
          "full_name",
          "logo",
          "website",
          "bank_routings"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "bank_code": {
            "type": "string"
          },
          "full_name": {
            "type": "string"
          },
          "logo": {
            "type": "string"
          },
          "website": {
            "type": "string"
          },
          "bank_routings": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ObpRouting"
            }
          }
        }
      },
      "ObpCreateBankRequest": {
        "type": "object",
        "description": "`PostBankJson500`. Without `id` the bank gets a UUID.",
        "required": [
          "bank_code"
        ],
        "properties": {
          "id": {
            "type": "string",
            "minLength": 4,
            "maxLength": 16,
            "pattern": "^[A-Za-z0-9._-]+$",
            "examples": [
              "gh.29.uk"
            ]
          },
          "bank_code": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$",
            "minLength": 1
          },
          "full_name": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
          },
          "logo": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
          },
          "website": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
          },
          "bank_routings": {
            "type": "array",
            "maxItems": 10,
            "items": {
              "type": "object",
              "required": [
                "scheme",
                "address"
              ],
              "properties": {
                "scheme": {
                  "type": "string",
                  "maxLength": 60,
                  "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$",
                  "minLength": 1
                },
                "address": {
                  "type": "string",
                  "maxLength": 60,
                  "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$",
                  "minLength": 1
                }
              }
            }
          }
        }
      },
      "ObpAccount": {
        "type": "object",
        "description": "`CreateAccountResponseJsonV310`.",
        "required": [
          "account_id",
          "user_id",
          "label",
          "product_code",
          "balance",
          "branch_id",
          "account_routings",
          "account_attributes"
        ],
        "properties": {
          "account_id": {
            "type": "string"
          },
          "user_id": {
            "type": "string"
          },
          "label": {
            "type": "string"
          },
          "product_code": {
            "type": "string"
          },
          "balance": {
            "type": "object",
            "properties": {
              "currency": {
                "type": "string"
              },
              "amount": {
                "type": "string"
              }
            }
          },
          "branch_id": {
            "type": "string"
          },
          "account_routings": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ObpRouting"
            }
          },
          "account_attributes": {
            "type": "array",
            "items": {
              "type": "object"
            }
          }
        }
      },
      "ObpCreateAccountRequest": {
        "type": "object",
        "description": "`CreateAccountRequestJsonV500`. `user_id` (the holder, who gets the `owner` view) defaults to the caller; the admin credential must name one. The balance must be zero.",
        "properties": {
          "user_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": "^[A-Za-z0-9._-]+$"
          },
          "label": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
          },
          "product_code": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
          },
          "balance": {
            "type": "object",
            "properties": {
              "currency": {
                "type": "string",
                "pattern": "^[A-Z]{3}$"
              },
              "amount": {
                "type": "string",
                "enum": [
                  "0",
                  "0.00"
                ]
              }
            }
          },
          "branch_id": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
          },
          "account_routings": {
            "type": "array",
            "maxItems": 10,
            "items": {
              "type": "object",
              "required": [
                "scheme",
                "address"
              ],
              "properties": {
                "scheme": {
                  "type": "string",
                  "maxLength": 60,
                  "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$",
                  "minLength": 1
                },
                "address": {
                  "type": "string",
                  "maxLength": 60,
                  "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$",
                  "minLength": 1
                }
              }
            }
          }
        }
      },
      "ObpEntitlement": {
        "type": "object",
        "description": "`EntitlementJSON` (`user_id` too where OBP's v4 shape has it).",
        "required": [
          "entitlement_id",
          "role_name",
          "bank_id"
        ],
        "properties": {
          "entitlement_id": {
            "type": "string"
          },
          "role_name": {
            "type": "string"
          },
          "bank_id": {
            "type": "string"
          },
          "user_id": {
            "type": "string"
          }
        }
      },
      "ObpEntitlementList": {
        "type": "object",
        "required": [
          "list"
        ],
        "properties": {
          "list": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ObpEntitlement"
            }
          }
        }
      },
      "ObpUser": {
        "type": "object",
        "description": "`UserJsonV300` (`views` on `/users/current` only).",
        "required": [
          "user_id",
          "email",
          "provider_id",
          "provider",
          "username",
          "entitlements"
        ],
        "properties": {
          "user_id": {
            "type": "string"
          },
          "email": {
            "type": "string"
          },
          "provider_id": {
            "type": "string"
          },
          "provider": {
            "type": "string"
          },
          "username": {
            "type": "string"
          },
          "entitlements": {
            "$ref": "#/components/schemas/ObpEntitlementList"
          },
          "views": {
            "type": "object",
            "properties": {
              "list": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "bank_id": {
                      "type": "string"
                    },
                    "account_id": {
                      "type": "string"
                    },
                    "view_id": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        }
      },
      "ObpCreateUserRequest": {
        "type": "object",
        "description": "`CreateUserJson`. `password`, `first_name` and `last_name` are accepted and not kept (the operator's login system authenticates users); `provider` defaults to the issuer.",
        "required": [
          "username"
        ],
        "properties": {
          "username": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$",
            "minLength": 1
          },
          "email": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
          },
          "password": {
            "type": "string"
          },
          "first_name": {
            "type": "string"
          },
          "last_name": {
            "type": "string"
          },
          "provider": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$",
            "minLength": 1
          }
        }
      },
      "ObpEntitlementRequest": {
        "type": "object",
        "description": "`CreateEntitlementJSON`: `bank_id` is `\"\"` for a system role.",
        "required": [
          "bank_id",
          "role_name"
        ],
        "properties": {
          "bank_id": {
            "type": "string",
            "maxLength": 255,
            "examples": [
              "gh.29.uk"
            ]
          },
          "role_name": {
            "type": "string",
            "maxLength": 64,
            "examples": [
              "CanCreateAccount"
            ]
          }
        }
      },
      "ObpCreateUserWithRolesRequest": {
        "type": "object",
        "description": "`PostCreateUserWithRolesJsonV400`: `provider` must start with `dauth.`.",
        "required": [
          "username",
          "provider",
          "roles"
        ],
        "properties": {
          "username": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$",
            "minLength": 1
          },
          "provider": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$",
            "minLength": 1,
            "examples": [
              "dauth.ETHEREUM"
            ]
          },
          "roles": {
            "type": "array",
            "maxItems": 50,
            "items": {
              "$ref": "#/components/schemas/ObpEntitlementRequest"
            }
          }
        }
      },
      "ObpView": {
        "type": "object",
        "description": "`ViewJsonV300` (and `ViewJsonV500` with the grant and revoke lists): the view and its 74 `can_*` permission flags.",
        "required": [
          "id",
          "short_name",
          "description",
          "metadata_view",
          "is_public",
          "is_system",
          "alias",
          "hide_metadata_if_alias_used"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "short_name": {
            "type": "string"
          },
          "description": {
            "type": "string"
          },
          "metadata_view": {
            "type": "string"
          },
          "is_public": {
            "type": "boolean"
          },
          "is_system": {
            "type": "boolean"
          },
          "alias": {
            "type": "string"
          },
          "hide_metadata_if_alias_used": {
            "type": "boolean"
          },
          "can_grant_access_to_views": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "can_revoke_access_to_views": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        },
        "additionalProperties": {
          "type": "boolean"
        }
      },
      "ObpViewList": {
        "type": "object",
        "required": [
          "views"
        ],
        "properties": {
          "views": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ObpView"
            }
          }
        }
      },
      "ObpViewRequest": {
        "type": "object",
        "description": "`CreateViewJson` / `UpdateViewJsonV300`. A custom view's `name` starts with `_`; its id is the name without spaces, lower-cased. `allowed_actions` are view permission names (OBP's aliases `can_see_narrative`, `can_edit_narrative`, `can_see_transaction_label` too); those only a system view may carry are dropped, as OBP does.",
        "properties": {
          "name": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*$",
            "examples": [
              "_team"
            ]
          },
          "description": {
            "type": "string",
            "maxLength": 500,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
          },
          "metadata_view": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
          },
          "is_public": {
            "type": "boolean"
          },
          "which_alias_to_use": {
            "type": "string",
            "enum": [
              "",
              "public",
              "private"
            ]
          },
          "hide_metadata_if_alias_used": {
            "type": "boolean"
          },
          "allowed_actions": {
            "type": "array",
            "maxItems": 100,
            "items": {
              "type": "string",
              "examples": [
                "can_see_transaction_amount"
              ]
            }
          }
        }
      },
      "ObpAccountAccessRequest": {
        "type": "object",
        "description": "`PostAccountAccessJsonV510`: the user and the view to grant or revoke.",
        "required": [
          "user_id",
          "view_id"
        ],
        "properties": {
          "user_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": "^[A-Za-z0-9._-]+$"
          },
          "view_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": "^[A-Za-z0-9._-]+$"
          }
        }
      },
      "ObpRevoked": {
        "type": "object",
        "required": [
          "revoked"
        ],
        "properties": {
          "revoked": {
            "type": "boolean"
          }
        }
      },
      "ObpCreateUserAccountAccessRequest": {
        "type": "object",
        "description": "`PostCreateUserAccountAccessJsonV510`: the user (made if new; `provider` must start with `dauth.`) and the view to give it. `is_system` is read from the view id, as OBP does.",
        "required": [
          "username",
          "provider",
          "view_id"
        ],
        "properties": {
          "username": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$",
            "minLength": 1
          },
          "provider": {
            "type": "string",
            "maxLength": 60,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$",
            "minLength": 1,
            "examples": [
              "dauth.ETHEREUM"
            ]
          },
          "view_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": "^[A-Za-z0-9._-]+$"
          },
          "is_system": {
            "type": "boolean"
          }
        }
      },
      "ObpAccountAccess": {
        "type": "object",
        "required": [
          "access_id",
          "bank_id",
          "account_id",
          "view_id",
          "user_id",
          "granted_at",
          "granted_by"
        ],
        "properties": {
          "access_id": {
            "type": "string"
          },
          "bank_id": {
            "type": "string"
          },
          "account_id": {
            "type": "string"
          },
          "view_id": {
            "type": "string"
          },
          "user_id": {
            "type": "string"
          },
          "granted_at": {
            "type": "string"
          },
          "granted_by": {
            "type": "string"
          },
          "revoked_at": {
            "type": "string"
          },
          "revoked_by": {
            "type": "string"
          }
        }
      },
      "ObpAccountAccessList": {
        "type": "object",
        "required": [
          "account_access"
        ],
        "description": "Who held which view on the account (now, or `at`).",
        "properties": {
          "account_access": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ObpAccountAccess"
            }
          },
          "at": {
            "type": "string",
            "format": "date-time"
          },
          "next_after_seq": {
            "type": "integer"
          }
        }
      },
      "ObpHistoryPage": {
        "type": "object",
        "required": [
          "history"
        ],
        "description": "Every grant and revocation in the order they happened, with who made each; `next_after_seq` when there may be more.",
        "properties": {
          "history": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "seq",
                "change",
                "at",
                "by"
              ],
              "properties": {
                "seq": {
                  "type": "integer"
                },
                "change": {
                  "type": "string",
                  "enum": [
                    "granted",
                    "revoked"
                  ]
                },
                "at": {
                  "type": "string"
                },
                "by": {
                  "type": "string"
                },
                "entitlement_id": {
                  "type": "string"
                },
                "role_name": {
                  "type": "string"
                },
                "bank_id": {
                  "type": "string"
                },
                "user_id": {
                  "type": "string"
                },
                "access_id": {
                  "type": "string"
                },
                "account_id": {
                  "type": "string"
                },
                "view_id": {
                  "type": "string"
                }
              }
            }
          },
          "next_after_seq": {
            "type": "integer"
          }
        }
      },
      "AuthzCheckRequest": {
        "type": "object",
        "description": "Either `permission` (a view permission, with `bank_id` and `account_id`) or `role` (with `bank_id` for a bank role).",
        "required": [
          "user_id"
        ],
        "properties": {
          "user_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "pattern": "^[A-Za-z0-9._-]+$"
          },
          "bank_id": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 255
          },
          "account_id": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 255
          },
          "permission": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 100,
            "examples": [
              "can_see_transaction_amount"
            ]
          },
          "role": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 100,
            "examples": [
              "CanGetAnyUser"
            ]
          }
        }
      },
      "AuthzCheckAnswer": {
        "type": "object",
        "required": [
          "allowed",
          "reason"
        ],
        "properties": {
          "allowed": {
            "type": "boolean"
          },
          "reason": {
            "type": "string"
          },
          "view_id": {
            "type": "string"
          },
          "entitlement_id": {
            "type": "string"
          }
        }
      }
    },
    "responses": {
      "MethodNotAllowed": {
        "description": "The path exists but does not answer this method (RFC 9110 §15.5.6).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ApiErrorMethodNotAllowed"
            }
          }
        },
        "headers": {
          "Allow": {
            "$ref": "#/components/headers/Allow"
          }
        }
      },
      "BodyTooLarge": {
        "description": "The body is larger than `--body-bytes-max` (65536 bytes by default).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/BodyTooLargeError"
            }
          }
        }
      },
      "WriterUnavailable": {
        "description": "The durable write could not be made: the writer is overloaded or shutting down, or storage failed. Retry later.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/WriterUnavailableError"
            }
          }
        },
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/Retry-After"
          }
        }
      },
      "IdempotencyKeyReused": {
        "description": "The `Idempotency-Key` was already used for a different request.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/IdempotencyKeyReusedError"
            }
          }
        }
      },
      "AdminUnauthorized": {
        "description": "No admin credential, or not the right one.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ApiErrorUnauthorized"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWW-Authenticate"
          }
        }
      },
      "UmaMethodNotAllowed": {
        "description": "The path exists but does not answer this method (UMA shape, code OTHER).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/UmaErrorOther"
            }
          }
        },
        "headers": {
          "Allow": {
            "$ref": "#/components/headers/Allow"
          }
        }
      },
      "UmaUnauthorized": {
        "description": "UNAUTHORIZED: no bearer token, or it failed a check (signature, expiry, issuer, audience, unknown to the ledger, connection revoked or expired).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/UmaErrorUnauthorized"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWW-Authenticate"
          }
        }
      },
      "UmaRateLimited": {
        "description": "RATE_LIMITED (an upstream wallet is rate limiting).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/UmaErrorRateLimited"
            }
          }
        },
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/Retry-After"
          }
        }
      },
      "UmaNotImplemented": {
        "description": "NOT_IMPLEMENTED (the wallet backend does not offer this).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/UmaErrorNotImplemented"
            }
          }
        }
      },
      "UmaBadGateway": {
        "description": "INTERNAL: the wallet backend failed (unreachable, timed out, an answer this server does not understand, no rate for a currency).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/UmaErrorInternal"
            }
          }
        }
      },
      "OAuthMethodNotAllowed": {
        "description": "The path exists but does not answer this method (OAuth shape).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
            }
          }
        },
        "headers": {
          "Allow": {
            "$ref": "#/components/headers/Allow"
          },
          "Cache-Control": {
            "$ref": "#/components/headers/Cache-Control"
          }
        }
      },
      "OAuthBodyTooLarge": {
        "description": "The form body is larger than `--body-bytes-max`.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
            }
          }
        },
        "headers": {
          "Cache-Control": {
            "$ref": "#/components/headers/Cache-Control"
          }
        }
      },
      "OAuthUnavailable": {
        "description": "The ledger could not commit or be read: `temporarily_unavailable` (with `Retry-After: 1` when the writer is overloaded or shutting down).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/OAuthErrorTemporarilyUnavailable"
            }
          }
        },
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/Retry-After"
          },
          "Cache-Control": {
            "$ref": "#/components/headers/Cache-Control"
          }
        }
      },
      "OAuthInvalidClient": {
        "description": "`invalid_client`: no client authentication, an unknown or deleted client, a wrong secret, a secret for a public client, or malformed Basic credentials. `WWW-Authenticate: Basic realm=\"grantledger\"` when the client tried HTTP Basic.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/OAuthErrorInvalidClient"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWW-Authenticate"
          },
          "Cache-Control": {
            "$ref": "#/components/headers/Cache-Control"
          }
        }
      },
      "OAuthLoginRequired": {
        "description": "`login_required`: no user token (neither `Authorization: Bearer` nor `token`), no trusted issuer configured, or the token failed a check.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/OAuthErrorLoginRequired"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWW-Authenticate"
          },
          "Cache-Control": {
            "$ref": "#/components/headers/Cache-Control"
          }
        }
      },
      "BearerUnauthorized": {
        "description": "RFC 6750 401: no access token (`invalid_request`) or it failed a check (`invalid_token`: signature, `typ`, expiry, issuer, audience, revoked, grant expired, client deleted).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/OAuthErrorInvalidRequestInvalidToken"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWW-Authenticate-Bearer"
          }
        }
      },
      "BearerForbidden": {
        "description": "RFC 6750 403 `insufficient_scope`: the token or its grant lacks the route's scope (the refusal is recorded in the ledger).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/OAuthErrorInsufficientScope"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWW-Authenticate-Bearer"
          }
        }
      },
      "UmaBadRequest": {
        "description": "OTHER for input that is wrong (bad query or body, a value out of bounds, a currency the wallet does not know); PAYMENT_FAILED only if an upstream wallet answers it.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/UmaErrorOtherPaymentFailed"
            }
          }
        }
      },
      "UmaPaymentBadRequest": {
        "description": "OTHER for input that is wrong (bad body, a value out of bounds, a malformed `budget_currency_code`, an invoice for another network, …); PAYMENT_FAILED when the wallet could not pay (the hold is released).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/UmaErrorOtherPaymentFailed"
            }
          }
        }
      },
      "UmaWalletPaymentRequired": {
        "description": "QUOTA_EXCEEDED or INSUFFICIENT_BALANCE, only when an upstream wallet answers them.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/UmaErrorQuotaExceededInsufficientBalance"
            }
          }
        }
      },
      "UmaPaymentRequired": {
        "description": "QUOTA_EXCEEDED: the payment (amount plus fee reserve, priced in the budget's currency) does not fit in what is left of the connection's budget cycle or its per-payment cap, or the budget cannot be priced now; INSUFFICIENT_BALANCE: the wallet cannot cover it.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/UmaErrorQuotaExceededInsufficientBalance"
            }
          }
        }
      },
      "UmaNotFound": {
        "description": "NOT_FOUND, when the wallet says so.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/UmaErrorNotFound"
            }
          }
        }
      },
      "UmaPaymentConflict": {
        "description": "OTHER: the ledger's state conflicts with the reservation (e.g. the budget's currency changed while the payment was being priced); retry.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/UmaErrorOther"
            }
          }
        }
      },
      "SeedMethodNotAllowed": {
        "description": "The path exists but does not answer this method (seed 000's `{\"error\"}` shape).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/SeedError"
            }
          }
        },
        "headers": {
          "Allow": {
            "$ref": "#/components/headers/Allow"
          }
        }
      },
      "Page": {
        "description": "A server-rendered page (no JavaScript, no external assets), never cached.",
        "content": {
          "text/html": {
            "schema": {
              "type": "string"
            }
          }
        },
        "headers": {
          "Cache-Control": {
            "$ref": "#/components/headers/Cache-Control"
          },
          "Content-Security-Policy": {
            "$ref": "#/components/headers/Content-Security-Policy"
          }
        }
      },
      "PageError": {
        "description": "A page saying what went wrong: the request, the session or the form's CSRF token.",
        "content": {
          "text/html": {
            "schema": {
              "type": "string"
            }
          }
        },
        "headers": {
          "Cache-Control": {
            "$ref": "#/components/headers/Cache-Control"
          }
        }
      },
      "LoginRedirect": {
        "description": "To the operator's login URL (`--login-url`, or the stand-in `/dev/login` with `--dev-login`) with `redirect_uri` back to `/oauth/login/callback`; or, after a form, to the next page.",
        "headers": {
          "Location": {
            "$ref": "#/components/headers/Redirect-Location"
          },
          "Cache-Control": {
            "$ref": "#/components/headers/Cache-Control"
          }
        }
      },
      "NutsMethodNotAllowed": {
        "description": "The path exists but does not answer this method.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/NutsProblem"
            }
          }
        },
        "headers": {
          "Allow": {
            "$ref": "#/components/headers/Allow"
          }
        }
      },
      "NutsBodyTooLarge": {
        "description": "The body is larger than `--body-bytes-max` (65536 bytes by default). Today answered as `{code: body_too_large, message}` (JSON bodies) or RFC 6749 `{error: invalid_request, error_description}` (form bodies), not as a problem.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/NutsProblem"
            }
          },
          "application/json": {
            "schema": {
              "oneOf": [
                {
                  "$ref": "#/components/schemas/BodyTooLargeError"
                },
                {
                  "$ref": "#/components/schemas/OAuthErrorInvalidRequest"
                }
              ]
            }
          }
        }
      },
      "NutsUnavailable": {
        "description": "The durable write could not be made: the writer is overloaded or shutting down (`Retry-After: 1`), or storage failed.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/NutsProblem"
            }
          }
        },
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/Retry-After"
          }
        }
      },
      "NutsUnauthorized": {
        "description": "No credential, or neither the admin credential nor a valid access token.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/NutsProblem"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWW-Authenticate"
          }
        }
      },
      "NutsForbidden": {
        "description": "The access token was not granted `nuts:internal`.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/NutsProblem"
            }
          }
        }
      },
      "ObpUnauthorized": {
        "description": "`OBP-20001`: no credential, or one that is not valid (a DAuth refusal adds its reason: `<- OBP-20069` address not allowed, `<- OBP-20071` token not valid or expired, `<- OBP-20072` not one token).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ObpError"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWW-Authenticate"
          }
        }
      },
      "ObpMethodNotAllowed": {
        "description": "`OBP-10405`: the path exists but does not answer this method.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ObpError"
            }
          }
        },
        "headers": {
          "Allow": {
            "$ref": "#/components/headers/Allow"
          }
        }
      },
      "ObpBodyTooLarge": {
        "description": "`OBP-10413`: the body is larger than `--body-bytes-max`.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ObpError"
            }
          }
        }
      },
      "ObpUnavailable": {
        "description": "`OBP-50005`: the ledger could not record the decision now (writer overloaded, shutting down, or storage failed); retry.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ObpError"
            }
          }
        },
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/Retry-After"
          }
        }
      }
    },
    "parameters": {
      "IdempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": false,
        "description": "1 to 255 visible ASCII characters (else 400 `invalid_header`). A retry with the same key gets the first answer again (`Idempotent-Replayed: true`). Keys are scoped to the caller (the admin credential, or the connection), not to the route.",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255,
          "pattern": "^[!-~]+$"
        }
      },
      "IfMatch": {
        "name": "If-Match",
        "in": "header",
        "required": false,
        "description": "The version last seen, as the `ETag` gave it (`\"3\"`, `3` or `W/\"3\"`); a stale version is 412 `version_conflict`, a malformed one 400 `invalid_header`.",
        "schema": {
          "type": "string",
          "pattern": "^\\s*(W/)?\"?[0-9]+\"?\\s*$"
        }
      },
      "XRequestId": {
        "name": "X-Request-Id",
        "in": "header",
        "required": false,
        "description": "Recorded in the audit envelope of the events this request appends when it is 1 to 128 visible ASCII characters; a fresh UUID otherwise.",
        "schema": {
          "type": "string"
        }
      },
      "XPurpose": {
        "name": "X-Purpose",
        "in": "header",
        "required": false,
        "description": "Why the caller acts, recorded in the audit envelope (ignored beyond 200 characters).",
        "schema": {
          "type": "string"
        }
      }
    },
    "headers": {
      "Allow": {
        "description": "The methods this path answers.",
        "required": true,
        "schema": {
          "type": "string",
          "examples": [
            "GET, HEAD"
          ]
        }
      },
      "WWW-Authenticate": {
        "description": "The authentication challenge.",
        "schema": {
          "type": "string"
        }
      },
      "WWW-Authenticate-Bearer": {
        "description": "RFC 6750 challenge: `Bearer realm=\"grantledger\"[, error=\"...\", error_description=\"...\"][, scope=\"...\"]`.",
        "required": true,
        "schema": {
          "type": "string"
        }
      },
      "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {
          "type": "string",
          "examples": [
            "1"
          ]
        }
      },
      "Location": {
        "description": "Where the created resource is.",
        "required": true,
        "schema": {
          "type": "string"
        }
      },
      "ETag": {
        "description": "The connection's version, quoted (`\"3\"`): send it back in `If-Match`.",
        "required": true,
        "schema": {
          "type": "string",
          "pattern": "^\"[0-9]+\"$"
        }
      },
      "Idempotent-Replayed": {
        "description": "`true` when this answer replays the first request sent with the same `Idempotency-Key`.",
        "schema": {
          "type": "string",
          "enum": [
            "true"
          ]
        }
      },
      "Cache-Control": {
        "description": "Caching directive.",
        "schema": {
          "type": "string"
        }
      },
      "X-Next-After": {
        "description": "Cursor of the next page (pass as `after`); absent on the last page.",
        "schema": {
          "type": "string"
        }
      },
      "Redirect-Location": {
        "description": "The client's redirect URI with `code`, `state` and `iss`, or with `error`, `error_description` and `state`.",
        "required": true,
        "schema": {
          "type": "string"
        }
      },
      "Content-Security-Policy": {
        "description": "The page's policy: `default-src 'none'`, its inline style by hash, `form-action` its own origin (and the client's redirect origin on a consent page), `frame-ancestors 'none'`.",
        "schema": {
          "type": "string"
        }
      }
    },
    "securitySchemes": {
      "connectionToken": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The long-lived connection token (ES256 JWT) issued by the token exchange (`POST /umanwc/token`): checked for signature, `alg`, `exp`, `iss`, `aud`, then against the ledger (known `jti`, connection active and not expired)."
      },
      "userToken": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The operator's short-lived ES256 user JWT (`sub`, `exp`, optional `address`), verified with the trusted issuer keys (`--trusted-issuer-key`, or `--dev-login`'s key for `grantledger user-token`)."
      },
      "adminCredential": {
        "type": "http",
        "scheme": "bearer",
        "description": "The admin credential (DATA_DIR/admin-token); the server keeps only its SHA-256."
      },
      "oauthAccessToken": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An RFC 9068 OAuth access token (`typ: at+jwt`, ES256) from `/oauth/token`; checked against the ledger (not revoked, grant active, client not deleted)."
      },
      "clientBasic": {
        "type": "http",
        "scheme": "basic",
        "description": "HTTP Basic with the form-urlencoded client id and secret (RFC 6749 §2.3.1). Alternatively `client_id` and `client_secret` in the form body (never both); a public client sends `client_id` alone."
      },
      "clearAuth": {
        "type": "apiKey",
        "in": "header",
        "name": "Clear-auth",
        "description": "NUT-21 clear authentication token: by default one of this ledger's OAuth access tokens issued to `--clear-auth-client-id`, or a JWT from the external OpenID issuer of `--clear-auth-discovery`."
      },
      "auditToken": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An OAuth access token with `audit:write` (reporting) or `audit:read` (reading), e.g. a resource server's client_credentials token; the admin credential also works."
      },
      "nutsAccessToken": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A Nuts access token from `POST /internal/auth/v1/request-access-token` (ES256 JWT, 60 seconds by default): the token `HEAD /internal/auth/v1/accesstoken/verify` checks, not a credential for anything else."
      },
      "dauth": {
        "type": "apiKey",
        "in": "header",
        "name": "DAuth",
        "description": "OBP's DAuth: an RS256 JWT (`smart_contract_address`, `network_name`, `consumer_key`, `timestamp` at most `--dauth-max-age-sec` old) signed with the key whose public half is `--dauth-public-key`, accepted only from the peers listed in `--dauth-allowed-ip`. Off unless configured."
      }
    }
  }
}

"""#
}
