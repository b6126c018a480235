package net.corosio.lab.cli;

import net.corosio.lab.bench.Scenario;
import picocli.CommandLine;

/** Parses a scenario's name, so a wrong one is a usage error that lists the choices. */
final class ScenarioConverter implements CommandLine.ITypeConverter<Scenario> {

    @Override
    public Scenario convert(String value) {
        try {
            return Scenario.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
