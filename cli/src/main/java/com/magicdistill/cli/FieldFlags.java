package com.magicdistill.cli;

import com.magicdistill.engine.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which flag of a command sets which field of one engine config, so an engine error naming the
 * field reaches the user naming the flag. Fields no flag sets come from the preset: they are named
 * as the preset's, with {@code --preset} as the flag to change.
 *
 * @param flags config field to flag, e.g. {@code steps -> --base-steps}
 * @param preset whether the command has {@code --preset} (the fallback for other fields)
 */
record FieldFlags(Map<String, String> flags, boolean preset) {
  static final String PRESET = "--preset";

  /** Flags of a command with {@code --preset}, given as field, flag, field, flag, ... */
  static FieldFlags withPreset(String... fieldFlag) {
    return new FieldFlags(pairs(fieldFlag), true);
  }

  /** Flags of a command without {@code --preset}. */
  static FieldFlags of(String... fieldFlag) {
    return new FieldFlags(pairs(fieldFlag), false);
  }

  /** The flag that changes {@code field}: its own, else {@code --preset}, else null. */
  String flagFor(String field) {
    String flag = flags.get(field);
    return flag != null ? flag : preset ? PRESET : null;
  }

  /** Builds a config, renaming the field in its error to the flag that changes it. */
  <T> T build(Supplier<T> config) {
    try {
      return config.get();
    } catch (ConfigException e) {
      String flag = flags.get(e.field());
      String name =
          flag != null
              ? flag
              : preset
                  ? "the preset's " + e.field() + " (choose another " + PRESET + ")"
                  : e.field();
      throw new IllegalArgumentException(e.messageFor(name), e);
    }
  }

  private static Map<String, String> pairs(String... fieldFlag) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < fieldFlag.length; i += 2) {
      m.put(fieldFlag[i], fieldFlag[i + 1]);
    }
    return Map.copyOf(m);
  }
}
