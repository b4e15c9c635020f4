package io.flinkrnn.cli.options;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A boolean option that takes a value ({@code --guard false}, as the scripts write it): true/false, yes/no or
 * 1/0. Declare it {@code arity = "1"} with this converter.
 */
public final class Flag implements ITypeConverter<Boolean>, Iterable<String> {
    @Override
    public Boolean convert(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "1":
                return true;
            case "false":
            case "no":
            case "0":
                return false;
            default:
                throw new TypeConversionException("must be true or false, got '" + value + "'");
        }
    }

    @Override
    public java.util.Iterator<String> iterator() {
        return List.of("true", "false").iterator();
    }
}
