package dev.genaiplatform.tools.email;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.registry.JsonTool;
import dev.genaiplatform.tools.security.Caller;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Puts an e-mail in the tenant's outbox (table {@code email_outbox}); a separate relay would send it. This service
 * never sends: the row is the side effect, written in the ledger's transaction, so it exists exactly once per call.
 * Sensitive: acting in the user's name towards other people is what an injected instruction most wants.
 */
public final class SendEmailTool extends JsonTool {

    private final JdbcTemplate jdbc;

    public SendEmailTool(JsonMapper json, JdbcTemplate jdbc) {
        super(json, "send_email", RiskTier.SENSITIVE, "Queues an e-mail to the given recipients in the user's "
                + "outbox. Needs a human approval before it runs.");
        this.jdbc = jdbc;
    }

    @Override
    protected JsonNode run(JsonNode arguments, Caller caller) {
        List<String> to = new ArrayList<>();
        arguments.get("to").forEach(address -> to.add(address.asString()));
        UUID id = UUID.randomUUID();
        jdbc.update("insert into email_outbox (id, tenant, sender, recipients, subject, body) values (?, ?, ?, ?, ?, ?)",
                id, caller.tenant(), caller.actor(), String.join(",", to), arguments.get("subject").asString(),
                arguments.get("body").asString());
        return json.createObjectNode().put("outboxId", id.toString()).put("queued", true).put("recipients", to.size());
    }
}
