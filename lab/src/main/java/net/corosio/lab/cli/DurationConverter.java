package net.corosio.lab.cli;

import java.time.Duration;
import net.corosio.examples.DurationParser;
import picocli.CommandLine;

/**
 * Reads every {@link Duration} option of the {@code corosio} command, registered once for the whole
 * command tree by {@link net.corosio.lab.Corosio#commandLine()}. The forms are the examples' ({@link
 * DurationParser}: {@value DurationParser#FORMS}), so a duration is written the same way for the lab
 * and for the applications it runs; a bad value is a usage error that quotes it and lists the forms.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return DurationParser.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
