package com.magicdistill.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.magicdistill.cli.MagicCli;
import com.magicdistill.engine.data.ClipShape;
import com.magicdistill.engine.export.ModelCard;
import com.magicdistill.engine.export.ModelPackage;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code magic generate} from an exported model package alone: GIF, MP4 and contact sheet. */
class GenerateCommandTest {
  static final DitConfig TINY =
      new DitConfig(new ClipShape(4, 8, 8), 2, 4, 24, 2, 2, 2, 0, 0, Set.of());

  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result magic(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = MagicCli.run(args);
      return new Result(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  Path writePackage() throws Exception {
    Path pkg = dir.resolve("package");
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      VideoDiT generator = new VideoDiT(TINY);
      generator.initialize(m);
      for (Parameter p : generator.getParameters().values()) {
        NDArray a = p.getArray();
        a.addi(m.randomNormal(0f, 0.2f, a.getShape(), a.getDataType()));
      }
      ModelCard card =
          ModelCard.now(
              "tiny-w2s", "w2s", "run-7", null, null, Map.of("alphaWeak", 0.25), Map.of(), "test");
      ModelPackage.write(pkg, generator, SigmaSchedule.FOUR_STEP, SamplerKind.RENOISE, card);
    }
    return pkg;
  }

  Path writeFace() throws Exception {
    return writeFaceIn(dir);
  }

  /** A 20x16 gradient PNG in {@code folder}. */
  Path writeFaceIn(Path folder) throws Exception {
    BufferedImage img = new BufferedImage(20, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        img.setRGB(x, y, (x * 12) << 16 | (y * 15) << 8 | 128);
      }
    }
    Path face = folder.resolve("face.png");
    ImageIO.write(img, "png", face.toFile());
    return face;
  }

  @Test
  void generateWritesGifMp4AndContactSheetFromThePackage() throws Exception {
    Path pkg = writePackage();
    Path face = writeFace();
    Path out = dir.resolve("out");
    Result r =
        magic(
            "generate",
            "--model",
            pkg.toString(),
            "--image",
            face.toString(),
            "--out",
            out.toString(),
            "--seed",
            "4242");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("4 model calls"), r.out());
    assertTrue(r.out().contains("ms per clip"), r.out());

    Path gif = out.resolve("face.gif");
    try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
      ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
      reader.setInput(in);
      assertEquals(4, reader.getNumImages(true), "one GIF frame per clip frame");
      reader.dispose();
    }
    byte[] mp4 = Files.readAllBytes(out.resolve("face.mp4"));
    assertTrue(mp4.length > 100, "mp4 has content");
    assertEquals("ftyp", new String(mp4, 4, 4, StandardCharsets.US_ASCII), "an ISO-BMFF file");
    BufferedImage sheet = ImageIO.read(out.resolve("contact-sheet.png").toFile());
    assertNotNull(sheet);
    assertTrue(sheet.getWidth() > 0 && sheet.getHeight() > 0);
  }

  @Test
  void generateRefusesATamperedPackageNamingTheFile() throws Exception {
    Path pkg = writePackage();
    Path face = writeFace();
    Path config = pkg.resolve(ModelPackage.CONFIG);
    Files.writeString(config, Files.readString(config).replace("24", "48"));
    Result r =
        magic(
            "generate",
            "--model",
            pkg.toString(),
            "--image",
            face.toString(),
            "--out",
            dir.resolve("out").toString());
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("config.json"), r.err());
    assertTrue(r.err().contains("sha256"), r.err());
    assertTrue(Files.notExists(dir.resolve("out")), "nothing is generated from a bad package");
  }
}
