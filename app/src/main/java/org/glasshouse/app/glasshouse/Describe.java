package org.glasshouse.app.glasshouse;

import java.util.ArrayList;
import java.util.List;
import org.glasshouse.app.core.Units;
import org.glasshouse.app.glasshouse.HouseModel.GaugeModel;
import org.glasshouse.app.glasshouse.HouseModel.NetModel;
import org.glasshouse.app.glasshouse.HouseModel.ProcessModel;
import org.glasshouse.app.glasshouse.HouseModel.RootFsModel;
import org.glasshouse.app.glasshouse.HouseModel.WallModel;

/**
 * The words for each piece of the glass house: what a tooltip says on hover and the details card on
 * click. One sentence of meaning first, then the facts (inode, who shares it, the call that made
 * it). Pure.
 */
final class Describe {
  private Describe() {}

  static String wall(WallModel w) {
    return String.join("\n", wallLines(w));
  }

  static List<String> wallLines(WallModel w) {
    List<String> out = new ArrayList<>();
    NsType t = w.type();
    if (w.standing()) {
      out.add(
          t.label()
              + " wall"
              + (w.letter().isEmpty() ? "" : " " + w.letter())
              + (w.joined() ? " (joined)" : "")
              + ": "
              + t.meaning()
              + ".");
      if (w.identity() != null) {
        out.add(
            "Namespace "
                + w.identity()
                + "; the host's is "
                + t.wire()
                + ":["
                + w.hostInode()
                + "].");
      }
      if (w.sharers() > 0) {
        out.add(
            w.sharers()
                + (w.sharers() == 1 ? " process is" : " processes are")
                + " inside it"
                + (w.sharedWith().isEmpty() ? "." : ": pids " + pids(w.sharedWith()) + "."));
      }
      if (w.builtBy() != null) {
        out.add(
            (w.joined() ? "Joined by " : "Built by ")
                + w.builtBy()
                + (w.builtSeq() > 0 ? " (step " + w.builtSeq() + ")." : "."));
      }
      if (t == NsType.UTS && w.note() != null) {
        out.add("Hostname inside: " + w.note() + ".");
      }
    } else if (w.planned()) {
      out.add(t.label() + " wall to come: " + t.meaning() + ".");
      out.add("The container is starting: its run asks for this wall, not raised yet.");
    } else if (w.own()) {
      out.add(t.label() + ": not built yet at this point of the replay.");
    } else {
      out.add(t.label() + " is open: the container shares the host's " + t.wire() + " namespace.");
      out.add(openMeaning(t));
      if (w.inode() != null) {
        out.add("Namespace " + w.identity() + ", the same as the host's.");
      }
      if (t.level() > 0) {
        out.add(
            "Level " + String.format("%02d", t.level()) + " builds this wall (" + t.flag() + ").");
      } else {
        out.add("No level of this lab builds it (" + t.flag() + ").");
      }
    }
    return out;
  }

  private static String openMeaning(NsType t) {
    return switch (t) {
      case MNT -> "Its mounts are the host's mounts: whatever it mounts, the host sees.";
      case UTS -> "Its hostname is the host's: sethostname would rename the host.";
      case IPC -> "It can reach the host's shared memory and message queues.";
      case PID -> "It sees every process of the host, and its PID is a host PID.";
      case NET -> "It uses the host's interfaces and ports.";
      case CGROUP -> "/proc/self/cgroup shows the host's full cgroup paths.";
      case USER -> "uid 0 inside is uid 0 outside: root in the container is root on the host.";
      case TIME -> "Its clocks are the host's.";
    };
  }

  /** A capability set in words: none, every one, or its names. */
  private static String capNames(int n, List<String> names, boolean full, int all) {
    if (n == 0) {
      return "none — a call that needs a capability fails (EPERM)";
    }
    if (full) {
      return "all " + all + ", uncut (the host's)";
    }
    return names.isEmpty() ? n + " (names not read)" : String.join(" ", names);
  }

  static String pids(List<Long> pids) {
    List<String> s = new ArrayList<>();
    for (int i = 0; i < pids.size() && i < 12; i++) {
      s.add(Long.toString(pids.get(i)));
    }
    return String.join(", ", s) + (pids.size() > 12 ? " …" : "");
  }

