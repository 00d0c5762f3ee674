-- Guardrails' verdict about each distinct passage text as untrusted data, judged once when it was indexed (README,
-- Wave 11). Keyed by the owning tenant (whose policy judged it; _public for the built-in corpus) and the SHA-256 of
-- the text, not by chunk: a verdict depends only on the text and the policy, so a re-indexed unchanged passage keeps
-- it and both index stores share one table. The verdict names the policy's fingerprint; a reader checks it.
create table passage_verdicts (
    tenant_id   text        not null,
    text_sha256 text        not null,
    verdict     jsonb       not null,
    judged_at   timestamptz not null,
    primary key (tenant_id, text_sha256)
);
