package dev.genaiplatform.simulator.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.genaiplatform.simulator.model.ModelProfile;

import java.util.EnumMap;
import java.util.Map;

/** One {@link Tokenizer} per encoding, loaded once: the vocabularies take a moment to read. */
public final class Tokenizers {

    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
    private final Map<EncodingType, Tokenizer> byEncoding = new EnumMap<>(EncodingType.class);

    public synchronized Tokenizer forEncoding(EncodingType type) {
        return byEncoding.computeIfAbsent(type, t -> new Tokenizer(registry.getEncoding(t)));
    }

    public Tokenizer forModel(ModelProfile profile) {
        return forEncoding(profile.encoding());
    }
}
