package com.magicdistill.db;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link StageCacheRepository} (the stage cache) against a real PostgreSQL. */
class StageCacheRepositoryTest extends RepositoryTestBase {

  @Test
  void cachePutGetReplaceDelete() throws Exception {
    repos.runs().createRun(run("r-cache", null));
    repos.runs().createRun(run("r-cache-2", null));
    assertTrue(repos.cache().cachedOutputs("ck-1").isEmpty());
    repos.cache().putCache("ck-1", "r-cache", "fine-tune", "{\"teacher\":\"runs/r-cache/t.st\"}");
    assertSameJson(
        "{\"teacher\":\"runs/r-cache/t.st\"}", repos.cache().cachedOutputs("ck-1").orElseThrow());
    repos
        .cache()
        .putCache("ck-1", "r-cache-2", "fine-tune", "{\"teacher\":\"runs/r-cache-2/t.st\"}");
    assertSameJson(
        "{\"teacher\":\"runs/r-cache-2/t.st\"}", repos.cache().cachedOutputs("ck-1").orElseThrow());
    repos.cache().deleteCache("ck-1");
    assertTrue(repos.cache().cachedOutputs("ck-1").isEmpty());
    repos.cache().deleteCache("ck-1");
  }
}
