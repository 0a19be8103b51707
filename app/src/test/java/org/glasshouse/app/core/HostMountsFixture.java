package org.glasshouse.app.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.glasshouse.helper.inspect.HostFs;
import org.glasshouse.helper.inspect.Inspector;
import org.glasshouse.helper.inspect.MountDiff;
import org.glasshouse.helper.mountinfo.MountEntry;
import org.glasshouse.helper.mountinfo.MountInfoParser;
import org.glasshouse.protocol.Json;
import org.glasshouse.protocol.inspect.MountsEvent;
import org.glasshouse.protocol.inspect.MountsResult;

/**
 * Generates {@code fixtures/host-mounts-1000.jsonl.gz} (gzip: 900 KB of JSON, 90 KB stored): the
 * mount table of a busy host (systemd, snaps, Docker, a Kubernetes node: about a thousand mounts)
 * with a level-01 container sharing its mount namespace, as the app would receive it — the {@code
 * mounts host} reply (the container's leaked mounts marked) and the container's {@code mounts}
 * events as the table changes. No machine here has a thousand mounts, so the mountinfo text is
 * generated (seeded, so every run writes the same bytes) and then goes through the helper's own
 * parser and {@link Inspector}, exactly as a real one would; {@code HostMountsFixtureTest} checks
 * the committed file is what this writes.
 *
 * <pre>
 * ./mvnw -B -q -pl runtime-helper,app -am test-compile -DskipTests
 * (cd app &amp;&amp; ../mvnw -B -q dependency:build-classpath -Dmdep.outputFile=/tmp/gh.cp) &amp;&amp;
 *   java -cp app/target/test-classes:app/target/classes:$(cat /tmp/gh.cp) \
 *   org.glasshouse.app.core.HostMountsFixture app/src/test/resources/org/glasshouse/app/fixtures
 * </pre>
 */
public final class HostMountsFixture {
  /** The fixture's name. */
  public static final String NAME = "host-mounts-1000";

  /** The level-01 container whose proc, sys and dev mounts leak into the host's table. */
  static final String CONTAINER = "0c01a5e1f00d";

  private static final long CONTAINER_PID = 4242;
  private static final String ROOTFS = "/var/lib/glasshouse/containers/" + CONTAINER + "/rootfs";
  private static final long SEED = 20261201L;

  private final Random random = new Random(SEED);
  private final List<String[]> mounts = new ArrayList<>();
  private final Map<String, Integer> idAt = new HashMap<>();
  private int nextId = 22;
  private int nextPeer = 1;
  private int nextAnon = 50;
  private int nextLoop = 0;

  private HostMountsFixture() {}

  /** The fixture file's lines (without newlines), generated afresh. */
  public static List<String> lines() {
    return new HostMountsFixture().generate();
  }

  /** Writes the fixture into {@code args[0]} (the fixtures directory). */
  public static void main(String[] args) throws IOException {
    Path dir =
        Path.of(args.length > 0 ? args[0] : "src/test/resources/org/glasshouse/app/fixtures");
    Files.createDirectories(dir);
    Path file = dir.resolve(NAME + ".jsonl.gz");
    try (Writer w =
        new OutputStreamWriter(
            new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8)) {
      for (String line : lines()) {
        w.write(line);
        w.write('\n');
      }
    }
    System.out.println("wrote " + file + " (" + Files.size(file) + " bytes)");
  }

  private List<String> generate() {
    baseSystem();
    for (int i = 0; i < 155; i++) {
      snap(i);
    }
    List<List<String>> docker = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      docker.add(dockerContainer());
    }
    for (int i = 0; i < 96; i++) {
      kubePod();
    }
    userSession();
    levelOneContainer();
    String initial = mountinfo();

