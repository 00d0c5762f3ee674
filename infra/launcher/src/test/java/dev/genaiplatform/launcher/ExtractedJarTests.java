package dev.genaiplatform.launcher;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/** How a service's runnable jar becomes plain jars the JDK's own class loader (and so its AOT cache) can use. */
class ExtractedJarTests {

    private final Path state;
    private final Path jar;
    private final Path apps;

    ExtractedJarTests() throws IOException {
        state = Files.createTempDirectory("state");
        jar = state.resolve("service-exec.jar");
        apps = state.resolve("apps/gateway");
    }

    @Test
    void unpacksTheServiceClassesAndItsLibrariesInTheIndexedOrder() throws Exception {
        springBootJar("v1");

        ExtractedJar.Result result = ExtractedJar.prepare("gateway", jar, state);

        assertThat(result.unpacked()).isTrue();
        assertThat(result.jar()).isEqualTo(apps.resolve("application.jar"));
        try (JarFile application = new JarFile(result.jar().toFile())) {
            Attributes main = application.getManifest().getMainAttributes();
            assertThat(main.getValue(Attributes.Name.MAIN_CLASS)).isEqualTo("dev.example.GatewayApplication");
            // the index's order, not the jar's; Spring Boot's jar tools are left out
            assertThat(main.getValue(Attributes.Name.CLASS_PATH)).isEqualTo("lib/b-1.0.jar lib/a-1.0.jar");
            assertThat(read(application, "dev/example/GatewayApplication.class")).isEqualTo("v1");
            assertThat(read(application, "application.yml")).isEqualTo("server.port: 8080");
            // Spring Boot's own launcher is what the unpacked layout does without
            assertThat(application.getEntry("org/springframework/boot/loader/launch/JarLauncher.class")).isNull();
        }
        assertThat(Files.readString(apps.resolve("lib/a-1.0.jar"))).isEqualTo("library a");
        assertThat(apps.resolve("lib/spring-boot-jarmode-tools-4.0.7.jar")).doesNotExist();
    }

    @Test
    void anUnchangedJarIsNotUnpackedAgainSoTheCacheStillMatchesItsFiles() throws Exception {
        springBootJar("v1");
        ExtractedJar.prepare("gateway", jar, state);
        FileTime unpackedAt = FileTime.from(Instant.parse("2026-12-01T00:00:00Z"));
        Files.setLastModifiedTime(apps.resolve("lib/a-1.0.jar"), unpackedAt);
        springBootJar("v1"); // rebuilt by the next ./platform.sh, same content

        ExtractedJar.Result result = ExtractedJar.prepare("gateway", jar, state);

        assertThat(result.unpacked()).isFalse();
        assertThat(Files.getLastModifiedTime(apps.resolve("lib/a-1.0.jar"))).isEqualTo(unpackedAt);
    }

    @Test
    void aChangedJarIsUnpackedAgain() throws Exception {
        springBootJar("v1");
        ExtractedJar.prepare("gateway", jar, state);
        springBootJar("v2");

        ExtractedJar.Result result = ExtractedJar.prepare("gateway", jar, state);

        assertThat(result.unpacked()).isTrue();
        try (JarFile application = new JarFile(result.jar().toFile())) {
            assertThat(read(application, "dev/example/GatewayApplication.class")).isEqualTo("v2");
        }
    }

    @Test
    void anUnpackingThatWasCutShortIsDoneAgain() throws Exception {
        springBootJar("v1");
        ExtractedJar.prepare("gateway", jar, state);
        Files.delete(apps.resolve("source.fingerprint")); // what a start killed while unpacking leaves

        assertThat(ExtractedJar.prepare("gateway", jar, state).unpacked()).isTrue();
    }

    @Test
    void aJarThatIsNotSpringBootsRunsAsItIs() throws Exception {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest(Map.of()))) {
            entry(out, "A.class", "plain");
        }

        ExtractedJar.Result result = ExtractedJar.prepare("gateway", jar, state);

        assertThat(result).isEqualTo(new ExtractedJar.Result(jar, false));
    }

    /** The layout spring-boot-maven-plugin writes: classes and libraries nested under BOOT-INF, with an index. */
    private void springBootJar(String version) throws IOException {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("Main-Class", "org.springframework.boot.loader.launch.JarLauncher");
        attributes.put("Start-Class", "dev.example.GatewayApplication");
        attributes.put("Spring-Boot-Classes", "BOOT-INF/classes/");
        attributes.put("Spring-Boot-Lib", "BOOT-INF/lib/");
        attributes.put("Spring-Boot-Classpath-Index", "BOOT-INF/classpath.idx");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest(attributes))) {
            entry(out, "org/springframework/boot/loader/launch/JarLauncher.class", "launcher");
            entry(out, "BOOT-INF/classes/dev/example/GatewayApplication.class", version);
            entry(out, "BOOT-INF/classes/application.yml", "server.port: 8080");
            entry(out, "BOOT-INF/lib/a-1.0.jar", "library a");
            entry(out, "BOOT-INF/lib/b-1.0.jar", "library b");
            entry(out, "BOOT-INF/lib/spring-boot-jarmode-tools-4.0.7.jar", "tools");
            entry(out, "BOOT-INF/classpath.idx", """
                    - "BOOT-INF/lib/b-1.0.jar"
                    - "BOOT-INF/lib/a-1.0.jar"
                    - "BOOT-INF/lib/spring-boot-jarmode-tools-4.0.7.jar"
                    """);
        }
    }

    private static Manifest manifest(Map<String, String> attributes) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.forEach((name, value) -> manifest.getMainAttributes().putValue(name, value));
        return manifest;
    }

    private static void entry(JarOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    private static String read(JarFile jar, String name) throws IOException {
        return new String(jar.getInputStream(jar.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
    }
}
