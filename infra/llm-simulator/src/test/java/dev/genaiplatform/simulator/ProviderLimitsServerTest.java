package dev.genaiplatform.simulator;

import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The simulator as {@link SimulatorServerTest} starts it, plus provider-side limits small enough to reach
 * in a few requests (3 requests and 4,000 tokens per minute per key, refilling one request every 20 s) and one configured fault rule
 * (every {@code sim-large} answer is cut to 2 tokens with {@code finish_reason: "length"}). Tests give
 * each scenario its own API key, so allowances never leak between tests. Every class that uses it
 * shares one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "SIM_TIME_TO_FIRST_TOKEN_MS=0",
        "SIM_INTER_TOKEN_MS=0",
        "SIM_CONTEXT_WINDOW=2048",
        "SIM_MAX_REQUEST_SIZE=256KB",
        "SIM_INSPECTION_ENABLED=true",
        "SIM_INSPECTION_CAPACITY=5",
        "MANAGEMENT_PORT=0",
        "SIM_LIMIT_RPM=3",
        "SIM_LIMIT_TPM=4000",
        "platform.simulator.faults.rules[0].model=sim-large",
        "platform.simulator.faults.rules[0].kind=length",
        "platform.simulator.faults.rules[0].every=1",
        "platform.simulator.faults.rules[0].parameter=2"})
public @interface ProviderLimitsServerTest {
}
