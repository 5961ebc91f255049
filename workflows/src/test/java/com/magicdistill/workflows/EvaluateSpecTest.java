package com.magicdistill.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evaluate stage's spec: defaults for stored specs without the newer fields, validation. */
class EvaluateSpecTest {
  @Test
  void aStoredSpecWithoutSampleOrBootstrapFieldsTakesTheDefaults() throws Exception {
    RunSpec.EvaluateSpec e =
        new ObjectMapper().readValue("{\"heldOutClips\": 6}", RunSpec.EvaluateSpec.class);
    assertEquals(new RunSpec.EvaluateSpec(6, 4, 1000), e);
  }

  @Test
  void sampleClipsAboveTheHeldOutClipsAndTooFewDrawsAreNamed() {
    RunSpec spec = withEvaluate(new RunSpec.EvaluateSpec(4, 5, 1));
    List<String> problems = spec.problems();
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith("evaluate.sampleClips is invalid (got 5)")),
        problems.toString());
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith("evaluate.bootstrapResamples is invalid")),
        problems.toString());
    assertEquals(List.of(), withEvaluate(new RunSpec.EvaluateSpec(4, 0, 100)).problems());
  }

  private static RunSpec withEvaluate(RunSpec.EvaluateSpec e) {
    RunSpec s = DistillationPipelineTest.spec("r-eval-spec");
    return new RunSpec(
        s.runId(),
        s.name(),
        s.preset(),
        s.data(),
        s.baseModel(),
        s.fineTune(),
        s.distill(),
        s.export(),
        e,
        s.checkpoints(),
        s.taskQueues(),
        s.defaultQueue(),
        s.heartbeatSeconds(),
        s.reuse(),
        s.useCache(),
        s.retries());
  }
}
