package dev.genaiplatform.orchestrator.agent;

import java.time.Instant;

/**
 * The internal token a run acts with: the starting request's, and after an approval the approver's (the only
 * fresh token a parked run ever sees). Never stored: it expires in minutes, and a stored token would be a
 * credential at rest.
 */
record RunToken(String value, Instant expiresAt) {

    boolean expired() {
        return this.expiresAt != null && Instant.now().isAfter(this.expiresAt);
    }
}
