package com.magicdistill.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureExtractorsTest {

  @Test
  void defaultIsHandcraftedV1() {
    assertEquals("md-feat-v1", FeatureExtractors.byName("md-feat-v1").id());
    assertEquals("md-feat-v1", FeatureExtractors.byName("default").id());
    assertEquals("md-feat-v1", FeatureExtractors.defaultExtractor().id());
  }

  @Test
  void unknownNameListsKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FeatureExtractors.byName("nope"));
    assertTrue(e.getMessage().contains("md-feat-v1"), e.getMessage());
  }

  @Test
  void registeredFactoryIsFound() {
    FeatureExtractors.register("test-alias", HandcraftedFeaturesV1::new);
    assertEquals("md-feat-v1", FeatureExtractors.byName("test-alias").id());
  }

  @Test
  void missingTorchScriptFileGivesClearError(@TempDir Path dir) {
    Path missing = dir.resolve("inception.pt");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FeatureExtractors.byName("torchscript:" + missing + ":299"));
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> TorchScriptFeatureExtractor.load(missing, 224));
  }
}
