-- The tool-call ledger: one row per (tenant, idempotency key). A retry, redelivery or resume with the same key
-- finds the row and gets its recorded outcome instead of running the tool again.
create table tool_call (
    call_id             uuid primary key,
    tenant              text        not null,
    idempotency_key     text        not null,
    tool_name           text        not null,
    arguments_json      text        not null,
    request_id          text,
    run_id              text,
    step_id             text,
    key_id              text,
    end_user            text,
    -- the gateway request (token claim rid) that asked: an approval must come from another request
    requested_rid       text,
    provenance_json     text,
    -- RECEIVED, PENDING_APPROVAL, APPROVED, COMPLETED
    state               text        not null,
    -- ToolInvokedReply.Status once COMPLETED (or PENDING_APPROVAL while waiting)
    status              text,
    result_json         text,
    error               text,
    took_millis         bigint      not null default 0,
    -- deliveries that reached the ledger with this key
    deliveries          int         not null default 1,
    -- committed runs of the tool body: exactly 1 for a call that ran (a rolled-back attempt leaves no trace)
    executions          int         not null default 0,
    approval_id         uuid unique,
    approval_expires_at timestamptz,
    decision            text,
    decision_reason     text,
    decided_by          text,
    decided_at          timestamptz,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    constraint tool_call_key unique (tenant, idempotency_key)
);

create index tool_call_run on tool_call (tenant, run_id);
create index tool_call_waiting on tool_call (state) where state in ('PENDING_APPROVAL', 'APPROVED');
