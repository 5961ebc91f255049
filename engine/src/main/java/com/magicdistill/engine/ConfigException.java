package com.magicdistill.engine;

/**
 * An invalid engine setting. The message names the config's field ({@code lr}, {@code batchSize},
 * ...), never a command-line flag: the engine does not know how the value reached it. Callers that
 * do (a command, a pipeline stage) rename the field with {@link #messageFor(String)} to the flag or
 * the run-spec path the user can change.
 */
public final class ConfigException extends IllegalArgumentException {
  private final String field;
  private final transient Object value;
  private final String rule;
  private final String hint;

  /**
   * @param field the config field, as named in the config record
   * @param rule what the value must be, e.g. {@code be > 0}
   * @param value the value given
   * @param hint a usual or example value, or null
   */
  public ConfigException(String field, String rule, Object value, String hint) {
    super(format(field, rule, value, hint));
    this.field = field;
    this.value = value;
    this.rule = rule;
    this.hint = hint;
  }

  public String field() {
    return field;
  }

  public Object value() {
    return value;
  }

  /** The message with {@code name} (a flag or a run-spec path) in place of the field. */
  public String messageFor(String name) {
    return format(name, rule, value, hint);
  }

  /** Throws {@code e} when {@code ok} is false. */
  public static void require(boolean ok, String field, String rule, Object value, String hint) {
    if (!ok) {
      throw new ConfigException(field, rule, value, hint);
    }
  }

  private static String format(String name, String rule, Object value, String hint) {
    return name + " must " + rule + " (got " + value + ")" + (hint == null ? "" : ": " + hint);
  }
}
