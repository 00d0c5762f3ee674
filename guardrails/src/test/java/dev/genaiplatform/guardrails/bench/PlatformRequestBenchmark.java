package dev.genaiplatform.guardrails.bench;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.sun.management.OperatingSystemMXBean;
import dev.genaiplatform.guardrails.TestTokens;
import dev.genaiplatform.guardrails.security.InternalTokenSecurity;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * CPU per chat request, an earlier build of this module against the current one, side by side in one JVM: each
 * build's classes are loaded by a class loader of their own (child first for {@code dev.genaiplatform.guardrails}),
 * both run {@link OneChatRequest} (input check, one screening of five passages, answer check, with token, JSON
 * and verdict events), taking turns round after round on the same requests. CPU is the process's CPU time (every
 * thread, ONNX Runtime's included) and the thread's own, per request; wall p50/p99 per request.
 *
 * <pre>
 * git archive &lt;earlier commit&gt; | tar -x -C /tmp/before &amp;&amp; (cd /tmp/before &amp;&amp; ./mvnw -q -B -pl guardrails -am compile)
 * guardrails/run-main.sh dev.genaiplatform.guardrails.bench.PlatformRequestBenchmark /tmp/before/guardrails/target/classes same 10 200
 * </pre>
 * (earlier build's classes, {@code same} or {@code fresh}, rounds, requests per build and round)
 */
public final class PlatformRequestBenchmark {

    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        Path before = Path.of(args[0]);
        String mode = args.length > 1 ? args[1] : "same";
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int perRound = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        Path testClasses = Path.of(OneChatRequest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path current = testClasses.resolveSibling("classes");
        Map<String, IntFunction<Runnable>> builds = new LinkedHashMap<>();
        builds.put("before (" + before + ")", load(before, testClasses, mode));
        builds.put("after (this checkout)", load(current, testClasses, mode));
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        builds.keySet().forEach(name -> results.put(name, new ArrayList<>()));
        int warmUp = mode.equals("same") ? 2_000 : 100;
        for (var build : builds.values()) {
            run(build, 0, warmUp); // JIT, MiniLM's first runs, the caches a platform at load has warm
        }
        int next = warmUp;
        for (int round = 0; round < rounds; round++) {
            for (var build : builds.entrySet()) {
                Runnable[] requests = new Runnable[perRound];
                for (int i = 0; i < perRound; i++) {
                    requests[i] = build.getValue().apply(next + i); // tokens signed and commands written outside the measure
                }
                Thread.sleep(200);
                long cpu = OS.getProcessCpuTime();
                long thread = THREADS.getCurrentThreadCpuTime();
                long[] walls = new long[perRound];
                for (int i = 0; i < perRound; i++) {
                    long started = System.nanoTime();
                    requests[i].run();
                    walls[i] = System.nanoTime() - started;
                }
                double processMs = (OS.getProcessCpuTime() - cpu) / 1e6 / perRound;
                double threadMs = (THREADS.getCurrentThreadCpuTime() - thread) / 1e6 / perRound;
                Arrays.sort(walls);
                results.get(build.getKey()).add(new double[] {processMs, threadMs, walls[perRound / 2] / 1e6,
                        walls[perRound * 99 / 100] / 1e6});
                System.out.printf(Locale.ROOT, "round %d %-60s %6.3f ms process CPU, %6.3f ms thread CPU per request%n",
                        round, build.getKey(), processMs, threadMs);
            }
            next += perRound;
        }
        System.out.printf(Locale.ROOT, "%nmode %s, %d rounds x %d requests; load average %s%n", mode, rounds, perRound,
                Files.readString(Path.of("/proc/loadavg")).strip());
        System.out.println("| build | process CPU per request (median of rounds) | min..max | thread CPU | wall p50 | wall p99 |");
        System.out.println("|---|---|---|---|---|---|");
        for (var result : results.entrySet()) {
            double[] cpu = column(result.getValue(), 0);
            System.out.printf(Locale.ROOT, "| %s | %.3f ms | %.3f..%.3f | %.3f ms | %.3f ms | %.3f ms |%n",
                    result.getKey(), median(cpu), cpu[0], cpu[cpu.length - 1], median(column(result.getValue(), 1)),
                    median(column(result.getValue(), 2)), median(column(result.getValue(), 3)));
        }
        // the part of a request both builds share: one ES256 verification of the request's new token
        var decoder = new CachingJwtDecoder(verifier());
        String[] tokens = new String[perRound];
        for (int i = 0; i < perRound; i++) {
            tokens[i] = TestTokens.token("demo", "chat");
        }
        long thread = THREADS.getCurrentThreadCpuTime();
        for (String token : tokens) {
            decoder.decode(token);
        }
        System.out.printf(Locale.ROOT, "of which the token: %.3f ms thread CPU per new token (%d tokens)%n",
                (THREADS.getCurrentThreadCpuTime() - thread) / 1e6 / perRound, perRound);
        System.exit(0);
    }

    private static NimbusJwtDecoder verifier() {
        var decoder = NimbusJwtDecoder
                .withJwkSource(new ImmutableJWKSet<>(new JWKSet(
                        TestTokens.GATEWAY_KEY.toPublicJWK())))
                .jwsAlgorithm(SignatureAlgorithm.ES256).build();
        decoder.setJwtValidator(InternalTokenSecurity.validator());
        return decoder;
    }

    private static void run(IntFunction<Runnable> build, int first, int count) {
        for (int i = 0; i < count; i++) {
            build.apply(first + i).run();
        }
    }

    @SuppressWarnings("unchecked")
    private static IntFunction<Runnable> load(Path mainClasses, Path testClasses, String mode) throws Exception {
        ClassLoader loader = new ChildFirst(new URL[] {mainClasses.toUri().toURL(), testClasses.toUri().toURL()},
                PlatformRequestBenchmark.class.getClassLoader());
        return (IntFunction<Runnable>) loader.loadClass(OneChatRequest.class.getName())
                .getConstructor(String.class).newInstance(mode);
    }

    private static double[] column(List<double[]> rows, int index) {
        return rows.stream().mapToDouble(row -> row[index]).sorted().toArray();
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    /** This module's classes from the given directories, everything else (contracts, libraries) from the parent. */
    private static final class ChildFirst extends URLClassLoader {

        ChildFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.genaiplatform.guardrails.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = findClass(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
