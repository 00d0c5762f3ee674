package dev.genaiplatform.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The rules that decide whether the capacity model holds on one machine (issue 13: its predicted saturation point
 * and latency at load within ±15 % of what the load kit measures): which rates a sweep runs, where the measured
 * knee is, and the verdict. {@link ValidateCapacity} runs the measurements; this class only judges them.
 */
final class CapacityValidation {

    /** Issue 13's tolerance for the saturation point and the mean latency. */
    static final double TOLERANCE = 0.15;

    /** A run with more failures than this is past the knee: the kit's own pass mark (maxErrorPercent 1). */
    static final double KNEE_FAILED_SHARE = 0.01;

    /**
     * The sweep, as shares of the predicted saturation: a few rates where queueing is small, then steps of 10 %
     * around the prediction, so the measured knee is known to within a tenth of it.
     */
    static final List<Double> SWEEP_FRACTIONS = List.of(0.2, 0.4, 0.6, 0.8, 0.9, 1.0, 1.1, 1.2);

    static final int MAX_RATES = 20;

    /** The default sweep around a predicted saturation point: whole requests/s, tenths for a slow machine. */
    static List<Double> ratesAround(double predictedSaturation) {
        require(Double.isFinite(predictedSaturation) && predictedSaturation > 0,
                "the predicted saturation must be a positive number of requests/s (got " + predictedSaturation + ")");
        List<Double> rates = SWEEP_FRACTIONS.stream().map(share -> sweepRate(share, predictedSaturation))
                .distinct().toList();
        require(rates.getLast() <= LoadParameters.MAX_OPEN_RATE, String.format(Locale.ROOT,
                "the predicted saturation, %s requests/s, needs a sweep up to %s requests/s, beyond the load kit's "
                        + "%s: this machine needs a load generator of its own (or pass --rates)",
                rate(predictedSaturation), rate(rates.getLast()), rate(LoadParameters.MAX_OPEN_RATE)));
        return rates;
    }

    /** A share of the predicted saturation as the sweep runs it: whole requests/s, tenths on a slow machine. */
    static double sweepRate(double share, double predictedSaturation) {
        double rate = share * predictedSaturation;
        boolean wholeRates = predictedSaturation >= 20; // then the 10 % steps are 2 requests/s or more
        return wholeRates ? Math.max(1, Math.round(rate)) : Math.max(0.1, Math.round(rate * 10) / 10.0);
    }