  /** The card of several zombies of one parent, drawn as one row. */
  private static List<String> zombiesLines(ProcessModel p) {
    HouseModel.Zombies z = p.zombies();
    int n = z.hostPids().size();
    List<String> out = new ArrayList<>();
    out.add(z.label() + ", each an exited " + p.command() + ".");
    String hostPids = pids(z.hostPids());
    String end = hostPids.endsWith("…") ? "" : ".";
    if (!z.nsPids().equals(z.hostPids())) {
      out.add("PIDs inside: " + pids(z.nsPids()) + "; on the host: " + hostPids + end);
    } else {
      out.add("PIDs: " + hostPids + end);
    }
    out.add(
        "Zombies: each has exited, but its parent (PID "
            + z.parentPid()
            + ", "
            + z.parentName()
            + ") has not collected its exit status yet with wait(). Until it does, each keeps its"
            + " PID, and its place under pids.max.");
    out.add(
        "Why "
            + n
            + " matter: the cgroup counts them in pids.current like running processes, so a"
            + " container whose PID 1 never reaps runs out of PIDs — once pids.current reaches"
            + " pids.max, its next fork fails (EAGAIN) though nothing runs.");
    out.add(
        "A PID 1 that never calls wait() leaves every orphan it inherits as a zombie: init"
            + " systems (tini, dumb-init, docker run --init) reap them.");
    return out;
  }

  static List<String> processLines(ProcessModel p) {
    List<String> out = new ArrayList<>();
    if (p.pending()) {
      out.add("Host PID " + p.hostPid() + ": just arrived; its details are being read.");
      return out;
    }
    if (p.zombies() != null) {
      return zombiesLines(p);
    }
    out.add(p.command());
    if (p.nsPid() != null && p.nsPid() != p.hostPid()) {
      out.add(
          "PID "
              + p.nsPid()
              + " inside its PID namespace, PID "
              + p.hostPid()
              + " on the host: "
              + "the same process, two numbers.");
    } else {
      out.add("PID " + p.hostPid() + " — the same number inside and on the host (no PID wall).");
    }
    if (p.zombie()) {
      out.add(
          "A zombie: it has exited, but its parent (the process above it) has not collected its"
              + " exit status yet with wait(). Until it does, the zombie keeps its PID, and its"
              + " place under pids.max.");
      out.add(
          "A PID 1 that never calls wait() leaves every orphan it inherits as a zombie: init"
              + " systems (tini, dumb-init, docker run --init) reap them.");
      return out;
    }
    if (p.uid() != null) {
      String inside =
          p.user() == null
              ? "no name in the container's /etc/passwd"
              : "“" + p.user() + "” in the container's /etc/passwd";
      String outside =
          p.hostUser() == null ? "no name on the host" : "“" + p.hostUser() + "” on the host";
      out.add("Runs as uid " + p.uid() + ": " + inside + ", " + outside + ".");
    }
    if (p.caps() != null) {
      out.add(
          "Capabilities: "
              + p.caps().effective()
              + " in effect, "
              + p.caps().bounding()
              + " in its bounding set (the host's processes can hold "
              + p.caps().all()
              + ").");
      // Both sets in full, an empty one said so: a card without an "Effective" line left the
      // reader to guess whether the set was empty or not read.
      out.add("Effective: " + capNames(p.caps().effective(), p.caps().effectiveNames(), false, 0));
      out.add(
          "Bounding: "
              + capNames(
                  p.caps().bounding(), p.caps().boundingNames(), p.caps().full(), p.caps().all()));
    }
    if (p.noNewPrivs()) {
      out.add("no_new_privs: a setuid binary cannot raise its privileges.");
    }
    if (p.seccomp() == 2) {
      out.add("seccomp filter: some syscalls fail with EPERM before the kernel runs them.");
    }
    if (p.exec() != null) {
      out.add("Started by exec " + p.exec() + ", which joined this container's namespaces.");
    }
    if (!p.state().isEmpty()) {
      out.add("State: " + p.state() + ".");
    }
    return out;
  }

