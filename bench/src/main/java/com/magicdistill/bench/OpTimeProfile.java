package com.magicdistill.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a training step's time goes, by libtorch operator: a step run under libtorch's profiler,
 * each operator's self time (its duration less that of the operators it called), summed by {@link
 * OpKind} and by part of the step. Operators run inside the autograd engine are the backward pass;
 * the ones before the first of them are the forward pass (with the batch and the loss), the ones
 * after the last of them the optimizer (docs/EVALUATION.md#training-efficiency).
 */
final class OpTimeProfile {
  static final String FORWARD = "forward";
  static final String BACKWARD = "backward";
  static final String OPTIMIZER = "optimizer";
  private static final String AUTOGRAD_PREFIX = "autograd::engine::evaluate_function";
  private static final int TOP_OPS = 15;

  /** One profiler event: name, start and duration in microseconds. */
  record Event(String name, double ts, double dur) {
    double end() {
      return ts + dur;
    }
  }

  /** Self time of one operator name in one part of the step. */
  record OpTime(String part, String op, OpKind kind, double selfMs, int calls) {}

  private final List<OpTime> ops;
  private final int steps;

  private OpTimeProfile(List<OpTime> ops, int steps) {
    this.ops = ops;
    this.steps = steps;
  }

  /**
   * Runs {@code step} {@code steps} times, each under the profiler, and sums the self times.
   *
   * @param step one whole training step
   */
  static OpTimeProfile record(Runnable step, int steps) throws IOException {
    Map<String, OpTime> sum = new LinkedHashMap<>();
    Path dir = Files.createTempDirectory("magic-op-profile");
    try {
      for (int s = 0; s < steps; s++) {
        Path trace = dir.resolve("step-" + s + ".json");
        JniUtils.startProfile(false, false, false);
        try {
          step.run();
        } finally {
          JniUtils.stopProfile(trace.toString());
        }
        for (OpTime t : ofEvents(read(trace))) {
          sum.merge(
              t.part() + "\u0000" + t.op(),
              t,
              (a, b) ->
                  new OpTime(
                      a.part(), a.op(), a.kind(), a.selfMs() + b.selfMs(), a.calls() + b.calls()));
        }
        Files.delete(trace);
      }
    } finally {
      Files.deleteIfExists(dir);
    }
    return new OpTimeProfile(new ArrayList<>(sum.values()), steps);
  }

  /** The events of a libtorch profiler trace (chrome trace format). */
  static List<Event> read(Path trace) throws IOException {
    List<Map<String, Object>> raw =
        new ObjectMapper()
            .readValue(trace.toFile(), new TypeReference<List<Map<String, Object>>>() {});
    List<Event> out = new ArrayList<>();
    for (Map<String, Object> e : raw) {
      if (e.get("dur") instanceof Number d && e.get("ts") instanceof Number t) {
        out.add(new Event((String) e.get("name"), t.doubleValue(), d.doubleValue()));
      }
    }
    return out;
  }

  /**
   * Self time per (part, operator) of one step's events (one thread): events nest by time, each
   * event's self time is its duration less its children's.
   */
  static List<OpTime> ofEvents(List<Event> events) {
    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(
        Comparator.comparingDouble(Event::ts)
            .thenComparing(Event::dur, (a, b) -> -1 * Double.compare(a, b)));
    double firstBackward = Double.MAX_VALUE;
    double lastBackward = -1;
    for (Event e : sorted) {
      if (e.name().startsWith(AUTOGRAD_PREFIX)) {
        firstBackward = Math.min(firstBackward, e.ts());
        lastBackward = Math.max(lastBackward, e.end());
      }
    }
    double[] self = new double[sorted.size()];
    Deque<Integer> stack = new ArrayDeque<>();
    for (int i = 0; i < sorted.size(); i++) {
      Event e = sorted.get(i);
      while (!stack.isEmpty() && sorted.get(stack.peek()).end() <= e.ts()) {
        stack.pop();
      }
      self[i] = e.dur();
      if (!stack.isEmpty()) {
        self[stack.peek()] -= e.dur();
      }
      stack.push(i);
    }
    Map<String, OpTime> byOp = new LinkedHashMap<>();
    for (int i = 0; i < sorted.size(); i++) {
      Event e = sorted.get(i);
      String part = e.ts() < firstBackward ? FORWARD : e.ts() < lastBackward ? BACKWARD : OPTIMIZER;
      OpTime t = new OpTime(part, e.name(), OpKind.of(e.name()), Math.max(0, self[i]) / 1e3, 1);
      byOp.merge(
          part + "\u0000" + e.name(),
          t,
          (a, b) -> new OpTime(a.part(), a.op(), a.kind(), a.selfMs() + b.selfMs(), a.calls() + 1));
    }
    return new ArrayList<>(byOp.values());
  }

  /**
   * Per part: total self ms per step and ms per step by kind; the operators with the most self time
   * over all parts.
   */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "method",
        "libtorch profiler over "
            + steps
            + " training steps (after the timed ones), operator self time per step; the"
            + " profiler's own overhead is in it");
    Map<String, Object> parts = new LinkedHashMap<>();
    for (String part : List.of(FORWARD, BACKWARD, OPTIMIZER)) {
      Map<String, Double> kinds = new LinkedHashMap<>();
      for (OpKind k : OpKind.values()) {
        kinds.put(k.label(), 0.0);
      }
      double total = 0;
      for (OpTime t : ops) {
        if (t.part().equals(part)) {
          kinds.merge(t.kind().label(), t.selfMs() / steps, Double::sum);
          total += t.selfMs() / steps;
        }
      }
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("ms", total);
      p.put("by_kind_ms", kinds);
      parts.put(part, p);
    }
    m.put("parts", parts);
    List<Map<String, Object>> top = new ArrayList<>();
    ops.stream()
        .sorted(Comparator.comparingDouble(OpTime::selfMs).reversed())
        .limit(TOP_OPS)
        .forEach(
            t -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("part", t.part());
              row.put("op", t.op());
              row.put("kind", t.kind().label());
              row.put("self_ms", t.selfMs() / steps);
              row.put("calls", t.calls() / steps);
              top.add(row);
            });
    m.put("top_ops", top);
    return m;
  }
}
