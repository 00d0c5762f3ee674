package dev.genaiplatform.guardrails.policy;

import dev.genaiplatform.guardrails.injection.InjectionClassifier;
import dev.genaiplatform.guardrails.injection.PromptInjectionDetector;
import dev.genaiplatform.guardrails.output.OutputChecker;
import dev.genaiplatform.guardrails.output.UntrustedVerdicts;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything that decides a passage's verdict besides the policy, as one digest: the part of
 * {@link PolicyFingerprints} that changes by itself when the judge changes, so a stored verdict never outlives the
 * code or data that produced it (wave 11 had a hand-bumped constant for this, which a rule change could forget).
 *
 * <ul>
 *   <li><b>Code.</b> The class files of the injection check (normalisation, decoded payloads, the rules and their
 *       patterns, the classifier's windows and head) and of what turns its result into a verdict (the policy's
 *       actions, the remembered verdicts, the output checker): every class under {@code dev.genaiplatform.guardrails}
 *       reachable from {@link #FOLLOWED_ROOTS}, plus {@link OutputChecker} itself, whose references (PII, moderation,
 *       leakage: the answer's checks) are not followed. Debug information (line numbers, local variable names,
 *       the source file) is dropped and the constant pool rebuilt, so an edited comment or a renamed local gives the
 *       same digest; a changed pattern, threshold, window size or branch gives another.</li>
 *   <li><b>Data.</b> The classifier's weights and the embedding model it reads (the ONNX file and its tokenizer),
 *       byte for byte.</li>
 *   <li><b>Libraries</b> whose version can change results: ICU (normalisation and confusables), re2j, ONNX Runtime,
 *       langchain4j's encoder, the tokenizer.</li>
 * </ul>
 *
 * <p>Two processes of the same build give the same digest (parts in a fixed order, no map or identity order);
 * computed once per process, about 0.1 s (mostly hashing the 23 MB model).
 */
public final class JudgeContent {

    /** Classes whose every guardrails dependency judges too. */
    static final List<Class<?>> FOLLOWED_ROOTS = List.of(PromptInjectionDetector.class, GuardrailPolicy.class,
            UntrustedVerdicts.class);
    /** Classes taken whole, their own nested classes included, without following what else they use. */
    static final List<Class<?>> UNFOLLOWED_ROOTS = List.of(OutputChecker.class);
    static final List<String> DATA = List.of(InjectionClassifier.WEIGHTS_RESOURCE.substring(1),
            "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json");
    /**
     * A class of each library whose version can change a verdict: ICU (normalisation, confusables), re2j (the rules),
     * ONNX Runtime and langchain4j's encoder (the embedding and its pooling), DJL's tokenizer. The version is the one
     * the jar's manifest names, else the jar's file name ({@code re2j-1.8.jar}).
     */
    static final List<String> LIBRARIES = List.of("com.ibm.icu.text.SpoofChecker", "com.google.re2j.Pattern",
            "ai.onnxruntime.OrtSession", "dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder",
            "ai.djl.huggingface.tokenizers.HuggingFaceTokenizer");

    private static final String OWN_PACKAGES = "dev/genaiplatform/guardrails/";
    private static final int CONSTANT_CLASS = 7;
    private static final Pattern JAR_NAME = Pattern.compile("([^/!]+\\.jar)");

    /** One named input of the digest. */
    public record Part(String name, byte[] bytes) {
        public Part {
            Objects.requireNonNull(name);
            Objects.requireNonNull(bytes);
        }

        /** A class file, reduced to what runs: without debug information, its constant pool rebuilt. */
        public static Part ofClass(String internalName, byte[] classFile) {
            return new Part("class " + internalName, codeOnly(classFile));
        }
    }

    private JudgeContent() {
    }

    /** The digest of this build's judge (computed once). */
    public static String shipped() {
        return Shipped.DIGEST;
    }

    private static final class Shipped {
        static final String DIGEST = digest(shippedParts());
    }

