package dev.genaiplatform.gateway.bench;

import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Not part of the gateway: benchmark-only probes ({@code --bench.stages=true}, set by {@link GatewayBenchmark}'s
 * {@code stages} phase on a gateway started from the test classpath). A probe sits between two of the gateway's own
 * filters (their orders are in {@code FilterOrder}) and notes {@link System#nanoTime()} when the request passes it;
 * when the answer is committed, every note goes out in {@value #HEADER}. {@code System.nanoTime} is Linux's
 * monotonic clock, the same in every process on the machine, so the benchmark can put the gateway's notes, the
 * upstream's and its own on one time line and split a request into the part each filter (and each wait) took.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("bench.stages")
public class StageProbes {

    static final String HEADER = "X-Bench-Stages";

    /** The thread each note was taken on, in the same order: where the request was handed from thread to thread. */
    static final String THREADS_HEADER = "X-Bench-Threads";

    private static final String NOTES = StageProbes.class.getName() + ".notes";

    private static final String THREADS = StageProbes.class.getName() + ".threads";

    /** Before the request id (the first of the gateway's WebFilters); arms the note taken at commit. */
    @Bean
    WebFilter probeEnter() {
        return new WebProbe("enter", Ordered.HIGHEST_PRECEDENCE);
    }

    @Bean
    WebFilter probeAuthentication() {
        return new WebProbe("key", -401); // after request id, trace id, admission, canonical path
    }

    @Bean
    WebFilter probeRateLimit() {
        return new WebProbe("ratelimit", -301); // after the key lookup
    }

    @Bean
    WebFilter probeRateLimited() {
        return new WebProbe("ratelimited", -299); // after the bucket's Redis round trip
    }

    @Bean
    GlobalFilter probeRouted() {
        return new RouteProbe("routed", Ordered.HIGHEST_PRECEDENCE); // after route matching
    }

    @Bean
    GlobalFilter probeValidation() {
        return new RouteProbe("validation", -201); // after scope and size
    }

    @Bean
    GlobalFilter probeValidated() {
        return new RouteProbe("validated", -151); // after the body read and the chat validation
    }

    @Bean
    GlobalFilter probeBudget() {
        return new RouteProbe("budget", -121); // after the stream cap and the stream-ending decorator
    }

    @Bean
    GlobalFilter probeToken() {
        return new RouteProbe("token", -101); // after the estimate and the reservation's Redis round trip
    }

    @Bean
    GlobalFilter probeSigned() {
        return new RouteProbe("signed", -99); // after the token and the header rewrite
    }

    @Bean
    GlobalFilter probeRouting() {
        return new RouteProbe("routing", Ordered.LOWEST_PRECEDENCE - 1); // just before the Netty routing filter
    }

    /** A probe in the WebFilter chain (every request, before routing). */
    private record WebProbe(String name, int order) implements WebFilter, Ordered {

        @Override
        public int getOrder() {
            return order;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            note(exchange, name);
            return chain.filter(exchange);
        }
    }

    /** A probe in the route's filter chain (after routing). */
    private record RouteProbe(String name, int order) implements GlobalFilter, Ordered {

        @Override
        public int getOrder() {
            return order;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
            note(exchange, name);
            return chain.filter(exchange);
        }
    }

    private static void note(ServerWebExchange exchange, String name) {
        long now = System.nanoTime();
        List<String> notes = exchange.getAttribute(NOTES);
        List<String> threads = exchange.getAttribute(THREADS);
        if (notes == null) {
            List<String> fresh = new ArrayList<>();
            List<String> freshThreads = new ArrayList<>();
            exchange.getAttributes().put(NOTES, fresh);
            exchange.getAttributes().put(THREADS, freshThreads);
            exchange.getResponse().beforeCommit(() -> {
                fresh.add("commit=" + System.nanoTime());
                freshThreads.add("commit=" + Thread.currentThread().getName());
                exchange.getResponse().getHeaders().set(HEADER, String.join(";", fresh));
                exchange.getResponse().getHeaders().set(THREADS_HEADER, String.join(";", freshThreads));
                return Mono.empty();
            });
            notes = fresh;
            threads = freshThreads;
        }
        notes.add(name + "=" + now);
        threads.add(name + "=" + Thread.currentThread().getName());
    }
}
