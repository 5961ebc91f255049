package com.magicdistill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.magicdistill.activities.RunSpecFields;
import com.magicdistill.engine.ConfigException;
import com.magicdistill.engine.DistillPreset;
import com.magicdistill.engine.EnginePreset;
import com.magicdistill.engine.distill.DistillConfig;
import com.magicdistill.engine.distill.lcm.LcmConfig;
import com.magicdistill.engine.sample.SigmaSchedule;
import com.magicdistill.engine.train.TeacherTraining;
import com.magicdistill.engine.train.TimestepSampling;
import com.magicdistill.engine.train.TrainConfig;
import com.magicdistill.workflows.RunSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Walks every engine config error: each config is built with one bad value per field, and the field
 * its error names must be one the caller can map: to a run-spec path that exists (pipeline) and to
 * a flag that exists on the command that builds the config (CLI).
 */
class ConfigErrorNamesTest {

  /** One way a caller builds a config: the command and its field-to-flag mapping. */
  private record CliUse(String command, FieldFlags flags) {}

  /** A config, a valid instance, its pipeline mappings and its CLI uses. */
  private record Case(Record valid, List<RunSpecFields> pipeline, List<CliUse> cli) {}

  private static List<Case> cases() {
    EnginePreset smoke = EnginePreset.smoke();
    DistillPreset distill = DistillPreset.smoke();
    RunSpecFields presetOnly = new RunSpecFields(Map.of());
    return List.of(
        new Case(
            smoke.finetune(),
            List.of(RunSpecFields.BASE, RunSpecFields.FINE_TUNE),
            List.of(
                new CliUse("train teacher", TrainCommand.Teacher.BASE),
                new CliUse("train teacher", TrainCommand.Teacher.FINE_TUNE))),
        new Case(
            TeacherTraining.of(smoke),
            List.of(RunSpecFields.TEACHER_TRAINING),
            List.of(new CliUse("train teacher", TrainCommand.Teacher.TRAINING))),
        new Case(
            TimestepSampling.DEFAULT,
            List.of(RunSpecFields.TEACHER_TRAINING),
            List.of(new CliUse("train teacher", TrainCommand.Teacher.SAMPLING))),
        new Case(
            distill.stages().w2s(),
            List.of(RunSpecFields.DMD_LORA, RunSpecFields.W2S),
            List.of(
                new CliUse("distill w2s", DistillCommand.W2s.DMD_LORA),
                new CliUse("distill w2s", DistillCommand.W2s.W2S))),
        new Case(
            distill.lcm(), List.of(), List.of(new CliUse("distill lcm", DistillCommand.Lcm.LCM))),
        new Case(
            new SigmaSchedule(28, 3.0),
            List.of(),
            List.of(
                new CliUse("eval", EvalCommand.SCHEDULE),
                new CliUse("sample", SampleCommand.SCHEDULE))),
        new Case(
            smoke,
            List.of(presetOnly),
            List.of(new CliUse("train teacher", FieldFlags.withPreset()))),
        new Case(
            distill,
            List.of(presetOnly),
            List.of(new CliUse("distill w2s", FieldFlags.withPreset()))));
  }

  @Test
  void everyEngineConfigErrorNamesAFieldThatMapsToARunSpecPathAndAFlag() throws Exception {
    CommandLine cli = new CommandLine(new MagicCli());
    int errors = 0;
    for (Case c : cases()) {
      Map<String, ConfigException> rejected = rejectedFields(c.valid());
      assertFalse(rejected.isEmpty(), c.valid().getClass().getSimpleName() + " rejects nothing");
      for (var e : rejected.entrySet()) {
        String component = e.getKey();
        ConfigException error = e.getValue();
        errors++;
        String where = c.valid().getClass().getSimpleName() + "." + component;
        assertTrue(hasComponent(c.valid().getClass(), error.field()), where + ": " + error);
        assertFalse(error.getMessage().contains("--"), where + " names a flag: " + error);
        for (RunSpecFields fields : c.pipeline()) {
          String path = fields.pathFor(error.field());
          assertTrue(
              runSpecHas(path), where + " maps to run-spec path " + path + ", not in RunSpec");
        }
        for (CliUse use : c.cli()) {
          String flag = use.flags().flagFor(error.field());
          assertNotNull(flag, where + ": no flag on '" + use.command() + "'");
          assertNotNull(
              command(cli, use.command()).findOption(flag),
              where + " maps to " + flag + ", which '" + use.command() + "' does not define");
        }
      }
    }
    assertTrue(errors >= 30, "walked only " + errors + " errors");
  }

