package dev.genaiplatform.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rows of docs/study-map.md: one per bullet of guide section 2 ({@code 2.1.1} ... {@code 2.7.4}) and one per
 * question of section 3 ({@code Q1} ... {@code Q17}). A cell names its evidence with links, or says what is still
 * being built elsewhere with a marker {@code pending(<branch>): <what>}.
 */
record StudyMap(List<Row> topics, List<Row> questions) {

    /** {@code pending(<branch>): <what>}, the what ending at a full stop, a semicolon or the cell's end. */
    static final Pattern PENDING = Pattern.compile("pending\\(([^)]+)\\):\\s*(.+?)(?=\\.\\s|\\.?\\s*\\||;|\\.?$)");
    private static final Pattern ROW_ID = Pattern.compile("^(2\\.[1-7]\\.\\d|Q\\d{1,2})$");
    private static final Pattern SCENARIO = Pattern.compile("\\./platform\\.sh scenario ([a-z0-9-]+)");

    /** Topic rows: id | topic | code | test | doc. Question rows: id | question | scenario | code | test | doc. */
    record Row(MarkdownFile file, int line, String id, String text, String scenarioCell, String code, String test,
               String doc) {

        List<MarkdownFile.Link> links(String cell) {
            return new MarkdownFile(file.path(), List.of(cell)).relativeLinks().stream()
                    .map(link -> new MarkdownFile.Link(file, line, link.target())).toList();
        }

        List<String> pending() {
            List<String> pending = new ArrayList<>();
            Matcher marker = PENDING.matcher(text);
            while (marker.find()) {
                pending.add(id + " [" + marker.group(1) + "] " + marker.group(2).strip());
            }
            return pending;
        }

        String scenario() {
            Matcher scenario = SCENARIO.matcher(scenarioCell == null ? "" : scenarioCell);
            return scenario.find() ? scenario.group(1) : null;
        }

        String where() {
            return file.path().getFileName() + ":" + line + " " + id;
        }
    }

    static StudyMap read(Path path) {
        MarkdownFile file = MarkdownFile.read(path);
        List<Row> topics = new ArrayList<>();
        List<Row> questions = new ArrayList<>();
        for (int i = 0; i < file.lines().size(); i++) {
            String line = file.lines().get(i).strip();
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = Arrays.stream(line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0))
                    .split("\\|", -1)).map(String::strip).toList();
            String id = cells.getFirst().replace("*", "");
            if (!ROW_ID.matcher(id).matches()) {
                continue;
            }
            if (id.startsWith("Q")) {
                questions.add(new Row(file, i + 1, id, line, cell(cells, 2), cell(cells, 3), cell(cells, 4), cell(cells, 5)));
            } else {
                topics.add(new Row(file, i + 1, id, line, null, cell(cells, 2), cell(cells, 3), cell(cells, 4)));
            }
        }
        return new StudyMap(topics, questions);
    }

    private static String cell(List<String> cells, int index) {
        return index < cells.size() ? cells.get(index) : "";
    }
}
