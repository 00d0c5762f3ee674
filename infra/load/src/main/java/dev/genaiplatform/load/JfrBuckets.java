package dev.genaiplatform.load;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a process's CPU went, in a few named buckets: each CPU sample of a JFR recording (a {@code jdk.ExecutionSample},
 * a thread caught running Java code) goes to the first bucket one of its stack frames matches, or to "the rest".
 * The JDK's own {@code jfr view hot-methods} says which methods run; this says which <em>concern</em> a request's CPU
 * is spent on (verifying tokens, sending to Kafka, polling it), however deep the call that pays for it. Record a
 * service under load, then bucket it:
 *
 * <pre>
 * jcmd &lt;pid&gt; JFR.start settings=profile duration=50s filename=/tmp/orchestrator.jfr
 * java infra/load/src/main/java/dev/genaiplatform/load/JfrBuckets.java /tmp/orchestrator.jfr \
 *     token='CachingJwtDecoder|InternalTokenIssuer' kafka-send=KafkaTemplate.send kafka-poll=KafkaConsumer.poll
 * </pre>
 *
 * A bucket is {@code name=part|part|...}; a frame matches a part when its {@code Class.method} contains it. Order
 * matters: a sample that polls Kafka inside a token check counts as the token's when the token's bucket comes first.
 * A single-file program (no build); docs/benchmarks/platform-overhead.md, "Wave 14", used it.
 */
public final class JfrBuckets {

    static final String REST = "the rest";

    private JfrBuckets() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !Files.isReadable(Path.of(args[0]))) {
            System.err.println("usage: JfrBuckets <recording.jfr> name=part|part ... (at least one bucket; the file must exist)");
            System.exit(2);
        }
        Map<String, List<String>> buckets;
        try {
            buckets = parse(List.of(args).subList(1, args.length));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        buckets.keySet().forEach(name -> counts.put(name, 0));
        counts.put(REST, 0);
        int samples = 0;
        try (RecordingFile recording = new RecordingFile(Path.of(args[0]))) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                    continue;
                }
                samples++;
                counts.merge(bucketOf(frames(event), buckets), 1, Integer::sum);
            }
        }
        System.out.println(samples + " CPU samples in " + args[0]);
        for (Map.Entry<String, Integer> count : counts.entrySet()) {
            System.out.printf(Locale.ROOT, "%6.1f %%  %s%n", samples == 0 ? 0 : 100.0 * count.getValue() / samples, count.getKey());
        }
    }

    /** {@code name=part|part} arguments, in order; a name twice, an empty part or no '=' is refused. */
    static Map<String, List<String>> parse(List<String> arguments) {
        Map<String, List<String>> buckets = new LinkedHashMap<>();
        for (String argument : arguments) {
            int equals = argument.indexOf('=');
            if (equals <= 0 || equals == argument.length() - 1) {
                throw new IllegalArgumentException("a bucket is name=part|part..., not '" + argument + "'");
            }
            String name = argument.substring(0, equals);
            List<String> parts = List.of(argument.substring(equals + 1).split("\\|", -1));
            if (parts.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("an empty part in '" + argument + "' would match every frame");
            }
            if (buckets.put(name, parts) != null || name.equals(REST)) {
                throw new IllegalArgumentException("bucket '" + name + "' is named twice");
            }
        }
        return buckets;
    }

    /** The first bucket (in order) with a part found in any frame, else {@link #REST}. */
    static String bucketOf(List<String> frames, Map<String, List<String>> buckets) {
        for (Map.Entry<String, List<String>> bucket : buckets.entrySet()) {
            for (String part : bucket.getValue()) {
                for (String frame : frames) {
                    if (frame.contains(part)) {
                        return bucket.getKey();
                    }
                }
            }
        }
        return REST;
    }

    private static List<String> frames(RecordedEvent sample) {
        List<String> frames = new ArrayList<>();
        for (RecordedFrame frame : sample.getStackTrace().getFrames()) {
            frames.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
        }
        return frames;
    }
}
