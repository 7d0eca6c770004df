-- OAuth clients, codes and refresh tokens (issue 4). Projections only: the migration rebuilds
-- every projection from the log afterwards.
ALTER TABLE connections ADD COLUMN client_id TEXT;  -- the OAuth client of the grant; NULL for NWC
ALTER TABLE tokens ADD COLUMN client_id TEXT;
ALTER TABLE tokens ADD COLUMN scope TEXT;           -- space-separated, OAuth access tokens only

CREATE TABLE oauth_clients (
    id              TEXT    PRIMARY KEY,
    name            TEXT    NOT NULL,
    url             TEXT,
    image_url       TEXT,
    redirect_uris   TEXT    NOT NULL,            -- space-separated (URIs hold no spaces)
    public          INTEGER NOT NULL,
    scopes          TEXT    NOT NULL,            -- space-separated
    secret_sha256   TEXT,
    status          TEXT    NOT NULL,            -- active | deleted
    created_at_ms   INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL,
    version         INTEGER NOT NULL
) WITHOUT ROWID;

-- Authorization codes and device codes, by digest.
CREATE TABLE oauth_codes (
    code_sha256            TEXT    PRIMARY KEY,
    kind                   TEXT    NOT NULL,     -- authorization_code | device_code
    connection_id          TEXT    NOT NULL,
    client_id              TEXT    NOT NULL,
    user_id                TEXT,                 -- NULL until a device code is answered
    redirect_uri           TEXT,
    redirect_uri_explicit  INTEGER NOT NULL,
    scopes                 TEXT    NOT NULL,
    code_challenge_s256    TEXT,
    access_lifetime_sec    INTEGER NOT NULL,
    budget                 TEXT,                 -- canonical JSON of the budget definition
    user_code_sha256       TEXT,
    interval_sec           INTEGER,
    status                 TEXT    NOT NULL,     -- pending | approved | denied | redeemed
    issued_at_ms           INTEGER NOT NULL,
    expires_at_ms          INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX oauth_codes_by_user_code ON oauth_codes (user_code_sha256) WHERE user_code_sha256 IS NOT NULL;
CREATE INDEX oauth_codes_by_connection ON oauth_codes (connection_id);

CREATE TABLE refresh_tokens (
    token_sha256    TEXT    PRIMARY KEY,
    connection_id   TEXT    NOT NULL,
    client_id       TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    scopes          TEXT    NOT NULL,
    status          TEXT    NOT NULL,            -- active | rotated | revoked
    issued_at_ms    INTEGER NOT NULL,
    expires_at_ms   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX refresh_tokens_by_connection ON refresh_tokens (connection_id);
