package dev.genaiplatform.launcher;

import java.util.List;
import java.util.Map;

/**
 * How to run one service of the platform as its own JVM.
 *
 * @param name           the service's name, also its log file name
 * @param moduleDir      the Maven module, relative to the repository root; its runnable jar is in target/
 * @param port           the HTTP port it listens on
 * @param managementPort the port of its actuator endpoints (health, metrics), bound to loopback
 * @param maxHeap        the -Xmx for its JVM
 * @param jvmArgs        extra JVM options this service needs
 * @param env            environment variables that wire it to the others (its application.yml reads them)
 * @param extraArgs      extra command-line arguments (Spring properties), e.g. from a test
 */
record ServiceSpec(String name, String moduleDir, int port, int managementPort, String maxHeap, List<String> jvmArgs,
                   Map<String, String> env, List<String> extraArgs) {

    /**
     * Whether it talks to the broker, Redis or PostgreSQL, and so must wait for them; the simulator (a model provider
     * standing in for a remote API) needs none and starts while they do.
     */
    boolean needsStores() {
        return env.containsKey("SPRING_KAFKA_BOOTSTRAP_SERVERS") || env.containsKey("SPRING_DATA_REDIS_HOST")
                || env.containsKey("SPRING_DATASOURCE_URL");
    }

    /** Where a service that follows ADR 0004 answers readiness: its management port. */
    String readinessUrl() {
        return "http://127.0.0.1:" + managementPort + "/actuator/health/readiness";
    }

    /** Where a service that has not moved actuator to a management port yet answers it. */
    String legacyReadinessUrl() {
        return "http://127.0.0.1:" + port + "/actuator/health/readiness";
    }
}
