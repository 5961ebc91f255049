import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Side-by-side timing of the teacher's training step of two builds in one JVM (issue 11 section
 * 5, docs/EVALUATION.md#training-efficiency): each build's engine jar in its own class loader over
 * one shared DJL/libtorch, a trainer of each on the same preset's data and architecture, steps
 * alternated in pairs, A B then B A (so both see the same machine load), and the fp32 GEMM peak measured
 * between the pairs. Usage, from the repository root with OMP_NUM_THREADS=1:
 *
 * <pre>
 *   java -cp "cli/target/lib/*" bench/tools/TrainStepAb.java BEFORE_LIB AFTER_LIB [preset] [pairs]
 *       [BEFORE_PROPS] [AFTER_PROPS]
 * </pre>
 *
 * where each *_LIB is a copy of a build's cli/target/lib folder (only its engine jar is used) and
 * each *_PROPS is an optional comma-separated list of system properties set before each of that
 * build's steps (for example {@code magic.attention=explicit}; the engine reads them per call).
 */
public class TrainStepAb {
  public static void main(String[] args) throws Exception {
    String preset = args.length > 2 ? args[2] : "paper-v2";
    int pairs = args.length > 3 ? Integer.parseInt(args[3]) : 12;
    ClassLoader shared = TrainStepAb.class.getClassLoader();
    Variant a = new Variant("A " + args[0], engineJar(args[0]), shared, preset, props(args, 4));
    Variant b = new Variant("B " + args[1], engineJar(args[1]), shared, preset, props(args, 5));
    for (int i = 0; i < 3; i++) {
      a.step();
      b.step();
    }
    double[] msA = new double[pairs];
    double[] msB = new double[pairs];
    double[] peak = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      boolean aFirst = i % 2 == 0;
      if (aFirst) {
        msA[i] = a.step();
        msB[i] = b.step();
      } else {
        msB[i] = b.step();
        msA[i] = a.step();
      }
      peak[i] = b.peak();
      System.out.printf(Locale.ROOT, "pair %d: A %.0f ms, B %.0f ms, peak %.1f GFLOP/s%n", i, msA[i], msB[i], peak[i]);
    }
    double gflop = b.gflopPerStep();
    double p = median(peak);
    System.out.printf(Locale.ROOT, "%s: %.3f GFLOP/step, GEMM peak (median of %d) %.1f GFLOP/s%n", preset, gflop, pairs, p);
    for (Object[] v : new Object[][] {{a, msA}, {b, msB}}) {
      double ms = median((double[]) v[1]);
      System.out.printf(Locale.ROOT, "%s: median %.0f ms/step = %.2f GFLOP/s, MFU %.1f%%%n",
          ((Variant) v[0]).name, ms, gflop / (ms / 1e3), 100 * gflop / (ms / 1e3) / p);
    }
    double[] ratio = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      ratio[i] = msB[i] / msA[i];
    }
    System.out.printf(Locale.ROOT, "B/A step time, median of pairs: %.3f%n", median(ratio));
  }

  static String[][] props(String[] args, int i) {
    if (args.length <= i || args[i].isBlank()) {
      return new String[0][];
    }
    return Arrays.stream(args[i].split(",")).map(p -> p.split("=", 2)).toArray(String[][]::new);
  }

  static double median(double[] x) {
    double[] s = x.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static URL engineJar(String lib) throws Exception {
    try (var files = Files.list(Path.of(lib))) {
      return files.filter(f -> f.getFileName().toString().matches("engine-.*\\.jar")).findFirst().orElseThrow().toUri().toURL();
    }
  }

  /** One build's engine: a trainer on a fresh model of the preset's architecture. */
  static final class Variant {
    final String name;
    Object trainer;
    final Method step;
    final Method msPerStep;
    final Method rate;
    final double gflop;
    final String[][] props;

    Variant(String name, URL engine, ClassLoader shared, String presetName, String[][] props)
        throws Exception {
      this.name = name + (props.length == 0 ? "" : " " + Arrays.deepToString(props));
      this.props = props;
      ClassLoader cl = new URLClassLoader(new URL[] {engine}, shared) {
        @Override
        protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
          if (n.startsWith("com.magicdistill.engine.")) { // this build's engine, not the shared one
            synchronized (getClassLoadingLock(n)) {
              Class<?> c = findLoadedClass(n);
              if (c == null) {
                c = findClass(n);
              }
              return c;
            }
          }
          return super.loadClass(n, resolve);
        }
      };
      Class<?> presets = cl.loadClass("com.magicdistill.engine.EnginePreset");
      Object preset = presets.getMethod("byName", String.class).invoke(null, presetName);
      Object data = cl.loadClass("com.magicdistill.engine.PresetData").getMethod("of", presets).invoke(null, preset);
      List<?> kept = (List<?>) data.getClass().getMethod("kept").invoke(data);
      Object cfg = presets.getMethod("finetune").invoke(preset);
      Object model = presets.getMethod("model").invoke(preset);
      int batch = (int) presets.getMethod("batchSize").invoke(preset);
      Object sampling = presets.getMethod("trainSampling").invoke(preset);
      long seed = (long) cfg.getClass().getMethod("seed").invoke(cfg);
      Object manager = ai.djl.ndarray.NDManager.newBaseManager();
      Class<?> dit = cl.loadClass("com.magicdistill.engine.model.VideoDiT");
      Object net = dit.getMethod("freshBase", model.getClass(), long.class, ai.djl.ndarray.NDManager.class).invoke(null, model, seed, manager);
      Class<?> objClass = cl.loadClass("com.magicdistill.engine.train.FlowMatchingObjective");
      Object objective = objClass.getConstructor(List.class, int.class, sampling.getClass()).newInstance(kept, batch, sampling);
      Class<?> trainerClass = cl.loadClass("com.magicdistill.engine.train.Trainer");
      for (var c : trainerClass.getConstructors()) {
        if (c.getParameterCount() == 6 && trainer == null) {
          trainer = c.newInstance(net, null, cfg, objective, null, null);
        }
      }
      if (trainer == null) {
        throw new IllegalStateException("no Trainer constructor");
      }
      step = trainerClass.getMethod("step");
      msPerStep = step.getReturnType().getMethod("msPerStep");
      Class<?> peak = cl.loadClass("com.magicdistill.engine.perf.GemmPeak");
      rate = peak.getMethod("rate", long.class, long.class, long.class);
      Class<?> flops = cl.loadClass("com.magicdistill.engine.perf.ModelFlops");
      gflop = (long) flops.getMethod("trainStep", model.getClass(), int.class).invoke(null, model, batch) / 1e9;
    }

    double step() throws Exception {
      for (String[] p : props) {
        System.setProperty(p[0], p[1]);
      }
      return (double) msPerStep.invoke(step.invoke(trainer));
    }

    /** The best median rate of the n x n products, n in 512, 1024, 2048 (as GemmPeak.measure). */
    double peak() throws Exception {
      double best = 0;
      for (long n : new long[] {512, 1024, 2048}) {
        best = Math.max(best, (double) rate.invoke(null, n, n, n));
      }
      return best;
    }

    double gflopPerStep() {
      return gflop;
    }
  }
}
