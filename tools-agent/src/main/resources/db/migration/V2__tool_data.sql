-- Data of the local tools. Side-effect tables (outbox, claims, meetings) are written in the ledger's transaction.

-- e-mail outbox: send_email only writes here; nothing is ever sent by this service
create table email_outbox (
    id          uuid primary key,
    tenant      text        not null,
    sender      text,
    recipients  text        not null,
    subject     text        not null,
    body        text        not null,
    created_at  timestamptz not null default now()
);

create table insurance_claim (
    id            uuid primary key,
    tenant        text        not null,
    claimant      text,
    policy_number text        not null,
    incident_date date        not null,
    amount_cents  bigint      not null,
    description   text        not null,
    status        text        not null default 'SUBMITTED',
    created_at    timestamptz not null default now()
);

create table meeting (
    id          uuid primary key,
    tenant      text        not null,
    title       text        not null,
    starts_at   timestamptz not null,
    ends_at     timestamptz not null,
    time_zone   text        not null,
    organizer   text,
    created_at  timestamptz not null default now()
);
create table meeting_attendee (
    meeting_id  uuid not null references meeting (id) on delete cascade,
    attendee    text not null,
    primary key (meeting_id, attendee)
);
create index meeting_time on meeting (tenant, starts_at);

-- a small shop for the conversational recommender; the catalogue is shared, orders belong to a tenant's customers
create table product (
    sku          text primary key,
    name         text    not null,
    category     text    not null,
    price_cents  bigint  not null,
    rating       numeric(2, 1) not null,
    tags         text    not null,
    in_stock     boolean not null
);
create table customer_order (
    order_id     text primary key,
    tenant       text        not null,
    customer     text        not null,
    status       text        not null,
    placed_at    timestamptz not null,
    eta          date
);
create table order_line (
    order_id  text   not null references customer_order (order_id),
    sku       text   not null references product (sku),
    quantity  int    not null,
    primary key (order_id, sku)
);

insert into product values
 ('RUN-100', 'Trail runner 100',        'shoes',       8900, 4.4, 'running trail waterproof',     true),
 ('RUN-200', 'Road runner 200',         'shoes',       7900, 4.6, 'running road light',           true),
 ('RUN-300', 'Marathon carbon 300',     'shoes',      19900, 4.8, 'running road racing carbon',   false),
 ('HIK-110', 'Hiking boot 110',         'shoes',      12900, 4.3, 'hiking waterproof leather',    true),
 ('JKT-010', 'Rain jacket',             'clothing',    9900, 4.5, 'rain waterproof light',        true),
 ('JKT-020', 'Down jacket',             'clothing',   15900, 4.7, 'winter warm',                  true),
 ('SCK-001', 'Merino running socks',    'clothing',    1500, 4.2, 'running merino',               true),
 ('WAT-050', 'GPS running watch',       'electronics',24900, 4.6, 'running gps heart-rate',       true),
 ('HDL-030', 'Head lamp 300 lumen',     'electronics', 3900, 4.1, 'trail hiking night',           true),
 ('BTL-075', 'Soft flask 0.5 l',        'accessories', 2400, 4.0, 'running trail hydration',      true);

insert into customer_order values
 ('ORD-1001', 'demo', 'alice', 'SHIPPED',    '2026-11-28T09:12:00Z', '2026-12-08'),
 ('ORD-1002', 'demo', 'alice', 'PROCESSING', '2026-12-04T17:40:00Z', '2026-12-12'),
 ('ORD-1003', 'demo', 'bob',   'DELIVERED',  '2026-11-02T08:00:00Z', null),
 ('ORD-2001', 'acme', 'carol', 'SHIPPED',    '2026-12-01T10:00:00Z', '2026-12-09');
insert into order_line values
 ('ORD-1001', 'RUN-100', 1), ('ORD-1001', 'SCK-001', 2),
 ('ORD-1002', 'WAT-050', 1),
 ('ORD-1003', 'HIK-110', 1),
 ('ORD-2001', 'JKT-010', 1);
