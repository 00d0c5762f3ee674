package dev.genaiplatform.launcher.scenario;

import java.util.List;
import java.util.Map;

/**
 * Recruiter question: a conversational recommender combining chat, retrieval and a database. The shop's database
 * answers through tools (orders, products, recommendations with reasons); an agent run combines them with the
 * user's words.
 */
final class Recommender implements Scenario {

    @Override
    public String name() {
        return "recommender";
    }

    @Override
    public String question() {
        return "Design a conversational recommender that suggests products from user preferences, combining chat, retrieval and a database.";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        report.step("The database side: what alice bought before (X-User-Id; tenant and user travel in the internal token)");
        Gateway.Reply orders = context.tool("order_status", Map.of(), null, "alice");
        if (ScenarioContext.toolAnswered(orders, report)) {
            report.saw("order_status", ScenarioContext.brief(orders.at("/resultJson").asString(orders.text()), 240));

            report.step("Recommendations for a stated preference, each with its reason");
            Gateway.Reply recommended = context.tool("recommend_products", Map.of("interest", "running in the rain", "limit", 3), null, "alice");
            report.saw("recommend_products", ScenarioContext.brief(recommended.at("/resultJson").asString(recommended.text()), 400));
            report.fact("recommended", recommended.at("/resultJson").asString("").contains("because"));
            report.fact("orders", orders.at("/resultJson").asString("").contains("ORD-"));
        }

        report.step("The conversation: an agent run that may search products and recommend");
        Gateway.Reply run = AgentRuns.start(context, report, "I run in the rain a lot and my shoes leak. Recommend products for running in the rain.",
                List.of("recommend_products", "search_products", "order_status"), "sim-large", Map.of("X-User-Id", "alice"));
        if (run != null) {
            AgentRuns.show(run, report);
        }

        report.step("Retrieval for product knowledge: the same chat API answers from documents with citations");
        Answers.show(context.ask("sim-small", "How does retrieval rank passages?"), report);

        report.lookAt("tools-agent's shop tools (recommend_products, search_products, order_status): the database behind the chat");
        report.lookAt("the run's steps: which tool the model chose, with which arguments, and what came back");
        report.lookAt("tools-agent/README.md: the shop's data in PostgreSQL, seeded at start-up");
        report.outOfReach("a learned recommender (collaborative filtering, embeddings of user histories) and online A/B "
                + "tests of its ranking: recommendations here come from the shop's rules and the user's words");
    }
}
