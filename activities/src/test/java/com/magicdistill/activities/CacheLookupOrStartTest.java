package com.magicdistill.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.magicdistill.db.StageRow;
import com.magicdistill.storage.LocalDirectoryStore;
import com.magicdistill.workflows.CacheLookup;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.StageOutputs;
import com.magicdistill.workflows.StageRequest;
import com.magicdistill.workflows.StageStatus;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one bookkeeping call a stage makes before it runs: a cache miss (or a hit with the cache off)
 * records the stage RUNNING under its cache key; a usable hit leaves it as it was.
 */
class CacheLookupOrStartTest extends EmbeddedRepositoryTest {
  private RunBookkeepingImpl books() throws IOException {
    return new RunBookkeepingImpl(repos, new LocalDirectoryStore(dir.resolve("s3")), "v-test");
  }

  private static StageRequest request(RunSpec spec) {
    return new StageRequest(spec.runId(), PipelineStage.W2S, spec, Map.of(), null);
  }

  private static StageRow w2s(String runId) {
    return repos.stages().stages(runId).stream()
        .filter(r -> r.stage().equals(PipelineStage.W2S.slug()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aMissStartsTheStageAndAHitDoesNot() throws IOException {
    RunSpec first = RunSpecs.forPreset("smoke", "r-lookup-1");
    RunBookkeepingImpl.register(repos, first, "v-test");
    CacheLookup miss = books().lookupCacheOrStart(request(first));
    assertNull(miss.cached());
    assertEquals(StageStatus.RUNNING, w2s("r-lookup-1").status());
    assertEquals(miss.cacheKey(), w2s("r-lookup-1").cacheKey());

    new LocalDirectoryStore(dir.resolve("s3")).put("runs/r-lookup-1/w2s/out", new byte[] {1});
    String outputs =
        RunBookkeepingImpl.toJson(
            new StageOutputs(Map.of("out", "runs/r-lookup-1/w2s/out"), Map.of()));
    repos.cache().putCache(miss.cacheKey(), "r-lookup-1", "w2s", outputs);

    RunSpec second = RunSpecs.forPreset("smoke", "r-lookup-2");
    RunBookkeepingImpl.register(repos, second, "v-test");
    CacheLookup hit = books().lookupCacheOrStart(request(second));
    assertEquals("runs/r-lookup-1/w2s/out", hit.cached().artifacts().get("out"));
    assertEquals(StageStatus.PENDING, w2s("r-lookup-2").status(), "a usable hit starts nothing");

    RunSpec uncached = RunSpecs.forPreset("smoke", "r-lookup-3").withCache(false);
    RunBookkeepingImpl.register(repos, uncached, "v-test");
    CacheLookup off = books().lookupCacheOrStart(request(uncached));
    assertNull(off.cached(), "the cache is off for this run");
    assertEquals(StageStatus.RUNNING, w2s("r-lookup-3").status());
  }
}