    /** 64 hex digits of a SHA-256 over the parts, sorted by name. */
    public static String digest(List<Part> parts) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (Part part : parts.stream().sorted(Comparator.comparing(Part::name)).toList()) {
                byte[] name = part.name().getBytes(StandardCharsets.UTF_8);
                sha256.update(lengthOf(name.length));
                sha256.update(name);
                sha256.update(lengthOf(part.bytes().length));
                sha256.update(part.bytes());
            }
            return HexFormat.of().formatHex(sha256.digest());
        }
        catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The parts of this build: the judging classes, the model data and the library versions. */
    public static List<Part> shippedParts() {
        ClassLoader loader = JudgeContent.class.getClassLoader();
        List<Part> parts = new ArrayList<>();
        for (String internalName : judgingClasses(loader)) {
            parts.add(Part.ofClass(internalName, read(loader, internalName + ".class")));
        }
        for (String resource : DATA) {
            parts.add(new Part("data " + resource, read(loader, resource)));
        }
        for (String className : LIBRARIES) {
            parts.add(new Part("library " + className, libraryVersion(loader, className).getBytes(StandardCharsets.UTF_8)));
        }
        return parts;
    }

    /** Internal names of the classes that judge, sorted. */
    static Set<String> judgingClasses(ClassLoader loader) {
        Set<String> found = new TreeSet<>();
        Deque<String> pending = new ArrayDeque<>();
        FOLLOWED_ROOTS.forEach(root -> pending.add(internalName(root)));
        UNFOLLOWED_ROOTS.forEach(root -> pending.add(internalName(root)));
        while (!pending.isEmpty()) {
            String next = pending.poll();
            if (found.add(next)) {
                pending.addAll(referencedOwnClasses(read(loader, next + ".class"), followedPrefix(next)));
            }
        }
        return found;
    }

    /** What a class's references are followed into: its own nested classes for an unfollowed root, else ours. */
    private static String followedPrefix(String internalName) {
        for (Class<?> root : UNFOLLOWED_ROOTS) {
            String rootName = internalName(root);
            if (internalName.equals(rootName) || internalName.startsWith(rootName + "$")) {
                return rootName + "$";
            }
        }
        return OWN_PACKAGES;
    }

    /** The classes a class file's constant pool names (what it instantiates, calls, reads or casts to). */
    private static List<String> referencedOwnClasses(byte[] classFile, String prefix) {
        ClassReader reader = new ClassReader(classFile);
        char[] buffer = new char[reader.getMaxStringLength()];
        List<String> names = new ArrayList<>();
        for (int item = 1; item < reader.getItemCount(); item++) {
            int offset = reader.getItem(item); // 0 for the unused slot after a long or double
            if (offset > 0 && reader.readByte(offset - 1) == CONSTANT_CLASS) {
                String name = reader.readUTF8(offset, buffer);
                if (name.startsWith(prefix)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /**
     * The class without debug information, written anew (Spring's copy of ASM, already on the classpath): a new
     * writer builds its constant pool from what is visited, so the dropped names leave no trace in it.
     */
    private static byte[] codeOnly(byte[] classFile) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile).accept(writer, ClassReader.SKIP_DEBUG);
        return writer.toByteArray();
    }

    private static String internalName(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    static String libraryVersion(ClassLoader loader, String className) {
        try {
            Class<?> type = Class.forName(className, false, loader);
            Package library = type.getPackage();
            String version = library.getImplementationVersion() != null ? library.getImplementationVersion()
                    : library.getSpecificationVersion();
            return version != null ? version : jarName(type);
        }
        catch (ClassNotFoundException absent) {
            return "absent";
        }
    }

    /** The name of the jar a class was loaded from (the last {@code *.jar} of its location, nested in a Boot jar or not). */
    private static String jarName(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        String location = source == null || source.getLocation() == null ? "" : source.getLocation().toString();
        Matcher jar = JAR_NAME.matcher(location);
        String name = "unknown";
        while (jar.find()) {
            name = jar.group(1);
        }
        return name;
    }

    private static byte[] read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] lengthOf(int length) {
        return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }
}
