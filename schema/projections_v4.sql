-- Issue 9: one rule for money. A fiat spend records the rate its hold was priced at, and the
-- settle charges at it; a budget may cap any one payment. Projections only: the migration
-- rebuilds every projection from the log afterwards.
ALTER TABLE spends ADD COLUMN rate_currency TEXT;            -- the budget currency the rate prices
ALTER TABLE spends ADD COLUMN rate_msat INTEGER;             -- rate_units of it are worth rate_msat
ALTER TABLE spends ADD COLUMN rate_units INTEGER;
ALTER TABLE spends ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0;  -- settled at the hold, outcome unknown
ALTER TABLE connections ADD COLUMN budget_max_per_payment INTEGER;  -- same unit as budget_amount
