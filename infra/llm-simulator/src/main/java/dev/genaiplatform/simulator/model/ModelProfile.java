package dev.genaiplatform.simulator.model;

import com.knuddels.jtokkit.api.EncodingType;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * One model the simulator serves: its limits, how fast its "GPU" is and how much of it there is, what it
 * costs, and how much of its context it uses when answering. The README's "The serving model" explains
 * each speed and capacity parameter.
 *
 * @param id               the name clients put in {@code "model"}, e.g. {@code sim-small}
 * @param ownedBy          the {@code owned_by} field of {@code /v1/models}
 * @param contextWindow    tokens the prompt and the completion may use together; a prompt that does not
 *                         fit is refused with {@code context_length_exceeded}, a completion that would
 *                         overflow it is cut with {@code finish_reason: "length"}
 * @param timeToFirstToken optional: when set, replaces the modelled prefill time of every step that
 *                         admits requests (0 makes prefill instant); unset, prefill time follows the prompt
 *                         size ({@link Serving#prefillTokensPerSecond()})
 * @param interTokenDelay  optional: when set, replaces the modelled decode-step time whatever the batch
 *                         size (0 makes decoding instant); unset, it follows {@link Serving#decodeStep()} and
 *                         {@link Serving#decodeStepPerSequence()}
 * @param encoding         the tokenizer that counts and splits text for this model
 * @param serving          the continuous-batching server this model runs on
 * @param pricing          what a call costs, shown in {@code /v1/models}
 * @param answer           how much of the context the answer combines (the "quality" of the model)
 */
public record ModelProfile(
        String id,
        String ownedBy,
        int contextWindow,
        Duration timeToFirstToken,
        Duration interTokenDelay,
        EncodingType encoding,
        Serving serving,
        Pricing pricing,
        Answer answer) {

    @ConstructorBinding
    public ModelProfile(
            String id,
            @DefaultValue("genai-platform") String ownedBy,
            @DefaultValue("16384") int contextWindow,
            Duration timeToFirstToken,
            Duration interTokenDelay,
            @DefaultValue("o200k_base") EncodingType encoding,
            @DefaultValue Serving serving,
            @DefaultValue Pricing pricing,
            @DefaultValue Answer answer) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("A model profile needs an id");
        }
        if (contextWindow < 1) {
            throw new IllegalArgumentException("Model " + id + ": context-window must be positive");
        }
        if (isNegative(timeToFirstToken) || isNegative(interTokenDelay)) {
            throw new IllegalArgumentException("Model " + id + ": delays must not be negative");
        }
        if (serving.kvCacheTokens() < serving.blocksFor(contextWindow) * serving.kvBlockTokens()) {
            // otherwise a request that fits the window could wait forever for cache that does not exist
            throw new IllegalArgumentException("Model " + id + ": serving.kv-cache-tokens must hold at least one "
                    + "full context window (" + contextWindow + " tokens)");
        }
        this.id = id;
        this.ownedBy = ownedBy;
        this.contextWindow = contextWindow;
        this.timeToFirstToken = timeToFirstToken;
        this.interTokenDelay = interTokenDelay;
        this.encoding = encoding;
        this.serving = serving;
        this.pricing = pricing;
        this.answer = answer;
    }

    /** A profile with fixed delays and default serving, pricing and answer settings (tests, tools). */
    public ModelProfile(String id, String ownedBy, int contextWindow, Duration timeToFirstToken,
                        Duration interTokenDelay, EncodingType encoding) {
        this(id, ownedBy, contextWindow, timeToFirstToken, interTokenDelay, encoding, Serving.DEFAULT,
                Pricing.FREE, Answer.DEFAULT);
    }

    private static boolean isNegative(Duration duration) {
        return duration != null && duration.isNegative();
    }

    /**
     * The inference server behind a model, in the terms vLLM uses.
     *
     * @param kvCacheTokens           tokens of attention keys and values the GPU memory left after the
     *                                weights can hold, summed over all running sequences
     * @param kvBlockTokens           the cache is handed out in blocks of this many tokens (vLLM's paged
     *                                attention uses 16), so a sequence occupies whole blocks
     * @param maxRunningSequences     the most sequences decoded together in one step (vLLM's
     *                                {@code max_num_seqs})
     * @param maxPrefillTokensPerStep the most prompt tokens prefilled in one step (vLLM's
     *                                {@code max_num_batched_tokens}); a longer prompt is still admitted when
     *                                it is the only one in its step
     * @param prefillTokensPerSecond  how fast prompts are read: prefill time is prompt tokens divided by this
     * @param decodeStep              the time of one decode step for a batch of one sequence
     * @param decodeStepPerSequence   what each further sequence in the batch adds to a step
     */
    public record Serving(
            @DefaultValue("131072") int kvCacheTokens,
            @DefaultValue("16") int kvBlockTokens,
            @DefaultValue("64") int maxRunningSequences,
            @DefaultValue("8192") int maxPrefillTokensPerStep,
            @DefaultValue("40000") int prefillTokensPerSecond,
            @DefaultValue("12ms") Duration decodeStep,
            @DefaultValue("150us") Duration decodeStepPerSequence) {

        public static final Serving DEFAULT = new Serving(131072, 16, 64, 8192, 40000, Duration.ofMillis(12),
                Duration.ofNanos(150_000));

        public Serving {
            if (kvCacheTokens < 1 || kvBlockTokens < 1 || maxRunningSequences < 1 || maxPrefillTokensPerStep < 1
                    || prefillTokensPerSecond < 1) {
                throw new IllegalArgumentException("serving sizes and rates must be positive");
            }
            if (decodeStep.isNegative() || decodeStepPerSequence.isNegative()) {
                throw new IllegalArgumentException("serving step times must not be negative");
            }
        }

        /** Cache blocks a sequence of this many tokens occupies. */
        public int blocksFor(int tokens) {
            return Math.ceilDiv(Math.max(tokens, 1), kvBlockTokens);
        }

        public int kvCacheBlocks() {
            return kvCacheTokens / kvBlockTokens;
        }
    }

    /**
     * Prices in US dollars per 1,000 tokens, as providers list them.
     *
     * @param input  per 1,000 prompt tokens
     * @param output per 1,000 completion tokens
     */
    public record Pricing(@DefaultValue("0") BigDecimal input, @DefaultValue("0") BigDecimal output) {

        public static final Pricing FREE = new Pricing(BigDecimal.ZERO, BigDecimal.ZERO);
    }

    /**
     * How much of the context a model combines into an answer: a "better" model quotes more of the
     * relevant sentences, including less obvious ones.
     *
     * @param maxSentences the most sentences an answer quotes
     * @param minRelevance the share (0..1) of the question's idf-weighted content words a sentence must
     *                     contain to be quoted
     */
    public record Answer(@DefaultValue("3") int maxSentences, @DefaultValue("0.3") double minRelevance) {

        public static final Answer DEFAULT = new Answer(3, 0.3);

        public Answer {
            if (maxSentences < 1) {
                throw new IllegalArgumentException("answer.max-sentences must be at least 1");
            }
            if (minRelevance < 0 || minRelevance > 1) {
                throw new IllegalArgumentException("answer.min-relevance must be within 0..1");
            }
        }
    }
}
