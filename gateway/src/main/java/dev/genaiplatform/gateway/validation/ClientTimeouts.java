package dev.genaiplatform.gateway.validation;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.gateway.problem.ProblemDetailExceptionHandler;
import dev.genaiplatform.gateway.problem.Problems;
import io.netty.handler.timeout.ReadTimeoutException;

import org.springframework.http.HttpHeaders;
import org.springframework.web.ErrorResponseException;

/** Telling a slow client apart from a slow backend: both surface as Netty timeouts. */
final class ClientTimeouts {

    private ClientTimeouts() {
    }

    /** Only meaningful on the client's request body, where a read timeout can only be the client's. */
    static boolean isClientTimeout(Throwable failure) {
        return failure instanceof ReadTimeoutException || ProblemDetailExceptionHandler.isRequestTimeout(failure);
    }

    /** 408, and the connection is closed: half a body is still on the wire and cannot be skipped safely. */
    static ErrorResponseException requestTimeout(Throwable failure) {
        ErrorResponseException problem = Problems.exception(ProblemType.REQUEST_TIMEOUT,
                "The request body did not arrive in time.");
        problem.getHeaders().set(HttpHeaders.CONNECTION, "close");
        return problem;
    }
}
