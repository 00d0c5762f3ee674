package dev.genaiplatform.simulator.tokens;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.genaiplatform.simulator.model.ChatMessage;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts and splits text the way an OpenAI model's own tokenizer does (a real BPE vocabulary from jtokkit).
 * Special-token text such as {@code <|endoftext|>} is treated as ordinary text, as the API does for user
 * content.
 */
public final class Tokenizer {

    /** Every message is wrapped in {@code <|start|>role<|message|>...<|end|>}: three tokens of framing. */
    static final int TOKENS_PER_MESSAGE = 3;
    /** A {@code name} costs one token more than its text. */
    static final int TOKENS_PER_NAME = 1;
    /** The reply is primed with {@code <|start|>assistant<|message|>}. */
    static final int REPLY_PRIMING_TOKENS = 3;

    /** Shorter texts are counted every time: cheaper than remembering them. */
    static final int REMEMBER_FROM_CHARS = 512;
    /** Shorter lines of a long text are counted every time (a lookup would cost about as much). */
    static final int REMEMBER_LINES_FROM_CHARS = 32;
    /** Characters of remembered lines kept at most (about 8 MB); past it, everything is forgotten at once. */
    static final long REMEMBERED_CHARS = 4_000_000;
    /** Shorter answers are split whole every time. */
    static final int REMEMBER_SENTENCES_FROM_CHARS = 64;
    /** Characters of remembered sentences kept at most; past it, everything is forgotten at once. */
    static final long REMEMBERED_SENTENCE_CHARS = 1_000_000;

    private final Encoding encoding;
    private final boolean rememberCounts;
    /**
     * Token counts of the lines of long texts already counted, by the exact line. A RAG prompt's system message
     * (instructions plus the retrieved passages) comes back whenever the same passages are retrieved again, and
     * counting it with the BPE vocabulary was a quarter of the simulator's CPU per request (README "Wave 7"). The
     * orchestrator puts a new canary line in every system message, so the whole text never recurs (Wave 7 remembered
     * whole texts and missed every time under the platform's load, README "Wave 8"); its other lines do. A count
     * never changes for the same text, and a long text's count is the sum of its lines' counts (see
     * {@link #lineStart}), so no answer, usage figure or limit changes.
     */
    private final ConcurrentHashMap<String, Integer> counted = new ConcurrentHashMap<>();
    private final AtomicLong rememberedChars = new AtomicLong();
    /** The token pieces of answers' sentences already split, by the exact sentence (see {@link #sentenceStart}). */
    private final ConcurrentHashMap<String, List<TokenPiece>> piecesBySentence = new ConcurrentHashMap<>();
    private final AtomicLong rememberedSentenceChars = new AtomicLong();

    public Tokenizer(Encoding encoding) {
        this(encoding, true);
    }

    /** @param rememberCounts false counts and splits every text whole every time (the benchmarks' "before") */
    public Tokenizer(Encoding encoding, boolean rememberCounts) {
        this.encoding = encoding;
        this.rememberCounts = rememberCounts;
    }

    public int count(String text) {
        if (!rememberCounts || text.length() < REMEMBER_FROM_CHARS) {
            return encoding.countTokensOrdinary(text);
        }
        int total = 0;
        int start = 0;
        for (int next = text.indexOf('\n') + 1; next > 0 && next < text.length(); next = text.indexOf('\n', next) + 1) {
            if (lineStart(text.charAt(next))) {
                total += countLine(text.substring(start, next));
                start = next;
            }
        }
        return total + countLine(start == 0 ? text : text.substring(start));
    }

    /**
     * Whether a line that starts with this character starts a new pre-token of the BPE's split, so the text before
     * it and the text from it on are counted apart to the same total. Both of jtokkit's OpenAI splits (cl100k and
     * o200k) end a pre-token at a newline that a letter, a digit or {@code [} follows: a run of letters may start
     * with one other character but never a newline; numbers take no prefix; punctuation may take a newline after
     * it (o200k also a {@code /}) but no letter, digit or {@code [}; whitespace runs stop before anything else. The
     * splits look neither behind nor, where such a line starts, ahead. {@code TokenizerTests} checks it against
     * counting whole on the project's own docs.
     */
    static boolean lineStart(char first) {
        return Character.isLetterOrDigit(first) || first == '[';
    }

    private int countLine(String line) {
        if (line.length() < REMEMBER_LINES_FROM_CHARS) {
            return encoding.countTokensOrdinary(line);
        }
        Integer known = counted.get(line);
        if (known != null) {
            return known;
        }
        int tokens = encoding.countTokensOrdinary(line);
        if (rememberedChars.addAndGet(line.length()) > REMEMBERED_CHARS) {
            // bounded without bookkeeping per entry: start over (a race here only makes the bound approximate)
            counted.clear();
            rememberedChars.set(line.length());
        }
        counted.put(line, tokens);
        return tokens;
    }

