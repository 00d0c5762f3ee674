package dev.genaiplatform.gateway.admin;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.gateway.problem.Problems;
import dev.genaiplatform.gateway.tenant.ApiKeyStore.BudgetColumn;
import dev.genaiplatform.gateway.tenant.Tenant;
import dev.genaiplatform.gateway.tenant.UserGroups;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the admin API's request bodies strictly: one JSON object, no duplicate or unknown members (a typo such as
 * {@code tokens_per_mnute} is an error, not a silently ignored field), every number of the right kind and within
 * bounds. Anything else is a 400 problem naming the member at fault, raised before anything is written.
 */
final class AdminRequests {

    static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");

    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");

    private static final Pattern NAME = Pattern.compile("[\\p{Alnum} ._:@-]{1,128}");

    /** Far above any real plan, far below where Redis's Lua numbers (doubles) lose integer precision. */
    static final long MAX_TOKENS = 1_000_000_000_000L;

    static final BigDecimal MAX_COST_PER_MONTH = new BigDecimal("1000000000");

    static final long MAX_REQUESTS_PER_MINUTE = 6_000_000;

    static final int MAX_REPLENISH_RATE = 1_000_000;

    static final long MAX_BURST_CAPACITY = 1_000_000_000L;

    static final int MAX_MODELS = 256;

    private static final JsonMapper JSON = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    private AdminRequests() {
    }

    /** {@code POST /api/admin/tenants}. */
    record NewTenant(String id, List<String> models, Tenant.RateLimit rateLimit, Tenant.Budget budget) {
    }

    /** {@code POST /api/admin/tenants/{tenant}/keys}. */
    record NewKey(String name, Set<String> scopes, List<String> models) {
    }

    /** {@code PUT /api/admin/tenants/{tenant}/limits}: null rate limit = unchanged; budget columns absent = unchanged. */
    record LimitsChange(Tenant.RateLimit rateLimit, Map<BudgetColumn, Long> budget) {
    }

    static NewTenant newTenant(byte[] body) {
        JsonNode root = object(body);
        only(root, "", "id", "models", "rate_limit", "budget");
        String id = requireString(root, "id", TENANT_ID);
        List<String> models = models(root.get("models"), "models");
        JsonNode limit = root.get("rate_limit");
        if (absent(limit)) {
            throw Problems.exception(ProblemType.MISSING_REQUIRED_PARAMETER, "Missing required parameter: 'rate_limit'.",
                    "rate_limit");
        }
        Map<BudgetColumn, Long> budget = absent(root.get("budget")) ? Map.of() : budget(root.get("budget"));
        return new NewTenant(id, models, rateLimit(limit),
                new Tenant.Budget(budget.get(BudgetColumn.TOKENS_PER_MINUTE), budget.get(BudgetColumn.TOKENS_PER_DAY),
                        budget.get(BudgetColumn.COST_PER_MONTH_MICROS)));
    }

