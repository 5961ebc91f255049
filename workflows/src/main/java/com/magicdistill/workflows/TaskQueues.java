package com.magicdistill.workflows;

/** Task queue names. */
public final class TaskQueues {
  /** The workflow and its bookkeeping activities: every worker serves it. */
  public static final String PIPELINE = "pipeline";

  /** Stage activities by default: one worker per GPU node polls it. */
  public static final String GPU = "gpu";

  private TaskQueues() {}
}
