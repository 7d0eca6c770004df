-- Budgets, spends and tokens (issue 3). Projections only: the migration rebuilds every projection
-- from the log afterwards, so the new columns and tables hold what the events say.
ALTER TABLE connections ADD COLUMN budget_window TEXT;       -- rolling | calendar
ALTER TABLE connections ADD COLUMN budget_time_zone TEXT;    -- IANA zone of calendar windows
ALTER TABLE connections ADD COLUMN budget_anchor_ms INTEGER; -- when the current budget started

CREATE TABLE tokens (
    jti             TEXT    PRIMARY KEY,
    connection_id   TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    kind            TEXT    NOT NULL,            -- uma_nwc
    issued_at_ms    INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,            -- unix seconds
    revoked_at_ms   INTEGER
) WITHOUT ROWID;

CREATE INDEX tokens_by_connection ON tokens (connection_id);

CREATE TABLE spends (
    id               TEXT    PRIMARY KEY,
    connection_id    TEXT    NOT NULL,
    method           TEXT    NOT NULL,
    status           TEXT    NOT NULL,           -- held | settled | released | denied
    amount_msat      INTEGER NOT NULL,           -- reserved, then final
    fee_reserve_msat INTEGER NOT NULL,
    fee_msat         INTEGER,
    payment_hash     TEXT,
    budget_currency  TEXT,
    held_units       INTEGER NOT NULL,           -- msat for SAT budgets, minor units for fiat
    charged_units    INTEGER,
    budget_anchor_ms INTEGER,
    cycle_start_ms   INTEGER,
    cycle_end_ms     INTEGER,
    expires_at_ms    INTEGER,                    -- when an unsettled hold is released
    reserved_at_ms   INTEGER NOT NULL,
    settled_at_ms    INTEGER,
    released_at_ms   INTEGER,
    reason           TEXT
) WITHOUT ROWID;

CREATE INDEX spends_by_connection ON spends (connection_id, id);
CREATE INDEX spends_held_by_expiry ON spends (expires_at_ms) WHERE status = 'held';

-- Lifetime totals of a connection, for the user's connection list: one row look-up instead of a
-- scan of every spend the connection ever made.
CREATE TABLE spend_totals (
    connection_id     TEXT    PRIMARY KEY,
    settled_msat      INTEGER NOT NULL,          -- amounts plus fees of settled spends
    last_spend_at_ms  INTEGER NOT NULL           -- the latest reservation or denial
) WITHOUT ROWID;

-- One row per budget cycle that has seen a spend: the index look-up every reservation makes.
CREATE TABLE budget_usage (
    connection_id    TEXT    NOT NULL,
    budget_anchor_ms INTEGER NOT NULL,
    cycle_start_ms   INTEGER NOT NULL,
    cycle_end_ms     INTEGER,
    spent_units      INTEGER NOT NULL,
    held_units       INTEGER NOT NULL,
    threshold_reached INTEGER NOT NULL,
    PRIMARY KEY (connection_id, budget_anchor_ms, cycle_start_ms)
) WITHOUT ROWID;
