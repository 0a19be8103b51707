package org.glasshouse.app.terminal;

import com.techsenger.jeditermfx.core.TtyConnector;
import com.techsenger.jeditermfx.core.util.TermSize;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.glasshouse.app.core.LabService;
import org.glasshouse.app.core.SkippedOutput;

/**
 * Connects a JediTermFX widget to a container's pty, which lives in the helper: bytes the container
 * writes arrive as {@code output} events and are {@link #feed fed} here; keystrokes go back as
 * {@code stdin} requests and the widget's size as {@code resize}. The widget's emulator thread
 * blocks in {@link #read}; UTF-8 sequences split across events are decoded whole.
 */
public final class HelperTtyConnector implements TtyConnector {
  private static final byte[] EOF = new byte[0];

  private final LabService lab;
  private final String container;
  private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private ByteBuffer leftover = ByteBuffer.allocate(0);
  private volatile CharBuffer pending = CharBuffer.allocate(0);
  private volatile boolean closed;
  private static final int PARKED_MAX = 64 * 1024;
  // Parked chunks by reference (feed's callers do not change them), so parking costs no copy.
  private final ArrayDeque<byte[]> parked = new ArrayDeque<>();
  private long parkedSize;
  private static final int QUEUE_MAX = 128 * 1024;
  private final java.util.concurrent.atomic.AtomicLong queued =
      new java.util.concurrent.atomic.AtomicLong();
  private long skipped;
  private boolean active = true;

  public HelperTtyConnector(LabService lab, String container) {
    this.lab = lab;
    this.container = container;
  }

  /**
   * Hands bytes from the container to the terminal; any thread. The array is kept, not copied: the
   * caller must not change it afterwards.
   */
  public void feed(byte[] data) {
    if (closed || data.length == 0) {
      return;
    }
    synchronized (parked) {
      // Park when hidden, when the emulator is already behind, or behind earlier parked bytes
      // (order). Parked output keeps its last 64 KiB; the emulator gets it once it has caught up.
      if (!active || queued.get() > QUEUE_MAX || parkedSize > 0) {
        parked.addLast(data);
        parkedSize += data.length;
        // Keep the tail only: drop whole chunks from the front while the rest fills the cap.
        while (parkedSize - parked.peekFirst().length >= PARKED_MAX) {
          byte[] old = parked.removeFirst();
          parkedSize -= old.length;
          skipped += old.length;
        }
        if (active && queued.get() == 0) {
          release();
        }
        return;
      }
      queued.addAndGet(data.length);
    }
    chunks.add(data);
  }

  /**
   * Whether the terminal is on screen. Twenty emulators parsing floods of output at once would
   * starve the FX thread on a small machine, so a hidden terminal parks its output and replays the
   * tail when shown.
   */
  public void setActive(boolean on) {
    synchronized (parked) {
      active = on;
      if (on && queued.get() == 0) {
        release();
      }
    }
  }

  // Moves parked output (with a note of what was skipped) to the emulator; holds the parked lock.
  private void release() {
    if (parkedSize == 0) {
      return;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    if (skipped > 0) {
      out.writeBytes(SkippedOutput.note(skipped));
      skipped = 0;
    }
    for (byte[] c : parked) {
      out.writeBytes(c);
    }
    parked.clear();
    parkedSize = 0;
    queued.addAndGet(out.size());
    chunks.add(out.toByteArray());
  }

  @Override
  public int read(char[] buf, int offset, int length) {
    try {
      while (!pending.hasRemaining()) {
        byte[] chunk = chunks.take();
        if (chunk == EOF) {
          return -1;
        }
        pending = decode(chunk);
        if (queued.addAndGet(-chunk.length) == 0) {
          synchronized (parked) {
            if (active) {
              release();
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
    int n = Math.min(length, pending.remaining());
    pending.get(buf, offset, n);
    return n;
  }

  /** Decodes a chunk, keeping an incomplete trailing UTF-8 sequence for the next one. */
  private CharBuffer decode(byte[] chunk) {
    ByteBuffer in = ByteBuffer.allocate(leftover.remaining() + chunk.length);
    in.put(leftover).put(chunk).flip();
    CharBuffer out = CharBuffer.allocate(in.remaining());
    decoder.decode(in, out, false);
    out.flip();
    leftover = ByteBuffer.allocate(in.remaining()).put(in).flip();
    return out;
  }

  @Override
  public void write(byte[] bytes) {
    lab.stdin(container, bytes.clone()).exceptionally(t -> null);
  }

  @Override
  public void write(String string) {
    write(string.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void resize(TermSize size) {
    lab.resize(container, size.getColumns(), size.getRows()).exceptionally(t -> null);
  }

  @Override
  public boolean isConnected() {
    return !closed;
  }

  @Override
  public int waitFor() throws InterruptedException {
    closedLatch.await();
    return 0;
  }

  @Override
  public boolean ready() {
    return pending.hasRemaining() || !chunks.isEmpty();
  }

  @Override
  public String getName() {
    return container;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      chunks.add(EOF);
      closedLatch.countDown();
    }
  }
}
