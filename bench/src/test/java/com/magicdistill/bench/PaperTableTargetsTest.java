package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The paper table's targets, each checked and each able to fail. */
class PaperTableTargetsTest {

  private static Map<String, Object> row(
      double fdClip, double lo, double hi, double motion, double avg, double speedup) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("fd_clip", fdClip);
    r.put("motion_ratio", motion);
    r.put("vbench", Map.of("avg", avg));
    r.put("ci95", Map.of("fd_clip", Map.of("value", fdClip, "lo", lo, "hi", hi)));
    r.put("speedup_vs_euler28", speedup);
    return r;
  }

  /** A table where W2S-4 meets every target. */
  private static Map<String, Object> paperLike() {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("euler28", row(0.50, 0.45, 0.55, 0.80, 0.90, 1.0));
    t.put("euler4", row(0.77, 0.70, 0.85, 0.60, 0.85, 7.0));
    t.put("lcm4", row(0.70, 0.65, 0.75, 0.62, 0.86, 7.0));
    t.put("dmd4", row(0.58, 0.52, 0.64, 0.70, 0.87, 7.0));
    t.put("w2s4", row(0.54, 0.50, 0.60, 0.70, 0.89, 6.9));
    return t;
  }

  private static Map<String, Boolean> met(Map<String, Object> table) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    PaperTableTargets.of(table).forEach(c -> out.put(c.target(), c.met()));
    return out;
  }

  @Test
  void aTableThatShowsThePaperMeetsEveryTarget() {
    Map<String, Boolean> met = met(paperLike());
    assertEquals(12, met.size(), met.toString());
    assertTrue(met.values().stream().allMatch(b -> b), met.toString());
  }

  @Test
  void eachFigureCanMissItsTarget() {
    Map<String, Object> t = paperLike();
    // W2S no better than DMD on fd_clip, LCM's interval overlapping, motion lost, slow.
    t.put("w2s4", row(0.60, 0.56, 0.66, 0.60, 0.89, 5.0));
    t.put("euler4", row(0.77, 0.70, 0.85, 0.70, 0.85, 7.0));
    Map<String, Boolean> met = met(t);
    assertFalse(met.get("w2s4 fd_clip below dmd4"));
    assertTrue(met.get("w2s4 fd_clip below lcm4"));
    assertFalse(met.get("w2s4 fd_clip 95% interval below lcm4's"));
    assertFalse(met.get("w2s4 motion_ratio at least 0.8 of euler28's"));
    assertFalse(met.get("euler4 motion_ratio below 0.8 of euler28's"));
    assertFalse(met.get("w2s4 fd_clip within 10% of euler28's"));
    assertFalse(met.get("w2s4 speed-up at least 6x"));
    assertTrue(met.get("w2s4 vbench.avg above dmd4"));
  }

  @Test
  void rowsThatAreMissingAreNotChecked() {
    Map<String, Object> t = paperLike();
    t.remove("lcm4");
    assertTrue(met(t).keySet().stream().noneMatch(k -> k.contains("lcm4")));
    assertEquals(List.of(), PaperTableTargets.of(Map.of("euler28", paperLike().get("euler28"))));
  }

  @Test
  void theMarkdownListsTheJsonsTargets() {
    Map<String, Object> json = new LinkedHashMap<>();
    assertEquals("", PaperTableTargets.markdown(json));
    json.put("targets", PaperTableTargets.toJson(PaperTableTargets.of(paperLike())));
    String md = PaperTableTargets.markdown(json);
    assertTrue(md.contains("| w2s4 fd_clip below dmd4 | 0.5400 vs 0.5800 | yes |"), md);
  }
}
