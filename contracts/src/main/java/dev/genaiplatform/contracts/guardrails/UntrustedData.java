package dev.genaiplatform.contracts.guardrails;

import java.util.UUID;

/**
 * The one definition of the spotlighting fence around untrusted data in a prompt:
 * {@code <<untrusted-data id=N>> ... <</untrusted-data id=N>>}, with a random id per use so the data cannot close
 * the block itself, and delimiter look-alikes inside neutralised. Guardrails fences the passages it judges per
 * request; the orchestrator fences the ones judged at indexing. Both call this, so the format cannot drift apart.
 */
public final class UntrustedData {

    private UntrustedData() {
    }

    /** {@code text} inside a fence with a fresh random id; {@code <<} and {@code >>} inside lose their meaning. */
    public static String fence(String text) {
        String id = UUID.randomUUID().toString().substring(0, 8); // SecureRandom: a document cannot guess it
        String neutralised = text.replace("<<", "‹‹").replace(">>", "››");
        return "<<untrusted-data id=" + id + ">>\n" + neutralised + "\n<</untrusted-data id=" + id + ">>";
    }
}
