package com.magicdistill.activities;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.db.Repositories;
import com.magicdistill.db.RunRow;
import com.magicdistill.db.StageRow;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.CacheLookup;
import com.magicdistill.workflows.InvalidRunSpecException;
import com.magicdistill.workflows.PipelineFailures;
import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunBookkeeping;
import com.magicdistill.workflows.RunPlan;
import com.magicdistill.workflows.RunSpec;
import com.magicdistill.workflows.RunStatus;
import com.magicdistill.workflows.StageOutputs;
import com.magicdistill.workflows.StageRequest;
import com.magicdistill.workflows.StageStatus;
import com.magicdistill.workflows.StageSuccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping activities: runs and stages in PostgreSQL, the stage cache, and what a run can
 * skip (its own finished stages after a re-submission, or another run's reused outputs). Cached or
 * reused outputs are honoured only after checking that their objects still exist.
 */
public final class RunBookkeepingImpl implements RunBookkeeping {
  private static final Logger LOG = LoggerFactory.getLogger(RunBookkeepingImpl.class);
  private static final ObjectMapper JSON = Json.SORTED;

  private final Repositories repositories;
  private final ObjectStore store;
  private final String codeVersion;

  public RunBookkeepingImpl(Repositories repositories, ObjectStore store, String codeVersion) {
    this.repositories = repositories;
    this.store = store;
    this.codeVersion = codeVersion;
  }

  @Override
  public RunPlan prepareRun(RunSpec spec) {
    try {
      spec.validate();
    } catch (InvalidRunSpecException e) {
      throw PipelineFailures.invalidConfig(e.getMessage());
    }
    String runId = spec.runId();
    if (repositories.runs().findRun(runId).isEmpty()) {
      register(repositories, spec, codeVersion);
    }
    repositories.runs().updateRunStatus(runId, RunStatus.RUNNING, null);
    Map<String, StageOutputs> done = new LinkedHashMap<>();
    Map<String, StageStatus> how = new LinkedHashMap<>();
    for (var row : repositories.stages().stages(runId)) {
      if (row.status().hasOutputs() && row.outputsJson() != null) {
        StageOutputs out = parse(row.outputsJson());
        if (objectsExist(out)) {
          done.put(row.stage(), out);
          how.put(row.stage(), row.status());
        }
      }
    }
    if (spec.reuse() != null) {
      reuse(spec, done, how);
    }
    if (!done.isEmpty()) {
      LOG.info("{}: skipping stages {}", runId, how);
    }
    return new RunPlan(done, how);
  }

  @Override
  public RunPlan prepareRunThenLookup(RunSpec spec) {
    RunPlan plan = prepareRun(spec);
    return plan.firstRequest(spec)
        .map(r -> plan.withFirstLookup(lookupCacheOrStart(r)))
        .orElse(plan);
  }

  /** Records a new run (QUEUED) and its five stages (PENDING); used by launchers too. */
  public static void register(Repositories repositories, RunSpec spec, String codeVersion) {
    String json = toJson(spec);
    repositories
        .runs()
        .createRun(
            new RunRow(
                spec.runId(),
                spec.name(),
                json,
                Sha256.of(json.getBytes(StandardCharsets.UTF_8)),
                spec.preset(),
                RunStatus.QUEUED,
                spec.runId(),
                codeVersion,
                spec.reuse() == null ? null : spec.reuse().runId(),
                spec.reuse() == null ? null : spec.reuse().fromStage(),
                null,
                null,
                null,
                null));
    for (PipelineStage s : PipelineStage.values()) {
      repositories.stages().upsertStage(spec.runId(), s.slug(), s.ordinal(), StageStatus.PENDING);
    }
  }

  private void reuse(RunSpec spec, Map<String, StageOutputs> done, Map<String, StageStatus> how) {
    String other = spec.reuse().runId();
    PipelineStage from = PipelineStage.bySlug(spec.reuse().fromStage()).orElseThrow();
    Map<String, StageRow> rows = new LinkedHashMap<>();
    for (var row : repositories.stages().stages(other)) {
      rows.put(row.stage(), row);
    }
    for (PipelineStage s : PipelineStage.values()) {
      if (s.ordinal() >= from.ordinal() || done.containsKey(s.slug())) {
        continue;
      }
      var row = rows.get(s.slug());
      if (row == null || !row.status().hasOutputs() || row.outputsJson() == null) {
        throw PipelineFailures.invalidConfig(
            "reuse.runId: run "
                + other
                + " has no finished "
                + s.slug()
                + " stage to reuse; rerun from an earlier stage");
      }
      StageOutputs out = parse(row.outputsJson());
      if (!objectsExist(out)) {
        throw PipelineFailures.invalidConfig(
            "reuse.runId: the "
                + s.slug()
                + " outputs of run "
                + other
                + " are no longer in the object store; rerun from an earlier stage");
      }
      done.put(s.slug(), out);
      how.put(s.slug(), StageStatus.REUSED);
      repositories
          .stages()
          .finishStage(spec.runId(), s.slug(), StageStatus.REUSED, row.outputsJson());
    }
  }

  @Override
  public CacheLookup lookupCache(StageRequest request) {
    String key = cacheKey(request);
    var cached = repositories.cache().cachedOutputs(key);
    if (cached.isEmpty()) {
      return new CacheLookup(key, null);
    }
    StageOutputs out = parse(cached.get());
    if (!objectsExist(out)) {
      LOG.warn("stage cache entry {} points at deleted objects; dropping it", key);
      repositories.cache().deleteCache(key);
      return new CacheLookup(key, null);
    }
    return new CacheLookup(key, out);
  }

  @Override
  public CacheLookup lookupCacheOrStart(StageRequest request) {
    // With the cache off a hit is never used: skip the lookup and its checks of the objects in S3.
    CacheLookup cache =
        request.spec().cacheEnabled()
            ? lookupCache(request)
            : new CacheLookup(cacheKey(request), null);
    if (cache.cached() != null && request.spec().cacheEnabled()) {
      return cache;
    }
    repositories.stages().startStage(request.runId(), request.stage().slug(), cache.cacheKey(), 0);
    return new CacheLookup(cache.cacheKey(), null);
  }

  /**
   * sha256 over the code version, the stage, the part of the resolved config the stage reads, and
   * its inputs (upstream object keys and content hashes).
   */
  String cacheKey(StageRequest request) {
    Map<String, Object> material = new TreeMap<>();
    material.put("code", codeVersion);
    material.put("stage", request.stage().slug());
    material.put("config", stageConfig(request.stage(), request.spec()));
    material.put("inputs", new TreeMap<>(request.inputs()));
    return Sha256.of(toJson(material).getBytes(StandardCharsets.UTF_8));
  }

  private static Object stageConfig(PipelineStage stage, RunSpec spec) {
    StageSettings st = StageSettings.of(spec);
    Map<String, Object> c = new TreeMap<>();
    switch (stage) {
      case FINE_TUNE -> {
        c.put("preset", spec.preset());
        c.put("model", st.preset().model());
        c.put("data", spec.data());
        c.put("baseModel", spec.baseModel());
        c.put("base", st.base());
        c.put("fineTune", st.fineTune());
        c.put("batchSize", spec.fineTune().batchSize());
      }
      case DMD_LORA -> c.put("dmd", st.dmd());
      case W2S -> c.put("w2s", st.w2s());
      case EXPORT -> c.put("export", spec.export());
      case EVALUATE -> {
        c.put("evaluate", spec.evaluate());
        c.put("preset", spec.preset());
      }
    }
    return c;
  }

  @Override
  public void stageStatus(
      String runId,
      PipelineStage stage,
      StageStatus status,
      StageOutputs outputs,
      String cacheKey) {
    var stages = repositories.stages();
    switch (status) {
      case RUNNING -> stages.startStage(runId, stage.slug(), cacheKey, 0);
      case SUCCEEDED, CACHED -> {
        String json = toJson(outputs);
        stages.finishStage(runId, stage.slug(), status, json);
        if (status == StageStatus.SUCCEEDED && cacheKey != null) {
          repositories.cache().putCache(cacheKey, runId, stage.slug(), json);
        }
      }
      case FAILED, CANCELLED -> stages.finishStage(runId, stage.slug(), status, null);
      case PENDING, REUSED -> stages.upsertStage(runId, stage.slug(), stage.ordinal(), status);
    }
  }

  @Override
  public void runStatus(String runId, RunStatus status, String error) {
    repositories.runs().updateRunStatus(runId, status, error);
  }

  @Override
  public CacheLookup stageSucceededThenLookup(StageSuccess done, StageRequest next) {
    succeeded(done);
    return lookupCacheOrStart(next);
  }

  @Override
  public void stageSucceededThenRunStatus(StageSuccess done, RunStatus status, String error) {
    succeeded(done);
    runStatus(done.runId(), status, error);
  }

  private void succeeded(StageSuccess done) {
    stageStatus(done.runId(), done.stage(), StageStatus.SUCCEEDED, done.outputs(), done.cacheKey());
  }

  /** Whether every artifact that names an object (or object prefix) under runs/ still exists. */
  private boolean objectsExist(StageOutputs out) {
    try {
      for (String v : out.artifacts().values()) {
        if (v.startsWith("runs/") && !store.exists(v) && store.list(v + "/").isEmpty()) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("checking cached objects in " + store, e);
    }
  }

  static StageOutputs parse(String json) {
    try {
      return JSON.readValue(json, StageOutputs.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored stage outputs are not valid JSON: " + json, e);
    }
  }

  static String toJson(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + o, e);
    }
  }
}
