package dev.genaiplatform.orchestrator.provider;

import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The OpenAI SDK's transport for one provider, with one OkHttp client built once. Spring AI 2.0.1's
 * {@code SpringAiOpenAiHttpClient} (and the SDK's own OkHttp transport) call {@code okHttpClient.newBuilder()...build()}
 * on every call to apply that call's timeouts: a new client object per model call, the top self-time frames of the
 * model call's profile. The platform's timeouts are per provider, never per request (the resilience layer cuts each
 * call to its deadline itself), so they are set here once and every call goes out on the same client, pool and
 * dispatcher.
 *
 * <p>Used only while Spring AI's own model-call observations are off (the default): with them on, Spring AI's client
 * carries the OkHttp observation interceptor and is kept.
 */
final class ProviderHttpClient implements HttpClient {

    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient client;

    /**
     * @param connect     TCP connect timeout
     * @param read        longest silence on the socket (first token, or between chunks)
     * @param call        the whole call's cap
     * @param maxRequests calls in flight at once (per host too: a provider is one host)
     */
    ProviderHttpClient(Duration connect, Duration read, Duration call, int maxRequests) {
        Dispatcher dispatcher = new Dispatcher(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("openai-http-", 0).factory()));
        dispatcher.setMaxRequests(maxRequests);
        dispatcher.setMaxRequestsPerHost(maxRequests);
        this.client = new OkHttpClient.Builder()
                .retryOnConnectionFailure(false)   // the platform retries, before the first token only
                .connectTimeout(connect)
                .readTimeout(read)
                .writeTimeout(read)
                .callTimeout(call)
                .pingInterval(Duration.ofMinutes(1))
                .dispatcher(dispatcher)
                .build();
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
        try {
            return new OkResponse(this.client.newCall(toOkHttp(request)).execute());
        }
        catch (IOException failed) {
            throw new OpenAIIoException("Request failed", failed);
        }
        finally {
            closeBody(request);
        }
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
        CompletableFuture<HttpResponse> future = new CompletableFuture<>();
        Call call = this.client.newCall(toOkHttp(request));
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call done, Response response) {
                future.complete(new OkResponse(response));
            }

            @Override
            public void onFailure(Call failed, IOException failure) {
                future.completeExceptionally(new OpenAIIoException("Request failed", failure));
            }
        });
        // the caller gave up (a timeout, a cancelled stream): stop the call, free its connection
        future.whenComplete((response, failure) -> {
            closeBody(request);
            if (future.isCancelled()) {
                call.cancel();
            }
        });
        return future;
    }

    @Override
    public void close() {
        this.client.dispatcher().executorService().shutdown();
        this.client.connectionPool().evictAll();
    }

    /**
     * The SDK's request as OkHttp's. The body (a chat request's JSON) is written out once: the SDK's JSON body computes
     * its length by serialising, and OkHttp asks for the length more than once per call (seen in the JFR profile).
     */
    private static Request toOkHttp(HttpRequest request) {
        HttpRequestBody body = request.body();
        RequestBody content = null;
        if (body != null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
            body.writeTo(bytes);
            content = RequestBody.create(bytes.toByteArray(), mediaType(body.contentType()));
        }
        String method = request.method().name();
        if (content == null && ("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method))) {
            content = RequestBody.create(new byte[0], null);
        }
        Request.Builder okRequest = new Request.Builder().url(request.url()).method(method, content);
        Headers headers = request.headers();
        for (String name : headers.names()) {
            for (String value : headers.values(name)) {
                okRequest.addHeader(name, value);
            }
        }
        return okRequest.build();
    }

    private static MediaType mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        return JSON.toString().equals(contentType) ? JSON : MediaType.parse(contentType);
    }

    private static void closeBody(HttpRequest request) {
        if (request.body() != null) {
            request.body().close();
        }
    }

    /** OkHttp's response as the SDK reads it. */
    private record OkResponse(Response response) implements HttpResponse {

        @Override
        public int statusCode() {
            return this.response.code();
        }

        @Override
        public Headers headers() {
            Headers.Builder headers = Headers.builder();
            okhttp3.Headers received = this.response.headers();
            for (String name : received.names()) {
                headers.put(name, received.values(name));
            }
            return headers.build();
        }

        @Override
        public InputStream body() {
            return this.response.body().byteStream();
        }

        @Override
        public void close() {
            this.response.close();
        }
    }
}
