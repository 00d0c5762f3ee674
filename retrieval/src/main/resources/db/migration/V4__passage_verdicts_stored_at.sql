-- When this row was last written or confirmed in use (README, Wave 12): the database's clock, not guardrails'
-- judged_at. The sweep that prunes verdicts of texts no longer indexed deletes only rows older than its own start, and
-- indexing sets this when it reuses a stored verdict, so a verdict stored or reused while the sweep runs is kept.
alter table passage_verdicts add column stored_at timestamptz not null default now();
