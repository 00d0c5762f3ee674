package dev.genaiplatform.tools.shop;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.registry.JsonTool;
import dev.genaiplatform.tools.security.Caller;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Comparator;
import java.util.Locale;
import java.util.Set;

/** Catalogue search: every query word must appear in the name or tags; filters by category, price and stock. */
public final class SearchProductsTool extends JsonTool {

    private final Shop shop;

    public SearchProductsTool(JsonMapper json, Shop shop) {
        super(json, "search_products", RiskTier.READ, "Searches the product catalogue by words, category, "
                + "maximum price and stock. Prices are in euros.");
        this.shop = shop;
    }

    @Override
    protected JsonNode run(JsonNode arguments, Caller caller) {
        Set<String> words = Shop.words(text(arguments, "query", ""));
        String category = text(arguments, "category", null);
        long maxCents = arguments.has("maxPrice") ? Math.round(arguments.get("maxPrice").asDouble() * 100) : Long.MAX_VALUE;
        boolean inStockOnly = arguments.has("inStockOnly") && arguments.get("inStockOnly").asBoolean();
        ObjectNode result = json.createObjectNode();
        ArrayNode products = result.putArray("products");
        shop.products().stream()
                .filter(p -> category == null || p.category().equals(category))
                .filter(p -> p.priceCents() <= maxCents && (!inStockOnly || p.inStock()))
                .filter(p -> words.stream().allMatch(w -> p.tags().contains(w) || p.name().toLowerCase(Locale.ROOT).contains(w)))
                .sorted(Comparator.comparing(Shop.Product::rating).reversed())
                .limit(10)
                .forEach(p -> products.add(view(json, p)));
        return result;
    }

    static ObjectNode view(JsonMapper json, Shop.Product p) {
        ObjectNode node = json.createObjectNode().put("sku", p.sku()).put("name", p.name()).put("category", p.category())
                .put("price", p.priceCents() / 100.0).put("rating", p.rating()).put("inStock", p.inStock());
        node.putArray("tags").addAll(p.tags().stream().map(json.getNodeFactory()::textNode).toList());
        return node;
    }
}
