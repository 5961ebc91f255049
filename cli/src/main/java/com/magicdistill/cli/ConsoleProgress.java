package com.magicdistill.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar with ETA (progressbar's linear estimate) and a suffix (loss, lr). */
final class ConsoleProgress implements AutoCloseable {
  private final ProgressBar bar;

  ConsoleProgress(String task, long total) {
    this.bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .showSpeed()
            .build();
  }

  void step(long current, String message) {
    bar.stepTo(current);
    bar.setExtraMessage(message);
  }

  @Override
  public void close() {
    bar.close();
  }
}
