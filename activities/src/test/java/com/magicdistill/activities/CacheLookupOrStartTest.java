package com.magicdistill.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.db.StageRow;
import com.magicdistill.storage.LocalDirectoryStore;
import com.magicdistill.workflows.CacheLookup;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunPlan;
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

  @Test
  void withTheCacheOffTheLookupLeavesTheStoreAlone() throws IOException {
    RunSpec first = RunSpecs.forPreset("smoke", "r-off-1");
    RunBookkeepingImpl.register(repos, first, "v-test");
    String key = books().lookupCacheOrStart(request(first)).cacheKey();
    // an entry whose objects are gone: a lookup with the cache on checks them and drops it
    String outputs =
        RunBookkeepingImpl.toJson(
            new StageOutputs(Map.of("out", "runs/r-off-1/w2s/gone"), Map.of()));
    repos.cache().putCache(key, "r-off-1", "w2s", outputs);

    RunSpec off = RunSpecs.forPreset("smoke", "r-off-2").withCache(false);
    RunBookkeepingImpl.register(repos, off, "v-test");
    CacheLookup lookup = books().lookupCacheOrStart(request(off));
    assertEquals(key, lookup.cacheKey(), "the key does not depend on the cache switch");
    assertNull(lookup.cached());
    assertEquals(StageStatus.RUNNING, w2s("r-off-2").status());
    assertTrue(repos.cache().cachedOutputs(key).isPresent(), "not checked, so not dropped");

    RunSpec on = RunSpecs.forPreset("smoke", "r-off-3");
    RunBookkeepingImpl.register(repos, on, "v-test");
    assertNull(books().lookupCacheOrStart(request(on)).cached());
    assertTrue(repos.cache().cachedOutputs(key).isEmpty(), "checked and dropped");
  }

  @Test
  void preparingTheRunStartsItsFirstStage() throws IOException {
    RunSpec spec = RunSpecs.forPreset("smoke", "r-prepare");
    RunBookkeepingImpl.register(repos, spec, "v-test");
    RunPlan plan = books().prepareRunThenLookup(spec);
    assertTrue(plan.done().isEmpty());
    StageRequest first =
        new StageRequest(spec.runId(), PipelineStage.FINE_TUNE, spec, Map.of(), null);
    assertEquals(books().cacheKey(first), plan.firstLookup().cacheKey());
    StageRow fineTune =
        repos.stages().stages("r-prepare").stream()
            .filter(r -> r.stage().equals(PipelineStage.FINE_TUNE.slug()))
            .findFirst()
            .orElseThrow();
    assertEquals(StageStatus.RUNNING, fineTune.status());
    assertEquals(plan.firstLookup().cacheKey(), fineTune.cacheKey());
  }
}
