package org.glasshouse.helper.server;

import java.nio.file.Path;
import org.glasshouse.helper.runtime.ContainerRuntime;

/** The server's scenarios against the level-00 process fake: no root needed. */
class HelperServerTest extends ServerScenarios {

  @Override
  ContainerRuntime newRuntime(Path stateDir) {
    return new ProcessRuntime();
  }
}
