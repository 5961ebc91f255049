package com.magicdistill.cli;

import com.magicdistill.workflows.PipelineStage;
import com.magicdistill.workflows.RunProgress;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar with ETA (progressbar's linear estimate) and a suffix (loss, lr). */
final class ConsoleProgress implements AutoCloseable {
  /** Stages whose heartbeat carries the critic's loss (the generator's is a surrogate near 0). */
  private static final Set<PipelineStage> CRITIC_LOSS =
      Set.of(PipelineStage.DMD_LORA, PipelineStage.W2S);

  private final ProgressBar bar;

  ConsoleProgress(String task, long total) {
    this(task, total, 0);
  }

  /** A bar of which {@code done} were done before it started: its speed and ETA count the rest. */
  ConsoleProgress(String task, long total, long done) {
    this.bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .startsFrom(done, Duration.ZERO)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
            .build();
  }

  void step(long current, String message) {
    bar.stepTo(current);
    bar.setExtraMessage(message.isEmpty() || message.startsWith(" ") ? message : " " + message);
  }

  /**
   * The suffix of a pipeline stage's bar: its loss (the critic's in distillation stages), the
   * newest checkpoint's step, and the run state and attempt only when they are news (not RUNNING,
   * not the first attempt). Short, so the bar keeps its width on an 80-column terminal.
   */
  static String stageSuffix(
      String stage,
      RunProgress.State state,
      double loss,
      int attempt,
      String checkpointKey,
      long ckptStep) {
    StringBuilder s = new StringBuilder();
    if (state != null && state != RunProgress.State.RUNNING) {
      s.append(' ').append(state.name().toLowerCase(Locale.ROOT));
    }
    if (Double.isFinite(loss)) {
      boolean critic = PipelineStage.bySlug(stage).filter(CRITIC_LOSS::contains).isPresent();
      s.append(String.format(Locale.ROOT, " %s %.4f", critic ? "critic loss" : "loss", loss));
    }
    if (checkpointKey != null) {
      s.append(" ckpt ").append(ckptStep);
    }
    if (attempt > 1) {
      s.append(" attempt ").append(attempt);
    }
    return s.toString();
  }

  @Override
  public void close() {
    bar.close();
  }
}
