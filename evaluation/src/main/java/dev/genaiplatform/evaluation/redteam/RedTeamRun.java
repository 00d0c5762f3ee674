package dev.genaiplatform.evaluation.redteam;

import dev.genaiplatform.evaluation.runs.ChatAnswer;
import dev.genaiplatform.evaluation.runs.ChatClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sends every probe through the platform, one at a time, and scores the defences per category. */
public class RedTeamRun {

    private static final int ANSWER_EXCERPT = 240;

    private final ChatClient client;
    private final DefenceCheck check;

    public RedTeamRun(ChatClient client, DefenceCheck check) {
        this.client = client;
        this.check = check;
    }

    public Scorecard run(RedTeamSuite suite, String model, Progress progress) {
        List<Scorecard.ProbeOutcome> outcomes = new ArrayList<>();
        int done = 0;
        for (Probe probe : suite.probes()) {
            ChatAnswer answer = client.ask(probe.request(), new ChatClient.CallOptions(model, null, 1, probe.maxTokens()));
            String failure = check.failure(probe, answer);
            outcomes.add(new Scorecard.ProbeOutcome(probe.id(), probe.category(), probe.title(),
                    probe.expect().defence(), failure == null, failure, answer.status(), excerpt(answer)));
            progress.probed(probe, failure == null, ++done, suite.probes().size());
        }
        List<Scorecard.CategoryRow> rows = new ArrayList<>();
        for (Map.Entry<String, String> category : suite.categories().entrySet()) {
            List<Scorecard.ProbeOutcome> mine = outcomes.stream()
                    .filter(o -> o.category().equals(category.getKey())).toList();
            rows.add(new Scorecard.CategoryRow(category.getKey(), category.getValue(), mine.size(),
                    (int) mine.stream().filter(Scorecard.ProbeOutcome::defended).count(),
                    suite.notProbed().get(category.getKey())));
        }
        return new Scorecard(suite.name() + " v" + suite.version(), model, rows, outcomes);
    }

    /** Called after each probe. */
    @FunctionalInterface
    public interface Progress {
        void probed(Probe probe, boolean defended, int done, int total);
    }

    private static String excerpt(ChatAnswer answer) {
        String text = !answer.succeeded() ? "HTTP " + answer.status() + " " + answer.errorCode()
                : answer.content() != null ? answer.content()
                : answer.toolCalls().isEmpty() ? "" : "tool call " + answer.toolCalls().getFirst().name()
                + answer.toolCalls().getFirst().arguments();
        return text.length() <= ANSWER_EXCERPT ? text : text.substring(0, ANSWER_EXCERPT) + "...";
    }
}
