package org.glasshouse.helper.runtime.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The captured rtnetlink conversation of {@code ip} with a real kernel ({@code ip-capture.txt}):
 * per command, the datagrams sent and received, in order.
 */
final class IpCapture {

  /** One datagram. */
  record Datagram(boolean sent, byte[] bytes) {}

  private final Map<String, List<Datagram>> blocks = new LinkedHashMap<>();
  private final Map<String, List<String>> printed = new LinkedHashMap<>();

  static IpCapture load() throws IOException {
    IpCapture c = new IpCapture();
    try (InputStream in = IpCapture.class.getResourceAsStream("ip-capture.txt")) {
      String name = null;
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("## ")) {
          name = line.substring(3, line.indexOf(':'));
          c.blocks.put(name, new ArrayList<>());
          c.printed.put(name, new ArrayList<>());
        } else if (line.startsWith("#   ip printed: ") && name != null) {
          c.printed.get(name).add(line.substring("#   ip printed: ".length()));
        } else if ((line.startsWith("> ") || line.startsWith("< ")) && name != null) {
          c.blocks
              .get(name)
              .add(new Datagram(line.charAt(0) == '>', HexFormat.of().parseHex(line.substring(2))));
        }
      }
    }
    return c;
  }

  /** The datagrams of one command. */
  List<Datagram> block(String name) {
    List<Datagram> b = blocks.get(name);
    if (b == null) {
      throw new IllegalArgumentException("no block " + name + " in ip-capture.txt");
    }
    return b;
  }

  /** The last datagram sent in a block: the request the command is about. */
  byte[] lastSent(String name) {
    List<Datagram> b = block(name);
    for (int i = b.size() - 1; i >= 0; i--) {
      if (b.get(i).sent()) {
        return b.get(i).bytes();
      }
    }
    throw new IllegalArgumentException("nothing sent in " + name);
  }

  /** The datagram received right after the last one sent: the kernel's answer to it. */
  byte[] answer(String name) {
    List<Datagram> b = block(name);
    int last = -1;
    for (int i = 0; i < b.size(); i++) {
      if (b.get(i).sent()) {
        last = i;
      }
    }
    return b.get(last + 1).bytes();
  }

  /** The datagram received right after the {@code k}-th one sent (0-based). */
  byte[] answerTo(String name, int k) {
    List<Datagram> b = block(name);
    int sent = -1;
    for (int i = 0; i < b.size(); i++) {
      if (b.get(i).sent() && ++sent == k) {
        return b.get(i + 1).bytes();
      }
    }
    throw new IllegalArgumentException(name + " has no request " + k);
  }

  /** What ip printed for the command. */
  List<String> printed(String name) {
    return printed.get(name);
  }

  /** The sequence number of a message (bytes 8..11, little-endian). */
  static int seq(byte[] message) {
    return (message[8] & 0xff)
        | (message[9] & 0xff) << 8
        | (message[10] & 0xff) << 16
        | (message[11] & 0xff) << 24;
  }
}
