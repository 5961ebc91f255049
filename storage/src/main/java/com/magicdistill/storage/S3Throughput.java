package com.magicdistill.storage;

import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import io.minio.errors.MinioException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Plain MinIO client uploads, the yardstick the benchmark holds {@link S3ObjectStore} and
 * checkpoint saves against: one client, kept open across puts as the store keeps its own, so no put
 * pays for a new connection. One call times one put; warm up and repeat in the caller.
 */
public final class S3Throughput implements AutoCloseable {
  private final S3Settings settings;
  private final MinioClient client;

  public S3Throughput(S3Settings settings) {
    this.settings = settings;
    this.client = S3ObjectStore.newClient(settings);
  }

  /**
   * One {@code uploadObject} of {@code file} as object {@code key} (bucket root, no prefix) with
   * the settings' part size, nothing else; returns its nanoseconds.
   */
  public long rawPutNanos(String key, Path file) throws IOException {
    try {
      UploadObjectArgs args =
          UploadObjectArgs.builder()
              .bucket(settings.bucket())
              .object(key)
              .filename(file.toString(), settings.partSizeBytes())
              .build();
      long t0 = System.nanoTime();
      client.uploadObject(args);
      return System.nanoTime() - t0;
    } catch (MinioException | IllegalStateException e) {
      throw new IOException(
          "raw S3 put failed at "
              + settings.endpoint()
              + ", bucket '"
              + settings.bucket()
              + "', key '"
              + key
              + "': "
              + e,
          e);
    }
  }

  @Override
  public void close() throws IOException {
    S3ObjectStore.closeClient(client, settings);
  }
}
