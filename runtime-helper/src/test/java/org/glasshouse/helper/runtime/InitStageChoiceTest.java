package org.glasshouse.helper.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Which init stage a config gets (issue 16): the native {@code glasshouse-init} unless {@code jvm}
 * is named, and a clear refusal (never a silent fall back to the JVM) when it is not built.
 */
class InitStageChoiceTest {

  private static Path built() {
    return NativeInit.find()
        .orElseThrow(() -> new AssertionError("glasshouse-init is not built (compile phase)"));
  }

  @Test
  void theNativeInitIsTheDefault() {
    assertEquals(built(), RuntimeConfig.initStage(null));
    assertEquals(built(), RuntimeConfig.initStage("native"));
    assertEquals(built(), RuntimeConfig.of(Path.of("state"), Path.of("images"), null).nativeInit());
  }

  @Test
  void theJvmInitIsChosenByName() {
    assertNull(RuntimeConfig.initStage("jvm"));
    assertNull(RuntimeConfig.of(Path.of("state"), Path.of("images"), "jvm").nativeInit());
  }

  @Test
  void anotherChoiceIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RuntimeConfig.initStage("Native"));
    assertEquals("the init stage is native or jvm, not Native", e.getMessage());
  }

  @Test
  void aMissingExecutableIsNamedWithTheTwoWaysOn() {
    String m = RuntimeConfig.missingNativeInit();
    assertTrue(
        m.startsWith(
            "the native init stage (glasshouse-init) is not next to the helper's classes ("
                + built()
                + "): "),
        m);
    assertTrue(m.contains("build it (./mvnw package, needs gcc and a static libc)"), m);
    assertTrue(m.endsWith("or choose the JVM init (glasshouse helper --init jvm)"), m);
  }

  @Test
  void onlyAnExecutableFileBesideTheClassesCounts(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path jar = java.nio.file.Files.writeString(dir.resolve("runtime-helper.jar"), "");
    assertTrue(NativeInit.besideClasses(jar).isEmpty());
    Path exe = java.nio.file.Files.writeString(dir.resolve("glasshouse-init"), "");
    assertTrue(NativeInit.besideClasses(jar).isEmpty(), "not executable");
    java.nio.file.Files.setPosixFilePermissions(
        exe, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    assertEquals(exe, NativeInit.besideClasses(jar).orElseThrow());
  }
}
