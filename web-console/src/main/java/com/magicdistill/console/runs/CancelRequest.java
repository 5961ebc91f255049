package com.magicdistill.console.runs;

import io.swagger.v3.oas.annotations.media.Schema;

/** Why a run is cancelled (recorded with the run). */
public record CancelRequest(
    @Schema(description = "1-500 characters", requiredMode = Schema.RequiredMode.REQUIRED)
        String reason) {}
