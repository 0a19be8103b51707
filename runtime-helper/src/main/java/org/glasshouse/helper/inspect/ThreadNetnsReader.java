package org.glasshouse.helper.inspect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.glasshouse.helper.linux.Errno;
import org.glasshouse.helper.linux.Flags;
import org.glasshouse.helper.linux.NetlinkCalls;
import org.glasshouse.helper.linux.SyscallException;
import org.glasshouse.helper.linux.Syscalls;
import org.glasshouse.helper.netlink.NlDump;
import org.glasshouse.helper.netlink.NlMessage;
import org.glasshouse.helper.netlink.NlParser;
import org.glasshouse.helper.netlink.Rtnl;

/**
 * Reads a process's hostname, links and addresses without spawning anything: a new thread — never a
 * pooled one — opens {@code /proc/PID/ns/net} and {@code /proc/PID/ns/uts}, {@code setns()}es into
 * both (a thread of a multi-threaded process may change its network and UTS namespaces, never its
 * mount or user namespace, and nothing here asks for those), reads the nodename from {@code
 * /proc/sys/kernel/hostname} (which answers for the reading thread's UTS namespace) and opens a
 * {@code NETLINK_ROUTE} socket, which belongs to the namespace it was opened in for its whole life.
 * Then the thread ends: it never runs anything else in the foreign namespaces. The calling thread
 * dumps the links and addresses on that socket and closes it.
 *
 * <p>Thread-safe: each read has its own thread and socket.
 */
final class ThreadNetnsReader implements NetnsReader {

  private final String proc;
  private final Syscalls sys;
  private final NetlinkCalls nl;

  /**
   * @param proc where procfs is mounted ({@code /proc})
   * @param sys open, setns and close
   * @param nl the netlink socket
   */
  ThreadNetnsReader(String proc, Syscalls sys, NetlinkCalls nl) {
    this.proc = proc;
    this.sys = sys;
    this.nl = nl;
  }

  /** What the thread inside hands back: the nodename and a socket in the namespace. */
  private record Inside(String hostname, int socket) {}

  @Override
  public View read(long pid) throws ProcessGoneException, IOException {
    return begin(pid).finish();
  }

  @Override
  public Pending begin(long pid) {
    CompletableFuture<Inside> done = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                done.complete(enter(pid));
              } catch (Throwable e) {
                done.completeExceptionally(e);
              }
            },
            "glasshouse-netns-" + pid);
    t.setDaemon(true);
    t.start();
    return new Pending() {
      private boolean used;

      @Override
      public View finish() throws ProcessGoneException, IOException {
        if (used) {
          throw new IllegalStateException("finished twice");
        }
        used = true;
        return dump(pid, done);
      }

      @Override
      public void close() {
        if (!used) {
          used = true;
          done.thenAccept(i -> nl.close(i.socket()));
        }
      }
    };
  }

  /** Waits for the thread inside, then dumps links and addresses on its socket and closes it. */
  private View dump(long pid, CompletableFuture<Inside> done)
      throws ProcessGoneException, IOException {
    Inside in;
    try {
      in = done.get();
    } catch (InterruptedException e) {
      // The thread finishes on its own; a socket it still opens is closed then.
      done.thenAccept(i -> nl.close(i.socket()));
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the namespaces of process " + pid, e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ProcessGoneException g) {
        throw g;
      }
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof SyscallException s) {
        throw new IOException(s.getMessage(), s);
      }
      throw new IOException("reading the namespaces of process " + pid + " failed: " + c, c);
    }
    try {
      List<NlParser.Link> links = new ArrayList<>();
      for (NlParser.Message m :
          NlDump.dump(
              nl,
              in.socket(),
              NlMessage.link(Rtnl.RTM_GETLINK, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, 0, 0, 0),
              1)) {
        if (m.type() == Rtnl.RTM_NEWLINK) {
          links.add(NlParser.link(m));
        }
      }
      List<NlParser.Address> addresses = new ArrayList<>();
      for (NlParser.Message m :
          NlDump.dump(
              nl,
              in.socket(),
              NlMessage.addr(
                  Rtnl.RTM_GETADDR, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_DUMP, Rtnl.AF_UNSPEC, 0, 0, 0),
              2)) {
        if (m.type() == Rtnl.RTM_NEWADDR) {
          addresses.add(NlParser.address(m));
        }
      }
      return new View(in.hostname(), links, addresses);
    } catch (SyscallException e) {
      throw new IOException(e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed answer from the kernel: " + e.getMessage(), e);
    } finally {
      nl.close(in.socket());
    }
  }

  /** On the throwaway thread: after this it is no longer in the helper's namespaces. */
  private Inside enter(long pid) throws ProcessGoneException, SyscallException, IOException {
    String netPath = proc + "/" + pid + "/ns/net";
    String utsPath = proc + "/" + pid + "/ns/uts";
    int net = openNs(pid, netPath);
    try {
      int uts = openNs(pid, utsPath);
      try {
        sys.setns(net, Flags.CLONE_NEWNET, netPath);
        sys.setns(uts, Flags.CLONE_NEWUTS, utsPath);
      } finally {
        closeQuietly(uts);
      }
    } finally {
      closeQuietly(net);
    }
    String hostname =
        Files.readString(Path.of(proc, "sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
    return new Inside(hostname, nl.open());
  }

  private int openNs(long pid, String path) throws ProcessGoneException, SyscallException {
    try {
      return sys.open(path, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);
    } catch (SyscallException e) {
      if (e.errno() == Errno.ENOENT || e.errno() == Errno.ESRCH) {
        throw new ProcessGoneException(pid, e);
      }
      throw e;
    }
  }

  private void closeQuietly(int fd) {
    try {
      sys.close(fd);
    } catch (SyscallException e) {
      // Nothing to do about a failed close of a namespace fd.
    }
  }
}
