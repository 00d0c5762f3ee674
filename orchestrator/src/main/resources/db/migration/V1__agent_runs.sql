-- Agent runs (agent/): a run, every step it took (also its event stream), and the tool calls parked for a human.

create table agent_runs (
    id               text primary key,
    tenant_id        text        not null,
    created_by       text        not null,
    goal             text        not null,
    model            text        not null,
    tools            jsonb       not null,   -- the definitions offered to the model: [{name, description, inputSchema}]
    transcript       jsonb       not null,   -- the conversation so far, tool calls and results included
    max_steps        int         not null,
    max_tokens       int         not null,
    max_cost_usd     numeric(12, 6) not null,
    max_wall_ms      bigint      not null,
    status           text        not null,   -- RUNNING, WAITING_APPROVAL, SUCCEEDED, FAILED, BUDGET_EXCEEDED, DENIED, CANCELLED
    error_code       text,
    error_message    text,
    answer           text,
    steps_used       int         not null default 0,
    tokens_used      int         not null default 0,
    cost_usd         numeric(14, 8) not null default 0,
    wall_used_ms     bigint      not null default 0,   -- time spent working; waiting for a human does not count
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

create index agent_runs_tenant on agent_runs (tenant_id, created_at);

create table agent_steps (
    id          bigserial primary key,   -- also the SSE event id: a reconnecting client resumes after it
    run_id      text        not null references agent_runs (id),
    type        text        not null,
    step_id     text,
    detail      jsonb       not null,
    tokens      int         not null default 0,
    cost_usd    numeric(14, 8) not null default 0,
    created_at  timestamptz not null
);

create index agent_steps_run on agent_steps (run_id, id);

create table agent_approvals (
    approval_id      text primary key,
    run_id           text        not null references agent_runs (id),
    tenant_id        text        not null,
    step_id          text        not null,
    tool_call_id     text        not null,
    tool_name        text        not null,
    arguments        text        not null,
    idempotency_key  text        not null,
    status           text        not null,   -- PENDING, APPROVED, DENIED, EXPIRED, CANCELLED
    expires_at       timestamptz,
    decided_by       text,
    reason           text,
    decided_at       timestamptz,
    created_at       timestamptz not null
);

create index agent_approvals_run on agent_approvals (run_id);
