package dev.genaiplatform.evaluation;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Evaluation and monitoring: turns chat completion events into per-tenant, per-model aggregates. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EvaluationApplication {

    public static void main(String[] args) {
        SpringApplication.run(EvaluationApplication.class, args);
    }
}
