import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.MultiHeadAttention;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.train.ParameterArrays;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * Times the parts of one DiT block of a preset's model alone, forward and backward on fresh random
 * inputs of the training step's shapes (median of 15 after 3), without the profiler, whose shares
 * move between runs (docs/EVALUATION.md#the-step-with-both-kernels-the-defaults-since-1b28628).
 * Each part's time includes an identity baseline (multiplying by a random gradient, summing, the
 * backward of that), printed first so it can be subtracted. Usage, from the repository root:
 *
 * <pre>
 *   OMP_NUM_THREADS=1 java -cp "cli/target/lib/*" bench/tools/BlockParts.java [preset]
 * </pre>
 */
public class BlockParts {
  public static void main(String[] args) {
    EnginePreset preset = EnginePreset.byName(args.length > 0 ? args[0] : "paper-v2");
    DitConfig c = preset.model();
    long rows = (long) preset.batchSize() * c.tokens();
    int d = c.dim();
    int h = c.mlpRatio() * d;
    Shape tokens = new Shape(preset.batchSize(), c.tokens(), d);
    Shape hidden = new Shape(preset.batchSize(), c.tokens(), h);
    Shape qkv = new Shape(preset.batchSize(), c.tokens(), 3L * d);
    try (NDManager root = NDManager.newBaseManager()) {
      VideoDiT model = VideoDiT.freshBase(c, 1, root);
      System.out.printf(
          Locale.ROOT,
          "%s: %d trainable parameter arrays; %d rows x width %d, %d heads, MLP %d, depth %d%n",
          preset.name(),
          ParameterArrays.trainable(model).size(),
          rows,
          d,
          c.heads(),
          h,
          c.depth());
      print("identity on (rows, width)", time(root, tokens, x -> x), 0);
      print("identity on (rows, MLP)", time(root, hidden, x -> x), 0);
      print("identity on (rows, 3 width)", time(root, qkv, x -> x), 0);
      print("GELU (exact) on (rows, MLP)", time(root, hidden, Activation::gelu), 0);
      NDArray shift = root.randomNormal(new Shape(preset.batchSize(), 1, d));
      NDArray scale = root.randomNormal(new Shape(preset.batchSize(), 1, d));
      print(
          "modulate x (1 + scale) + shift",
          time(root, tokens, x -> x.mul(scale.add(1)).add(shift)),
          0);
      for (MultiHeadAttention.Kernel k : MultiHeadAttention.Kernel.values()) {
        double flops = 3 * 2.0 * 2 * preset.batchSize() * (double) c.tokens() * c.tokens() * d;
        print(
            "attention, " + k.name().toLowerCase(Locale.ROOT),
            time(root, qkv, x -> MultiHeadAttention.apply(x, c.heads(), k)),
            flops);
      }
      int[][] linears = {{d, 3 * d}, {d, d}, {d, h}, {h, d}};
      for (int[] io : linears) {
        NDArray w = root.randomNormal(new Shape(io[1], io[0])).mul(0.05f);
        NDArray b = root.zeros(new Shape(io[1]));
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        Shape in = new Shape(preset.batchSize(), c.tokens(), io[0]);
        print(
            "linear " + io[0] + " -> " + io[1],
            time(root, in, x -> x.getNDArrayInternal().linear(x, w, b).singletonOrThrow()),
            3 * 2.0 * rows * io[0] * io[1]);
      }
    }
  }

  private static void print(String part, double ms, double flops) {
    System.out.printf(
        Locale.ROOT,
        "%-36s %7.2f ms forward + backward%s%n",
        part,
        ms,
        flops > 0 ? String.format(Locale.ROOT, " (%.1f GFLOP/s)", flops / (ms / 1e3) / 1e9) : "");
  }

  /** Median ms of forward, then backward of sum(f(x) g), on fresh random x and g each time. */
  private static double time(NDManager root, Shape shape, Function<NDArray, NDArray> f) {
    double[] ms = new double[15];
    for (int r = -3; r < ms.length; r++) {
      try (NDManager m = root.newSubManager()) {
        NDArray x = m.randomNormal(shape);
        x.setRequiresGradient(true);
        NDArray g = m.randomNormal(outputShape(m, shape, f));
        long t0 = System.nanoTime();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(f.apply(x).mul(g).sum());
        }
        x.getGradient().getFloat(0, 0, 0);
        if (r >= 0) {
          ms[r] = (System.nanoTime() - t0) / 1e6;
        }
      }
    }
    Arrays.sort(ms);
    return ms[ms.length / 2];
  }

  private static Shape outputShape(NDManager m, Shape shape, Function<NDArray, NDArray> f) {
    try (NDManager probe = m.newSubManager()) {
      return f.apply(probe.zeros(shape)).getShape();
    }
  }
}
