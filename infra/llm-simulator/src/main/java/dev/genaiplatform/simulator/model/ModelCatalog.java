package dev.genaiplatform.simulator.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured model profiles, in configuration order, looked up by id. */
public final class ModelCatalog {

    private final Map<String, ModelProfile> byId = new LinkedHashMap<>();

    public ModelCatalog(List<ModelProfile> profiles) {
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("Configure at least one model under platform.simulator.models");
        }
        for (ModelProfile profile : profiles) {
            if (byId.putIfAbsent(profile.id(), profile) != null) {
                throw new IllegalArgumentException("Model id configured twice: " + profile.id());
            }
        }
    }

    public Optional<ModelProfile> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<ModelProfile> all() {
        return List.copyOf(byId.values());
    }
}
