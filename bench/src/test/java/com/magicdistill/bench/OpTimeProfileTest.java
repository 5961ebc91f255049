package com.magicdistill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Self times and parts of a hand-made profiler trace: forward, backward, optimizer. */
class OpTimeProfileTest {
  private static OpTimeProfile.Event e(String name, double ts, double dur) {
    return new OpTimeProfile.Event(name, ts, dur);
  }

  @Test
  void selfTimeIsDurationLessChildrenAndPartsFollowTheAutogradEngine() {
    List<OpTimeProfile.Event> events =
        List.of(
            // listed out of order, as the trace lists them (children before parents)
            e("aten::addmm", 10, 80),
            e("aten::linear", 0, 100),
            e("aten::_softmax", 112, 18),
            e("aten::softmax", 110, 20),
            e("autograd::engine::evaluate_function: MmBackward0", 200, 100),
            e("MmBackward0", 201, 98),
            e("aten::mm", 210, 40),
            e("aten::mm", 250, 40),
            e("autograd::engine::evaluate_function: SoftmaxBackward0", 300, 50),
            e("aten::_softmax_backward_data", 305, 40),
            e("aten::add_", 400, 10));
    Map<String, OpTimeProfile.OpTime> byKey =
        OpTimeProfile.ofEvents(events).stream()
            .collect(Collectors.toMap(t -> t.part() + " " + t.op(), t -> t));
    assertEquals(0.020, byKey.get("forward aten::linear").selfMs(), 1e-9);
    assertEquals(0.080, byKey.get("forward aten::addmm").selfMs(), 1e-9);
    assertEquals(OpKind.GEMM, byKey.get("forward aten::addmm").kind());
    assertEquals(0.002, byKey.get("forward aten::softmax").selfMs(), 1e-9);
    assertEquals(0.018, byKey.get("forward aten::_softmax").selfMs(), 1e-9);
    assertEquals(0.080, byKey.get("backward aten::mm").selfMs(), 1e-9);
    assertEquals(2, byKey.get("backward aten::mm").calls());
    assertEquals(0.018, byKey.get("backward MmBackward0").selfMs(), 1e-9);
    assertEquals(OpKind.FRAMEWORK, byKey.get("backward MmBackward0").kind());
    assertEquals(
        0.002,
        byKey.get("backward autograd::engine::evaluate_function: MmBackward0").selfMs(),
        1e-9);
    assertEquals(OpKind.SOFTMAX, byKey.get("backward aten::_softmax_backward_data").kind());
    assertEquals(0.010, byKey.get("optimizer aten::add_").selfMs(), 1e-9);
    assertEquals(OpKind.ELEMENTWISE, byKey.get("optimizer aten::add_").kind());
    assertEquals(11, events.size());
    assertEquals(10, byKey.size()); // the two backward aten::mm are one row
  }

  @Test
  void kindsOfCommonOperators() {
    assertEquals(OpKind.LAYER_NORM, OpKind.of("aten::native_layer_norm_backward"));
    assertEquals(OpKind.ACTIVATION, OpKind.of("aten::gelu_backward"));
    assertEquals(OpKind.COPY, OpKind.of("aten::copy_"));
    assertEquals(OpKind.REDUCTION, OpKind.of("aten::sum"));
    assertEquals(OpKind.ALLOCATION, OpKind.of("aten::fill_"));
    assertEquals(OpKind.FRAMEWORK, OpKind.of("aten::as_strided"));
  }
}