  @Test
  void mappingsNameOnlyFieldsTheConfigsHave() {
    assertMapsFieldsOf(TrainConfig.class, RunSpecFields.BASE.paths().keySet());
    assertMapsFieldsOf(TrainConfig.class, RunSpecFields.FINE_TUNE.paths().keySet());
    assertMapsFieldsOf(TeacherTraining.class, RunSpecFields.TEACHER_TRAINING.paths().keySet());
    assertMapsFieldsOf(DistillConfig.class, RunSpecFields.DMD_LORA.paths().keySet());
    assertMapsFieldsOf(DistillConfig.class, RunSpecFields.W2S.paths().keySet());
    assertMapsFieldsOf(TrainConfig.class, TrainCommand.Teacher.BASE.flags().keySet());
    assertMapsFieldsOf(TrainConfig.class, TrainCommand.Teacher.FINE_TUNE.flags().keySet());
    assertMapsFieldsOf(TeacherTraining.class, TrainCommand.Teacher.TRAINING.flags().keySet());
    assertMapsFieldsOf(TimestepSampling.class, TrainCommand.Teacher.SAMPLING.flags().keySet());
    assertMapsFieldsOf(DistillConfig.class, DistillCommand.W2s.DMD_LORA.flags().keySet());
    assertMapsFieldsOf(DistillConfig.class, DistillCommand.W2s.W2S.flags().keySet());
    assertMapsFieldsOf(LcmConfig.class, DistillCommand.Lcm.LCM.flags().keySet());
    assertMapsFieldsOf(SigmaSchedule.class, EvalCommand.SCHEDULE.flags().keySet());
  }

  @Test
  void callersRenameTheFieldToTheirFlagOrPath() {
    TrainConfig valid = EnginePreset.smoke().finetune();
    var cli =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainCommand.Teacher.BASE.build(() -> valid.withSteps(0)));
    assertTrue(cli.getMessage().startsWith("--base-steps must be > 0 (got 0)"), cli.getMessage());
    var pipeline =
        assertThrows(
            IllegalArgumentException.class,
            () -> RunSpecFields.FINE_TUNE.build(() -> valid.withLr(Float.NaN, 0)));
    assertTrue(pipeline.getMessage().startsWith("fineTune.lr must"), pipeline.getMessage());
    var preset =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainCommand.Teacher.FINE_TUNE.build(() -> valid.withLr(1e-4f, -1)));
    assertTrue(preset.getMessage().contains("--preset"), preset.getMessage());
  }

  /** Every component for which some bad value makes the canonical constructor refuse. */
  private static Map<String, ConfigException> rejectedFields(Record valid) throws Exception {
    RecordComponent[] components = valid.getClass().getRecordComponents();
    Constructor<?> canonical =
        valid
            .getClass()
            .getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
    canonical.setAccessible(true);
    Map<String, ConfigException> out = new LinkedHashMap<>();
    for (int i = 0; i < components.length; i++) {
      for (Object bad : badValues(components[i].getType())) {
        Object[] args = new Object[components.length];
        for (int j = 0; j < components.length; j++) {
          components[j].getAccessor().setAccessible(true);
          args[j] = components[j].getAccessor().invoke(valid);
        }
        args[i] = bad;
        try {
          canonical.newInstance(args);
        } catch (InvocationTargetException e) {
          if (e.getCause() instanceof ConfigException ce) {
            out.put(components[i].getName(), ce);
            break;
          }
          fail(
              components[i].getName() + "=" + bad + " failed without naming a field", e.getCause());
        }
      }
    }
    return out;
  }

  private static List<Object> badValues(Class<?> type) {
    List<Object> v = new ArrayList<>();
    if (type == int.class) {
      v.addAll(List.of(0, -1));
    } else if (type == float.class) {
      v.addAll(List.of(Float.NaN, -1f, 0f, 1f));
    } else if (type == double.class) {
      v.addAll(List.of(Double.NaN, -1.0, 0.0, 1.0));
    }
    return v;
  }

  private static boolean hasComponent(Class<?> type, String name) {
    return Arrays.stream(type.getRecordComponents()).anyMatch(c -> c.getName().equals(name));
  }

  private static void assertMapsFieldsOf(Class<?> config, java.util.Set<String> fields) {
    for (String f : fields) {
      assertTrue(hasComponent(config, f), config.getSimpleName() + " has no field " + f);
    }
  }

  /** Whether the dotted {@code path} names a component of {@link RunSpec} (nested records). */
  private static boolean runSpecHas(String path) {
    Class<?> type = RunSpec.class;
    for (String part : path.split("\\.")) {
      if (!type.isRecord()) {
        return false;
      }
      RecordComponent found = null;
      for (RecordComponent c : type.getRecordComponents()) {
        if (c.getName().equals(part)) {
          found = c;
        }
      }
      if (found == null) {
        return false;
      }
      type = found.getType();
    }
    return true;
  }

  private static CommandLine.Model.CommandSpec command(CommandLine cli, String path) {
    CommandLine c = cli;
    for (String name : path.split(" ")) {
      c = c.getSubcommands().get(name);
      assertNotNull(c, "no command " + path);
    }
    return c.getCommandSpec();
  }

  @Test
  void runSpecPathsResolve() {
    assertTrue(runSpecHas("fineTune.lr"));
    assertTrue(runSpecHas(RunSpecFields.PRESET));
    assertFalse(runSpecHas("fineTune.nope"));
    assertEquals("preset", RunSpecFields.DMD_LORA.pathFor("scoreShift"));
    assertEquals("preset", RunSpecFields.DMD_LORA.pathFor("backwardSimulation"));
  }
}
