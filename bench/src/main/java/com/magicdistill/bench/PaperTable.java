package com.magicdistill.bench;

import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.sample.SigmaSchedule;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code paper-table-<preset>.md}: the miniature of docs/ALGORITHM.md#paper-table. */
final class PaperTable {

  private PaperTable() {}

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> json) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Paper table in miniature, preset `").append(json.get("preset")).append("`");
    Object prediction = json.get("teacher_prediction");
    if (prediction != null && !"velocity".equals(prediction)) {
      // docs/ALGORITHM.md#prediction-target
      sb.append(", every model predicting ").append(prediction);
    }
    sb.append("\n\n");
    sb.append("Command: `").append(json.get("command")).append("`. Features: `");
    sb.append(json.get("feature_extractor")).append("`. Teacher: ");
    sb.append(json.get("teacher")).append(".\n\n");
    Map<String, Object> methods = (Map<String, Object>) json.get("methods");
    boolean fidelity =
        methods.values().stream().anyMatch(m -> ((Map<String, Object>) m).containsKey("ci95"));
    MetricsTable.header(sb, true, fidelity);
    for (var e : methods.entrySet()) {
      MetricsTable.row(sb, e.getKey(), (Map<String, Object>) e.getValue(), true, fidelity);
    }
    MetricsTable.row(
        sb,
        "real (2nd held-out set)",
        (Map<String, Object>) json.get("real_reference"),
        true,
        fidelity);
    Map<String, Object> cal = (Map<String, Object>) json.get("dynamic_degree_calibration");
    if (cal != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%nDynamic degree threshold %.3f px, calibrated on the %s real held-out clips"
                  + " (target %.2f dynamic, achieved %.3f). Motion: paired motion ratio against"
                  + " the real clip with the same first frame (real = 1). 95%%: bootstrap over"
                  + " clips (docs/EVALUATION.md). Anchors have no model calls.%n",
              MetricsTable.num(cal, "threshold_px"),
              cal.get("clips"),
              MetricsTable.num(cal, "target_fraction"),
              MetricsTable.num(cal, "achieved_fraction")));
    }
    sb.append(PaperTableTargets.markdown(json));
    seeds(sb, json, methods);
    notes(sb, json, methods);
    sb.append("\nCurves (fd_clip of the EMA generator vs generator iteration; ");
    sb.append(json.get("curve_note")).append("):\n\n");
    // Points are double[] when written, lists of numbers when read back from the JSON.
    Map<String, List<?>> curves = (Map<String, List<?>>) json.get("curves");
    for (var e : curves.entrySet()) {
      sb.append("- ").append(e.getKey()).append(":");
      for (Object p : e.getValue()) {
        sb.append(String.format(Locale.ROOT, " %.0f:%.3f", coordinate(p, 0), coordinate(p, 1)));
      }
      sb.append("\n");
    }
    sb.append(TrainingEfficiency.markdown(json));
    sb.append(
        String.format(Locale.ROOT, "%nWall time %.0f s.%n", MetricsTable.num(json, "wall_s")));
    return sb.toString();
  }

  /**
   * Tables with several training seeds (JSON {@code training_seeds}): how the pooled rows and their
   * intervals are made, every distillation switch, and each seed's own figures.
   */
  @SuppressWarnings("unchecked")
  private static void seeds(
      StringBuilder sb, Map<String, Object> json, Map<String, Object> methods) {
    List<Map<String, Object>> seeds = (List<Map<String, Object>>) json.get("training_seeds");
    if (seeds == null) {
      return;
    }
    sb.append(
        seeds.size() > 1
            ? String.format(
                Locale.ROOT,
                "%nThe distilled rows (seeds %d) were trained once per training seed and pooled:"
                    + " each figure is the mean over seeds, and its 95%% interval a bootstrap over"
                    + " seeds and clips (docs/EVALUATION.md#training-seeds); they carry no fd_frame"
                    + " interval.%n",
                seeds.size())
            : "\nThe distilled rows come from one training seed: intervals over clips only, and no"
                + " fd_frame interval (docs/EVALUATION.md#training-seeds).\n");
    Map<String, Object> switches = (Map<String, Object>) json.get("switches");
    if (switches != null) {
      sb.append("\nSwitches:");
      String sep = " ";
      for (var e : switches.entrySet()) {
        sb.append(sep).append(e.getKey()).append(' ').append(e.getValue());
        sep = ", ";
      }
      sb.append(".\n");
    }
    if (seeds.stream().anyMatch(seed -> seed.containsKey("trained_by"))) {
      trainedBy(sb, seeds, String.valueOf(json.get("command")));
    } else {
      sb.append("\n| seed | distill seed | LCM seed | wall s |\n|---|---|---|---|\n");
      for (Map<String, Object> seed : seeds) {
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %.0f |%n",
                seed.get("index"),
                seed.get("distill_seed"),
                seed.get("lcm_seed"),
                MetricsTable.num(seed, "wall_s")));
      }
    }
    sb.append("\nPer training seed (no intervals):\n\n");
    sb.append("| method | seed | fd_frame | fd_clip | motion | dynamic | imaging | avg |\n");
    sb.append("|---|---|---|---|---|---|---|---|\n");
    for (var e : methods.entrySet()) {
      List<Map<String, Object>> rows =
          (List<Map<String, Object>>) ((Map<String, Object>) e.getValue()).get("per_seed");
      if (rows == null) {
        continue;
      }
      for (int k = 0; k < rows.size(); k++) {
        Map<String, Object> r = rows.get(k);
        Map<String, Object> v = (Map<String, Object>) r.get("vbench");
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %.3f | %.3f | %.3f | %.4f | %.4f | %.4f |%n",
                e.getKey(),
                k,
                MetricsTable.num(r, "fd_frame"),
                MetricsTable.num(r, "fd_clip"),
                MetricsTable.num(r, "motion_ratio"),
                MetricsTable.num(v, "dynamic_degree"),
                MetricsTable.num(v, "imaging_quality"),
                MetricsTable.num(v, "avg")));
      }
    }
  }

  /**
   * What the reader of an older table must know: results written before the regression fix record
   * no {@code regression_term}; an LCM whose grid misses the 4-step levels is not the fair baseline
   * (docs/ALGORITHM.md#lcm-baseline).
   */
  @SuppressWarnings("unchecked")
  private static void notes(
      StringBuilder sb, Map<String, Object> json, Map<String, Object> methods) {
    if (methods.containsKey("w2s4_reg") && !json.containsKey("regression_term")) {
      sb.append(
          "\nw2s4_reg was produced with the earlier regression term g_reg = x0_fake(x_sigma) -"
              + " x_gt (code up to commit da0c729), which has no fixed point at x_gen = x_gt; the"
              + " current term is in docs/ALGORITHM.md#optional-terms.\n");
    }
    // A record while the benchmark runs, a map when read back from the JSON.
    Map<String, Object> lcm =
        json.get("lcm") == null ? null : Json.MAPPER.convertValue(json.get("lcm"), Map.class);
    if (methods.containsKey("lcm4") && lcm != null) {
      int n = ((Number) lcm.get("solverSteps")).intValue();
      double shift = MetricsTable.num(lcm, "shift");
      boolean onGrid = onGrid(new SigmaSchedule(n, shift));
      sb.append(
          String.format(
              Locale.ROOT,
              "%nlcm4: LCM trained %d steps at lr %.3g on %d intervals at shift %.3g%s.%n",
              ((Number) lcm.get("steps")).intValue(),
              MetricsTable.num(lcm, "lr"),
              n,
              shift,
              onGrid
                  ? ""
                  : "; that grid misses the 4-step levels, so this is not the fair baseline of"
                      + " docs/ALGORITHM.md#lcm-baseline (shift 5, lr 1e-4, at least 1500 steps:"
                      + " the paper preset's after commit da0c729)"));
    }
  }

  /** Whether every level of the 4-step schedule is a point of {@code grid}. */
  static boolean onGrid(SigmaSchedule grid) {
    double[] four = SigmaSchedule.FOUR_STEP.sigmas();
    for (double level : four) {
      if (java.util.Arrays.stream(grid.sigmas()).noneMatch(s -> Math.abs(s - level) < 1e-9)) {
        return false;
      }
    }
    return true;
  }

  private static double coordinate(Object point, int i) {
    return point instanceof double[] a ? a[i] : ((Number) ((List<?>) point).get(i)).doubleValue();
  }

  /**
   * The training seeds with the process that trained each (this run, or a {@code --train-seed}
   * process) and the timings it measured; a seed found finished without a record has none.
   */
  private static void trainedBy(StringBuilder sb, List<Map<String, Object>> seeds, String command) {
    sb.append(
        "\n| seed | distill seed | LCM seed | trained by | wall s | LCM ms/step | DMD ms/update |"
            + " W2S ms/update |\n|---|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> seed : seeds) {
      String by = String.valueOf(seed.get("trained_by"));
      int at = by.indexOf(" --train-seed ");
      String who =
          by.equals(command)
              ? "this run"
              : at >= 0 ? "`" + by.substring(at + 1) + "` process" : "another run";
      if (Boolean.TRUE.equals(seed.get("resumed"))) {
        who += ", continued";
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %.0f | %s | %s | %s |%n",
              seed.get("index"),
              seed.get("distill_seed"),
              seed.get("lcm_seed"),
              who,
              MetricsTable.num(seed, "wall_s"),
              msOrDash(seed.get("lcm_ms_per_step")),
              msOrDash(seed.get("dmd_ms_per_iteration")),
              msOrDash(seed.get("w2s_ms_per_iteration"))));
    }
  }

  private static String msOrDash(Object v) {
    return v instanceof Number n ? String.format(Locale.ROOT, "%.0f", n.doubleValue()) : "-";
  }
}
