package org.glasshouse.helper.runtime.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.glasshouse.helper.linux.Call;
import org.glasshouse.helper.linux.FileErrors;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.helper.linux.FsFlags;
import org.glasshouse.helper.linux.NetlinkCalls;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.netlink.Ipv4;
import org.glasshouse.helper.netlink.NlAttr;
import org.glasshouse.helper.netlink.NlMessage;
import org.glasshouse.helper.netlink.NlParser;
import org.glasshouse.helper.netlink.Rtnl;
import org.glasshouse.helper.plan.StepLog;
import org.glasshouse.helper.plan.StepLog.StepException;

/**
 * Level 07's bonus: containers of one helper on one bridge, each through a veth pair, all set up
 * with rtnetlink messages built in Java so the step log shows every RTM_NEWLINK, RTM_NEWADDR and
 * RTM_NEWROUTE and the kernel's answer.
 *
 * <p>The container side (its {@code lo}, the address of its end, its default route) is configured
 * by the helper, not by the init stage: a throwaway thread {@code setns}es into the container's
 * network namespace, opens its netlink socket there, configures, and ends — a thread whose kernel
 * state changed never goes back to a pool. Doing it in the init stage would need a second wait in
 * the init's ladder (the veth end can only be pushed into the namespace from the host side, after
 * the init exists), and would split one wiring into two processes' logs and undo stacks; here the
 * whole pair is made, and unmade, in one place. It happens before the init is told to exec, so the
 * command starts with its network up.
 *
 * <p>The bridge lives as long as this helper has a networked container: made with the first,
 * deleted with the last (and by the start-up sweep after a crash). Forwarding is switched off on
 * the bridge ({@code net.ipv4.conf.<bridge>.forwarding=0}): containers reach each other and the
 * host's bridge address, but the host never routes their packets anywhere else — no traffic leaves
 * the machine, whatever the host's {@code ip_forward}. There is no NAT.
 *
 * <p>A container's wiring is undone when it exits (so {@code ip netns list} shows exactly the
 * running ones) or when it is removed, whichever comes first; undoing twice is a no-op.
 */
public final class BridgeNetwork {

  /** The step name of every entry. */
  public static final String STEP = "network";

  /** The container end's name. */
  public static final String CONTAINER_END = "eth0";

  private final NetworkConfig config;
  private final NetlinkCalls nl;
  private final Syscalls sys;
  private final Path confDir;
  private final Map<String, State> active = new ConcurrentHashMap<>();
  private final BitSet used = new BitSet();
  private Cidr subnet;
  private int bridgeIndex;

  /** What is known of one container's wiring while it is made (for a partial undo). */
  private static final class State {
    final String id;
    int host;
    NetworkAttachment wiring;
    boolean linked;

    State(String id) {
      this.id = id;
    }
  }

  public BridgeNetwork(NetworkConfig config, NetlinkCalls nl, Syscalls sys) {
    this(config, nl, sys, Path.of("/proc/sys/net/ipv4/conf"));
  }

  /** With another place for the per-interface IPv4 sysctls (tests). */
  BridgeNetwork(NetworkConfig config, NetlinkCalls nl, Syscalls sys, Path confDir) {
    this.config = config;
    this.nl = nl;
    this.sys = sys;
    this.confDir = confDir;
  }

  /** The configuration. */
  public NetworkConfig config() {
    return config;
  }

  /** The wiring of a container while it has one. */
  public Optional<NetworkAttachment> attachment(String id) {
    State s = active.get(id);
    return s == null ? Optional.empty() : Optional.ofNullable(s.wiring);
  }