    /** Rates given by hand ({@code --rates 8,16,24}): numbers the kit accepts, rising (the knee is the first past it). */
    static List<Double> parseRates(String text) {
        List<Double> rates = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            try {
                rates.add(Double.parseDouble(part.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--rates takes requests/s separated by commas, not '" + part.strip() + "'");
            }
        }
        require(rates.size() <= MAX_RATES, "--rates: at most " + MAX_RATES + " rates (got " + rates.size() + ")");
        for (int i = 0; i < rates.size(); i++) {
            double rate = rates.get(i);
            require(rate > 0 && rate <= LoadParameters.MAX_OPEN_RATE, String.format(Locale.ROOT,
                    "--rates: each rate must be above 0 and at most %s requests/s, the load kit's bound (got %s)",
                    rate(LoadParameters.MAX_OPEN_RATE), part(text, i)));
            require(i == 0 || rate > rates.get(i - 1), "--rates must rise: " + text.strip()
                    + " (the sweep stops at the first rate past the knee)");
        }
        return List.copyOf(rates);
    }

    /** Past the knee: more than 1 % failed, or the mean beyond the bound (a queue that no longer drains). */
    static boolean isKnee(GatlingSummary run, double kneeBoundMs) {
        return run.failedShare() > KNEE_FAILED_SHARE || run.meanMs() > kneeBoundMs;
    }

    /**
     * One rate of the sweep.
     *
     * @param rate            requests/s offered (open model)
     * @param measured        what the load kit measured
     * @param predictedMeanMs the calculator's mean latency at this rate, NaN where it predicts saturation
     * @param cpu             the machine's busy cores during the run's steady part
     * @param predictedBusyCores the model's busy cores at this rate (background + rate × CPU per request)
     */
    record Step(double rate, GatlingSummary measured, double predictedMeanMs, MachineCpu.Use cpu,
                double predictedBusyCores) {

        /** (predicted − measured) / measured, as docs/capacity.md's tables; NaN where the model predicts saturation. */
        double difference() {
            return (predictedMeanMs - measured.meanMs()) / measured.meanMs();
        }
    }

    /**
     * The mean latency is judged at rates up to this share of the predicted saturation; above, only the knee is. Near
     * saturation the mean grows as 1 / (1 − ρ), so an error in the saturation point that the tolerance accepts moves
     * it by far more than the tolerance: at 90 % of a saturation predicted 2 % too high, the queueing term is about 30 %
     * short. Capacity plans run below this anyway (the calculator's headroom is 70 %).
     */
    static final double LATENCY_JUDGED_UP_TO = 0.8;

    /** How one rate's mean latency compares. */
    enum Standing {
        WITHIN("yes"),
        OUTSIDE("NO"),
        NEAR_SATURATION_WITHIN("yes (near saturation: not in the verdict)"),
        NEAR_SATURATION_OUTSIDE("NO (near saturation: not in the verdict)"),
        PREDICTED_SATURATED("predicted saturated, measured carried (the knee's check)"),
        PAST_KNEE("not compared: the knee, the queue has no steady mean");

        final String text;

        Standing(String text) {
            this.text = text;
        }

        boolean judged() {
            return this == WITHIN || this == OUTSIDE;
        }

        boolean within() {
            return this == WITHIN || this == NEAR_SATURATION_WITHIN;
        }
    }

    /**
     * The comparison.
     *
     * @param standings            one per step
     * @param kneeIndex            index of the first step past the knee, -1 if the sweep never reached it
     * @param measuredSaturation   midpoint between the last rate carried and the knee, NaN when not bracketed
     * @param saturationDifference (predicted − measured) / measured, NaN when not bracketed
     * @param validated            every compared rate and the saturation point within the tolerance
     * @param verdict              the plain sentence
     */
    record Judgement(List<Standing> standings, int kneeIndex, double measuredSaturation, double saturationDifference,
                     boolean validated, String verdict) {
    }

    static Judgement judge(List<Step> steps, double predictedSaturation, double kneeBoundMs) {
        require(!steps.isEmpty(), "no rate was measured");
        int knee = -1;
        List<Standing> standings = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (knee < 0 && isKnee(step.measured(), kneeBoundMs)) {
                knee = i;
            }
            // the sweep's own 80 % rate is judged even when rounding put it a little above 80 %
            boolean near = step.rate() > Math.max(LATENCY_JUDGED_UP_TO * predictedSaturation,
                    sweepRate(LATENCY_JUDGED_UP_TO, predictedSaturation)) + 1e-9;
            boolean holds = !Double.isNaN(step.predictedMeanMs()) && Math.abs(step.difference()) <= TOLERANCE + 1e-9;
            standings.add(knee >= 0 ? Standing.PAST_KNEE
                    : Double.isNaN(step.predictedMeanMs()) ? Standing.PREDICTED_SATURATED
                    : near ? (holds ? Standing.NEAR_SATURATION_WITHIN : Standing.NEAR_SATURATION_OUTSIDE)
                    : holds ? Standing.WITHIN : Standing.OUTSIDE);
        }
        long judged = standings.stream().filter(Standing::judged).count();
        long within = standings.stream().filter(s -> s == Standing.WITHIN).count();
        boolean latencyHolds = judged > 0 && within == judged;
        String latency = judged == 0 ? String.format(Locale.ROOT, "no rate up to %.0f %% of the predicted saturation to "
                + "judge latency at", LATENCY_JUDGED_UP_TO * 100)
                : String.format(Locale.ROOT, "mean latency within ±%.0f %% at %d of %d rates up to %.0f %% of the predicted "
                + "saturation", TOLERANCE * 100, within, judged, LATENCY_JUDGED_UP_TO * 100);
        long belowKnee = standings.stream().filter(s -> s != Standing.PAST_KNEE).count();
        String everyRate = String.format(Locale.ROOT, " (%d of %d at every rate below the knee, as wave 13 judged)",
                standings.stream().filter(Standing::within).count(), belowKnee);

        double measured = Double.NaN;
        double difference = Double.NaN;
        String saturation;
        if (knee < 0) {
            saturation = "no knee up to " + rate(steps.getLast().rate()) + " requests/s, so the saturation point (predicted "
                    + rate(predictedSaturation) + ") was not checked: add higher rates";
        } else if (knee == 0) {
            saturation = "the knee is at the first rate, " + rate(steps.getFirst().rate()) + " requests/s, so the saturation"
                    + " point (predicted " + rate(predictedSaturation) + ") was not bracketed: start lower";
        } else {
            double carried = steps.get(knee - 1).rate();
            double past = steps.get(knee).rate();
            measured = (carried + past) / 2;
            difference = (predictedSaturation - measured) / measured;
            saturation = String.format(Locale.ROOT, "predicted saturation %s requests/s against a knee between %s (carried) "
                            + "and %s (midpoint %s): %+.0f %%", rate(predictedSaturation), rate(carried), rate(past),
                    rate(measured), difference * 100);
        }
        boolean saturationHolds = !Double.isNaN(difference) && Math.abs(difference) <= TOLERANCE + 1e-9;
        boolean validated = latencyHolds && saturationHolds;
        String verdict = (validated ? "VALIDATED within ±" : "NOT VALIDATED within ±") + Math.round(TOLERANCE * 100)
                + " %: " + latency + everyRate + "; " + saturation + ".";
        return new Judgement(List.copyOf(standings), knee, measured, difference, validated, verdict);
    }