    /** {@code PUT /api/admin/tenants/{tenant}/users/{user}}: {@code {"groups":[...]}}, duplicates dropped, order kept. */
    static List<String> userGroups(byte[] body) {
        JsonNode root = object(body);
        only(root, "", "groups");
        JsonNode node = root.get("groups");
        if (absent(node)) {
            throw Problems.exception(ProblemType.MISSING_REQUIRED_PARAMETER, "Missing required parameter: 'groups'.", "groups");
        }
        if (!node.isArray()) {
            throw Problems.exception(ProblemType.INVALID_TYPE, "Invalid type for 'groups': expected an array.", "groups");
        }
        if (node.size() > UserGroups.MAX_GROUPS) {
            throw invalid("groups", "at most " + UserGroups.MAX_GROUPS + " groups");
        }
        Set<String> groups = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode group = node.get(i);
            if (!group.isString() || !UserGroups.GROUP.matcher(group.stringValue()).matches()) {
                throw invalid("groups[" + i + "]", "must match " + UserGroups.GROUP.pattern());
            }
            groups.add(group.stringValue());
        }
        return List.copyOf(groups);
    }

    static NewKey newKey(byte[] body) {
        JsonNode root = object(body);
        only(root, "", "name", "scopes", "models");
        return new NewKey(requireString(root, "name", NAME), scopes(root.get("scopes")), models(root.get("models"), "models"));
    }

    static LimitsChange limitsChange(byte[] body) {
        JsonNode root = object(body);
        only(root, "", "rate_limit", "budget");
        boolean noRate = absent(root.get("rate_limit"));
        boolean noBudget = root.get("budget") == null;
        if (noRate && noBudget) {
            throw Problems.exception(ProblemType.MISSING_REQUIRED_PARAMETER, "Give 'rate_limit', 'budget' or both.",
                    "rate_limit");
        }
        return new LimitsChange(noRate ? null : rateLimit(root.get("rate_limit")),
                noBudget || root.get("budget").isNull() ? Map.of() : budget(root.get("budget")));
    }

    static String pathId(String value, Pattern pattern, String param) {
        if (!pattern.matcher(value).matches()) {
            throw invalid(param, "must match " + pattern.pattern());
        }
        return value;
    }

    /**
     * Either Spring Cloud Gateway's bucket ({@code replenish_rate} per second, {@code burst_capacity},
     * {@code requested_tokens}) or {@code requests_per_minute} with an optional {@code burst} (requests; default ten
     * seconds' worth), turned into the same bucket exactly: rpm/g tokens a second, 60/g tokens a request, g = gcd(rpm, 60).
     */
    static Tenant.RateLimit rateLimit(JsonNode node) {
        requireObject(node, "rate_limit");
        if (node.has("requests_per_minute")) {
            only(node, "rate_limit.", "requests_per_minute", "burst");
            long perMinute = integer(node, "requests_per_minute", "rate_limit.requests_per_minute", 1, MAX_REQUESTS_PER_MINUTE, true);
            long minimumBurst = (perMinute + 59) / 60;
            long burst = node.has("burst") && !node.get("burst").isNull()
                    ? integer(node, "burst", "rate_limit.burst", 1, MAX_BURST_CAPACITY, true)
                    : Math.max(1, (perMinute + 5) / 6);
            if (burst < minimumBurst) {
                throw invalid("rate_limit.burst", "must be at least one second's worth of requests_per_minute ("
                        + minimumBurst + ")");
            }
            long gcd = java.math.BigInteger.valueOf(perMinute).gcd(java.math.BigInteger.valueOf(60)).longValue();
            int requested = (int) (60 / gcd);
            if (burst * requested > MAX_BURST_CAPACITY) {
                throw invalid("rate_limit.burst", "too large");
            }
            return new Tenant.RateLimit((int) (perMinute / gcd), burst * requested, requested);
        }
        only(node, "rate_limit.", "replenish_rate", "burst_capacity", "requested_tokens");
        int replenish = (int) integer(node, "replenish_rate", "rate_limit.replenish_rate", 1, MAX_REPLENISH_RATE, true);
        long capacity = integer(node, "burst_capacity", "rate_limit.burst_capacity", 1, MAX_BURST_CAPACITY, true);
        int requested = node.has("requested_tokens") && !node.get("requested_tokens").isNull()
                ? (int) integer(node, "requested_tokens", "rate_limit.requested_tokens", 1, MAX_REPLENISH_RATE, true) : 1;
        if (capacity < replenish || requested > capacity) {
            throw invalid("rate_limit", "needs replenish_rate >= 1, burst_capacity >= replenish_rate and "
                    + "requested_tokens between 1 and burst_capacity");
        }
        return new Tenant.RateLimit(replenish, capacity, requested);
    }

    /** The budget members present; a member given as null maps to null (clear: back to configuration). */
    static Map<BudgetColumn, Long> budget(JsonNode node) {
        requireObject(node, "budget");
        only(node, "budget.", "tokens_per_minute", "tokens_per_day", "cost_per_month");
        Map<BudgetColumn, Long> values = new EnumMap<>(BudgetColumn.class);
        if (node.has("tokens_per_minute")) {
            values.put(BudgetColumn.TOKENS_PER_MINUTE, nullOr(node, "tokens_per_minute",
                    () -> integer(node, "tokens_per_minute", "budget.tokens_per_minute", 0, MAX_TOKENS, true)));
        }
        if (node.has("tokens_per_day")) {
            values.put(BudgetColumn.TOKENS_PER_DAY, nullOr(node, "tokens_per_day",
                    () -> integer(node, "tokens_per_day", "budget.tokens_per_day", 0, MAX_TOKENS, true)));
        }
        if (node.has("cost_per_month")) {
            values.put(BudgetColumn.COST_PER_MONTH_MICROS, nullOr(node, "cost_per_month", () -> micros(node.get("cost_per_month"))));
        }
        return values;
    }

    private static Long nullOr(JsonNode node, String field, java.util.function.LongSupplier value) {
        return node.get(field).isNull() ? null : value.getAsLong();
    }

    /** US dollars, at most six decimals (micro-dollars are what is counted), 0 to {@link #MAX_COST_PER_MONTH}. */
    private static long micros(JsonNode node) {
        String param = "budget.cost_per_month";
        if (!node.isNumber()) {
            throw Problems.exception(ProblemType.INVALID_TYPE, "Invalid type for '" + param + "': expected a number.", param);
        }
        BigDecimal dollars = node.decimalValue();
        if (dollars.signum() < 0 || dollars.compareTo(MAX_COST_PER_MONTH) > 0) {
            throw invalid(param, "must be between 0 and " + MAX_COST_PER_MONTH.toPlainString() + " US dollars");
        }
        if (dollars.stripTrailingZeros().scale() > 6) {
            throw invalid(param, "at most six decimal places (micro-dollars)");
        }
        return dollars.movePointRight(6).longValueExact();
    }

    private static long integer(JsonNode parent, String field, String param, long min, long max, boolean required) {
        JsonNode node = parent.get(field);
        if (absent(node)) {
            if (required) {
                throw Problems.exception(ProblemType.MISSING_REQUIRED_PARAMETER, "Missing required parameter: '" + param + "'.", param);
            }
            return min;
        }
        if (!node.isIntegralNumber()) {
            throw Problems.exception(ProblemType.INVALID_TYPE, "Invalid type for '" + param + "': expected an integer.", param);
        }
        if (!node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw invalid(param, "must be between " + min + " and " + max);
        }
        return node.longValue();
    }

    private static Set<String> scopes(JsonNode node) {
        if (absent(node) || (node.isArray() && node.isEmpty())) {
            throw Problems.exception(ProblemType.MISSING_REQUIRED_PARAMETER,
                    "A key needs at least one scope of " + InternalToken.ALL_SCOPES + ".", "scopes");
        }
        if (!node.isArray()) {
            throw Problems.exception(ProblemType.INVALID_TYPE, "Invalid type for 'scopes': expected an array.", "scopes");
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode scope = node.get(i);
            if (!scope.isString() || !InternalToken.ALL_SCOPES.contains(scope.stringValue())) {
                throw invalid("scopes[" + i + "]", "must be one of " + InternalToken.ALL_SCOPES);
            }
            scopes.add(scope.stringValue());
        }
        return scopes;
    }

    private static List<String> models(JsonNode node, String param) {
        if (absent(node)) {
            return List.of();
        }
        if (!node.isArray()) {
            throw Problems.exception(ProblemType.INVALID_TYPE, "Invalid type for '" + param + "': expected an array.", param);
        }
        if (node.size() > MAX_MODELS) {
            throw invalid(param, "at most " + MAX_MODELS + " models");
        }
        Set<String> models = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode model = node.get(i);
            if (!model.isString() || !MODEL.matcher(model.stringValue()).matches()) {
                throw invalid(param + "[" + i + "]", "must match " + MODEL.pattern());
            }
            models.add(model.stringValue());
        }
        return List.copyOf(models);
    }

    private static JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = body.length == 0 ? null : JSON.readTree(body);
        }
        catch (JacksonException e) {
            throw Problems.exception(ProblemType.INVALID_JSON, "The body is not valid JSON.", null);
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw Problems.exception(ProblemType.INVALID_JSON, "The body must be a JSON object.", null);
        }
        return root;
    }

    private static void only(JsonNode node, String prefix, String... allowed) {
        Set<String> known = Set.of(allowed);
        for (String name : node.propertyNames()) {
            if (!known.contains(name)) {
                throw invalid(prefix + printable(name), "unknown member; expected one of " + known);
            }
        }
    }

    private static String requireString(JsonNode parent, String field, Pattern pattern) {
        JsonNode node = parent.get(field);
        if (absent(node)) {
            throw Problems.exception(ProblemType.MISSING_REQUIRED_PARAMETER, "Missing required parameter: '" + field + "'.", field);
        }
        if (!node.isString()) {
            throw Problems.exception(ProblemType.INVALID_TYPE, "Invalid type for '" + field + "': expected a string.", field);
        }
        return pathId(node.stringValue(), pattern, field);
    }

    private static void requireObject(JsonNode node, String param) {
        if (!node.isObject()) {
            throw Problems.exception(ProblemType.INVALID_TYPE, "Invalid type for '" + param + "': expected an object.", param);
        }
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    /** A member name from the request, made safe to echo: short, printable ASCII only. */
    private static String printable(String name) {
        String safe = name.replaceAll("[^\\x20-\\x7e]", "?");
        return safe.length() > 64 ? safe.substring(0, 64) + "..." : safe;
    }

    static RuntimeException invalid(String param, String rule) {
        return Problems.exception(ProblemType.INVALID_VALUE, "Invalid '" + param + "': " + rule + ".", param);
    }
}
