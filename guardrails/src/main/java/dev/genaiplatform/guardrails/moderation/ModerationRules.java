package dev.genaiplatform.guardrails.moderation;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.List;

/**
 * Phrasings of harmful requests that are almost never innocent, matched with re2j (linear time) on normalised
 * text (lower case, homoglyphs and leetspeak undone). A hit counts whatever the classifier says.
 *
 * <p>Each rule needs both a harmful verb and a target that makes it harmful: "how to kill my neighbour" hits,
 * "how to kill a process" does not. Sexual content involving minors needs a sexual term near a minor term and
 * no protective context (reporting, prevention, education) in the same text: those texts go to the classifier.
 * Paraphrases, euphemisms, slurs and other languages pass the rules: that is the classifier's job.
 */
public final class ModerationRules {

    /** A rule hit: the category and the span in the normalised text. */
    public record Hit(ModerationCategory category, int start, int end) {
    }

    /**
     * @param required groups of literals read off the pattern: every match contains at least one literal of each
     *                 group; a text lacking every literal of a group cannot match, so the regex does not run
     *                 ({@code ModerationRulesPrefilterTests} checks the hits are those of every regex).
     */
    private record Rule(ModerationCategory category, List<List<String>> required, Pattern pattern) {

        boolean mayMatch(String text) {
            for (List<String> group : required) {
                if (group.stream().noneMatch(text::contains)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final List<String> GROUP_WORDS = List.of("jew", "muslim", "christian", "black", "white", "gay",
            "lesbian", "trans", "immigrant", "refugee", "migrant", "women", "asian", "mexican", "arab", "hindu", "sikh",
            "roma", "gypsies", "disabled");

    private static final String PEOPLE = "(?:my |a |the |his |her |our |their |your |some |random |those |these |all )?"
            + "(?:wife|husband|partner|girlfriend|boyfriend|ex|mother|mom|mum|father|dad|brother|sister|son|daughter"
            + "|child|children|kids?|baby|neighbou?rs?|boss|teacher|classmates?|coworkers?|co-workers?|colleagues?"
            + "|person|people|someone|somebody|him|her|them|you|everyone|family|students|police officers?|cops?"
            + "|politician|president|senator|crowd|customers?|landlord|roommate)\\b";
    private static final String GROUPS = "(?:jews|jewish people|muslims|christians|blacks|black people|whites|white people"
            + "|gays|gay people|lesbians|trans people|transgender people|immigrants|refugees|migrants|women|asians"
            + "|mexicans|arabs|hindus|sikhs|roma|gypsies|disabled people)";
    private static final String MINOR = "(?:child|children|kids?|minors?|underage|under-age|preteens?|pre-teens?"
            + "|toddlers?|schoolgirls?|schoolboys?|little (?:girls?|boys?)|(?:[1-9]|1[0-5])[- ]?(?:years?|yr)[- ]?olds?)";
    private static final String SEXUAL = "(?:sex|sexual|sexually|nude|naked|erotic|porn|pornographic|explicit|lewd"
            + "|intercourse|seduce|seducing|aroused|fetish)";
    private static final Pattern PROTECTIVE = Pattern.compile(
            "\\b(?:report|reporting|prevent|prevention|protect|protecting|safeguard|recogni[sz]e|signs of|warning signs"
                    + "|education|educational|talk to|therapist|therapy|survivors?|hotline|statistics|law|laws|legal|age of consent)\\b");

    private static final List<Rule> RULES = List.of(
            new Rule(ModerationCategory.VIOLENCE, List.of(List.of("kill", "murder", "poison", "stab", "strangle",
                    "shoot", "torture", "beat up", "behead", "kidnap", "drown", "suffocate")),
                    Pattern.compile(
                    "\\b(?:how (?:do i|can i|to|would i|should i)|ways? to|best way to|help me|i want to|i'?m going to"
                            + "|i will|i'?ll|going to) (?:kill|murder|poison|stab|strangle|shoot|torture|beat up|behead"
                            + "|kidnap|drown|suffocate) " + PEOPLE)),
            new Rule(ModerationCategory.VIOLENCE, List.of(List.of("shooting", "massacre", "terror", "bombing")),
                    Pattern.compile(
                    "\\b(?:plan|planning|carry out|commit) (?:a |an )?(?:mass shooting|school shooting|massacre"
                            + "|terror(?:ist)? attack|bombing of)\\b")),
            new Rule(ModerationCategory.VIOLENCE, List.of(List.of("hide", "get away")),
                    Pattern.compile(
                    "\\bhide (?:a|the) (?:body|corpse)\\b|\\bget away with (?:murder|killing)\\b")),
            new Rule(ModerationCategory.SELF_HARM,
                    List.of(List.of("myself", "life", "die", "suicide", "end it", "pills", "tablets")),
                    Pattern.compile(
                    "\\b(?:kill|hurt|harm|cut|starve|hang|poison|shoot) myself\\b|\\bend(?:ing)? my (?:own )?life\\b"
                            + "|\\bi (?:want|wish|plan|am going|'?m going) to die\\b|\\bcommit(?:ting)? suicide\\b"
                            + "|\\b(?:painless|easiest|quickest|best|surest) (?:way|ways|method|methods) to (?:die|end it)\\b"
                            + "|\\bhow many [a-z ]{1,40} (?:pills|tablets) (?:to|would) (?:kill|die|overdose)")),
            new Rule(ModerationCategory.HATE_HARASSMENT,
                    List.of(GROUP_WORDS, List.of("should", "must", "deserve", "need to", "ought")),
                    Pattern.compile(
                    "\\b(?:all )?" + GROUPS + " (?:should|must|deserve to|need to|ought to) (?:all )?(?:die|be killed"
                            + "|be exterminated|be gassed|be wiped out|be deported|burn)\\b")),
            new Rule(ModerationCategory.HATE_HARASSMENT,
                    List.of(List.of("exterminate", "wipe out", "gas", "eradicate", "get rid of"), GROUP_WORDS),
                    Pattern.compile(
                    "\\b(?:exterminate|wipe out|gas|eradicate|get rid of) (?:all |the )?" + GROUPS + "\\b")),
            new Rule(ModerationCategory.HATE_HARASSMENT,
                    List.of(GROUP_WORDS, List.of("subhuman", "vermin", "animals", "parasites", "cockroaches", "a disease")),
                    Pattern.compile(
                    "\\b" + GROUPS + " are (?:subhuman|vermin|animals|parasites|cockroaches|a disease)\\b")),
            new Rule(ModerationCategory.SEXUAL_MINORS, List.of(List.of("sex", "nude", "naked", "erotic", "porn", "explicit",
                    "lewd", "intercourse", "seduc", "aroused", "fetish"), List.of("child", "kid", "minor", "underage", "under-age", "preteen", "pre-teen", "toddler",
                    "schoolgirl", "schoolboy", "little girl", "little boy", "year", "yr")),
                    Pattern.compile(
                    "\\b" + SEXUAL + "\\b[^.!?\\n]{0,80}\\b" + MINOR + "\\b|\\b" + MINOR + "\\b[^.!?\\n]{0,60}\\b" + SEXUAL + "\\b")),
            new Rule(ModerationCategory.ILLEGAL_INSTRUCTIONS,
                    List.of(List.of("make", "build", "assemble", "synthesi", "cook", "manufacture", "produce", "brew"),
                    List.of("bomb", "explosive", "ied", "meth", "fentanyl", "heroin", "nerve agent", "sarin", "ricin", "vx",
                            "napalm", "molotov", "ghost gun", "untraceable gun", "chemical weapon", "bioweapon")),
                    Pattern.compile(
                    "\\b(?:how (?:do i|can i|to|would i)|steps to|instructions (?:to|for)|recipe for|help me|teach me to)"
                            + " (?:make|build|assemble|synthesi[sz]e|cook|manufacture|produce|brew) (?:a |an |some )?(?:homemade )?"
                            + "(?:pipe ?bomb|bomb|explosives?|ied|meth|methamphetamine|crystal meth|fentanyl|heroin|nerve agent"
                            + "|sarin|ricin|vx|napalm|molotov(?: cocktail)?|ghost gun|untraceable gun|chemical weapon|bioweapon)")),
            new Rule(ModerationCategory.ILLEGAL_INSTRUCTIONS, List.of(List.of("launder money", "hotwire a car", "steal a car",
                    "pick a lock to break in", "break into",
                    "buy stolen credit card", "make counterfeit", "forge a passport", "ransomware", "keylogger",
                    "credential stealer")),
                    Pattern.compile(
                    "\\b(?:how (?:do i|can i|to)|help me|teach me to) (?:launder money|hotwire a car|steal a car"
                            + "|pick a lock to break in|break into (?:a|my neighbou?r'?s|someone'?s) (?:house|home|car)"
                            + "|buy stolen credit cards?|make counterfeit (?:money|bills)|forge a passport"
                            + "|write (?:a |some )?(?:ransomware|keylogger|credential stealer))")));

    private ModerationRules() {
    }

    /**
     * Every rule hit in a normalised text. A rule's regex runs only when the text holds a literal of each of its
     * required groups, and the protective-context scan only when the minors rule could match: the hits are
     * exactly those of {@link #findWithoutPrefilter}.
     */
    public static List<Hit> find(String normalised) {
        return find(normalised, true);
    }

    /** Every regex over the whole text: the reference {@link #find} must equal (tests). */
    public static List<Hit> findWithoutPrefilter(String normalised) {
        return find(normalised, false);
    }

    private static List<Hit> find(String normalised, boolean prefilter) {
        List<Hit> hits = new ArrayList<>();
        Boolean protective = null;
        for (Rule rule : RULES) {
            if (prefilter && !rule.mayMatch(normalised)) {
                continue;
            }
            if (rule.category() == ModerationCategory.SEXUAL_MINORS) {
                protective = protective != null ? protective : PROTECTIVE.matcher(normalised).find();
                if (protective) {
                    continue;
                }
            }
            Matcher matcher = rule.pattern().matcher(normalised);
            while (matcher.find()) {
                hits.add(new Hit(rule.category(), matcher.start(), matcher.end()));
            }
        }
        return hits;
    }
}
