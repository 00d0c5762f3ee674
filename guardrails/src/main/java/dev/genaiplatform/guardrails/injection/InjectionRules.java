package dev.genaiplatform.guardrails.injection;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.List;

/**
 * Phrases that are almost never innocent in a prompt, by attack family, matched on {@link NormalisedText} (lower
 * case, homoglyphs and leetspeak undone) with re2j (linear time). A hit counts as an injection whatever the
 * classifier says.
 *
 * <p>Rules are precise and narrow: they catch the common phrasings of each family and nothing else. A
 * paraphrase ("set aside what you were told before"), another language, or an instruction spread over
 * several sentences passes them; that is the classifier's job.
 */
public final class InjectionRules {

    /** A rule hit: the family and the span in the normalised text. */
    public record Hit(String family, int start, int end) {
    }

    /**
     * @param required groups of literals read off the pattern: every match of {@code pattern} contains at least
     *                 one literal of each group (each group lists, verbatim, the words of one alternation the
     *                 pattern cannot match without). A text lacking every literal of some group cannot match, so
     *                 the regex does not run on it. {@code InjectionRulesPrefilterTests} checks the claim on every
     *                 text of the corpora and on word salads of the rules' own words.
     */
    private record Rule(String family, List<List<String>> required, Pattern pattern) {

