package dev.genaiplatform.simulator.answer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One numbered passage of context, as the orchestrator writes it into the system message:
 * <pre>
 * [1] (source: architecture.md &gt; Architecture &gt; Kafka)
 * passage text, any number of lines
 * </pre>
 * A passage runs from its header line to the next header line or the end of the message, so anything
 * the orchestrator wants to say besides the passages must come before the first one.
 *
 * @param number the n the answer cites as {@code [n]}
 * @param source what the header names (document and heading path); informational only
 * @param text   the passage text, line breaks kept
 */
record ContextPassage(int number, String source, String text) {

    static final Pattern HEADER = Pattern.compile("^\\[(\\d{1,9})] \\(source: (.*)\\)$", Pattern.MULTILINE);

    static List<ContextPassage> parseAll(String message) {
        String text = message.replace("\r\n", "\n").replace('\r', '\n');
        Matcher header = HEADER.matcher(text);
        List<ContextPassage> passages = new ArrayList<>();
        int number = -1;
        String source = null;
        int bodyStart = -1;
        while (header.find()) {
            if (number >= 0) {
                passages.add(new ContextPassage(number, source, text.substring(bodyStart, header.start())));
            }
            number = Integer.parseInt(header.group(1));
            source = header.group(2);
            bodyStart = header.end();
        }
        if (number >= 0) {
            passages.add(new ContextPassage(number, source, text.substring(bodyStart)));
        }
        return passages;
    }
}