    /**
     * Everything the summary file holds.
     *
     * @param header        lines about the run (when, where, the command), printed first
     * @param inputs        what the command measured before the sweep
     * @param calibrationCommand how its two load runs were made (rate N)
     * @param machineCores  cores the model gives the machine
     * @param predictedSaturation the calculator's saturation point with those inputs
     * @param calculatorCommand   the calculator's command line for any rate (N)
     * @param sweepCommand  the load kit's command line for any rate (N)
     * @param steps         the rates run, rising
     * @param notRun        rates of the sweep left out because the knee came before them
     * @param kneeBoundMs   the mean latency that marks the knee
     * @param judgement     the comparison
     */
    record Report(List<String> header, MeasuredInputs inputs, String calibrationCommand, int machineCores,
                  double predictedSaturation, String calculatorCommand, String sweepCommand, List<Step> steps,
                  List<Double> notRun, double kneeBoundMs, Judgement judgement) {
    }

    static String render(Report r) {
        StringBuilder out = new StringBuilder();
        r.header().forEach(line -> out.append("# ").append(line).append('\n'));
        out.append("\n## Inputs (measured by this command before the sweep, on this machine)\n\n");
        out.append(renderInputs(r.inputs(), r.calibrationCommand(), r.machineCores()));
        out.append(String.format(Locale.ROOT, "Predicted saturation on %d cores: %s requests/s%n", r.machineCores(),
                rate(r.predictedSaturation())));
        out.append("Predicted with: ").append(r.calculatorCommand()).append('\n');
        out.append("Theory, not measured: the machine's busy cores are a line in the rate; its cores are shared among the "
                + "runnable threads (processor sharing, M/G/c-PS), so queueing stretches each ms of CPU on a request's "
                + "path by C(c, a) / (c (1 - rho)), Erlang's C at the predicted utilisation; arrivals are Poisson\n");

        out.append("\n## Sweep\n\n");
        out.append(r.sweepCommand()).append('\n');
        out.append(String.format(Locale.ROOT, "Knee: the first rate with more than %.0f %% failed or a mean above %,.0f ms%n%n",
                KNEE_FAILED_SHARE * 100, r.kneeBoundMs()));
        out.append("| rate | requests | failed | mean | p50 | p99 | predicted mean | difference | within ±15 % "
                + "| busy cores (measured / predicted) | load generator |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
        for (int i = 0; i < r.steps().size(); i++) {
            Step step = r.steps().get(i);
            GatlingSummary m = step.measured();
            boolean saturated = Double.isNaN(step.predictedMeanMs());
            out.append(String.format(Locale.ROOT, "| %s | %,d | %,d (%.1f %%) | %,.0f ms | %,.0f ms | %,.0f ms | %s | %s | %s "
                            + "| %.2f / %.2f | %.1f ms per request |%n",
                    rate(step.rate()), m.requests(), m.failed(), m.failedShare() * 100, m.meanMs(), m.p50Ms(), m.p99Ms(),
                    saturated ? "saturated" : String.format(Locale.ROOT, "%,.0f ms", step.predictedMeanMs()),
                    saturated ? "" : String.format(Locale.ROOT, "%+.0f %%", step.difference() * 100),
                    r.judgement().standings().get(i).text, step.cpu().machineCores(), step.predictedBusyCores(),
                    MachineCpu.Use.msPerRequest(step.cpu().generatorCores(), step.rate())));
        }
        if (!r.notRun().isEmpty()) {
            out.append("Not run (past the knee): ").append(r.notRun().stream().map(CapacityValidation::rate)
                    .collect(Collectors.joining(", "))).append(" requests/s\n");
        }
        out.append("\nVERDICT: ").append(r.judgement().verdict()).append('\n');

        out.append("\n## Gatling summaries\n");
        for (MeasuredInputs.Calibration run : List.of(r.inputs().low(), r.inputs().high())) {
            out.append("\n### calibration, rate ").append(rate(run.rate())).append(" requests/s\n")
                    .append(run.measured().table()).append('\n');
        }
        for (Step step : r.steps()) {
            out.append("\n### rate ").append(rate(step.rate())).append(" requests/s\n").append(step.measured().table())
                    .append('\n');
        }
        return out.toString();
    }

    /** The inputs, each with how it was measured, and what the model derives from them. */
    static String renderInputs(MeasuredInputs in, String calibrationCommand, int cores) {
        StringBuilder out = new StringBuilder();
        MeasuredInputs.Probe probe = in.probe();
        out.append(String.format(Locale.ROOT, "Idle: the machine busy %.2f cores with nothing asked of the platform%n",
                in.idleCores()));
        out.append(String.format(Locale.ROOT, "Probe: %d requests one at a time (a kept-alive connection, a pause after "
                        + "each): mean %.1f ms; the machine's CPU while one was in flight %.1f ms, less the idle background "
                        + "(%.1f) and the probe's own (%.1f): %.1f ms%n", probe.requests(), probe.meanMs(),
                probe.busyMsInFlight(), in.idleCores() * probe.meanFlightMs(), probe.ownMsPerRequest(),
                probe.machineCriticalCpuMs(in.idleCores())));
        if (!Double.isNaN(probe.platformMsInFlight())) {
            out.append(String.format(Locale.ROOT, "  the platform's processes while one was in flight: %.1f ms (their own "
                    + "accounting, which other work cannot enter: the model's)%n", probe.platformMsInFlight()));
        }
        out.append(String.format(Locale.ROOT, "CPU on a request's path: %.1f ms%n", in.criticalCpuMs()));
        out.append("Calibration: ").append(calibrationCommand).append('\n');
        for (MeasuredInputs.Calibration run : List.of(in.low(), in.high())) {
            MachineCpu.Use cpu = run.cpu();
            out.append(String.format(Locale.ROOT, "  %s requests/s (%.1f arrived): %,d requests, %,d failed, mean %.1f ms; "
                            + "over %.0f s of its steady part the machine busy %.2f cores (%.1f ms per request), of them the "
                            + "platform %.2f and the load generator %.2f (%.1f ms per request)%n", rate(run.rate()),
                    run.arrivals(), run.measured().requests(), run.measured().failed(), run.measured().meanMs(),
                    cpu.seconds(), cpu.machineCores(), MachineCpu.Use.msPerRequest(cpu.machineCores(), run.arrivals()),
                    cpu.platformCores(), cpu.generatorCores(), MachineCpu.Use.msPerRequest(cpu.generatorCores(), run.arrivals())));
        }
        out.append(String.format(Locale.ROOT, "The machine's line through them: busy cores = %.2f + rate x %.2f ms of CPU "
                + "per request (the load generator's included)%n", in.backgroundCores(), in.cpuMsPerRequest()));
        out.append(String.format(Locale.ROOT, "At rest: %.1f ms, the %s requests/s run's mean (%.1f ms) less the model's "
                        + "queueing there (%.1f ms)%n", in.atRestMs(cores), rate(in.low().rate()),
                in.low().measured().meanMs(), in.queueingAtLowMs(cores)));
        return out.toString();
    }

    /** A rate as a reader writes it: 24, 9.6. */
    static String rate(double requestsPerSecond) {
        return requestsPerSecond == Math.rint(requestsPerSecond) ? String.format(Locale.ROOT, "%.0f", requestsPerSecond)
                : String.format(Locale.ROOT, "%.1f", requestsPerSecond);
    }

    private static String part(String text, int index) {
        return text.split(",", -1)[index].strip();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private CapacityValidation() {
    }
}
