package org.glasshouse.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The app reuses the client: it must not pull in the helper (runtime, server, JNA). */
class ClientLayeringTest {

  @Test
  void clientDependsOnlyOnTheProtocolTheJdkAndJackson() {
    classes()
        .that()
        .resideInAPackage("org.glasshouse.client..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "com.fasterxml.jackson..",
            "org.glasshouse.protocol..",
            "org.glasshouse.client..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.glasshouse.client"));
  }
}
