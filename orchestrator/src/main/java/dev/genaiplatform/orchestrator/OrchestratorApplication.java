package dev.genaiplatform.orchestrator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The core LLM service: answers OpenAI-style chat requests from the platform's documents.
 * Start reading at {@code chat.ChatCompletionService}, which runs one request step by step.
 */
@SpringBootApplication
public class OrchestratorApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrchestratorApplication.class, args);
    }
}