  /**
   * Wires the container whose first process is {@code pid} (its network namespace is that
   * process's): bridge (the first time), veth pair, address, routes, the {@code ip netns} link. On
   * failure what was made is undone before the exception leaves.
   */
  public synchronized NetworkAttachment attach(String id, long pid, StepLog log)
      throws StepException {
    if (active.containsKey(id)) {
      throw new IllegalStateException("container " + id + " is wired already");
    }
    State s = new State(id);
    active.put(id, s);
    try {
      String hostEnd = NetworkConfig.hostEnd(id);
      String nsPath = "/proc/" + pid + "/ns/net";
      try (RouteSocket host = RouteSocket.open(nl, log, STEP, "the host's")) {
        if (bridgeIndex == 0) {
          createBridge(host, log);
        }
        s.host = allocate(log);
        int nsFd =
            log.run(
                STEP,
                "helper",
                Call.open(nsPath, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC),
                "the container's first process must still be running",
                () -> sys.open(nsPath, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC));
        try {
          // The pair is made on the host with its peer born inside the container's namespace:
          // the peer's name (eth0) only has to be free there.
          host.ack(
              NlMessage.link(
                  Rtnl.RTM_NEWLINK,
                  Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_EXCL | Rtnl.NLM_F_CREATE,
                  0,
                  0,
                  0,
                  NlAttr.string(Rtnl.IFLA_IFNAME, "IFLA_IFNAME", hostEnd),
                  NlAttr.nested(
                      Rtnl.IFLA_LINKINFO,
                      "IFLA_LINKINFO",
                      NlAttr.chars(Rtnl.IFLA_INFO_KIND, "IFLA_INFO_KIND", "veth"),
                      NlAttr.nested(
                          Rtnl.IFLA_INFO_DATA,
                          "IFLA_INFO_DATA",
                          NlAttr.nestedWithHeader(
                              Rtnl.VETH_INFO_PEER,
                              "VETH_INFO_PEER",
                              NlMessage.ifinfomsg(0, 0, 0),
                              NlMessage.ifinfoText(0, 0, 0),
                              NlAttr.u32(Rtnl.IFLA_NET_NS_FD, "IFLA_NET_NS_FD", nsFd),
                              NlAttr.string(Rtnl.IFLA_IFNAME, "IFLA_IFNAME", CONTAINER_END))))),
              "creating a veth pair needs CAP_NET_ADMIN; EEXIST: an interface named "
                  + hostEnd
                  + " exists already");
        } finally {
          closeQuietly(nsFd);
        }
        // Plugged into the bridge and up: the host end carries the container's frames to the
        // bridge, which forwards them to the other ports (other containers) or up to the host.
        host.ack(
            NlMessage.link(
                Rtnl.RTM_NEWLINK,
                Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK,
                0,
                Rtnl.IFF_UP,
                Rtnl.IFF_UP,
                NlAttr.string(Rtnl.IFLA_IFNAME, "IFLA_IFNAME", hostEnd),
                NlAttr.u32(Rtnl.IFLA_MASTER, "IFLA_MASTER", bridgeIndex)),
            null);
      }
      Ipv4 address = subnet.host(s.host);
      Ipv4 gateway = subnet.host(1);
      configureInside(pid, address, gateway, log);
      Path link = linkNamespace(id, nsPath, log);
      s.linked = true;
      s.wiring =
          new NetworkAttachment(
              config.bridge(),
              gateway + "/" + subnet.prefix(),
              hostEnd,
              CONTAINER_END,
              address + "/" + subnet.prefix(),
              gateway.toString(),
              link.toString());
      return s.wiring;
    } catch (StepException | RuntimeException e) {
      try {
        detach(id, log);
      } catch (IOException u) {
        e.addSuppressed(u);
      }
      throw e;
    }
  }

