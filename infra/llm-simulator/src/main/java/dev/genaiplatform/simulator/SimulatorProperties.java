package dev.genaiplatform.simulator;

import dev.genaiplatform.simulator.model.ModelProfile;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.util.List;

/**
 * Everything the simulator can be told, under {@code platform.simulator}.
 *
 * @param models     the models it serves (see {@link ModelProfile} for each key); {@code /v1/models}
 *                   lists them in this order, and any other model name gets a 404
 * @param answer     how grounded answers are composed
 * @param inspection the in-memory log of received requests behind {@code /sim/requests}
 */
@ConfigurationProperties("platform.simulator")
record SimulatorProperties(List<ModelProfile> models, @DefaultValue Answer answer,
                           @DefaultValue Inspection inspection) {

    /**
     * @param maxSentences the most sentences an answer quotes
     * @param minRelevance the share (0..1) of the question's idf-weighted content words a sentence must
     *                     contain to be quoted; below it for every sentence, the answer is "I don't know"
     */
    record Answer(@DefaultValue("3") int maxSentences, @DefaultValue("0.3") double minRelevance) {

        Answer {
            if (maxSentences < 1) {
                throw new IllegalArgumentException("platform.simulator.answer.max-sentences must be at least 1");
            }
            if (minRelevance < 0 || minRelevance > 1) {
                throw new IllegalArgumentException("platform.simulator.answer.min-relevance must be within 0..1");
            }
        }
    }

    /**
     * @param enabled  whether {@code /sim/requests} exists at all (env {@code SIM_INSPECTION_ENABLED});
     *                 off by default, because it shows every tenant's prompts. When off, no body is kept.
     * @param capacity how many recent request bodies to keep; 0 keeps none (the prompts are not held in
     *                 memory at all)
     * @param maxTotal the most memory those bodies may take together; the oldest go first
     */
    record Inspection(@DefaultValue("false") boolean enabled, @DefaultValue("100") int capacity,
                      @DefaultValue("16MB") DataSize maxTotal) {

        /** Bodies to keep: none while the endpoint is off, so prompts are never held for nobody to read. */
        int keptBodies() {
            return enabled ? capacity : 0;
        }

        Inspection {
            if (capacity < 0) {
                throw new IllegalArgumentException("platform.simulator.inspection.capacity must not be negative");
            }
        }
    }
}
