package dev.genaiplatform.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What makes a service's next start faster. On JDK 25+ an ahead-of-time cache (JEP 514/515: classes loaded and
 * linked, method profiles): a run without a current cache trains one, written when the service exits; a run with one
 * starts from it. On JDK 21–24, or when switched off, the dynamic class-data-sharing archive (JDK 19+), which
 * refreshes itself.
 *
 * <p>A cache is current when the jar's <em>content</em> and the JVM's options are those it was trained with (both
 * recorded in {@code <service>.key} next to it). Content, not the file: {@code ./platform.sh} packages before every
 * start, and the jar it rewrites is byte for byte the same when nothing changed. The JVM itself checks a cache
 * against the jar's size and modification time, so for a rebuilt jar whose content is unchanged the launcher sets the
 * modification time back to the one the cache was trained with (since wave 11 the services run from their jars
 * unpacked, {@link ExtractedJar}, unpacked again only when the content changes, so that check holds for the unpacked
 * files too; the runnable jar's time is still set back, for a JVM run from it). The content is fingerprinted from the jar's central
 * directory (every entry's name, size and CRC-32, nested jars included): milliseconds, without reading a gigabyte of
 * jars at every start.
 */
final class StartupCache {

    /** @param options the JVM options that select the cache; {@code trains}: this run writes a new one as it exits */
    record Plan(List<String> options, boolean trains) {
    }

    private StartupCache() {
    }

    /**
     * @param jvmOptions the service's other JVM options: a cache trained under other options (another collector,
     *                   compact headers or not) would be refused by the JVM, so a change retrains
     */
    static Plan plan(String name, Path jar, Path stateDir, boolean aheadOfTimeCache, List<String> jvmOptions)
            throws IOException {
        if (!aheadOfTimeCache || Runtime.version().feature() < 25) {
            Path archive = Files.createDirectories(stateDir.resolve("cds")).resolve(name + ".jsa");
            // without an archive the JVM writes one as it exits: that stop needs the training timeout, or the launcher
            // kills it mid-write and every later start is cold again (a stale archive is rewritten too, unforeseen here)
            boolean writes = !Files.exists(archive) || Files.size(archive) == 0;
            return new Plan(List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive), writes);
        }
        Path dir = Files.createDirectories(stateDir.resolve("aot"));
        Path cache = dir.resolve(name + ".aot");
        Path keyFile = dir.resolve(name + ".key");
        String wanted = key(jar, jvmOptions);
        // an empty cache is what a training JVM killed while assembling leaves (the launcher stops a service that takes
        // too long to exit): the JVM would run without it and never retrain, so it counts as none
        if (Files.exists(cache) && Files.size(cache) > 0 && Files.exists(keyFile)) {
            List<String> recorded = Files.readAllLines(keyFile);
            if (recorded.size() == 2 && recorded.get(0).equals(wanted)) {
                FileTime trainedWith = FileTime.fromMillis(Long.parseLong(recorded.get(1)));
                if (!Files.getLastModifiedTime(jar).equals(trainedWith)) {
                    // rebuilt, same content: what the JVM compares is the time, so give it the one it knows
                    Files.setLastModifiedTime(jar, trainedWith);
                }
                // the JVM lists every class it cannot cache as a warning: thousands of lines in the service's log
                return new Plan(List.of("-XX:AOTCache=" + cache, "-Xlog:aot=error"), false);
            }
        }
        // none yet, or from another jar or other options (the JVM would refuse it): train a new one during this run
        Files.deleteIfExists(cache);
        Files.deleteIfExists(dir.resolve(name + ".aot.config")); // a killed training's leftover
        Files.writeString(keyFile, wanted + "\n" + Files.getLastModifiedTime(jar).toMillis() + "\n");
        return new Plan(List.of("-XX:AOTCacheOutput=" + cache, "-Xlog:aot=error"), true);
    }

    /** Drops the service's ahead-of-time cache (the files it was trained on were rewritten): the next plan trains. */
    static void forget(String name, Path stateDir) throws IOException {
        Path dir = stateDir.resolve("aot");
        Files.deleteIfExists(dir.resolve(name + ".aot"));
        Files.deleteIfExists(dir.resolve(name + ".key"));
    }

    /** The jar's content fingerprint, the JVM's version and the options, on one line. */
    static String key(Path jar, List<String> jvmOptions) throws IOException {
        return fingerprint(jar) + " java-" + Runtime.version() + " " + String.join(" ", jvmOptions);
    }

    /** SHA-256 over every entry's name, size and CRC-32, read from the jar's central directory. */
    static String fingerprint(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (ZipEntry entry : Collections.list(zip.entries())) {
                digest.update((entry.getName() + '\0' + entry.getSize() + '\0' + entry.getCrc() + '\n')
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
