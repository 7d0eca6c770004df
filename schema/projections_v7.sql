-- Issue 14: Open Bank Project's entitlements, views and account access. OBP edits and deletes
-- these rows; here a grant's row keeps when and by whom it was revoked, and a view keeps every
-- version it had, so any past moment can be answered from an index.
CREATE TABLE obp_banks (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL                   -- ObpBank, canonical JSON
);
CREATE TABLE obp_accounts (
    bank_id TEXT NOT NULL,
    id TEXT NOT NULL,
    state TEXT NOT NULL,                  -- ObpAccount, canonical JSON
    PRIMARY KEY (bank_id, id)
);
CREATE TABLE obp_users (
    id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    username TEXT NOT NULL,
    state TEXT NOT NULL,                  -- ObpUser, canonical JSON
    UNIQUE (provider, username)
);
CREATE TABLE obp_entitlements (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    bank_id TEXT NOT NULL,                -- '' for a system role
    role_name TEXT NOT NULL,
    granted_seq INTEGER NOT NULL,
    granted_at_ms INTEGER NOT NULL,
    granted_by TEXT NOT NULL,
    revoked_seq INTEGER,
    revoked_at_ms INTEGER,
    revoked_by TEXT
);
CREATE INDEX obp_entitlements_user ON obp_entitlements (user_id, granted_seq);
CREATE UNIQUE INDEX obp_entitlements_live ON obp_entitlements (user_id, bank_id, role_name) WHERE revoked_seq IS NULL;
-- Every version of every custom view: the live one has no end.
CREATE TABLE obp_views (
    bank_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    id TEXT NOT NULL,
    saved_seq INTEGER NOT NULL,
    saved_at_ms INTEGER NOT NULL,
    ended_at_ms INTEGER,
    state TEXT NOT NULL,                  -- ObpView, canonical JSON
    PRIMARY KEY (bank_id, account_id, id, saved_seq)
);
CREATE INDEX obp_views_live ON obp_views (bank_id, account_id, id) WHERE ended_at_ms IS NULL;
CREATE TABLE obp_account_access (
    id TEXT PRIMARY KEY,
    bank_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    view_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    granted_seq INTEGER NOT NULL,
    granted_at_ms INTEGER NOT NULL,
    granted_by TEXT NOT NULL,
    revoked_seq INTEGER,
    revoked_at_ms INTEGER,
    revoked_by TEXT
);
CREATE INDEX obp_account_access_account ON obp_account_access (bank_id, account_id, granted_seq);
CREATE INDEX obp_account_access_user ON obp_account_access (user_id, bank_id, account_id);
CREATE UNIQUE INDEX obp_account_access_live ON obp_account_access (bank_id, account_id, view_id, user_id)
    WHERE revoked_seq IS NULL;
