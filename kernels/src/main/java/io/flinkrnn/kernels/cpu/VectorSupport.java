package io.flinkrnn.kernels.cpu;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@link VectorTileMath} and {@link VectorDots} only when the incubating {@code jdk.incubator.vector} module
 * is in the boot layer (the JVM was started with {@code --add-modules jdk.incubator.vector}); touching its classes
 * without the module would fail with NoClassDefFoundError. Without it the plain-Java path runs, with the same bits.
 */
public final class VectorSupport {
    private static final Logger LOG = LoggerFactory.getLogger(VectorSupport.class);
    static final String MODULE = "jdk.incubator.vector";
    /** {@code -Dflinkrnn.vector.disable=true} forces the plain-Java path even where the module is present. */
    static final String DISABLE_PROPERTY = "flinkrnn.vector.disable";

    private VectorSupport() {
    }

    /** True when vector code may be loaded: the module is in the boot layer and not disabled. */
    public static boolean enabled() {
        return !Boolean.getBoolean(DISABLE_PROPERTY) && modulePresent();
    }

    static boolean modulePresent() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    static Optional<FixedOrderDots> vectorDots() {
        return load("io.flinkrnn.kernels.cpu.VectorDots", FixedOrderDots.class);
    }

    static Optional<TileMath> vectorTileMath() {
        return load("io.flinkrnn.kernels.cpu.VectorTileMath", TileMath.class);
    }

    private static <T> Optional<T> load(String name, Class<T> type) {
        if (Boolean.getBoolean(DISABLE_PROPERTY) || !modulePresent()) {
            return Optional.empty();
        }
        try {
            Class<?> c = Class.forName(name);
            var constructor = c.getDeclaredConstructor();
            constructor.setAccessible(true);
            return Optional.of(type.cast(constructor.newInstance()));
        } catch (ReflectiveOperationException | LinkageError e) {
            // A variant that refuses this machine (its constructor throws UnsupportedOperationException) is no fault.
            if (e.getCause() instanceof UnsupportedOperationException refused) {
                LOG.info("{}: {}; using plain Java", name, refused.getMessage());
            } else {
                LOG.warn("{} is present but {} could not be loaded; using plain Java", MODULE, name, e);
            }
            return Optional.empty();
        }
    }
}
