package com.magicdistill.engine.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * softmax(Q K^T / sqrt(d_head)) V through libtorch's fused {@code scaled_dot_product_attention}
 * (its CPU flash-attention kernel, forward and backward), which DJL's operator API does not expose
 * but a TorchScript module can call. The module has no weights: its archive is written here (a
 * TorchScript zip: the pickled module object, its code, no constants) and loaded once per process.
 * Same function as the explicit formula to float rounding (MultiHeadAttentionTest); for the
 * paper-v2 shapes its forward and backward take about 0.6 of the formula's time. Opt-in ({@code
 * -Dmagic.attention=fused}; docs/EVALUATION.md#fused-attention).
 */
final class FusedAttention {
  private static final String NAME = "sdpa";

  /** The module's TorchScript source, as torch.jit.save prints a scripted module. */
  private static final String CODE =
      """
      class SDPA(Module):
        __parameters__ = []
        __buffers__ = []
        training : bool
        def forward(self: __torch__.SDPA,
          q: Tensor,
          k: Tensor,
          v: Tensor) -> Tensor:
          return torch.scaled_dot_product_attention(q, k, v)
      """;

  /**
   * The module object, pickled (protocol 2): an instance of {@code __torch__.SDPA} whose state is
   * {@code {"training": True}}.
   */
  private static final byte[] DATA_PKL = {
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

  /** An empty tuple, pickled: the module has no constants. */
  private static final byte[] CONSTANTS_PKL = {(byte) 0x80, 2, ')', '.'};

  /** Kept for the process's lifetime: DJL releases the module when its model is collected. */
  private static Model model;

  private static Block block;
  private static ParameterStore store;

  private FusedAttention() {}

  /**
   * @param q, k, v (B, heads, N, d_head), Q not yet scaled
   * @return (B, heads, N, d_head)
   */
  static NDArray apply(NDArray q, NDArray k, NDArray v) {
    Block b = block();
    // training = true keeps autograd recording whenever the caller records (as any other op).
    return b.forward(store, new NDList(q, k, v), true).singletonOrThrow();
  }

  private static synchronized Block block() {
    if (block == null) {
      try {
        Path dir = Files.createTempDirectory("magic-sdpa");
        try {
          writeArchive(dir.resolve(NAME + ".pt"));
          model = Model.newInstance(NAME, Device.cpu(), "PyTorch");
          model.load(dir, NAME, Map.of("trainParam", "true"));
          store = new ParameterStore(model.getNDManager(), false);
          block = model.getBlock();
        } finally {
          Files.deleteIfExists(dir.resolve(NAME + ".pt"));
          Files.deleteIfExists(dir);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not write the fused attention module", e);
      } catch (MalformedModelException e) {
        throw new IllegalStateException("libtorch refused the fused attention module", e);
      }
    }
    return block;
  }

  /** The TorchScript archive: stored (uncompressed) entries under one folder. */
  static void writeArchive(Path file) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      stored(zip, "data.pkl", DATA_PKL);
      stored(zip, "code/__torch__.py", CODE.getBytes(StandardCharsets.UTF_8));
      stored(zip, "constants.pkl", CONSTANTS_PKL);
      stored(zip, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
      stored(zip, "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry e = new ZipEntry(NAME + "/" + name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(bytes);
    zip.closeEntry();
  }
}
