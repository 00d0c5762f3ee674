package dev.genaiplatform.simulator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An offline model server that speaks the OpenAI chat-completions protocol. */
@SpringBootApplication
public class LlmSimulatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(LlmSimulatorApplication.class, args);
    }
}
