package com.magicdistill.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The sample layout the evaluate stage writes and the console reads. */
class SampleFilesTest {
  private final SampleFiles files = new SampleFiles("runs/r-1/evaluate/samples");

  @Test
  void keysFollowTheDocumentedLayout() {
    assertEquals(
        "runs/r-1/evaluate/samples/exported_w2s4/clip-03.mp4",
        files.mp4(EvaluatedMethod.EXPORTED_W2S4, 3));
    assertEquals(
        "runs/r-1/evaluate/samples/teacher_euler28/clip-00.gif",
        files.gif(EvaluatedMethod.TEACHER_EULER28, 0));
    assertEquals("runs/r-1/evaluate/samples/first-11.png", files.firstFrame(11));
    assertEquals("runs/r-1/evaluate/samples/contact.png", files.contactSheet());
    assertEquals("dmd_lora4/clip-01.gif", files.relative(files.gif(EvaluatedMethod.DMD_LORA4, 1)));
  }

  @Test
  void aKeyOutsideThePrefixOrABadIndexIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> files.relative("runs/r-2/x.png"));
    assertThrows(IllegalArgumentException.class, () -> files.mp4(EvaluatedMethod.DMD_LORA4, -1));
    assertThrows(IllegalArgumentException.class, () -> new SampleFiles("runs/r-1/"));
  }
}
