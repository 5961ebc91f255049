package com.magicdistill.engine.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.zip.CRC32C;

/**
 * The safetensors encoding of named arrays (the bytes {@link NDList#decode} reads back) as a
 * stream: an 8-byte header length, the JSON header, then each array's bytes. Its length is known up
 * front ({@link #size()}), so a checkpoint goes to the store in one upload without assembling the
 * file in memory first.
 *
 * <p>No array is copied on the way: the stream reads each array's memory in libtorch directly (a
 * non-contiguous array is made contiguous first), so the arrays must stay open and unchanged until
 * the stream is closed. The CRC-32C of the whole encoding ({@link #crc32c()}, the checksum S3 and
 * Google Cloud Storage use for object integrity) is computed on a thread of its own from the same
 * memory while the stream is read; {@link #close()} waits for that thread, and after it the arrays
 * may be freed. CRC-32C, not sha256: it detects a torn or corrupted file as surely, and costs a
 * tenth of the CPU, which on a machine whose cores are busy with the upload itself is upload time.
 */
public final class SafetensorsStream extends InputStream {
  /** One array and its name in the file. */
  public record Named(String name, NDArray array) {}

  private static final int CHECKSUM_CHUNK = 1 << 20;

  // daemon threads, gone after a minute idle: one checksum runs per open stream
  private static final ExecutorService CHECKSUMS = DaemonThreads.cachedPool("safetensors-crc32c");

  private final List<ByteBuffer> parts;
  private final long size;
  private final CompletableFuture<String> crc32c;
  private volatile boolean closed;
  private int next;
  private ByteBuffer current;
  private long read;

  public SafetensorsStream(List<Named> arrays) {
    Map<String, Object> json = new LinkedHashMap<>();
    List<ByteBuffer> data = new ArrayList<>();
    long offset = 0;
    for (Named n : arrays) {
      long bytes = n.array().size() * n.array().getDataType().getNumOfBytes();
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("dtype", n.array().getDataType().asSafetensors());
      t.put("shape", n.array().getShape().getShape());
      t.put("data_offsets", new long[] {offset, offset + bytes});
      if (json.put(n.name(), t) != null) {
        throw new IllegalArgumentException("two arrays are named '" + n.name() + "'");
      }
      // a view of the array's memory, in libtorch's (little-endian) byte order: safetensors' too
      ByteBuffer view = n.array().toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN);
      if (view.remaining() != bytes) {
        throw new IllegalStateException(
            n.name() + ": " + view.remaining() + " bytes in memory, " + bytes + " by its shape");
      }
      data.add(view);
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
    List<ByteBuffer> all = new ArrayList<>();
    all.add(h);
    all.addAll(data);
    this.parts = List.copyOf(all);
    this.size = h.remaining() + offset;
    List<ByteBuffer> toCheck = new ArrayList<>();
    for (ByteBuffer p : parts) {
      toCheck.add(p.asReadOnlyBuffer());
    }
    this.crc32c = CompletableFuture.supplyAsync(() -> checksum(toCheck), CHECKSUMS);
  }

  /** Bytes the stream gives in all. */
  public long size() {
    return size;
  }

  /**
   * The CRC-32C of the whole encoding ({@link Crc32c#hex}); only once every byte was read (waits
   * for the checksum thread if it is still at it).
   */
  public String crc32c() {
    if (read != size) {
      throw new IllegalStateException("read " + read + " of " + size + " bytes so far");
    }
    return crc32c.join();
  }

  /**
   * The CRC-32C of the whole encoding as soon as it is computed. It is taken from the arrays'
   * memory, not from what was read, so it is known long before the stream is read to the end:
   * whatever depends only on it (a checkpoint manifest) can go out while the bytes are still being
   * uploaded.
   */
  public CompletableFuture<String> crc32cAhead() {
    return crc32c.copy();
  }

  /** Checksums {@code buffers} in order, a chunk at a time, stopping early once closed. */
  private String checksum(List<ByteBuffer> buffers) {
    CRC32C crc = new CRC32C();
    for (ByteBuffer b : buffers) {
      while (b.hasRemaining()) {
        if (closed) {
          throw new CancellationException("stream closed before its checksum was done");
        }
        ByteBuffer chunk = b.slice(b.position(), Math.min(CHECKSUM_CHUNK, b.remaining()));
        crc.update(chunk);
        b.position(b.position() + chunk.capacity());
      }
    }
    return Crc32c.hex(crc.getValue());
  }

  /** The buffer to read from next, or null at the end. */
  private ByteBuffer buffer() throws IOException {
    if (closed) {
      throw new IOException("safetensors stream is closed");
    }
    while (current == null || !current.hasRemaining()) {
      if (next >= parts.size()) {
        return null;
      }
      current = parts.get(next++).duplicate();
    }
    return current;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    ByteBuffer buf = buffer();
    if (buf == null) {
      return -1;
    }
    int n = Math.min(len, buf.remaining());
    buf.get(b, off, n);
    read += n;
    return n;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.remaining();
  }

  /**
   * Stops reading and waits until the checksum thread no longer touches the arrays' memory; after
   * this the arrays may be closed.
   */
  @Override
  public void close() {
    closed = true;
    try {
      crc32c.join();
    } catch (CancellationException | CompletionException e) {
      // closed before the checksum was done: nobody asks for it any more
    }
  }
}
