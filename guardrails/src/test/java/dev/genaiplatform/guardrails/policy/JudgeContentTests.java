package dev.genaiplatform.guardrails.policy;

import dev.genaiplatform.guardrails.injection.InjectionRules;
import dev.genaiplatform.guardrails.policy.JudgeContent.Part;
import dev.genaiplatform.guardrails.policy.PolicyResolver.NamedPolicy;
import org.junit.jupiter.api.Test;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.ClassWriter;
import org.springframework.asm.Label;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy fingerprint changes by itself when what judges a passage changes (a rule's pattern, the classifier's
 * weights, a threshold), not when only debug information does, and is the same in every process of one build.
 */
class JudgeContentTests {

    static final NamedPolicy STRICT = new NamedPolicy("strict", new GuardrailPolicy(Set.of("pii", "injection"),
            Action.MASK, Map.of("US_SSN", Action.BLOCK), 0.8, null));

    private static final String RULES = InjectionRules.class.getName().replace('.', '/');

    @Test
    void coversTheInjectionCheckAndThePolicyButNotTheAnswerChecksOrTests() {
        Set<String> classes = JudgeContent.judgingClasses(getClass().getClassLoader());

        assertThat(classes).contains(RULES, "dev/genaiplatform/guardrails/injection/NormalisedText",
                "dev/genaiplatform/guardrails/injection/EncodedPayloads",
                "dev/genaiplatform/guardrails/injection/InjectionClassifier",
                "dev/genaiplatform/guardrails/injection/ScoringHead",
                "dev/genaiplatform/guardrails/output/OutputChecker",
                "dev/genaiplatform/guardrails/output/UntrustedVerdicts",
                "dev/genaiplatform/guardrails/policy/GuardrailPolicy");
        assertThat(classes).noneMatch(name -> name.startsWith("dev/genaiplatform/guardrails/pii/"))
                .doesNotContain("dev/genaiplatform/guardrails/injection/InjectionTrainer",
                        "dev/genaiplatform/guardrails/policy/JudgeContent");
    }

    @Test
    void aChangedRulePatternChangesTheDigestAndAMovedLineDoesNot() {
        List<Part> shipped = JudgeContent.shippedParts();
        byte[] rules = classFile(InjectionRules.class);
        byte[] patternChanged = rewritten(rules, method -> new MethodVisitor(Opcodes.ASM9, method) {
            @Override
            public void visitLdcInsn(Object value) {
                super.visitLdcInsn(value instanceof String pattern ? pattern.replace("disregard", "disregards") : value);
            }
        });
        byte[] linesMoved = rewritten(rules, method -> new MethodVisitor(Opcodes.ASM9, method) {
            @Override
            public void visitLineNumber(int line, Label start) {
                super.visitLineNumber(line + 7, start);
            }
        });
        assertThat(linesMoved).as("the class file itself differs").isNotEqualTo(rules);
        assertThat(patternChanged).isNotEqualTo(rules);

        String before = JudgeContent.digest(shipped);
        assertThat(JudgeContent.digest(replaced(shipped, "class " + RULES, Part.ofClass(RULES, patternChanged))))
                .isNotEqualTo(before);
        assertThat(JudgeContent.digest(replaced(shipped, "class " + RULES, Part.ofClass(RULES, linesMoved))))
                .isEqualTo(before);
        assertThat(PolicyFingerprints.of(STRICT, JudgeContent.digest(replaced(shipped, "class " + RULES,
                Part.ofClass(RULES, patternChanged))))).isNotEqualTo(PolicyFingerprints.of(STRICT));
    }

    @Test
    void aChangedClassifierWeightOrModelChangesTheDigest() {
        List<Part> shipped = JudgeContent.shippedParts();
        String weights = "data injection/classifier.txt";
        String text = new String(part(shipped, weights).bytes(), StandardCharsets.UTF_8);
        String oneWeightChanged = text.replaceFirst("-1\\.64502", "-1.64503");
        assertThat(oneWeightChanged).isNotEqualTo(text);

        String before = JudgeContent.digest(shipped);
        assertThat(JudgeContent.digest(replaced(shipped, weights,
                new Part(weights, oneWeightChanged.getBytes(StandardCharsets.UTF_8))))).isNotEqualTo(before);
        assertThat(JudgeContent.digest(replaced(shipped, "data all-minilm-l6-v2-q.onnx",
                new Part("data all-minilm-l6-v2-q.onnx", new byte[] {1, 2, 3})))).isNotEqualTo(before);
        assertThat(JudgeContent.digest(shipped)).as("the same parts, the same digest").isEqualTo(before)
                .isEqualTo(JudgeContent.shipped());
    }

    @Test
    void namesTheVersionOfEveryLibraryThatCanChangeAVerdict() {
        List<Part> shipped = JudgeContent.shippedParts();

        assertThat(JudgeContent.LIBRARIES).allSatisfy(library -> assertThat(new String(part(shipped, "library " + library)
                .bytes(), StandardCharsets.UTF_8)).as(library).isNotIn("unknown", "absent"));
        assertThat(JudgeContent.libraryVersion(getClass().getClassLoader(), "com.google.re2j.Pattern"))
                .as("re2j's manifest names no version: its jar's name does").matches("re2j-[0-9.]+\\.jar");
        assertThat(JudgeContent.libraryVersion(getClass().getClassLoader(), "com.ibm.icu.text.SpoofChecker"))
                .matches("[0-9.]+");
    }

    @Test
    void aChangedThresholdChangesTheFingerprintUnderTheSameJudge() {
        String judge = JudgeContent.shipped();
        NamedPolicy lowerThreshold = new NamedPolicy("strict", new GuardrailPolicy(STRICT.policy().detectors(),
                Action.MASK, STRICT.policy().actions(), 0.7, null));

        assertThat(PolicyFingerprints.of(lowerThreshold, judge)).isNotEqualTo(PolicyFingerprints.of(STRICT, judge));
        assertThat(PolicyFingerprints.of(STRICT, judge)).isEqualTo(PolicyFingerprints.of(STRICT));
    }

    @Test
    void anotherProcessOfTheSameBuildGivesTheSameDigestAndFingerprint() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                JudgeDigestMain.class.getName()).redirectErrorStream(false).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        assertThat(printed.lines().toList()).containsExactly(JudgeContent.shipped(), PolicyFingerprints.of(STRICT));
    }

    /** The class file with every method's instructions passed through {@code change}. */
    private static byte[] rewritten(byte[] classFile, java.util.function.UnaryOperator<MethodVisitor> change) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return change.apply(super.visitMethod(access, name, descriptor, signature, exceptions));
            }
        }, 0);
        return writer.toByteArray();
    }

    private static List<Part> replaced(List<Part> parts, String name, Part replacement) {
        assertThat(parts).extracting(Part::name).contains(name);
        List<Part> copy = new ArrayList<>(parts);
        copy.replaceAll(part -> part.name().equals(name) ? replacement : part);
        return copy;
    }

    private static Part part(List<Part> parts, String name) {
        return parts.stream().filter(part -> part.name().equals(name)).findFirst().orElseThrow();
    }

    private static byte[] classFile(Class<?> type) {
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
