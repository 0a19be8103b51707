package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.containers.RunViewModel;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.Preferences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each level's Command field outlives a restart, through the preferences file. */
class CommandRememberedTest {
  @TempDir Path dir;

  private RunViewModel open(Path file) {
    return new RunViewModel(
        new ContainersViewModel(new FakeLabService(), Runnable::run),
        new Preferences(file, Runnable::run).commands());
  }

  @Test
  void aLevelsCommandSurvivesARestartAndTheSuggestionComesBack() throws Exception {
    Path file = dir.resolve("preferences.properties");
    RunViewModel first = open(file);
    first.levelProperty().set(9);
    first.commandProperty().set("/bin/sh -c 'tail /dev/zero'");
    first.levelProperty().set(3);
    assertEquals(RunViewModel.SUGGESTED_COMMAND, first.commandProperty().get());
    first.commandProperty().set("ls /dev");
    // Closed at level 3 without moving on: its command is written as typed, not on a level change.

    RunViewModel again = open(file);
    assertEquals(RunViewModel.SUGGESTED_COMMAND, again.commandProperty().get(), "level 0");
    again.levelProperty().set(9);
    assertEquals("/bin/sh -c 'tail /dev/zero'", again.commandProperty().get());
    again.levelProperty().set(3);
    assertEquals("ls /dev", again.commandProperty().get());
    again.useSuggestedCommand();
    assertEquals(RunViewModel.SUGGESTED_COMMAND, again.commandProperty().get());

    RunViewModel third = open(file);
    third.levelProperty().set(3);
    assertEquals(RunViewModel.SUGGESTED_COMMAND, third.commandProperty().get());
    third.levelProperty().set(9);
    assertEquals("/bin/sh -c 'tail /dev/zero'", third.commandProperty().get());
    assertEquals(
        1, Files.readAllLines(file).stream().filter(l -> l.startsWith("command.level.")).count());
  }
}
