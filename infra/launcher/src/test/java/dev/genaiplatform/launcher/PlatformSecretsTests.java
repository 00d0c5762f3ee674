package dev.genaiplatform.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformSecretsTests {

    @Test
    void generatesSecretsOnceAndKeepsThemOwnerOnly() throws Exception {
        Path dir = Files.createTempDirectory("secrets");

        PlatformSecrets first = PlatformSecrets.loadOrCreate(dir);
        String redis = first.get(PlatformSecrets.REDIS_PASSWORD);
        String admin = first.get(PlatformSecrets.ADMIN_API_KEY);
        PlatformSecrets second = PlatformSecrets.loadOrCreate(dir);

        assertThat(first.createdNow()).isTrue();
        assertThat(second.createdNow()).isFalse();
        assertThat(second.get(PlatformSecrets.REDIS_PASSWORD)).isEqualTo(redis);
        assertThat(second.get(PlatformSecrets.ADMIN_API_KEY)).isEqualTo(admin).startsWith("gp-admin-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(PlatformSecrets.FILE_NAME))))
                .isEqualTo("rw-------");
    }

    @Test
    void aNewServiceGetsItsPasswordWithoutChangingTheOthers() throws Exception {
        Path dir = Files.createTempDirectory("secrets");
        String gateway = PlatformSecrets.loadOrCreate(dir).postgresPassword("gateway");

        PlatformSecrets later = PlatformSecrets.loadOrCreate(dir);
        String newcomer = later.postgresPassword("newcomer");

        assertThat(PlatformSecrets.loadOrCreate(dir).postgresPassword("gateway")).isEqualTo(gateway);
        assertThat(PlatformSecrets.loadOrCreate(dir).postgresPassword("newcomer")).isEqualTo(newcomer);
    }

    @Test
    void passwordsAreLongRandomAndSafeInUrlsAndJaasLines() {
        String a = PlatformSecrets.random(24);
        String b = PlatformSecrets.random(24);

        assertThat(a).hasSize(32).matches("[A-Za-z0-9_-]+").isNotEqualTo(b);
    }
}
