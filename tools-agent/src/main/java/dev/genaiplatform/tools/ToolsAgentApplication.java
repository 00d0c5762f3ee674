package dev.genaiplatform.tools;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Runs registered tools on request: answers {@code tools.invoke.v1} over Kafka and lists tools over HTTP. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ToolsAgentApplication {

    public static void main(String[] args) {
        SpringApplication.run(ToolsAgentApplication.class, args);
    }
}
