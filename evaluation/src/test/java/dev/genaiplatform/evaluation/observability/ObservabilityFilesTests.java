package dev.genaiplatform.evaluation.observability;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed Grafana dashboard and Prometheus files parse, and every query in them names only metrics the
 * platform exports ({@code infra/observability/exported-metrics.txt}), so a renamed meter cannot silently
 * leave an empty panel or an alert that never fires.
 */
class ObservabilityFilesTests {

    private static final Path ROOT = Path.of("..", "infra", "observability");
    /** PromQL words that are not metric names. */
    private static final Set<String> PROMQL = Set.of("sum", "rate", "increase", "by", "without", "and", "or",
            "unless", "histogram_quantile", "label_values", "avg", "max", "min", "count", "on", "ignoring",
            "group_left", "group_right", "clamp_min", "clamp_max", "abs", "bool", "offset");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)");

    @Test
    void everyDashboardQueryNamesAnExportedMetric() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(ROOT.resolve("grafana/platform-overview.json").toFile());
        List<String> queries = new ArrayList<>();
        collect(dashboard, queries);
        assertThat(queries).hasSizeGreaterThan(15);
        assertThat(dashboard.at("/templating/list")).anySatisfy(v -> assertThat(v.get("name").asString()).isEqualTo("tenant"));
        for (String query : queries) {
            assertThat(exported()).as("metrics named in: " + query).containsAll(metricsIn(query));
            assertThat(metricsIn(query)).as("a query without a metric: " + query).isNotEmpty();
        }
    }

    @Test
    void everyRuleNamesAnExportedMetricAndEveryAlertSaysWhatToDo() throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(ROOT.resolve("prometheus/alerts.yml")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = (List<Map<String, Object>>) rules.get("groups");
        int count = 0;
        for (Map<String, Object> group : groups) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = (List<Map<String, Object>>) group.get("rules");
            for (Map<String, Object> rule : list) {
                String expr = (String) rule.get("expr");
                assertThat(exported()).as(rule + ": " + expr).containsAll(metricsIn(expr));
                if (rule.containsKey("alert")) {
                    assertThat(rule).containsKeys("for", "labels", "annotations");
                    count++;
                } else {
                    assertThat((String) rule.get("record")).as("recording rule name level:metric:operations")
                            .matches("[a-z_]+:[a-z_]+:[a-z0-9_]+");
                }
            }
        }
        assertThat(count).isGreaterThanOrEqualTo(4);
    }

    @Test
    void prometheusScrapesEveryServicesManagementPort() throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(ROOT.resolve("prometheus/prometheus.yml")));
        String text = config.get("scrape_configs").toString();
        for (int port : new int[]{9080, 9081, 9082, 9083, 9084, 9085, 9090}) {
            assertThat(text).contains("127.0.0.1:" + port);
        }
        assertThat(text).contains("/actuator/prometheus");
        assertThat(config.get("rule_files").toString()).contains("alerts.yml");
    }

    @Test
    void extractsMetricNamesAndNothingElse() {
        assertThat(metricsIn("histogram_quantile(0.95, sum by (le, model) (rate(platform_chat_latency_seconds_bucket{tenant=~\"$tenant\",outcome=\"x y\"}[$__rate_interval])))"))
                .containsExactly("platform_chat_latency_seconds_bucket");
        assertThat(metricsIn("label_values(platform_chat_requests_total, tenant)")).containsExactly("platform_chat_requests_total");
    }

    /** Metric names in a PromQL expression: strings, label matchers, ranges, groupings and functions removed. */
    static Set<String> metricsIn(String query) {
        String stripped = query.replaceAll("\"[^\"]*\"", "")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ");
        stripped = GROUPING.matcher(stripped).replaceAll(" ");
        stripped = stripped.replaceAll("label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,[^)]*\\)", "$1");
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = IDENTIFIER.matcher(stripped);
        while (matcher.find()) {
            String word = matcher.group();
            if (!PROMQL.contains(word) && !word.matches("e\\d*")) {
                names.add(word);
            }
        }
        return names;
    }

    private static Set<String> exported() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("exported-metrics.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.trim());
            }
        }
        return names;
    }

    private static void collect(JsonNode node, List<String> queries) {
        if (node.isObject()) {
            node.properties().forEach(entry -> {
                if ((entry.getKey().equals("expr") || entry.getKey().equals("query")) && entry.getValue().isString()
                        && !entry.getValue().asString().equals("prometheus")) {
                    queries.add(entry.getValue().asString());
                } else {
                    collect(entry.getValue(), queries);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, queries));
        }
    }
}
