package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConnectionSlotsTest {

  /** 16 connections: 8 per uid, the last 2 for root. */
  private static ConnectionSlots slots() {
    return new ConnectionSlots(new ServerConfig(Path.of("/x.sock"), 0, null, 1 << 20, 16));
  }

  @Test
  void oneUserGetsItsShareAndNoMore() {
    ConnectionSlots s = slots();
    Peer alice = new Peer(1000, 1000, 1);
    for (int i = 0; i < 8; i++) {
      assertNull(s.admit(alice));
    }
    String refused = s.admit(alice);
    assertTrue(refused.contains("uid 1000 has 8 connections"), refused);
    s.release(alice);
    assertNull(s.admit(alice), "a slot freed is a slot again");
  }

  @Test
  void usersTogetherLeaveRootItsReserve() {
    ConnectionSlots s = slots();
    for (int i = 0; i < 8; i++) {
      assertNull(s.admit(new Peer(1000, 1000, 1)));
    }
    for (int i = 0; i < 6; i++) {
      assertNull(s.admit(new Peer(1001, 1001, 2)));
    }
    String refused = s.admit(new Peer(1002, 1002, 3));
    assertTrue(refused.contains("for root"), refused);
    assertNull(s.admit(new Peer(0, 0, 4)));
    assertNull(s.admit(new Peer(0, 0, 5)));
    String full = s.admit(new Peer(0, 0, 6));
    assertTrue(full.contains("serves 16 connections"), full);
  }
}
