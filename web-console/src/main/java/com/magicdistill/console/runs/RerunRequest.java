package com.magicdistill.console.runs;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** Run a run again: from a stage (reusing the outputs before it), with optional overrides. */
public record RerunRequest(
    @Schema(description = "fine-tune, dmd-lora, w2s, export or evaluate; absent = all stages again")
        String fromStage,
    @Schema(description = "the new run's id; generated when absent") String runId,
    @Schema(description = "the new run's label") String name,
    @Schema(description = "run spec fields by dotted path") Map<String, Object> overrides,
    @Schema(description = "take stage outputs from the stage cache (default: as the run did)")
        Boolean useCache) {}
