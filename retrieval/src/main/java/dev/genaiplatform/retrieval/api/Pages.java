package dev.genaiplatform.retrieval.api;

import dev.genaiplatform.contracts.problem.ProblemType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** OpenAI's cursor pagination ({@code limit}, {@code order}, {@code after}) over a list already scoped to a tenant. */
final class Pages {

    private Pages() {
    }

    static <T> OpenAiShapes.ListPage<T> page(List<T> ascending, Function<T, String> id, Integer limit, String order, String after, int maxLimit) {
        int size = limit == null ? Math.min(20, maxLimit) : limit;
        if (size < 1 || size > maxLimit) {
            throw new ApiException(ProblemType.INVALID_VALUE, "limit must be between 1 and " + maxLimit, "limit");
        }
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw new ApiException(ProblemType.INVALID_VALUE, "order must be 'asc' or 'desc'", "order");
        }
        List<T> items = new ArrayList<>(ascending);
        if (!"asc".equals(order)) {
            Collections.reverse(items); // OpenAI lists newest first by default
        }
        int from = 0;
        if (after != null) {
            int at = items.stream().map(id).toList().indexOf(after);
            from = at < 0 ? items.size() : at + 1;
        }
        List<T> data = items.subList(Math.min(from, items.size()), Math.min(items.size(), from + size));
        boolean hasMore = from + size < items.size();
        return new OpenAiShapes.ListPage<>("list", List.copyOf(data), data.isEmpty() ? null : id.apply(data.getFirst()),
                data.isEmpty() ? null : id.apply(data.getLast()), hasMore);
    }
}
