package dev.genaiplatform.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * A service's runnable jar unpacked into plain jars, the layout Spring Boot documents for efficient starts: an
 * application jar holding the service's own classes, whose manifest names its main class and lists the libraries in
 * {@code lib/} on its class path. Measured in the README ("Wave 11"): from the nested jar, Spring Boot's own class
 * loader finds every class and resource by walking a hundred nested jars, and the JDK's ahead-of-time cache cannot
 * hold the classes such a loader defines; unpacked, the JDK's application class loader loads them, from the cache.
 *
 * <p>Unpacked once per jar <em>content</em> (the fingerprint {@link StartupCache} uses) into
 * {@code <state>/apps/<service>/}: the ahead-of-time cache checks every class-path entry's size and modification time,
 * so the files must stay as they were while the jar is unchanged, and a new unpacking makes the cache retrain.
 */
final class ExtractedJar {

    /** @param jar what to run with {@code -jar}; {@code unpacked}: written by this call, so a cache of the old is stale */
    record Result(Path jar, boolean unpacked) {
    }

    private static final String SOURCE_FILE = "source.fingerprint";
    private static final String APPLICATION_JAR = "application.jar";
    private static final String LIB = "lib/";
    /** Spring Boot's command-line tools for the jar itself ({@code -Djarmode=tools}): no part of the application. */
    private static final String JAR_MODE_TOOLS = "spring-boot-jarmode-";

    private ExtractedJar() {
    }

    /** The unpacked application jar for {@code jar}, unpacking it first unless its content was unpacked already. */
    static Result prepare(String name, Path jar, Path stateDir) throws IOException {
        String fingerprint = StartupCache.fingerprint(jar);
        Path dir = stateDir.resolve("apps").resolve(name);
        Path sourceFile = dir.resolve(SOURCE_FILE);
        Path application = dir.resolve(APPLICATION_JAR);
        if (Files.exists(sourceFile) && Files.readString(sourceFile).equals(fingerprint) && Files.exists(application)) {
            return new Result(application, false);
        }
        try (JarFile fatJar = new JarFile(jar.toFile())) {
            Attributes main = fatJar.getManifest() == null ? null : fatJar.getManifest().getMainAttributes();
            String startClass = main == null ? null : main.getValue("Start-Class");
            if (startClass == null) {
                return new Result(jar, false); // not a Spring Boot jar: nothing to unpack, run it as it is
            }
            deleteRecursively(dir);
            Files.createDirectories(dir.resolve(LIB));
            String classes = main.getValue("Spring-Boot-Classes");
            String libs = main.getValue("Spring-Boot-Lib");
            List<String> classPath = unpackLibraries(fatJar, libs, dir);
            writeApplicationJar(fatJar, classes, startClass, orderedAsIndexed(fatJar, main, libs, classPath), application);
        }
        // last: a start killed while unpacking leaves no fingerprint, so the next start unpacks again
        Files.writeString(sourceFile, fingerprint);
        return new Result(application, true);
    }

    /** Copies every library out (they are stored, not compressed) and returns their names. */
    private static List<String> unpackLibraries(JarFile fatJar, String libs, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (JarEntry entry : Collections.list(fatJar.entries())) {
            String path = entry.getName();
            if (entry.isDirectory() || !path.startsWith(libs) || !path.endsWith(".jar")) {
                continue;
            }
            String fileName = path.substring(libs.length());
            if (fileName.contains("/") || fileName.startsWith(JAR_MODE_TOOLS)) {
                continue;
            }
            try (InputStream in = fatJar.getInputStream(entry)) {
                Files.copy(in, dir.resolve(LIB).resolve(fileName));
            }
            names.add(fileName);
        }
        return names;
    }

    /** The libraries in the order of the jar's class-path index (the order the build resolved), the rest after. */
    private static List<String> orderedAsIndexed(JarFile fatJar, Attributes main, String libs, List<String> unpacked)
            throws IOException {
        Set<String> ordered = new LinkedHashSet<>();
        String index = main.getValue("Spring-Boot-Classpath-Index");
        ZipEntry indexEntry = index == null ? null : fatJar.getEntry(index);
        if (indexEntry != null) {
            try (InputStream in = fatJar.getInputStream(indexEntry)) {
                // lines like: - "BOOT-INF/lib/contracts-0.1.0-SNAPSHOT.jar"
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    int open = line.indexOf('"');
                    int close = line.lastIndexOf('"');
                    if (open >= 0 && close > open) {
                        String fileName = line.substring(open + 1, close).substring(libs.length());
                        if (unpacked.contains(fileName)) {
                            ordered.add(fileName);
                        }
                    }
                }
            }
        }
        ordered.addAll(unpacked);
        return List.copyOf(ordered);
    }

    /** The service's own classes and resources at the jar's root, under a manifest that starts it directly. */
    private static void writeApplicationJar(JarFile fatJar, String classes, String startClass, List<String> libraries,
                                            Path application) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, startClass);
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ",
                libraries.stream().map(name -> LIB + name.replace(" ", "%20")).toList()));
        try (OutputStream file = Files.newOutputStream(application);
             JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (JarEntry entry : Collections.list(fatJar.entries())) {
                String path = entry.getName();
                String inApplication = path.startsWith(classes) ? path.substring(classes.length()) : "";
                if (inApplication.isEmpty() || inApplication.equals(JarFile.MANIFEST_NAME)) {
                    continue;
                }
                out.putNextEntry(new JarEntry(inApplication));
                if (!entry.isDirectory()) {
                    try (InputStream in = fatJar.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                }
                out.closeEntry();
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