  static List<String> rootfsLines(RootFsModel r) {
    List<String> out = new ArrayList<>();
    switch (r.kind()) {
      case HOST -> out.add("Its / is the host's /: every file of the host is its file.");
      case CHROOT ->
          out.add(
              "chroot: its / is the image directory, but the host's root is still there around it.");
      case PIVOT ->
          out.add("pivot_root: the image directory became its /; the old root was detached.");
      case OVERLAY ->
          out.add(
              "An overlay: the image (read-only, shared) below, its own upper directory above,"
                  + " merged into its /.");
    }
    if (r.image() != null) {
      out.add("Image: " + r.image());
    }
    if (r.upper() != null) {
      out.add("Upper (its writes): " + r.upper());
    }
    if (r.root() != null && !r.root().equals("/")) {
      out.add("Its root as the host sees it: " + r.root());
    }
    if (r.rootSource() != null) {
      out.add("The mount at its /: " + r.rootSource() + " (" + r.rootFsType() + ")");
    }
    if (!r.mounts().isEmpty()) {
      out.add("Mounted inside: " + String.join(" ", r.mounts()));
    }
    if (r.masked() > 0) {
      out.add(r.masked() + " paths under /proc and /sys masked or read-only.");
    }
    if (r.changes() != null) {
      HouseModel.Changes c = r.changes();
      out.add(
          c.changed()
              + " changed (copied up), "
              + c.created()
              + " new, "
              + c.deleted()
              + " deleted (whiteouts)"
              + (c.opaque() > 0 ? ", " + c.opaque() + " replaced" : "")
              + (c.truncated() ? " — at least" : ""));
      out.addAll(c.examples());
    }
    if (r.leak()) {
      out.add(
          "Leak: it shares the host's mount namespace, so its /proc /sys /dev show in the"
              + " host's mount table.");
    }
    return out;
  }

  static List<String> gaugeLines(GaugeModel g) {
    List<String> out = new ArrayList<>();
    String what =
        switch (g.name()) {
          case "cpu" -> "CPU: cores used over the last interval";
          case "memory" -> "Memory: what its cgroup charges it";
          default -> "Processes: how many tasks its cgroup holds";
        };
    out.add(what + ".");
    out.add(
        "Now "
            + g.value()
            + (g.max() == null ? (g.limited() ? ", no limit." : ".") : " of " + g.max() + "."));
    if (!Double.isNaN(g.peak())) {
      out.add("Highest seen: " + Math.round(g.peak() * 100) + " % of the limit.");
    }
    if (!g.settings().isEmpty()) {
      out.add("Its cgroup holds: " + String.join(" · ", g.settings()) + ".");
    }
    if (g.note() != null) {
      out.add(g.note());
    }
    if (g.alarm() != null) {
      out.add(g.alarm());
    }
    return out;
  }

  static List<String> netLines(NetModel n) {
    List<String> out = new ArrayList<>();
    out.add(
        n.own()
            ? "Its own network namespace: only the interfaces below exist for it."
            : "The host's network: it sees and uses every interface of the host.");
    for (HouseModel.Interface i : n.interfaces()) {
      out.add(
          i.name()
              + " "
              + (i.up() ? "up" : "down")
              + (i.addresses().isEmpty() ? "" : " " + String.join(" ", i.addresses())));
    }
    HouseModel.Wire w = n.wire();
    if (w != null) {
      out.add(
          "Wired (level 07's bonus): "
              + w.containerEnd()
              + " "
              + w.address()
              + " ⇄ veth "
              + w.hostEnd()
              + " on the host, a port of bridge "
              + w.bridge()
              + " "
              + w.bridgeAddress()
              + " (its gateway)");
      out.add(
          w.containerEnd()
              + " sent "
              + (w.sentBytes() == null ? "?" : Units.bytes(w.sentBytes()))
              + ", received "
              + (w.receivedBytes() == null ? "?" : Units.bytes(w.receivedBytes()))
              + "; on the host: ip netns exec "
              + w.netns().substring(w.netns().lastIndexOf('/') + 1)
              + " ip addr");
    }
    out.add(
        "Hostname inside: "
            + n.hostname()
            + (n.ownHostname() ? " (its own UTS namespace)" : " (the host's)"));
    out.add("Hostname outside: " + (n.hostHostname() == null ? "not read yet" : n.hostHostname()));
    if (n.error() != null) {
      out.add(n.error());
    }
    return out;
  }
}
