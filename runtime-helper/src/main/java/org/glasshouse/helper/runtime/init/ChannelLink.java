package org.glasshouse.helper.runtime.init;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import org.glasshouse.helper.plan.InitLines;
import org.glasshouse.helper.plan.InitMessage;
import org.glasshouse.helper.plan.InitPlan;
import org.glasshouse.protocol.JsonLines;
import org.glasshouse.protocol.StepEntry;

/**
 * The init stage's end of the init channel: JSON lines ({@link InitLines}) over the helper's Unix
 * socket.
 */
final class ChannelLink implements InitLink {
  private final SocketChannel channel;
  private final JsonLines.LineReader in;
  private final OutputStream out;

  ChannelLink(SocketChannel channel) {
    this.channel = channel;
    this.in = new JsonLines.LineReader(channel);
    // Buffered: step entries go out in batches, flushed at ready, exec and failure (fewer wake-ups
    // of the helper on the start's critical path).
    this.out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
  }

  synchronized void send(InitMessage m) throws IOException {
    write(m);
    out.flush();
  }

  private synchronized void write(InitMessage m) throws IOException {
    out.write(InitLines.encode(m));
  }

  InitMessage receive() throws IOException {
    InitMessage m = InitLines.read(in);
    if (m == null) {
      throw new IOException("the helper closed the init channel");
    }
    return m;
  }

  InitPlan hello(String token) throws IOException {
    send(new InitMessage("hello", token, null, null, null, null));
    InitMessage m = receive();
    if (!"plan".equals(m.type()) || m.plan() == null) {
      throw new IOException("expected a plan from the helper, got " + m.type());
    }
    return m.plan();
  }

  @Override
  public void step(StepEntry entry) {
    try {
      write(new InitMessage("step", null, null, entry, null, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void ready(long pid) throws IOException {
    send(new InitMessage("ready", null, null, null, pid, null));
  }

  @Override
  public void awaitRoots() throws IOException {
    InitMessage m = receive();
    if (!"roots".equals(m.type())) {
      throw new IOException("expected roots from the helper, got " + m.type());
    }
  }

  @Override
  public void awaitGo() throws IOException {
    InitMessage m = receive();
    if (!"go".equals(m.type())) {
      throw new IOException("expected go from the helper, got " + m.type());
    }
  }

  @Override
  public void aboutToExec(StepEntry pending) throws IOException {
    send(new InitMessage("exec", null, null, pending, null, null));
  }

  @Override
  public void spawned(long pid) throws IOException {
    send(new InitMessage("spawned", null, null, null, pid, null));
    channel.close();
  }

  void failed(String message) {
    try {
      send(new InitMessage("failed", null, null, null, null, message));
    } catch (IOException e) {
      // The helper is gone; our exit status is all that is left to say it.
      System.err.println("glasshouse init: " + message);
    }
  }
}
