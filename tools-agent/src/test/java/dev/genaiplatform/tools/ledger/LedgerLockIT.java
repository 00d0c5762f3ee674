package dev.genaiplatform.tools.ledger;

import dev.genaiplatform.tools.support.EmbeddedPostgres;
import dev.genaiplatform.tools.support.ToolsAgentIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A row held by another attempt is reported as a lock failure (what callers turn into IN_PROGRESS), never as an
 * uncategorised SQL error (which they would turn into FAILED). Found by infra/launcher's AgentKillMidCallIT: after a
 * crash, a redelivered approval met the sweep's attempt on the row and answered FAILED instead of waiting.
 */
class LedgerLockIT extends ToolsAgentIT {

    @Autowired
    ToolCallLedger ledger;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aRowHeldByAnotherTransactionIsALockFailureAfterTheWaitNotAnUncategorisedError() throws Exception {
        UUID callId = UUID.randomUUID();
        jdbc.update("insert into tool_call (call_id, tenant, idempotency_key, tool_name, arguments_json, state) "
                + "values (?, 'demo', ?, 'calculator', '{}', 'RECEIVED')", callId, "lock:" + callId);
        try (Connection other = DriverManager.getConnection(EmbeddedPostgres.jdbcUrl(), "postgres", "postgres")) {
            other.setAutoCommit(false);
            other.createStatement().execute("select call_id from tool_call where call_id = '" + callId + "' for update");

            assertThatThrownBy(() -> new TransactionTemplate(transactions).execute(tx ->
                    ledger.lock(callId, Duration.ofMillis(200))))
                    .isInstanceOf(PessimisticLockingFailureException.class);

            other.rollback();
        }
        assertThat(new TransactionTemplate(transactions).execute(tx -> ledger.lock(callId, Duration.ofMillis(200)))
                .state()).as("free again once the other transaction ended").isEqualTo(LedgerEntry.State.RECEIVED);
    }
}
