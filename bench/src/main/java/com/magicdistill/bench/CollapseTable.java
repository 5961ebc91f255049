package com.magicdistill.bench;

import com.magicdistill.engine.io.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code collapse-<preset>.md} from its JSON (docs/EVALUATION.md#collapse-study): the settings, how
 * the matched learning rate was derived, one row per arm, and every probe.
 */
final class CollapseTable {
  private CollapseTable() {}

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> arms(Map<String, Object> json) {
    return (Map<String, Map<String, Object>>) (Map<?, ?>) json.get("arms");
  }

  /** [iteration, value, lo, hi] of {@code key} ("fd_clip" or "motion_ratio") along the curve. */
  @SuppressWarnings("unchecked")
  static List<double[]> series(Map<String, Object> arm, String key) {
    List<double[]> out = new ArrayList<>();
    for (Object o : (List<Object>) arm.get("curve")) {
      Map<String, Object> p = (Map<String, Object>) o;
      Map<String, Object> ci = (Map<String, Object>) p.get(key);
      out.add(
          new double[] {
            MetricsTable.num(p, "iteration"),
            MetricsTable.num(ci, "value"),
            MetricsTable.num(ci, "lo"),
            MetricsTable.num(ci, "hi")
          });
    }
    return out;
  }

  /** [iteration, cos] of the arm's alignment measurements that have one. */
  @SuppressWarnings("unchecked")
  static List<double[]> cosines(Map<String, Object> arm) {
    List<double[]> out = new ArrayList<>();
    for (Object o : (List<Object>) arm.get("alignment")) {
      Map<String, Object> a = (Map<String, Object>) o;
      if (a.get("cos") != null) {
        out.add(new double[] {MetricsTable.num(a, "iteration"), MetricsTable.num(a, "cos")});
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> json) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Collapse study, preset `").append(json.get("preset")).append("`\n\n");
    sb.append("Command: `").append(json.get("command")).append("`. Teacher: ");
    sb.append(json.get("teacher")).append(" (data of preset `");
    sb.append(json.get("teacher_preset")).append("`). Features: `");
    sb.append(json.get("feature_extractor")).append("`.\n\n");
    Map<String, Object> d = Json.MAPPER.convertValue(json.get("distill"), Map.class);
    Map<String, Object> boot = (Map<String, Object>) json.get("bootstrap");
    sb.append(
        String.format(
            Locale.ROOT,
            "From one DMD-LoRA start of %s generator updates (generator lr %s, Adam beta1 %s,"
                + " score shift %s, backward simulation %s, GAN %s, %s critic updates per"
                + " generator update, batch %s), three arms of %s updates each. Every %s updates"
                + " the EMA generator samples the first %s held-out frames (4-step re-noising,"
                + " same noise) and is scored against the held-out clips with those frames:"
                + " fd_clip and the paired motion ratio (real = 1), 95%% bootstrap intervals over"
                + " clips (%s draws). cos(g_W2S, g_DMD) and |g_W2S|/|g_DMD| on a fixed probe"
                + " batch at alpha %s, in every arm (docs/ALGORITHM.md#w2s-alignment).%n%n",
            json.get("start_iterations"),
            d.get("generatorLr"),
            d.get("beta1"),
            d.get("scoreShift"),
            d.get("backwardSimulation"),
            d.get("gan"),
            d.get("criticUpdates"),
            d.get("batchSize"),
            json.get("arm_iterations"),
            json.get("probe_every"),
            json.get("probe_clips"),
            boot.get("resamples"),
            json.get("alpha_weak")));
    Map<String, Object> lr = (Map<String, Object>) json.get("lr_matching");
    sb.append(
        String.format(
            Locale.ROOT,
            "Matched learning rate: %s x %.4f = %.3g. The factor is the %s (step ratio %.4f"
                + " after the first update, %.4f after the last).%n%n",
            lr.get("generator_lr"),
            MetricsTable.num(lr, "lr_ratio"),
            MetricsTable.num(lr, "matched_generator_lr"),
            lr.get("formula"),
            MetricsTable.num(lr, "step_ratio_first"),
            MetricsTable.num(lr, "step_ratio_last")));
    sb.append(
        "| arm | alpha_weak | generator lr | fd_clip | fd_clip 95% | motion | motion 95% |"
            + " cos mean [min, max] | norm ratio mean | 1 - alpha | ms/iteration |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (var e : arms(json).entrySet()) {
      Map<String, Object> arm = e.getValue();
      List<double[]> fd = series(arm, "fd_clip");
      List<double[]> mr = series(arm, "motion_ratio");
      double[] lastFd = fd.get(fd.size() - 1);
      double[] lastMr = mr.get(mr.size() - 1);
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f | %.3g | %.3f | [%.3f, %.3f] | %.3f | [%.3f, %.3f] | %s | %s | %s |"
                  + " %.0f |%n",
              e.getKey(),
              MetricsTable.num(arm, "alpha_weak"),
              MetricsTable.num(arm, "generator_lr"),
              lastFd[1],
              lastFd[2],
              lastFd[3],
              lastMr[1],
              lastMr[2],
              lastMr[3],
              cosSummary(arm),
              mean(arm, "norm_ratio"),
              mean(arm, "one_minus_alpha"),
              MetricsTable.num(arm, "ms_per_iteration")));
    }
    sb.append("\nfd_clip and motion: the last probe of each arm. Probes (iteration: fd_clip /");
    sb.append(" motion ratio; each arm's first point is the start's end):\n\n");
    for (var e : arms(json).entrySet()) {
      List<double[]> fd = series(e.getValue(), "fd_clip");
      List<double[]> mr = series(e.getValue(), "motion_ratio");
      sb.append("- ").append(e.getKey()).append(":");
      for (int i = 0; i < fd.size(); i++) {
        sb.append(
            String.format(
                Locale.ROOT, " %.0f: %.3f / %.3f", fd.get(i)[0], fd.get(i)[1], mr.get(i)[1]));
      }
      sb.append("\n");
    }
    lateWindow(sb, json);
    Map<String, Object> t = (Map<String, Object>) json.get("timings");
    sb.append(
        String.format(
            Locale.ROOT,
            "%nMedian ms per generator update: start %.0f. Median ms per probe: %s. Wall time %.0f"
                + " s.%n",
            MetricsTable.num(t, "start_ms_per_iteration"),
            t.get("probe_ms") == null
                ? "-"
                : String.format(Locale.ROOT, "%.0f", MetricsTable.num(t, "probe_ms")),
            MetricsTable.num(json, "wall_s")));
    List<Map<String, Object>> processes = (List<Map<String, Object>>) json.get("processes");
    if (processes != null && processes.size() > 1) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%nThe parts ran in %d processes (`--arms`; the wall time above adds theirs up):%n%n",
              processes.size()));
      for (Map<String, Object> p : processes) {
        sb.append(
            String.format(
                Locale.ROOT,
                "- `%s`, started %s: %.0f s%n",
                p.get("command"),
                p.get("started") == null ? "-" : p.get("started"),
                MetricsTable.num(p, "wall_s")));
      }
    }
    return sb.toString();
  }

  /** Mean and range of the arm's cosines, or a dash. */
  private static String cosSummary(Map<String, Object> arm) {
    List<double[]> c = cosines(arm);
    if (c.isEmpty()) {
      return "-";
    }
    double sum = 0;
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double[] p : c) {
      sum += p[1];
      min = Math.min(min, p[1]);
      max = Math.max(max, p[1]);
    }
    return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", sum / c.size(), min, max);
  }

  /** Mean of {@code key} over the arm's alignment measurements that have it, or a dash. */
  @SuppressWarnings("unchecked")
  private static String mean(Map<String, Object> arm, String key) {
    double sum = 0;
    int n = 0;
    for (Object o : (List<Object>) arm.get("alignment")) {
      Object v = ((Map<String, Object>) o).get(key);
      if (v != null) {
        sum += ((Number) v).doubleValue();
        n++;
      }
    }
    return n == 0 ? "-" : String.format(Locale.ROOT, "%.3f", sum / n);
  }

  /**
   * Single probes are noisy (the same 64 clips, one noise draw), so: each arm's mean over the
   * probes of its last quarter, and two arms compared probe by probe (same clips and noise at each
   * probe) over the whole arm: w2s against the matched learning rate (the paper's mechanism) and
   * the matched rate against plain DMD (the step size alone).
   */
  private static void lateWindow(StringBuilder sb, Map<String, Object> json) {
    double start = MetricsTable.num(json, "start_iterations");
    double from = start + 0.75 * MetricsTable.num(json, "arm_iterations");
    sb.append(
        String.format(
            Locale.ROOT,
            "%nLast quarter of each arm (probes at iteration %.0f and later), mean fd_clip /"
                + " motion ratio:",
            from));
    for (var e : arms(json).entrySet()) {
      double[] fd = window(series(e.getValue(), "fd_clip"), from);
      double[] mr = window(series(e.getValue(), "motion_ratio"), from);
      sb.append(
          String.format(
              Locale.ROOT,
              " %s %.3f / %.3f (%d probes);",
              e.getKey(),
              java.util.Arrays.stream(fd).average().orElse(Double.NaN),
              java.util.Arrays.stream(mr).average().orElse(Double.NaN),
              fd.length));
    }
    sb.setLength(sb.length() - 1);
    sb.append(".\n");
    compare(sb, json, CollapseStudy.W2S, CollapseStudy.DMD_LR_MATCHED, start);
    compare(sb, json, CollapseStudy.DMD_LR_MATCHED, CollapseStudy.DMD, start);
  }

  private static double[] window(List<double[]> series, double from) {
    return series.stream().filter(p -> p[0] >= from).mapToDouble(p -> p[1]).toArray();
  }

  /** {@code a} minus {@code b} at each probe after the start, where both have one. */
  private static void compare(
      StringBuilder sb, Map<String, Object> json, String a, String b, double start) {
    Map<String, Map<String, Object>> arms = arms(json);
    if (!arms.containsKey(a) || !arms.containsKey(b)) {
      return;
    }
    List<double[]> fdA = series(arms.get(a), "fd_clip");
    List<double[]> fdB = series(arms.get(b), "fd_clip");
    List<double[]> mrA = series(arms.get(a), "motion_ratio");
    List<double[]> mrB = series(arms.get(b), "motion_ratio");
    int n = 0;
    int lowerFd = 0;
    int higherMr = 0;
    double dFd = 0;
    double dMr = 0;
    for (int i = 0; i < Math.min(fdA.size(), fdB.size()); i++) {
      if (fdA.get(i)[0] <= start || fdA.get(i)[0] != fdB.get(i)[0]) {
        continue;
      }
      n++;
      double f = fdA.get(i)[1] - fdB.get(i)[1];
      double m = mrA.get(i)[1] - mrB.get(i)[1];
      lowerFd += f < 0 ? 1 : 0;
      higherMr += m > 0 ? 1 : 0;
      dFd += f;
      dMr += m;
    }
    if (n == 0) {
      return;
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%s minus %s, probe by probe (%d probes after the start): fd_clip lower at %d, mean"
                + " difference %+.3f; motion ratio higher at %d, mean difference %+.3f.%n",
            a,
            b,
            n,
            lowerFd,
            dFd / n,
            higherMr,
            dMr / n));
  }
}
