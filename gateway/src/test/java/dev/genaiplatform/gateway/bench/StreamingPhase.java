package dev.genaiplatform.gateway.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Not a test: the streaming half of {@link GatewayBenchmark}, what the gateway adds between the tokens of a streamed
 * answer (issue 13: at most 1 ms at 2,000 streams). {@link BenchUpstream} stamps each token with the time it writes
 * it; the client here (Reactor Netty, in the same JVM and so on the same clock) reads, per token, how long it took to
 * arrive. The same run is made directly against the upstream and through each gateway, so what a gateway adds is the
 * difference at each percentile, under the same machine load.
 *
 * <p>A run opens its streams over a ramp ({@code -Dbench.ramp}, seconds), as clients arrive, not in one instant.
 * Every stream lasts {@code -Dbench.stream-seconds} at {@code -Dbench.token-rate} tokens per second; the run's
 * <em>steady window</em> is the time when every stream is open: from one second after the ramp to half a second
 * before the first stream ends. Only tokens stamped in that window count for the delays, and the gateway's CPU is
 * read at the window's two ends, so CPU per token is the per-token path alone, without any stream's set-up (key,
 * rate limit, budget reservation, internal token, reconciliation). Every stream must end with its {@code [DONE]};
 * one that ends with an error event, without either, or not within its time plus 60 s is counted.
 */
final class StreamingPhase {

    static final String TOKENS_HEADER = "X-Bench-Tokens";

    static final String INTERVAL_HEADER = "X-Bench-Token-Interval";

    private static final String BODY = "{\"model\":\"sim-small\",\"stream\":true,\"max_tokens\":1024,\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"What is retrieval-augmented generation?\"}]}";

