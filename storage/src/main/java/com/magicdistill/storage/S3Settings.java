package com.magicdistill.storage;

import java.net.URI;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where and how to reach the S3 server (MinIO in production, S3Proxy locally).
 *
 * <p>The compact constructor validates every field and throws {@link IllegalArgumentException}
 * naming the field and the environment variable that sets it. A null or blank {@code region} means
 * {@value #DEFAULT_REGION}. Sizes are in MB of 2<sup>20</sup> bytes. {@link #toString()} never
 * prints the secret key.
 *
 * @param endpoint {@code http(s)://host:port} of the S3 API ({@code MAGIC_S3_ENDPOINT})
 * @param accessKey access key id ({@code MAGIC_S3_ACCESS_KEY})
 * @param secretKey secret key ({@code MAGIC_S3_SECRET_KEY})
 * @param bucket bucket that holds every run ({@code MAGIC_S3_BUCKET})
 * @param region signing region ({@code MAGIC_S3_REGION}); MinIO and S3Proxy accept {@value
 *     #DEFAULT_REGION}
 * @param partSizeMb multipart part size, 5 to 5120 ({@code MAGIC_S3_PART_SIZE_MB})
 */
public record S3Settings(
    String endpoint,
    String accessKey,
    String secretKey,
    String bucket,
    String region,
    int partSizeMb) {

  public static final String DEFAULT_REGION = "us-east-1";
  public static final int DEFAULT_PART_SIZE_MB = 16;

  /** S3's limits on a multipart part (the last part may be smaller). */
  public static final int MIN_PART_SIZE_MB = 5;

  public static final int MAX_PART_SIZE_MB = 5120;

  public static final String ENV_ENDPOINT = "MAGIC_S3_ENDPOINT";
  public static final String ENV_ACCESS_KEY = "MAGIC_S3_ACCESS_KEY";
  public static final String ENV_SECRET_KEY = "MAGIC_S3_SECRET_KEY";
  public static final String ENV_BUCKET = "MAGIC_S3_BUCKET";
  public static final String ENV_REGION = "MAGIC_S3_REGION";
  public static final String ENV_PART_SIZE_MB = "MAGIC_S3_PART_SIZE_MB";

  // S3 bucket naming rules, minus the rarely relevant ones (no IP-address form check).
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  public S3Settings {
    endpoint = endpoint == null ? "" : endpoint.strip();
    if (endpoint.isEmpty()) {
      throw new IllegalArgumentException(
          "s3.endpoint is empty: set " + ENV_ENDPOINT + " to http://host:port");
    }
    if (!isHttpUrl(endpoint)) {
      throw new IllegalArgumentException(
          "s3.endpoint '"
              + endpoint
              + "' is not an http(s)://host[:port] URL: set "
              + ENV_ENDPOINT
              + " to http://host:port");
    }
    if (accessKey == null || accessKey.isBlank()) {
      throw new IllegalArgumentException(
          "s3.accessKey is empty: set " + ENV_ACCESS_KEY + " (the MinIO user or access key id)");
    }
    if (secretKey == null || secretKey.isEmpty()) {
      throw new IllegalArgumentException(
          "s3.secretKey is empty: set " + ENV_SECRET_KEY + " (the secret for the access key)");
    }
    if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw new IllegalArgumentException(
          "s3.bucket '"
              + bucket
              + "' is not a valid bucket name (3-63 characters: lower-case letters, digits, '-'"
              + " and '.', starting and ending with a letter or digit): set "
              + ENV_BUCKET
              + ", e.g. magicdistill");
    }
    region = region == null || region.isBlank() ? DEFAULT_REGION : region.strip();
    if (partSizeMb < MIN_PART_SIZE_MB || partSizeMb > MAX_PART_SIZE_MB) {
      throw new IllegalArgumentException(
          "s3.partSizeMb is "
              + partSizeMb
              + ": S3 multipart parts must be "
              + MIN_PART_SIZE_MB
              + " to "
              + MAX_PART_SIZE_MB
              + " MB; set "
              + ENV_PART_SIZE_MB
              + " to e.g. "
              + DEFAULT_PART_SIZE_MB);
    }
  }

  /** Settings with the default region and part size. */
  public S3Settings(String endpoint, String accessKey, String secretKey, String bucket) {
    this(endpoint, accessKey, secretKey, bucket, DEFAULT_REGION, DEFAULT_PART_SIZE_MB);
  }

  /**
   * Reads {@code MAGIC_S3_ENDPOINT}, {@code MAGIC_S3_ACCESS_KEY}, {@code MAGIC_S3_SECRET_KEY},
   * {@code MAGIC_S3_BUCKET}, {@code MAGIC_S3_REGION} and {@code MAGIC_S3_PART_SIZE_MB} from {@code
   * env}; a variable that is absent or blank takes its value from {@code defaults} (which may be
   * null: then the field is missing and validation says which variable to set).
   */
  public static S3Settings fromEnv(Map<String, String> env, S3Settings defaults) {
    String partSize = value(env, ENV_PART_SIZE_MB, null);
    int partSizeMb;
    if (partSize == null) {
      partSizeMb = defaults == null ? DEFAULT_PART_SIZE_MB : defaults.partSizeMb();
    } else {
      try {
        partSizeMb = Integer.parseInt(partSize);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "s3.partSizeMb: " + ENV_PART_SIZE_MB + "='" + partSize + "' is not a whole number");
      }
    }
    return new S3Settings(
        value(env, ENV_ENDPOINT, defaults == null ? null : defaults.endpoint()),
        value(env, ENV_ACCESS_KEY, defaults == null ? null : defaults.accessKey()),
        value(env, ENV_SECRET_KEY, defaults == null ? null : defaults.secretKey()),
        value(env, ENV_BUCKET, defaults == null ? null : defaults.bucket()),
        value(env, ENV_REGION, defaults == null ? null : defaults.region()),
        partSizeMb);
  }

  /** The part size in bytes. */
  public long partSizeBytes() {
    return (long) partSizeMb << 20;
  }

  /** Everything but the secret key. */
  @Override
  public String toString() {
    return "S3Settings[endpoint="
        + endpoint
        + ", accessKey="
        + accessKey
        + ", secretKey=****, bucket="
        + bucket
        + ", region="
        + region
        + ", partSizeMb="
        + partSizeMb
        + "]";
  }

  private static String value(Map<String, String> env, String name, String fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : v.strip();
  }

  private static boolean isHttpUrl(String s) {
    try {
      URI uri = new URI(s);
      String scheme = uri.getScheme();
      return ("http".equals(scheme) || "https".equals(scheme))
          && uri.getHost() != null
          && (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))
          && uri.getQuery() == null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
