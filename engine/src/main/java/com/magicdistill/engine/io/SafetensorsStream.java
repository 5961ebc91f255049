package com.magicdistill.engine.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors encoding of named arrays (the bytes {@link NDList#decode} reads back) as a
 * stream: an 8-byte header length, the JSON header, then each array's bytes, one array copied out
 * of libtorch at a time while the stream is read. Its length is known up front ({@link #size()}),
 * and the sha256 of what was read is ready once it ends ({@link #sha256()}), so a checkpoint can go
 * to the store in one upload without assembling the file in memory first.
 */
public final class SafetensorsStream extends InputStream {
  /** One array and its name in the file. */
  public record Named(String name, NDArray array) {}

  private final List<Named> arrays;
  private final byte[] header;
  private final long size;
  private final MessageDigest digest = Sha256.newDigest();
  private ByteBuffer current;
  private int next;
  private long read;

  public SafetensorsStream(List<Named> arrays) {
    this.arrays = List.copyOf(arrays);
    Map<String, Object> json = new LinkedHashMap<>();
    long offset = 0;
    for (Named n : this.arrays) {
      long bytes = n.array().size() * n.array().getDataType().getNumOfBytes();
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("dtype", n.array().getDataType().asSafetensors());
      t.put("shape", n.array().getShape().getShape());
      t.put("data_offsets", new long[] {offset, offset + bytes});
      if (json.put(n.name(), t) != null) {
        throw new IllegalArgumentException("two arrays are named '" + n.name() + "'");
      }
      offset += bytes;
    }
    byte[] headerJson;
    try {
      headerJson = Json.MAPPER.writeValueAsString(json).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("safetensors header of plain maps", e);
    }
    ByteBuffer h = ByteBuffer.allocate(8 + headerJson.length).order(ByteOrder.LITTLE_ENDIAN);
    h.putLong(headerJson.length).put(headerJson).flip();
    this.header = h.array();
    this.size = header.length + offset;
    this.current = ByteBuffer.wrap(header);
  }

  /** Bytes the stream gives in all. */
  public long size() {
    return size;
  }

  /** Lower-case hex sha256 of the whole encoding; only once every byte was read. */
  public String sha256() {
    if (read != size) {
      throw new IllegalStateException("read " + read + " of " + size + " bytes so far");
    }
    return Sha256.hex(((MessageDigest) cloneDigest()).digest());
  }

  private Object cloneDigest() {
    try {
      return digest.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digests clone", e);
    }
  }

  /** The buffer to read from next, or null at the end. */
  private ByteBuffer buffer() {
    while (current == null || !current.hasRemaining()) {
      if (next >= arrays.size()) {
        return null;
      }
      NDArray a = arrays.get(next++).array();
      // a copy of this array only, in little-endian order (safetensors' and libtorch's on x86/arm)
      current = a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
    return current;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    ByteBuffer buf = buffer();
    if (buf == null) {
      return -1;
    }
    int n = Math.min(len, buf.remaining());
    buf.get(b, off, n);
    digest.update(b, off, n);
    read += n;
    return n;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.remaining();
  }
}
