-- When a signing key stopped signing (set by the rotation that made it the previous key). A key that has left the
-- ring (older than previous) stays here, and in every instance's JWK set, until retired_at plus the longest token
-- lifetime (a batch grant's, about a day), so a grant it signed verifies until the grant itself expires.
alter table signing_key add column retired_at timestamptz;
