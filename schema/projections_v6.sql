-- Issue 13: practitioner login as the Nuts auth API does it. Each table holds the current state
-- of one stream as canonical JSON (the log holds every change); the columns beside it are what
-- the look-ups need.
CREATE TABLE nuts_organizations (
    id TEXT PRIMARY KEY,                  -- the organisation's DID
    name TEXT NOT NULL,
    city TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL                   -- Organization, canonical JSON
);
-- A contract names its organisation by name and city: a signing session finds it here.
CREATE INDEX nuts_organizations_name_city ON nuts_organizations (name, city) WHERE removed = 0;
CREATE TABLE signing_sessions (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    state TEXT NOT NULL                   -- SigningSession, canonical JSON
);
CREATE TABLE nuts_access_tokens (
    jti TEXT PRIMARY KEY,
    expires_at_ms INTEGER NOT NULL,
    state TEXT NOT NULL                   -- NutsAccessToken, canonical JSON
);
