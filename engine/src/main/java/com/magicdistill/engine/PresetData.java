package com.magicdistill.engine;

import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.DataSets;
import com.magicdistill.engine.data.FilterReport;
import com.magicdistill.engine.data.LabeledClip;
import com.magicdistill.engine.data.PrecisionRecall;
import com.magicdistill.engine.data.SyntheticDataset;
import com.magicdistill.engine.eval.HeldOutEvaluation;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data every benchmark and pipeline run on a preset starts from: the preset's synthetic
 * dataset, the quality filter's verdicts, and the held-out portraits (a different seed) whose first
 * frames condition every method, plus a second held-out set as the real-vs-real reference.
 */
public record PresetData(
    List<LabeledClip> all,
    FilterReport filter,
    PrecisionRecall filterScore,
    List<Clip> kept,
    List<Clip> heldOut,
    List<Clip> reference) {
  private static final Logger LOG = LoggerFactory.getLogger(PresetData.class);

  public static PresetData of(EnginePreset preset) {
    var d = preset.data();
    LOG.info(
        "rendering {} synthetic clips (seed {})",
        d.portraits() + d.general() + 5 * d.poorPerDefect(),
        d.seed());
    List<LabeledClip> all = SyntheticDataset.generate(d);
    FilterReport filter = DataSets.filterPortraits(all);
    PrecisionRecall pr = filter.precisionRecall(DataSets.portraits(all));
    List<Clip> kept = DataSets.kept(all, filter);
    LOG.info(
        "quality filter kept {} portraits; rejecting poor clips: precision {}, recall {}",
        kept.size(),
        pr.precision(),
        pr.recall());
    return new PresetData(
        all,
        filter,
        pr,
        kept,
        portraits(preset, preset.heldOutSeed()),
        portraits(preset, preset.heldOutSeed() + 1));
  }

  private static List<Clip> portraits(EnginePreset preset, long seed) {
    return HeldOutEvaluation.syntheticPortraits(seed, preset.heldOutClips(), preset.data());
  }

  public List<float[]> firstFrames() {
    return heldOut.stream().map(c -> c.frame(0)).toList();
  }

  public List<Clip> allClips() {
    return DataSets.all(all);
  }
}
