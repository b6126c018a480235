package net.corosio.lab.soak;

import java.util.List;

/**
 * A straight line fitted to one resource's samples over time by least squares, and the verdict:
 * a series "grows" when the line rises over the window by more than three times the samples'
 * scatter around it and by more than a floor that ordinary jitter never reaches.
 *
 * @param metric what was sampled ({@code fds}, {@code heapAfterGcBytes}, ...)
 * @param samples how many samples the fit used
 * @param first the fitted value at the first sample
 * @param slopePerMinute the fitted rise per minute
 * @param growth the fitted rise over the window
 * @param noise the residuals' standard deviation
 * @param floor the least rise that can count as growth
 * @param grows whether the series grows beyond noise
 */
public record Trend(
        String metric, int samples, double first, double slopePerMinute, double growth, double noise, double floor,
        boolean grows) {

    /**
     * Fits a line to {@code (seconds[i], values[i])}.
     *
     * @param metric the series' name
     * @param seconds when each sample was taken
     * @param values the samples
     * @param floor the least rise over the window that can count as growth
     * @return the fit and its verdict; with fewer than three samples, never "grows"
     */
    public static Trend fit(String metric, List<Double> seconds, List<Double> values, double floor) {
        int n = values.size();
        if (n < 3) {
            return new Trend(metric, n, n == 0 ? 0 : values.getFirst(), 0, 0, 0, floor, false);
        }
        double meanT = seconds.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double meanV = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < n; i++) {
            covariance += (seconds.get(i) - meanT) * (values.get(i) - meanV);
            variance += (seconds.get(i) - meanT) * (seconds.get(i) - meanT);
        }
        double slope = variance == 0 ? 0 : covariance / variance;
        double intercept = meanV - slope * meanT;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double residual = values.get(i) - (intercept + slope * seconds.get(i));
            squares += residual * residual;
        }
        double noise = Math.sqrt(squares / (n - 2));
        double span = seconds.getLast() - seconds.getFirst();
        double growth = slope * span;
        boolean grows = growth > floor && growth > 3 * noise;
        return new Trend(metric, n, intercept + slope * seconds.getFirst(), slope * 60, growth, noise, floor, grows);
    }
}
