package dev.genaiplatform.guardrails;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Checks chat input before it reaches a model: answers {@code guardrails.check-input.v1} over Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GuardrailsApplication {

    public static void main(String[] args) {
        SpringApplication.run(GuardrailsApplication.class, args);
    }
}
