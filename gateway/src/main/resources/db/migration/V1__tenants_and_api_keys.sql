-- Tenants and their API keys. Keys are stored only as SHA-256 hashes; the key itself is shown once, when issued.
create table tenant (
    id               varchar(64) primary key,
    models           text[]      not null default '{}',
    replenish_rate   integer     not null check (replenish_rate >= 1),
    burst_capacity   bigint      not null,
    requested_tokens integer     not null default 1,
    created_at       timestamptz not null default now(),
    check (burst_capacity >= replenish_rate and requested_tokens between 1 and burst_capacity)
);

create table api_key (
    -- the first 16 hex characters of the hash: names the key in logs, tokens (sub) and rate-limit buckets
    id          char(16)    primary key,
    key_sha256  char(64)    not null unique,
    tenant_id   varchar(64) not null references tenant (id),
    name        varchar(128) not null,
    scopes      text[]      not null check (cardinality(scopes) > 0),
    -- empty: the tenant's models
    models      text[]      not null default '{}',
    -- set for keys that come from configuration (e.g. the demo key): a new configured value replaces the old key
    seeded      boolean     not null default false,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);

create index api_key_tenant on api_key (tenant_id);
