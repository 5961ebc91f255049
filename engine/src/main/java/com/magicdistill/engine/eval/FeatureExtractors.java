package com.magicdistill.engine.eval;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Registry of feature extractors by name.
 *
 * <ul>
 *   <li>{@code md-feat-v1} (also {@code default}): {@link HandcraftedFeaturesV1};
 *   <li>{@code torchscript:<path>[:<inputSize>]}: {@link TorchScriptFeatureExtractor} on a
 *       frame-level TorchScript file; a trailing {@code :<digits>} is the input size (default 224);
 *   <li>anything added with {@link #register}.
 * </ul>
 */
public final class FeatureExtractors {
  public static final String TORCHSCRIPT_PREFIX = "torchscript:";
  private static final Map<String, Supplier<FeatureExtractor>> REGISTRY = new ConcurrentHashMap<>();

  static {
    register(HandcraftedFeaturesV1.ID, HandcraftedFeaturesV1::new);
    register("default", HandcraftedFeaturesV1::new);
  }

  private FeatureExtractors() {}

  /** The default extractor ({@value HandcraftedFeaturesV1#ID}). */
  public static FeatureExtractor defaultExtractor() {
    return new HandcraftedFeaturesV1();
  }

  public static void register(String name, Supplier<FeatureExtractor> factory) {
    REGISTRY.put(name, factory);
  }

  public static Set<String> names() {
    return new TreeSet<>(REGISTRY.keySet());
  }

  /**
   * The extractor called {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
   */
  public static FeatureExtractor byName(String name) {
    if (name.startsWith(TORCHSCRIPT_PREFIX)) {
      String spec = name.substring(TORCHSCRIPT_PREFIX.length());
      int size = 224;
      int colon = spec.lastIndexOf(':');
      if (colon > 0 && spec.substring(colon + 1).matches("\\d+")) {
        size = Integer.parseInt(spec.substring(colon + 1));
        spec = spec.substring(0, colon);
      }
      return TorchScriptFeatureExtractor.load(Path.of(spec), size);
    }
    Supplier<FeatureExtractor> factory = REGISTRY.get(name);
    if (factory == null) {
      throw new IllegalArgumentException(
          "unknown feature extractor '"
              + name
              + "'; known: "
              + names()
              + " or "
              + TORCHSCRIPT_PREFIX
              + "<path>[:<inputSize>]");
    }
    return factory.get();
  }
}
