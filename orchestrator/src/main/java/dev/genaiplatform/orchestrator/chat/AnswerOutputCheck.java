package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.guardrails.Finding;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Holds a model's answer back until guardrails have seen it, window by window, so a stream stays a stream and a
 * bad one is stopped early. One per answer; not thread-safe (a stream's signals arrive one after another).
 *
 * <p>How a stream is cut: text is released in segments that end at whitespace once {@code windowChars} new
 * characters arrived, so a word, an address or a pseudonym token is never split between two checks. Each
 * check repeats the segments of the last {@code lookBehindChars} already released (a leak spread over two
 * segments is seen whole) at their offset in the answer. Guardrails answer with the window as the user may see it
 * (masked, pseudonyms restored); the part after the repeated segments is what gets released. Should the repeated
 * part come back different (a finding across the boundary), the new segment is checked again alone, so nothing is
 * released twice or unchecked.
 *
 * <p>Limit: what was released is gone. A value with spaces in it (a phone number written in groups) can straddle
 * two segments; the look-behind then sees it whole and stops the answer, but its first half was already sent.
 */
final class AnswerOutputCheck {

    /** Asks guardrails about {@code text}, which starts at {@code offset} of the whole answer. */
    @FunctionalInterface
    interface Checker {
        OutputCheckedReply check(String text, long offset);
    }

    private record Segment(int start, int end, String released) {
    }

    private final Checker checker;
    private final int windowChars;
    private final int lookBehindChars;
    private final StringBuilder original = new StringBuilder();
    private final Deque<Segment> recent = new ArrayDeque<>();
    private final List<Finding> findings = new ArrayList<>();
    private int releasedUpTo;
    private OutputCheckedReply blockedBy;
    private boolean changed;
    private int checks;
    private long nanos;

    AnswerOutputCheck(Checker checker, int windowChars, int lookBehindChars) {
        this.checker = checker;
        this.windowChars = windowChars;
        this.lookBehindChars = lookBehindChars;
    }

    /** Takes the model's next text; returns what may be sent now (often empty: held back until a window is full). */
    String accept(String text) {
        if (this.blockedBy != null || text == null || text.isEmpty()) {
            return "";
        }
        this.original.append(text);
        int pending = this.original.length() - this.releasedUpTo;
        if (pending < this.windowChars) {
            return "";
        }
        int cut = lastWhitespaceEnd();
        if (cut <= this.releasedUpTo) {
            // one very long word: release it anyway once it is four windows long, so holding back stays bounded
            if (pending < 4 * this.windowChars) {
                return "";
            }
            cut = this.original.length();
        }
        return release(cut);
    }

    /**
     * Whether {@link #accept} of {@code text} may ask guardrails (it fills a window), without taking it. False means
     * {@code accept} only holds the text back, so the caller may run it on a thread that must not block.
     */
    boolean wouldCheck(String text) {
        if (this.blockedBy != null || text == null || text.isEmpty()) {
            return false;
        }
        return this.original.length() + text.length() - this.releasedUpTo >= this.windowChars;
    }

    /** The model is done: checks and returns whatever is still held back. */
    String finish() {
        if (this.blockedBy != null || this.releasedUpTo >= this.original.length()) {
            return "";
        }
        return release(this.original.length());
    }

    /** Checks a whole answer at once (non-streamed): what the user may see, or null when blocked. */
    String whole(String answer) {
        this.original.append(answer == null ? "" : answer);
        String released = release(this.original.length());
        return this.blockedBy != null ? null : released;
    }

    boolean blocked() {
        return this.blockedBy != null;
    }

    /** The verdict that stopped the answer, or null. */
    OutputCheckedReply blockedBy() {
        return this.blockedBy;
    }

    List<Finding> findings() {
        return List.copyOf(this.findings);
    }

    /** Whether any released text differs from the model's (masked or restored). */
    boolean changed() {
        return this.changed;
    }

    int checks() {
        return this.checks;
    }

    long nanos() {
        return this.nanos;
    }

    private String release(int cut) {
        int lookBehindStart = this.releasedUpTo;
        StringBuilder repeated = new StringBuilder();
        List<Segment> window = new ArrayList<>();
        for (Iterator<Segment> newestFirst = this.recent.descendingIterator(); newestFirst.hasNext(); ) {
            Segment segment = newestFirst.next();
            if (this.releasedUpTo - segment.start() > this.lookBehindChars) {
                break;
            }
            window.addFirst(segment);
            lookBehindStart = segment.start();
        }
        window.forEach(segment -> repeated.append(segment.released()));

        OutputCheckedReply reply = ask(this.original.substring(lookBehindStart, cut), lookBehindStart);
        if (reply == null) {
            return "";
        }
        String released;
        String text = reply.text() == null ? "" : reply.text();
        if (text.startsWith(repeated.toString())) {
            released = text.substring(repeated.length());
        }
        else {
            OutputCheckedReply alone = ask(this.original.substring(this.releasedUpTo, cut), this.releasedUpTo);
            if (alone == null) {
                return "";
            }
            released = alone.text() == null ? "" : alone.text();
        }
        if (!released.contentEquals(this.original.subSequence(this.releasedUpTo, cut))) {
            this.changed = true;
        }
        this.recent.addLast(new Segment(this.releasedUpTo, cut, released));
        while (this.recent.size() > 1 && cut - this.recent.peekFirst().end() > this.lookBehindChars) {
            this.recent.removeFirst();
        }
        this.releasedUpTo = cut;
        return released;
    }

    /** One check; null when guardrails blocked the answer (remembered in {@link #blockedBy}). */
    private OutputCheckedReply ask(String text, long offset) {
        long start = System.nanoTime();
        OutputCheckedReply reply;
        try {
            reply = this.checker.check(text, offset);
        }
        finally {
            this.nanos += System.nanoTime() - start;
            this.checks++;
        }
        if (reply == null || reply.verdict() == null) {
            throw new dev.genaiplatform.orchestrator.messaging.DependencyUnavailableException("guardrails",
                    "guardrails sent no verdict for the answer", null);
        }
        if (reply.findings() != null) {
            reply.findings().stream().filter(f -> !this.findings.contains(f)).forEach(this.findings::add);
        }
        if (reply.verdict() == Verdict.BLOCKED) {
            this.blockedBy = reply;
            return null;
        }
        return reply;
    }

    private int lastWhitespaceEnd() {
        for (int i = this.original.length() - 1; i >= this.releasedUpTo; i--) {
            if (Character.isWhitespace(this.original.charAt(i))) {
                return i + 1;
            }
        }
        return -1;
    }
}
