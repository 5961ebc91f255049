package com.magicdistill.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * An {@link ObjectStore} on an S3 bucket through the MinIO client (MinIO in production, S3Proxy
 * locally).
 *
 * <p>Key {@code a/b} is the object {@code <rootPrefix>/a/b} in the bucket of the settings. A put is
 * atomic (S3 makes an object visible only once its upload completes, multipart included); bodies
 * larger than {@link S3Settings#partSizeMb()} go up as a multipart upload.
 *
 * <p>Failures: a missing object is an {@link ObjectNotFoundException}; every other S3 or network
 * failure is an {@link IOException} whose message names the operation, endpoint, bucket and key.
 * The only retries inside are the MinIO client's own, which are bounded (up to 5 attempts, 100-200
 * ms apart, for HTTP 408/429/499/5xx); a refused connection fails at once and a silent server fails
 * after {@link #CONNECT_TIMEOUT} or {@link #IO_TIMEOUT}. Retrying longer is the caller's job (a
 * Temporal activity retry).
 *
 * <p>Close the store: the MinIO client's okhttp threads otherwise keep the JVM alive for a minute.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {
  /** TCP connect timeout: a stopped or unreachable server fails this fast. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Read and write timeout per socket operation (not per object). */
  public static final Duration IO_TIMEOUT = Duration.ofSeconds(60);

  private static final Set<String> NOT_FOUND_CODES = Set.of("NoSuchKey", "NoSuchObject");

  private final S3Settings settings;
  private final String rootPrefix;
  private final MinioClient client;

  /** A store over the whole bucket. */
  public S3ObjectStore(S3Settings settings) {
    this(settings, "");
  }

  /**
   * A store whose keys live under {@code rootPrefix} in the bucket ({@code ""} for the bucket
   * root). Nothing is contacted until the first call.
   */
  public S3ObjectStore(S3Settings settings, String rootPrefix) {
    this.settings = java.util.Objects.requireNonNull(settings, "settings (S3Settings.fromEnv)");
    this.rootPrefix = ObjectStore.join(rootPrefix);
    if (!this.rootPrefix.isEmpty()) {
      ObjectStore.validateKey(this.rootPrefix);
    }
    this.client = newClient(settings);
  }

  /**
   * A MinIO client for {@code settings} with credentials, region and the timeouts above; the caller
   * closes it.
   */
  public static MinioClient newClient(S3Settings settings) {
    MinioClient c =
        MinioClient.builder()
            .endpoint(settings.endpoint())
            .region(settings.region())
            .credentials(settings.accessKey(), settings.secretKey())
            .build();
    c.setTimeout(CONNECT_TIMEOUT.toMillis(), IO_TIMEOUT.toMillis(), IO_TIMEOUT.toMillis()); // ms
    return c;
  }

  /** The settings (endpoint, bucket, part size). */
  public S3Settings settings() {
    return settings;
  }

  /** The fixed prefix every key is stored under ({@code ""} for none). */
  public String rootPrefix() {
    return rootPrefix;
  }

  /** Creates the bucket if it does not exist yet. */
  public void ensureBucket() throws IOException {
    String bucket = settings.bucket();
    boolean exists = call("check bucket", null, () -> client.bucketExists(bucketExists(bucket)));
    if (!exists) {
      try {
        call("create bucket", null, () -> makeBucket(bucket));
      } catch (IOException e) {
        if (!(e.getCause() instanceof ErrorResponseException ere)
            || !"BucketAlreadyOwnedByYou".equals(ere.errorResponse().code())) {
          throw e;
        }
      }
    }
  }

  @Override
  public void put(String key, byte[] data) throws IOException {
    String object = objectName(key);
    call(
        "put",
        key,
        () ->
            client.putObject(
                PutObjectArgs.builder().bucket(settings.bucket()).object(object).stream(
                        new ByteArrayInputStream(data),
                        (long) data.length,
                        settings.partSizeBytes())
                    .build()));
  }

  /**
   * One upload (multipart above the part size) fed from {@code in} part by part: no copy of the
   * whole body is made. A failed upload cannot be retried from a consumed stream; it fails.
   */
  @Override
  public void put(String key, InputStream in, long size) throws IOException {
    String object = objectName(key);
    call(
        "put",
        key,
        () ->
            client.putObject(
                PutObjectArgs.builder().bucket(settings.bucket()).object(object).stream(
                        in, size, settings.partSizeBytes())
                    .build()));
  }

  @Override
  public void put(String key, Path file) throws IOException {
    String object = objectName(key);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no file to put as " + key);
    }
    call(
        "put",
        key,
        () ->
            client.uploadObject(
                UploadObjectArgs.builder()
                    .bucket(settings.bucket())
                    .object(object)
                    .filename(file.toString(), settings.partSizeBytes())
                    .build()));
  }

  @Override
  public byte[] get(String key) throws IOException {
    try (InputStream in = openStream(key)) {
      return in.readAllBytes();
    }
  }

  @Override
  public InputStream openStream(String key) throws IOException {
    String object = objectName(key);
    InputStream in =
        call(
            "get",
            key,
            () ->
                client.getObject(
                    GetObjectArgs.builder().bucket(settings.bucket()).object(object).build()));
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (IOException e) {
          throw failure("read", key, e);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (IOException e) {
          throw failure("read", key, e);
        }
      }
    };
  }

  @Override
  public boolean exists(String key) throws IOException {
    String object = objectName(key);
    try {
      call(
          "stat",
          key,
          () ->
              client.statObject(
                  StatObjectArgs.builder().bucket(settings.bucket()).object(object).build()));
      return true;
    } catch (ObjectNotFoundException e) {
      return false;
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    String p = ObjectStore.validatePrefix(prefix);
    String root = rootPrefix.isEmpty() ? "" : rootPrefix + "/";
    List<String> keys =
        call(
            "list",
            p,
            () -> {
              List<String> found = new ArrayList<>();
              // The iterator fetches pages of 1000 lazily; errors surface from next() or get().
              for (Result<Item> result :
                  client.listObjects(
                      ListObjectsArgs.builder()
                          .bucket(settings.bucket())
                          .prefix(root + p)
                          .recursive(true)
                          .build())) {
                Item item = result.get();
                String name = item.objectName();
                // Skip directory markers, which some servers report.
                if (!item.isDir() && !name.endsWith("/") && name.startsWith(root)) {
                  found.add(name.substring(root.length()));
                }
              }
              return found;
            });
    Collections.sort(keys);
    return keys;
  }

  /**
   * Deletes the object; returns whether it existed. S3 deletes are idempotent and do not say
   * whether there was an object, so this asks first (two requests, not atomic).
   */
  @Override
  public boolean delete(String key) throws IOException {
    if (!exists(key)) {
      return false;
    }
    String object = objectName(key);
    call(
        "delete",
        key,
        () -> {
          client.removeObject(
              RemoveObjectArgs.builder().bucket(settings.bucket()).object(object).build());
          return null;
        });
    return true;
  }

  /** Closes the MinIO client and its okhttp thread pools. */
  @Override
  public void close() throws IOException {
    closeClient(client, settings);
  }

  /** Closes a client made by {@link #newClient}, naming its endpoint if that fails. */
  static void closeClient(MinioClient client, S3Settings settings) throws IOException {
    try {
      client.close();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("closing the S3 client for " + settings.endpoint() + ": " + e, e);
    }
  }

  @Override
  public String toString() {
    return "S3ObjectStore("
        + settings.endpoint()
        + "/"
        + settings.bucket()
        + (rootPrefix.isEmpty() ? "" : "/" + rootPrefix)
        + ")";
  }

  /** One MinIO client call. */
  private interface S3Call<T> {
    T run() throws MinioException;
  }

  /**
   * Runs {@code c}, mapping its failures through {@link #failure}. MinIO 9 reports errors of the
   * transport (connection refused, timeouts) as an unchecked {@link IllegalStateException} wrapping
   * the {@link IOException}, server errors as a checked {@link MinioException}.
   */
  private <T> T call(String operation, String key, S3Call<T> c) throws IOException {
    try {
      return c.run();
    } catch (MinioException
        | IllegalStateException
        | UncheckedIOException
        | CompletionException e) {
      throw failure(operation, key, e);
    }
  }

  private static BucketExistsArgs bucketExists(String bucket) {
    return BucketExistsArgs.builder().bucket(bucket).build();
  }

  private Void makeBucket(String bucket) throws MinioException {
    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
    return null;
  }

  private String objectName(String key) {
    return ObjectStore.join(rootPrefix, ObjectStore.validateKey(key));
  }

  /**
   * Maps a failure to an {@link ObjectNotFoundException} (missing object) or an {@link IOException}
   * naming the operation, endpoint, bucket and key ({@code key} null: none, e.g. for bucket
   * operations).
   */
  private IOException failure(String operation, String key, Exception e) {
    if (key != null
        && e instanceof ErrorResponseException ere
        && NOT_FOUND_CODES.contains(ere.errorResponse().code())) {
      return new ObjectNotFoundException(toString(), key);
    }
    String what = operation.equals("list") ? "prefix" : "key";
    String where =
        key == null
            ? ""
            : ", " + what + " '" + (rootPrefix.isEmpty() ? "" : rootPrefix + "/") + key + "'";
    String hint =
        e instanceof ErrorResponseException ere && "NoSuchBucket".equals(ere.errorResponse().code())
            ? " (create it: S3ObjectStore.ensureBucket())"
            : "";
    return new IOException(
        "S3 "
            + operation
            + " failed at "
            + settings.endpoint()
            + ", bucket '"
            + settings.bucket()
            + "'"
            + where
            + ": "
            + describe(e)
            + hint,
        e);
  }

  /** The innermost cause's type and message, which is where the useful part usually is. */
  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (e instanceof ErrorResponseException ere) {
      return ere.errorResponse().code() + ": " + ere.errorResponse().message();
    }
    String msg = root.getMessage();
    return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}
