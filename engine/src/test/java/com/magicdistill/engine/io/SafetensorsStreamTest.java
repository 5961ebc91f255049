package com.magicdistill.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streamed encoding decodes like DJL's own, and its size and checksum are its bytes'. */
class SafetensorsStreamTest {
  @Test
  void decodesToTheSameNamedArraysAndHashesItsBytes() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.arange(0f, 24f).reshape(new Shape(2, 3, 4));
      NDArray b = m.create(new float[] {-1.5f, 2.25f});
      NDArray steps = m.create(new long[] {3, 5, 8});
      NDArray view = m.arange(0f, 12f).reshape(3, 4).transpose(); // not contiguous
      SafetensorsStream s =
          new SafetensorsStream(
              List.of(
                  new SafetensorsStream.Named("model.w", w),
                  new SafetensorsStream.Named("model.b", b),
                  new SafetensorsStream.Named("adam.steps", steps),
                  new SafetensorsStream.Named("ema.t", view)));
      assertThrows(IllegalStateException.class, s::crc32c, "not read yet");
      byte[] bytes = s.readAllBytes();
      assertEquals(s.size(), bytes.length);
      assertEquals(Crc32c.of(bytes), s.crc32c());
      NDList back = NDList.decode(m, bytes);
      assertEquals(4, back.size());
      for (NDArray a : back) {
        NDArray expected =
            switch (a.getName()) {
              case "model.w" -> w;
              case "model.b" -> b;
              case "adam.steps" -> steps;
              case "ema.t" -> view;
              default -> throw new AssertionError(a.getName());
            };
        assertEquals(expected.getShape(), a.getShape(), a.getName());
        assertEquals(expected.getDataType(), a.getDataType(), a.getName());
        assertArrayEquals(expected.toByteArray(), a.toByteArray(), a.getName());
      }
    }
  }

  @Test
  void twoArraysOfOneNameAreRefused() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.ones(new Shape(2));
      assertThrows(
          IllegalArgumentException.class,
          () ->
              new SafetensorsStream(
                  List.of(
                      new SafetensorsStream.Named("x", a), new SafetensorsStream.Named("x", a))));
    }
  }

  @Test
  void aStreamClosedHalfWayGivesNoMoreBytes() throws Exception {
    NDManager m = NDManager.newBaseManager();
    SafetensorsStream s =
        new SafetensorsStream(
            List.of(new SafetensorsStream.Named("w", m.arange(0f, 4096f).reshape(64, 64))));
    assertEquals(10, s.read(new byte[10], 0, 10));
    s.close(); // waits for the checksum thread: the arrays may go now
    m.close();
    assertThrows(java.io.IOException.class, () -> s.read(new byte[10], 0, 10));
    assertThrows(IllegalStateException.class, s::crc32c);
  }
}