    List<String> out = new ArrayList<>();
    ObjectNode header = Json.object();
    header
        .putObject("recording")
        .put("scenario", NAME)
        .put("generated", true)
        .put("generator", HostMountsFixture.class.getName())
        .put("seed", SEED)
        .put(
            "description",
            "a busy host's mount table (systemd, 155 snaps, 50 Docker containers, 96 Kubernetes"
                + " pods) with level-01 container "
                + CONTAINER
                + " sharing its mount namespace: the mounts host reply (its leaked mounts"
                + " marked), then that container's mounts events as the table changes");
    out.add(Json.write(header));
    int id = 1;
    out.add(Json.write(request(id, "mounts").put("container", "host")));
    out.add(Json.write(reply(id, Json.tree(hostTable(initial)))));
    // The container shares the host's mount namespace: its table is the host's, and its first
    // event lists every mount.
    List<MountEntry> before = MountInfoParser.parseTotal(initial).entries();
    out.add(event(before.size(), MountDiff.between(List.of(), before).toWire("none")));
    // Then the host changes under it, the way a busy machine does.
    List<Runnable> changes =
        List.of(
            () -> dockerContainer(),
            () -> remount("/home", "rw,nosuid,nodev,relatime", "ro,nosuid,nodev,relatime"),
            () -> unmount(docker.get(3)),
            () -> replaceSnap(17),
            () -> kubePod());
    for (Runnable change : changes) {
      change.run();
      List<MountEntry> after = MountInfoParser.parseTotal(mountinfo()).entries();
      out.add(event(after.size(), MountDiff.between(before, after).toWire("previous")));
      before = after;
    }
    return out;
  }

  // ---- the machine ----

  private void baseSystem() {
    String ext4 = "259:2";
    mount("/", ext4, "ext4", "/dev/nvme0n1p2", "rw,relatime", "rw,errors=remount-ro", true);
    mount("/sys", "0:21", "sysfs", "sysfs", "rw,nosuid,nodev,noexec,relatime", "rw", true);
    mount("/proc", "0:22", "proc", "proc", "rw,nosuid,nodev,noexec,relatime", "rw", true);
    mount("/dev", "0:5", "devtmpfs", "udev", "rw,nosuid,relatime", "rw,size=16314728k", true);
    mount("/dev/pts", "0:23", "devpts", "devpts", "rw,nosuid,noexec,relatime", "rw,mode=600", true);
    mount("/run", "0:24", "tmpfs", "tmpfs", "rw,nosuid,nodev,noexec,relatime", "rw,mode=755", true);
    mount(
        "/sys/kernel/security",
        "0:6",
        "securityfs",
        "securityfs",
        "rw,nosuid,nodev,noexec",
        "rw",
        true);
    mount("/dev/shm", "0:25", "tmpfs", "tmpfs", "rw,nosuid,nodev", "rw", true);
    mount("/run/lock", "0:26", "tmpfs", "tmpfs", "rw,nosuid,nodev,noexec", "rw,size=5120k", true);
    mount("/sys/fs/cgroup", "0:27", "cgroup2", "cgroup2", "rw,nosuid,nodev,noexec", "rw", true);
    mount("/sys/fs/pstore", "0:28", "pstore", "pstore", "rw,nosuid,nodev,noexec", "rw", true);
    mount("/sys/firmware/efi/efivars", "0:29", "efivarfs", "efivarfs", "rw,nosuid", "rw", true);
    mount("/sys/fs/bpf", "0:30", "bpf", "bpf", "rw,nosuid,nodev,noexec", "rw,mode=700", true);
    mount(
        "/proc/sys/fs/binfmt_misc",
        "0:31",
        "autofs",
        "systemd-1",
        "rw,relatime",
        "rw,fd=29,pgrp=1,timeout=0,minproto=5,maxproto=5,direct",
        true);
    mount("/dev/hugepages", "0:32", "hugetlbfs", "hugetlbfs", "rw,relatime", "rw", true);
    mount("/dev/mqueue", "0:20", "mqueue", "mqueue", "rw,nosuid,nodev,noexec", "rw", true);
    mount("/sys/kernel/debug", "0:7", "debugfs", "debugfs", "rw,nosuid,nodev,noexec", "rw", true);
    mount("/sys/kernel/tracing", "0:12", "tracefs", "tracefs", "rw,nosuid,nodev", "rw", true);
    mount("/sys/fs/fuse/connections", "0:33", "fusectl", "fusectl", "rw,nosuid,nodev", "rw", true);
    mount("/sys/kernel/config", "0:34", "configfs", "configfs", "rw,nosuid,nodev", "rw", true);
    mount("/boot", "259:3", "ext4", "/dev/nvme0n1p3", "rw,relatime", "rw", true);
    mount(
        "/boot/efi",
        "259:1",
        "vfat",
        "/dev/nvme0n1p1",
        "rw,relatime",
        "rw,fmask=0077,dmask=0077,codepage=437,iocharset=iso8859-1",
        true);
    mount("/home", "259:4", "ext4", "/dev/nvme0n1p4", "rw,nosuid,nodev,relatime", "rw", true);
    mount(
        "/proc/sys/fs/binfmt_misc",
        "0:35",
        "binfmt_misc",
        "binfmt_misc",
        "rw,nosuid,nodev,noexec",
        "rw",
        true);
    mount("/var/lib/docker", "259:2", "ext4", "/dev/nvme0n1p2", "rw,relatime", "rw", false);
  }

  private void snap(int i) {
    String[] names = {
      "core20",
      "core22",
      "snapd",
      "firefox",
      "gnome-42-2204",
      "gtk-common-themes",
      "lxd",
      "code",
      "bare",
      "kubectl",
      "microk8s",
      "slack",
      "spotify",
      "chromium",
      "cups"
    };
    String name = names[i % names.length] + (i < names.length ? "" : "-" + (i / names.length));
    int rev = 1000 + random.nextInt(9000);
    mount(
        "/snap/" + name + "/" + rev,
        "7:" + nextLoop,
        "squashfs",
        "/dev/loop" + nextLoop++,
        "ro,nodev,relatime",
        "ro,errors=continue,threads=single",
        true);
  }

  /** A snap refreshed: its squashfs replaced by the next revision's. */
  private void replaceSnap(int i) {
    String[] old =
        mounts.stream().filter(m -> m[5].startsWith("/snap/")).skip(i).findFirst().orElseThrow();
    unmount(List.of(old[5]));
    String dir = old[5].substring(0, old[5].lastIndexOf('/'));
    int rev = Integer.parseInt(old[5].substring(old[5].lastIndexOf('/') + 1));
    mount(
        dir + "/" + (rev + 1),
        "7:" + nextLoop,
        "squashfs",
        "/dev/loop" + nextLoop++,
        "ro,nodev,relatime",
        "ro,errors=continue,threads=single",
        true);
  }

  /** A Docker container's mounts: its overlay root, its network namespace, its shm. */
  private List<String> dockerContainer() {
    String id = hex(64);
    String layerDir = "/var/lib/docker/overlay2/";
    StringBuilder lower = new StringBuilder();
    int layers = 2 + random.nextInt(4);
    for (int l = 0; l < layers; l++) {
      lower
          .append(l == 0 ? "" : ":")
          .append(layerDir)
          .append("l/")
          .append(hex(26).toUpperCase(Locale.ROOT));
    }
    String merged = layerDir + id + "/merged";
    mount(
        merged,
        "0:" + nextAnon++,
        "overlay",
        "overlay",
        "rw,relatime",
        "rw,lowerdir="
            + lower
            + ",upperdir="
            + layerDir
            + id
            + "/diff,workdir="
            + layerDir
            + id
            + "/work,nouserxattr",
        false);
    String cid = hex(64);
    String netns = "/run/docker/netns/" + cid.substring(0, 12);
    mount(netns, "0:4", "nsfs", "nsfs", "rw", "rw", false);
    String shm = "/var/lib/docker/containers/" + cid + "/mounts/shm";
    mount(
        shm,
        "0:" + nextAnon++,
        "tmpfs",
        "shm",
        "rw,nosuid,nodev,noexec,relatime",
        "rw,size=65536k",
        false);
    return List.of(merged, netns, shm);
  }

  private void kubePod() {
    String pod = uuid();
    String sandbox = hex(64);
    String base = "/var/lib/kubelet/pods/" + pod + "/volumes/";
    mount(
        base + "kubernetes.io~projected/kube-api-access-" + hex(5),
        "0:" + nextAnon++,
        "tmpfs",
        "tmpfs",
        "rw,relatime",
        "rw,size=" + (100000 + random.nextInt(900000)) + "k",
        true);
    mount(
        base + "kubernetes.io~secret/" + pick("tls-certs", "config", "token", "credentials"),
        "0:" + nextAnon++,
        "tmpfs",
        "tmpfs",
        "rw,relatime",
        "rw,size=" + (100000 + random.nextInt(900000)) + "k",
        true);
    mount("/run/netns/cni-" + uuid(), "0:4", "nsfs", "nsfs", "rw", "rw", true);
    String tasks = "/run/containerd/io.containerd.runtime.v2.task/k8s.io/";
    mount(
        "/run/containerd/io.containerd.grpc.v1.cri/sandboxes/" + sandbox + "/shm",
        "0:" + nextAnon++,
        "tmpfs",
        "shm",
        "rw,nosuid,nodev,noexec,relatime",
        "rw,size=65536k",
        true);
    containerdRootfs(tasks + sandbox + "/rootfs", 1);
    containerdRootfs(tasks + hex(64) + "/rootfs", 3 + random.nextInt(4));
    containerdRootfs(tasks + hex(64) + "/rootfs", 2 + random.nextInt(5));
  }

  private void containerdRootfs(String path, int layers) {
    String snaps = "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/";
    StringBuilder lower = new StringBuilder();
    for (int l = 0; l < layers; l++) {
      lower.append(l == 0 ? "" : ":").append(snaps).append(1 + random.nextInt(4000)).append("/fs");
    }
    int upper = 4000 + random.nextInt(4000);
    mount(
        path,
        "0:" + nextAnon++,
        "overlay",
        "overlay",
        "rw,relatime",
        "rw,lowerdir="
            + lower
            + ",upperdir="
            + snaps
            + upper
            + "/fs,workdir="
            + snaps
            + upper
            + "/work",
        true);
  }

  private void userSession() {
    mount(
        "/run/user/1000",
        "0:" + nextAnon++,
        "tmpfs",
        "tmpfs",
        "rw,nosuid,nodev,relatime",
        "rw,size=3262944k,nr_inodes=815736,mode=700,uid=1000,gid=1000",
        true);
    mount(
        "/run/user/1000/gvfs",
        "0:" + nextAnon++,
        "fuse.gvfsd-fuse",
        "gvfsd-fuse",
        "rw,nosuid,nodev,relatime",
        "rw,user_id=1000,group_id=1000",
        true);
    mount(
        "/run/user/1000/doc",
        "0:" + nextAnon++,
        "fuse.portal",
        "portal",
        "rw,nosuid,nodev,relatime",
        "rw,user_id=1000,group_id=1000",
        true);
    // A mount point with a space: mountinfo escapes it as \040.
    mount(
        "/media/ada/USB STICK",
        "8:17",
        "vfat",
        "/dev/sdb1",
        "rw,nosuid,nodev,relatime",
        "rw,uid=1000,gid=1000,fmask=0022,dmask=0022,codepage=437,shortname=mixed,utf8",
        true);
  }

  /** Level 01: chroot into an extracted image with /proc, /sys and /dev mounted in it. */
  private void levelOneContainer() {
    mount(
        ROOTFS + "/proc", "0:" + nextAnon++, "proc", "proc", "rw,nosuid,nodev,noexec", "rw", true);
    mount(
        ROOTFS + "/sys", "0:" + nextAnon++, "sysfs", "sysfs", "rw,nosuid,nodev,noexec", "rw", true);
    mount(ROOTFS + "/dev", "0:" + nextAnon++, "tmpfs", "tmpfs", "rw,nosuid", "rw,mode=755", true);
  }

  private void remount(String mountPoint, String from, String to) {
    for (String[] m : mounts) {
      if (m[5].equals(mountPoint) && m[6].equals(from)) {
        m[6] = to;
        return;
      }
    }
    throw new IllegalStateException("no " + mountPoint + " mounted " + from);
  }

  private void unmount(List<String> points) {
    mounts.removeIf(m -> points.contains(m[5]));
  }

  /** One mountinfo line's fields; the parent is the deepest mount whose point is a prefix. */
  private void mount(
      String point,
      String device,
      String fsType,
      String source,
      String options,
      String superOptions,
      boolean shared) {
    int id = nextId++;
    int parent = point.equals("/") ? 1 : parentOf(point);
    String optional = shared ? "shared:" + nextPeer++ : "";
    mounts.add(
        new String[] {
          Integer.toString(id),
          Integer.toString(parent),
          device,
          "/",
          escape(point),
          point,
          options,
          optional,
          fsType,
          source,
          superOptions
        });
    idAt.put(point, id);
  }

  private int parentOf(String point) {
    String p = point;
    while (true) {
      int slash = p.lastIndexOf('/');
      p = slash <= 0 ? "/" : p.substring(0, slash);
      Integer id = idAt.get(p);
      if (id != null && mounts.stream().anyMatch(m -> m[0].equals(Integer.toString(id)))) {
        return id;
      }
      if (p.equals("/")) {
        return idAt.get("/");
      }
    }
  }

  private String mountinfo() {
    StringBuilder b = new StringBuilder();
    for (String[] m : mounts) {
      b.append(m[0]).append(' ').append(m[1]).append(' ').append(m[2]).append(' ').append(m[3]);
      b.append(' ').append(m[4]).append(' ').append(m[6]);
      if (!m[7].isEmpty()) {
        b.append(' ').append(m[7]);
      }
      b.append(" - ").append(m[8]).append(' ').append(escape(m[9])).append(' ').append(m[10]);
      b.append('\n');
    }
    return b.toString();
  }

  // ---- through the helper's own reader ----

  /** The {@code mounts host} result, read by the helper's {@link Inspector} from a fake /proc. */
  private static MountsResult hostTable(String mountinfo) {
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("glasshouse-test-mounts");
      Path proc = tmp.resolve("proc");
      for (long pid : new long[] {1, CONTAINER_PID}) {
        Path p = Files.createDirectories(proc.resolve(Long.toString(pid)).resolve("ns"));
        Files.writeString(p.getParent().resolve("mountinfo"), mountinfo);
        // The container shares the host's mount namespace (level 01) and has its own root.
        Files.createSymbolicLink(p.resolve("mnt"), Path.of("mnt:[4026531841]"));
        Files.createSymbolicLink(p.getParent().resolve("root"), Path.of(pid == 1 ? "/" : ROOTFS));
      }
      Inspector inspector =
          new Inspector(
              new HostFs(proc, tmp.resolve("root")),
              pid -> {
                throw new IOException("the fixture has no namespaces to enter");
              });
      return inspector.mounts("host", 1, null, Map.of(CONTAINER, CONTAINER_PID));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (tmp != null) {
        try (Stream<Path> files = Files.walk(tmp)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private static ObjectNode request(int id, String op) {
    return Json.object().put("id", id).put("op", op);
  }

  private static ObjectNode reply(int id, com.fasterxml.jackson.databind.JsonNode result) {
    ObjectNode r = Json.object().put("id", id).put("ok", true);
    r.set("result", result);
    return r;
  }

  private static String event(int count, MountsResult.Diff diff) {
    ObjectNode e = Json.object().put("event", "mounts").put("container", CONTAINER);
    e.setAll((ObjectNode) Json.tree(new MountsEvent(CONTAINER_PID, count, diff)));
    return Json.write(e);
  }

  // ---- names ----

  private static String escape(String s) {
    return s.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011");
  }

  private String hex(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(Character.forDigit(random.nextInt(16), 16));
    }
    return b.toString();
  }

  private String uuid() {
    return hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12);
  }

  private String pick(String... options) {
    return options[random.nextInt(options.length)];
  }
}
