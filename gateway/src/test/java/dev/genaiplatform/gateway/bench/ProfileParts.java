package dev.genaiplatform.gateway.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Not a test: splits a gateway's JFR execution samples (from {@code GatewayBenchmark -Dbench.jfr=<label>}) into the
 * parts of a request the README's profile table names. Each sample goes to the part of the nearest frame from the
 * top of its stack that belongs to one (JDK collections, strings and the like belong to none, so they count for
 * whoever called them); samples with no such frame are "JVM and the rest". The split is approximate by design.
 *
 * <p>{@code java -cp <test classpath> dev.genaiplatform.gateway.bench.ProfileParts target/after.jfr [cpu ms/request]}
 */
public final class ProfileParts {

    /** Part name, then the frame prefixes (class name + "." + method) that belong to it; the first part that matches wins. */
    private static final Map<String, List<String>> PARTS = parts();

    private static Map<String, List<String>> parts() {
        Map<String, List<String>> parts = new LinkedHashMap<>();
        parts.put("Internal token: claims and the ES256 signature", List.of("dev.genaiplatform.gateway.token.",
                "sun.security.ec.", "sun.security.util.math.", "sun.security.provider.SHA", "java.security.Signature",
                "com.nimbusds.", "java.util.Base64"));
        parts.put("Redis client: rate-limit and budget scripts, Lettuce encode/decode", List.of("io.lettuce.",
                "org.springframework.data.redis.", "dev.genaiplatform.gateway.budget.BudgetLedger",
                "org.springframework.cloud.gateway.filter.ratelimit.", "dev.genaiplatform.gateway.ratelimit.ApiKeyRateLimit"));
        parts.put("Tracing: observations, spans, context propagation", List.of("io.micrometer.tracing.",
                "io.opentelemetry.", "io.micrometer.observation.", "io.micrometer.context.",
                "dev.genaiplatform.gateway.observability.", "org.springframework.http.server.reactive.observation.",
                "org.springframework.web.filter.reactive.ServerHttpObservationFilter"));
        parts.put("Metrics and logging", List.of("io.micrometer.", "ch.qos.logback.", "org.slf4j.", "org.apache.logging."));
        parts.put("Chat validation (strict JSON parse) and the token estimate", List.of(
                "dev.genaiplatform.gateway.validation.", "com.knuddels.jtokkit.", "dev.genaiplatform.gateway.budget.TokenEstimator",
                "com.fasterxml.jackson.", "tools.jackson."));
        parts.put("Proxying: Reactor Netty client to the upstream", List.of("reactor.netty.http.client.",
                "reactor.netty.resources.", "org.springframework.cloud.gateway.filter.NettyRoutingFilter",
                "org.springframework.cloud.gateway.filter.NettyWriteResponseFilter"));
        parts.put("Netty and Reactor Netty server: HTTP codec, socket reads and writes", List.of("io.netty.", "reactor.netty."));
        parts.put("Spring WebFlux / Gateway filter chain, routing, header maps, Reactor operators", List.of(
                "org.springframework.", "reactor.core.", "reactor.util."));
        parts.put("The gateway's other checks (key lookup, door, path, scope, size, budget, usage capture)", List.of(
                "dev.genaiplatform.gateway."));
        return parts;
    }

    public static void main(String[] args) throws Exception {
        double cpuPerRequest = args.length > 1 ? Double.parseDouble(args[1]) : Double.NaN;
        Map<String, Integer> counts = new LinkedHashMap<>();
        PARTS.keySet().forEach(part -> counts.put(part, 0));
        counts.put("JVM and the rest", 0);
        int total = 0;
        try (RecordingFile recording = new RecordingFile(Path.of(args[0]))) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                    continue;
                }
                total++;
                counts.merge(partOf(event.getStackTrace().getFrames()), 1, Integer::sum);
            }
        }
        System.out.printf(Locale.ROOT, "%d samples%n| Part | Share | CPU per request |%n|---|---|---|%n", total);
        for (Map.Entry<String, Integer> part : counts.entrySet()) {
            double share = total == 0 ? 0 : part.getValue() / (double) total;
            System.out.printf(Locale.ROOT, "| %s | %.1f %% | %s |%n", part.getKey(), 100 * share,
                    Double.isNaN(cpuPerRequest) ? "" : String.format(Locale.ROOT, "%.2f ms", share * cpuPerRequest));
        }
    }

    private static String partOf(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String name = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
            for (Map.Entry<String, List<String>> part : PARTS.entrySet()) {
                for (String prefix : part.getValue()) {
                    if (name.startsWith(prefix)) {
                        return part.getKey();
                    }
                }
            }
        }
        return "JVM and the rest";
    }
}
