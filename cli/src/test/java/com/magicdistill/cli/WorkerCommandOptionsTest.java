package com.magicdistill.cli;

import static com.magicdistill.cli.RunCommandOptionsTest.magic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.magicdistill.platform.WorkerRole;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code magic worker} and {@code magic db} options, parsed without contacting any service. */
@Timeout(60)
class WorkerCommandOptionsTest {
  @Test
  void parsesRoleQueuesAndSlots() {
    WorkerCommand w = new WorkerCommand();
    new CommandLine(w).parseArgs("--role", "stages", "--queue", "gpu,gpu-big", "--slots", "4");
    assertEquals(WorkerRole.STAGES, w.role);
    assertEquals(List.of("gpu", "gpu-big"), w.queues);
    assertEquals(4, w.slots);
  }

  @Test
  void roleDefaultsToAll() {
    WorkerCommand w = new WorkerCommand();
    new CommandLine(w).parseArgs();
    assertEquals(WorkerRole.ALL, w.role);
  }

  @Test
  void badRoleNamesTheFlag() {
    RunCommandOptionsTest.Outcome o = magic("worker", "--role", "gpu");
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("--role"), o.err());
    assertTrue(
        o.err().contains("--role") && o.err().contains("use pipeline, stages or all"), o.err());
  }

  @Test
  void badSlotsNamesTheFlag() {
    RunCommandOptionsTest.Outcome o = magic("worker", "--role", "stages", "--slots", "0");
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("--slots"), o.err());
  }

  @Test
  void dbMigrateIsACommand() {
    RunCommandOptionsTest.Outcome o = magic("db", "migrate", "--help");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("Apply pending schema migrations"), o.out());
  }
}
