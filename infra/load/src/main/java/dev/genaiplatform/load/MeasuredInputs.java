package dev.genaiplatform.load;

import java.util.Locale;

/**
 * The one-machine model's inputs, measured by {@link ValidateCapacity} before its sweep, with the sweep's own client
 * (Gatling), request (64-token answers, cache bypassed) and arrivals (Poisson), on the same machine:
 *
 * @param idleCores the machine's busy cores while nothing is asked of the platform
 * @param probe     sequential requests, one at a time: the CPU the machine spends while one is in flight
 * @param low       a load run at a low rate
 * @param high      a load run at a higher rate (about 60 % of the saturation the low one suggests)
 */
record MeasuredInputs(double idleCores, Probe probe, Calibration low, Calibration high) {

    MeasuredInputs {
        require(high.rate() > low.rate() && high.arrivals() > low.arrivals(),
                "the second calibration run must have more arrivals per second than the first");
    }

    /**
     * Requests sent one at a time with a pause between them, so that the work a request leaves behind (its completion
     * event, the evaluation, the broker's fetches) runs in the pause, not during the next one.
     *
     * @param requests      requests counted
     * @param meanMs        their mean latency (the probe's own HTTP client, a kept-alive connection)
     * @param busyMsInFlight the machine's mean busy CPU while a request was in flight
     * @param meanFlightMs   mean time in flight (= meanMs)
     * @param ownMsPerRequest this program's own CPU while a request was in flight (its HTTP client, the /proc reads)
     * @param platformMsInFlight the platform's processes' CPU while a request was in flight (NaN without
     *                       {@code --platform-pid})
     */
    record Probe(int requests, double meanMs, double busyMsInFlight, double meanFlightMs, double ownMsPerRequest,
                 double platformMsInFlight) {

        /**
         * CPU on a request's path. With the platform's processes known, what they spent while it was in flight: their
         * own accounting, which neither other work on the machine nor the probe's own CPU enters. Without, what the
         * whole machine spent then, less the idle background over that time and the probe's own share (the sweep's
         * client is Gatling, whose cost is in the machine line).
         */
        double criticalCpuMs(double idleCores) {
            return !Double.isNaN(platformMsInFlight) ? platformMsInFlight : machineCriticalCpuMs(idleCores);
        }

        /** The whole machine's reading, shown beside the platform's when both exist. */
        double machineCriticalCpuMs(double idleCores) {
            return Math.max(0, busyMsInFlight - idleCores * meanFlightMs - ownMsPerRequest);
        }
    }

    /**
     * A load run measured for the model.
     *
     * @param rate     requests/s asked for (open model, Poisson arrivals)
     * @param seconds  how long it injected
     * @param measured what Gatling measured
     * @param cpu      busy cores during its steady part
     */
    record Calibration(double rate, int seconds, GatlingSummary measured, MachineCpu.Use cpu) {

        /**
         * The requests that did arrive, per second: Poisson arrivals stray from the rate asked for by about
         * 1/√(rate × seconds) (4 % over 30 s at 20/s), and the CPU was spent on those that came.
         */
        double arrivals() {
            return (double) measured.requests() / seconds;
        }
    }

    /**
     * The machine's CPU per request: the slope of its busy cores between the two runs. What rises with the rate is
     * what requests cost; the rest (consumers' polls, heartbeats, timers) is the background below.
     */
    double cpuMsPerRequest() {
        double slope = (high.cpu().machineCores() - low.cpu().machineCores()) / (high.arrivals() - low.arrivals()) * 1000;
        return interceptOf(slope) >= 0 ? slope : MachineCpu.Use.msPerRequest(high.cpu().machineCores(), high.arrivals());
    }

    /**
     * Busy cores at no load on that line. Negative (the second run costlier per request than the first: noise, or a
     * platform still warming) is read as none, and the CPU per request is then the second run's average.
     */
    double backgroundCores() {
        return Math.max(0, interceptOf(cpuMsPerRequest()));
    }

    private double interceptOf(double slopeMs) {
        return low.cpu().machineCores() - slopeMs * low.arrivals() / 1000;
    }

    double criticalCpuMs() {
        return probe.criticalCpuMs(idleCores);
    }

    /**
     * Inputs the model can use: the first run well below saturation, the machine's busy cores rising with the rate, and
     * a saturation point not extrapolated far beyond the rates measured. A machine that other work keeps busy fails
     * them (its cores are taken whatever the platform does).
     */
    void requireMeasurable(int cores) {
        double utilisation = low.cpu().machineCores() / cores;
        if (utilisation >= 0.9) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the machine was %.0f %% busy at the first "
                    + "calibration rate, %s requests/s: lower --calibration-rate, or stop what else runs here (idle, it "
                    + "was %.2f cores busy)", utilisation * 100, CapacityValidation.rate(low.rate()), idleCores));
        }
        if (cpuMsPerRequest() <= 0) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the machine's busy cores did not rise from %s to "
                            + "%s requests/s (%.2f and %.2f): its CPU per request cannot be measured while other work "
                            + "takes the cores", CapacityValidation.rate(low.rate()), CapacityValidation.rate(high.rate()),
                    low.cpu().machineCores(), high.cpu().machineCores()));
        }
        double saturation = (cores - backgroundCores()) * 1000 / cpuMsPerRequest();
        if (saturation > 5 * high.arrivals()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the calibration runs' line puts saturation at "
                            + "%.0f requests/s, more than 5 times the highest rate measured (%.1f): a slope of %.2f ms per "
                            + "request is lost in the noise of the machine's other work, not a measurement", saturation,
                    high.arrivals(), cpuMsPerRequest()));
        }
    }

    /**
     * The latency of a request that waits for no core, as Gatling measures it: the low run's mean less the queueing
     * the model puts there (at that run's measured utilisation, small).
     */
    double atRestMs(int cores) {
        return Math.max(0, low.measured().meanMs() - queueingAtLowMs(cores));
    }

    double queueingAtLowMs(int cores) {
        return criticalCpuMs() * CapacityCalculator.queueingStretch(cores, low.cpu().machineCores() / cores);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