        boolean mayMatch(String text) {
            for (List<String> group : required) {
                if (!containsAny(text, group)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean containsAny(String text, List<String> literals) {
            for (String literal : literals) {
                if (text.contains(literal)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final String PRIOR = "(?:all |any |the |your |my |these |those |every |of )*"
            + "(?:previous|prior|preceding|above|earlier|former|original|initial|system|existing|old)";
    private static final String RULES_NOUN = "(?:instructions?|rules?|directions?|directives?|prompts?|guidelines?"
            + "|commands?|orders|constraints|restrictions|programming|guardrails|context)";

    private static final List<String> PRIOR_WORDS = List.of("previous", "prior", "preceding", "above", "earlier",
            "former", "original", "initial", "system", "existing", "old");
    private static final List<String> RULES_NOUN_WORDS = List.of("instruction", "rule", "direction", "directive",
            "prompt", "guideline", "command", "orders", "constraints", "restrictions", "programming", "guardrails",
            "context");

    private static final List<Rule> RULES = List.of(
            new Rule("instruction-override",
                    List.of(List.of("ignore", "disregard", "forget", "override", "bypass", "skip", "drop", "abandon", "discard", "neglect"),
                            PRIOR_WORDS, RULES_NOUN_WORDS),
                    Pattern.compile(
                    "(?:ignore|disregard|forget|override|bypass|skip|drop|abandon|discard|neglect)\\s+(?:about\\s+)?"
                            + PRIOR + "\\s+" + RULES_NOUN)),
            new Rule("instruction-override", List.of(List.of("ignore", "disregard", "forget"), List.of("everything", "all", "anything"),
                            List.of("told", "said", "written", "stated")), Pattern.compile(
                    "(?:ignore|disregard|forget)\\s+(?:everything|all|anything)\\s+(?:you\\s+(?:were|have\\s+been)\\s+told"
                            + "|(?:said|written|stated)\\s+(?:above|before))")),
            new Rule("instruction-override", List.of(List.of("instruction"), List.of("new", "updated", "real", "actual", "revised"), List.of(":", "follow")), Pattern.compile(
                    "(?:new|updated|real|actual|revised)\\s+(?:system\\s+)?instructions?\\s*(?::|follow)")),
            new Rule("system-prompt-extraction",
                    List.of(List.of("reveal", "show", "print", "display", "output", "repeat", "recite", "dump", "leak", "tell", "give",
                                    "write", "spell", "what"),
                            List.of("system", "initial", "hidden", "secret", "original", "developer", "internal", "first"),
                            List.of("prompt", "instruction", "message", "rules", "guidelines", "directives")),
                    Pattern.compile(
                    "(?:reveal|show|print|display|output|repeat|recite|dump|leak|tell\\s+me|give\\s+me|write\\s+out|spell\\s+out"
                            + "|what\\s+(?:is|are|were))\\s+(?:me\\s+)?(?:your|the)\\s+(?:full\\s+|entire\\s+|exact\\s+|complete\\s+)?"
                            + "(?:system|initial|hidden|secret|original|developer|internal|first)\\s+"
                            + "(?:prompt|instructions?|message|rules|guidelines|directives)")),
            new Rule("system-prompt-extraction", List.of(List.of("repeat", "print", "output", "copy"), List.of("words", "text", "everything", "lines"),
                            List.of("above", "before", "preceding", "far")), Pattern.compile(
                    "(?:repeat|print|output|copy)\\s+(?:all\\s+)?(?:the\\s+)?(?:words|text|everything|lines)\\s+"
                            + "(?:above|before\\s+this|preceding|so\\s+far)")),
            new Rule("system-prompt-extraction", List.of(List.of("starting", "beginning"), List.of("you")), Pattern.compile(
                    "(?:starting|beginning)\\s+with\\s+[\"'`]?you\\s+are")),
            new Rule("jailbreak-persona", List.of(List.of("anything", "dan", "stan", "dude", "aim", "evil", "mode")), Pattern.compile(
                    "\\bdo\\s+anything\\s+now\\b|\\byou\\s+are\\s+(?:now\\s+)?(?:dan|stan|dude|aim|evil\\s*bot)\\b"
                            + "|\\b(?:god|jailbreak|unrestricted|unfiltered|dan)\\s+mode\\b")),
            // "developer mode" alone is an ordinary phone or browser setting: it counts when it is a mode of the
            // model ("with developer mode", "developer mode enabled / output", "you are in developer mode") or
            // comes with no filters or rules
            new Rule("jailbreak-persona", List.of(List.of("developer"), List.of("mode")), Pattern.compile(
                    "\\bdeveloper\\s+mode\\s+(?:enabled|activated|output|response)\\b|\\bwith\\s+developer\\s+mode\\b"
                            + "|\\b(?:you\\s+are|you'?re)\\s+(?:now\\s+)?in\\s+developer\\s+mode\\b"
                            + "|\\bdeveloper\\s+mode\\b[^\\n]{0,60}\\b(?:no|without)\\s+(?:filters|restrictions|rules|limits|censorship)")),
            new Rule("jailbreak-persona",
                    List.of(List.of("free", "without", "longer", "bound"),
                            List.of("confines", "restrictions", "limitations", "filters", "censorship", "rules", "guidelines", "policies"),
                            List.of("ai", "anthropic", "your")),
                    Pattern.compile(
                    "(?:free\\s+(?:of|from)|without|no\\s+longer\\s+(?:bound|restricted)\\s+by|not\\s+bound\\s+by|broken\\s+free\\s+of)"
                            + "\\s+(?:any\\s+|all\\s+|the\\s+)?(?:typical\\s+)?(?:confines|restrictions|limitations|filters|censorship"
                            + "|rules|guidelines|policies)\\s+(?:of\\s+)?(?:ai|openai|anthropic|your\\s+(?:creators|developers|programming))")),
            new Rule("refusal-suppression", List.of(List.of("never", "not", "don"), List.of("refuse", "decline", "say", "apologi", "warnings", "disclaimers")), Pattern.compile(
                    "(?:never|do\\s+not|don'?t|must\\s+not)\\s+(?:refuse|decline|say\\s+(?:that\\s+)?you\\s+can'?t"
                            + "|apologi[sz]e|add\\s+(?:any\\s+)?(?:warnings|disclaimers))")),
            new Rule("fake-delimiter", List.of(List.of("im_start", "im_end", "system>", "system|>", "endoftext", "inst]", "sys>>", "sys_prompt>",
                            "instructions>", "##")), Pattern.compile(
                    "<\\|?(?:im_start|im_end|system|endoftext)\\|?>|\\[/?inst\\]|<</?sys>>|</?(?:system|sys_prompt|instructions)>"
                            + "|^\\s*#{2,}\\s*(?:system|new\\s+instructions)\\b")),
            new Rule("exfiltration", List.of(List.of("!["), List.of("://")), Pattern.compile(
                    "!\\[[^\\]]{0,200}\\]\\(\\s*https?://[^)\\s]{1,500}[?&][^)\\s=]{1,100}=")));

    private InjectionRules() {
    }

    /**
     * Every rule hit in a normalised text. A rule's regex runs only when the text contains a literal of each of
     * its required groups ({@link Rule#required}): most texts (retrieved passages, ordinary questions) contain none of most rules'
     * words, and a {@code String.contains} costs a fraction of a pass of re2j's NFA. The hits are exactly those
     * of {@link #findWithoutPrefilter}.
     */
    public static List<Hit> find(String normalised) {
        List<Hit> hits = new ArrayList<>();
        for (Rule rule : RULES) {
            if (rule.mayMatch(normalised)) {
                collect(rule, normalised, hits);
            }
        }
        return hits;
    }

    /** Every rule's regex over the whole text: the reference {@link #find} must equal (tests, benchmark). */
    public static List<Hit> findWithoutPrefilter(String normalised) {
        List<Hit> hits = new ArrayList<>();
        for (Rule rule : RULES) {
            collect(rule, normalised, hits);
        }
        return hits;
    }

    private static void collect(Rule rule, String normalised, List<Hit> hits) {
        Matcher matcher = rule.pattern().matcher(normalised);
        while (matcher.find()) {
            hits.add(new Hit(rule.family(), matcher.start(), matcher.end()));
        }
    }
}
