-- One row per chat request the orchestrator recorded. The primary key on event_id is what makes processing
-- once-only: a redelivered event hits the key and is dropped, however long after the first delivery.
create table completion_event (
    event_id                   text primary key,
    occurred_at                timestamptz not null,
    received_at                timestamptz not null default now(),
    request_id                 text,
    tenant_id                  text not null,
    model                      text not null,
    streamed                   boolean not null,
    prompt_tokens              integer not null check (prompt_tokens >= 0),
    completion_tokens          integer not null check (completion_tokens >= 0),
    latency_millis             bigint not null check (latency_millis >= 0),
    time_to_first_token_millis bigint check (time_to_first_token_millis >= 0),
    guardrail_verdict          text,
    outcome                    text not null,
    finish_reason              text,
    prompt_version             text,
    served_model               text,
    route_rule                 text,
    cache                      text,
    experiment_arm             text,
    conversation_id            text,
    user_id                    text,
    retrieval_settings         jsonb,
    retrieved_chunk_ids        jsonb,
    cost_usd                   double precision
);
create index completion_event_tenant_model on completion_event (tenant_id, model);
create index completion_event_tenant_request on completion_event (tenant_id, request_id);
create index completion_event_tenant_arm on completion_event (tenant_id, experiment_arm) where experiment_arm is not null;

-- A user's verdict on one answer: one per (tenant, completion, user); a second is a 409, not an overwrite.
-- The completion's labels are copied at write time, so rates per model, prompt version and arm need no join.
create table feedback (
    id             bigserial primary key,
    tenant_id      text not null,
    completion_id  text not null,
    user_id        text not null,
    rating         smallint not null check (rating in (-1, 1)),
    comment        text check (length(comment) <= 2000),
    model          text not null,
    prompt_version text not null,
    experiment_arm text,
    created_at     timestamptz not null default now(),
    constraint feedback_once_per_user unique (tenant_id, completion_id, user_id)
);
create index feedback_tenant_created on feedback (tenant_id, created_at);

-- An offline run of a golden set (or the red-team suite) through the gateway.
create table evaluation_run (
    id              uuid primary key,
    tenant_id       text not null,
    set_name        text not null,
    set_version     integer not null,
    inline_set      boolean not null,
    model           text not null,
    experiment_arm  text,
    repetitions     integer not null check (repetitions between 1 and 20),
    status          text not null,
    total_calls     integer not null,
    completed_calls integer not null default 0,
    summary         jsonb,
    error           text,
    created_at      timestamptz not null default now(),
    finished_at     timestamptz
);
create index evaluation_run_tenant_created on evaluation_run (tenant_id, created_at desc);

-- One scored answer of a run: a case of the set, answered once per repetition.
create table evaluation_result (
    run_id     uuid not null references evaluation_run (id) on delete cascade,
    case_id    text not null,
    repetition integer not null,
    result     jsonb not null,
    primary key (run_id, case_id, repetition)
);
