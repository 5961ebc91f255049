package com.magicdistill.engine.train;

/**
 * What one training step did.
 *
 * @param step 0-based index of the step that just ran
 * @param loss its loss
 * @param gradNorm global gradient L2 norm before clipping
 * @param lr learning rate used
 * @param msPerStep wall time of the step in milliseconds (forward, backward, update; no
 *     checkpointing)
 */
public record StepStats(long step, float loss, float gradNorm, float lr, double msPerStep) {}
