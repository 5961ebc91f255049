package com.magicdistill.engine.train;

import com.magicdistill.storage.LocalDirectoryStore;
import com.magicdistill.storage.ObjectStore;
import java.util.List;

/**
 * Resuming found checkpoints but none of them can be loaded (all corrupt, or their files are gone).
 * Training from step 0 over them would silently discard the run's progress, so this fails instead
 * and tells the user how to choose. An {@link IllegalArgumentException}: retrying cannot help, so
 * the pipeline does not retry it and the CLI prints it as one line.
 */
public final class NoUsableCheckpointException extends IllegalArgumentException {
  public NoUsableCheckpointException(ObjectStore store, String prefix, List<String> reasons) {
    super(message(store, prefix, reasons));
  }

  private static String message(ObjectStore store, String prefix, List<String> reasons) {
    String where = where(store, prefix);
    return "cannot resume: every checkpoint in "
        + where
        + " is corrupt or incomplete ("
        + reasons.size()
        + " tried; newest: "
        + (reasons.isEmpty() ? "?" : reasons.get(0))
        + "). Delete the folder "
        + where
        + " to train it again from step 0, or start a new run.";
  }

  private static String where(ObjectStore store, String prefix) {
    if (store instanceof LocalDirectoryStore local && !prefix.isEmpty()) {
      return local.pathOf(prefix).toString();
    }
    return "'" + prefix + "'";
  }
}
