-- Issue 11: OpenID Connect. A code remembers the request's nonce and when the user logged in
-- (the ID token's nonce and auth_time), a refresh family the login time; a client its PKCE
-- policy and signing algorithms. Projections only: the migration rebuilds every projection
-- from the log afterwards.
ALTER TABLE oauth_codes ADD COLUMN nonce TEXT;
ALTER TABLE oauth_codes ADD COLUMN auth_time_ms INTEGER;
ALTER TABLE refresh_tokens ADD COLUMN auth_time_ms INTEGER;
ALTER TABLE oauth_clients ADD COLUMN pkce TEXT NOT NULL DEFAULT 'required';
ALTER TABLE oauth_clients ADD COLUMN access_token_alg TEXT NOT NULL DEFAULT 'ES256';
ALTER TABLE oauth_clients ADD COLUMN id_token_alg TEXT NOT NULL DEFAULT 'RS256';