  /**
   * The bridge, its address and its state, once per helper lifetime (or again after the last
   * container left). The host's addresses are read first: a subnet some interface already uses
   * (another helper's bridge, a VPN) would make two routes for one network.
   */
  private void createBridge(RouteSocket host, StepLog log) throws StepException {
    List<NlParser.Addr> addrs = host.addresses();
    Cidr chosen = pickSubnet(addrs, log);
    host.ack(
        NlMessage.link(
            Rtnl.RTM_NEWLINK,
            Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_EXCL | Rtnl.NLM_F_CREATE,
            0,
            0,
            0,
            NlAttr.string(Rtnl.IFLA_IFNAME, "IFLA_IFNAME", config.bridge()),
            NlAttr.nested(
                Rtnl.IFLA_LINKINFO,
                "IFLA_LINKINFO",
                NlAttr.chars(Rtnl.IFLA_INFO_KIND, "IFLA_INFO_KIND", "bridge"))),
        "EEXIST: an interface named "
            + config.bridge()
            + " exists already (another helper's bridge? start this one with --bridge NAME)");
    try {
      int index =
          host.link(config.bridge())
              .orElseThrow(
                  () -> new IllegalStateException("the bridge vanished right after its creation"))
              .index();
      Path forwarding = confDir.resolve(config.bridge()).resolve("forwarding");
      Call noForwarding = Call.writeFile(forwarding.toString(), "0");
      log.run(
          STEP,
          "helper",
          noForwarding,
          "without this the host could route the containers' packets off the machine",
          () -> {
            try {
              Files.write(
                  forwarding,
                  "0".getBytes(StandardCharsets.US_ASCII),
                  StandardOpenOption.WRITE,
                  StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
              throw FileErrors.thrownAs(noForwarding, e);
            }
            return null;
          });
      host.ack(
          NlMessage.addr(
              Rtnl.RTM_NEWADDR,
              Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_EXCL | Rtnl.NLM_F_CREATE,
              Rtnl.AF_INET,
              chosen.prefix(),
              Rtnl.RT_SCOPE_UNIVERSE,
              index,
              NlAttr.ipv4(Rtnl.IFA_LOCAL, "IFA_LOCAL", chosen.host(1)),
              NlAttr.ipv4(Rtnl.IFA_ADDRESS, "IFA_ADDRESS", chosen.host(1))),
          null);
      host.ack(
          NlMessage.link(
              Rtnl.RTM_NEWLINK,
              Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK,
              index,
              Rtnl.IFF_UP,
              Rtnl.IFF_UP),
          null);
      this.subnet = chosen;
      this.bridgeIndex = index;
    } catch (StepException | RuntimeException e) {
      deleteLink(host, config.bridge(), e);
      throw e;
    }
  }

  private Cidr pickSubnet(List<NlParser.Addr> addrs, StepLog log) throws StepException {
    Cidr want = config.subnet();
    int tries = config.subnetGiven() ? 1 : 256;
    for (int i = 0; i < tries; i++) {
      int n = i;
      Cidr c = want.next(n);
      Optional<NlParser.Addr> clash =
          addrs.stream()
              .filter(a -> a.local() != null && c.overlaps(a.local(), a.prefixLen()))
              .findFirst();
      if (clash.isEmpty()) {
        log.run(
            STEP,
            "helper",
            "check",
            c + " against the host's " + addrs.size() + " IPv4 addresses",
            null,
            () -> "free" + (n == 0 ? "" : " (" + want + " … were in use)"));
        return c;
      }
      if (config.subnetGiven()) {
        NlParser.Addr a = clash.get();
        log.run(
            STEP,
            "helper",
            "check",
            c + " against the host's " + addrs.size() + " IPv4 addresses",
            "another interface of the host is in this subnet: two routes for one network would"
                + " send packets to the wrong place; choose another subnet (--subnet)",
            () -> {
              throw new IOException(
                  c + " is in use: " + a.local() + "/" + a.prefixLen() + " on " + a.label());
            });
      }
    }
    return log.run(
        STEP,
        "helper",
        "check",
        want + " and the next 255 subnets against the host's addresses",
        "choose a free subnet with --subnet",
        () -> {
          throw new IOException("no free subnet from " + want + " on");
        });
  }

  /** The lowest free host number (2 …): the bridge has 1. */
  private int allocate(StepLog log) throws StepException {
    int n = used.nextClearBit(2);
    if (n - 1 > subnet.containerAddresses()) {
      return log.run(
          STEP,
          "helper",
          "allocate",
          "an address in " + subnet,
          "every address of the subnet is taken by a running container",
          () -> {
            throw new IOException(subnet + " is full");
          });
    }
    used.set(n);
    return n;
  }

  /**
   * The container's side, from a thread that joins its network namespace: {@code lo} up, the
   * address on {@code eth0}, {@code eth0} up, the default route. The thread ends afterwards.
   */
  private void configureInside(long pid, Ipv4 address, Ipv4 gateway, StepLog log)
      throws StepException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                inside(pid, address, gateway, log);
                done.complete(null);
              } catch (Throwable e) {
                done.completeExceptionally(e);
              }
            },
            "glasshouse-netns-" + pid);
    t.start();
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while configuring the container's network", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StepException se) {
        throw se;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }

  /** Runs on the throwaway thread: after setns it is no longer in the host's namespace. */
  private void inside(long pid, Ipv4 address, Ipv4 gateway, StepLog log) throws StepException {
    String nsPath = "/proc/" + pid + "/ns/net";
    int fd =
        log.run(
            STEP,
            "helper",
            Call.open(nsPath, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC),
            null,
            () -> sys.open(nsPath, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC));
    try {
      log.run(
          STEP,
          "helper",
          Call.setns(fd, Flags.CLONE_NEWNET, nsPath),
          "joining a network namespace needs CAP_SYS_ADMIN",
          () -> {
            sys.setns(fd, Flags.CLONE_NEWNET, nsPath);
            return null;
          });
    } finally {
      closeQuietly(fd);
    }
    try (RouteSocket in = RouteSocket.open(nl, log, STEP, "the container's")) {
      // lo first: a fresh namespace's loopback is down, and 127.0.0.1 does not answer until it
      // is up (level 07's plain namespace leaves it down on purpose).
      in.ack(
          NlMessage.link(
              Rtnl.RTM_NEWLINK,
              Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK,
              0,
              Rtnl.IFF_UP,
              Rtnl.IFF_UP,
              NlAttr.string(Rtnl.IFLA_IFNAME, "IFLA_IFNAME", "lo")),
          null);
      int eth0 =
          in.link(CONTAINER_END)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no " + CONTAINER_END + " in the container's namespace"))
              .index();
      in.ack(
          NlMessage.addr(
              Rtnl.RTM_NEWADDR,
              Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_EXCL | Rtnl.NLM_F_CREATE,
              Rtnl.AF_INET,
              subnet.prefix(),
              Rtnl.RT_SCOPE_UNIVERSE,
              eth0,
              NlAttr.ipv4(Rtnl.IFA_LOCAL, "IFA_LOCAL", address),
              NlAttr.ipv4(Rtnl.IFA_ADDRESS, "IFA_ADDRESS", address)),
          null);
      in.ack(
          NlMessage.link(
              Rtnl.RTM_NEWLINK,
              Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK,
              eth0,
              Rtnl.IFF_UP,
              Rtnl.IFF_UP),
          null);
      // Everything not on the bridge's subnet goes to the bridge's address. The host does not
      // forward it further (forwarding is off on the bridge): the route is the lesson, not a way
      // out.
      in.ack(
          NlMessage.route(
              Rtnl.RTM_NEWROUTE,
              Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_EXCL | Rtnl.NLM_F_CREATE,
              Rtnl.AF_INET,
              0,
              Rtnl.RTPROT_BOOT,
              Rtnl.RT_SCOPE_UNIVERSE,
              Rtnl.RTN_UNICAST,
              NlAttr.ipv4(Rtnl.RTA_GATEWAY, "RTA_GATEWAY", gateway)),
          "ENETUNREACH: the gateway must be on a subnet of an up interface");
    }
  }

  /**
   * {@code ip netns add} by hand: an empty file under /run/netns with the namespace bind-mounted on
   * it, so {@code ip netns exec <id> …} (which opens that file and setns()es) works while the
   * container runs.
   */
  private Path linkNamespace(String id, String nsPath, StepLog log) throws StepException {
    Path dir = config.netnsDir();
    Path link = dir.resolve(id);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Call mkdir = Call.mkdir(dir.toString(), 0755);
      log.run(
          STEP,
          "helper",
          mkdir,
          null,
          () -> {
            try {
              Files.createDirectory(
                  dir,
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rwxr-xr-x")));
            } catch (FileAlreadyExistsException e) {
              // Made meanwhile by ip netns or another helper: what was wanted.
            } catch (IOException e) {
              throw FileErrors.thrownAs(mkdir, e);
            }
            return null;
          });
    }
    // An empty file to bind the namespace on, as ip netns add makes it (which opens it O_RDONLY;
    // java.nio creates a file only when it opens it for writing).
    int createFlags = FsFlags.O_WRONLY | FsFlags.O_CREAT | FsFlags.O_EXCL;
    Call create = Call.open(link.toString(), createFlags, 0);
    log.run(
        STEP,
        "helper",
        create,
        "a file of that name exists already in " + dir,
        () -> {
          try {
            Files.newByteChannel(
                    link,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(Set.of()))
                .close();
          } catch (IOException e) {
            throw FileErrors.thrownAs(create, e);
          }
          return null;
        });
    try {
      log.run(
          STEP,
          "helper",
          Call.mount(nsPath, link.toString(), "none", Flags.MS_BIND, null),
          null,
          () -> {
            sys.mount(nsPath, link.toString(), "none", Flags.MS_BIND, null);
            return null;
          });
    } catch (StepException e) {
      try {
        Files.deleteIfExists(link);
      } catch (IOException d) {
        e.addSuppressed(d);
      }
      throw e;
    }
    return link;
  }

  /**
   * Unwires a container: the {@code ip netns} link, the veth pair (deleting one end deletes both),
   * its address back to the pool, and the bridge when it was the last. Idempotent; every part is
   * tried even when one fails.
   *
   * @throws IOException naming what was left behind
   */
  public synchronized void detach(String id, StepLog log) throws IOException {
    State s = active.remove(id);
    if (s == null) {
      return;
    }
    List<Exception> failures = new ArrayList<>();
    Path link = config.netnsDir().resolve(id);
    try {
      unlinkNamespace(link, log);
    } catch (StepException e) {
      failures.add(e);
    }
    try (RouteSocket host = RouteSocket.open(nl, log, STEP, "the host's")) {
      deleteLink(host, NetworkConfig.hostEnd(id), null);
      if (s.host > 0) {
        used.clear(s.host);
      }
      if (active.isEmpty() && bridgeIndex != 0) {
        // The last container is gone: the bridge goes with it (the next one makes it anew).
        bridgeIndex = 0;
        subnet = null;
        deleteLink(host, config.bridge(), null);
      }
    } catch (StepException e) {
      failures.add(e);
    }
    if (!failures.isEmpty()) {
      IOException e =
          new IOException(
              "the network of " + id + " was not fully removed: " + failures.get(0).getMessage(),
              failures.get(0));
      failures.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    }
  }

  private void unlinkNamespace(Path link, StepLog log) throws StepException {
    if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    log.run(
        STEP,
        "helper",
        Call.umount2(link.toString(), Flags.MNT_DETACH),
        null,
        () -> {
          try {
            sys.umount2(link.toString(), Flags.MNT_DETACH);
          } catch (SyscallException e) {
            // EINVAL: not a mount point (the bind never happened); the file still goes.
            if (!"EINVAL".equals(e.errnoName())) {
              throw e;
            }
          }
          return null;
        });
    Call unlink = Call.unlink(link.toString());
    log.run(
        STEP,
        "helper",
        unlink,
        null,
        () -> {
          try {
            Files.deleteIfExists(link);
          } catch (IOException e) {
            throw FileErrors.thrownAs(unlink, e);
          }
          return null;
        });
  }

  /** RTM_DELLINK by name; a link that is gone already (ENODEV) is what was wanted. */
  private static void deleteLink(RouteSocket sock, String name, Exception into)
      throws StepException {
    try {
      sock.deleteLink(name);
    } catch (StepException e) {
      if (into != null) {
        into.addSuppressed(e);
        return;
      }
      throw e;
    }
  }

  /**
   * The start-up sweep's part: what a dead helper's containers {@code ids} left of their wiring
   * (their {@code ip netns} links, which keep their namespaces and veth pairs alive; the host ends
   * of those pairs) and this helper's bridge.
   *
   * @param done a sentence per action taken
   * @param failures a sentence per thing left behind
   */
  public synchronized void sweep(Collection<String> ids, List<String> done, List<String> failures) {
    StepLog log =
        new StepLog(
            e -> {
              boolean acted = e.ok() && !RouteSocket.GONE.equals(e.result());
              if (acted && List.of("umount2", "unlink", "RTM_DELLINK").contains(e.call())) {
                done.add(e.call() + " " + e.args());
              }
            });
    for (String id : ids) {
      try {
        unlinkNamespace(config.netnsDir().resolve(id), log);
      } catch (StepException e) {
        failures.add("cannot remove " + config.netnsDir().resolve(id) + ": " + e.getMessage());
      }
    }
    try (RouteSocket host = RouteSocket.open(nl, log, STEP, "the host's")) {
      for (String id : ids) {
        deleteLink(host, NetworkConfig.hostEnd(id), null);
      }
      if (active.isEmpty()) {
        deleteLink(host, config.bridge(), null);
      }
    } catch (StepException e) {
      failures.add("cannot remove the network leftovers: " + e.getMessage());
    }
  }

  /**
   * Unwires every container still wired (helper shutdown), each as far as it goes.
   *
   * @return what could not be removed, one sentence per container naming it (for the helper's log;
   *     the next helper's sweep removes what is left)
   */
  public List<String> close() {
    List<String> failures = new ArrayList<>();
    for (String id : List.copyOf(active.keySet())) {
      try {
        detach(id, new StepLog(e -> {}));
      } catch (IOException e) {
        failures.add(e.getMessage());
      }
    }
    return failures;
  }

  private void closeQuietly(int fd) {
    try {
      sys.close(fd);
    } catch (SyscallException e) {
      // The fd is close-on-exec and ours alone: nothing else to do.
    }
  }
}
