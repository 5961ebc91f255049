package com.magicdistill.engine.eval;

import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.data.SyntheticDataset;
import java.util.List;
import java.util.stream.IntStream;

/** The first held-out portraits of the paper preset (seed 9001): real clips for motion metrics. */
final class PortraitClips {
  static final List<Clip> HELD_OUT_16 =
      IntStream.range(0, 16)
          .mapToObj(i -> SyntheticDataset.portrait(9001, i, ClipShape.DEFAULT).clip())
          .toList();

  private PortraitClips() {}
}
