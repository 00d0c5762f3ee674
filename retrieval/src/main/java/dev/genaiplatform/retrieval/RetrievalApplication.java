package dev.genaiplatform.retrieval;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** RAG retrieval: ingests Markdown at start-up, then answers hybrid searches over Kafka and HTTP. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RetrievalApplication {

    public static void main(String[] args) {
        // DJL (the tokenizer under the MiniLM model) probes the cloud metadata address 169.254.169.254 and may
        // download engines unless told not to. It reads these once, when it loads, so set them before anything else.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        SpringApplication.run(RetrievalApplication.class, args);
    }
}
