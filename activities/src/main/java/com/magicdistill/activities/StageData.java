package com.magicdistill.activities;

import com.magicdistill.engine.data.Clip;
import com.magicdistill.engine.data.DatasetItem;
import com.magicdistill.engine.data.DatasetManifest;
import com.magicdistill.engine.data.DatasetReader;
import com.magicdistill.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Datasets as the stages see them: shards + {@code manifest.json} under an object prefix, copied to
 * the worker's scratch folder to be read (and verified shard by shard) by the engine's reader.
 */
final class StageData {
  private StageData() {}

  /** Uploads a dataset folder under {@code prefix}, the manifest last. */
  static void upload(ObjectStore store, Path dir, String prefix) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        if (!f.getFileName().toString().equals(DatasetManifest.FILE_NAME)) {
          store.put(ObjectStore.join(prefix, f.getFileName().toString()), f);
        }
      }
    }
    store.put(
        ObjectStore.join(prefix, DatasetManifest.FILE_NAME),
        dir.resolve(DatasetManifest.FILE_NAME));
  }

  /** Copies the dataset under {@code prefix} into {@code dir} and opens it. */
  static DatasetReader download(ObjectStore store, String prefix, Path dir) throws IOException {
    Files.createDirectories(dir);
    String base = prefix.endsWith("/") ? prefix : prefix + "/";
    List<String> keys = store.list(base);
    if (!keys.contains(base + DatasetManifest.FILE_NAME)) {
      throw new IllegalArgumentException(
          "data.datasetPrefix: no "
              + DatasetManifest.FILE_NAME
              + " under '"
              + prefix
              + "': upload a dataset written by 'magic data synth' or 'magic data ingest' there");
    }
    for (String key : keys) {
      String name = key.substring(base.length());
      if (name.contains("/")) {
        continue;
      }
      try (InputStream in = store.openStream(key)) {
        Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return DatasetReader.open(dir);
  }

  static List<Clip> clips(List<DatasetItem> items) {
    return items.stream().map(i -> i.clip().clip()).toList();
  }
}
