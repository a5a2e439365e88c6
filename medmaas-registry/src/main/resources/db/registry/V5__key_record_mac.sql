-- Each API key record is sealed with an HMAC under a key derived from the registry's secret, so a
-- role, scope, expiry or revocation changed in the database file is refused at use and reported by
-- `medmaas registry check`. Rows from before this version are sealed once at the next start.
ALTER TABLE api_key ADD COLUMN record_mac VARCHAR(64);
