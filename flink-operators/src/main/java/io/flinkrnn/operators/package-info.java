/**
 * The Flink side of flink-rnn: the keyed batching operator that keeps each key's recurrent state in Flink
 * keyed state and steps keys through {@code io.flinkrnn.kernels}. Built in the streaming issue; the
 * module exists now so the dependency direction deploy -> flink-operators -> kernels -> schemas is fixed.
 */
package io.flinkrnn.operators;
