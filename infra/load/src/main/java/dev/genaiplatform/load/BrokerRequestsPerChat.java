package dev.genaiplatform.load;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one grounded chat request asks of the Kafka broker: requests by kind (produce, fetch, offset commit, ...) and
 * records by topic, read from the broker's own metrics before and after a run of sequential chat requests, with the
 * broker's background (heartbeats and idle fetches of every consumer) measured over an idle window of the same
 * length and taken off. These are the inputs a capacity model needs for the broker (requests/s and records/s per
 * chat request/s), and they show where a message on the path could be saved.
 *
 * <pre>java infra/load/src/main/java/dev/genaiplatform/load/BrokerRequestsPerChat.java [requests=200] [gateway-url]</pre>
 *
 * Runs on the machine of a {@code ./platform.sh} (the broker lives in the launcher's JVM; this program attaches to
 * it as the same user, like {@code jcmd}). Each request is the same question with {@code Cache-Control: no-cache},
 * so every one runs the whole pipeline. The API key comes from {@code API_KEY} (default: the demo key).
 */
public final class BrokerRequestsPerChat {

    private static final String QUESTION = """
            {"model":"sim-small","messages":[{"role":"user","content":"How does retrieval rank passages?"}]}""";

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? parsePositive(args[0]) : 200;
        String gateway = args.length > 1 ? args[1] : "http://127.0.0.1:8080";
        String key = System.getenv().getOrDefault("API_KEY", "demo-local-key");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest chat = HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("Cache-Control", "no-cache").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(QUESTION)).build();

        Broker broker = attachToBroker();
        try {
            for (int i = 0; i < Math.min(50, requests); i++) { // warm-up: every consumer has joined and fetched
                send(client, chat);
            }
            Map<String, Long> before = counts(broker.metrics());
            long loadStart = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                send(client, chat);
            }
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            Map<String, Long> afterLoad = counts(broker.metrics());
            Thread.sleep(Math.max(10_000, (long) (loadSeconds * 1000)));
            Map<String, Long> afterIdle = counts(broker.metrics());
            double idleSeconds = (System.nanoTime() - loadStart) / 1e9 - loadSeconds;
            print(requests, loadSeconds, idleSeconds, before, afterLoad, afterIdle);
        }
        finally {
            broker.close();
        }
    }

    private static void send(HttpClient client, HttpRequest chat) throws Exception {
        HttpResponse<Void> answer = client.send(chat, HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() != 200) {
            System.err.println("a chat request answered " + answer.statusCode()
                    + ": start the platform with the demo limits lifted (infra/load/README.md)");
            System.exit(1);
        }
    }

    /** A JVM of this user with a Kafka broker inside, and a JMX connection to it. */
    private record Broker(VirtualMachine jvm, JMXConnector connector) {

        MBeanServerConnection metrics() throws Exception {
            return connector.getMBeanServerConnection();
        }

        void close() throws Exception {
            connector.close();
            jvm.detach();
        }
    }

    /**
     * The launcher's JVM: the first local JVM whose name says launcher and that has a broker's metrics.
     */
    private static Broker attachToBroker() throws Exception {
        for (VirtualMachineDescriptor candidate : VirtualMachine.list()) {
            String name = candidate.displayName();
            // Maven's JVM and the JDK's source launcher running this very file have "launcher" in their names too
            if (!name.contains("launcher") || name.contains("org.codehaus.plexus")
                    || candidate.id().equals(Long.toString(ProcessHandle.current().pid()))) {
                continue;
            }
            VirtualMachine jvm = VirtualMachine.attach(candidate);
            JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(jvm.startLocalManagementAgent()));
            if (!connector.getMBeanServerConnection().queryNames(new ObjectName("kafka.server:*"), null).isEmpty()) {
                return new Broker(jvm, connector);
            }
            connector.close();
            jvm.detach();
        }
        System.err.println("no launcher JVM with a Kafka broker runs as this user here: start ./platform.sh first");
        System.exit(1);
        return null;
    }

    /** Cumulative counters: requests by API key (all versions summed), records in by topic. */
    private static Map<String, Long> counts(MBeanServerConnection broker) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (ObjectName name : broker.queryNames(
                new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
            String kind = name.getKeyProperty("request");
            // FetchConsumer and FetchFollower are subsets of Fetch, counted again under their own names
            if (!kind.equals("FetchConsumer") && !kind.equals("FetchFollower")) {
                counts.merge("request " + kind, ((Number) broker.getAttribute(name, "Count")).longValue(), Long::sum);
            }
        }
        for (ObjectName name : broker.queryNames(
                new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=*"), null)) {
            counts.put("records " + name.getKeyProperty("topic"), ((Number) broker.getAttribute(name, "Count")).longValue());
        }
        return counts;
    }

    private static void print(int requests, double loadSeconds, double idleSeconds, Map<String, Long> before,
                              Map<String, Long> afterLoad, Map<String, Long> afterIdle) {
        System.out.printf("%d chat requests in %.1f s; background measured over %.1f s idle and taken off%n",
                requests, loadSeconds, idleSeconds);
        System.out.printf("%-48s %14s %14s%n", "", "per request", "idle, per s");
        double requestsTotal = 0;
        double recordsTotal = 0;
        for (String name : afterIdle.keySet()) {
            double idlePerSecond = (afterIdle.get(name) - afterLoad.getOrDefault(name, 0L)) / idleSeconds;
            double duringLoad = afterLoad.getOrDefault(name, 0L) - before.getOrDefault(name, 0L);
            double perRequest = Math.max(0, duringLoad - idlePerSecond * loadSeconds) / requests;
            if (perRequest < 0.005 && idlePerSecond < 0.005) {
                continue;
            }
            System.out.printf("%-48s %14.2f %14.2f%n", name, perRequest, idlePerSecond);
            if (name.startsWith("request ")) {
                requestsTotal += perRequest;
            }
            else {
                recordsTotal += perRequest;
            }
        }
        System.out.printf("all: %.1f broker requests and %.1f records per chat request%n", requestsTotal, recordsTotal);
    }

    private static int parsePositive(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 10 && n <= 100_000) {
                return n;
            }
        }
        catch (NumberFormatException ignored) {
            // the message below
        }
        System.err.println("requests: a whole number from 10 to 100000, not '" + value + "'");
        System.exit(2);
        return 0;
    }
}
