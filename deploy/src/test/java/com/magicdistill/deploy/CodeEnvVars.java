package com.magicdistill.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The MAGIC_* variable names that production code mentions as string literals. */
final class CodeEnvVars {
  private static final Pattern LITERAL = Pattern.compile("\"(MAGIC_[A-Z0-9_]+)\"");

  private CodeEnvVars() {}

  /** Every {@code "MAGIC_..."} literal in {@code <module>/src/main/java} under {@code root}. */
  static Set<String> read(Path root) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path main :
          modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(main)) {
          files
              .filter(f -> f.toString().endsWith(".java"))
              .forEach(
                  f ->
                      LITERAL.matcher(readString(f)).results().forEach(m -> names.add(m.group(1))));
        }
      }
    }
    return names;
  }

  private static String readString(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
