package com.magicdistill.engine.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.magicdistill.engine.io.Directories;
import com.magicdistill.engine.io.Json;
import com.magicdistill.engine.io.Sha256;
import com.magicdistill.engine.model.DitConfig;
import com.magicdistill.engine.model.Prediction;
import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The self-contained model package of a distilled generator (docs/ALGORITHM.md#export), a folder
 * of:
 *
 * <ul>
 *   <li>{@code weights.safetensors}: every parameter of the {@link VideoDiT}, float32, under its
 *       PyTorch state-dict name ({@link VideoDiT#stateDict()}, for example {@code
 *       blocks.0.attn.qkv.weight}); packages of format {@code /1} used DJL parameter paths ({@code
 *       01patch_embed_weight}) and still load;
 *   <li>{@code config.json}: the {@link DitConfig} (architecture);
 *   <li>{@code schedule.json}: sampler, steps, shift, the sigma list, guidance 1.0;
 *   <li>{@code model-card.json} + {@code model-card.md}: lineage, hyperparameters, metrics;
 *   <li>{@code SHA256SUMS}: sha256 of every other file, in {@code sha256sum -c} format.
 * </ul>
 *
 * The format is documented in {@code docs/MODEL_PACKAGE.md}. {@link #write} builds the package in a
 * hidden sibling folder and renames it into place, so a package folder that exists is always
 * complete. {@link #load} verifies every sha256 before it reads anything and depends on no training
 * code: the package alone is enough to sample.
 */
public final class ModelPackage {
  public static final String FORMAT = "magicdistill-model-package/2";

  /** The first format: the same files, tensors named by DJL parameter path. Still readable. */
  public static final String FORMAT_DJL_NAMES = "magicdistill-model-package/1";

  /**
   * {@link #FORMAT} plus {@code config.json}'s {@code prediction} and {@code patchSkip}: written
   * only for a model whose last linear predicts x0 ({@link Prediction#X0}) or that has a patch
   * skip, which a reader of {@code /2} would run wrongly or refuse; other packages stay {@code /2},
   * byte for byte, so older builds still read them.
   */
  public static final String FORMAT_PREDICTION = "magicdistill-model-package/3";

  public static final String WEIGHTS = "weights.safetensors";
  public static final String CONFIG = "config.json";
  public static final String SCHEDULE = "schedule.json";
  public static final String CARD_JSON = "model-card.json";
  public static final String CARD_MD = "model-card.md";
  public static final String SUMS = "SHA256SUMS";

  /** The files {@link #SUMS} must list, in the order they are written. */
  public static final List<String> FILES = List.of(WEIGHTS, CONFIG, SCHEDULE, CARD_JSON, CARD_MD);

  /** Map keys sorted, also in the card's tree: equal content gives equal bytes. */
  private static final ObjectMapper JSON = Json.SORTED;

  /** One line of {@code sha256sum} output: hash, space, space or '*', file name. */
  private static final Pattern SUM_LINE = Pattern.compile("^([0-9a-fA-F]{64}) [ *](.+)$");

  private ModelPackage() {}

  /**
   * Writes the package of {@code generator} (its current weights: copy the EMA weights into it
   * first) into the new folder {@code dir}, atomically.
   *
   * @return the sha256 of each file, as written to {@code SHA256SUMS}
   * @throws FileAlreadyExistsException if {@code dir} exists and is not empty (packages are
   *     immutable)
   */
  public static Map<String, String> write(
      Path dir, VideoDiT generator, SigmaSchedule schedule, SamplerKind sampler, ModelCard card)
      throws IOException {
    if (generator.loraScale().get() != 1f) {
      throw new IllegalArgumentException(
          "generator LoRA scale is "
              + generator.loraScale().get()
              + "; a package always runs its adapters at scale 1: set loraScale() to 1 before"
              + " exporting (or merge the adapter)");
    }
    Path target = dir.toAbsolutePath().normalize();
    if (target.getParent() == null) {
      throw new IllegalArgumentException("model package folder must not be the root: " + dir);
    }
    requireAbsentOrEmpty(target);
    Files.createDirectories(target.getParent());
    Path tmp =
        Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
    try {
      Map<String, String> sums = new LinkedHashMap<>();
      put(tmp, WEIGHTS, encodeWeights(generator), sums);
      String configJson = Json.PRETTY_SORTED.writeValueAsString(configTree(generator.config()));
      put(tmp, CONFIG, utf8(configJson + "\n"), sums);
      ScheduleFile sf = ScheduleFile.of(schedule, sampler);
      put(tmp, SCHEDULE, utf8(Json.PRETTY_SORTED.writeValueAsString(sf) + "\n"), sums);
      ObjectNode cardTree = JSON.createObjectNode().put("format", format(generator.config()));
      cardTree.setAll((ObjectNode) JSON.valueToTree(card));
      put(tmp, CARD_JSON, utf8(Json.PRETTY_SORTED.writeValueAsString(cardTree) + "\n"), sums);
      String scheduleLine =
          String.format(
              Locale.ROOT,
              "sampler %s, %d steps (%d model calls per clip), shift %s, guidance 1.0, sigmas %s",
              sampler.id(),
              schedule.steps(),
              schedule.steps(),
              schedule.shift(),
              sf.sigmas());
      put(tmp, CARD_MD, utf8(card.markdown(configJson, scheduleLine, sums)), sums);
      put(tmp, SUMS, utf8(sumsText(sums)), new LinkedHashMap<>());
      readableByAll(tmp); // temp folders are created 0700; a package is meant to be shared
      requireAbsentOrEmpty(target);
      if (Files.isDirectory(target)) {
        Files.delete(target); // empty: rename(2) would replace it, but be explicit
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return sums;
    } catch (DirectoryNotEmptyException e) {
      throw new FileAlreadyExistsException(
          target.toString(), null, "another writer created it first; " + e.getMessage());
    } finally {
      Directories.deleteRecursively(tmp);
    }
  }

  /**
   * Verifies {@code SHA256SUMS} of the package in {@code dir}: every listed file exists and has the
   * listed sha256, and every package file is listed.
   *
   * @return file name to sha256, as verified
   * @throws PackageIntegrityException naming the first file that is missing or does not match
   */
  public static Map<String, String> verify(Path dir) throws IOException {
    Map<String, String> sums = readSums(dir);
    for (Map.Entry<String, String> e : sums.entrySet()) {
      verified(dir, e.getKey(), e.getValue());
    }
    return sums;
  }

  /**
   * Loads the package in {@code dir}: verifies every sha256 first, then builds the {@link VideoDiT}
   * from {@code config.json} in {@code manager} and loads {@code weights.safetensors} by parameter
   * path, checking names, shapes and data types. The model's parameters are frozen (inference);
   * call {@code freezeParameters(false)} to fine-tune it.
   *
   * @throws PackageIntegrityException naming the file (and parameter) at fault
   */
  public static LoadedModel load(Path dir, NDManager manager) throws IOException {
    Map<String, String> sums = readSums(dir);
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : sums.entrySet()) {
      byte[] bytes = verified(dir, e.getKey(), e.getValue());
      if (FILES.contains(e.getKey())) {
        files.put(e.getKey(), bytes); // parse exactly the bytes that were verified
      }
    }
    DitConfig config = parse(files.get(CONFIG), CONFIG, DitConfig.class);
    ScheduleFile scheduleFile = parse(files.get(SCHEDULE), SCHEDULE, ScheduleFile.class);
    SigmaSchedule schedule = schedule(scheduleFile);
    ObjectNode cardTree = cardTree(files.get(CARD_JSON));
    boolean djlNames = FORMAT_DJL_NAMES.equals(cardTree.path("format").asText());
    ModelCard card = card(cardTree);
    VideoDiT model = new VideoDiT(config);
    model.initialize(manager);
    model.freezeParameters(true);
    loadWeights(model, djlNames ? djlPaths(model) : parameters(model), files.get(WEIGHTS), manager);
    return new LoadedModel(model, schedule, SamplerKind.byId(scheduleFile.sampler()), card);
  }

  // ---------------------------------------------------------------- writing

  private static byte[] encodeWeights(VideoDiT generator) {
    Map<String, Parameter> params = parameters(generator);
    NDManager owner = null;
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      if (!e.getValue().isInitialized()) {
        throw new IllegalArgumentException(
            "generator parameter '" + e.getKey() + "' is not initialised; initialise the model");
      }
      owner = e.getValue().getArray().getManager();
    }
    try (NDManager tmp = owner.newSubManager()) {
      NDList list = new NDList();
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        // A copy, so the model's own arrays keep their names.
        NDArray copy = e.getValue().getArray().duplicate();
        copy.attach(tmp);
        copy.setName(e.getKey());
        list.add(copy);
      }
      return list.encode(NDList.Encoding.SAFETENSORS);
    }
  }

  /** {@link #FORMAT_PREDICTION} for an x0 model or one with a patch skip, else {@link #FORMAT}. */
  static String format(DitConfig config) {
    return isFormat2(config) ? FORMAT : FORMAT_PREDICTION;
  }

  private static boolean isFormat2(DitConfig config) {
    return config.prediction() == Prediction.VELOCITY && !config.patchSkip();
  }

  /**
   * The config as JSON with {@code loraTargets} sorted, so equal configs give equal bytes; {@code
   * prediction} only when it is not velocity and {@code patchSkip} only when true (a {@code /2}
   * package has neither).
   */
  private static JsonNode configTree(DitConfig config) {
    ObjectNode tree = JSON.valueToTree(config);
    if (config.prediction() == Prediction.VELOCITY) {
      tree.remove("prediction");
    }
    if (!config.patchSkip()) {
      tree.remove("patchSkip");
    }
    ArrayNode targets = JSON.createArrayNode();
    config.loraTargets().stream().sorted().forEach(targets::add);
    tree.set("loraTargets", targets);
    return tree;
  }

  private static String sumsText(Map<String, String> sums) {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(sums).forEach((f, h) -> b.append(h).append("  ").append(f).append('\n'));
    return b.toString();
  }

  private static void put(Path dir, String name, byte[] bytes, Map<String, String> sums)
      throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            dir.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    sums.put(name, Sha256.of(bytes));
  }

  private static void readableByAll(Path dir) throws IOException {
    if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static void requireAbsentOrEmpty(Path target) throws IOException {
    if (Files.exists(target)) {
      boolean empty;
      if (!Files.isDirectory(target)) {
        empty = false;
      } else {
        try (Stream<Path> s = Files.list(target)) {
          empty = s.findAny().isEmpty();
        }
      }
      if (!empty) {
        throw new FileAlreadyExistsException(
            target.toString(),
            null,
            "model package folder already exists; packages are immutable: choose a new folder or"
                + " delete this one");
      }
    }
  }

  // ---------------------------------------------------------------- reading

  private static Map<String, String> readSums(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new PackageIntegrityException(
          SUMS,
          "model package "
              + dir
              + " is not a folder; pass the folder written by ModelPackage.write (it holds "
              + SUMS
              + ")");
    }
    Path sumsFile = dir.resolve(SUMS);
    if (!Files.isRegularFile(sumsFile)) {
      throw new PackageIntegrityException(
          SUMS,
          "model package "
              + dir
              + ": "
              + SUMS
              + " is missing, so nothing in it can be trusted; copy the whole package folder"
              + " again or re-export it");
    }
    Map<String, String> sums = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(sumsFile, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      Matcher m = SUM_LINE.matcher(line);
      String name = m.matches() ? m.group(2) : null;
      if (name == null
          || name.contains("/")
          || name.contains("\\")
          || name.equals(".")
          || name.equals("..")
          || name.equals(SUMS)) {
        throw new PackageIntegrityException(
            SUMS,
            "model package "
                + dir
                + ": "
                + SUMS
                + " line "
                + (i + 1)
                + " is not '<sha256>  <file name in this folder>': '"
                + line
                + "'; re-export the package");
      }
      sums.put(name, m.group(1).toLowerCase(Locale.ROOT));
    }
    for (String required : FILES) {
      if (!sums.containsKey(required)) {
        throw new PackageIntegrityException(
            required,
            "model package "
                + dir
                + ": "
                + SUMS
                + " does not list "
                + required
                + ", so it cannot be verified; re-export the package with ModelPackage.write");
      }
    }
    return sums;
  }

  private static byte[] verified(Path dir, String name, String expected) throws IOException {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new PackageIntegrityException(
          name,
          "model package "
              + dir
              + ": "
              + name
              + " is missing (listed in "
              + SUMS
              + "); the package is incomplete: copy the whole folder again or re-export it");
    }
    byte[] bytes = Files.readAllBytes(file);
    String actual = Sha256.of(bytes);
    if (!actual.equals(expected)) {
      throw new PackageIntegrityException(
          name,
          "model package "
              + dir
              + ": sha256 of "
              + name
              + " is "
              + actual
              + " but "
              + SUMS
              + " says "
              + expected
              + "; the file is corrupt or was modified: copy the package again from its source or"
              + " re-export it");
    }
    return bytes;
  }

  private static <T> T parse(byte[] bytes, String file, Class<T> type)
      throws PackageIntegrityException {
    try {
      return JSON.readValue(bytes, type);
    } catch (IOException | IllegalArgumentException e) {
      throw new PackageIntegrityException(
          file,
          file
              + " does not describe a valid "
              + type.getSimpleName()
              + ": "
              + e.getMessage()
              + " (see docs/MODEL_PACKAGE.md)");
    }
  }

  /** The card's JSON, its {@code format} one this build reads. */
  private static ObjectNode cardTree(byte[] bytes) throws PackageIntegrityException {
    JsonNode tree;
    try {
      tree = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new PackageIntegrityException(
          CARD_JSON, CARD_JSON + " is not valid JSON: " + e.getMessage());
    }
    String format = tree.path("format").asText();
    if (!(tree instanceof ObjectNode obj)
        || !(FORMAT.equals(format)
            || FORMAT_DJL_NAMES.equals(format)
            || FORMAT_PREDICTION.equals(format))) {
      throw new PackageIntegrityException(
          CARD_JSON,
          CARD_JSON
              + " has format '"
              + format
              + "', this build reads '"
              + FORMAT_PREDICTION
              + "', '"
              + FORMAT
              + "' and '"
              + FORMAT_DJL_NAMES
              + "': use a matching MagicDistill version");
    }
    return obj;
  }

  private static ModelCard card(ObjectNode tree) throws PackageIntegrityException {
    ObjectNode obj = tree.deepCopy();
    obj.remove("format");
    try {
      return JSON.treeToValue(obj, ModelCard.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new PackageIntegrityException(
          CARD_JSON, CARD_JSON + " is not a valid model card: " + e.getMessage());
    }
  }

  private static SigmaSchedule schedule(ScheduleFile f) throws PackageIntegrityException {
    if (!List.of("euler", "renoise").contains(f.sampler())
        || !ScheduleFile.VELOCITY.equals(f.prediction())
        || f.guidance() != 1.0) {
      throw new PackageIntegrityException(
          SCHEDULE,
          SCHEDULE
              + " asks for sampler '"
              + f.sampler()
              + "', prediction '"
              + f.prediction()
              + "', guidance "
              + f.guidance()
              + "; this build samples euler or renoise over velocity with guidance 1.0");
    }
    SigmaSchedule schedule;
    try {
      schedule = new SigmaSchedule(f.steps(), f.shift());
    } catch (IllegalArgumentException e) {
      throw new PackageIntegrityException(SCHEDULE, SCHEDULE + ": " + e.getMessage());
    }
    double[] expected = schedule.sigmas();
    List<Double> stored = f.sigmas();
    boolean same = stored != null && stored.size() == expected.length;
    for (int i = 0; same && i < expected.length; i++) {
      same = Math.abs(stored.get(i) - expected[i]) <= 1e-9;
    }
    if (!same) {
      throw new PackageIntegrityException(
          SCHEDULE,
          SCHEDULE
              + ": sigmas "
              + stored
              + " are not the uniform schedule of "
              + f.steps()
              + " steps shifted by "
              + f.shift()
              + "; fix steps/shift or the list");
    }
    return schedule;
  }

  private static void loadWeights(
      VideoDiT model, Map<String, Parameter> params, byte[] bytes, NDManager manager)
      throws PackageIntegrityException {
    try (NDManager tmp = manager.newSubManager()) {
      NDList list;
      try {
        list = NDList.decode(tmp, bytes);
      } catch (RuntimeException e) {
        throw new PackageIntegrityException(
            WEIGHTS, WEIGHTS + " is not a readable safetensors file: " + e.getMessage());
      }
      Map<String, NDArray> byName = new LinkedHashMap<>();
      for (NDArray a : list) {
        byName.put(a.getName(), a);
      }
      List<String> unknown = new ArrayList<>();
      for (String name : byName.keySet()) {
        if (!params.containsKey(name)) {
          unknown.add(name);
        }
      }
      if (!unknown.isEmpty()) {
        throw new PackageIntegrityException(
            WEIGHTS,
            WEIGHTS
                + " has tensor(s) "
                + unknown
                + " that the model of "
                + CONFIG
                + " has no parameter for; config.json and the weights do not belong together:"
                + " re-export the package");
      }
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        NDArray source = byName.get(e.getKey());
        NDArray target = e.getValue().getArray();
        if (source == null) {
          throw new PackageIntegrityException(
              WEIGHTS,
              WEIGHTS
                  + " has no tensor for parameter '"
                  + e.getKey()
                  + "' that the model of "
                  + CONFIG
                  + " needs; re-export the package");
        }
        if (!source.getShape().equals(target.getShape())) {
          throw new PackageIntegrityException(
              WEIGHTS,
              WEIGHTS
                  + ": parameter '"
                  + e.getKey()
                  + "' has shape "
                  + source.getShape()
                  + " but "
                  + CONFIG
                  + " needs "
                  + target.getShape()
                  + "; config.json and the weights do not belong together: re-export the"
                  + " package");
        }
        if (source.getDataType() != DataType.FLOAT32) {
          throw new PackageIntegrityException(
              WEIGHTS,
              WEIGHTS
                  + ": parameter '"
                  + e.getKey()
                  + "' is "
                  + source.getDataType()
                  + "; packages store float32 (convert it before packaging)");
        }
        // Not set(Buffer): that libtorch call is deprecated and warns on stderr.
        target.set(new NDIndex("..."), source);
      }
    }
  }

  /** Parameters of {@code model} by PyTorch state-dict name (the names of the tensors). */
  static Map<String, Parameter> parameters(VideoDiT model) {
    return model.stateDict();
  }

  /** Parameters of {@code model} by DJL path, the tensor names of format {@code /1}. */
  static Map<String, Parameter> djlPaths(VideoDiT model) {
    Map<String, Parameter> out = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : model.getParameters()) {
      if (out.put(p.getKey(), p.getValue()) != null) {
        throw new IllegalStateException("duplicate parameter path " + p.getKey());
      }
    }
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
