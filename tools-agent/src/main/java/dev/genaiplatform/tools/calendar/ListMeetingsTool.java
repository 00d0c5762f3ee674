package dev.genaiplatform.tools.calendar;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.registry.JsonTool;
import dev.genaiplatform.tools.security.Caller;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/** The tenant's meetings on one day of the given zone, optionally only one attendee's. */
public final class ListMeetingsTool extends JsonTool {

    private final Calendar calendar;

    public ListMeetingsTool(JsonMapper json, Calendar calendar) {
        super(json, "list_meetings", RiskTier.READ, "Lists meetings on a day in a time zone, optionally only "
                + "those of one attendee.");
        this.calendar = calendar;
    }

    @Override
    protected JsonNode run(JsonNode arguments, Caller caller) {
        ZoneId zone = Calendar.zone(arguments.get("timeZone").asString());
        LocalDate day = Calendar.date(arguments.get("date").asString());
        String attendee = text(arguments, "attendee", null);
        ObjectNode result = json.createObjectNode();
        ArrayNode meetings = result.putArray("meetings");
        calendar.overlapping(caller.tenant(), attendee == null ? List.of() : List.of(attendee),
                        day.atStartOfDay(zone).toInstant(), day.plusDays(1).atStartOfDay(zone).toInstant())
                .forEach(m -> meetings.addObject().put("meetingId", m.id().toString()).put("title", m.title())
                        .put("start", m.start().atZone(zone).toOffsetDateTime().toString())
                        .put("end", m.end().atZone(zone).toOffsetDateTime().toString())
                        .put("attendees", String.join(", ", m.attendees())));
        return result;
    }
}
