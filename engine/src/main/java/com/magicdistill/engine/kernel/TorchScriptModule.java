package com.magicdistill.engine.kernel;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A weightless TorchScript module whose source is a Java string: the way to reach libtorch
 * operators that DJL's operator API does not expose (its fused attention and fused optimizer
 * kernels). The archive is written here, as {@code torch.jit.save} would write a scripted module
 * with no parameters (the pickled module object, its code, no constants), loaded once and kept for
 * the process's lifetime. No Python is involved.
 *
 * <p>The methods are TorchScript as {@code torch.jit.save} prints them, indented by two spaces,
 * each typed, its first parameter {@code self: __torch__.NAME}; {@link #load} puts them in the
 * class {@code NAME(Module)} with no parameters or buffers.
 */
public final class TorchScriptModule {
  // Kept referenced for the process's lifetime: DJL frees the module when its model is collected.
  private final Model model;
  private final PtSymbolBlock block;
  private final ParameterStore store;

  private TorchScriptModule(Model model) {
    this.model = model;
    this.block = (PtSymbolBlock) model.getBlock();
    this.store = new ParameterStore(model.getNDManager(), false);
  }

  /**
   * {@link #load} on the first {@code get()}, then the same module for the process: a kernel's
   * module is loaded once, and only by processes that use it.
   */
  public static Supplier<TorchScriptModule> loadedOnFirstUse(String className, String methods) {
    return new Supplier<>() {
      private TorchScriptModule module;

      @Override
      public synchronized TorchScriptModule get() {
        if (module == null) {
          module = load(className, methods);
        }
        return module;
      }
    };
  }

  /**
   * Writes the archive of class {@code className} with {@code methods} to a temporary folder and
   * loads it on the CPU.
   *
   * @throws IllegalStateException if libtorch refuses the source
   */
  public static TorchScriptModule load(String className, String methods) {
    String code =
        "class "
            + className
            + "(Module):\n  __parameters__ = []\n  __buffers__ = []\n  training : bool\n"
            + methods;
    try {
      Path dir = Files.createTempDirectory("magic-" + className.toLowerCase());
      Path file = dir.resolve(className + ".pt");
      try {
        writeArchive(file, className, code);
        Model model = Model.newInstance(className, Device.cpu(), "PyTorch");
        model.load(dir, className, Map.of("trainParam", "true"));
        return new TorchScriptModule(model);
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the " + className + " module", e);
    } catch (MalformedModelException | EngineException e) {
      throw new IllegalStateException(
          "libtorch refused the " + className + " module: " + e.getMessage().strip(), e);
    }
  }

  /**
   * Runs {@code forward} with autograd recording whenever the caller records (as any other op): the
   * result can be back-propagated through.
   */
  public NDArray forward(NDArray... inputs) {
    return block.forward(store, new NDList(inputs), true).singletonOrThrow();
  }

  /**
   * Runs method {@code name}, for kernels that update their tensor arguments in place (call it with
   * autograd off); the arguments are closed afterwards, what the method returns is discarded.
   */
  public void run(String name, IValue... args) {
    try (IValue ignored = IValueUtils.runMethod(block, name, args)) {
      // in-place kernels: nothing to read back
    } finally {
      for (IValue a : args) {
        a.close();
      }
    }
  }

  /**
   * Runs method {@code name} (call it with autograd off) and returns the float it returns; the
   * arguments are closed afterwards.
   */
  public double callForDouble(String name, IValue... args) {
    try (IValue out = IValueUtils.runMethod(block, name, args)) {
      return out.toDouble();
    } finally {
      for (IValue a : args) {
        a.close();
      }
    }
  }

  /** The TorchScript archive: stored (uncompressed) entries under one folder named after it. */
  static void writeArchive(Path file, String className, String code) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      stored(zip, className, "data.pkl", modulePickle(className));
      stored(zip, className, "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
      stored(zip, className, "constants.pkl", CONSTANTS_PKL);
      stored(zip, className, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
      stored(zip, className, "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** An empty tuple, pickled: the module has no constants. */
  private static final byte[] CONSTANTS_PKL = {(byte) 0x80, 2, ')', '.'};

  /**
   * The module object, pickled (protocol 2): an instance of {@code __torch__.className} whose state
   * is {@code {"training": True}}.
   */
  static byte[] modulePickle(String className) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x80); // PROTO 2
    out.write(2);
    // GLOBAL __torch__.className, memoised as 0, instantiated with no arguments (NEWOBJ)
    out.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[] {'q', 0, ')', (byte) 0x81, 'q', 1});
    // its state: EMPTY_DICT, "training" (BINUNICODE, 8 bytes) -> True, SETITEM, BUILD, STOP
    out.writeBytes(new byte[] {'}', 'q', 2, 'X', 8, 0, 0, 0});
    out.writeBytes("training".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[] {'q', 3, (byte) 0x88, 's', 'b', '.'});
    return out.toByteArray();
  }

  private static void stored(ZipOutputStream zip, String folder, String name, byte[] bytes)
      throws IOException {
    ZipEntry e = new ZipEntry(folder + "/" + name);
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
