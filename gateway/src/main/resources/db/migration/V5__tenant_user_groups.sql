-- The end users a tenant names in X-User-Id, with the access groups the gateway puts in their internal token's
-- groups claim (retrieval's document-level permissions). Set through the admin API; no row: no groups claim.
create table tenant_user (
    tenant_id  varchar(64)  not null references tenant (id) on delete cascade,
    user_id    varchar(128) not null,
    groups     text[]       not null default '{}' check (cardinality(groups) <= 64),
    updated_at timestamptz  not null default now(),
    primary key (tenant_id, user_id)
);
