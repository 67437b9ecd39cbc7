-- A user's OpenPGP public key, stored so that the CVE request form of an
-- embargoed report carries the coordinator's key without it being pasted
-- each time. The fingerprint and expiry are those read when it was set
-- (the key is checked then), for the account page to show without parsing.

-- +goose Up
ALTER TABLE users ADD COLUMN openpgp_key TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN openpgp_fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN openpgp_key_expires INTEGER;

-- +goose Down
ALTER TABLE users DROP COLUMN openpgp_key_expires;
ALTER TABLE users DROP COLUMN openpgp_fingerprint;
ALTER TABLE users DROP COLUMN openpgp_key;
