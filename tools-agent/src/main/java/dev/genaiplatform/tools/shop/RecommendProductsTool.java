package dev.genaiplatform.tools.shop;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.registry.JsonTool;
import dev.genaiplatform.tools.security.Caller;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;

/**
 * Content-based recommendations, explainable by construction: score = 2 x tags shared with the stated interest
 * + 1 x tags shared with what the user bought before; products already bought and out of stock are left out; ties
 * go to the better rated. Each pick says which tags matched, so the model can explain it.
 */
public final class RecommendProductsTool extends JsonTool {

    private final Shop shop;

    public RecommendProductsTool(JsonMapper json, Shop shop) {
        super(json, "recommend_products", RiskTier.READ, "Recommends in-stock products for the user from a stated "
                + "interest and their past orders, each with the reason it was picked.");
        this.shop = shop;
    }

    @Override
    protected JsonNode run(JsonNode arguments, Caller caller) {
        Set<String> interest = Shop.words(text(arguments, "interest", ""));
        int limit = arguments.has("limit") ? arguments.get("limit").asInt() : 3;
        Set<String> bought = new HashSet<>();
        Set<String> history = new HashSet<>();
        var catalogue = shop.products();
        if (caller.user() != null) {
            shop.orders(caller.tenant(), caller.user(), null).forEach(o -> o.lines().forEach(l -> bought.add(l.sku())));
            catalogue.stream().filter(p -> bought.contains(p.sku())).forEach(p -> history.addAll(p.tags()));
        }
        ObjectNode result = json.createObjectNode();
        ArrayNode picks = result.putArray("recommendations");
        catalogue.stream()
                .filter(p -> p.inStock() && !bought.contains(p.sku()))
                .map(p -> new Scored(p, 2 * overlap(p.tags(), interest) + overlap(p.tags(), history)))
                .filter(s -> s.score() > 0)
                .sorted(Comparator.comparingInt(Scored::score).reversed()
                        .thenComparing(s -> s.product().rating(), Comparator.reverseOrder()))
                .limit(limit)
                .forEach(s -> {
                    ObjectNode pick = SearchProductsTool.view(json, s.product()).put("score", s.score());
                    Set<String> because = new HashSet<>(s.product().tags());
                    because.retainAll(union(interest, history));
                    pick.put("because", "matches " + because.stream().sorted().toList()
                            + (history.isEmpty() ? "" : " from your interest and past orders"));
                    picks.add(pick);
                });
        return result;
    }

    private static int overlap(Set<String> a, Set<String> b) {
        return (int) a.stream().filter(b::contains).count();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private record Scored(Shop.Product product, int score) {
    }
}
