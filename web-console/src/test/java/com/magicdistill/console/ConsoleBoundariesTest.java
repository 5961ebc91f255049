package com.magicdistill.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The console is a Temporal client and a PostgreSQL reader: it never uses the engine or the
 * activities (docs/ARCHITECTURE.md), and neither is on its classpath (no libtorch).
 */
class ConsoleBoundariesTest {
  @Test
  void theConsoleImportsNeitherTheEngineNorTheActivities() {
    noClasses()
        .that()
        .resideInAPackage("com.magicdistill.console..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.magicdistill.engine..", "com.magicdistill.activities..", "ai.djl..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.magicdistill.console"));
  }

  @Test
  void theEngineIsNotOnTheClasspath() {
    assertThrows(
        ClassNotFoundException.class, () -> Class.forName("com.magicdistill.engine.EnginePreset"));
    assertThrows(ClassNotFoundException.class, () -> Class.forName("ai.djl.ndarray.NDManager"));
  }
}
