package dev.genaiplatform.simulator;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The simulator on a random port with no delays, a small context window and a small body limit (so the
 * limits are cheap to hit), the inspection endpoint on and actuator on a random management port. Every class that uses it shares one application context.
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
        "MANAGEMENT_PORT=0"})
@Import(GatedServingEngine.Configuration.class)
public @interface SimulatorServerTest {
}
