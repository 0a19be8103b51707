package org.glasshouse.helper.cgroups;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A device allow-list as a {@code BPF_PROG_TYPE_CGROUP_DEVICE} program, the cgroup v2 counterpart
 * of the v1 devices controller (v2 has no devices controller: a BPF program attached to the cgroup
 * decides every open and mknod). Assembled here, in Java, instruction by instruction — the same
 * program runc and crun generate.
 *
 * <p>The kernel calls it with {@code struct bpf_cgroup_dev_ctx {u32 access_type; u32 major; u32
 * minor;}}, where {@code access_type} is {@code (access << 16) | type}; it returns 1 to allow and 0
 * to deny. The program loads the four fields into r2–r5, then one block per rule — a chain of "not
 * this rule: jump to the next block" tests ending in {@code r0 = 1; exit} — and at the end {@code
 * r0 = 0; exit}: whatever no rule allows is denied.
 */
public final class DeviceFilter {

  /** {@code BPF_DEVCG_DEV_BLOCK}, {@code BPF_DEVCG_DEV_CHAR}. */
  static final int DEV_BLOCK = 1;

  static final int DEV_CHAR = 2;

  /** {@code BPF_DEVCG_ACC_MKNOD}, {@code _READ}, {@code _WRITE}. */
  static final int ACC_MKNOD = 1;

  static final int ACC_READ = 2;
  static final int ACC_WRITE = 4;

  /** Opcodes of the instructions used (linux/bpf_common.h + linux/bpf.h). */
  static final int LDX_MEM_W = 0x61; // BPF_LDX | BPF_MEM | BPF_W

  static final int ALU_AND_K = 0x54; // BPF_ALU | BPF_AND | BPF_K (32-bit)
  static final int ALU_RSH_K = 0x74; // BPF_ALU | BPF_RSH | BPF_K
  static final int ALU_MOV_K = 0xb4; // BPF_ALU | BPF_MOV | BPF_K
  static final int ALU_MOV_X = 0xbc; // BPF_ALU | BPF_MOV | BPF_X
  static final int JMP_JNE_K = 0x55; // BPF_JMP | BPF_JNE | BPF_K
  static final int JMP_JNE_X = 0x5d; // BPF_JMP | BPF_JNE | BPF_X
  static final int JMP_EXIT = 0x95; // BPF_JMP | BPF_EXIT

  /** The license the program is loaded under (the kernel wants one; this is the project's). */
  public static final String LICENSE = "Apache-2.0";

  /**
   * One instruction: {@code struct bpf_insn {u8 code; u8 dst:4, src:4; s16 off; s32 imm;}}.
   *
   * @param code the opcode
   * @param dst destination register
   * @param src source register
   * @param off jump offset (instructions after the next one) or memory offset
   * @param imm immediate
   */
  public record Insn(int code, int dst, int src, int off, int imm) {
    @Override
    public String toString() {
      return switch (code) {
        case LDX_MEM_W -> "r" + dst + " = *(u32 *)(r" + src + " + " + off + ")";
        case ALU_AND_K -> "w" + dst + " &= 0x" + Integer.toHexString(imm);
        case ALU_RSH_K -> "w" + dst + " >>= " + imm;
        case ALU_MOV_K -> "w" + dst + " = " + imm;
        case ALU_MOV_X -> "w" + dst + " = w" + src;
        case JMP_JNE_K -> "if r" + dst + " != " + imm + " goto +" + off;
        case JMP_JNE_X -> "if r" + dst + " != r" + src + " goto +" + off;
        case JMP_EXIT -> "exit";
        default -> "0x" + Integer.toHexString(code);
      };
    }
  }

  private final List<Insn> insns;

  private DeviceFilter(List<Insn> insns) {
    this.insns = List.copyOf(insns);
  }

  /** The program allowing exactly {@code rules}, denying everything else. */
  public static DeviceFilter allowing(List<DeviceRule> rules) {
    List<Insn> p = new ArrayList<>();
    // r2 = type (low 16 bits of access_type), r3 = access (high 16), r4 = major, r5 = minor.
    p.add(new Insn(LDX_MEM_W, 2, 1, 0, 0));
    p.add(new Insn(ALU_AND_K, 2, 0, 0, 0xffff));
    p.add(new Insn(LDX_MEM_W, 3, 1, 0, 0));
    p.add(new Insn(ALU_RSH_K, 3, 0, 0, 16));
    p.add(new Insn(LDX_MEM_W, 4, 1, 4, 0));
    p.add(new Insn(LDX_MEM_W, 5, 1, 8, 0));
    for (DeviceRule r : rules) {
      int access = access(r.access());
      boolean anyAccess = access == (ACC_MKNOD | ACC_READ | ACC_WRITE);
      // The block's length, so each test can jump past its end to the next block.
      int len = 1 + (anyAccess ? 0 : 3) + (r.major() >= 0 ? 1 : 0) + (r.minor() >= 0 ? 1 : 0) + 2;
      int at = 0;
      int type = r.type() == 'c' ? DEV_CHAR : DEV_BLOCK;
      p.add(new Insn(JMP_JNE_K, 2, 0, len - ++at, type));
      if (!anyAccess) {
        // Allowed when the requested access is a subset of the rule's: (r3 & access) == r3.
        // r1 (the context pointer) is no longer needed and serves as scratch.
        p.add(new Insn(ALU_MOV_X, 1, 3, 0, 0));
        at++;
        p.add(new Insn(ALU_AND_K, 1, 0, 0, access));
        at++;
        p.add(new Insn(JMP_JNE_X, 1, 3, len - ++at, 0));
      }
      if (r.major() >= 0) {
        p.add(new Insn(JMP_JNE_K, 4, 0, len - ++at, r.major()));
      }
      if (r.minor() >= 0) {
        p.add(new Insn(JMP_JNE_K, 5, 0, len - ++at, r.minor()));
      }
      p.add(new Insn(ALU_MOV_K, 0, 0, 0, 1));
      p.add(new Insn(JMP_EXIT, 0, 0, 0, 0));
    }
    p.add(new Insn(ALU_MOV_K, 0, 0, 0, 0));
    p.add(new Insn(JMP_EXIT, 0, 0, 0, 0));
    return new DeviceFilter(p);
  }

  static int access(String rwm) {
    int a = 0;
    for (char c : rwm.toCharArray()) {
      a |=
          switch (c) {
            case 'r' -> ACC_READ;
            case 'w' -> ACC_WRITE;
            case 'm' -> ACC_MKNOD;
            default -> throw new IllegalArgumentException("unknown device access " + c);
          };
    }
    return a;
  }

  /** The instructions, in order. */
  public List<Insn> instructions() {
    return insns;
  }

  /** The program as the kernel takes it: 8 bytes per instruction, little-endian fields. */
  public byte[] bytes() {
    ByteBuffer b = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (Insn i : insns) {
      b.put((byte) i.code());
      b.put((byte) ((i.src() << 4) | (i.dst() & 0xf)));
      b.putShort((short) i.off());
      b.putInt(i.imm());
    }
    return b.array();
  }
}
