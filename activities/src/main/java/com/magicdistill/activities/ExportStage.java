package com.magicdistill.activities;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.magicdistill.engine.distill.GeneratorExport;
import com.magicdistill.engine.export.ModelPackage;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.storage.ObjectStore;
import com.magicdistill.workflows.DistributionMatchingOutputs;
import com.magicdistill.workflows.ExportOutputs;
import com.magicdistill.workflows.FineTuneOutputs;
import com.magicdistill.workflows.StageOutputs;
import com.magicdistill.workflows.StageRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stage 4, export (docs/ALGORITHM.md#export): packages the W2S stage's EMA generator ({@link
 * GeneratorExport}) with its lineage, uploads it to {@code runs/<id>/export/<name>/} (SHA256SUMS
 * last, so a package whose sums exist is complete) and records it in {@code exported_models}.
 * Outputs: {@link ExportOutputs}.
 */
final class ExportStage implements Stage {
  private static final ObjectMapper JSON = Json.MAPPER;

  @Override
  public StageOutputs run(StageRequest request, StageContext ctx) throws IOException {
    ctx.totalSteps(1);
    String name = ctx.spec().export().name();
    Path dir = ctx.workDir().resolve("export").resolve(name);
    Map<String, Object> hyper = new LinkedHashMap<>();
    hyper.put("run_spec", JSON.convertValue(ctx.spec(), Map.class));
    GeneratorExport.export(
        ctx.store(),
        request.input(DistributionMatchingOutputs.W2S_STAGE),
        new GeneratorExport.Lineage(
            ctx.store(),
            request.input(FineTuneOutputs.TEACHER),
            ctx.runId(),
            request.input(FineTuneOutputs.DATA_MANIFEST_SHA256),
            hyper,
            Map.of()),
        dir);
    String prefix = ctx.prefix(name);
    for (String file : ModelPackage.FILES) {
      ctx.store().put(ObjectStore.join(prefix, file), dir.resolve(file));
    }
    ctx.store().put(ObjectStore.join(prefix, ModelPackage.SUMS), dir.resolve(ModelPackage.SUMS));
    String sumsSha = Sha256.of(Files.readAllBytes(dir.resolve(ModelPackage.SUMS)));
    ctx.repositories()
        .artifacts()
        .recordArtifact(
            ctx.runId(),
            "export",
            "model",
            prefix,
            sumsSha,
            Files.size(dir.resolve(ModelPackage.WEIGHTS)));
    ctx.repositories().artifacts().recordExportedModel(ctx.runId(), name, prefix, sumsSha, "{}");
    return new ExportOutputs(prefix, sumsSha).toStageOutputs();
  }
}
