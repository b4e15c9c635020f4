package io.flinkrnn.cli.options;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Numeric options with their lower bound in the type: {@code @Option(converter = Numbers.AtLeastOne.class)}. A
 * value out of range or not a number is a usage error naming the option (picocli adds the name).
 */
public final class Numbers {
    private Numbers() {
    }

    static int whole(String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("must be a whole number, got '" + value + "'");
        }
        if (n < min) {
            throw new TypeConversionException("must be at least " + min + ", got " + n);
        }
        return n;
    }

    static double decimal(String value, double min, boolean inclusive) {
        double d;
        try {
            d = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("must be a number, got '" + value + "'");
        }
        if (!(inclusive ? d >= min : d > min) || Double.isInfinite(d)) {
            throw new TypeConversionException(String.format(Locale.ROOT, "must be a number %s %s, got %s",
                    inclusive ? ">=" : ">", min == Math.rint(min) ? Long.toString((long) min) : Double.toString(min),
                    value));
        }
        return d;
    }

    /** A whole number, 0 or more. */
    public static final class AtLeastZero implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return whole(value, 0);
        }
    }

    /** A whole number, 1 or more: counts and sizes. */
    public static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return whole(value, 1);
        }
    }

    /** A whole number, 2 or more: windows and spans. */
    public static final class AtLeastTwo implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return whole(value, 2);
        }
    }

    /** A finite number above 0: rates, thresholds. */
    public static final class Positive implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return decimal(value, 0, false);
        }
    }

    /** A finite number, 0 or more. */
    public static final class NonNegative implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return decimal(value, 0, true);
        }
    }

    /** A finite number, 1 or more (rows and events per second). */
    public static final class AtLeastOneDecimal implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return decimal(value, 1, true);
        }
    }
}
