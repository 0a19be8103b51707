package org.glasshouse.helper.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.runtime.init.InitMain;

/** What the runtime spawns as a container's init stage, given the init channel's coordinates. */
@FunctionalInterface
interface InitLauncher {

  /** The command of an init that connects to {@code socket} and presents {@code token}. */
  InitSpawner.Command command(RuntimeConfig config, Path socket, String token);

  /** The init stage's JVM ({@link InitMain}) from the config's java, options and class path. */
  InitLauncher JVM =
      (config, socket, token) -> {
        List<String> cmd = new ArrayList<>();
        cmd.add(config.javaCommand());
        cmd.addAll(config.jvmOptions());
        cmd.add("-cp");
        cmd.add(config.classPath());
        cmd.add(InitMain.class.getName());
        // The init JVM sees only the channel's coordinates; the command later gets exactly
        // spec.env.
        return new InitSpawner.Command(
            cmd,
            Map.of(InitMain.ENV_SOCKET, socket.toString(), InitMain.ENV_TOKEN, token),
            config.stateDir().toString());
      };

  /**
   * The native init stage ({@code glasshouse-init}, {@link RuntimeConfig#nativeInit()}): the
   * executable with only the channel's coordinates.
   */
  InitLauncher NATIVE =
      (config, socket, token) ->
          new InitSpawner.Command(
              List.of(config.nativeInit().toString()),
              Map.of(InitMain.ENV_SOCKET, socket.toString(), InitMain.ENV_TOKEN, token),
              config.stateDir().toString());
}
