package dev.genaiplatform.tools.registry;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every tool this service can run, by name. Built once at startup from the {@link PlatformTool} beans. */
public final class ToolRegistry {

    private final Map<String, PlatformTool> toolsByName = new TreeMap<>();

    public ToolRegistry(Collection<? extends PlatformTool> tools) {
        for (PlatformTool tool : tools) {
            if (toolsByName.putIfAbsent(tool.name(), tool) != null) {
                throw new IllegalStateException("Two tools are named '" + tool.name() + "'; tool names must be unique");
            }
        }
    }

    public Optional<PlatformTool> find(String name) {
        return Optional.ofNullable(name).map(toolsByName::get);
    }

    /** All tools, sorted by name. */
    public List<PlatformTool> all() {
        return List.copyOf(toolsByName.values());
    }
}
