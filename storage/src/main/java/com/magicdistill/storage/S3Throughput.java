package com.magicdistill.storage;

import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import io.minio.errors.MinioException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Times single uploads, for the benchmark that compares {@link S3ObjectStore} with plain MinIO
 * client puts. MB are 2<sup>20</sup> bytes; one call times one put, so warm up and repeat in the
 * caller.
 */
public final class S3Throughput {
  private S3Throughput() {}

  /** Puts {@code file} under {@code key} through {@code store}; returns MB/s of that put. */
  public static double putMbPerSecond(ObjectStore store, String key, Path file) throws IOException {
    long bytes = Files.size(file);
    long t0 = System.nanoTime();
    store.put(key, file);
    return mbPerSecond(bytes, System.nanoTime() - t0);
  }

  /**
   * One plain MinIO {@code uploadObject} of {@code file} as object {@code key} in {@code
   * s.bucket()} with {@code s.partSizeMb()} parts, nothing else; returns MB/s. Only the upload is
   * timed, not building or closing the client.
   */
  public static double rawPutMbPerSecond(S3Settings s, String key, Path file) throws IOException {
    long bytes = Files.size(file);
    try (MinioClient client = S3ObjectStore.newClient(s)) {
      UploadObjectArgs args =
          UploadObjectArgs.builder()
              .bucket(s.bucket())
              .object(key)
              .filename(file.toString(), s.partSizeBytes())
              .build();
      long t0 = System.nanoTime();
      client.uploadObject(args);
      return mbPerSecond(bytes, System.nanoTime() - t0);
    } catch (MinioException e) {
      throw new IOException(
          "raw S3 put failed at "
              + s.endpoint()
              + ", bucket '"
              + s.bucket()
              + "', key '"
              + key
              + "': "
              + e,
          e);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception closeFailure) {
      throw new IOException("closing the S3 client for " + s.endpoint(), closeFailure);
    }
  }

  private static double mbPerSecond(long bytes, long nanos) {
    return (bytes / (double) (1 << 20)) / (Math.max(nanos, 1) / 1e9);
  }
}
