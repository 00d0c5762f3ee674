package dev.genaiplatform.evaluation.events;

/**
 * An event read from Kafka with the tenant its verified token names: the unit a store writes in a batch.
 *
 * @param tenant from the record's verified internal token, never from the body
 * @param event  the record's value, already validated
 */
public record TenantEvent<E>(String tenant, E event) {
}
