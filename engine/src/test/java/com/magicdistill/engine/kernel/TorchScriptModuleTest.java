package com.magicdistill.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A module written from Java source runs forward and in-place methods, and bad source is named. */
class TorchScriptModuleTest {
  private static final String METHODS =
      """
        def forward(self: __torch__.Doubler,
          x: Tensor) -> Tensor:
          return torch.mul(x, 2.0)
        def add_(self: __torch__.Doubler,
          xs: List[Tensor],
          value: float) -> float:
          torch._foreach_add_(xs, value)
          return value
      """;

  @Test
  void forwardAndAnInPlaceMethodRun() {
    TorchScriptModule module = TorchScriptModule.load("Doubler", METHODS);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1f, -2f, 3f});
      assertArrayEquals(new float[] {2f, -4f, 6f}, module.forward(x).toFloatArray());
      NDArray a = m.create(new float[] {1f, 2f});
      NDArray b = m.create(new float[] {3f});
      double returned =
          module.callForDouble(
              "add_", IValue.listFrom((PtNDArray) a, (PtNDArray) b), IValue.from(0.5));
      assertEquals(0.5, returned);
      assertArrayEquals(new float[] {1.5f, 2.5f}, a.toFloatArray());
      assertArrayEquals(new float[] {3.5f}, b.toFloatArray());
    }
  }

  @Test
  void sourceLibtorchRefusesIsNamedByItsClass() {
    var e =
        assertThrows(
            IllegalStateException.class,
            () ->
                TorchScriptModule.load(
                    "Broken",
                    """
                      def forward(self: __torch__.Broken,
                        x: Tensor) -> Tensor:
                        return torch.no_such_op(x)
                    """));
    assertTrue(e.getMessage().startsWith("libtorch refused the Broken module: "), e.getMessage());
    assertTrue(e.getMessage().contains("no_such_op"), e.getMessage());
  }

  /** The module object pickled as torch.jit.save writes it (the bytes the first kernel shipped). */
  @Test
  void theModulePickleIsTheObjectWithItsTrainingFlag() {
    byte[] expected = {
      (byte) 0x80,
      2,
      'c',
      '_',
      '_',
      't',
      'o',
      'r',
      'c',
      'h',
      '_',
      '_',
      '\n',
      'S',
      'D',
      'P',
      'A',
      '\n',
      'q',
      0,
      ')',
      (byte) 0x81,
      'q',
      1,
      '}',
      'q',
      2,
      'X',
      8,
      0,
      0,
      0,
      't',
      'r',
      'a',
      'i',
      'n',
      'i',
      'n',
      'g',
      'q',
      3,
      (byte) 0x88,
      's',
      'b',
      '.'
    };
    assertArrayEquals(expected, TorchScriptModule.modulePickle("SDPA"));
    assertEquals(
        "c__torch__\nX\n",
        new String(TorchScriptModule.modulePickle("X"), 2, 13, StandardCharsets.US_ASCII));
  }
}
