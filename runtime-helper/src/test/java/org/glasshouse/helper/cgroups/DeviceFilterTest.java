package org.glasshouse.helper.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The device filter's instructions, exactly, and what they decide: a small interpreter for the
 * seven opcodes runs the assembled bytes against (type, access, major, minor) questions, the way
 * the kernel calls a cgroup device program. Whether the kernel loads and enforces it is {@code
 * DeviceFilterRootTest}'s question.
 */
class DeviceFilterTest {

  @Test
  void theProgramForTwoRulesReadsLikeRuncs() {
    DeviceFilter f =
        DeviceFilter.allowing(
            List.of(new DeviceRule('c', 1, 3, "rwm"), new DeviceRule('b', -1, -1, "m")));
    assertEquals(
        List.of(
            "r2 = *(u32 *)(r1 + 0)",
            "w2 &= 0xffff",
            "r3 = *(u32 *)(r1 + 0)",
            "w3 >>= 16",
            "r4 = *(u32 *)(r1 + 4)",
            "r5 = *(u32 *)(r1 + 8)",
            // c 1:3 rwm: type, major, minor; any access.
            "if r2 != 2 goto +4",
            "if r4 != 1 goto +3",
            "if r5 != 3 goto +2",
            "w0 = 1",
            "exit",
            // b *:* m: type, then the access must be a subset of mknod.
            "if r2 != 1 goto +5",
            "w1 = w3",
            "w1 &= 0x1",
            "if r1 != r3 goto +2",
            "w0 = 1",
            "exit",
            // Nothing matched: deny.
            "w0 = 0",
            "exit"),
        f.instructions().stream().map(Object::toString).toList());
    byte[] b = f.bytes();
    assertEquals(19 * 8, b.length);
    // if r2 != 2 goto +4: code 0x55, dst 2 / src 0, off 4, imm 2 — little-endian.
    assertEquals(
        List.of(0x55, 0x02, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00), bytes(b, 6 * 8, 8), "insn 6");
    // if r1 != r3: code 0x5d, dst 1, src 3 in the high nibble.
    assertEquals(0x31, b[14 * 8 + 1] & 0xff);
  }

  private static List<Integer> bytes(byte[] b, int from, int n) {
    Integer[] out = new Integer[n];
    for (int i = 0; i < n; i++) {
      out[i] = b[from + i] & 0xff;
    }
    return List.of(out);
  }

  @Test
  void theDefaultListAllowsTheStandardNodesAndPtysAndNothingElse() {
    byte[] p = DeviceFilter.allowing(DeviceRule.DEFAULT).bytes();
    int rw = DeviceFilter.ACC_READ | DeviceFilter.ACC_WRITE;
    int c = DeviceFilter.DEV_CHAR;
    int b = DeviceFilter.DEV_BLOCK;
    for (int[] node : new int[][] {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 2}}) {
      assertTrue(run(p, c, rw, node[0], node[1]), node[0] + ":" + node[1]);
    }
    assertTrue(run(p, c, rw, 136, 0), "a pty of its own devpts");
    assertTrue(run(p, c, rw, 136, 4711), "any pty");
    assertFalse(run(p, c, DeviceFilter.ACC_WRITE, 1, 11), "/dev/kmsg");
    assertFalse(run(p, c, DeviceFilter.ACC_READ, 1, 1), "/dev/mem");
    assertFalse(run(p, c, rw, 5, 1), "the host's console");
    assertFalse(run(p, c, rw, 4, 0), "tty0");
    assertFalse(run(p, c, rw, 10, 229), "fuse");
    assertFalse(run(p, b, DeviceFilter.ACC_READ, 254, 0), "the host's disk");
    assertFalse(run(p, b, DeviceFilter.ACC_READ, 7, 0), "a loop device");
    // mknod of anything is allowed (runc's default): opening it is what the filter refuses.
    assertTrue(run(p, b, DeviceFilter.ACC_MKNOD, 254, 0));
    assertTrue(run(p, c, DeviceFilter.ACC_MKNOD, 1, 11));
    assertFalse(run(p, b, DeviceFilter.ACC_MKNOD | DeviceFilter.ACC_READ, 254, 0));
  }

  @Test
  void aRuleOutsideTheGrammarIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new DeviceRule('x', 1, 3, "rwm"));
    assertThrows(IllegalArgumentException.class, () -> new DeviceRule('c', 1, 3, "mw"));
    assertThrows(IllegalArgumentException.class, () -> new DeviceRule('c', -2, 3, "r"));
    assertEquals("c 136:* rwm", new DeviceRule('c', 136, -1, "rwm").v1());
    assertEquals("b *:* m", new DeviceRule('b', -1, -1, "m").v1());
  }

  /**
   * Runs the program on {@code struct bpf_cgroup_dev_ctx} as the kernel does; true when it returns
   * 1. Only the opcodes the assembler emits are known; anything else fails the test.
   */
  static boolean run(byte[] prog, int type, int access, int major, int minor) {
    int[] ctx = {(access << 16) | type, major, minor};
    long[] r = new long[11];
    ByteBuffer b = ByteBuffer.wrap(prog).order(ByteOrder.LITTLE_ENDIAN);
    int pc = 0;
    for (int steps = 0; steps < 4096; steps++) {
      int code = b.get(pc * 8) & 0xff;
      int regs = b.get(pc * 8 + 1) & 0xff;
      int dst = regs & 0xf;
      int src = regs >> 4;
      int off = b.getShort(pc * 8 + 2);
      int imm = b.getInt(pc * 8 + 4);
      pc++;
      switch (code) {
        case DeviceFilter.LDX_MEM_W -> {
          assertEquals(1, src, "loads only from the context");
          r[dst] = Integer.toUnsignedLong(ctx[off / 4]);
        }
        case DeviceFilter.ALU_AND_K -> r[dst] = (r[dst] & imm) & 0xffffffffL;
        case DeviceFilter.ALU_RSH_K -> r[dst] = ((r[dst] & 0xffffffffL) >>> imm) & 0xffffffffL;
        case DeviceFilter.ALU_MOV_K -> r[dst] = Integer.toUnsignedLong(imm);
        case DeviceFilter.ALU_MOV_X -> r[dst] = r[src] & 0xffffffffL;
        case DeviceFilter.JMP_JNE_K -> pc += r[dst] != (long) imm ? off : 0;
        case DeviceFilter.JMP_JNE_X -> pc += r[dst] != r[src] ? off : 0;
        case DeviceFilter.JMP_EXIT -> {
          return r[0] == 1;
        }
        default -> throw new AssertionError("unknown opcode 0x" + Integer.toHexString(code));
      }
    }
    throw new AssertionError("no exit");
  }
}
