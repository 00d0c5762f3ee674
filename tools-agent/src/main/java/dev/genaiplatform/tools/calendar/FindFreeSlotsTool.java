package dev.genaiplatform.tools.calendar;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.registry.JsonTool;
import dev.genaiplatform.tools.security.Caller;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Free slots common to every attendee on one day, 09:00-17:00 in the given zone, every 30 minutes. */
public final class FindFreeSlotsTool extends JsonTool {

    private final Calendar calendar;

    public FindFreeSlotsTool(JsonMapper json, Calendar calendar) {
        super(json, "find_free_slots", RiskTier.READ, "Finds start times on a day (working hours 09:00-17:00 in "
                + "the given time zone) when all attendees are free for the given duration.");
        this.calendar = calendar;
    }

    @Override
    protected JsonNode run(JsonNode arguments, Caller caller) {
        ZoneId zone = Calendar.zone(arguments.get("timeZone").asString());
        List<String> attendees = new ArrayList<>();
        arguments.get("attendees").forEach(a -> attendees.add(a.asString()));
        ObjectNode result = json.createObjectNode().put("timeZone", zone.getId());
        ArrayNode slots = result.putArray("freeSlots");
        calendar.freeSlots(caller.tenant(), attendees, Calendar.date(arguments.get("date").asString()), zone,
                Duration.ofMinutes(arguments.get("durationMinutes").asInt()), 16)
                .forEach(slot -> slots.add(slot.toOffsetDateTime().toString()));
        return result;
    }
}
