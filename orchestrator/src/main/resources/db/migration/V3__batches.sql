-- The asynchronous batch lane (batch/): a batch as OpenAI's Batch API describes it, and each line of its input file
-- with its result. The output and error files are rendered from batch_lines; nothing else stores them.

create table batches (
    id                  text primary key,          -- batch_<32 hex>
    tenant_id           text        not null,      -- from the creating request's verified token, never the body
    key_id              text        not null,      -- token sub: the API key that created it (tokens of it may act)
    user_id             text,                      -- token usr
    groups              jsonb       not null,      -- token groups (document permissions of retrieval)
    models              jsonb       not null,      -- token models at acceptance: what the lines may use
    endpoint            text        not null,
    input_file_id       text        not null,
    completion_window   text        not null,
    metadata            jsonb,
    status              text        not null,      -- validating, in_progress, finalizing, completed, failed,
                                                   -- cancelling, cancelled, expired
    errors              jsonb,                     -- batch-level errors (OpenAI's errors.data) when it failed
    total               int         not null default 0,
    created_at          timestamptz not null,
    in_progress_at      timestamptz,
    expires_at          timestamptz not null,
    finalizing_at       timestamptz,
    completed_at        timestamptz,
    failed_at           timestamptz,
    expired_at          timestamptz,
    cancelling_at       timestamptz,
    cancelled_at        timestamptz
);

create index batches_tenant on batches (tenant_id, created_at desc, id desc);
create index batches_open on batches (status) where status in ('in_progress', 'cancelling', 'finalizing');

create table batch_lines (
    batch_id        text        not null references batches (id),
    line_index      int         not null,          -- 0-based position in the input file
    custom_id       text,                          -- null only for a line too broken to name one
    provider        text,                          -- the provider of the line's model (the token bucket it waits on)
    body            jsonb,                         -- the chat request; null for a line that failed validation
    status          text        not null,          -- queued, running, waiting_for_token, succeeded, failed,
                                                   -- cancelled, expired
    attempts        int         not null default 0,
    claimed_at      timestamptz,                   -- when a consumer took it (a stale claim may be taken over)
    claim_id        text,                          -- which take of the line may record its result
    queued_at       timestamptz not null,
    finished_at     timestamptz,
    result          jsonb,                         -- the output or error file's line, OpenAI's shape
    primary key (batch_id, line_index)
);

create index batch_lines_waiting on batch_lines (queued_at) where status = 'queued';
