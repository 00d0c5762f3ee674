package dev.genaiplatform.gateway.routing;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.gateway.FilterOrder;
import dev.genaiplatform.gateway.problem.Problems;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * One path, one spelling. Spring's path matching decodes percent-escapes and drops matrix parameters
 * ({@code ;x=1}) before it compares, while a string comparison, a backend or a log sees the raw path: the
 * same request then has two identities, and a check written against one is skipped by the other
 * ({@code /v1/chat/%63ompletions} routed to the orchestrator past the chat validation). So before
 * anything else looks at the path, every spelling but the canonical one is refused with a 404 problem:
 *
 * <ul>
 *   <li>no {@code ;} (matrix parameters), no backslash, no control or non-ASCII byte unescaped;</li>
 *   <li>no empty segment ({@code //}), no {@code .} or {@code ..} segment, no trailing slash (except {@code /});</li>
 *   <li>no escape of a character that needs none ({@code %63} for {@code c}, {@code %2e} for {@code .}) and no
 *       escape of a separator ({@code %2f}, {@code %5c}, {@code %3b}, {@code %25}) or a control character.</li>
 * </ul>
 *
 * What is left is a path whose raw and decoded forms have the same segments, so the route Spring Cloud Gateway
 * picks, the checks bound to that route, and what the backend receives all agree. Case is not folded: routes
 * are lower case and Spring matches case-sensitively, so {@code /V1/chat/completions} matches nothing and is
 * a 404 like any unknown path.
 */
public final class CanonicalPathFilter implements WebFilter, Ordered {

    @Override
    public int getOrder() {
        return FilterOrder.CANONICAL_PATH;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String raw = exchange.getRequest().getURI().getRawPath();
        if (!isCanonical(raw)) {
            return Mono.error(Problems.exception(ProblemType.NOT_FOUND, "No such endpoint."));
        }
        return chain.filter(exchange);
    }

    /** Whether {@code raw} (the path as sent, escapes intact) is the one accepted spelling of itself. */
    static boolean isCanonical(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            return false;
        }
        if (raw.equals("/")) {
            return true;
        }
        if (raw.endsWith("/")) {
            return false;
        }
        int segmentStart = 1;
        for (int i = 1; i <= raw.length(); i++) {
            if (i == raw.length() || raw.charAt(i) == '/') {
                String segment = raw.substring(segmentStart, i);
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    return false;
                }
                segmentStart = i + 1;
                continue;
            }
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return false;
                }
                int decoded = hex(raw.charAt(i + 1)) << 4 | hex(raw.charAt(i + 2));
                if (decoded < 0 || !mayBeEscaped(decoded)) {
                    return false;
                }
                i += 2;
            }
            else if (!isAllowedLiteral(c)) {
                return false;
            }
        }
        return true;
    }

    /** RFC 3986 unreserved characters and the sub-delimiters, ':' and '@', except ';'. */
    private static boolean isAllowedLiteral(char c) {
        return isUnreserved(c) || "!$&'()*+,=:@".indexOf(c) >= 0;
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    /** An escape is canonical only for a byte that must be escaped and is no separator or control character. */
    private static boolean mayBeEscaped(int b) {
        if (b < 0x20 || b == 0x7f || isUnreserved(b)) {
            return false;
        }
        return b != '/' && b != '\\' && b != ';' && b != '%';
    }

    private static int hex(char c) {
        int digit = Character.digit(c, 16);
        return digit < 0 ? -0x1000 : digit;
    }
}
