package com.magicdistill.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
  /** FIPS 180-2 test vector "abc". */
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void bytesGiveTheStandardLowerCaseHex() {
    assertEquals(ABC, Sha256.of("abc".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.of(new byte[0]));
  }

  @Test
  void aFileHashesLikeItsBytes(@TempDir Path dir) throws Exception {
    byte[] big = new byte[3 * 8192 + 17];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    Path file = Files.write(dir.resolve("f.bin"), big);
    assertEquals(Sha256.of(big), Sha256.of(file));
  }

  @Test
  void aDigestFedPieceByPieceMatches() {
    var digest = Sha256.newDigest();
    digest.update("a".getBytes(StandardCharsets.US_ASCII));
    digest.update("bc".getBytes(StandardCharsets.US_ASCII));
    assertEquals(ABC, Sha256.hex(digest.digest()));
  }
}
