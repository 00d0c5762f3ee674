package dev.genaiplatform.gateway.budget;

import dev.genaiplatform.gateway.PlatformGatewayProperties.BudgetProperties;
import dev.genaiplatform.gateway.PlatformGatewayProperties.TenantBudget;
import dev.genaiplatform.gateway.tenant.Tenant;

/**
 * The budget that applies to a tenant: each limit the tenant has of its own (set through the admin API, stored
 * with the tenant), else the configured one ({@code budget.tenants.<id>}), else the defaults.
 */
public final class TenantBudgets {

    private TenantBudgets() {
    }

    public static TenantBudget effective(BudgetProperties budgets, Tenant tenant) {
        TenantBudget configured = budgets.of(tenant.id());
        Tenant.Budget own = tenant.budget();
        if (own.equals(Tenant.Budget.INHERITED)) {
            return configured;
        }
        return new TenantBudget(
                own.tokensPerMinute() != null ? own.tokensPerMinute() : configured.tokensPerMinute(),
                own.tokensPerDay() != null ? own.tokensPerDay() : configured.tokensPerDay(),
                own.costPerMonthMicros() != null ? own.costPerMonthMicros() / 1_000_000.0 : configured.costPerMonth());
    }
}
