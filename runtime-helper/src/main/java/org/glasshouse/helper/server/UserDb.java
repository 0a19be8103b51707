package org.glasshouse.helper.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Name ↔ id lookups through the system's user database ({@code getent}, {@code id}), so NSS sources
 * (LDAP, systemd-homed) count as well as {@code /etc/passwd}. The JDK's {@code SO_PEERCRED}
 * principals carry only names (the uid in decimal when there is no name), so every numeric check
 * goes through here.
 */
public class UserDb {

  /** The uid of a user name, or of a decimal string. */
  public Optional<Integer> uid(String user) {
    if (user.matches("[0-9]{1,10}")) {
      return Optional.of(Integer.parseUnsignedInt(user));
    }
    return field(List.of("getent", "passwd", "--", user), 2);
  }

  /** The primary gid of a uid. */
  public Optional<Integer> primaryGid(int uid) {
    return field(List.of("getent", "passwd", Integer.toUnsignedString(uid)), 3);
  }

  /** The gid of a group name, or of a decimal string. */
  public Optional<Integer> gid(String group) {
    if (group.matches("[0-9]{1,10}")) {
      return Optional.of(Integer.parseUnsignedInt(group));
    }
    return field(List.of("getent", "group", "--", group), 2);
  }

  /** Every group the user database gives a user (primary and supplementary). */
  public Set<Integer> groupsOf(String user) {
    Set<Integer> out = new HashSet<>();
    if (user.matches("[0-9]{1,10}")) {
      // No name: the database knows nothing about it beyond what SO_PEERCRED said.
      return out;
    }
    run(List.of("id", "-G", "--", user))
        .ifPresent(
            s -> {
              for (String g : s.trim().split("\\s+")) {
                if (g.matches("[0-9]{1,10}")) {
                  out.add(Integer.parseUnsignedInt(g));
                }
              }
            });
    return out;
  }

  private Optional<Integer> field(List<String> command, int index) {
    return run(command)
        .flatMap(
            s -> {
              String[] f = s.trim().split(":");
              if (f.length > index && f[index].matches("[0-9]{1,10}")) {
                return Optional.of(Integer.parseUnsignedInt(f[index]));
              }
              return Optional.empty();
            });
  }

  private static Optional<String> run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readNBytes(64 * 1024);
      p.getErrorStream().close();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return p.exitValue() == 0
          ? Optional.of(new String(out, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
