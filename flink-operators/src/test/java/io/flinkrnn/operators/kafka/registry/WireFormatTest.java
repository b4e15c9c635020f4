package io.flinkrnn.operators.kafka.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void theHeaderIsAZeroByteAndTheIdBigEndian() throws IOException {
        assertArrayEquals(new byte[] {0, 0, 0, 1, 2}, WireFormat.header(258));
        assertArrayEquals(new byte[] {0, (byte) 0x80, 0, 0, 0}, WireFormat.header(Integer.MIN_VALUE));
        for (int id : new int[] {0, 1, 255, 65_536, Integer.MAX_VALUE, -1}) {
            byte[] framed = new byte[] {0, 0, 0, 0, 0, 42};
            System.arraycopy(WireFormat.header(id), 0, framed, 0, 5);
            assertEquals(id, WireFormat.schemaId(framed));
        }
    }

    @Test
    void anUnframedValueIsRefusedSayingWhy() {
        IOException e = assertThrows(IOException.class, () -> WireFormat.schemaId(new byte[] {2, 0, 0, 0, 1, 9}));
        assertTrue(e.getMessage().contains("first byte 0x02"), e.getMessage());
        e = assertThrows(IOException.class, () -> WireFormat.schemaId(new byte[] {0, 0, 1}));
        assertTrue(e.getMessage().contains("got 3 bytes"), e.getMessage());
    }
}
