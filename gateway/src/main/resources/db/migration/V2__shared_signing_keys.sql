-- The internal-token signing keys, shared by every gateway instance on this database (used when
-- platform.gateway.token.key-encryption-secret is set). A private key is stored only sealed: AES-256-GCM under a key
-- derived from that secret, with the key id as associated data, so a database dump or backup alone signs nothing.
create table signing_key (
    -- the ring at generation g is: previous = g - 1, current = g (signs now), next = g + 1 (published, not yet signing)
    generation     bigint       primary key,
    kid            varchar(64)  not null unique,
    public_jwk     text         not null,
    sealed_private bytea        not null,
    created_at     timestamptz  not null default now()
);

-- Exactly one row: the generation that signs now and when it began (database time, the one clock all instances share).
create table signing_key_ring (
    id                 boolean     primary key default true check (id),
    current_generation bigint      not null,
    rotated_at         timestamptz not null
);
