package dev.genaiplatform.simulator.answer;

/**
 * The request's {@code tool_choice}.
 *
 * @param mode     {@code none}: never call; {@code auto}: call when the rules say so; {@code required}: always
 *                 call some tool; {@code function}: call {@code function}
 * @param function the forced function's name when {@code mode} is {@link Mode#FUNCTION}, else null
 */
public record ToolChoice(Mode mode, String function) {

    public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
    public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

    public enum Mode { NONE, AUTO, REQUIRED, FUNCTION }

    public static ToolChoice function(String name) {
        return new ToolChoice(Mode.FUNCTION, name);
    }
}