    private static final byte[] STAMP = "\"t\":".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] ERROR = "{\"error\"".getBytes(StandardCharsets.US_ASCII);

    /**
     * One client for the whole benchmark: a connection per open stream, none refused or queued, and none kept after
     * its stream (a kept-alive connection reused just as the gateway closed it idle failed a few streams "BEFORE
     * response": a flaw of the client, not of the gateway).
     */
    private static final HttpClient CLIENT = HttpClient.create(ConnectionProvider.builder("bench-streams")
            .maxConnections(20_000).pendingAcquireMaxCount(-1).build())
        .keepAlive(false)
        .responseTimeout(Duration.ofSeconds(60));

    private StreamingPhase() {
    }

    /** The shape of one run: how many streams, their rate and length, the ramp over which they open. */
    record Shape(int streams, int tokensPerSecond, int streamSeconds, double rampSeconds) {

        int tokens() {
            return tokensPerSecond * streamSeconds;
        }

        int intervalMillis() {
            return 1000 / tokensPerSecond;
        }

        String describe() {
            return String.format(Locale.ROOT, "%,d streams x %d tokens/s (%,d tokens/s offered), %d s each, opened over %.1f s",
                    streams, tokensPerSecond, streams * tokensPerSecond, streamSeconds, rampSeconds);
        }
    }

    /**
     * One run against {@code url}. {@code cpu} reads the gateway's process CPU (null for the upstream alone); it is
     * read at the steady window's two ends.
     */
    static Result run(String url, Shape shape, Supplier<Duration> cpu) throws InterruptedException {
        long start = System.nanoTime() + 200_000_000L; // the streams' schedule starts once this thread is ready
        long windowStart = start + (long) (shape.rampSeconds() * 1e9) + 1_000_000_000L;
        long windowEnd = start + shape.streamSeconds() * 1_000_000_000L - 500_000_000L;
        if (windowEnd - windowStart < 2_000_000_000L) {
            throw new IllegalArgumentException("streams too short for their ramp: no steady window of 2 s");
        }
        Stats stats = new Stats(windowStart, windowEnd, (int) Math.min(Integer.MAX_VALUE - 8,
                (long) shape.streams() * shape.tokensPerSecond() * (windowEnd - windowStart) / 1_000_000_000L * 11 / 10 + 1000));
        CountDownLatch ended = new CountDownLatch(shape.streams());
        Thread windowReader = Thread.ofPlatform().name("bench-window").start(() -> {
            sleepUntil(windowStart);
            stats.atWindowStart(cpu);
            sleepUntil(windowEnd);
            stats.atWindowEnd(cpu);
        });
        HttpClient client = CLIENT.headers(h -> h.set("Authorization", "Bearer bench-key")
            .set("Content-Type", "application/json").set(TOKENS_HEADER, shape.tokens())
            .set(INTERVAL_HEADER, shape.intervalMillis()));
        for (int i = 0; i < shape.streams(); i++) {
            sleepUntil(start + (long) (shape.rampSeconds() * 1e9 * i / shape.streams()));
            StreamReader reader = new StreamReader(stats);
            client.post().uri(url).send((request, out) -> out.sendString(reactor.core.publisher.Mono.just(BODY)))
                .response((response, body) -> {
                    reader.status = response.status().code();
                    return body.doOnNext(reader::read);
                })
                .doFinally(signal -> {
                    reader.end();
                    ended.countDown();
                })
                .subscribe(ignored -> { }, failure -> { });
        }
        boolean all = ended.await(shape.streamSeconds() + 60L, TimeUnit.SECONDS);
        windowReader.join();
        return stats.result(all ? 0 : (int) ended.getCount());
    }

    private static void sleepUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** Reads one stream's events as they arrive; an event may be split over two reads, so a tail is carried. */
    private static final class StreamReader {

        private final Stats stats;

        volatile int status;

        private byte[] tail = new byte[0];

        private int tokens;

        private boolean done;

        private boolean error;

        StreamReader(Stats stats) {
            this.stats = stats;
        }

        void read(ByteBuf part) {
            long now = System.nanoTime();
            byte[] bytes = new byte[tail.length + part.readableBytes()];
            System.arraycopy(tail, 0, bytes, 0, tail.length);
            part.getBytes(part.readerIndex(), bytes, tail.length, part.readableBytes());
            int eventStart = 0;
            for (int i = 0; i + 1 < bytes.length; i++) {
                if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
                    event(bytes, eventStart, i, now);
                    eventStart = i + 2;
                    i++;
                }
            }
            tail = Arrays.copyOfRange(bytes, eventStart, bytes.length);
        }

        private void event(byte[] bytes, int start, int end, long now) {
            int stamp = indexOf(bytes, start, end, STAMP);
            if (stamp >= 0) {
                long sent = 0;
                for (int i = stamp + STAMP.length; i < end && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
                    sent = sent * 10 + (bytes[i] - '0');
                }
                stats.token(sent, now - sent);
                tokens++;
            }
            else if (indexOf(bytes, start, end, DONE) == start) {
                done = true;
            }
            else if (indexOf(bytes, start, end, ERROR) >= 0) {
                error = true;
            }
        }

        void end() {
            stats.streamEnded(status == 200 && done, error, tokens);
        }

        private static int indexOf(byte[] bytes, int from, int to, byte[] what) {
            outer:
            for (int i = from; i + what.length <= to; i++) {
                for (int j = 0; j < what.length; j++) {
                    if (bytes[i + j] != what[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /** What every stream of a run adds up to; written from the client's event loops. */
    private static final class Stats {

        private final long windowStart;

        private final long windowEnd;

        private final long[] windowDelays;

        private final AtomicInteger windowTokens = new AtomicInteger();

        /** Tokens that arrived in the window, whenever stamped: what the gateway passed on while its CPU was read. */
        private final AtomicLong windowArrivals = new AtomicLong();

        private final AtomicLong maxDelay = new AtomicLong();

        private final AtomicInteger finished = new AtomicInteger();

        private final AtomicInteger errorEvents = new AtomicInteger();

        private final AtomicInteger broken = new AtomicInteger();

        private final AtomicLong tokens = new AtomicLong();

        private volatile long gatewayCpuStart;

        private volatile long gatewayCpuEnd;

        private volatile long ownCpuStart;

        private volatile long ownCpuEnd;

        private volatile long[] machineStart;

        private volatile long[] machineEnd;

        private volatile String loadAverage;

        Stats(long windowStart, long windowEnd, int capacity) {
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.windowDelays = new long[capacity];
        }

        void token(long sent, long delay) {
            tokens.incrementAndGet();
            maxDelay.accumulateAndGet(delay, Math::max);
            long arrived = sent + delay;
            if (arrived >= windowStart && arrived < windowEnd) {
                windowArrivals.incrementAndGet();
            }
            if (sent >= windowStart && sent < windowEnd) {
                int at = windowTokens.getAndIncrement();
                if (at < windowDelays.length) {
                    windowDelays[at] = delay;
                }
            }
        }

        void streamEnded(boolean withFinish, boolean withErrorEvent, int streamTokens) {
            if (withFinish) {
                finished.incrementAndGet();
            }
            else if (withErrorEvent) {
                errorEvents.incrementAndGet();
            }
            else {
                broken.incrementAndGet();
            }
        }

        void atWindowStart(Supplier<Duration> cpu) {
            gatewayCpuStart = cpu == null ? 0 : cpu.get().toNanos();
            ownCpuStart = ownCpu();
            machineStart = MachineCpu.read();
        }

        void atWindowEnd(Supplier<Duration> cpu) {
            gatewayCpuEnd = cpu == null ? 0 : cpu.get().toNanos();
            ownCpuEnd = ownCpu();
            machineEnd = MachineCpu.read();
            loadAverage = GatewayBenchmark.loadAverage();
        }

        Result result(int unended) {
            int n = Math.min(windowTokens.get(), windowDelays.length);
            long[] delays = Arrays.copyOf(windowDelays, n);
            Arrays.sort(delays);
            double seconds = (windowEnd - windowStart) / 1e9;
            return new Result(delays, windowArrivals.get(), tokens.get(), maxDelay.get(), finished.get(), errorEvents.get(), broken.get(),
                    unended, (gatewayCpuEnd - gatewayCpuStart) / 1e6, (ownCpuEnd - ownCpuStart) / 1e6, seconds,
                    MachineCpu.busyCores(machineStart, machineEnd), loadAverage);
        }

        private static long ownCpu() {
            return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
        }
    }

    /**
     * One run's outcome. Delays are those of the tokens stamped in the steady window, sorted; the CPU numbers are
     * milliseconds over that window; {@code machineBusyCores} is what /proc/stat says every process used, in cores.
     */
    record Result(long[] delays, long arrivedInWindow, long tokens, long maxDelayNanos, int finished, int errorEvents, int broken, int unended,
            double gatewayCpuMillis, double benchCpuMillis, double windowSeconds, double machineBusyCores,
            String loadAverage) {

        double pct(double percentile) {
            if (delays.length == 0) {
                return Double.NaN;
            }
            return delays[(int) Math.min(delays.length - 1, Math.ceil(percentile / 100 * delays.length) - 1)] / 1e6;
        }

        double mean() {
            return Arrays.stream(delays).average().orElse(Double.NaN) / 1e6;
        }

        /**
         * Gateway CPU per token in the steady window, in microseconds: over the tokens that arrived in it (when the
         * gateway falls behind, those stamped in the window are not those it worked on in the window).
         */
        double gatewayMicrosPerToken() {
            return arrivedInWindow == 0 ? Double.NaN : gatewayCpuMillis * 1000 / arrivedInWindow;
        }

        /** Bench JVM (upstream and client) CPU per token in the window, in microseconds. */
        double benchMicrosPerToken() {
            return arrivedInWindow == 0 ? Double.NaN : benchCpuMillis * 1000 / arrivedInWindow;
        }

        double tokensPerSecond() {
            return arrivedInWindow / windowSeconds;
        }

        String describe(String name) {
            return String.format(Locale.ROOT, "%-8s window %.1f s, %,.0f tokens/s arrived; per-token delay p50 %.3f, p90 %.3f, "
                    + "p99 %.3f, p99.9 %.3f, mean %.3f ms (max of the run %.1f ms); streams: %d finished, %d error events, "
                    + "%d broken, %d unended; CPU in the window: gateway %.2f cores (%.1f us/token), bench JVM %.2f cores "
                    + "(%.1f us/token), machine %.2f of %d cores; loadavg %s", name, windowSeconds, tokensPerSecond(), pct(50), pct(90), pct(99),
                    pct(99.9), mean(), maxDelayNanos / 1e6, finished, errorEvents, broken, unended,
                    gatewayCpuMillis / 1000 / windowSeconds, gatewayMicrosPerToken(), benchCpuMillis / 1000 / windowSeconds,
                    benchMicrosPerToken(),
                    machineBusyCores, Runtime.getRuntime().availableProcessors(), loadAverage);
        }
    }

    /** The machine's CPU time from /proc/stat: busy and total jiffies (empty where there is no /proc). */
    private static final class MachineCpu {

        static long[] read() {
            try {
                List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat"));
                long[] fields = Arrays.stream(lines.get(0).substring(3).trim().split("\\s+")).mapToLong(Long::parseLong)
                    .toArray();
                long idle = fields[3] + fields[4];
                long total = Arrays.stream(fields).limit(8).sum();
                return new long[] { total - idle, total };
            }
            catch (java.io.IOException | RuntimeException notLinux) {
                return new long[] { 0, 0 };
            }
        }

        static double busyCores(long[] start, long[] end) {
            if (start == null || end == null || end[1] == start[1]) {
                return Double.NaN;
            }
            return (double) (end[0] - start[0]) / (end[1] - start[1]) * Runtime.getRuntime().availableProcessors();
        }
    }
}
