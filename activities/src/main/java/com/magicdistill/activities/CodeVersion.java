package com.magicdistill.activities;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The code version that goes into stage cache keys: {@code MAGIC_CODE_VERSION} if set (a release
 * tag or commit in production), else the project version and build time of this jar, so any rebuild
 * invalidates cached stages (conservative: a cache hit must mean the same code).
 */
public final class CodeVersion {
  private CodeVersion() {}

  public static String current() {
    String env = System.getenv("MAGIC_CODE_VERSION");
    if (env != null && !env.isBlank()) {
      return env;
    }
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
