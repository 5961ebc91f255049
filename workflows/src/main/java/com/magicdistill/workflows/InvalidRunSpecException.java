package com.magicdistill.workflows;

import java.util.List;

/** A {@link RunSpec} that cannot run; the message lists every invalid field and its fix. */
public final class InvalidRunSpecException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidRunSpecException(List<String> problems) {
    super("invalid run spec: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
