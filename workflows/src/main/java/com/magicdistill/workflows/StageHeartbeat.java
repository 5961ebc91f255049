package com.magicdistill.workflows;

/**
 * The heartbeat details of a running stage activity. A retry reads the last one to know where the
 * lost attempt was ({@code checkpointKey}); {@code PipelineClient} reads it for progress and ETA.
 *
 * @param step steps done in this stage (over its phases)
 * @param totalSteps steps the stage runs in all
 * @param checkpointKey the newest checkpoint written, or null
 * @param checkpointStep the step of that checkpoint
 * @param loss the last training loss
 * @param stepsPerSecond recent speed
 */
public record StageHeartbeat(
    long step,
    long totalSteps,
    String checkpointKey,
    long checkpointStep,
    double loss,
    double stepsPerSecond) {

  /** Seconds left at the recent speed, or -1 when unknown. */
  public double etaSeconds() {
    return stepsPerSecond > 0 ? (totalSteps - step) / stepsPerSecond : -1;
  }
}
