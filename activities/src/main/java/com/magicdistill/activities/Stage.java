package com.magicdistill.activities;

import com.magicdistill.workflows.StageOutputs;
import com.magicdistill.workflows.StageRequest;
import java.io.IOException;

/**
 * One pipeline stage's work: calls the engine, writes through {@code ctx.store()}, and returns the
 * object keys it produced. Resumes from its own newest valid checkpoint when one exists. Returns
 * null when it stopped early on {@link StageContext#shouldStop()} (after a checkpoint, unless one
 * would not fit the drain deadline).
 */
interface Stage {
  StageOutputs run(StageRequest request, StageContext ctx) throws IOException;
}
