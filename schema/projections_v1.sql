-- Projections: derived from events only, rebuilt by `grantledger replay`.
CREATE TABLE connections (
    id              TEXT    PRIMARY KEY,
    user_id         TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    scopes          TEXT    NOT NULL,            -- space-separated, sorted, no duplicates
    budget_amount   INTEGER,                     -- smallest unit of budget_currency
    budget_currency TEXT,
    budget_period   TEXT,
    expires_at      INTEGER,                     -- unix seconds
    status          TEXT    NOT NULL,            -- active | revoked
    created_at_ms   INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL,
    revoked_at_ms   INTEGER,
    version         INTEGER NOT NULL             -- stream version of the last event applied
) WITHOUT ROWID;

CREATE INDEX connections_by_user ON connections (user_id, id);

CREATE TABLE admin_credentials (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    token_sha256 TEXT    NOT NULL,
    set_at_ms    INTEGER NOT NULL
);
