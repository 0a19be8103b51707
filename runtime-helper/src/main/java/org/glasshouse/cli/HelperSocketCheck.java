package org.glasshouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.glasshouse.cli.DoctorCommand.Check;
import org.glasshouse.cli.DoctorCommand.Status;
import org.glasshouse.client.HelperClient;
import org.glasshouse.client.HelperException;

/**
 * {@code doctor}'s lines about the helper's socket: who may connect (its owner, group and mode: the
 * group is root-equivalent, anyone else must be refused) and whether a helper answers there, which
 * version, and as whom it sees us. No helper is a warning: the app starts one.
 */
final class HelperSocketCheck {

  private HelperSocketCheck() {}

  static List<Check> checks(Path socket) {
    List<Check> c = new ArrayList<>();
    PosixFileAttributes a;
    try {
      a = Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      c.add(
          new Check(
              Status.WARN,
              "helper",
              "none at "
                  + socket
                  + " (the app starts one; or: sudo ./glasshouse helper, or the package's"
                  + " glasshouse.socket)"));
      return c;
    }
    if (!a.isOther()) {
      c.add(new Check(Status.FAIL, "helper socket", socket + " is not a socket"));
      return c;
    }
    c.add(whoMayConnect(a));
    c.add(reachable(socket));
    return c;
  }

  /** From the mode, owner and group: root always; the group when it may write; others never. */
  static Check whoMayConnect(PosixFileAttributes a) {
    Set<PosixFilePermission> p = a.permissions();
    String mode =
        String.format("mode %s, %s:%s", modeString(p), a.owner().getName(), a.group().getName());
    if (p.contains(PosixFilePermission.OTHERS_WRITE)) {
      return new Check(
          Status.FAIL,
          "who may connect",
          "anyone on this machine ("
              + mode
              + "): the helper is root, so everyone is: chmod o-rwx the socket");
    }
    String who =
        p.contains(PosixFilePermission.GROUP_WRITE)
            ? "root and the members of group " + a.group().getName() + " (root-equivalent)"
            : "root only";
    return new Check(Status.OK, "who may connect", who + " (" + mode + ")");
  }

  private static Check reachable(Path socket) {
    try (HelperClient client = HelperClient.connect(socket, "glasshouse-doctor", e -> {})) {
      JsonNode h = client.helloResult();
      return new Check(
          Status.OK,
          "helper",
          h.path("server").asText("?")
              + ", protocol "
              + h.path("version").asText("?")
              + ", cgroups "
              + h.path("cgroup").path("mode").asText("?")
              + ", sees you as uid "
              + h.path("uid").asText("?")
              + " ("
              + socket
              + ")");
    } catch (HelperException e) {
      return new Check(Status.WARN, "helper", e.getMessage());
    }
  }

  private static String modeString(Set<PosixFilePermission> p) {
    int m = 0;
    for (PosixFilePermission x : p) {
      m |= 1 << (8 - x.ordinal());
    }
    return String.format("%04o", m);
  }
}
