package dev.genaiplatform.tools.claims;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.registry.JsonTool;
import dev.genaiplatform.tools.registry.ToolArgumentException;
import dev.genaiplatform.tools.security.Caller;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Files an insurance claim (table {@code insurance_claim}) for the end user. Sensitive: it commits the user to a
 * statement and starts a payout. An incident date in the future is refused.
 */
public final class SubmitClaimTool extends JsonTool {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public SubmitClaimTool(JsonMapper json, JdbcTemplate jdbc, Clock clock) {
        super(json, "submit_claim", RiskTier.SENSITIVE, "Submits an insurance claim for the user: policy number, "
                + "incident date, amount and what happened. Needs a human approval before it runs.");
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    protected JsonNode run(JsonNode arguments, Caller caller) {
        LocalDate incident;
        try {
            incident = LocalDate.parse(arguments.get("incidentDate").asString());
        } catch (DateTimeException e) {
            throw new ToolArgumentException("incidentDate is not a calendar date: " + arguments.get("incidentDate").asString());
        }
        if (incident.isAfter(LocalDate.now(clock))) {
            throw new ToolArgumentException("incidentDate " + incident + " is in the future.");
        }
        long cents = arguments.get("amount").decimalValue().setScale(2, RoundingMode.HALF_UP)
                .multiply(BigDecimal.valueOf(100)).longValueExact();
        UUID id = UUID.randomUUID();
        jdbc.update("insert into insurance_claim (id, tenant, claimant, policy_number, incident_date, amount_cents, "
                        + "description) values (?, ?, ?, ?, ?, ?, ?)", id, caller.tenant(), caller.actor(),
                arguments.get("policyNumber").asString(), Date.valueOf(incident), cents,
                arguments.get("description").asString());
        return json.createObjectNode().put("claimId", id.toString()).put("status", "SUBMITTED")
                .put("amountCents", cents);
    }
}
