package com.magicdistill.workflows;

/**
 * Object keys of the evaluate stage's sample files under its samples prefix ({@link
 * EvaluateOutputs#SAMPLES}, {@code runs/<id>/evaluate/samples}): per method ({@link
 * EvaluatedMethod#key()}) {@code <method>/clip-NN.mp4} (H.264 Baseline) and {@code .gif}; {@code
 * first-NN.png}, the conditioning frame of held-out clip NN (from 00); {@code contact.png}, the
 * real clips and every method's side by side.
 */
public record SampleFiles(String prefix) {
  public static final String CONTACT_SHEET = "contact.png";

  public SampleFiles {
    if (prefix == null || prefix.isEmpty() || prefix.endsWith("/")) {
      throw new IllegalArgumentException("samples prefix must be a non-empty key: " + prefix);
    }
  }

  public String mp4(EvaluatedMethod method, int clip) {
    return key(method.key() + "/" + clipName(clip) + ".mp4");
  }

  public String gif(EvaluatedMethod method, int clip) {
    return key(method.key() + "/" + clipName(clip) + ".gif");
  }

  public String firstFrame(int clip) {
    return key(String.format(java.util.Locale.ROOT, "first-%02d.png", clip));
  }

  public String contactSheet() {
    return key(CONTACT_SHEET);
  }

  /** {@code key} relative to the prefix (where a writer puts it in a local folder). */
  public String relative(String key) {
    if (!key.startsWith(prefix + "/")) {
      throw new IllegalArgumentException(key + " is not under " + prefix);
    }
    return key.substring(prefix.length() + 1);
  }

  private String key(String relative) {
    return prefix + "/" + relative;
  }

  private static String clipName(int clip) {
    if (clip < 0) {
      throw new IllegalArgumentException("clip index must be >= 0, got " + clip);
    }
    return String.format(java.util.Locale.ROOT, "clip-%02d", clip);
  }
}
