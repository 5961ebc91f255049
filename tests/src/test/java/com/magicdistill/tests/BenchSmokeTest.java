package com.magicdistill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.cli.MagicCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two benchmarks on their tiny presets (a few steps, 4 held-out clips, 1 timing round), chained
 * as a user would: the teacher benchmark, then the paper table reusing its teacher, then {@code
 * generate} from the exported W2S package. Checks that every figure the issues ask for is in the
 * JSON, with the command that reproduces it and the code version (the values are the benchmarks'
 * business).
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class BenchSmokeTest {
  static final String PRESET = "tiny";

  static final String[] VBENCH = {
    "i2v_subject",
    "subject_consistency",
    "motion_smoothness",
    "dynamic_degree",
    "imaging_quality",
    "temporal_flickering",
    "avg"
  };

  @Test
  void teacherThenPaperTableThenGenerate(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("results");
    Path teacherWork = dir.resolve("teacher-work");
    assertEquals(
        0,
        MagicCli.run(
            "bench",
            "teacher",
            "--preset",
            PRESET,
            "--results",
            results.toString(),
            "--work",
            teacherWork.toString()));
    JsonNode t = new ObjectMapper().readTree(results.resolve("teacher-tiny.json").toFile());
    assertRecordsCommandAndCode(t, "--preset tiny", "--work " + teacherWork);
    for (String k : new String[] {"train_ms_per_step", "peak_rss_mb", "rss_mb_series"}) {
      assertTrue(t.has(k), k);
    }
    assertTrue(t.get("filter").has("precision") && t.get("filter").has("recall"));
    assertEquals(100, t.get("bootstrap").get("resamples").asInt(), "tiny: 100 draws");
    for (String m : new String[] {"base_euler28", "teacher_euler28", "teacher_euler4"}) {
      assertMethod(t.get(m), m);
    }
    assertEquals(28, t.get("teacher_euler28").get("model_calls").asInt());
    assertEquals(4, t.get("teacher_euler4").get("model_calls").asInt());
    assertTrue(Files.exists(results.resolve("teacher-tiny.md")));
    JsonNode eff = t.get("efficiency");
    assertTrue(eff.get("gemm_peak").get("gflops").asDouble() > 0, eff.toString());
    assertTrue(eff.get("gemm_peak").get("threads").asInt() >= 1, eff.toString());
    for (String phase : new String[] {"base", "teacher"}) {
      JsonNode row = eff.get("phases").get(phase);
      assertTrue(row.get("gflop_per_step").asDouble() > 0, phase);
      double mfu = row.get("mfu").asDouble();
      assertEquals(
          row.get("gflop_per_step").asDouble()
              / (row.get("ms_per_step").asDouble() / 1e3)
              / eff.get("gemm_peak").get("gflops").asDouble(),
          mfu,
          1e-9 * mfu,
          phase + ": MFU = achieved / peak");
    }
    for (String k : new String[] {"data", "forward", "backward", "optimizer", "sum"}) {
      assertTrue(eff.get("profile_ms_per_step").get(k).asDouble() > 0, k);
    }
    assertTrue(Files.readString(results.resolve("teacher-tiny.md")).contains("MFU"));

    Path tableWork = dir.resolve("table-work");
    String[] table = {
      "bench",
      "paper-table",
      "--preset",
      PRESET,
      "--teacher",
      teacherWork.resolve("teacher").toString(),
      "--alpha-weak",
      "0.5",
      "--generator-lr",
      "3e-5",
      "--results",
      results.toString(),
      "--work",
      tableWork.toString()
    };
    // Seed 1 trained by a process of its own; the run then trains seed 0 and scores both.
    String[] seedOne = java.util.Arrays.copyOf(table, table.length + 2);
    seedOne[table.length] = "--train-seed";
    seedOne[table.length + 1] = "1";
    assertEquals(0, MagicCli.run(seedOne));
    assertTrue(!Files.exists(results.resolve("paper-table-tiny.json")), "--train-seed: no results");
    assertEquals(0, MagicCli.run(table));
    JsonNode p = new ObjectMapper().readTree(results.resolve("paper-table-tiny.json").toFile());
    JsonNode seeds = p.get("training_seeds");
    assertTrue(
        seeds.get(1).get("trained_by").asText().endsWith("--train-seed 1"), seeds.toString());
    assertTrue(!seeds.get(0).get("trained_by").asText().contains("--train-seed"), seeds.toString());
    String md = Files.readString(results.resolve("paper-table-tiny.md"));
    assertTrue(md.contains("| 0 | 31 | 41 | this run |"), md);
    assertTrue(md.contains("| `--train-seed 1` process |"), md);
    assertRecordsCommandAndCode(
        p,
        "--teacher " + teacherWork.resolve("teacher"),
        "--alpha-weak 0.5",
        "--generator-lr 3.0E-5",
        "--work " + tableWork);
    for (String m :
        new String[] {
          "euler28", "euler8", "euler4", "renoise4", "lcm4", "dmd4", "w2s4", "w2s4_reg"
        }) {
      JsonNode method = p.get("methods").get(m);
      assertMethod(method, m);
      assertFidelity(method, m);
      for (String k : new String[] {"speedup_vs_euler28", "seeds"}) {
        assertTrue(method.has(k), m + "." + k);
      }
    }
    assertEquals(8, p.get("methods").get("euler8").get("model_calls").asInt());
    assertSeedsPooled(p, results.resolve("paper-table-tiny.md"));
    assertEquals(100, p.get("bootstrap").get("resamples").asInt(), "tiny: 100 draws");
    // the teacher was reused: no training step to score, the peak is still measured
    assertTrue(p.get("efficiency").get("gemm_peak").get("gflops").asDouble() > 0);
    assertEquals(0, p.get("efficiency").get("phases").size());
    for (String m :
        new String[] {
          "anchor_first_frame_repeated", "anchor_real_noisy", "anchor_real_temporal_blur"
        }) {
      JsonNode anchor = p.get("methods").get(m);
      assertTrue(anchor != null, m + " missing");
      assertFidelity(anchor, m);
      assertEquals(0, anchor.get("model_calls").asInt(), m + ".model_calls");
    }
    JsonNode calibration = p.get("dynamic_degree_calibration");
    assertTrue(
        calibration != null && calibration.get("threshold_px").asDouble() > 0, "calibration");
    assertEquals(
        p.get("held_out_clips").asInt(), calibration.get("clips").asInt(), "calibration clips");
    assertTrue(p.get("curves").get("dmd").size() >= 2);
    assertEquals(2, p.get("probe_every").asInt(), "tiny's probe interval");
    assertTrue(p.get("command").asText().contains(" --probe-every 2 "), p.get("command").asText());
    assertTrue(p.get("curves").get("w2s").size() >= 2);
    assertTrue(Files.exists(results.resolve("paper-table-tiny-curves.png")));
    assertTrue(Files.exists(results.resolve("paper-table-tiny-samples.png")));
    // Run again: every seed is trained already, so it only scores, to the same figures.
    assertEquals(0, MagicCli.run(table));
    JsonNode again = new ObjectMapper().readTree(results.resolve("paper-table-tiny.json").toFile());
    assertEquals(seeds, again.get("training_seeds"), "no seed trained again");
    assertEquals(
        p.get("methods").get("w2s4").get("per_seed"),
        again.get("methods").get("w2s4").get("per_seed"));
    assertEquals(p.get("curves"), again.get("curves"), "curves probed from the same checkpoints");
    assertTrue(
        again.get("exported_model").asText().endsWith("w2s4-2"),
        "a package is never overwritten: " + again.get("exported_model"));

    Path image = dir.resolve("face.png");
    javax.imageio.ImageIO.write(
        com.magicdistill.engine.video.ClipImages.toBufferedImage(
            com.magicdistill.engine.data.SyntheticDataset.portrait(
                    1, 0, com.magicdistill.engine.data.ClipShape.DEFAULT)
                .clip(),
            0,
            2),
        "png",
        image.toFile());
    Path out = dir.resolve("generated");
    assertEquals(
        0,
        MagicCli.run(
            "generate",
            "--model",
            tableWork.resolve("export/w2s4").toString(),
            "--image",
            image.toString(),
            "--out",
            out.toString()));
    assertTrue(Files.exists(out.resolve("face.gif")));
  }

  /**
   * The distilled rows were trained with every training seed (2 on tiny, the default) and each row
   * pools all of them: its figures are the mean of its seeds' and its intervals are over seeds and
   * clips; the teacher rows come from the one teacher. The switches of the run are recorded.
   */
  private static void assertSeedsPooled(JsonNode p, Path md) throws Exception {
    int seeds = p.get("seeds").asInt();
    assertEquals(2, seeds, "tiny runs the multi-seed path");
    assertTrue(p.get("command").asText().contains("--seeds 2"), p.get("command").asText());
    JsonNode trained = p.get("training_seeds");
    assertEquals(seeds, trained.size(), trained.toString());
    assertTrue(
        trained.get(0).get("distill_seed").asLong() != trained.get(1).get("distill_seed").asLong()
            && trained.get(0).get("lcm_seed").asLong() != trained.get(1).get("lcm_seed").asLong(),
        trained.toString());
    JsonNode switches = p.get("switches");
    for (String k :
        new String[] {
          "generator_lr", "beta1", "score_shift", "critic_updates", "backward_simulation", "gan"
        }) {
      assertTrue(switches.has(k), "switches." + k + ": " + switches);
    }
    String table = Files.readString(md);
    assertTrue(table.contains("Switches:"), table);
    for (String m : new String[] {"lcm4", "dmd4", "w2s4", "w2s4_reg"}) {
      JsonNode row = p.get("methods").get(m);
      assertEquals(seeds, row.get("seeds").asInt(), m + ".seeds");
      JsonNode per = row.get("per_seed");
      assertEquals(seeds, per.size(), m + ".per_seed");
      for (String k : new String[] {"fd_clip", "motion_ratio", "fd_frame"}) {
        double mean = 0;
        for (JsonNode one : per) {
          mean += one.get(k).asDouble() / seeds;
        }
        assertEquals(mean, row.get(k).asDouble(), 1e-12, m + "." + k + " is the mean over seeds");
      }
      for (String k : new String[] {"fd_clip", "motion_ratio"}) {
        assertEquals(row.get(k).asDouble(), row.get("ci95").get(k).get("value").asDouble(), 0.0);
      }
      for (int k = 0; k < seeds; k++) {
        assertTrue(
            table.contains("| " + m + " | " + k + " | "), m + " seed " + k + " row:\n" + table);
      }
    }
    for (String m : new String[] {"euler28", "euler8", "euler4", "renoise4"}) {
      assertEquals(1, p.get("methods").get(m).get("seeds").asInt(), m + ": one teacher");
      assertTrue(!p.get("methods").get(m).has("per_seed"), m);
    }
  }

  /** The recorded command has every option given; the code version names a commit. */
  private static void assertRecordsCommandAndCode(JsonNode json, String... options) {
    String command = json.get("command").asText();
    for (String o : options) {
      assertTrue(command.contains(o), "command lacks " + o + ": " + command);
    }
    JsonNode code = json.get("code");
    assertTrue(code != null && code.has("git_dirty") && code.has("build"), "code: " + code);
    assertTrue(code.get("git_commit").asText().matches("[0-9a-f]{40}"), "code: " + code);
  }

  /** The paired motion ratio and the 95% intervals of fd_clip and motion_ratio (lo <= hi). */
  private static void assertFidelity(JsonNode m, String name) {
    assertTrue(m.has("fd_frame") && m.has("fd_clip") && m.has("vbench"), name);
    assertTrue(m.has("motion_ratio"), name + ".motion_ratio");
    for (String k : new String[] {"fd_clip", "motion_ratio"}) {
      JsonNode ci = m.path("ci95").path(k);
      assertTrue(
          ci.has("value") && ci.get("lo").asDouble() <= ci.get("hi").asDouble(),
          name + ".ci95." + k + " = " + ci);
    }
  }

  private static void assertMethod(JsonNode m, String name) {
    assertTrue(m != null, name + " missing");
    for (String k : new String[] {"fd_frame", "fd_clip", "model_calls", "wall_ms_per_clip"}) {
      assertTrue(m.has(k), name + "." + k);
    }
    for (String k : VBENCH) {
      double v = m.get("vbench").get(k).asDouble();
      assertTrue(v >= 0 && v <= 1, name + ".vbench." + k + " = " + v);
    }
  }
}
