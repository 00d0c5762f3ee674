-- A tenant's own budgets, set through the admin API. Null: the configured value (platform.gateway.budget.tenants.<id>)
-- or, failing that, the defaults (platform.gateway.budget.defaults). Money is kept in micro-dollars: exact.
alter table tenant
    add column tokens_per_minute     bigint check (tokens_per_minute >= 0),
    add column tokens_per_day        bigint check (tokens_per_day >= 0),
    add column cost_per_month_micros bigint check (cost_per_month_micros >= 0);
