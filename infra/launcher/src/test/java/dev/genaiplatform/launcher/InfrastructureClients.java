package dev.genaiplatform.launcher;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Plain clients for the tests: Kafka's own, and Redis spoken over a socket (RESP inline commands). */
final class InfrastructureClients {

    static void send(String bootstrap, Map<String, String> security, String topic, String value) throws Exception {
        Map<String, Object> config = new HashMap<>(security);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "key", value)).get();
        }
    }

    /** Every value on {@code topic} from the beginning, read by a fresh consumer group. */
    static List<String> readAll(String bootstrap, Map<String, String> security, String topic, int expected) {
        return readAll(bootstrap, security, topic, expected, "test-" + UUID.randomUUID());
    }

    /**
     * As above, in consumer group {@code group}: under the broker's ACLs, a service user may use only groups that
     * start with its row's prefix ({@link KafkaAccess}).
     */
    static List<String> readAll(String bootstrap, Map<String, String> security, String topic, int expected,
                                String group) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            for (int i = 0; i < 30 && values.size() < expected; i++) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(1));
                records.records(topic).forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }

    /** Sends inline Redis commands on one connection and returns the first line of each reply. */
    static List<String> redis(int port, String... commands) throws IOException {
        return redis("127.0.0.1", port, commands);
    }

    static List<String> redis(String host, int port, String... commands) throws IOException {
        try (Socket socket = new Socket(host, port);
             OutputStream out = socket.getOutputStream();
             var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            socket.setSoTimeout(10_000);
            List<String> replies = new ArrayList<>();
            for (String command : commands) {
                out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String reply = in.readLine();
                if (reply.startsWith("$") && !reply.equals("$-1")) {
                    reply = in.readLine();
                }
                replies.add(reply);
            }
            return replies;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private InfrastructureClients() {
    }
}
