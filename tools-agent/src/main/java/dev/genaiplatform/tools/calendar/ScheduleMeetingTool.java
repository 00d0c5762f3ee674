package dev.genaiplatform.tools.calendar;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.registry.JsonTool;
import dev.genaiplatform.tools.registry.ToolArgumentException;
import dev.genaiplatform.tools.security.Caller;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Books a meeting unless an attendee is busy then. A conflict is an answer, not an error: the result says
 * {@code scheduled: false}, names the conflicting meetings and offers free slots that day, so the model can propose
 * one. A local time that does not exist in the zone (a daylight-saving gap) is refused instead of silently moved.
 */
public final class ScheduleMeetingTool extends JsonTool {

    private final Calendar calendar;

    public ScheduleMeetingTool(JsonMapper json, Calendar calendar) {
        super(json, "schedule_meeting", RiskTier.WRITE, "Schedules a meeting for the attendees at a local start "
                + "time in a time zone. If someone is busy, nothing is booked and free slots that day are suggested.");
        this.calendar = calendar;
    }

    @Override
    protected JsonNode run(JsonNode arguments, Caller caller) {
        ZoneId zone = Calendar.zone(arguments.get("timeZone").asString());
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(arguments.get("start").asString());
        } catch (DateTimeException e) {
            throw new ToolArgumentException("start is not a local date-time: " + arguments.get("start").asString());
        }
        if (zone.getRules().getValidOffsets(local).isEmpty()) {
            throw new ToolArgumentException(local + " does not exist in " + zone + " (a daylight-saving gap).");
        }
        ZonedDateTime start = local.atZone(zone);
        Duration length = Duration.ofMinutes(arguments.get("durationMinutes").asInt());
        Instant from = start.toInstant();
        Instant to = from.plus(length);
        List<String> attendees = new ArrayList<>();
        arguments.get("attendees").forEach(a -> attendees.add(a.asString()));
        List<Calendar.Meeting> conflicts = calendar.overlapping(caller.tenant(), attendees, from, to);
        ObjectNode result = json.createObjectNode();
        if (!conflicts.isEmpty()) {
            result.put("scheduled", false);
            ArrayNode clashes = result.putArray("conflicts");
            conflicts.forEach(m -> clashes.addObject().put("title", m.title())
                    .put("start", m.start().atZone(zone).toOffsetDateTime().toString())
                    .put("end", m.end().atZone(zone).toOffsetDateTime().toString())
                    .put("attendees", String.join(", ", m.attendees().stream().filter(attendees::contains).toList())));
            ArrayNode free = result.putArray("freeSlots");
            calendar.freeSlots(caller.tenant(), attendees, local.toLocalDate(), zone, length, 5)
                    .forEach(slot -> free.add(slot.toOffsetDateTime().toString()));
            return result;
        }
        var id = calendar.book(caller.tenant(), arguments.get("title").asString(), from, to, zone, caller.actor(), attendees);
        return result.put("scheduled", true).put("meetingId", id.toString())
                .put("start", start.toOffsetDateTime().toString())
                .put("end", to.atZone(zone).toOffsetDateTime().toString())
                .put("startUtc", from.toString());
    }
}
