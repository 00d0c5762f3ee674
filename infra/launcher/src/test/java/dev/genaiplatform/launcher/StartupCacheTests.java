package dev.genaiplatform.launcher;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Which start-up cache a service JVM gets (the tests run on JDK 25, where the ahead-of-time cache exists). */
class StartupCacheTests {

    private static final FileTime BUILT = FileTime.from(Instant.parse("2026-12-01T00:00:00Z"));
    private static final List<String> OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");

    private final Path state;
    private final Path jar;
    private final Path cache;

    StartupCacheTests() throws Exception {
        state = Files.createTempDirectory("state");
        jar = state.resolve("service-exec.jar");
        build("class A {}");
        cache = state.resolve("aot/gateway.aot");
    }

    @Test
    void aFirstRunTrainsTheAheadOfTimeCache() throws Exception {
        StartupCache.Plan plan = StartupCache.plan("gateway", jar, state, true, OPTIONS);

        assertThat(plan.options()).containsExactly("-XX:AOTCacheOutput=" + cache, "-Xlog:aot=error");
        assertThat(plan.trains()).isTrue();
    }

    @Test
    void aLaterRunStartsFromTheCacheWhileTheJarIsUnchanged() throws Exception {
        trained();

        StartupCache.Plan plan = StartupCache.plan("gateway", jar, state, true, OPTIONS);

        assertThat(plan.options()).containsExactly("-XX:AOTCache=" + cache, "-Xlog:aot=error");
        assertThat(plan.trains()).isFalse();
    }

    @Test
    void anEmptyCacheLeftByATrainingThatWasKilledWhileAssemblingRetrains() throws Exception {
        trained();
        Files.write(cache, new byte[0]);
        Files.writeString(cache.resolveSibling("gateway.aot.config"), "the killed run's recording");

        StartupCache.Plan plan = StartupCache.plan("gateway", jar, state, true, OPTIONS);

        assertThat(plan.options()).containsExactly("-XX:AOTCacheOutput=" + cache, "-Xlog:aot=error");
        assertThat(plan.trains()).isTrue();
        assertThat(cache.resolveSibling("gateway.aot.config")).doesNotExist();
    }

    @Test
    void aJarRebuiltWithTheSameContentKeepsTheCacheAndGetsBackTheTimeTheJvmChecks() throws Exception {
        trained();
        build("class A {}");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-05T00:00:00Z")));

        StartupCache.Plan plan = StartupCache.plan("gateway", jar, state, true, OPTIONS);

        assertThat(plan.options()).containsExactly("-XX:AOTCache=" + cache, "-Xlog:aot=error");
        assertThat(Files.getLastModifiedTime(jar)).isEqualTo(BUILT);
    }

    @Test
    void aJarWithChangedContentRetrainsInsteadOfUsingAStaleCache() throws Exception {
        trained();
        build("class A { int changed; }");

        StartupCache.Plan plan = StartupCache.plan("gateway", jar, state, true, OPTIONS);

        assertThat(plan.options()).containsExactly("-XX:AOTCacheOutput=" + cache, "-Xlog:aot=error");
        assertThat(cache).doesNotExist();
    }

    @Test
    void otherJvmOptionsRetrainBecauseTheJvmWouldRefuseTheCache() throws Exception {
        trained();

        StartupCache.Plan plan = StartupCache.plan("gateway", jar, state, true,
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:+UseCompactObjectHeaders"));

        assertThat(plan.trains()).isTrue();
        assertThat(cache).doesNotExist();
    }

    @Test
    void switchedOffItUsesTheSelfRefreshingClassDataSharingArchive() throws Exception {
        assertThat(StartupCache.plan("gateway", jar, state, false, OPTIONS).options()).containsExactly(
                "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + state.resolve("cds/gateway.jsa"));
    }

    @Test
    void switchedOffARunWithoutAnArchiveWritesOneAsItExitsAndIsGivenTimeToFinishIt() throws Exception {
        assertThat(StartupCache.plan("gateway", jar, state, false, OPTIONS).trains()).isTrue();

        Files.writeString(state.resolve("cds/gateway.jsa"), "archive");

        assertThat(StartupCache.plan("gateway", jar, state, false, OPTIONS).trains()).isFalse();
    }

    /** A first run planned training and the JVM wrote its cache as it exited. */
    private void trained() throws IOException {
        StartupCache.plan("gateway", jar, state, true, OPTIONS);
        Files.writeString(cache, "cache");
    }

    /** Packages a jar with one class of this content, as a build would (a new file, a new modification time). */
    private void build(String source) throws IOException {
        Files.deleteIfExists(jar);
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("BOOT-INF/classes/A.class"));
            zip.write(source.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Files.setLastModifiedTime(jar, BUILT);
    }
}
