package com.magicdistill.console.runs;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * A run to launch: a {@code preset} with optional {@code overrides} by dotted field path, or a
 * complete {@code spec}; not both.
 */
@Schema(description = "A run to launch: a preset (with overrides) or a complete spec, not both")
public record RunRequest(
    @Schema(description = "smoke or paper", example = "smoke") String preset,
    @Schema(description = "a label; default '<preset> run'") String name,
    @Schema(description = "3-63 characters of a-z, 0-9 and '-'; generated when absent")
        String runId,
    @Schema(
            description = "run spec fields by dotted path",
            example = "{\"distill.alphaWeak\": 0.25}")
        Map<String, Object> overrides,
    @Schema(description = "take stage outputs from the stage cache (default true)")
        Boolean useCache,
    @Schema(description = "a complete run spec (as GET /presets shows), instead of preset")
        Map<String, Object> spec) {}
