package io.flinkrnn.cli.options;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.models.train.TrainingConfig;
import io.flinkrnn.schemas.ModelStatePolicy;
import io.flinkrnn.stepper.Adaptation;
import io.flinkrnn.stepper.GuardError;
import io.flinkrnn.stepper.Scaling;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Enum options spelled the way users type them: lower case with hyphens ({@code Scaling.PER_KEY} is {@code
 * per-key}), any case accepted. Each subclass is both the option's converter and its completion candidates, so
 * help ({@code ${COMPLETION-CANDIDATES}}), parsing and the completion script list the same names.
 */
public final class Choices {
    private Choices() {
    }

    /** The command-line spelling of a constant. */
    public static String spell(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Converter and candidates of one enum type. */
    public abstract static class Of<E extends Enum<E>> implements ITypeConverter<E>, Iterable<String> {
        private final Class<E> type;

        protected Of(Class<E> type) {
            this.type = type;
        }

        @Override
        public E convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (E e : type.getEnumConstants()) {
                if (spell(e).equals(v)) {
                    return e;
                }
            }
            throw new TypeConversionException("must be one of " + String.join(", ", names()) + ", got '" + value
                    + "'");
        }

        @Override
        public Iterator<String> iterator() {
            return names().iterator();
        }

        private List<String> names() {
            return Arrays.stream(type.getEnumConstants()).map(Choices::spell).toList();
        }
    }

    public static final class Cells extends Of<CellType> {
        public Cells() {
            super(CellType.class);
        }
    }

    public static final class Backends extends Of<BackendKind> {
        public Backends() {
            super(BackendKind.class);
        }
    }

    public static final class Adaptations extends Of<Adaptation> {
        public Adaptations() {
            super(Adaptation.class);
        }
    }

    public static final class GuardErrors extends Of<GuardError> {
        public GuardErrors() {
            super(GuardError.class);
        }
    }

    public static final class Scalings extends Of<Scaling> {
        public Scalings() {
            super(Scaling.class);
        }
    }

    public static final class Precisions extends Of<TrainingConfig.Precision> {
        public Precisions() {
            super(TrainingConfig.Precision.class);
        }
    }

    public static final class StatePolicies extends Of<ModelStatePolicy> {
        public StatePolicies() {
            super(ModelStatePolicy.class);
        }
    }
}
