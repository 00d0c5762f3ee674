package dev.genaiplatform.guardrails.moderation;

import dev.genaiplatform.guardrails.policy.Action;

import java.util.Arrays;
import java.util.Optional;

/**
 * Harmful-content categories, each with its label in the MLCommons AILuminate hazard taxonomy (the one Llama
 * Guard uses; the OWASP LLM Top 10 has no harmful-content entry), the action a policy takes when it names none,
 * and the sentence a user sees.
 */
public enum ModerationCategory {

    VIOLENCE("MLCommons S1 Violent Crimes", Action.BLOCK,
            "This conversation was stopped because it asks for or describes violence against people."),
    SELF_HARM("MLCommons S11 Suicide & Self-Harm", Action.WARN,
            "If you are thinking about hurting yourself, you do not have to go through it alone: please contact a local "
                    + "emergency number or a crisis line, or talk to someone you trust."),
    HATE_HARASSMENT("MLCommons S10 Hate", Action.BLOCK,
            "This conversation was stopped because it attacks or demeans people for who they are."),
    SEXUAL_MINORS("MLCommons S4 Child Sexual Exploitation", Action.BLOCK,
            "This conversation was stopped: sexual content involving minors is never allowed."),
    ILLEGAL_INSTRUCTIONS("MLCommons S2 Non-Violent Crimes / S9 Indiscriminate Weapons", Action.BLOCK,
            "This conversation was stopped because it asks for instructions to commit a crime or build a weapon.");

    private final String taxonomyLabel;
    private final Action defaultAction;
    private final String userMessage;

    ModerationCategory(String taxonomyLabel, Action defaultAction, String userMessage) {
        this.taxonomyLabel = taxonomyLabel;
        this.defaultAction = defaultAction;
        this.userMessage = userMessage;
    }

    /** The hazard label put on verdict events next to the OWASP labels of security findings. */
    public String taxonomyLabel() {
        return taxonomyLabel;
    }

    /** What a policy does when its {@code actions} map does not name this category. */
    public Action defaultAction() {
        return defaultAction;
    }

    /** The sentence a client shows when this category blocks or warns. */
    public String userMessage() {
        return userMessage;
    }

    /** The category of a finding's category name, if it is a moderation category. */
    public static Optional<ModerationCategory> of(String name) {
        return Arrays.stream(values()).filter(category -> category.name().equals(name)).findFirst();
    }
}
