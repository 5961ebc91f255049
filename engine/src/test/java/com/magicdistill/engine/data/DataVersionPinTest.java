package com.magicdistill.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.magicdistill.engine.EnginePreset;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the v1 data byte for byte: the tiny preset's dataset (portraits, general and poor clips) and
 * held-out clips must stay what the committed figures were measured on. Clips depend only on (seed,
 * index), so tiny's clips are the first of smoke's (bench/results/teacher-smoke.json). The digest
 * was taken before motion model v2 existed.
 */
class DataVersionPinTest {
  @Test
  void tinyPresetDataIsUnchanged() throws Exception {
    EnginePreset tiny = EnginePreset.tiny();
    assertEquals(
        "c1e550951262103c876157d2baea8a5dc143e10f87d673b61c3b791ac6e6b923",
        digest(SyntheticDataset.generate(tiny.data()), heldOut(tiny, tiny.heldOutSeed())));
  }

  private static List<Clip> heldOut(EnginePreset p, long seed) {
    return java.util.stream.IntStream.range(0, p.heldOutClips())
        .mapToObj(i -> SyntheticDataset.portrait(seed, i, p.data().shape()).clip())
        .toList();
  }

  static String digest(List<LabeledClip> all, List<Clip> heldOut) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (LabeledClip c : all) {
      sha.update((c.id() + "|" + c.kind() + "|" + c.defect()).getBytes("UTF-8"));
      update(sha, c.clip().rgb());
    }
    for (Clip c : heldOut) {
      update(sha, c.rgb());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void update(MessageDigest sha, float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length);
    for (float f : v) {
      b.putInt(Float.floatToRawIntBits(f));
    }
    sha.update(b.array());
  }
}
