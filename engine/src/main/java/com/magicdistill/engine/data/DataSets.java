package com.magicdistill.engine.data;

import java.util.List;

/** Selections of a labelled dataset that the training phases use. */
public final class DataSets {
  private DataSets() {}

  /** Portrait clips, clean and poor (the population the quality filter is meant for). */
  public static List<LabeledClip> portraits(List<LabeledClip> clips) {
    return clips.stream().filter(c -> c.kind() == ClipKind.PORTRAIT).toList();
  }

  /** Runs the quality filter over the portrait clips (general clips are not filtered). */
  public static FilterReport filterPortraits(List<LabeledClip> clips) {
    return new QualityFilter().filter(portraits(clips));
  }

  /** The fine-tune set: portrait clips the filter kept. */
  public static List<Clip> kept(List<LabeledClip> clips, FilterReport report) {
    return portraits(clips).stream()
        .filter(c -> report.verdict(c.id()).kept())
        .map(LabeledClip::clip)
        .toList();
  }

  /** The base pretraining set: every clip, general and portrait, unfiltered. */
  public static List<Clip> all(List<LabeledClip> clips) {
    return clips.stream().map(LabeledClip::clip).toList();
  }
}
