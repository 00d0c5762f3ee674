-- The catalogue of retrieval: what was uploaded, which stores hold which file versions, and who deleted what.
-- The Lucene index holds the chunks; this holds everything needed to rebuild it.

create table files (
    id            text primary key,
    tenant_id     text        not null,
    filename      text        not null,
    purpose       text        not null,
    bytes         bigint      not null,
    sha256        text        not null,
    content       bytea       not null,
    access_groups text[]      not null default '{}',
    created_at    timestamptz not null,
    created_by    text
);
-- the same bytes, name and groups uploaded twice by one tenant are one file (idempotent upload)
create unique index files_same_content on files (tenant_id, sha256, filename, purpose, access_groups);
create index files_by_tenant on files (tenant_id, created_at);

create table vector_stores (
    id             text primary key,
    tenant_id      text        not null,
    name           text,
    chunking       text        not null, -- JSON: the store's default chunking strategy
    metadata       text        not null, -- JSON object of strings
    created_at     timestamptz not null,
    last_active_at timestamptz not null
);
create index vector_stores_by_tenant on vector_stores (tenant_id, created_at);

create table file_batches (
    id              text primary key,
    vector_store_id text        not null references vector_stores (id) on delete cascade,
    tenant_id       text        not null,
    created_at      timestamptz not null
);

-- The files a batch asked for (a file already in the store still counts in the batch that asked again).
create table file_batch_files (
    batch_id text not null references file_batches (id) on delete cascade,
    file_id  text not null,
    primary key (batch_id, file_id)
);

-- One row per file in a store. document_key (the file name) identifies a document across versions: adding a
-- file with the same name makes version n+1, which replaces version n in the index atomically once indexed.
create table vector_store_files (
    vector_store_id text        not null references vector_stores (id) on delete cascade,
    file_id         text        not null references files (id) on delete cascade,
    tenant_id       text        not null,
    document_key    text        not null,
    version         int         not null,
    status          text        not null, -- in_progress | completed | failed | cancelled
    stage           text,                 -- last finished step: PARSED, CHUNKED, EMBEDDED, INDEXED, FAILED
    chunks_done     int         not null default 0,
    chunks_total    int         not null default 0,
    usage_bytes     bigint      not null default 0,
    error_code      text,
    error_message   text,
    attributes      text        not null, -- JSON object
    chunking        text        not null, -- JSON: the strategy used for this file
    batch_id        text,
    created_at      timestamptz not null,
    indexed_at      timestamptz,
    primary key (vector_store_id, file_id)
);
create index vector_store_files_by_status on vector_store_files (status);
create index vector_store_files_by_file on vector_store_files (file_id);

-- Who removed what, when: deletions and supersessions, never updated or deleted by the service.
create table audit_log (
    id          bigserial primary key,
    occurred_at timestamptz not null,
    tenant_id   text        not null,
    actor       text,       -- API key id (sub)
    end_user    text,       -- usr claim, when the client named one
    action      text        not null, -- file.deleted, vector_store.deleted, vector_store.file.deleted, vector_store.file.superseded
    target      text        not null, -- file or store id
    detail      text
);
create index audit_log_by_tenant on audit_log (tenant_id, occurred_at);
