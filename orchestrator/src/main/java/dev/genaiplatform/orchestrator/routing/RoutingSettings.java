package dev.genaiplatform.orchestrator.routing;

import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * How the routed model name chooses ({@code platform.orchestrator.routing.*}).
 *
 * @param routeName             the model name that asks for routing
 * @param smallModel            the cheap model
 * @param largeModel            the capable model
 * @param largeTiers            tenant tiers ({@code platform.orchestrator.tenants.<id>.tier}) that always get the large model
 * @param longContextFraction   a prompt above this fraction of the small model's context window goes large
 * @param complexityThreshold   estimates at or above this go large
 * @param budgetDowngradeAt     fraction of the tenant's monthly budget after which routing always picks small
 */
public record RoutingSettings(
        @DefaultValue("auto") String routeName,
        @DefaultValue("sim-small") String smallModel,
        @DefaultValue("sim-large") String largeModel,
        @DefaultValue("premium") List<String> largeTiers,
        @DefaultValue("0.5") double longContextFraction,
        @DefaultValue("0.45") double complexityThreshold,
        @DefaultValue("0.8") double budgetDowngradeAt) {
}
