package dev.genaiplatform.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Which start-up cache a service JVM gets (the tests run on JDK 25, where the ahead-of-time cache exists). */
class StartupCacheTests {

    private final Path state;
    private final Path jar;

    StartupCacheTests() throws Exception {
        state = Files.createTempDirectory("state");
        jar = Files.writeString(state.resolve("service-exec.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-01T00:00:00Z")));
    }

    @Test
    void aFirstRunTrainsTheAheadOfTimeCache() throws Exception {
        assertThat(ServiceProcess.startupCache("gateway", jar, state, true))
                .containsExactly("-XX:AOTCacheOutput=" + state.resolve("aot/gateway.aot"), "-Xlog:aot=error");
    }

    @Test
    void aLaterRunStartsFromTheCacheWhileTheJarIsUnchanged() throws Exception {
        Path cache = Files.writeString(Files.createDirectories(state.resolve("aot")).resolve("gateway.aot"), "cache");
        Files.setLastModifiedTime(cache, FileTime.from(Instant.parse("2026-12-02T00:00:00Z")));

        assertThat(ServiceProcess.startupCache("gateway", jar, state, true)).containsExactly("-XX:AOTCache=" + cache, "-Xlog:aot=error");
    }

    @Test
    void aRebuiltJarRetrainsInsteadOfUsingAStaleCache() throws Exception {
        Path cache = Files.writeString(Files.createDirectories(state.resolve("aot")).resolve("gateway.aot"), "cache");
        Files.setLastModifiedTime(cache, FileTime.from(Instant.parse("2026-11-30T00:00:00Z")));

        assertThat(ServiceProcess.startupCache("gateway", jar, state, true)).containsExactly("-XX:AOTCacheOutput=" + cache, "-Xlog:aot=error");
        assertThat(cache).doesNotExist();
    }

    @Test
    void switchedOffItUsesTheSelfRefreshingClassDataSharingArchive() throws Exception {
        assertThat(ServiceProcess.startupCache("gateway", jar, state, false)).containsExactly(
                "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + state.resolve("cds/gateway.jsa"));
    }
}
