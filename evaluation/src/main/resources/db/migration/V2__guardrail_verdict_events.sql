-- One row per guardrail verdict (guardrails.verdict-recorded.v1). As for completions, the primary key on
-- event_id makes processing once-only. The OWASP labels are kept as their short ids (LLM01..LLM10) so the
-- online counts join the red-team scorecard's categories; the checked text is never on the event.
create table guardrail_verdict_event (
    event_id          text primary key,
    occurred_at       timestamptz not null,
    received_at       timestamptz not null default now(),
    request_id        text,
    tenant_id         text not null,
    stage             text not null,
    policy            text,
    verdict           text not null check (verdict in ('ALLOWED', 'REDACTED', 'BLOCKED')),
    injection_score   double precision check (injection_score between 0 and 1),
    finding_count     integer not null check (finding_count >= 0),
    owasp_categories  text[] not null,
    took_micros       bigint not null check (took_micros >= 0)
);
create index guardrail_verdict_event_tenant_time on guardrail_verdict_event (tenant_id, occurred_at);
