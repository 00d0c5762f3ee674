package dev.genaiplatform.tools.calendar;

import dev.genaiplatform.tools.registry.ToolArgumentException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's meetings (tables {@code meeting}, {@code meeting_attendee}), stored in UTC and shown in whatever zone
 * the caller asks. Two meetings conflict when they share an attendee and their intervals overlap (end exclusive).
 */
public final class Calendar {

    static final LocalTime WORKDAY_START = LocalTime.of(9, 0);
    static final LocalTime WORKDAY_END = LocalTime.of(17, 0);
    private static final Duration STEP = Duration.ofMinutes(30);

    private final JdbcTemplate jdbc;

    public Calendar(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Meeting(UUID id, String title, Instant start, Instant end, List<String> attendees) {
    }

    static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw new ToolArgumentException("Unknown time zone '" + name + "'; use an IANA name such as Europe/Berlin.");
        }
    }

    static LocalDate date(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeException e) {
            throw new ToolArgumentException("Not a calendar date: " + value);
        }
    }

    /** Meetings of these attendees (all, when empty) overlapping [from, to). */
    List<Meeting> overlapping(String tenant, Collection<String> attendees, Instant from, Instant to) {
        List<Meeting> meetings = new ArrayList<>();
        jdbc.query("select m.id, m.title, m.starts_at, m.ends_at, string_agg(a.attendee, ',' order by a.attendee) as who "
                        + "from meeting m join meeting_attendee a on a.meeting_id = m.id "
                        + "where m.tenant = ? and m.starts_at < ? and m.ends_at > ? group by m.id order by m.starts_at",
                rs -> {
                    List<String> who = List.of(rs.getString("who").split(","));
                    if (attendees.isEmpty() || who.stream().anyMatch(attendees::contains)) {
                        meetings.add(new Meeting(rs.getObject("id", UUID.class), rs.getString("title"),
                                rs.getTimestamp("starts_at").toInstant(), rs.getTimestamp("ends_at").toInstant(), who));
                    }
                }, tenant, Timestamp.from(to), Timestamp.from(from));
        return meetings;
    }

    UUID book(String tenant, String title, Instant start, Instant end, ZoneId zone, String organizer, List<String> attendees) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into meeting (id, tenant, title, starts_at, ends_at, time_zone, organizer) values (?, ?, ?, ?, ?, ?, ?)",
                id, tenant, title, Timestamp.from(start), Timestamp.from(end), zone.getId(), organizer);
        for (String attendee : attendees) {
            jdbc.update("insert into meeting_attendee (meeting_id, attendee) values (?, ?) on conflict do nothing", id, attendee);
        }
        return id;
    }

    /** Starts (every 30 minutes) of free slots of that length within working hours of that day in that zone. */
    List<ZonedDateTime> freeSlots(String tenant, Collection<String> attendees, LocalDate day, ZoneId zone, Duration length, int max) {
        ZonedDateTime dayStart = day.atTime(WORKDAY_START).atZone(zone);
        ZonedDateTime dayEnd = day.atTime(WORKDAY_END).atZone(zone);
        List<Meeting> busy = overlapping(tenant, attendees, dayStart.toInstant(), dayEnd.toInstant());
        List<ZonedDateTime> free = new ArrayList<>();
        for (ZonedDateTime slot = dayStart; !slot.plus(length).isAfter(dayEnd) && free.size() < max; slot = slot.plus(STEP)) {
            Instant from = slot.toInstant();
            Instant to = from.plus(length);
            if (busy.stream().noneMatch(m -> m.start().isBefore(to) && m.end().isAfter(from))) {
                free.add(slot);
            }
        }
        return free;
    }
}
