package dev.genaiplatform.orchestrator.prompt;

import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.prompt.PromptTemplate;
import org.springframework.ai.template.st.StTemplateRenderer;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wave 14: a template rendered once with markers must give exactly the text Spring AI's StringTemplate renderer gives,
 * for any values, and must leave to StringTemplate whatever it would change (indentation, carriage returns, options).
 */
class PrerenderedTemplateTests {

    private static final StTemplateRenderer RENDERER = StTemplateRenderer.builder().build();
    private static final List<String> PASSAGE = List.of("number", "documentPath", "heading", "text");

    private static String byStringTemplate(String template, List<String> names, Object... values) {
        Map<String, Object> variables = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            variables.put(names.get(i), values[i]);
        }
        return PromptTemplate.builder().template(template).renderer(RENDERER).variables(variables).build().render();
    }

    private static String shipped(String path) throws IOException {
        return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
    }

    @Test
    void theShippedTemplatesTakeTheShortcutAndGiveStringTemplatesTextForRandomValues() throws IOException {
        String passage = shipped("prompts/context-passage.st").stripTrailing();
        List<String> systems = List.of(shipped("prompts/grounded-answer.st"), shipped("prompts/grounded-answer-v2.st"));
        PrerenderedTemplate passages = new PrerenderedTemplate(passage, PASSAGE, RENDERER);
        assertThat(passages.prerendered()).isTrue();
        String[] pieces = {"word", " ", "\n", "\n\n", "\r\n", "\t", "  ", "{x}", "<b>", "$", "\\", "é", "🙂", "[1]", ">"};
        Random random = new Random(14);
        for (int round = 0; round < 1000; round++) {
            String[] texts = new String[3];
            for (int t = 0; t < texts.length; t++) {
                StringBuilder text = new StringBuilder();
                for (int i = random.nextInt(20); i > 0; i--) {
                    text.append(pieces[random.nextInt(pieces.length)]);
                }
                texts[t] = text.toString();
            }
            int number = random.nextInt(20);
            assertThat(passages.render(number, texts[0], texts[1], texts[2])).as("round %d", round)
                    .isEqualTo(byStringTemplate(passage, PASSAGE, number, texts[0], texts[1], texts[2]));
            for (String system : systems) {
                PrerenderedTemplate template = new PrerenderedTemplate(system, List.of("context"), RENDERER);
                assertThat(template.prerendered()).isTrue();
                assertThat(template.render(texts[2])).isEqualTo(byStringTemplate(system, List.of("context"), texts[2]));
            }
        }
    }

    @Test
    void leavesToStringTemplateWhatItWouldChange() {
        // an indented expression: StringTemplate indents a value's later lines
        assertThat(new PrerenderedTemplate("Passages:\n  {context}\nEnd", List.of("context"), RENDERER).prerendered())
                .isFalse();
        // an option, an escape, a comment: not a bare name
        assertThat(new PrerenderedTemplate("{context; wrap=\"\\n\"}", List.of("context"), RENDERER).prerendered())
                .isFalse();
        assertThat(new PrerenderedTemplate("a \\{b} {context}", List.of("context"), RENDERER).prerendered()).isFalse();
        assertThat(new PrerenderedTemplate("{! note !}{context}", List.of("context"), RENDERER).prerendered()).isFalse();
        String indented = "Passages:\n  {context}\nEnd";
        PrerenderedTemplate template = new PrerenderedTemplate(indented, List.of("context"), RENDERER);
        assertThat(template.render("one\ntwo")).isEqualTo(byStringTemplate(indented, List.of("context"), "one\ntwo"))
                .isEqualTo("Passages:\n  one\n  two\nEnd");
        // a value with a carriage return, which StringTemplate drops, in a template that otherwise takes the shortcut
        PrerenderedTemplate plain = new PrerenderedTemplate("[{context}] {context}", List.of("context"), RENDERER);
        assertThat(plain.prerendered()).isTrue();
        assertThat(plain.render("a\r\nb")).isEqualTo("[a\nb] a\nb");
        // an empty value alone on its line: StringTemplate drops that line's break
        String alone = "Passages:\n{context}\nEnd";
        assertThat(new PrerenderedTemplate(alone, List.of("context"), RENDERER).render(""))
                .isEqualTo(byStringTemplate(alone, List.of("context"), "")).isEqualTo("Passages:\nEnd");
    }
}