    /** Lines whose count is remembered (for tests). */
    int remembered() {
        return counted.size();
    }

    /** Sentences whose pieces are remembered (for tests). */
    int rememberedSentences() {
        return piecesBySentence.size();
    }

    /**
     * Prompt tokens of a conversation, counted as OpenAI documents it for its chat models (the cookbook's
     * {@code num_tokens_from_messages}): per message 3 tokens of framing plus the tokens of its role, its
     * content and its name (plus 1 if named); plus 3 tokens that prime the reply. The API's own count can
     * differ by a few tokens for newer models; tools and images are not counted.
     */
    public int countPrompt(List<ChatMessage> messages) {
        int total = REPLY_PRIMING_TOKENS;
        for (ChatMessage message : messages) {
            total += TOKENS_PER_MESSAGE + count(message.role()) + count(message.content());
            if (message.name() != null) {
                total += count(message.name()) + TOKENS_PER_NAME;
            }
        }
        return total;
    }

    /**
     * Splits text into the pieces a model would emit, one token each, except where a character's UTF-8
     * bytes span several tokens: those tokens travel together, so no piece holds half a character.
     */
    public List<TokenPiece> pieces(String text) {
        if (!rememberCounts || text.length() < REMEMBER_SENTENCES_FROM_CHARS) {
            return piecesOf(text);
        }
        List<TokenPiece> pieces = new ArrayList<>();
        int start = 0;
        for (int space = text.indexOf(' ', 1); space > 0 && space + 1 < text.length(); space = text.indexOf(' ', space + 1)) {
            if (sentenceStart(text.charAt(space - 1), text.charAt(space + 1))) {
                pieces.addAll(sentencePieces(text.substring(start, space)));
                start = space;
            }
        }
        pieces.addAll(sentencePieces(start == 0 ? text : text.substring(start)));
        return pieces;
    }

    /**
     * Whether a space between these two characters starts a new pre-token of the BPE's split: a space after a sentence's
     * end ({@code . ! ? ]}) and before a letter or {@code [} joins the word or bracket after it, and the punctuation
     * before it ends there (punctuation takes no space after it). An answer is quoted sentences joined by
     * {@code " [n] "}, so its sentences recur between answers while the whole answer does not. Pieces never span a
     * pre-token (its bytes are whole characters), so the pieces of the parts are the pieces of the whole.
     */
    static boolean sentenceStart(char before, char after) {
        return (before == '.' || before == '!' || before == '?' || before == ']')
                && (Character.isLetter(after) || after == '[');
    }

    private List<TokenPiece> sentencePieces(String sentence) {
        if (sentence.length() < REMEMBER_LINES_FROM_CHARS) {
            return piecesOf(sentence);
        }
        List<TokenPiece> known = piecesBySentence.get(sentence);
        if (known != null) {
            return known;
        }
        List<TokenPiece> pieces = List.copyOf(piecesOf(sentence));
        if (rememberedSentenceChars.addAndGet(sentence.length()) > REMEMBERED_SENTENCE_CHARS) {
            piecesBySentence.clear();
            rememberedSentenceChars.set(sentence.length());
        }
        piecesBySentence.put(sentence, pieces);
        return pieces;
    }

    private List<TokenPiece> piecesOf(String text) {
        IntArrayList tokens = encoding.encodeOrdinary(text);
        List<TokenPiece> pieces = new ArrayList<>(tokens.size());
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        int pendingTokens = 0;
        IntArrayList one = new IntArrayList(1);
        for (int i = 0; i < tokens.size(); i++) {
            one.clear();
            one.add(tokens.get(i));
            pending.writeBytes(encoding.decodeBytes(one));
            pendingTokens++;
            String decoded = decodeWhole(utf8, pending.toByteArray());
            if (decoded != null) {
                pieces.add(new TokenPiece(decoded, pendingTokens));
                pending.reset();
                pendingTokens = 0;
            }
        }
        if (pendingTokens > 0) {
            // cannot happen for text that came in as a Java string; kept so no token is ever lost
            pieces.add(new TokenPiece(pending.toString(StandardCharsets.UTF_8), pendingTokens));
        }
        return pieces;
    }

    /** The bytes as text if they are complete UTF-8, else null (more bytes are needed). */
    private static String decodeWhole(CharsetDecoder utf8, byte[] bytes) {
        try {
            return utf8.reset().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException incomplete) {
            return null;
        }
    }
}
