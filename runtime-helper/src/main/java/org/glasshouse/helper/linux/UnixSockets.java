package org.glasshouse.helper.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unix stream sockets through libc, for the helper's server: the JDK's channels cannot tell the
 * peer's numeric uid (its {@code SO_PEERCRED} option maps the uid to a user <em>name</em>, and a
 * name made only of digits would then pass for another uid), cannot set a receive timeout, and
 * choose their own listen backlog behaviour. Here the kernel's {@code struct ucred} is read as it
 * is.
 */
public final class UnixSockets {

  private UnixSockets() {}

  /** libc's socket calls. */
  interface LibC extends Library {
    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, Pointer addr, int len) throws LastErrorException;

    int listen(int fd, int backlog) throws LastErrorException;

    int accept4(int fd, Pointer addr, Pointer len, int flags) throws LastErrorException;

    int getsockopt(int fd, int level, int name, Pointer value, IntByReference len)
        throws LastErrorException;

    int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

    int getsockname(int fd, Pointer addr, IntByReference len) throws LastErrorException;

    NativeLong recv(int fd, Pointer buf, NativeLong len, int flags) throws LastErrorException;

    NativeLong send(int fd, Pointer buf, NativeLong len, int flags) throws LastErrorException;

    int shutdown(int fd, int how) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    String strerror(int errno);
  }

  private static final LibC LIBC = Native.load("c", LibC.class);

  private static final int AF_UNIX = 1;
  private static final int SOCK_STREAM = 1;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int SOL_SOCKET = 1;
  private static final int SO_TYPE = 3;
  private static final int SO_PEERCRED = 17;
  private static final int SO_ACCEPTCONN = 30;
  private static final int SO_DOMAIN = 39;
  private static final int SO_RCVTIMEO = 20;
  private static final int SHUT_RDWR = 2;
  private static final int MSG_DONTWAIT = 0x40;
  private static final int MSG_NOSIGNAL = 0x4000;
  private static final int EAGAIN = 11;
  private static final int SUN_PATH_MAX = 108;
  private static final int BUFFER_BYTES = 64 * 1024;

  /**
   * The peer of a connection as the kernel recorded it at {@code connect()}: {@code struct ucred}.
   */
  public record Credentials(long pid, int uid, int gid) {}

  /** The receive timeout passed with nothing received. */
  public static final class ReceiveTimeout extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    ReceiveTimeout() {
      super("no data within the receive timeout");
    }
  }

  private static IOException failure(String call, LastErrorException e) {
    int errno = e.getErrorCode();
    return new IOException(
        call + " = -1 " + Errno.name(errno) + " (" + LIBC.strerror(errno) + ")", e);
  }

  /** A listening socket bound to a path. */
  public static final class Server {
    private final int fd;
    private final Path path;
    private final boolean adopted;
    private volatile boolean shut;
    private boolean closed;

    private Server(int fd, Path path, boolean adopted) {
      this.fd = fd;
      this.path = path;
      this.adopted = adopted;
    }

    /**
     * Serves a listening socket someone else bound and passed as {@code fd} (socket activation),
     * after checking it is one: {@code AF_UNIX}, {@code SOCK_STREAM}, listening. The backlog is set
     * again to {@code backlog} ({@code listen(2)} on a listening socket only changes it), so the
     * kernel queues no more than the helper admits whoever bound it.
     */
    public static Server adopt(int fd, int backlog) throws IOException {
      if (intOption(fd, SO_DOMAIN, "SO_DOMAIN") != AF_UNIX
          || intOption(fd, SO_TYPE, "SO_TYPE") != SOCK_STREAM
          || intOption(fd, SO_ACCEPTCONN, "SO_ACCEPTCONN") != 1) {
        throw new IOException("fd " + fd + " is not a listening AF_UNIX stream socket");
      }
      try {
        LIBC.listen(fd, backlog);
      } catch (LastErrorException e) {
        throw failure("listen(" + fd + ", " + backlog + ")", e);
      }
      Memory addr = new Memory(2 + SUN_PATH_MAX);
      addr.clear();
      IntByReference len = new IntByReference(2 + SUN_PATH_MAX);
      try {
        LIBC.getsockname(fd, addr, len);
      } catch (LastErrorException e) {
        throw failure("getsockname(" + fd + ")", e);
      }
      int n = Math.max(0, Math.min(len.getValue(), 2 + SUN_PATH_MAX) - 2);
      byte[] name = addr.getByteArray(2, n);
      int end = 0;
      while (end < name.length && name[end] != 0) {
        end++;
      }
      return new Server(fd, Path.of(new String(name, 0, end, StandardCharsets.UTF_8)), true);
    }

    private static int intOption(int fd, int option, String name) throws IOException {
      Memory value = new Memory(4);
      IntByReference len = new IntByReference(4);
      try {
        LIBC.getsockopt(fd, SOL_SOCKET, option, value, len);
      } catch (LastErrorException e) {
        throw failure("getsockopt(" + fd + ", SOL_SOCKET, " + name + ")", e);
      }
      return value.getInt(0);
    }

    /** The path the socket is bound to. */
    public Path path() {
      return path;
    }

    /**
     * Binds {@code path} (which must not exist) and listens with {@code backlog}: how many
     * connections the kernel queues until the helper accepts them.
     */
    public static Server bind(Path path, int backlog) throws IOException {
      byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
      if (name.length >= SUN_PATH_MAX) {
        throw new IOException(
            "socket path " + path + " is longer than " + (SUN_PATH_MAX - 1) + " bytes");
      }
      int fd;
      try {
        fd = LIBC.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      } catch (LastErrorException e) {
        throw failure("socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0)", e);
      }
      // struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }
      Memory addr = new Memory(2 + SUN_PATH_MAX);
      addr.clear();
      addr.setShort(0, (short) AF_UNIX);
      addr.write(2, name, 0, name.length);
      try {
        LIBC.bind(fd, addr, 2 + name.length + 1);
        LIBC.listen(fd, backlog);
      } catch (LastErrorException e) {
        LIBC.close(fd);
        throw failure("bind/listen(\"" + path + "\", " + backlog + ")", e);
      }
      return new Server(fd, path, false);
    }

    /**
     * The next connection (close-on-exec).
     *
     * @throws ClosedChannelException once {@link #shutdown} was called
     */
    public Connection accept() throws IOException {
      while (true) {
        if (shut) {
          throw new ClosedChannelException();
        }
        try {
          Connection c = new Connection(LIBC.accept4(fd, null, null, SOCK_CLOEXEC));
          if (shut) {
            c.close(); // the wake-up connection of an adopted socket's shutdown()
            throw new ClosedChannelException();
          }
          return c;
        } catch (LastErrorException e) {
          if (shut) {
            throw new ClosedChannelException();
          }
          if (e.getErrorCode() != Errno.EINTR && e.getErrorCode() != 103 /* ECONNABORTED */) {
            throw failure("accept4", e);
          }
        }
      }
    }

    /**
     * Stops accepting: a thread blocked in {@link #accept} returns. A socket we bound is shut down
     * (the kernel wakes the thread). An adopted one is not: the service manager holds the same
     * socket, and a shut-down listener refuses every later connect, so the next helper could never
     * be activated; one connection of our own wakes the thread instead.
     */
    public void shutdown() {
      shut = true;
      if (adopted) {
        try (SocketChannel wake = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
          return;
        } catch (IOException e) {
          return; // Nobody accepting any more, or the path is gone: nothing to wake.
        }
      }
      try {
        LIBC.shutdown(fd, SHUT_RDWR);
      } catch (LastErrorException e) {
        // ENOTCONN on some kernels for a listening socket; accept() is woken either way below.
      }
    }

    /** Closes the fd; call once no thread is in {@link #accept} any more. */
    public synchronized void close() {
      if (!closed) {
        closed = true;
        LIBC.close(fd);
      }
    }
  }

  /**
   * One accepted connection, a blocking {@link ByteChannel}. Any number of threads may {@link
   * #shutdown} it; the fd itself is closed by the last of its users to {@link #release} it, so no
   * thread ever reads or writes an fd number after it was closed (and perhaps reused).
   */
  public static final class Connection implements ByteChannel {
    private final int fd;
    private final Memory in = new Memory(BUFFER_BYTES);
    private final Memory out = new Memory(BUFFER_BYTES);
    private final AtomicInteger users = new AtomicInteger(1);
    private volatile boolean open = true;

    private Connection(int fd) {
      this.fd = fd;
    }

    /** The peer's pid, uid and gid ({@code SO_PEERCRED}), as numbers. */
    public Credentials peer() throws IOException {
      Memory ucred = new Memory(12);
      IntByReference len = new IntByReference(12);
      try {
        LIBC.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ucred, len);
      } catch (LastErrorException e) {
        throw failure("getsockopt(" + fd + ", SOL_SOCKET, SO_PEERCRED)", e);
      }
      return new Credentials(
          Integer.toUnsignedLong(ucred.getInt(0)), ucred.getInt(4), ucred.getInt(8));
    }

    /**
     * {@code SO_RCVTIMEO}: a {@link #read} that waits this long for data throws {@link
     * ReceiveTimeout} (the connection stays usable).
     */
    public void receiveTimeout(long millis) throws IOException {
      Memory tv = new Memory(16);
      tv.setLong(0, millis / 1000);
      tv.setLong(8, (millis % 1000) * 1000);
      try {
        LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
      } catch (LastErrorException e) {
        throw failure("setsockopt(" + fd + ", SOL_SOCKET, SO_RCVTIMEO)", e);
      }
    }

    /** Reads what is there (blocking until something is): -1 at end of stream. */
    @Override
    public int read(ByteBuffer dst) throws IOException {
      int want = Math.min(dst.remaining(), BUFFER_BYTES);
      if (want == 0) {
        return 0;
      }
      while (true) {
        int n;
        try {
          n = LIBC.recv(fd, in, new NativeLong(want), 0).intValue();
        } catch (LastErrorException e) {
          if (e.getErrorCode() == Errno.EINTR) {
            continue;
          }
          if (e.getErrorCode() == EAGAIN) {
            throw new ReceiveTimeout();
          }
          throw failure("recv", e);
        }
        if (n == 0) {
          return -1;
        }
        if (dst.hasArray()) {
          in.read(0, dst.array(), dst.arrayOffset() + dst.position(), n);
          dst.position(dst.position() + n);
        } else {
          dst.put(in.getByteArray(0, n));
        }
        return n;
      }
    }

    /** Writes some of {@code src} (blocking until the socket takes something). */
    @Override
    public int write(ByteBuffer src) throws IOException {
      int n = Math.min(src.remaining(), BUFFER_BYTES);
      if (src.hasArray()) {
        out.write(0, src.array(), src.arrayOffset() + src.position(), n);
      } else {
        byte[] b = new byte[n];
        src.duplicate().get(b);
        out.write(0, b, 0, n);
      }
      int sent = send(out, n, MSG_NOSIGNAL);
      src.position(src.position() + sent);
      return sent;
    }

    private int send(Memory buf, int n, int flags) throws IOException {
      while (true) {
        try {
          return LIBC.send(fd, buf, new NativeLong(n), flags).intValue();
        } catch (LastErrorException e) {
          if (e.getErrorCode() != Errno.EINTR) {
            throw failure("send", e);
          }
        }
      }
    }

    /**
     * Sends one short line without ever waiting (a refusal into a fresh connection, whose socket
     * buffer is empty); false when the socket did not take it all.
     */
    public boolean trySend(byte[] line) {
      if (line.length > BUFFER_BYTES) {
        return false;
      }
      Memory m = new Memory(line.length);
      m.write(0, line, 0, line.length);
      try {
        return send(m, line.length, MSG_NOSIGNAL | MSG_DONTWAIT) == line.length;
      } catch (IOException e) {
        return false;
      }
    }

    /** Ends both directions now: blocked reads return end of stream, blocked writes fail. */
    public void shutdown() {
      open = false;
      try {
        LIBC.shutdown(fd, SHUT_RDWR);
      } catch (LastErrorException e) {
        // ENOTCONN: the peer is gone already.
      }
    }

    /** One more user that will {@link #release} the connection. */
    public void retain() {
      users.incrementAndGet();
    }

    /** A user is done with the connection; the last one closes the fd. */
    public void release() {
      if (users.decrementAndGet() == 0) {
        open = false;
        LIBC.close(fd);
      }
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    /** Shuts the connection down and releases the caller's use of it. */
    @Override
    public void close() {
      shutdown();
      release();
    }
  }
}
