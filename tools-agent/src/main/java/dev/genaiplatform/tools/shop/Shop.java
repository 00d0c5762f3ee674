package dev.genaiplatform.tools.shop;

import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The demo shop's catalogue (shared) and orders (a tenant's, per customer). Read-only: the recommender advises, it
 * never orders.
 */
public final class Shop {

    private final JdbcTemplate jdbc;

    public Shop(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Product(String sku, String name, String category, long priceCents, BigDecimal rating,
                          Set<String> tags, boolean inStock) {
    }

    public record OrderLine(String sku, String name, int quantity) {
    }

    public record Order(String orderId, String status, String placedAt, String eta, List<OrderLine> lines) {
    }

    List<Product> products() {
        return jdbc.query("select sku, name, category, price_cents, rating, tags, in_stock from product order by sku",
                (rs, row) -> new Product(rs.getString("sku"), rs.getString("name"), rs.getString("category"),
                        rs.getLong("price_cents"), rs.getBigDecimal("rating"), words(rs.getString("tags")),
                        rs.getBoolean("in_stock")));
    }

    /** The customer's orders in this tenant, newest first; one order when {@code orderId} is given. */
    List<Order> orders(String tenant, String customer, String orderId) {
        List<Order> orders = new ArrayList<>();
        jdbc.query("select order_id, status, placed_at, eta from customer_order where tenant = ? and customer = ? "
                        + "and (cast(? as text) is null or order_id = ?) order by placed_at desc",
                rs -> {
                    String id = rs.getString("order_id");
                    orders.add(new Order(id, rs.getString("status"), rs.getTimestamp("placed_at").toInstant().toString(),
                            rs.getString("eta"), lines(id)));
                }, tenant, customer, orderId, orderId);
        return orders;
    }

    private List<OrderLine> lines(String orderId) {
        return jdbc.query("select l.sku, p.name, l.quantity from order_line l join product p on p.sku = l.sku "
                        + "where l.order_id = ? order by l.sku",
                (rs, row) -> new OrderLine(rs.getString("sku"), rs.getString("name"), rs.getInt("quantity")), orderId);
    }

    static Set<String> words(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        return new LinkedHashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}-]+")))
                .stream().filter(w -> w.length() > 1).collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new));
    }
}
