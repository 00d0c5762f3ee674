package dev.genaiplatform.launcher;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JwksRelayTests {

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private URI gateway(String keySet) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext(JwksRelay.PATH, exchange -> {
            byte[] body = keySet.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        opened.add(() -> server.stop(0));
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private HttpResponse<String> fetch(JwksRelay relay) throws Exception {
        return http.send(HttpRequest.newBuilder(relay.uri()).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void passesTheFirstAnsweringGatewaysKeySetOnUnchanged() throws Exception {
        JwksRelay relay = JwksRelay.start(0, List.of(gateway("{\"keys\":[\"a\"]}"), gateway("{\"keys\":[\"b\"]}")));
        opened.add(relay);

        HttpResponse<String> answer = fetch(relay);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"keys\":[\"a\"]}");
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/jwk-set+json");
    }

    @Test
    void answersFromTheOtherRegionWhenTheFirstGatewayIsDownAnd503WhenNoneAnswers() throws Exception {
        int deadPort = RunningPlatform.freePorts(1)[0];
        JwksRelay relay = JwksRelay.start(0, List.of(URI.create("http://127.0.0.1:" + deadPort)));
        opened.add(relay);
        assertThat(fetch(relay).statusCode()).isEqualTo(503);

        relay.add(gateway("{\"keys\":[\"b\"]}"));

        assertThat(fetch(relay).body()).isEqualTo("{\"keys\":[\"b\"]}");
    }
}
