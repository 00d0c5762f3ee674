package dev.genaiplatform.tools.shop;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.registry.JsonTool;
import dev.genaiplatform.tools.security.Caller;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * The end user's own orders (tenant and user from the token): an order id of another customer or tenant is simply
 * not found, so a model cannot be talked into reading someone else's order.
 */
public final class OrderStatusTool extends JsonTool {

    private final Shop shop;

    public OrderStatusTool(JsonMapper json, Shop shop) {
        super(json, "order_status", RiskTier.READ, "Shows the status, delivery estimate and items of the user's "
                + "orders, or of one order by id.");
        this.shop = shop;
    }

    @Override
    protected JsonNode run(JsonNode arguments, Caller caller) {
        String orderId = text(arguments, "orderId", null);
        List<Shop.Order> orders = shop.orders(caller.tenant(), requireUser(caller), orderId);
        var result = json.createObjectNode();
        result.set("orders", json.valueToTree(orders));
        if (orderId != null && orders.isEmpty()) {
            result.put("note", "No order " + orderId + " for this user.");
        }
        return result;
    }
}
