package org.glasshouse.app.core;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Lines in and out of a socket channel, directly on the channel. Not through {@code
 * Channels.newInputStream/newOutputStream}: on Java 17 both lock the channel's blocking lock, so a
 * reader blocked waiting for the helper would stop every write.
 */
final class LineChannel {
  /** The protocol's cap on one line. */
  static final int MAX_LINE = 1 << 20;

  private final SocketChannel ch;
  private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final Object writeLock = new Object();

  LineChannel(SocketChannel ch) {
    this.ch = ch;
  }

  /** The next line without its newline, or null at end of stream. */
  String readLine() throws IOException {
    while (true) {
      while (in.hasRemaining()) {
        byte b = in.get();
        if (b == '\n') {
          String s = line.toString(StandardCharsets.UTF_8);
          line.reset();
          return s;
        }
        if (line.size() >= MAX_LINE) {
          throw new IOException("the helper sent a line longer than 1 MiB");
        }
        line.write(b);
      }
      in.clear();
      int n = ch.read(in);
      in.flip();
      if (n < 0) {
        if (line.size() > 0) {
          throw new EOFException("the helper closed the connection mid-line");
        }
        return null;
      }
    }
  }

  /** Writes one line (a newline is appended); callable from any thread. */
  void writeLine(String s) throws IOException {
    ByteBuffer out = ByteBuffer.wrap((s + "\n").getBytes(StandardCharsets.UTF_8));
    synchronized (writeLock) {
      while (out.hasRemaining()) {
        ch.write(out);
      }
    }
  }
}
