package com.magicdistill.tests;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of docs/ARCHITECTURE.md, checked on the compiled production classes: the
 * engine knows nothing of Temporal, JDBC, S3 clients or Spring; workflows never reach the engine;
 * storage and db stay below the engine and activities (db reads only the status enums of
 * workflows); nothing but the launcher uses the launcher or the benchmarks.
 */
class ModuleBoundariesTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importProductionClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.magicdistill");
  }

  @Test
  void theEngineImportsNoInfrastructure() {
    noClasses()
        .that()
        .resideInAPackage("com.magicdistill.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.temporal..",
            "java.sql..",
            "javax.sql..",
            "io.minio..",
            "org.springframework..",
            "com.magicdistill.activities..",
            "com.magicdistill.workflows..",
            "com.magicdistill.db..",
            "com.magicdistill.platform..",
            "com.magicdistill.cli..",
            "com.magicdistill.bench..")
        .check(classes);
  }

  @Test
  void theEngineUsesOnlyTheObjectStoreInterfaceOfStorage() {
    noClasses()
        .that()
        .resideInAPackage("com.magicdistill.engine..")
        .should()
        .dependOnClassesThat()
        .haveSimpleNameStartingWith("S3")
        .check(classes);
  }

  @Test
  void workflowsDoNotImportTheEngineOrTheActivities() {
    noClasses()
        .that()
        .resideInAPackage("com.magicdistill.workflows..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.magicdistill.engine..",
            "com.magicdistill.activities..",
            "com.magicdistill.storage..",
            "com.magicdistill.db..",
            "ai.djl..")
        .check(classes);
  }

  @Test
  void storageStaysBelowEverythingElse() {
    noClasses()
        .that()
        .resideInAPackage("com.magicdistill.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.magicdistill.engine..",
            "com.magicdistill.activities..",
            "com.magicdistill.workflows..",
            "com.magicdistill.db..",
            "com.magicdistill.platform..",
            "ai.djl..",
            "io.temporal..")
        .check(classes);
  }

  /**
   * The db module reads the status enums of workflows, and nothing of Temporal or the layers above.
   */
  @Test
  void dbUsesOnlyTheWorkflowContracts() {
    noClasses()
        .that()
        .resideInAPackage("com.magicdistill.db..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.magicdistill.engine..",
            "com.magicdistill.activities..",
            "com.magicdistill.storage..",
            "com.magicdistill.platform..",
            "ai.djl..",
            "io.temporal..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("com.magicdistill.db..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("com.magicdistill.workflows..").and(not(JavaClass.Predicates.ENUMS)))
        .check(classes);
  }

  @Test
  void nothingImportsTheLauncher() {
    noClasses()
        .that()
        .resideOutsideOfPackage("com.magicdistill.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.magicdistill.cli..")
        .check(classes);
  }

  @Test
  void onlyTheLauncherImportsTheBenchmarks() {
    noClasses()
        .that()
        .resideOutsideOfPackages("com.magicdistill.bench..", "com.magicdistill.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.magicdistill.bench..")
        .check(classes);
  }
}
