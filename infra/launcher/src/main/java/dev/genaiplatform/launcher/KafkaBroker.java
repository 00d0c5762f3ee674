package dev.genaiplatform.launcher;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one process) running inside the
 * launcher's JVM. It is Kafka's own server class, not a mock: the services talk to it over TCP exactly
 * as they would talk to a production cluster, only with replication factor 1.
 *
 * <p>Every connection must authenticate (SASL/PLAIN, one user per service, passwords from
 * {@link PlatformSecrets}) and every operation must be allowed by an ACL ({@link #grantExactly}, from
 * {@link KafkaAccess}); the log, ACLs included, lives in a data directory that survives restarts.
 */
final class KafkaBroker implements AutoCloseable {

    /** The broker's own user: inter-broker and broker-to-controller connections. */
    static final String BROKER_USER = "broker";
    static final String SASL_MECHANISM = "PLAIN";
    static final String SECURITY_PROTOCOL = "SASL_PLAINTEXT";

    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final Map<String, String> users;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    /**
     * @param dataDir the log directory; formatted on first use, reused afterwards
     * @param users   user name to password; must include {@link #BROKER_USER}
     */
    KafkaBroker(int port, int controllerPort, Path dataDir, Map<String, String> users) {
        this(port, controllerPort, dataDir, users, Map.of());
    }

    /** @param overrides broker properties that replace the launcher's own (benchmarks compare settings with them) */
    KafkaBroker(int port, int controllerPort, Path dataDir, Map<String, String> users, Map<String, String> overrides) {
        if (!users.containsKey(BROKER_USER)) {
            throw new IllegalArgumentException("The broker needs a password for its own user '" + BROKER_USER + "'");
        }
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir;
        this.users = new LinkedHashMap<>(users);
        this.overrides = Map.copyOf(overrides);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** What a client needs besides the bootstrap servers: the same keys Spring Boot binds under spring.kafka. */
    static Map<String, String> clientSecurity(String user, String password) {
        return Map.of("security.protocol", SECURITY_PROTOCOL,
                "sasl.mechanism", SASL_MECHANISM,
                "sasl.jaas.config", plainLogin(user, password, Map.of()));
    }

    void start() throws IOException {
        Files.createDirectories(dataDir);
        KafkaConfig config = KafkaConfig.fromProps(brokerProperties());
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            formatStorage();
        }
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "CLIENT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "CLIENT");
        // both listeners authenticate: a local process without a password can neither read prompts from a
        // topic nor talk to the controller
        p.put("listener.security.protocol.map", "CLIENT:" + SECURITY_PROTOCOL + ",CONTROLLER:" + SECURITY_PROTOCOL);
        p.put("sasl.enabled.mechanisms", SASL_MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", SASL_MECHANISM);
        p.put("sasl.mechanism.controller.protocol", SASL_MECHANISM);
        String jaas = plainLogin(BROKER_USER, users.get(BROKER_USER), users);
        p.put("listener.name.client.plain.sasl.jaas.config", jaas);
        p.put("listener.name.controller.plain.sasl.jaas.config", jaas);
        // least privilege (KafkaAccess): nothing is allowed that no ACL allows, and only the broker's own user (its
        // inter-broker and controller connections, and the launcher's admin client that writes the ACLs) is above them
        p.put("authorizer.class.name", StandardAuthorizer.class.getName());
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + BROKER_USER);
        p.put("log.dirs", dataDir.toString());
        // one node: every internal topic must live with a single replica
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // consumers join at once instead of waiting 3 s for more members that will never come
        p.put("group.initial.rebalance.delay.ms", "0");
        // Kafka 4's group coordinator holds each offset commit up to 5 ms to batch it with others; a listener that
        // commits after a poll waits that long before it polls again, so a request/reply service answers its next
        // request up to 5 ms late (KafkaRoundTripBenchmark, infra/launcher README). Here commits are few and small: write at once.
        p.put("group.coordinator.append.linger.ms", "0");
        p.put("num.partitions", "3");
        p.put("auto.create.topics.enable", "true");
        // the default puts 128 MiB on the heap for log compaction we barely use
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 << 20));
        // a laptop's disk: keep a week or 1 GiB per partition, whichever comes first
        p.put("log.retention.hours", "168");
        p.put("log.retention.bytes", String.valueOf(1L << 30));
        // two cores: one thread per core for each stage answers loopback requests as fast as the defaults' 3 + 8
        // (+ 10 background) do, without the extra threads contending for the same two cores under load; a fetch
        // waiting for data holds no thread (it waits in the broker's purgatory)
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.putAll(overrides);
        return p;
    }

    /**
     * Makes the broker's ACLs exactly {@code wanted}: adds the missing ones and deletes any other (ACLs live in the
     * cluster's metadata log, so a rule dropped from the table would otherwise outlive it on an old data directory).
     * Returns once the broker enforces them, so no client can race the rules.
     */
    void grantExactly(Collection<AclBinding> wanted) {
        try (Admin admin = admin()) {
            Set<AclBinding> existing = new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
            List<AclBinding> stale = existing.stream().filter(binding -> !wanted.contains(binding)).toList();
            if (!stale.isEmpty()) {
                admin.deleteAcls(stale.stream().map(AclBinding::toFilter).toList()).all().get(30, TimeUnit.SECONDS);
            }
            List<AclBinding> missing = wanted.stream().filter(binding -> !existing.contains(binding)).toList();
            if (!missing.isEmpty()) {
                admin.createAcls(missing).all().get(30, TimeUnit.SECONDS);
            }
            // the controller has committed them; the broker applies them from the metadata log a moment later, and
            // answers DescribeAcls from what it applied
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Set.copyOf(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS))
                    .equals(Set.copyOf(wanted))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The broker did not apply its ACLs within 30 s");
                }
                Thread.sleep(50);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not set the broker's ACLs", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while setting the broker's ACLs", e);
        }
    }

    /** An admin client logged in as the broker's own user, the one super user. */
    private Admin admin() {
        Map<String, Object> config = new HashMap<>(clientSecurity(BROKER_USER, users.get(BROKER_USER)));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(config);
    }

    /** The ACLs the broker enforces now (read as the broker's super user). */
    Set<AclBinding> acls() {
        try (Admin admin = admin()) {
            return Set.copyOf(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not read the broker's ACLs", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the broker's ACLs", e);
        }
    }

    /**
     * SASL/PLAIN's JAAS line: the login identity, and on the server side the accepted users
     * ({@code user_<name>="<password>"}). Passwords are Base64url, so they need no escaping.
     */
    static String plainLogin(String user, String password, Map<String, String> acceptedUsers) {
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required")
                .append(" username=\"").append(user).append("\" password=\"").append(password).append('"');
        acceptedUsers.forEach((name, secret) -> jaas.append(" user_").append(name).append("=\"").append(secret).append('"'));
        return jaas.append(';').toString();
    }

    /** The equivalent of {@code kafka-storage.sh format}: a fresh cluster id for a fresh data directory. */
    private void formatStorage() {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(dataDir.toString())
                    .setDirectories(Set.of(dataDir.toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka storage in " + dataDir, e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }
}
