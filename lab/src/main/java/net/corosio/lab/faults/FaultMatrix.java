package net.corosio.lab.faults;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.corosio.Capability;
import net.corosio.Transport;
import net.corosio.TransportException;
import net.corosio.tck.faults.Direction;
import net.corosio.tck.faults.FaultInjector;
import net.corosio.tck.faults.FaultOutcome;
import net.corosio.tck.faults.FaultRun;
import net.corosio.tck.faults.FaultScenario;
import net.corosio.tck.faults.PathFault;

/**
 * Runs every scenario on every variant, one at a time, in the lab's JVM (the backend and the
 * JDK end share it with the proxy; these cells measure semantics, not resources), then marks each
 * cell whose outcome differs from what most variants saw in the same scenario.
 */
public final class FaultMatrix {

    private final List<Variant> variants;
    private final List<FaultScenario> scenarios;
    private final long seed;

    /**
     * Plans a run.
     *
     * @param variants the variants, in column order
     * @param scenarios the scenarios, in row order (those that do not apply are left out)
     * @param seed the streams' write sizes
     */
    public FaultMatrix(List<Variant> variants, List<FaultScenario> scenarios, long seed) {
        this.variants = List.copyOf(variants);
        this.scenarios = scenarios.stream().filter(FaultScenario::applies).toList();
        this.seed = seed;
    }

    /**
     * Lists the scenarios of a plan: every fault × direction × role × TLS choice that applies.
     *
     * @param faults the faults
     * @param directions the directions
     * @param roles the backend's roles
     * @param tls the TLS choices
     * @return the scenarios, fault by fault
     */
    public static List<FaultScenario> scenarios(List<PathFault> faults, List<Direction> directions,
            List<FaultScenario.Role> roles, List<Boolean> tls) {
        List<FaultScenario> all = new ArrayList<>();
        for (PathFault fault : faults) {
            for (boolean secure : tls) {
                for (FaultScenario.Role role : roles) {
                    for (Direction direction : directions) {
                        FaultScenario scenario = new FaultScenario(fault, direction, role, secure);
                        if (scenario.applies()) {
                            all.add(scenario);
                        }
                    }
                }
            }
        }
        return all;
    }

    /**
     * Returns the scenarios that will run.
     *
     * @return the scenarios
     */
    public List<FaultScenario> scenarios() {
        return scenarios;
    }

    /**
     * Runs the matrix.
     *
     * @param injector where the proxies come from
     * @param progress receives a line per variant and per departure
     * @return one cell per variant and scenario, cross-checked
     * @throws InterruptedException if interrupted
     */
    public List<FaultCell> run(FaultInjector injector, Consumer<String> progress) throws InterruptedException {
        List<FaultCell> cells = new ArrayList<>();
        for (Variant variant : variants) {
            long t0 = System.nanoTime();
            progress.accept("faults on " + variant.label() + ": " + scenarios.size() + " scenarios ...");
            List<FaultCell> mine = runVariant(variant, injector, progress);
            cells.addAll(mine);
            long departing = mine.stream().filter(c -> c.status().equals("departs")).count();
            progress.accept(String.format(java.util.Locale.ROOT, "  %s done in %.0f s, %d departing",
                    variant.label(), (System.nanoTime() - t0) / 1e9, departing));
        }
        return crossCheck(cells);
    }

    private List<FaultCell> runVariant(Variant variant, FaultInjector injector, Consumer<String> progress)
            throws InterruptedException {
        List<FaultCell> cells = new ArrayList<>();
        Transport transport;
        try {
            transport = Transport.open(variant.backend(), variant.config());
        } catch (TransportException | RuntimeException e) {
            scenarios.forEach(s -> cells.add(FaultCell.skipped(variant, s, "cannot start: " + e.getMessage())));
            return cells;
        }
        Executor executor = variant.newHandlerExecutor();
        try (transport) {
            FaultRun run = new FaultRun(transport, injector, executor, seed);
            boolean tls = transport.capabilities().contains(Capability.TLS);
            for (FaultScenario scenario : scenarios) {
                if (scenario.tls() && !tls) {
                    cells.add(FaultCell.skipped(variant, scenario, "the backend does not declare TLS"));
                    continue;
                }
                FaultCell cell;
                try {
                    cell = FaultCell.of(variant, scenario, run.run(scenario));
                } catch (IOException e) {
                    cell = FaultCell.of(variant, scenario, new FaultOutcome("lab: " + e, "-", 0, 0, 0, -1, 0, 0, 0, 0, 0,
                            0, e.toString()));
                }
                cells.add(cell);
                if (!cell.departures().isEmpty()) {
                    progress.accept("  " + variant.label() + " " + scenario.label() + ": " + String.join("; ", cell.departures()));
                }
            }
        } finally {
            if (executor instanceof ExecutorService pool) {
                pool.shutdownNow();
            }
        }
        return cells;
    }

    /**
     * Marks cells that differ from the other variants: in each scenario, the outcome most variants
     * saw is the reference, and a variant that saw another departs (even where the spec is met, a
     * difference between backends is what the lab exists to show).
     *
     * @param cells the cells
     * @return the cells, marked
     */
    static List<FaultCell> crossCheck(List<FaultCell> cells) {
        Map<String, Map<String, Long>> counts = cells.stream().filter(FaultCell::ran).collect(Collectors.groupingBy(
                FaultCell::scenarioKey, LinkedHashMap::new, Collectors.groupingBy(FaultCell::outcome, Collectors.counting())));
        Map<String, String> majority = new LinkedHashMap<>();
        counts.forEach((key, byOutcome) -> {
            long top = byOutcome.values().stream().mapToLong(Long::longValue).max().orElse(0);
            List<String> leaders = byOutcome.entrySet().stream().filter(e -> e.getValue() == top).map(Map.Entry::getKey).toList();
            if (leaders.size() == 1 && byOutcome.size() > 1) {
                majority.put(key, leaders.getFirst());
            } else if (byOutcome.size() > 1) {
                majority.put(key, null); // no majority: every cell differs from some other
            }
        });
        Function<FaultCell, FaultCell> mark = cell -> {
            if (!cell.ran() || !majority.containsKey(cell.scenarioKey())) {
                return cell;
            }
            String reference = majority.get(cell.scenarioKey());
            if (reference == null) {
                return cell.withDeparture("the variants disagree: " + counts.get(cell.scenarioKey()));
            }
            return cell.outcome().equals(reference) ? cell
                    : cell.withDeparture("differs from the other variants, which saw " + reference);
        };
        return cells.stream().map(mark).toList();
    }
}
