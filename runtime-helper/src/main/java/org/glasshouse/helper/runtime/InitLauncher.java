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
        // Its environment holds no locale, so the JVM's native encoding is US-ASCII and JNA would
        // pass every non-ASCII character of argv, env and paths to execve and mount as '?'. Linux
        // takes bytes; UTF-8 is what the protocol's strings are and what the native init passes.
        cmd.add("-Djna.encoding=UTF-8");
        cmd.add("-Dsun.jnu.encoding=UTF-8");
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
