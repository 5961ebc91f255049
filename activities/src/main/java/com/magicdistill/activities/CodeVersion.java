package com.magicdistill.activities;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The code version of this build, for stage cache keys: the project version and build time of this
 * jar, so any rebuild invalidates cached stages (conservative: a cache hit must mean the same
 * code). A worker's {@code MAGIC_CODE_VERSION} replaces it (the platform's worker settings).
 */
public final class CodeVersion {
  private CodeVersion() {}

  /** {@code <project version>+<build time>}, or {@code dev} outside a packaged build. */
  public static String ofBuild() {
    try (InputStream in = CodeVersion.class.getResourceAsStream("/magicdistill-build.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "dev") + "+" + p.getProperty("built", "unknown");
    } catch (IOException e) {
      return "dev";
    }
  }
}
