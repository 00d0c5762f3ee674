package dev.genaiplatform.simulator.chat;

import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The OpenAI-compatible routes; any other path under {@code /v1} gets OpenAI's "Invalid URL" 404. */
public final class OpenAiEndpoints {

    private OpenAiEndpoints() {
    }

    public static RouterFunction<ServerResponse> routes(ChatCompletionHandler chat, ModelsHandler models) {
        return RouterFunctions.route()
                .POST("/v1/chat/completions", chat::complete)
                .GET("/v1/models", models::list)
                .GET("/v1/models/{model}", models::get)
                .route(RequestPredicates.path("/v1/**"), request -> OpenAiError
                        .invalidUrl(request.method().name(), request.path()).toResponse())
                .build();
    }
}
