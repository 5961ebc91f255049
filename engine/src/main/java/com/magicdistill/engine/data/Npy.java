package com.magicdistill.engine.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal NumPy {@code .npy} format for unsigned bytes: version 1.0 header {@code {'descr': '|u1',
 * 'fortran_order': False, 'shape': (...), }} padded with spaces and a newline so that the data
 * starts at a multiple of 64 bytes, then the raw C-order bytes.
 */
final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** The complete header (magic, version, length, dict) for a {@code |u1} array. */
  static byte[] header(long... shape) {
    StringBuilder dims = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      dims.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    if (shape.length == 1) {
      dims.append(',');
    }
    String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + dims + "), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String text = dict + " ".repeat(padding) + "\n";
    byte[] t = text.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[MAGIC.length + 4 + t.length];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) (t.length & 0xff);
    out[9] = (byte) ((t.length >> 8) & 0xff);
    System.arraycopy(t, 0, out, 10, t.length);
    return out;
  }

  static void writeHeader(OutputStream out, long... shape) throws IOException {
    out.write(header(shape));
  }

  /**
   * Reads a header and returns the shape; fails unless the array is {@code |u1} in C order.
   * Versions 1.0 (2-byte header length) and 2.0/3.0 (4-byte) are accepted.
   */
  static long[] readHeader(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    byte[] magic = new byte[6];
    d.readFully(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException("not a .npy stream (bad magic)");
    }
    int major = d.readUnsignedByte();
    d.readUnsignedByte();
    int len;
    if (major == 1) {
      len = d.readUnsignedByte() | (d.readUnsignedByte() << 8);
    } else {
      len =
          d.readUnsignedByte()
              | (d.readUnsignedByte() << 8)
              | (d.readUnsignedByte() << 16)
              | (d.readUnsignedByte() << 24);
    }
    byte[] text = new byte[len];
    d.readFully(text);
    String dict = new String(text, StandardCharsets.ISO_8859_1);
    if (!dict.contains("'descr': '|u1'")) {
      throw new IOException("unsupported dtype, expected '|u1': " + dict.trim());
    }
    if (!dict.contains("'fortran_order': False")) {
      throw new IOException("fortran_order arrays are not supported");
    }
    Matcher m = SHAPE.matcher(dict);
    if (!m.find()) {
      throw new IOException("no shape in .npy header: " + dict.trim());
    }
    return Arrays.stream(m.group(1).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .mapToLong(Long::parseLong)
        .toArray();
  }

  /** round(v * 255), clamped to [0, 255]. */
  static byte toByte(float v) {
    return (byte) Math.max(0, Math.min(255, Math.round(v * 255f)));
  }

  static float toFloat(byte b) {
    return (b & 0xff) / 255f;
  }
}
